"""Layers, activations, losses, normalization, dropout and regularizers.

Every layer comes as a pair of functions:

- ``*_forward(...)`` computes the output of the layer and returns ``(out, cache)``, where
  ``cache`` holds whatever the backward pass will need;
- ``*_backward(dout, cache)`` receives the upstream gradient ``dout`` and the ``cache`` of
  the matching forward call, and returns the gradients of the loss with respect to the inputs.
"""

import numpy as np


def affine_forward(x, w, b):
    N = x.shape[0]
    x_row = x.reshape(N, -1)
    out = np.matmul(x_row, w) + b
    cache = (x, w, b)
    return out, cache


def affine_backward(dout, cache):
    x, w, b = cache
    N = x.shape[0]
    dx = np.matmul(dout, w.T)
    dx = dx.reshape(x.shape)
    dw = np.matmul(x.reshape(N, -1).T, dout)
    db = dout.sum(axis=0)
    return dx, dw, db


def relu_forward(x):
    out = np.maximum(x, 0)
    cache = x
    return out, cache


def relu_backward(dout, cache):
    x = cache
    dx = np.multiply(dout, x >= 0)
    return dx


def leaky_relu_forward(x, alpha=0.01):
    out = np.maximum(alpha * x, x)
    cache = (x, alpha)
    return out, cache


def leaky_relu_backward(dout, cache):
    x, alpha = cache
    local_grad = np.where(x > alpha * x, 1.0, alpha)
    dx = np.multiply(dout, local_grad)
    return dx


def prelu_forward(x, alpha):
    out = np.where(x > 0, x, np.multiply(alpha, x))
    cache = (x, alpha)
    return out, cache


def prelu_backward(dout, cache):
    x, alpha = cache
    is_neg = (x <= 0)
    dx = np.where(is_neg, np.multiply(alpha, dout), dout)
    dalpha = np.sum(np.multiply(dout, x) * is_neg, axis=0)
    return dx, dalpha


def elu_forward(x, alpha=1.0):
    safe = np.minimum(x, 0)            # so exp never sees big positive numbers
    out = np.where(x > 0, x, alpha * np.expm1(safe))
    cache = (x, alpha)
    return out, cache


def elu_backward(dout, cache):
    x, alpha = cache
    safe = np.minimum(x, 0)
    dx = dout * np.where(x > 0, 1.0, alpha * np.exp(safe))
    return dx


def sigmoid_forward(x):
    out = np.zeros(x.shape)
    p = x >= 0
    n = x < 0
    out[p] = 1 / (1 + np.exp(-x[p]))
    out[n] = np.exp(x[n]) / (1 + np.exp(x[n]))
    cache = out
    return out, cache


def sigmoid_backward(dout, cache):
    sig = cache
    dx = dout * sig * (1 - sig)
    return dx


def tanh_forward(x):
    out = np.tanh(x)
    cache = out
    return out, cache


def tanh_backward(dout, cache):
    th = cache
    dx = dout * (1 - th ** 2)
    return dx


def softplus_forward(x):
    out = np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))
    cache = x
    return out, cache


def softplus_backward(dout, cache):
    x = cache
    sig, _ = sigmoid_forward(x)
    dx = dout * sig
    return dx


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
    num_train = x.shape[0]
    scores_y = x[np.arange(num_train), y].reshape(num_train, 1)
    margins = np.maximum(0, x - scores_y + 1)
    margins[np.arange(num_train), y] = 0
    loss = np.sum(margins) / num_train

    binary = margins
    binary[margins > 0] = 1
    row_sum = np.sum(binary, axis=1)
    binary[np.arange(num_train), y] = -row_sum
    dx = binary / num_train
    return loss, dx


def softmax_loss(x, y):
    num_train = x.shape[0]
    logits = x - np.max(x, axis=1, keepdims=True)
    log_sum_exp = np.log(np.sum(np.exp(logits), axis=1, keepdims=True))
    log_probs = logits - log_sum_exp
    loss = -np.sum(log_probs[np.arange(num_train), y]) / num_train
    dx = np.exp(log_probs)
    dx[np.arange(num_train), y] -= 1
    dx = dx / num_train
    return loss, dx


def softmax_loss_smoothed(x, y, epsilon=0.1):
    num_train, num_classes = x.shape
    logits = x - np.max(x, axis=1, keepdims=True)
    log_probs = logits - np.log(np.sum(np.exp(logits), axis=1, keepdims=True))
    target = np.zeros_like(x) + epsilon / (num_classes - 1)
    target[np.arange(num_train), y] = 1 - epsilon
    loss = -np.sum(target * log_probs) / num_train
    dx = (np.exp(log_probs) - target) / num_train
    return loss, dx


def batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param['mode']
    eps = bn_param.get('eps', 1e-5)
    momentum = bn_param.get('momentum', 0.9)

    N, D = x.shape
    running_mean = bn_param.get('running_mean', np.zeros(D, dtype=x.dtype))
    running_var = bn_param.get('running_var', np.zeros(D, dtype=x.dtype))

    out, cache = None, None
    if mode == 'train':
        mu = np.mean(x, axis=0)
        var = np.var(x, axis=0)
        std_inv = 1.0 / np.sqrt(var + eps)
        x_mu = x - mu
        x_norm = x_mu * std_inv
        out = gamma * x_norm + beta
        cache = (x_mu, std_inv, x_norm, gamma)
        running_mean = momentum * running_mean + (1 - momentum) * mu
        running_var = momentum * running_var + (1 - momentum) * var
    elif mode == 'test':
        x_norm = (x - running_mean) / np.sqrt(running_var + eps)
        out = gamma * x_norm + beta
    else:
        raise ValueError('Invalid forward batchnorm mode "%s"' % mode)

    bn_param['running_mean'] = running_mean
    bn_param['running_var'] = running_var
    return out, cache


