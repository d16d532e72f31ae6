"""Layers, activations, losses, normalization, dropout and regularizers.

assignment 2 -- layers.py
"""

import math
import sys
import time
from collections import namedtuple
from functools import reduce
import operator

import numpy as np

DEBUG = False

AffineCache = namedtuple("AffineCache", ["x", "w", "b"])
NormCache = namedtuple("NormCache", ["x_centered", "inv_std", "x_hat", "gamma"])


def _log(*args):
    if DEBUG:
        print("[layers]", *args, file=sys.stderr)


def affine_forward(x, w, b):
    """
    out = x.reshape(N, D) @ w + b
    """
    N = x.shape[0]
    D = reduce(operator.mul, x.shape[1:], 1)
    out = x.reshape(N, D).dot(w) + b
    print("affine_forward: x", x.shape, "-> out", out.shape)
    return out, AffineCache(x, w, b)


def affine_backward(dout, cache):
    """
    dx = dout @ w.T (reshaped back), dw = x.T @ dout, db = sum over batch
    """
    x, w, b = cache
    N = x.shape[0]
    dx = dout.dot(w.T).reshape(x.shape)
    dw = x.reshape(N, -1).T.dot(dout)
    db = dout.sum(axis=0)
    _log("affine_backward", dx.shape, dw.shape, db.shape)
    return dx, dw, db


def relu_forward(x):
    """ReLU: max(0, x)."""
    out = np.clip(x, 0, None)
    return out, x


def relu_backward(dout, cache):
    """Gradient is passed where x > 0."""
    x = cache
    dx = np.zeros_like(dout)
    dx[x > 0] = dout[x > 0]
    return dx


def leaky_relu_forward(x, alpha=0.01):
    """Leaky ReLU: max(alpha*x, x)."""
    out = np.maximum(alpha * x, x)
    return out, (x, alpha)


def leaky_relu_backward(dout, cache):
    x, alpha = cache
    dx = alpha * dout
    where_x = x > alpha * x
    dx[where_x] = dout[where_x]
    return dx


def prelu_forward(x, alpha):
    """PReLU with per-feature alpha."""
    out = np.maximum(x, 0) + alpha * np.minimum(x, 0)
    return out, (x, alpha)


def prelu_backward(dout, cache):
    x, alpha = cache
    neg = (x <= 0).astype(x.dtype)
    dx = dout * (1.0 - neg) + dout * alpha * neg
    dalpha = (dout * np.minimum(x, 0)).sum(axis=0)
    return dx, dalpha


def elu_forward(x, alpha=1.0):
    """ELU."""
    out = np.where(x > 0, x, alpha * np.expm1(np.clip(x, None, 0)))
    return out, (x, alpha)


def elu_backward(dout, cache):
    x, alpha = cache
    grad = np.where(x > 0, 1.0, alpha * np.exp(np.clip(x, None, 0)))
    return dout * grad


def sigmoid_forward(x):
    """Stable sigmoid: numerator exp(min(x, 0)), denominator 1 + exp(-|x|)."""
    out = np.exp(np.minimum(x, 0)) / (1.0 + np.exp(-np.abs(x)))
    return out, out


def sigmoid_backward(dout, cache):
    s = cache
    return dout * s * (1 - s)


def tanh_forward(x):
    out = np.tanh(x)
    return out, out


def tanh_backward(dout, cache):
    return dout * (1 - np.power(cache, 2))


SOFTPLUS_THRESHOLD = 35.0   # above this log(1+e^x) == x in double precision


def softplus_forward(x):
    """softplus, with the large-x branch returning x directly."""
    big = x > SOFTPLUS_THRESHOLD
    out = np.where(big, x, np.log1p(np.exp(np.minimum(x, SOFTPLUS_THRESHOLD))))
    return out, x


def softplus_backward(dout, cache):
    x = cache
    s = np.exp(np.minimum(x, 0)) / (1.0 + np.exp(-np.abs(x)))
    return dout * s


