"""Layers, activations, losses, normalization, dropout and regularizers.

(I wrote most things with explicit loops first and vectorised only where it was slow.)
"""

import math
import numpy as np


def affine_forward(x, w, b):
    N = x.shape[0]
    D = int(np.prod(x.shape[1:]))
    x_flat = np.reshape(x, (N, D))
    out = np.dot(x_flat, w) + b
    cache = (x, w, b)
    return out, cache


def affine_backward(dout, cache):
    x, w, b = cache
    N = x.shape[0]
    D = int(np.prod(x.shape[1:]))
    x_flat = np.reshape(x, (N, D))
    dx_flat = np.dot(dout, w.T)
    dx = np.reshape(dx_flat, x.shape)
    dw = np.dot(x_flat.T, dout)
    db = np.zeros(w.shape[1])
    for i in range(N):
        db += dout[i]
    return dx, dw, db


def relu_forward(x):
    out = x * (x > 0)
    cache = x
    return out, cache


def relu_backward(dout, cache):
    x = cache
    dx = dout * (x > 0)
    return dx


def leaky_relu_forward(x, alpha=0.01):
    out = np.maximum(x, alpha * x)
    cache = (x, alpha)
    return out, cache


def leaky_relu_backward(dout, cache):
    x, alpha = cache
    grad = np.ones_like(x) * alpha
    grad[x > alpha * x] = 1.0
    dx = dout * grad
    return dx


def prelu_forward(x, alpha):
    N, D = x.shape
    out = np.zeros((N, D))
    for d in range(D):
        col = x[:, d]
        out[:, d] = np.where(col > 0, col, alpha[d] * col)
    cache = (x, alpha)
    return out, cache


def prelu_backward(dout, cache):
    x, alpha = cache
    N, D = x.shape
    dx = np.zeros((N, D))
    dalpha = np.zeros(D)
    for d in range(D):
        for n in range(N):
            if x[n, d] > 0:
                dx[n, d] = dout[n, d]
            else:
                dx[n, d] = alpha[d] * dout[n, d]
                dalpha[d] += x[n, d] * dout[n, d]
    return dx, dalpha


def elu_forward(x, alpha=1.0):
    out = np.array(x, dtype=np.float64, copy=True)
    neg = out <= 0
    out[neg] = alpha * np.expm1(out[neg])
    cache = (x, alpha)
    return out, cache


def elu_backward(dout, cache):
    x, alpha = cache
    grad = np.ones(x.shape)
    neg = x <= 0
    grad[neg] = alpha * np.exp(x[neg])
    return dout * grad


def _sigmoid_scalar(v):
    # stable: only ever exponentiate a non-positive number
    if v >= 0:
        return 1.0 / (1.0 + math.exp(-v))
    e = math.exp(v)
    return e / (1.0 + e)


def sigmoid_forward(x):
    flat = np.asarray(x, dtype=np.float64).ravel()
    out = np.empty(flat.shape[0])
    for i in range(flat.shape[0]):
        out[i] = _sigmoid_scalar(flat[i])
    out = out.reshape(np.shape(x))
    cache = out
    return out, cache


def sigmoid_backward(dout, cache):
    s = cache
    return dout * s * (1 - s)


def tanh_forward(x):
    out = np.tanh(x)
    return out, out


def tanh_backward(dout, cache):
    t = cache
    return dout * (1 - t * t)


def softplus_forward(x):
    # log(1 + e^x) = max(x, 0) + log(1 + e^-|x|)
    out = np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))
    cache = x
    return out, cache


def softplus_backward(dout, cache):
    x = cache
    s, _ = sigmoid_forward(x)
    return dout * s


def maxout_forward(x, w, b):
    N, D = x.shape
    _, M, K = w.shape
    out = np.zeros((N, M))
    argmax = np.zeros((N, M), dtype=int)
    for n in range(N):
        for m in range(M):
            best = -np.inf
            best_k = 0
            for k in range(K):
                z = np.dot(x[n], w[:, m, k]) + b[m, k]
                if z > best:
                    best = z
                    best_k = k
            out[n, m] = best
            argmax[n, m] = best_k
    cache = (x, w, b, argmax)
    return out, cache


