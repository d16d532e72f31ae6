"""Layers, activations, losses, normalization, dropout and regularizers.

Every layer comes as a pair of functions:

- ``*_forward(...)`` computes the output of the layer and returns ``(out, cache)``, where
  ``cache`` holds whatever the backward pass will need;
- ``*_backward(dout, cache)`` receives the upstream gradient ``dout`` (the gradient of the
  loss with respect to ``out``, same shape as ``out``) and the ``cache`` of the matching
  forward call, and returns the gradients of the loss with respect to the inputs.

Losses return ``(loss, dx)`` with ``loss`` a Python float and ``dx`` the gradient of the
loss with respect to the scores ``x``. Regularizers return ``(loss, dw)``.

Conventions: all arrays are float64 NumPy arrays; a minibatch of ``N`` examples is indexed
by the first axis; inputs must never be modified in place (make a copy if you need one).
"""

import numpy as np


def affine_forward(x, w, b):
    """Forward pass of an affine (fully connected) layer.

    The input x has shape (N, d_1, ..., d_k): a minibatch of N examples, each of shape
    (d_1, ..., d_k). Each example is flattened (reshaped) into a vector of dimension
    D = d_1 * ... * d_k, and then transformed into an output vector of dimension M:

        out = x.reshape(N, D) @ w + b

    Inputs:
    - x: A numpy array of shape (N, d_1, ..., d_k) containing the input data.
    - w: A numpy array of weights, of shape (D, M).
    - b: A numpy array of biases, of shape (M,).

    Returns a tuple of:
    - out: Output, of shape (N, M).
    - cache: Whatever affine_backward needs, e.g. (x, w, b).
    """
    raise NotImplementedError("affine_forward")


def affine_backward(dout, cache):
    """Backward pass of an affine (fully connected) layer.

    Inputs:
    - dout: Upstream derivative, of shape (N, M).
    - cache: The cache returned by affine_forward.

    Returns a tuple of:
    - dx: Gradient with respect to x, of shape (N, d_1, ..., d_k) -- the ORIGINAL shape of
      x, not the flattened (N, D).
    - dw: Gradient with respect to w, of shape (D, M).
    - db: Gradient with respect to b, of shape (M,) (summed over the minibatch).
    """
    raise NotImplementedError("affine_backward")


def relu_forward(x):
    """Forward pass of a layer of rectified linear units (ReLUs).

        out = max(0, x)    (elementwise)

    Input:
    - x: Inputs, of any shape.

    Returns a tuple of:
    - out: Output, of the same shape as x.
    - cache: Whatever relu_backward needs, e.g. x.
    """
    raise NotImplementedError("relu_forward")


def relu_backward(dout, cache):
    """Backward pass of a layer of rectified linear units (ReLUs).

    The local derivative is 1 where x > 0 and 0 elsewhere (use 0 at x == 0).

    Input:
    - dout: Upstream derivatives, of any shape.
    - cache: The cache returned by relu_forward.

    Returns:
    - dx: Gradient with respect to x, of the same shape as x.
    """
    raise NotImplementedError("relu_backward")


def leaky_relu_forward(x, alpha=0.01):
    """Forward pass of a leaky ReLU.

        out = max(alpha * x, x)    (elementwise)

    i.e. for the usual 0 <= alpha < 1: out = x where x > 0 and alpha * x elsewhere.

    Inputs:
    - x: Inputs, of any shape.
    - alpha: Slope used for the negative inputs (a scalar, default 0.01).

    Returns a tuple of:
    - out: Output, of the same shape as x.
    - cache: Whatever leaky_relu_backward needs, e.g. (x, alpha).
    """
    raise NotImplementedError("leaky_relu_forward")


