"""Layers, activations, losses, normalization, dropout and regularizers.

HW2 - my implementation.
"""

import numpy as np


def affine_forward(x, w, b):
    # flatten every example into a row vector
    x_flat = x.astype(np.float64).reshape(x.shape[0], -1)
    out = x_flat @ w + b
    cache = (x_flat, w, b)
    return out, cache


def affine_backward(dout, cache):
    x_flat, w, b = cache
    dx = dout @ w.T
    dw = x_flat.T @ dout
    db = np.sum(dout, axis=0)
    return dx, dw, db


def relu_forward(x):
    out = np.maximum(0.0, x)
    cache = x > 0
    return out, cache


def relu_backward(dout, cache):
    active = cache
    return dout * active


def leaky_relu_forward(x, alpha=0.01):
    out = np.maximum(alpha * x, x)
    cache = (x > alpha * x, alpha)
    return out, cache


def leaky_relu_backward(dout, cache):
    passthrough, alpha = cache
    return np.where(passthrough, 1.0, alpha) * dout


def prelu_forward(x, alpha):
    positive = x > 0
    out = np.where(positive, x, alpha * x)
    return out, (x, alpha, positive)


def prelu_backward(dout, cache):
    x, alpha, positive = cache
    dx = np.where(positive, 1.0, alpha) * dout
    dalpha = np.sum(np.where(positive, 0.0, x) * dout, axis=0)
    return dx, dalpha


def elu_forward(x, alpha=1.0):
    negative = x <= 0
    out = np.where(negative, alpha * np.expm1(np.where(negative, x, 0.0)), x)
    return out, (x, alpha)


def elu_backward(dout, cache):
    x, alpha = cache
    negative = x <= 0
    local = np.where(negative, alpha * np.exp(np.where(negative, x, 0.0)), 1.0)
    return local * dout


def sigmoid_forward(x):
    neg_abs = -np.abs(x)
    e = np.exp(neg_abs)
    out = np.where(x >= 0, 1.0, e) / (1.0 + e)
    return out, out


def sigmoid_backward(dout, cache):
    s = cache
    return s * (1.0 - s) * dout


def tanh_forward(x):
    out = np.tanh(x)
    return out, out


def tanh_backward(dout, cache):
    return (1.0 - cache * cache) * dout


def softplus_forward(x):
    out = np.logaddexp(0.0, x)
    return out, x


def softplus_backward(dout, cache):
    x = cache
    e = np.exp(-np.abs(x))
    s = np.where(x >= 0, 1.0, e) / (1.0 + e)
    return s * dout


def maxout_forward(x, w, b):
    z = np.einsum('nd,dmk->nmk', x, w) + b
    winner = np.argmax(z, axis=2)
    out = np.max(z, axis=2)
    return out, (x, w, winner)


def maxout_backward(dout, cache):
    x, w, winner = cache
    K = w.shape[2]
    dz = np.zeros(dout.shape + (K,))
    for k in range(K):
        dz[:, :, k] = np.where(winner == k, dout, 0.0)
    dx = np.einsum('nmk,dmk->nd', dz, w)
    dw = np.einsum('nd,nmk->dmk', x, dz)
    db = dz.sum(axis=0)
    return dx, dw, db


def svm_loss(x, y):
    N = x.shape[0]
    idx = np.arange(N)
    margins = x - x[idx, y][:, np.newaxis] + 1.0
    margins[idx, y] = 0.0
    hinge = np.maximum(margins, 0.0)
    loss = hinge.sum() / N
    ind = (hinge > 0).astype(np.float64)
    ind[idx, y] = -ind.sum(axis=1)
    return loss, ind / N


def softmax_loss(x, y):
    N = x.shape[0]
    idx = np.arange(N)
    shifted = x - x.max(axis=1, keepdims=True)
    lse = np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    logp = shifted - lse
    loss = -logp[idx, y].sum() / N
    grad = np.exp(logp)
    grad[idx, y] -= 1.0
    return loss, grad / N


def softmax_loss_smoothed(x, y, epsilon=0.1):
    N, C = x.shape
    idx = np.arange(N)
    shifted = x - x.max(axis=1, keepdims=True)
    logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    t = np.full((N, C), epsilon / (C - 1))
    t[idx, y] = 1.0 - epsilon
    loss = -np.sum(t * logp) / N
    return loss, (np.exp(logp) - t) / N


def batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param['mode']
    eps = bn_param.get('eps', 1e-5)
    momentum = bn_param.get('momentum', 0.9)
    N, D = x.shape
    running_mean = bn_param.get('running_mean', np.zeros(D))
    running_var = bn_param.get('running_var', np.zeros(D))

    if mode == 'train':
        mean = np.mean(x, axis=0)
        var = np.var(x, axis=0)
        x_hat = (x - mean) / np.sqrt(var + eps)
        out = gamma * x_hat + beta
        cache = (x_hat, gamma, 1.0 / np.sqrt(var + eps))
        bn_param['running_mean'] = momentum * running_mean + (1.0 - momentum) * mean
        bn_param['running_var'] = momentum * running_var + (1.0 - momentum) * var
    elif mode == 'test':
        x_hat = (x - running_mean) / (np.sqrt(running_var) + eps)
        out = gamma * x_hat + beta
        cache = None
    else:
        raise ValueError('Invalid forward batchnorm mode "%s"' % mode)
    return out, cache