def maxout_backward(dout, cache):
    x, w, b, argmax = cache
    N, D = x.shape
    _, M, K = w.shape
    dx = np.zeros((N, D))
    dw = np.zeros((D, M, K))
    db = np.zeros((M, K))
    for n in range(N):
        for m in range(M):
            k = argmax[n, m]
            dx[n] += dout[n, m] * w[:, m, k]
            dw[:, m, k] += dout[n, m] * x[n]
            db[m, k] += dout[n, m]
    return dx, dw, db


def svm_loss(x, y):
    N, C = x.shape
    loss = 0.0
    dx = np.zeros((N, C))
    for i in range(N):
        correct = x[i, y[i]]
        for j in range(C):
            if j == y[i]:
                continue
            margin = x[i, j] - correct + 1
            if margin > 0:
                loss += margin
                dx[i, j] += 1
                dx[i, y[i]] -= 1
    loss /= N
    dx /= N
    return loss, dx


def softmax_loss(x, y):
    N, C = x.shape
    loss = 0.0
    dx = np.zeros((N, C))
    for i in range(N):
        scores = x[i] - np.max(x[i])
        log_sum = np.log(np.sum(np.exp(scores)))
        loss += log_sum - scores[y[i]]
        probs = np.exp(scores - log_sum)
        dx[i] = probs
        dx[i, y[i]] -= 1
    loss /= N
    dx /= N
    return loss, dx


def softmax_loss_smoothed(x, y, epsilon=0.1):
    N, C = x.shape
    loss = 0.0
    dx = np.zeros((N, C))
    off = epsilon / (C - 1)
    for i in range(N):
        scores = x[i] - np.max(x[i])
        log_probs = scores - np.log(np.sum(np.exp(scores)))
        target = np.ones(C) * off
        target[y[i]] = 1 - epsilon
        loss += -np.sum(target * log_probs)
        dx[i] = np.exp(log_probs) - target
    loss /= N
    dx /= N
    return loss, dx


def batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param['mode']
    eps = bn_param.get('eps', 1e-5)
    momentum = bn_param.get('momentum', 0.9)
    N, D = x.shape
    running_mean = bn_param.get('running_mean', np.zeros(D))
    running_var = bn_param.get('running_var', np.zeros(D))

    if mode == 'train':
        # step by step, like the computational graph from the notes
        mu = 1. / N * np.sum(x, axis=0)
        xmu = x - mu
        sq = xmu ** 2
        var = 1. / N * np.sum(sq, axis=0)
        sqrtvar = np.sqrt(var + eps)
        ivar = 1. / sqrtvar
        xhat = xmu * ivar
        gammax = gamma * xhat
        out = gammax + beta
        cache = (xhat, gamma, xmu, ivar, sqrtvar, var, eps)
        bn_param['running_mean'] = momentum * running_mean + (1 - momentum) * mu
        bn_param['running_var'] = momentum * running_var + (1 - momentum) * var
    elif mode == 'test':
        xhat = (x - running_mean) / np.sqrt(running_var + eps)
        out = gamma * xhat + beta
        cache = None
    else:
        raise ValueError('Invalid forward batchnorm mode "%s"' % mode)
    return out, cache


def batchnorm_backward(dout, cache):
    xhat, gamma, xmu, ivar, sqrtvar, var, eps = cache
    N, D = dout.shape
    dbeta = np.sum(dout, axis=0)
    dgammax = dout
    dgamma = np.sum(dgammax * xhat, axis=0)
    dxhat = dgammax * gamma
    divar = np.sum(dxhat * xmu, axis=0)
    dxmu1 = dxhat * ivar
    dsqrtvar = -1. / (sqrtvar ** 2) * divar
    dvar = 0.5 * 1. / np.sqrt(var + eps) * dsqrtvar
    dsq = 1. / N * np.ones((N, D)) * dvar
    dxmu2 = 2 * xmu * dsq
    dx1 = dxmu1 + dxmu2
    dmu = -1 * np.sum(dxmu1 + dxmu2, axis=0)
    dx2 = 1. / N * np.ones((N, D)) * dmu
    dx = dx1 + dx2
    return dx, dgamma, dbeta


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    N, C, H, W = x.shape
    x_t = np.transpose(x, (0, 2, 3, 1))
    x_2d = np.reshape(x_t, (N * H * W, C))
    out_2d, cache = batchnorm_forward(x_2d, gamma, beta, bn_param)
    out = np.transpose(np.reshape(out_2d, (N, H, W, C)), (0, 3, 1, 2))
    return out, (cache, (N, C, H, W))