def leaky_relu_backward(dout, cache):
    """Backward pass of a leaky ReLU.

    The local derivative is 1 where x is the larger of (alpha * x, x), i.e. where x > 0
    for 0 <= alpha < 1, and alpha elsewhere (use alpha at x == 0).

    Inputs:
    - dout: Upstream derivatives, of any shape.
    - cache: The cache returned by leaky_relu_forward.

    Returns:
    - dx: Gradient with respect to x, of the same shape as x.
    """
    raise NotImplementedError("leaky_relu_backward")


def prelu_forward(x, alpha):
    """Forward pass of a parametric ReLU (PReLU) with one learnable slope per feature.

        out[n, d] = x[n, d]             if x[n, d] > 0
                    alpha[d] * x[n, d]  otherwise

    Inputs:
    - x: Inputs, of shape (N, D).
    - alpha: Learnable negative slopes, of shape (D,).

    Returns a tuple of:
    - out: Output, of shape (N, D).
    - cache: Whatever prelu_backward needs, e.g. (x, alpha).
    """
    raise NotImplementedError("prelu_forward")


def prelu_backward(dout, cache):
    """Backward pass of a parametric ReLU (PReLU).

    Inputs:
    - dout: Upstream derivatives, of shape (N, D).
    - cache: The cache returned by prelu_forward.

    Returns a tuple of:
    - dx: Gradient with respect to x, of shape (N, D).
    - dalpha: Gradient with respect to alpha, of shape (D,): alpha[d] is shared by all N
      examples, so its gradient is summed over the minibatch.
    """
    raise NotImplementedError("prelu_backward")


def elu_forward(x, alpha=1.0):
    """Forward pass of an exponential linear unit (ELU).

        out = x                       if x > 0
              alpha * (exp(x) - 1)    otherwise

    Avoid evaluating exp on large positive inputs (it overflows); np.expm1 computes
    exp(x) - 1 accurately for small x.

    Inputs:
    - x: Inputs, of any shape.
    - alpha: Scale of the negative part (a scalar, default 1.0).

    Returns a tuple of:
    - out: Output, of the same shape as x.
    - cache: Whatever elu_backward needs, e.g. (x, alpha).
    """
    raise NotImplementedError("elu_forward")


def elu_backward(dout, cache):
    """Backward pass of an exponential linear unit (ELU).

    The local derivative is 1 where x > 0 and alpha * exp(x) elsewhere.

    Inputs:
    - dout: Upstream derivatives, of any shape.
    - cache: The cache returned by elu_forward.

    Returns:
    - dx: Gradient with respect to x, of the same shape as x.
    """
    raise NotImplementedError("elu_backward")


def sigmoid_forward(x):
    """Forward pass of the logistic sigmoid.

        out = 1 / (1 + exp(-x))

    Must be numerically stable for large abs(x): exp(-x) overflows for x around -1000.
    Hint: for x < 0 use the equivalent form exp(x) / (1 + exp(x)), so that exp is only
    ever evaluated on non-positive numbers.

    Input:
    - x: Inputs, of any shape.

    Returns a tuple of:
    - out: Output, of the same shape as x, with values in [0, 1].
    - cache: Whatever sigmoid_backward needs, e.g. out.
    """
    raise NotImplementedError("sigmoid_forward")


def sigmoid_backward(dout, cache):
    """Backward pass of the logistic sigmoid.

    With s = sigmoid(x), the local derivative is s * (1 - s).

    Inputs:
    - dout: Upstream derivatives, of any shape.
    - cache: The cache returned by sigmoid_forward.

    Returns:
    - dx: Gradient with respect to x, of the same shape as x.
    """
    raise NotImplementedError("sigmoid_backward")


def tanh_forward(x):
    """Forward pass of the hyperbolic tangent.

        out = tanh(x) = (exp(x) - exp(-x)) / (exp(x) + exp(-x))

    (np.tanh is fine and numerically stable.)

    Input:
    - x: Inputs, of any shape.

    Returns a tuple of:
    - out: Output, of the same shape as x, with values in [-1, 1].
    - cache: Whatever tanh_backward needs, e.g. out.
    """
    raise NotImplementedError("tanh_forward")


