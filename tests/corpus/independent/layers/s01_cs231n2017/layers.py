from builtins import range
import numpy as np


def affine_forward(x, w, b):
    """
    Computes the forward pass for an affine (fully-connected) layer.

    Inputs:
    - x: A numpy array containing input data, of shape (N, d_1, ..., d_k)
    - w: A numpy array of weights, of shape (D, M)
    - b: A numpy array of biases, of shape (M,)

    Returns a tuple of:
    - out: output, of shape (N, M)
    - cache: (x, w, b)
    """
    out = None
    ###########################################################################
    # TODO: Implement the affine forward pass. Store the result in out. You   #
    # will need to reshape the input into rows.                               #
    ###########################################################################
    N = x.shape[0]
    x_rows = x.reshape(N, -1)
    out = x_rows.dot(w) + b
    ###########################################################################
    #                             END OF YOUR CODE                            #
    ###########################################################################
    cache = (x, w, b)
    return out, cache


def affine_backward(dout, cache):
    """
    Computes the backward pass for an affine layer.
    """
    x, w, b = cache
    dx, dw, db = None, None, None
    ###########################################################################
    # TODO: Implement the affine backward pass.                               #
    ###########################################################################
    N = x.shape[0]
    x_rows = x.reshape(N, -1)
    dx = dout.dot(w.T).reshape(x.shape)
    dw = x_rows.T.dot(dout)
    db = np.sum(dout, axis=0)
    ###########################################################################
    #                             END OF YOUR CODE                            #
    ###########################################################################
    return dx, dw, db


def relu_forward(x):
    """
    Computes the forward pass for a layer of rectified linear units (ReLUs).
    """
    out = None
    out = np.maximum(0, x)
    cache = x
    return out, cache


def relu_backward(dout, cache):
    """
    Computes the backward pass for a layer of rectified linear units (ReLUs).
    """
    dx, x = None, cache
    dx = dout.copy()
    dx[x <= 0] = 0
    return dx


def leaky_relu_forward(x, alpha=0.01):
    out = np.maximum(alpha * x, x)
    cache = (x, alpha)
    return out, cache


def leaky_relu_backward(dout, cache):
    x, alpha = cache
    dx = dout.copy()
    # slope is 1 where x "wins" the max, alpha otherwise (ties -> alpha)
    dx[~(x > alpha * x)] *= alpha
    return dx


def prelu_forward(x, alpha):
    out = x.copy()
    neg = x <= 0
    out[neg] = (alpha * x)[neg]
    cache = (x, alpha)
    return out, cache


def prelu_backward(dout, cache):
    x, alpha = cache
    neg = (x <= 0)
    dx = dout.copy()
    dx[neg] = (dout * alpha)[neg]
    dalpha = np.sum(dout * x * neg, axis=0)
    return dx, dalpha


def elu_forward(x, alpha=1.0):
    out = x.copy()
    neg = x <= 0
    out[neg] = alpha * np.expm1(x[neg])
    cache = (x, alpha)
    return out, cache


def elu_backward(dout, cache):
    x, alpha = cache
    dx = dout.copy()
    neg = x <= 0
    dx[neg] = dout[neg] * alpha * np.exp(x[neg])
    return dx


def sigmoid_forward(x):
    out = np.empty_like(x)
    pos = x >= 0
    neg = ~pos
    out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
    ex = np.exp(x[neg])
    out[neg] = ex / (1.0 + ex)
    cache = out
    return out, cache


def sigmoid_backward(dout, cache):
    out = cache
    dx = dout * out * (1.0 - out)
    return dx


def tanh_forward(x):
    out = np.tanh(x)
    cache = out
    return out, cache


def tanh_backward(dout, cache):
    out = cache
    dx = dout * (1.0 - out ** 2)
    return dx


def softplus_forward(x):
    out = np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))
    cache = x
    return out, cache


def softplus_backward(dout, cache):
    x = cache
    s, _ = sigmoid_forward(x)
    dx = dout * s
    return dx


def maxout_forward(x, w, b):
    N, D = x.shape
    _, M, K = w.shape
    z = np.zeros((N, M, K))
    for k in range(K):
        z[:, :, k] = x.dot(w[:, :, k]) + b[:, k]
    idx = np.argmax(z, axis=2)
    out = np.max(z, axis=2)
    cache = (x, w, b, idx)
    return out, cache


