"""Layers, activations, losses, normalization, dropout and regularizers."""

import numpy as np


def affine_forward(x, w, b):
    return x.reshape(x.shape[0], -1) @ w + b, (x, w, b)


def affine_backward(dout, cache):
    x, w, _ = cache
    return (dout @ w.T).reshape(x.shape), x.reshape(x.shape[0], -1).T @ dout, dout.sum(0)


def relu_forward(x):
    return x * (x > 0), x


def relu_backward(dout, cache):
    return dout * (cache > 0)


def leaky_relu_forward(x, alpha=0.01):
    return np.maximum(x, alpha * x), (x, alpha)


def leaky_relu_backward(dout, cache):
    x, alpha = cache
    return dout * np.where(x > alpha * x, 1.0, alpha)


def prelu_forward(x, alpha):
    return np.where(x > 0, x, x * alpha), (x, alpha)


def prelu_backward(dout, cache):
    x, alpha = cache
    neg = x <= 0
    return dout * np.where(neg, alpha, 1.0), (dout * x * neg).sum(0)


def elu_forward(x, alpha=1.0):
    return np.where(x > 0, x, alpha * np.expm1(np.fmin(x, 0))), (x, alpha)


def elu_backward(dout, cache):
    x, alpha = cache
    return dout * np.where(x > 0, 1.0, alpha * np.exp(np.fmin(x, 0)))


def sigmoid_forward(x):
    e = np.exp(-np.abs(x))
    s = np.where(x >= 0, 1, e) / (1 + e)
    return s, s


def sigmoid_backward(dout, cache):
    return dout * cache * (1 - cache)


def tanh_forward(x):
    t = np.tanh(x)
    return t, t


def tanh_backward(dout, cache):
    return dout * (1 - cache * cache)


def softplus_forward(x):
    return np.logaddexp(0, x), x


def softplus_backward(dout, cache):
    return dout * sigmoid_forward(cache)[0]


def maxout_forward(x, w, b):
    z = np.einsum('nd,dmk->nmk', x, w) + b
    k = z.argmax(-1)[..., None]
    return np.take_along_axis(z, k, -1)[..., 0], (x, w, k)


def maxout_backward(dout, cache):
    x, w, k = cache
    dz = np.zeros(dout.shape + (w.shape[2],))
    np.put_along_axis(dz, k, dout[..., None], -1)
    return np.einsum('nmk,dmk->nd', dz, w), np.einsum('nd,nmk->dmk', x, dz), dz.sum(0)


def svm_loss(x, y):
    n = np.arange(len(y))
    m = np.maximum(0, x - x[n, y, None] + 1)
    m[n, y] = 0
    g = (m > 0).astype(float)
    g[n, y] = -g.sum(1)
    return m.sum() / len(y), g / len(y)


def _logsoftmax(x):
    z = x - x.max(1, keepdims=True)
    return z - np.log(np.exp(z).sum(1, keepdims=True))


def softmax_loss(x, y):
    n = np.arange(len(y))
    lp = _logsoftmax(x)
    dx = np.exp(lp)
    dx[n, y] -= 1
    return -lp[n, y].mean(), dx / len(y)


def softmax_loss_smoothed(x, y, epsilon=0.1):
    N, C = x.shape
    t = np.full((N, C), epsilon / (C - 1))
    t[np.arange(N), y] = 1 - epsilon
    lp = _logsoftmax(x)
    return -(t * lp).sum(1).mean(), (np.exp(lp) - t) / N


def batchnorm_forward(x, gamma, beta, bn_param):
    mode, eps, mom = bn_param['mode'], bn_param.get('eps', 1e-5), bn_param.get('momentum', 0.9)
    rm = bn_param.get('running_mean', np.zeros(x.shape[1]))
    rv = bn_param.get('running_var', np.zeros(x.shape[1]))
    if mode == 'train':
        mu, var = x.mean(0), x.var(0)
        istd = (var + eps) ** -0.5
        xh = (x - mu) * istd
        bn_param['running_mean'], bn_param['running_var'] = mom * rm + (1 - mom) * mu, mom * rv + (1 - mom) * var
        return gamma * xh + beta, (xh, gamma, istd)
    if mode == 'test':
        return gamma * (x - rm) * (rv + eps) ** -0.5 + beta, None
    raise ValueError(f'Invalid forward batchnorm mode {mode!r}')


def batchnorm_backward(dout, cache):
    xh, gamma, istd = cache
    db, dg = dout.sum(0), (dout * xh).sum(0)
    return gamma * istd * (dout - db / len(dout) - xh * dg / len(dout)), dg, db


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    N, C, H, W = x.shape
    out, cache = batchnorm_forward(x.transpose(0, 2, 3, 1).reshape(-1, C), gamma, beta, bn_param)
    return out.reshape(N, H, W, C).transpose(0, 3, 1, 2), cache


def spatial_batchnorm_backward(dout, cache):
    N, C, H, W = dout.shape
    dx, dg, db = batchnorm_backward(dout.transpose(0, 2, 3, 1).reshape(-1, C), cache)
    return dx.reshape(N, H, W, C).transpose(0, 3, 1, 2), dg, db


def layernorm_forward(x, gamma, beta, ln_param):
    mu, var = x.mean(1, keepdims=True), x.var(1, keepdims=True)
    istd = (var + ln_param.get('eps', 1e-5)) ** -0.5
    xh = (x - mu) * istd
    return gamma * xh + beta, (xh, gamma, istd)


def layernorm_backward(dout, cache):
    xh, gamma, istd = cache
    g = dout * gamma
    dx = istd * (g - g.mean(1, keepdims=True) - xh * (g * xh).mean(1, keepdims=True))
    return dx, (dout * xh).sum(0), dout.sum(0)


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    # group norm == layer norm on rows of (N*G, C//G*H*W), then per-channel affine
    N, C, H, W = x.shape
    rows = x.reshape(N * G, -1)
    xh_rows, ln_cache = layernorm_forward(rows, 1.0, 0.0, gn_param)
    xh = xh_rows.reshape(x.shape)
    return gamma * xh + beta, (ln_cache, xh, gamma, G)


def spatial_groupnorm_backward(dout, cache):
    ln_cache, xh, gamma, G = cache
    N, C, H, W = dout.shape
    dx_rows, _, _ = layernorm_backward((dout * gamma).reshape(N * G, -1), ln_cache)
    return (dx_rows.reshape(dout.shape),
            (dout * xh).sum((0, 2, 3), keepdims=True),
            dout.sum((0, 2, 3), keepdims=True))


def dropout_forward(x, dropout_param):
    p, mode, seed = dropout_param['p'], dropout_param['mode'], dropout_param.get('seed')
    if seed is not None:
        np.random.seed(seed)
    if mode != 'train':
        return x, (dropout_param, None)
    mask = (np.random.rand(*x.shape) < p) / p
    return x * mask, (dropout_param, mask)


def dropout_backward(dout, cache):
    dropout_param, mask = cache
    return dout * mask if dropout_param['mode'] == 'train' else dout


def l2_regularization(w, reg):
    return 0.5 * reg * (w ** 2).sum(), reg * w


def l1_regularization(w, reg):
    return reg * np.abs(w).sum(), reg * np.sign(w)


def elastic_net_regularization(w, l1, l2):
    return l1 * np.abs(w).sum() + 0.5 * l2 * (w ** 2).sum(), l1 * np.sign(w) + l2 * w