def tanh_backward(dout, cache):
    """Backward pass of the hyperbolic tangent.

    With t = tanh(x), the local derivative is 1 - t**2.

    Inputs:
    - dout: Upstream derivatives, of any shape.
    - cache: The cache returned by tanh_forward.

    Returns:
    - dx: Gradient with respect to x, of the same shape as x.
    """
    raise NotImplementedError("tanh_backward")


def softplus_forward(x):
    """Forward pass of the softplus function.

        out = log(1 + exp(x))

    Must be numerically stable for large abs(x): softplus(1000) is 1000 and
    softplus(-1000) is (almost) 0, without any overflow. Hint: use the identity
    log(1 + exp(x)) = max(x, 0) + log(1 + exp(-abs(x))) (np.log1p helps), or np.logaddexp.

    Input:
    - x: Inputs, of any shape.

    Returns a tuple of:
    - out: Output, of the same shape as x.
    - cache: Whatever softplus_backward needs, e.g. x.
    """
    raise NotImplementedError("softplus_forward")


def softplus_backward(dout, cache):
    """Backward pass of the softplus function.

    The local derivative of log(1 + exp(x)) is the sigmoid 1 / (1 + exp(-x)); compute it
    in a numerically stable way (see sigmoid_forward).

    Inputs:
    - dout: Upstream derivatives, of any shape.
    - cache: The cache returned by softplus_forward.

    Returns:
    - dx: Gradient with respect to x, of the same shape as x.
    """
    raise NotImplementedError("softplus_backward")


def maxout_forward(x, w, b):
    """Forward pass of a maxout layer with M units of K linear pieces each.

    Each unit m computes K affine functions of the input and outputs their maximum:

        z[n, m, k] = (x @ w[:, :, k] + b[:, k])[n, m]
        out[n, m] = max_k z[n, m, k]

    Inputs:
    - x: Inputs, of shape (N, D).
    - w: Weights, of shape (D, M, K).
    - b: Biases, of shape (M, K).

    Returns a tuple of:
    - out: Output, of shape (N, M).
    - cache: Whatever maxout_backward needs, e.g. x, w and which piece k won for each
      (n, m).
    """
    raise NotImplementedError("maxout_forward")


def maxout_backward(dout, cache):
    """Backward pass of a maxout layer.

    The upstream gradient of out[n, m] flows only into the winning piece
    k* = argmax_k z[n, m, k]; the other pieces receive zero gradient.

    Inputs:
    - dout: Upstream derivatives, of shape (N, M).
    - cache: The cache returned by maxout_forward.

    Returns a tuple of:
    - dx: Gradient with respect to x, of shape (N, D).
    - dw: Gradient with respect to w, of shape (D, M, K).
    - db: Gradient with respect to b, of shape (M, K).
    """
    raise NotImplementedError("maxout_backward")


def svm_loss(x, y):
    """Multiclass SVM (hinge) loss and its gradient.

    For example i with scores x[i] and correct class y[i], the loss is

        L_i = sum over j != y[i] of max(0, x[i, j] - x[i, y[i]] + 1)

    (margin 1; the correct class itself is NOT part of the sum), and the total loss is
    the average over the minibatch: loss = (1/N) * sum_i L_i.

    Inputs:
    - x: Input data (class scores), of shape (N, C) where x[i, j] is the score for the
      jth class for the ith input.
    - y: Vector of labels, of shape (N,) where y[i] is the label for x[i] and
      0 <= y[i] < C.

    Returns a tuple of:
    - loss: Scalar giving the loss (a Python float).
    - dx: Gradient of the loss with respect to x, of shape (N, C).
    """
    raise NotImplementedError("svm_loss")