def maxout_backward(dout, cache):
    x, w, b, idx = cache
    _, M, K = w.shape
    dx = np.zeros_like(x)
    dw = np.zeros_like(w)
    db = np.zeros_like(b)
    for k in range(K):
        dz = dout * (idx == k)
        dx += dz.dot(w[:, :, k].T)
        dw[:, :, k] = x.T.dot(dz)
        db[:, k] = np.sum(dz, axis=0)
    return dx, dw, db


def svm_loss(x, y):
    """
    Computes the loss and gradient using for multiclass SVM classification.
    """
    N = x.shape[0]
    correct_class_scores = x[np.arange(N), y]
    margins = np.maximum(0, x - correct_class_scores[:, np.newaxis] + 1.0)
    margins[np.arange(N), y] = 0
    loss = np.sum(margins) / N
    num_pos = np.sum(margins > 0, axis=1)
    dx = np.zeros_like(x)
    dx[margins > 0] = 1
    dx[np.arange(N), y] -= num_pos
    dx /= N
    return loss, dx


def softmax_loss(x, y):
    """
    Computes the loss and gradient for softmax classification.
    """
    shifted_logits = x - np.max(x, axis=1, keepdims=True)
    Z = np.sum(np.exp(shifted_logits), axis=1, keepdims=True)
    log_probs = shifted_logits - np.log(Z)
    probs = np.exp(log_probs)
    N = x.shape[0]
    loss = -np.sum(log_probs[np.arange(N), y]) / N
    dx = probs.copy()
    dx[np.arange(N), y] -= 1
    dx /= N
    return loss, dx


def softmax_loss_smoothed(x, y, epsilon=0.1):
    N, C = x.shape
    shifted_logits = x - np.max(x, axis=1, keepdims=True)
    Z = np.sum(np.exp(shifted_logits), axis=1, keepdims=True)
    log_probs = shifted_logits - np.log(Z)
    probs = np.exp(log_probs)
    target = np.full((N, C), epsilon / (C - 1))
    target[np.arange(N), y] = 1.0 - epsilon
    loss = -np.sum(target * log_probs) / N
    dx = (probs - target) / N
    return loss, dx


def batchnorm_forward(x, gamma, beta, bn_param):
    """
    Forward pass for batch normalization.
    """
    mode = bn_param['mode']
    eps = bn_param.get('eps', 1e-5)
    momentum = bn_param.get('momentum', 0.9)

    N, D = x.shape
    running_mean = bn_param.get('running_mean', np.zeros(D, dtype=x.dtype))
    running_var = bn_param.get('running_var', np.zeros(D, dtype=x.dtype))

    out, cache = None, None
    if mode == 'train':
        sample_mean = np.mean(x, axis=0)
        sample_var = np.var(x, axis=0)
        x_norm = (x - sample_mean) / np.sqrt(sample_var + eps)
        out = gamma * x_norm + beta
        cache = (x, x_norm, sample_mean, sample_var, eps, gamma, beta)

        running_mean = momentum * running_mean + (1 - momentum) * sample_mean
        running_var = momentum * running_var + (1 - momentum) * sample_var
    elif mode == 'test':
        x_norm = (x - running_mean) / np.sqrt(running_var + eps)
        out = gamma * x_norm + beta
    else:
        raise ValueError('Invalid forward batchnorm mode "%s"' % mode)

    # Store the updated running means back into bn_param
    bn_param['running_mean'] = running_mean
    bn_param['running_var'] = running_var

    return out, cache


def batchnorm_backward(dout, cache):
    """
    Backward pass for batch normalization (staged computational graph).
    """
    x, x_norm, mu, var, eps, gamma, beta = cache
    N = x.shape[0]

    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(dout * x_norm, axis=0)

    dx_norm = dout * gamma
    x_mu = x - mu
    std_inv = 1. / np.sqrt(var + eps)

    dvar = np.sum(dx_norm * x_mu, axis=0) * -.5 * std_inv ** 3
    dmu = np.sum(dx_norm * -std_inv, axis=0) + dvar * np.mean(-2. * x_mu, axis=0)

    dx = (dx_norm * std_inv) + (dvar * 2 * x_mu / N) + (dmu / N)
    return dx, dgamma, dbeta


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    N, C, H, W = x.shape
    x_flat = x.transpose(0, 2, 3, 1).reshape(-1, C)
    out_flat, cache = batchnorm_forward(x_flat, gamma, beta, bn_param)
    out = out_flat.reshape(N, H, W, C).transpose(0, 3, 1, 2)
    return out, cache