def maxout_forward(x, w, b):
    """Maxout: running max over the K pieces."""
    N, D = x.shape
    _, M, K = w.shape
    best = x.dot(w[:, :, 0]) + b[:, 0]
    winner = np.zeros((N, M), dtype=np.int64)
    for k in range(1, K):
        z = x.dot(w[:, :, k]) + b[:, k]
        better = z > best
        best = np.where(better, z, best)
        winner[better] = k
    _log("maxout winners", np.bincount(winner.ravel(), minlength=K))
    return best, (x, w, b, winner)


def maxout_backward(dout, cache):
    x, w, b, winner = cache
    _, M, K = w.shape
    dx = np.zeros(x.shape)
    dw = np.zeros(w.shape)
    db = np.zeros(b.shape)
    for k in range(K):
        dz = np.where(winner == k, dout, 0.0)
        dx += dz.dot(w[:, :, k].T)
        dw[:, :, k] = x.T.dot(dz)
        db[:, k] = dz.sum(axis=0)
    return dx, dw, db


def svm_loss(x, y):
    """Multiclass hinge loss, margin 1."""
    t0 = time.time()
    N = x.shape[0]
    correct = x[range(N), y]
    margins = x - correct[:, None] + 1
    margins[range(N), y] = 0
    margins = np.maximum(margins, 0)
    loss = margins.sum() / N
    indicator = (margins > 0) * 1.0
    indicator[range(N), y] = -indicator.sum(axis=1)
    dx = indicator / N
    _log("svm_loss took", time.time() - t0)
    print("svm loss:", loss)
    return loss, dx


def softmax_loss(x, y):
    """Cross entropy with the max trick."""
    N = x.shape[0]
    z = x - x.max(axis=1, keepdims=True)
    lse = np.log(np.exp(z).sum(axis=1))
    loss = np.mean(lse - z[np.arange(N), y])
    probs = np.exp(z - lse[:, None])
    dx = probs
    dx[np.arange(N), y] -= 1
    dx /= N
    print("softmax loss:", loss, "(ln C =", math.log(x.shape[1]), ")")
    return loss, dx


def softmax_loss_smoothed(x, y, epsilon=0.1):
    """Label-smoothed cross entropy."""
    N, C = x.shape
    z = x - x.max(axis=1, keepdims=True)
    lse = np.log(np.exp(z).sum(axis=1, keepdims=True))
    logp = z - lse
    # split the loss into the true-class part and the rest
    true_logp = logp[np.arange(N), y]
    other_sum = logp.sum(axis=1) - true_logp
    loss = -np.mean((1 - epsilon) * true_logp + epsilon / (C - 1) * other_sum)
    t = np.full((N, C), epsilon / (C - 1))
    t[np.arange(N), y] = 1 - epsilon
    dx = (np.exp(logp) - t) / N
    return loss, dx


def batchnorm_forward(x, gamma, beta, bn_param):
    """Batchnorm forward (train: batch stats + running averages, test: running stats)."""
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    N, D = x.shape
    running_mean = bn_param.get("running_mean", np.zeros(D, dtype=x.dtype))
    running_var = bn_param.get("running_var", np.zeros(D, dtype=x.dtype))

    if mode == "train":
        mu = x.sum(axis=0) / N
        xc = x - mu
        var = (xc ** 2).sum(axis=0) / N
        inv_std = 1.0 / np.sqrt(var + eps)
        x_hat = xc * inv_std
        out = gamma * x_hat + beta
        cache = NormCache(xc, inv_std, x_hat, gamma)
        running_mean = momentum * running_mean + (1 - momentum) * mu
        running_var = momentum * running_var + (1 - momentum) * var
        bn_param["running_mean"] = running_mean
        bn_param["running_var"] = running_var
        _log("bn train: mean of batch means", mu.mean())
    elif mode == "test":
        out = gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta
        cache = None
    else:
        raise ValueError('Invalid forward batchnorm mode "%s"' % mode)
    return out, cache


def batchnorm_backward(dout, cache):
    """Compact form (derived on paper):
    dx = gamma/(N*sigma) * (N*dout - sum(dout) - (x-mu)/sigma^2 * sum(dout*(x-mu)))
    """
    xc, inv_std, x_hat, gamma = cache
    N = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx = (gamma * inv_std / N) * (N * dout - dbeta - xc * inv_std ** 2 * (dout * xc).sum(axis=0))
    return dx, dgamma, dbeta


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    N, C, H, W = x.shape
    xt = x.transpose(0, 2, 3, 1).reshape(N * H * W, C)
    out, cache = batchnorm_forward(xt, gamma, beta, bn_param)
    out = out.reshape(N, H, W, C).transpose(0, 3, 1, 2)
    return out, cache