def softmax_loss(x, y):
    """Softmax (cross-entropy) loss and its gradient.

        p[i, j] = exp(x[i, j]) / sum_c exp(x[i, c])
        loss = -(1/N) * sum_i log p[i, y[i]]

    Must be numerically stable for logits of any size (e.g. around 1e4): subtract the
    row-wise maximum from x before exponentiating (this does not change p), and compute
    log p directly rather than log(p).

    Inputs:
    - x: Input data (class scores / logits), of shape (N, C).
    - y: Vector of labels, of shape (N,) where 0 <= y[i] < C.

    Returns a tuple of:
    - loss: Scalar giving the mean cross-entropy loss (a Python float).
    - dx: Gradient of the loss with respect to x, of shape (N, C).
    """
    raise NotImplementedError("softmax_loss")


def softmax_loss_smoothed(x, y, epsilon=0.1):
    """Softmax cross-entropy loss with label smoothing, and its gradient.

    The one-hot target is replaced by a smoothed distribution t:

        t[i, j] = 1 - epsilon          if j == y[i]
                  epsilon / (C - 1)    otherwise

    (each row of t sums to 1), and the loss is the mean cross-entropy against t:

        loss = -(1/N) * sum_i sum_j t[i, j] * log p[i, j],   p = softmax(x) row-wise

    Must be numerically stable for logits of any size (see softmax_loss).

    Inputs:
    - x: Input data (class scores / logits), of shape (N, C), with C >= 2.
    - y: Vector of labels, of shape (N,) where 0 <= y[i] < C.
    - epsilon: Amount of probability mass moved away from the correct class
      (default 0.1; epsilon = 0 gives the ordinary softmax loss).

    Returns a tuple of:
    - loss: Scalar giving the loss (a Python float).
    - dx: Gradient of the loss with respect to x, of shape (N, C).
    """
    raise NotImplementedError("softmax_loss_smoothed")


def batchnorm_forward(x, gamma, beta, bn_param):
    """Forward pass of batch normalization.

    During training the minibatch mean and the BIASED minibatch variance (divide by N,
    as np.var does by default) of each feature are used to normalize the data:

        x_hat = (x - mean) / sqrt(var + eps)
        out = gamma * x_hat + beta

    and exponentially decaying running averages of them are kept:

        running_mean = momentum * running_mean + (1 - momentum) * mean
        running_var = momentum * running_var + (1 - momentum) * var

    At test time the data is normalized with running_mean and running_var instead of the
    minibatch statistics.

    Inputs:
    - x: Data, of shape (N, D).
    - gamma: Scale parameter, of shape (D,).
    - beta: Shift parameter, of shape (D,).
    - bn_param: Dictionary with the following keys:
      - mode: 'train' or 'test'; required (raise ValueError for any other value).
      - eps: Constant for numeric stability (default 1e-5).
      - momentum: Constant for the running averages (default 0.9).
      - running_mean: Array of shape (D,), the running mean of the features (zeros if
        absent).
      - running_var: Array of shape (D,), the running variance of the features (zeros
        if absent).
      In train mode, store the updated running_mean and running_var back into bn_param
      (assign new arrays; do not modify the old ones in place).

    Returns a tuple of:
    - out: Output, of shape (N, D).
    - cache: Whatever batchnorm_backward needs.
    """
    raise NotImplementedError("batchnorm_forward")