def batchnorm_backward(dout, cache):
    x_hat, gamma, inv_std = cache
    N = dout.shape[0]
    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(x_hat * dout, axis=0)
    dx = (gamma * inv_std / N) * (N * dout - dbeta - x_hat * dgamma)
    return dx, dgamma, dbeta


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param['mode']
    eps = bn_param.get('eps', 1e-5)
    momentum = bn_param.get('momentum', 0.9)
    N, C, H, W = x.shape
    running_mean = bn_param.get('running_mean', np.zeros(C))
    running_var = bn_param.get('running_var', np.zeros(C))
    ax = (0, 2, 3)
    g = gamma.reshape(1, C, 1, 1)
    b = beta.reshape(1, C, 1, 1)
    if mode == 'train':
        mean = np.mean(x, axis=ax, keepdims=True)
        var = np.var(x, axis=ax, keepdims=True)
        inv_std = 1.0 / np.sqrt(var + eps)
        x_hat = (x - mean) * inv_std
        bn_param['running_mean'] = momentum * running_mean + (1.0 - momentum) * mean.ravel()
        bn_param['running_var'] = momentum * running_var + (1.0 - momentum) * var.ravel()
        return g * x_hat + b, (x_hat, g, inv_std)
    elif mode == 'test':
        x_hat = (x - running_mean.reshape(1, C, 1, 1)) / np.sqrt(running_var.reshape(1, C, 1, 1) + eps)
        return g * x_hat + b, None
    raise ValueError('Invalid forward batchnorm mode "%s"' % mode)


def spatial_batchnorm_backward(dout, cache):
    x_hat, g, inv_std = cache
    N, C, H, W = dout.shape
    m = N * H * W
    ax = (0, 2, 3)
    dbeta = dout.sum(axis=ax)
    dgamma = (x_hat * dout).sum(axis=ax)
    dx = (g * inv_std / m) * (m * dout - dbeta.reshape(1, C, 1, 1) - x_hat * dgamma.reshape(1, C, 1, 1))
    return dx, dgamma, dbeta


def layernorm_forward(x, gamma, beta, ln_param):
    eps = ln_param.get('eps', 1e-5)
    mean = np.mean(x, axis=1, keepdims=True)
    var = np.var(x, axis=1, keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mean) * inv_std
    return gamma * x_hat + beta, (x_hat, gamma, inv_std)


def layernorm_backward(dout, cache):
    x_hat, gamma, inv_std = cache
    D = dout.shape[1]
    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(x_hat * dout, axis=0)
    g = dout * gamma
    dx = (inv_std / D) * (D * g - g.sum(axis=1, keepdims=True)
                          - x_hat * (g * x_hat).sum(axis=1, keepdims=True))
    return dx, dgamma, dbeta


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    eps = gn_param.get('eps', 1e-5)
    N, C, H, W = x.shape
    grouped = x.reshape(N, G, -1)
    mean = grouped.mean(axis=2, keepdims=True)
    var = grouped.var(axis=2, keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = ((grouped - mean) * inv_std).reshape(N, C, H, W)
    return gamma * x_hat + beta, (x_hat, gamma, inv_std, G)


def spatial_groupnorm_backward(dout, cache):
    x_hat, gamma, inv_std, G = cache
    N, C, H, W = dout.shape
    dgamma = np.sum(dout * x_hat, axis=(0, 2, 3), keepdims=True)
    dbeta = np.sum(dout, axis=(0, 2, 3), keepdims=True)
    g = (dout * gamma).reshape(N, G, -1)
    xh = x_hat.reshape(N, G, -1)
    m = g.shape[2]
    dx = (inv_std / m) * (m * g - g.sum(axis=2, keepdims=True)
                          - xh * (g * xh).sum(axis=2, keepdims=True))
    return dx.reshape(N, C, H, W), dgamma, dbeta


def dropout_forward(x, dropout_param):
    p = dropout_param['p']
    mode = dropout_param['mode']
    if 'seed' in dropout_param:
        np.random.seed(dropout_param['seed'])
    if mode == 'train':
        mask = (np.random.rand(*x.shape) < p) / p
        out = x * mask
    elif mode == 'test':
        mask = None
        out = x
    else:
        raise ValueError(mode)
    return out, (dropout_param, mask)


def dropout_backward(dout, cache):
    dropout_param, mask = cache
    return dout * mask if dropout_param['mode'] == 'train' else dout


def l2_regularization(w, reg):
    loss = 0.5 * reg * np.sum(np.square(w))
    return loss, reg * w


def l1_regularization(w, reg):
    loss = reg * np.sum(np.abs(w))
    return loss, reg * np.sign(w)


def elastic_net_regularization(w, l1, l2):
    loss = l1 * np.sum(np.abs(w)) + l2 * np.sum(np.square(w))
    dw = l1 * np.sign(w) + l2 * w
    return loss, dw