def spatial_batchnorm_backward(dout, cache):
    N, C, H, W = dout.shape
    dt = dout.transpose(0, 2, 3, 1).reshape(N * H * W, C)
    dx, dgamma, dbeta = batchnorm_backward(dt, cache)
    dx = dx.reshape(N, H, W, C).transpose(0, 3, 1, 2)
    return dx, dgamma, dbeta


def layernorm_forward(x, gamma, beta, ln_param):
    """Layer norm = batch norm on x.T (the trick from the notebook), gamma/beta applied after."""
    eps = ln_param.get("eps", 1e-5)
    xT = x.T                                   # (D, N): each column is one example
    D = xT.shape[0]
    mu = xT.sum(axis=0) / D
    xc = xT - mu
    var = (xc ** 2).sum(axis=0) / D
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat_T = xc * inv_std
    out = gamma * x_hat_T.T + beta
    cache = NormCache(xc, inv_std, x_hat_T, gamma)
    return out, cache


def layernorm_backward(dout, cache):
    xc, inv_std, x_hat_T, gamma = cache
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat_T.T).sum(axis=0)
    dxhat_T = (dout * gamma).T                 # (D, N)
    D = dxhat_T.shape[0]
    dxT = (inv_std / D) * (D * dxhat_T - dxhat_T.sum(axis=0)
                           - xc * inv_std ** 2 * (dxhat_T * xc).sum(axis=0))
    return dxT.T, dgamma, dbeta


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    eps = gn_param.get("eps", 1e-5)
    N, C, H, W = x.shape
    xg = x.reshape(N * G, -1)                  # one row per (example, group)
    mu = xg.mean(axis=1, keepdims=True)
    xc = xg - mu
    var = (xc ** 2).mean(axis=1, keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = (xc * inv_std).reshape(N, C, H, W)
    out = gamma * x_hat + beta
    return out, (NormCache(xc, inv_std, x_hat, gamma), G)


def spatial_groupnorm_backward(dout, cache):
    nc, G = cache
    xc, inv_std, x_hat, gamma = nc
    N, C, H, W = dout.shape
    dbeta = dout.sum(axis=(0, 2, 3), keepdims=True)
    dgamma = (dout * x_hat).sum(axis=(0, 2, 3), keepdims=True)
    dxhat = (dout * gamma).reshape(N * G, -1)
    M = dxhat.shape[1]
    dx = (inv_std / M) * (M * dxhat - dxhat.sum(axis=1, keepdims=True)
                          - xc * inv_std ** 2 * (dxhat * xc).sum(axis=1, keepdims=True))
    return dx.reshape(N, C, H, W), dgamma, dbeta


def dropout_forward(x, dropout_param):
    """Inverted dropout, p = keep probability."""
    p, mode = dropout_param["p"], dropout_param["mode"]
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])
    mask = None
    if mode == "train":
        mask = (np.random.rand(*x.shape) < p).astype(x.dtype) / p
        out = x * mask
        print("dropout: kept fraction", (mask > 0).mean())
    elif mode == "test":
        out = x
    else:
        raise ValueError("bad dropout mode " + str(mode))
    return out, (dropout_param, mask)


def dropout_backward(dout, cache):
    dropout_param, mask = cache
    mode = dropout_param["mode"]
    if mode == "train":
        dx = dout * mask
    elif mode == "test":
        dx = dout
    return dx


def l2_regularization(w, reg):
    loss = 0.5 * reg * float(np.sum(w * w))
    return loss, reg * w


def l1_regularization(w, reg):
    loss = reg * float(np.sum(np.abs(w)))
    return loss, reg * np.sign(w)


def elastic_net_regularization(w, l1, l2):
    loss = l1 * float(np.sum(np.abs(w))) + 0.5 * l2 * float(np.sum(w * w))
    return loss, l1 * np.sign(w) + l2 * w