def spatial_batchnorm_backward(dout, cache):
    bn_cache, (N, C, H, W) = cache
    d_2d = np.reshape(np.transpose(dout, (0, 2, 3, 1)), (N * H * W, C))
    dx_2d, dgamma, dbeta = batchnorm_backward(d_2d, bn_cache)
    dx = np.transpose(np.reshape(dx_2d, (N, H, W, C)), (0, 3, 1, 2))
    return dx, dgamma, dbeta


def layernorm_forward(x, gamma, beta, ln_param):
    eps = ln_param.get('eps', 1e-5)
    N, D = x.shape
    xhat = np.zeros((N, D))
    ivars = np.zeros(N)
    for n in range(N):
        mu = np.mean(x[n])
        var = np.mean((x[n] - mu) ** 2)
        ivars[n] = 1.0 / np.sqrt(var + eps)
        xhat[n] = (x[n] - mu) * ivars[n]
    out = gamma * xhat + beta
    cache = (xhat, gamma, ivars)
    return out, cache


def layernorm_backward(dout, cache):
    xhat, gamma, ivars = cache
    N, D = dout.shape
    dgamma = np.sum(dout * xhat, axis=0)
    dbeta = np.sum(dout, axis=0)
    dx = np.zeros((N, D))
    for n in range(N):
        dxh = dout[n] * gamma
        dx[n] = ivars[n] / D * (D * dxh - np.sum(dxh) - xhat[n] * np.sum(dxh * xhat[n]))
    return dx, dgamma, dbeta


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    eps = gn_param.get('eps', 1e-5)
    N, C, H, W = x.shape
    cg = C // G
    xhat = np.zeros(x.shape)
    ivars = np.zeros((N, G))
    for n in range(N):
        for g in range(G):
            block = x[n, g * cg:(g + 1) * cg]
            mu = np.mean(block)
            var = np.var(block)
            ivars[n, g] = 1.0 / np.sqrt(var + eps)
            xhat[n, g * cg:(g + 1) * cg] = (block - mu) * ivars[n, g]
    out = gamma * xhat + beta
    cache = (xhat, gamma, ivars, G)
    return out, cache


def spatial_groupnorm_backward(dout, cache):
    xhat, gamma, ivars, G = cache
    N, C, H, W = dout.shape
    cg = C // G
    m = cg * H * W
    dgamma = np.sum(dout * xhat, axis=(0, 2, 3)).reshape(1, C, 1, 1)
    dbeta = np.sum(dout, axis=(0, 2, 3)).reshape(1, C, 1, 1)
    dxhat = dout * gamma
    dx = np.zeros(dout.shape)
    for n in range(N):
        for g in range(G):
            sl = slice(g * cg, (g + 1) * cg)
            dxh = dxhat[n, sl]
            xh = xhat[n, sl]
            dx[n, sl] = ivars[n, g] / m * (m * dxh - np.sum(dxh) - xh * np.sum(dxh * xh))
    return dx, dgamma, dbeta


def dropout_forward(x, dropout_param):
    p = dropout_param['p']
    mode = dropout_param['mode']
    if dropout_param.get('seed') is not None:
        np.random.seed(dropout_param['seed'])

    mask = None
    if mode == 'train':
        keep = np.random.random_sample(x.shape) < p
        mask = keep / p
        out = x * mask
    else:
        out = x.copy()
    return out, (dropout_param, mask)


def dropout_backward(dout, cache):
    dropout_param, mask = cache
    if dropout_param['mode'] == 'train':
        dx = dout * mask
    else:
        dx = dout
    return dx


def l2_regularization(w, reg):
    loss = 0.5 * reg * np.sum(np.square(w))
    dw = reg * w
    return loss, dw


def l1_regularization(w, reg):
    loss = reg * np.sum(np.absolute(w))
    dw = reg * np.sign(w)
    return loss, dw


def elastic_net_regularization(w, l1, l2):
    loss = l1 * np.sum(np.absolute(w)) + 0.5 * l2 * np.sum(np.square(w))
    dw = l1 * np.sign(w) + l2 * w
    return loss, dw
