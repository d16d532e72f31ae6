"""Layers, activations, losses, normalization, dropout and regularizers.

Every forward returns (out, cache) and every backward takes (dout, cache).
NOTE: ran out of time for group norm, left it as in the handout.
"""

import numpy as np


def affine_forward(x, w, b):
    x = np.asarray(x, dtype=np.float64)
    N = x.shape[0]
    out = np.matmul(x.reshape(N, -1), w) + b.reshape(1, -1)
    cache = (x, w, b)
    return out, cache


def affine_backward(dout, cache):
    x, w, b = cache
    N = x.shape[0]
    dx = np.matmul(dout, w.T).reshape(x.shape)
    dw = np.matmul(x.reshape(N, -1).T, dout)
    db = np.sum(dout, axis=0, keepdims=True).reshape(b.shape)
    return dx, dw, db


def relu_forward(x):
    mask = (x > 0).astype(np.float64)
    out = x * mask
    cache = mask
    return out, cache


def relu_backward(dout, cache):
    mask = cache
    dx = dout * mask
    return dx


def leaky_relu_forward(x, alpha=0.01):
    out = np.maximum(x, alpha * x)
    cache = (x, alpha)
    return out, cache


def leaky_relu_backward(dout, cache):
    x, alpha = cache
    wins = (x > alpha * x)
    dx = dout * (wins + alpha * (~wins))
    return dx


def prelu_forward(x, alpha):
    alpha = alpha.reshape(1, -1)
    pos = (x > 0)
    out = pos * x + (~pos) * alpha * x
    cache = (x, alpha, pos)
    return out, cache


def prelu_backward(dout, cache):
    x, alpha, pos = cache
    dx = dout * (pos + (~pos) * alpha)
    dalpha = np.sum(dout * x * (~pos), axis=0, keepdims=True).reshape(-1)
    return dx, dalpha


def elu_forward(x, alpha=1.0):
    out = np.piecewise(x, [x > 0, x <= 0],
                       [lambda v: v, lambda v: alpha * np.expm1(v)])
    cache = (x, alpha)
    return out, cache


def elu_backward(dout, cache):
    x, alpha = cache
    local = np.piecewise(x, [x > 0, x <= 0],
                         [lambda v: np.ones_like(v), lambda v: alpha * np.exp(v)])
    return dout * local


def sigmoid_forward(x):
    out = np.piecewise(x, [x >= 0, x < 0],
                       [lambda v: 1.0 / (1.0 + np.exp(-v)),
                        lambda v: np.exp(v) / (1.0 + np.exp(v))])
    cache = out
    return out, cache


def sigmoid_backward(dout, cache):
    out = cache
    return dout * out * (1.0 - out)


def tanh_forward(x):
    out = np.tanh(x)
    cache = out
    return out, cache


def tanh_backward(dout, cache):
    out = cache
    return dout * (1.0 - out * out)


def softplus_forward(x):
    out = np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))
    cache = x
    return out, cache


def softplus_backward(dout, cache):
    x = cache
    sig, _ = sigmoid_forward(x)
    return dout * sig


def maxout_forward(x, w, b):
    N, D = x.shape
    _, M, K = w.shape
    z = np.tensordot(x, w, axes=([1], [0])) + b[np.newaxis, :, :]     # (N, M, K)
    k_star = np.argmax(z, axis=2)                                        # (N, M)
    out = np.max(z, axis=2)
    cache = (x, w, k_star)
    return out, cache


def maxout_backward(dout, cache):
    x, w, k_star = cache
    N, D = x.shape
    _, M, K = w.shape
    dz = np.zeros((N, M, K))
    n_grid, m_grid = np.meshgrid(np.arange(N), np.arange(M), indexing='ij')
    np.add.at(dz, (n_grid, m_grid, k_star), dout)
    dx = np.tensordot(dz, w, axes=([1, 2], [1, 2]))
    dw = np.tensordot(x, dz, axes=([0], [0]))
    db = np.sum(dz, axis=0)
    return dx, dw, db


def svm_loss(x, y):
    N = x.shape[0]
    correct = np.take_along_axis(x, y.reshape(-1, 1), axis=1)          # (N, 1)
    margins = np.maximum(0.0, x - correct + 1.0)
    np.put_along_axis(margins, y.reshape(-1, 1), 0.0, axis=1)
    loss = np.sum(margins) / N
    pos = (margins > 0).astype(np.float64)
    np.put_along_axis(pos, y.reshape(-1, 1), -np.sum(pos, axis=1, keepdims=True), axis=1)
    dx = pos / N
    return loss, dx


def softmax_loss(x, y):
    N = x.shape[0]
    shifted = x - np.max(x, axis=1, keepdims=True)
    log_z = np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    log_probs = shifted - log_z
    loss = -np.sum(np.take_along_axis(log_probs, y.reshape(-1, 1), axis=1)) / N
    dx = np.exp(log_probs)
    dx[np.arange(N), y] -= 1.0
    dx = dx / N
    return loss, dx