def batchnorm_backward(dout, cache):
    """Backward pass of batch normalization (for a train-mode forward pass).

    Remember that in train mode the mean and the variance depend on every example of
    the minibatch, so the gradient flows through them too. You may work it out on paper
    and simplify it to a one-line expression for dx.

    Inputs:
    - dout: Upstream derivatives, of shape (N, D).
    - cache: The cache returned by batchnorm_forward.

    Returns a tuple of:
    - dx: Gradient with respect to x, of shape (N, D).
    - dgamma: Gradient with respect to gamma, of shape (D,) (summed over the minibatch).
    - dbeta: Gradient with respect to beta, of shape (D,) (summed over the minibatch).
    """
    raise NotImplementedError("batchnorm_backward")


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    """Forward pass of spatial batch normalization (batch normalization for conv layers).

    Each channel c is normalized with statistics computed over the N examples and all
    H * W spatial positions, i.e. over N * H * W values. Hint: move the channel axis last,
    reshape to (N * H * W, C), call batchnorm_forward, and undo the reshape.

    Inputs:
    - x: Input data, of shape (N, C, H, W).
    - gamma: Scale parameter, of shape (C,).
    - beta: Shift parameter, of shape (C,).
    - bn_param: Dictionary with the same keys as for batchnorm_forward (mode required,
      eps, momentum, running_mean and running_var of shape (C,)).

    Returns a tuple of:
    - out: Output, of shape (N, C, H, W).
    - cache: Whatever spatial_batchnorm_backward needs.
    """
    raise NotImplementedError("spatial_batchnorm_forward")


def spatial_batchnorm_backward(dout, cache):
    """Backward pass of spatial batch normalization (for a train-mode forward pass).

    Inputs:
    - dout: Upstream derivatives, of shape (N, C, H, W).
    - cache: The cache returned by spatial_batchnorm_forward.

    Returns a tuple of:
    - dx: Gradient with respect to x, of shape (N, C, H, W).
    - dgamma: Gradient with respect to gamma, of shape (C,).
    - dbeta: Gradient with respect to beta, of shape (C,).
    """
    raise NotImplementedError("spatial_batchnorm_backward")


def layernorm_forward(x, gamma, beta, ln_param):
    """Forward pass of layer normalization.

    Each example (row) is normalized with its own mean and BIASED variance, computed
    over its D features:

        x_hat[n] = (x[n] - mean(x[n])) / sqrt(var(x[n]) + eps)
        out = gamma * x_hat + beta

    Training and test time behave identically (there are no running averages).

    Inputs:
    - x: Data, of shape (N, D).
    - gamma: Scale parameter, of shape (D,).
    - beta: Shift parameter, of shape (D,).
    - ln_param: Dictionary with the following key:
      - eps: Constant for numeric stability (default 1e-5).

    Returns a tuple of:
    - out: Output, of shape (N, D).
    - cache: Whatever layernorm_backward needs.
    """
    raise NotImplementedError("layernorm_forward")


def layernorm_backward(dout, cache):
    """Backward pass of layer normalization.

    Same as batchnorm_backward, except that the statistics are per example (over the
    features) instead of per feature (over the minibatch).

    Inputs:
    - dout: Upstream derivatives, of shape (N, D).
    - cache: The cache returned by layernorm_forward.

    Returns a tuple of:
    - dx: Gradient with respect to x, of shape (N, D).
    - dgamma: Gradient with respect to gamma, of shape (D,) (summed over the minibatch).
    - dbeta: Gradient with respect to beta, of shape (D,) (summed over the minibatch).
    """
    raise NotImplementedError("layernorm_backward")


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    """Forward pass of spatial group normalization.

    The C channels are split into G groups of C // G consecutive channels (group g holds
    channels g*C//G ... (g+1)*C//G - 1). For each example n and group g, the mean and the
    BIASED variance are computed over the C // G channels of the group and all H * W
    spatial positions, and used to normalize those values:

        x_hat = (x - mean) / sqrt(var + eps)
        out = gamma * x_hat + beta     (gamma and beta are per channel)

    Hint: reshape x to (N, G, C // G, H, W). Training and test time behave identically.

    Inputs:
    - x: Input data, of shape (N, C, H, W).
    - gamma: Scale parameter, of shape (1, C, 1, 1).
    - beta: Shift parameter, of shape (1, C, 1, 1).
    - G: Integer number of groups; C is divisible by G.
    - gn_param: Dictionary with the following key:
      - eps: Constant for numeric stability (default 1e-5).

    Returns a tuple of:
    - out: Output, of shape (N, C, H, W).
    - cache: Whatever spatial_groupnorm_backward needs.
    """
    raise NotImplementedError("spatial_groupnorm_forward")


