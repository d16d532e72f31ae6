import numpy as np


def affine_forward(x, w, b):
    """
    Inputs:
    - x: (N, d_1, ..., d_k)
    - w: (D, M)
    - b: (M,)
    Returns (out, cache)
    """
    out = x.reshape(x.shape[0], -1).dot(w)
    out += b
    cache = (x, w, b)
    return out, cache


def affine_backward(dout, cache):
    x, w, b = cache
    dx = dout.dot(w.T).reshape(x.shape)
    dw = x.reshape(x.shape[0], -1).T.dot(dout)
    db = dout.sum(axis=0)
    return dx, dw, db


def relu_forward(x):
    out = x.copy()
    out[out < 0] = 0
    cache = x
    return out, cache


def relu_backward(dout, cache):
    x = cache
    dx = dout
    dx[x <= 0] = 0
    return dx


def leaky_relu_forward(x, alpha=0.01):
    out = x.copy()
    lose = alpha * x >= x
    out[lose] *= alpha
    cache = (x, alpha)
    return out, cache


def leaky_relu_backward(dout, cache):
    x, alpha = cache
    dx = dout.copy()
    dx[alpha * x >= x] *= alpha
    return dx


def prelu_forward(x, alpha):
    out = x.copy()
    neg = x <= 0
    out *= np.where(neg, alpha, 1.0)
    cache = (x, alpha)
    return out, cache


def prelu_backward(dout, cache):
    x, alpha = cache
    neg = x <= 0
    dx = dout.copy()
    dx *= np.where(neg, alpha, 1.0)
    dalpha = (dout * x * neg).sum(axis=0)
    return dx, dalpha


def elu_forward(x, alpha=1.0):
    out = x.copy()
    neg = out <= 0
    out[neg] = np.expm1(out[neg])
    out[neg] *= alpha
    cache = (x, alpha)
    return out, cache


def elu_backward(dout, cache):
    x, alpha = cache
    dx = dout.copy()
    neg = x <= 0
    dx[neg] *= alpha * np.exp(x[neg])
    return dx


def sigmoid_forward(x):
    e = np.exp(-np.abs(x))
    out = 1.0 / (1.0 + e)
    neg = x < 0
    out[neg] = e[neg] * out[neg]        # e / (1 + e) for negative x
    cache = out
    return out, cache


def sigmoid_backward(dout, cache):
    s = cache
    dx = dout * s
    dx *= (1 - s)
    return dx


def tanh_forward(x):
    out = np.tanh(x)
    cache = out
    return out, cache


def tanh_backward(dout, cache):
    t = cache
    dx = 1 - t ** 2
    dx *= dout
    return dx


def softplus_forward(x):
    out = np.log1p(np.exp(-np.abs(x)))
    out += np.maximum(x, 0)
    cache = x
    return out, cache


def softplus_backward(dout, cache):
    x = cache
    s, _ = sigmoid_forward(x)
    return dout * s


def maxout_forward(x, w, b):
    N, D = x.shape
    _, M, K = w.shape
    z = np.empty((N, M, K))
    for k in range(K):
        z[:, :, k] = x.dot(w[:, :, k])
        z[:, :, k] += b[:, k]
    best = z.argmax(axis=2)
    out = z.max(axis=2)
    cache = (x, w, best)
    return out, cache


def maxout_backward(dout, cache):
    x, w, best = cache
    N, D = x.shape
    _, M, K = w.shape
    dx = np.zeros((N, D))
    dw = np.zeros((D, M, K))
    db = np.zeros((M, K))
    for k in range(K):
        dzk = dout * (best == k)
        dx += dzk.dot(w[:, :, k].T)
        dw[:, :, k] += x.T.dot(dzk)
        db[:, k] += dzk.sum(axis=0)
    return dx, dw, db


def svm_loss(x, y):
    N = x.shape[0]
    margins = x - x[np.arange(N), y][:, None] + 1
    margins[np.arange(N), y] = 0
    margins[margins < 0] = 0
    loss = margins.sum() / N
    dx = (margins > 0).astype(float)
    dx[np.arange(N), y] -= dx.sum(axis=1)
    dx /= N
    return loss, dx


def softmax_loss(x, y):
    N = x.shape[0]
    probs = np.exp(x)
    probs /= np.sum(probs, axis=1, keepdims=True)
    loss = -np.sum(np.log(probs[np.arange(N), y])) / N
    dx = probs.copy()
    dx[np.arange(N), y] -= 1
    dx /= N
    return loss, dx