def batchnorm_backward(dout, cache):
    x_mu, std_inv, x_norm, gamma = cache
    N, D = dout.shape

    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(dout * x_norm, axis=0)

    dx_norm = dout * gamma
    # gradient w.r.t. the mean (x_norm depends on mu directly)
    dmu = np.sum(-dx_norm * std_inv, axis=0)
    # direct path + mean path
    dx = dx_norm * std_inv + dmu / N
    return dx, dgamma, dbeta


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param['mode']
    eps = bn_param.get('eps', 1e-5)
    momentum = bn_param.get('momentum', 0.9)
    N, C, H, W = x.shape
    running_mean = bn_param.get('running_mean', np.zeros(C, dtype=x.dtype))
    running_var = bn_param.get('running_var', np.zeros(C, dtype=x.dtype))

    x2 = x.transpose(0, 2, 3, 1).reshape(-1, C)
    if mode == 'train':
        mu = x2.mean(axis=0)
        var = x2.var(axis=0)
        std_inv = 1.0 / np.sqrt(var + eps)
        x_norm = (x2 - mu) * std_inv
        out2 = gamma * x_norm + beta
        cache = (x_norm, std_inv, gamma, (N, C, H, W))
        bn_param['running_mean'] = momentum * running_mean + (1 - momentum) * mu
        bn_param['running_var'] = momentum * running_var + (1 - momentum) * var
    elif mode == 'test':
        out2 = gamma * (x2 - running_mean) / np.sqrt(running_var + eps) + beta
        cache = None
    else:
        raise ValueError('Invalid forward batchnorm mode "%s"' % mode)
    out = out2.reshape(N, H, W, C).transpose(0, 3, 1, 2)
    return out, cache


def spatial_batchnorm_backward(dout, cache):
    x_norm, std_inv, gamma, (N, C, H, W) = cache
    d2 = dout.transpose(0, 2, 3, 1).reshape(-1, C)
    m = d2.shape[0]
    dbeta = d2.sum(axis=0)
    dgamma = (d2 * x_norm).sum(axis=0)
    dxn = d2 * gamma
    dx2 = std_inv / m * (m * dxn - dxn.sum(axis=0) - x_norm * (dxn * x_norm).sum(axis=0))
    dx = dx2.reshape(N, H, W, C).transpose(0, 3, 1, 2)
    return dx, dgamma, dbeta


def layernorm_forward(x, gamma, beta, ln_param):
    eps = ln_param.get('eps', 1e-5)
    mu = np.mean(x, axis=1, keepdims=True)
    var = np.var(x, axis=1, keepdims=True)
    std_inv = 1.0 / np.sqrt(var + eps)
    x_norm = (x - mu) * std_inv
    out = gamma * x_norm + beta
    cache = (x_norm, std_inv, gamma)
    return out, cache


def layernorm_backward(dout, cache):
    x_norm, std_inv, gamma = cache
    N, D = dout.shape
    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(dout * x_norm, axis=0)
    dxn = dout * gamma
    dx = std_inv / D * (D * dxn - np.sum(dxn, axis=1, keepdims=True)
                        - x_norm * np.sum(dxn * x_norm, axis=1, keepdims=True))
    return dx, dgamma, dbeta


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    eps = gn_param.get('eps', 1e-5)
    N, C, H, W = x.shape
    xg = x.reshape(N, G, -1)
    mu = xg.mean(axis=2, keepdims=True)
    var = xg.var(axis=2, keepdims=True)
    std_inv = 1.0 / np.sqrt(var + eps)
    x_norm = ((xg - mu) * std_inv).reshape(N, C, H, W)
    out = gamma * x_norm + beta
    cache = (x_norm, std_inv, gamma, G)
    return out, cache


def spatial_groupnorm_backward(dout, cache):
    x_norm, std_inv, gamma, G = cache
    N, C, H, W = dout.shape
    dbeta = np.sum(dout, axis=(0, 2, 3), keepdims=True)
    dgamma = np.sum(dout * x_norm, axis=(0, 2, 3), keepdims=True)
    dxn = (dout * gamma).reshape(N, G, -1)
    xn = x_norm.reshape(N, G, -1)
    m = xn.shape[2]
    dx = std_inv / m * (m * dxn - np.sum(dxn, axis=2, keepdims=True)
                        - xn * np.sum(dxn * xn, axis=2, keepdims=True))
    return dx.reshape(N, C, H, W), dgamma, dbeta


def dropout_forward(x, dropout_param):
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
    return out, cache


def dropout_backward(dout, cache):
    dropout_param, mask = cache
    mode = dropout_param['mode']
    if mode == 'train':
        dx = dout * mask
    elif mode == 'test':
        dx = dout
    return dx


def l2_regularization(w, reg):
    loss = 0.5 * reg * np.sum(w * w)
    # d/dw of w^2 is 2w
    dw = 2 * reg * w
    return loss, dw


def l1_regularization(w, reg):
    loss = reg * np.sum(np.abs(w))
    dw = reg * np.sign(w)
    return loss, dw


def elastic_net_regularization(w, l1, l2):
    loss = l1 * np.sum(np.abs(w)) + 0.5 * l2 * np.sum(w * w)
    dw = l1 * np.sign(w) + l2 * w
    return loss, dw