def spatial_groupnorm_backward(dout, cache):
    """Backward pass of spatial group normalization.

    Same as layernorm_backward, applied within each (example, group) block of
    C // G * H * W values.

    Inputs:
    - dout: Upstream derivatives, of shape (N, C, H, W).
    - cache: The cache returned by spatial_groupnorm_forward.

    Returns a tuple of:
    - dx: Gradient with respect to x, of shape (N, C, H, W).
    - dgamma: Gradient with respect to gamma, of shape (1, C, 1, 1).
    - dbeta: Gradient with respect to beta, of shape (1, C, 1, 1).
    """
    raise NotImplementedError("spatial_groupnorm_backward")


def dropout_forward(x, dropout_param):
    """Forward pass of (inverted) dropout.

    In train mode each unit is KEPT with probability p and zeroed otherwise, and the kept
    units are scaled by 1/p so that the expected output equals x:

        mask = (np.random.rand(*x.shape) < p) / p
        out = x * mask

    In test mode the input is passed through unchanged (out = x).

    Inputs:
    - x: Input data, of any shape.
    - dropout_param: A dictionary with the following keys:
      - p: Dropout parameter: the probability of KEEPING each unit (0 < p <= 1).
      - mode: 'test' or 'train'. If the mode is train, then perform dropout; if the mode
        is test, then just return the input.
      - seed: Optional seed for the random number generator. If present, call
        np.random.seed(seed) before drawing the mask, so that equal seeds give equal
        masks (needed for gradient checking).

    Returns a tuple of:
    - out: Array of the same shape as x.
    - cache: tuple (dropout_param, mask). In training mode, mask is the dropout mask
      that was used to multiply the input; in test mode, mask is None.
    """
    raise NotImplementedError("dropout_forward")


def dropout_backward(dout, cache):
    """Backward pass of (inverted) dropout.

    Inputs:
    - dout: Upstream derivatives, of any shape.
    - cache: (dropout_param, mask) from dropout_forward.

    Returns:
    - dx: Gradient with respect to x: dout * mask in train mode, dout in test mode.
    """
    raise NotImplementedError("dropout_backward")


def l2_regularization(w, reg):
    """L2 regularization (weight decay) penalty and its gradient.

        loss = 0.5 * reg * sum(w**2)
        dw = reg * w

    Inputs:
    - w: Weights, of any shape.
    - reg: Regularization strength (a scalar).

    Returns a tuple of:
    - loss: The penalty (a Python float).
    - dw: Gradient of the penalty with respect to w, of the same shape as w.
    """
    raise NotImplementedError("l2_regularization")


def l1_regularization(w, reg):
    """L1 regularization penalty and its (sub)gradient.

        loss = reg * sum(abs(w))
        dw = reg * sign(w)      (use np.sign, which gives 0 at w == 0)

    Inputs:
    - w: Weights, of any shape.
    - reg: Regularization strength (a scalar).

    Returns a tuple of:
    - loss: The penalty (a Python float).
    - dw: Gradient of the penalty with respect to w, of the same shape as w.
    """
    raise NotImplementedError("l1_regularization")


def elastic_net_regularization(w, l1, l2):
    """Elastic-net regularization penalty (L1 + L2) and its (sub)gradient.

        loss = l1 * sum(abs(w)) + 0.5 * l2 * sum(w**2)
        dw = l1 * sign(w) + l2 * w

    Inputs:
    - w: Weights, of any shape.
    - l1: Strength of the L1 term (a scalar).
    - l2: Strength of the L2 term (a scalar).

    Returns a tuple of:
    - loss: The penalty (a Python float).
    - dw: Gradient of the penalty with respect to w, of the same shape as w.
    """
    raise NotImplementedError("elastic_net_regularization")