def spatial_batchnorm_backward(dout, cache):
    N, C, H, W = dout.shape
    dout_flat = dout.transpose(0, 2, 3, 1).reshape(-1, C)
    dx_flat, dgamma, dbeta = batchnorm_backward(dout_flat, cache)
    dx = dx_flat.reshape(N, H, W, C).transpose(0, 3, 1, 2)
    return dx, dgamma, dbeta


def layernorm_forward(x, gamma, beta, ln_param):
    eps = ln_param.get('eps', 1e-5)
    mu = np.mean(x, axis=1, keepdims=True)
    var = np.var(x, axis=1, keepdims=True)
    x_norm = (x - mu) / np.sqrt(var + eps)
    out = gamma * x_norm + beta
    cache = (x, x_norm, mu, var, eps, gamma, beta)
    return out, cache


def layernorm_backward(dout, cache):
    x, x_norm, mu, var, eps, gamma, beta = cache
    D = x.shape[1]

    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(dout * x_norm, axis=0)

    dx_norm = dout * gamma
    x_mu = x - mu
    std_inv = 1. / np.sqrt(var + eps)

    dvar = np.sum(dx_norm * x_mu, axis=1, keepdims=True) * -.5 * std_inv ** 3
    dmu = np.sum(dx_norm * -std_inv, axis=1, keepdims=True) + dvar * np.mean(-2. * x_mu, axis=1, keepdims=True)

    dx = (dx_norm * std_inv) + (dvar * 2 * x_mu / D) + (dmu / D)
    return dx, dgamma, dbeta


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    eps = gn_param.get('eps', 1e-5)
    N, C, H, W = x.shape
    x_group = x.reshape(N, G, C // G, H, W)
    mu = np.mean(x_group, axis=(2, 3, 4), keepdims=True)
    var = np.var(x_group, axis=(2, 3, 4), keepdims=True)
    x_norm = ((x_group - mu) / np.sqrt(var + eps)).reshape(N, C, H, W)
    out = gamma * x_norm + beta
    cache = (x, x_norm, mu, var, eps, gamma, G)
    return out, cache


def spatial_groupnorm_backward(dout, cache):
    x, x_norm, mu, var, eps, gamma, G = cache
    N, C, H, W = dout.shape
    m = (C // G) * H * W

    dbeta = np.sum(dout, axis=(0, 2, 3), keepdims=True)
    dgamma = np.sum(dout * x_norm, axis=(0, 2, 3), keepdims=True)

    dx_norm = (dout * gamma).reshape(N, G, C // G, H, W)
    x_mu = x.reshape(N, G, C // G, H, W) - mu
    std_inv = 1. / np.sqrt(var + eps)

    dvar = np.sum(dx_norm * x_mu, axis=(2, 3, 4), keepdims=True) * -.5 * std_inv ** 3
    dmu = np.sum(dx_norm * -std_inv, axis=(2, 3, 4), keepdims=True) + \
        dvar * np.mean(-2. * x_mu, axis=(2, 3, 4), keepdims=True)
    dx = (dx_norm * std_inv) + (dvar * 2 * x_mu / m) + (dmu / m)
    dx = dx.reshape(N, C, H, W)
    return dx, dgamma, dbeta


def dropout_forward(x, dropout_param):
    """
    Performs the forward pass for (inverted) dropout.
    """
    p, mode = dropout_param['p'], dropout_param['mode']
    if 'seed' in dropout_param:
        np.random.seed(dropout_param['seed'])

    mask = None
    out = None

    if mode == 'train':
        mask = (np.random.rand(*x.shape) < p) / p
        out = x * mask
    elif mode == 'test':
        out = x

    cache = (dropout_param, mask)
    out = out.astype(x.dtype, copy=False)

    return out, cache


def dropout_backward(dout, cache):
    """
    Perform the backward pass for (inverted) dropout.
    """
    dropout_param, mask = cache
    mode = dropout_param['mode']

    dx = None
    if mode == 'train':
        dx = dout * mask
    elif mode == 'test':
        dx = dout
    return dx


def l2_regularization(w, reg):
    loss = 0.5 * reg * np.sum(w * w)
    dw = reg * w
    return loss, dw


def l1_regularization(w, reg):
    loss = reg * np.sum(np.abs(w))
    dw = reg * np.sign(w)
    return loss, dw


def elastic_net_regularization(w, l1, l2):
    loss = l1 * np.sum(np.abs(w)) + 0.5 * l2 * np.sum(w * w)
    dw = l1 * np.sign(w) + l2 * w
    return loss, dw
