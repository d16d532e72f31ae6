"""Layers, activations, losses, normalization, dropout and regularizers.

All three normalisation layers (batch / layer / group) share the two helpers
_normalize_forward and _normalize_backward below; they only differ in which axes the
statistics are taken over.
"""

import numpy as np


# ----------------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------------

def _stable_sigmoid(x):
    # sigma(x) = exp(-softplus(-x)); logaddexp never overflows
    return np.exp(-np.logaddexp(0.0, -x))


def _normalize_forward(x, axes, eps):
    """Return xhat and 1/std, statistics over `axes` (kept as size-1 dims)."""
    mu = np.mean(x, axis=axes, keepdims=True)
    var = np.mean((x - mu) ** 2, axis=axes, keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    return (x - mu) * inv_std, inv_std


def _normalize_backward(dxhat, xhat, inv_std, axes):
    """Gradient through xhat = (x - mean) / sqrt(var + eps), statistics over `axes`."""
    m = np.prod([dxhat.shape[a] for a in axes])
    mean_dxhat = np.mean(dxhat, axis=axes, keepdims=True)
    mean_dxhat_xhat = np.mean(dxhat * xhat, axis=axes, keepdims=True)
    return inv_std * (dxhat - mean_dxhat - xhat * mean_dxhat_xhat)


def _log_softmax(x):
    m = np.max(x, axis=1, keepdims=True)
    return x - m - np.log(np.sum(np.exp(x - m), axis=1, keepdims=True))


# ----------------------------------------------------------------------------------------

def affine_forward(x, w, b):
    out = x.reshape(len(x), w.shape[0]) @ w + b
    return out, (x, w, b)


def affine_backward(dout, cache):
    x, w, b = cache
    dx = (dout @ w.T).reshape(x.shape)
    dw = x.reshape(len(x), w.shape[0]).T @ dout
    db = dout.sum(axis=0)
    return dx, dw, db


def relu_forward(x):
    return np.maximum(x, 0.0), x


def relu_backward(dout, cache):
    x = cache
    return np.where(x > 0, dout, 0.0)


def leaky_relu_forward(x, alpha=0.01):
    return np.maximum(alpha * x, x), (x, alpha)


def leaky_relu_backward(dout, cache):
    x, alpha = cache
    return np.where(x > alpha * x, dout, alpha * dout)


def prelu_forward(x, alpha):
    return np.where(x > 0, x, alpha * x), (x, alpha)


def prelu_backward(dout, cache):
    x, alpha = cache
    dx = np.where(x > 0, dout, alpha * dout)
    dalpha = np.sum(np.where(x > 0, 0.0, dout * x), axis=0)
    return dx, dalpha


def elu_forward(x, alpha=1.0):
    xneg = np.minimum(x, 0.0)
    return np.where(x > 0, x, alpha * np.expm1(xneg)), (x, alpha)


def elu_backward(dout, cache):
    x, alpha = cache
    return np.where(x > 0, dout, dout * alpha * np.exp(np.minimum(x, 0.0)))


def sigmoid_forward(x):
    s = _stable_sigmoid(x)
    return s, s


def sigmoid_backward(dout, cache):
    s = cache
    return dout * s * (1.0 - s)


def tanh_forward(x):
    t = np.tanh(x)
    return t, t


def tanh_backward(dout, cache):
    return dout * (1.0 - cache ** 2)


def softplus_forward(x):
    return np.logaddexp(0.0, x), x


def softplus_backward(dout, cache):
    return dout * _stable_sigmoid(cache)


def maxout_forward(x, w, b):
    N, D = x.shape
    _, M, K = w.shape
    z = (x @ w.reshape(D, M * K)).reshape(N, M, K) + b
    winner = z.argmax(axis=2)
    out = z.max(axis=2)
    return out, (x, w, winner)


def maxout_backward(dout, cache):
    x, w, winner = cache
    N, D = x.shape
    _, M, K = w.shape
    dz = np.zeros((N, M, K))
    n_idx, m_idx = np.indices((N, M))
    dz[n_idx, m_idx, winner] = dout
    dz2 = dz.reshape(N, M * K)
    dx = dz2 @ w.reshape(D, M * K).T
    dw = (x.T @ dz2).reshape(D, M, K)
    db = dz.sum(axis=0)
    return dx, dw, db


def svm_loss(x, y):
    N = len(y)
    idx = np.arange(N)
    margins = np.maximum(0.0, x - x[idx, y].reshape(-1, 1) + 1.0)
    margins[idx, y] = 0.0
    loss = margins.sum() / N
    g = (margins > 0).astype(float)
    g[idx, y] -= g.sum(axis=1)
    return loss, g / N


def softmax_loss(x, y):
    N = len(y)
    logp = _log_softmax(x)
    loss = -logp[np.arange(N), y].sum() / N
    dx = np.exp(logp)
    dx[np.arange(N), y] -= 1.0
    dx /= N
    return loss, dx


def softmax_loss_smoothed(x, y, epsilon=0.1):
    N, C = x.shape
    logp = _log_softmax(x)
    t = np.full_like(logp, epsilon / (C - 1))
    t[np.arange(N), y] = 1.0 - epsilon
    loss = -(t * logp).sum() / N
    dx = (np.exp(logp) - t) / N
    return loss, dx


def batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param.get('mode')
    if mode not in ('train', 'test'):
        raise ValueError('Invalid forward batchnorm mode "%s"' % mode)
    eps = bn_param.get('eps', 1e-5)
    momentum = bn_param.get('momentum', 0.9)
    D = x.shape[1]
    running_mean = bn_param.get('running_mean', np.zeros(D, dtype=x.dtype))
    running_var = bn_param.get('running_var', np.zeros(D, dtype=x.dtype))

    if mode == 'test':
        xhat = (x - running_mean) / np.sqrt(running_var + eps)
        return gamma * xhat + beta, None

    xhat, inv_std = _normalize_forward(x, (0,), eps)
    mean = x.mean(axis=0)
    var = x.var(axis=0)
    bn_param['running_mean'] = momentum * running_mean + (1 - momentum) * mean
    bn_param['running_var'] = momentum * running_var + (1 - momentum) * var
    return gamma * xhat + beta, (xhat, gamma, inv_std)


def batchnorm_backward(dout, cache):
    xhat, gamma, inv_std = cache
    dgamma = np.sum(dout * xhat, axis=0)
    dbeta = np.sum(dout, axis=0)
    dx = _normalize_backward(dout * gamma, xhat, inv_std, (0,))
    return dx, dgamma, dbeta


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    N, C, H, W = x.shape
    out, cache = batchnorm_forward(x.transpose(0, 2, 3, 1).reshape(-1, C), gamma, beta, bn_param)
    return out.reshape(N, H, W, C).transpose(0, 3, 1, 2), cache


def spatial_batchnorm_backward(dout, cache):
    N, C, H, W = dout.shape
    dx, dgamma, dbeta = batchnorm_backward(dout.transpose(0, 2, 3, 1).reshape(-1, C), cache)
    return dx.reshape(N, H, W, C).transpose(0, 3, 1, 2), dgamma, dbeta


def layernorm_forward(x, gamma, beta, ln_param):
    xhat, inv_std = _normalize_forward(x, (1,), ln_param.get('eps', 1e-5))
    return gamma * xhat + beta, (xhat, gamma, inv_std)


def layernorm_backward(dout, cache):
    xhat, gamma, inv_std = cache
    dgamma = np.sum(dout * xhat, axis=0)
    dbeta = np.sum(dout, axis=0)
    dx = _normalize_backward(dout * gamma, xhat, inv_std, (1,))
    return dx, dgamma, dbeta


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    N, C, H, W = x.shape
    xg = x.reshape(N, G, C // G, H, W)
    xhat, inv_std = _normalize_forward(xg, (2, 3, 4), gn_param.get('eps', 1e-5))
    xhat = xhat.reshape(N, C, H, W)
    return gamma * xhat + beta, (xhat, gamma, inv_std, G)


def spatial_groupnorm_backward(dout, cache):
    xhat, gamma, inv_std, G = cache
    N, C, H, W = dout.shape
    dgamma = np.sum(dout * xhat, axis=(0, 2, 3), keepdims=True)
    dbeta = np.sum(dout, axis=(0, 2, 3), keepdims=True)
    shp = (N, G, C // G, H, W)
    dx = _normalize_backward((dout * gamma).reshape(shp), xhat.reshape(shp), inv_std, (2, 3, 4))
    return dx.reshape(N, C, H, W), dgamma, dbeta


def dropout_forward(x, dropout_param):
    p, mode = dropout_param['p'], dropout_param['mode']
    if 'seed' in dropout_param:
        np.random.seed(dropout_param['seed'])
    if mode == 'train':
        keep = np.random.rand(*x.shape) < p     # boolean; the 1/p goes in separately
        out = np.where(keep, x / p, 0.0)
        return out, (dropout_param, keep)
    return x, (dropout_param, None)


def dropout_backward(dout, cache):
    dropout_param, keep = cache
    if dropout_param['mode'] == 'train':
        return np.where(keep, dout / dropout_param['p'], 0.0)
    return dout


def l2_regularization(w, reg):
    return 0.5 * reg * np.sum(w ** 2), reg * w


def l1_regularization(w, reg):
    return reg * np.sum(np.abs(w)), reg * np.sign(w)


def elastic_net_regularization(w, l1, l2):
    return (l1 * np.sum(np.abs(w)) + 0.5 * l2 * np.sum(w ** 2),
            l1 * np.sign(w) + l2 * w)