def softmax_loss_smoothed(x, y, epsilon=0.1):
    N, C = x.shape
    z = x - x.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    t = np.empty((N, C))
    t.fill(epsilon / (C - 1))
    t[np.arange(N), y] = 1 - epsilon
    loss = -(t * logp).sum() / N
    dx = np.exp(logp)
    dx -= t
    dx /= N
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
        mean = x.mean(axis=0)
        var = x.var(axis=0)
        inv_std = 1 / np.sqrt(var + eps)
        xhat = x - mean
        xhat *= inv_std
        out = xhat * gamma
        out += beta
        cache = (xhat, gamma, inv_std)
        bn_param['running_mean'] = momentum * running_mean + (1 - momentum) * mean
        bn_param['running_var'] = momentum * running_var + (1 - momentum) * var
    elif mode == 'test':
        out = x - running_mean
        out /= np.sqrt(running_var + eps)
        out *= gamma
        out += beta
    else:
        raise ValueError('Invalid forward batchnorm mode "%s"' % mode)
    return out, cache


def batchnorm_backward(dout, cache):
    xhat, gamma, inv_std = cache
    N = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    dx = N * dout
    dx -= dbeta
    dx -= xhat * dgamma
    dx *= gamma * inv_std / N
    return dx, dgamma, dbeta


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    N, C, H, W = x.shape
    x_flat = x.reshape(-1, C)
    out, cache = batchnorm_forward(x_flat, gamma, beta, bn_param)
    out = out.reshape(N, C, H, W)
    return out, cache


def spatial_batchnorm_backward(dout, cache):
    N, C, H, W = dout.shape
    dout_flat = dout.reshape(-1, C)
    dx, dgamma, dbeta = batchnorm_backward(dout_flat, cache)
    dx = dx.reshape(N, C, H, W)
    return dx, dgamma, dbeta


def layernorm_forward(x, gamma, beta, ln_param):
    eps = ln_param.get('eps', 1e-5)
    mean = x.mean(axis=1, keepdims=True)
    var = x.var(axis=1, keepdims=True)
    inv_std = 1 / np.sqrt(var + eps)
    xhat = x - mean
    xhat *= inv_std
    out = xhat * gamma
    out += beta
    cache = (xhat, gamma, inv_std)
    return out, cache


def layernorm_backward(dout, cache):
    xhat, gamma, inv_std = cache
    D = dout.shape[1]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    dxhat = dout * gamma
    dx = D * dxhat
    dx -= dxhat.sum(axis=1, keepdims=True)
    dx -= xhat * (dxhat * xhat).sum(axis=1, keepdims=True)
    dx *= inv_std / D
    return dx, dgamma, dbeta


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    eps = gn_param.get('eps', 1e-5)
    N, C, H, W = x.shape
    xg = x.reshape(N, G, C // G, H, W)
    mean = xg.mean(axis=(2, 3, 4), keepdims=True)
    var = xg.var(axis=(2, 3, 4), keepdims=True)
    inv_std = 1 / np.sqrt(var + eps)
    xhat = xg - mean
    xhat *= inv_std
    xhat = xhat.reshape(N, C, H, W)
    out = xhat * gamma
    out += beta
    cache = (xhat, gamma, inv_std, G)
    return out, cache


def spatial_groupnorm_backward(dout, cache):
    xhat, gamma, inv_std, G = cache
    N, C, H, W = dout.shape
    dbeta = dout.sum(axis=(0, 2, 3), keepdims=True)
    dgamma = (dout * xhat).sum(axis=(0, 2, 3), keepdims=True)
    dxhat = (dout * gamma).reshape(N, G, C // G, H, W)
    xh = xhat.reshape(N, G, C // G, H, W)
    m = (C // G) * H * W
    dx = m * dxhat
    dx -= dxhat.sum(axis=(2, 3, 4), keepdims=True)
    dx -= xh * (dxhat * xh).sum(axis=(2, 3, 4), keepdims=True)
    dx *= inv_std / m
    return dx.reshape(N, C, H, W), dgamma, dbeta


def dropout_forward(x, dropout_param):
    p, mode = dropout_param['p'], dropout_param['mode']
    if 'seed' in dropout_param:
        np.random.seed(dropout_param['seed'])
    mask = None
    if mode == 'train':
        mask = np.random.rand(*x.shape) < p
        mask = mask / p
        out = x * mask
    else:
        out = x
    cache = (dropout_param, mask)
    return out, cache


def dropout_backward(dout, cache):
    dropout_param, mask = cache
    if dropout_param['mode'] == 'train':
        return dout * mask
    return dout


def l2_regularization(w, reg):
    loss = 0.5 * reg * np.sum(w ** 2)
    dw = reg * w
    return loss, dw


def l1_regularization(w, reg):
    loss = reg * np.abs(w).sum()
    dw = np.sign(w)
    dw *= reg
    return loss, dw


def elastic_net_regularization(w, l1, l2):
    loss = l1 * np.abs(w).sum() + 0.5 * l2 * np.sum(w ** 2)
    dw = l2 * w
    dw += l1 * np.sign(w)
    return loss, dw