def softmax_loss_smoothed(x, y, epsilon=0.1):
    N, C = x.shape
    shifted = x - np.max(x, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    targets = np.eye(C)[y] * (1.0 - epsilon - epsilon / (C - 1)) + epsilon / (C - 1)
    loss = -np.sum(targets * log_probs) / N
    dx = (np.exp(log_probs) - targets) / N
    return loss, dx


def batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param['mode']
    eps = bn_param.get('eps', 1e-5)
    momentum = bn_param.get('momentum', 0.9)
    N, D = x.shape
    running_mean = bn_param.get('running_mean', np.zeros(D, dtype=x.dtype))
    running_var = bn_param.get('running_var', np.zeros(D, dtype=x.dtype))

    if mode == 'train':
        mu = np.mean(x, axis=0, keepdims=True)                      # (1, D)
        var = np.mean((x - mu) ** 2, axis=0, keepdims=True)        # (1, D), biased
        std = np.sqrt(var + eps)
        x_hat = (x - mu) / std
        out = gamma.reshape(1, D) * x_hat + beta.reshape(1, D)
        cache = (x, mu, var, std, x_hat, gamma.reshape(1, D))
        bn_param['running_mean'] = momentum * running_mean + (1 - momentum) * mu.reshape(D)
        bn_param['running_var'] = momentum * running_var + (1 - momentum) * var.reshape(D)
    elif mode == 'test':
        x_hat = (x - running_mean) / np.sqrt(running_var + eps)
        out = gamma * x_hat + beta
        cache = None
    else:
        raise ValueError('Invalid forward batchnorm mode "%s"' % mode)
    return out, cache


def batchnorm_backward(dout, cache):
    x, mu, var, std, x_hat, gamma = cache
    N = x.shape[0]
    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(dout * x_hat, axis=0)
    dx_hat = dout * gamma
    dvar = np.sum(dx_hat * (x - mu), axis=0, keepdims=True) * (-0.5) * std ** (-3)
    dmu = (np.sum(-dx_hat / std, axis=0, keepdims=True)
           + dvar * np.sum(-2.0 * (x - mu), axis=0, keepdims=True) / N)
    dx = dx_hat / std + dvar * 2.0 * (x - mu) / N + dmu / N
    return dx, dgamma, dbeta


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    N, C, H, W = x.shape
    x2 = np.swapaxes(x, 1, 3).reshape(-1, C)          # (N, W, H, C) -> (N*W*H, C)
    out2, cache = batchnorm_forward(x2, gamma, beta, bn_param)
    out = np.swapaxes(out2.reshape(N, W, H, C), 1, 3)
    return out, cache


def spatial_batchnorm_backward(dout, cache):
    N, C, H, W = dout.shape
    d2 = np.swapaxes(dout, 1, 3).reshape(-1, C)
    dx2, dgamma, dbeta = batchnorm_backward(d2, cache)
    dx = np.swapaxes(dx2.reshape(N, W, H, C), 1, 3)
    return dx, dgamma, dbeta


def layernorm_forward(x, gamma, beta, ln_param):
    eps = ln_param.get('eps', 1e-5)
    mu = np.mean(x, axis=1, keepdims=True)                 # (N, 1)
    var = np.mean((x - mu) ** 2, axis=1, keepdims=True)    # (N, 1)
    std = np.sqrt(var + eps)
    x_hat = (x - mu) / std
    out = gamma * x_hat + beta
    cache = (x_hat, std, gamma)
    return out, cache


def layernorm_backward(dout, cache):
    x_hat, std, gamma = cache
    D = dout.shape[1]
    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(dout * x_hat, axis=0)
    g = dout * gamma
    dx = (g - np.mean(g, axis=1, keepdims=True)
          - x_hat * np.mean(g * x_hat, axis=1, keepdims=True)) / std
    return dx, dgamma, dbeta


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
    p, mode = dropout_param['p'], dropout_param['mode']
    if 'seed' in dropout_param:
        np.random.seed(dropout_param['seed'])

    mask = None
    out = None
    if mode == 'train':
        mask = (np.random.uniform(0.0, 1.0, size=x.shape) < p) / p
        out = x * mask
    elif mode == 'test':
        out = x
    cache = (dropout_param, mask)
    return out, cache


def dropout_backward(dout, cache):
    dropout_param, mask = cache
    if dropout_param['mode'] == 'train':
        return dout * mask
    return dout


def l2_regularization(w, reg):
    loss = 0.5 * reg * np.linalg.norm(w) ** 2
    dw = reg * w
    return float(loss), dw


def l1_regularization(w, reg):
    loss = reg * np.linalg.norm(w.ravel(), ord=1)
    dw = reg * np.sign(w)
    return float(loss), dw


def elastic_net_regularization(w, l1, l2):
    loss = l1 * np.linalg.norm(w.ravel(), ord=1) + 0.5 * l2 * np.linalg.norm(w) ** 2
    dw = l1 * np.sign(w) + l2 * w
    return float(loss), dw
