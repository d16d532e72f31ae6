"""Layers, activations, losses, normalization, dropout and regularizers."""

import numpy as np


def _flatten(x):
    return x.reshape(x.shape[0], -1)


def affine_forward(x, w, b):
    out = _flatten(x).dot(w) + b
    cache = [x, w, b]
    return out, cache


def affine_backward(dout, cache):
    x, w, b = cache
    dx = dout.dot(w.T).reshape(x.shape)
    dw = _flatten(x).T.dot(dout)
    db = dout.sum(axis=0)
    return dx, dw, db


def relu_forward(x):
    out = np.maximum(0, x)
    cache = [x]
    return out, cache


def relu_backward(dout, cache):
    (x,) = cache
    return np.where(x > 0, dout, 0)


def leaky_relu_forward(x, alpha=0.01):
    out = np.maximum(alpha * x, x)
    return out, [x, alpha]


def leaky_relu_backward(dout, cache):
    x, alpha = cache
    return np.where(x > alpha * x, dout, alpha * dout)


def prelu_forward(x, alpha):
    out = np.where(x > 0, x, alpha * x)
    return out, [x, alpha]


def prelu_backward(dout, cache):
    x, alpha = cache
    dx = np.where(x > 0, dout, alpha * dout)
    dalpha = np.where(x > 0, 0, x * dout).sum(axis=0)
    return dx, dalpha


def elu_forward(x, alpha=1.0):
    out = np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))
    return out, [x, alpha]


def elu_backward(dout, cache):
    x, alpha = cache
    return np.where(x > 0, dout, dout * alpha * np.exp(np.minimum(x, 0)))


def _sigmoid(x):
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + z), z / (1 + z))


def sigmoid_forward(x):
    s = _sigmoid(x)
    return s, [s]


def sigmoid_backward(dout, cache):
    (s,) = cache
    return dout * s * (1 - s)


def tanh_forward(x):
    t = np.tanh(x)
    return t, [t]


def tanh_backward(dout, cache):
    (t,) = cache
    return dout * (1 - t ** 2)


def softplus_forward(x):
    out = np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))
    return out, [x]


def softplus_backward(dout, cache):
    (x,) = cache
    return dout * _sigmoid(x)


def maxout_forward(x, w, b):
    N, D = x.shape
    _, M, K = w.shape
    z = np.stack([x.dot(w[:, :, k]) + b[:, k] for k in range(K)], axis=2)
    arg = z.argmax(axis=2)
    out = z.max(axis=2)
    return out, [x, w, arg]


def maxout_backward(dout, cache):
    x, w, arg = cache
    N, D = x.shape
    _, M, K = w.shape
    dx = np.zeros_like(x)
    dw = np.zeros_like(w)
    db = np.zeros((M, K))
    for k in range(K):
        dz = dout * (arg == k)
        dx += dz.dot(w[:, :, k].T)
        dw[:, :, k] = x.T.dot(dz)
        db[:, k] = dout.sum(axis=0)
    return dx, dw, db


def svm_loss(x, y):
    N = x.shape[0]
    correct = x[np.arange(N), y].reshape(-1, 1)
    margins = np.maximum(0, x - correct + 1)
    margins[np.arange(N), y] = 0
    loss = margins.sum() / N
    mask = (margins > 0).astype(x.dtype)
    mask[np.arange(N), y] = -mask.sum(axis=1)
    dx = mask / N
    return loss, dx


def softmax_loss(x, y):
    N = x.shape[0]
    z = x - np.max(x, axis=1, keepdims=True)
    log_probs = z - np.log(np.sum(np.exp(z), axis=1, keepdims=True))
    loss = -np.mean(log_probs[np.arange(N), y])
    dx = np.exp(log_probs)
    dx[np.arange(N), y] -= 1
    return loss, dx / N


def softmax_loss_smoothed(x, y, epsilon=0.1):
    N, C = x.shape
    z = x - np.max(x, axis=1, keepdims=True)
    log_probs = z - np.log(np.sum(np.exp(z), axis=1, keepdims=True))
    smooth = np.full_like(x, epsilon / (C - 1))
    smooth[np.arange(N), y] = 1 - epsilon
    loss = -np.sum(smooth * log_probs) / N
    dx = (np.exp(log_probs) - smooth) / N
    return loss, dx


def batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    N, D = x.shape
    running_mean = bn_param.get("running_mean", np.zeros(D, dtype=x.dtype))
    running_var = bn_param.get("running_var", np.zeros(D, dtype=x.dtype))

    if mode == "train":
        mean = x.mean(axis=0)
        var = x.var(axis=0)
        std = np.sqrt(var + eps)
        x_hat = (x - mean) / std
        out = gamma * x_hat + beta
        cache = [x_hat, gamma, std]
        running_mean = momentum * running_mean + (1 - momentum) * mean
        running_var = momentum * running_var + (1 - momentum) * var
    elif mode == "test":
        out = gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta
        cache = None
    else:
        raise ValueError('Invalid forward batchnorm mode "%s"' % mode)

    bn_param["running_mean"] = running_mean
    bn_param["running_var"] = running_var
    return out, cache


def batchnorm_backward(dout, cache):
    x_hat, gamma, std = cache
    N = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma
    dx = (dx_hat - dx_hat.mean(axis=0) - x_hat * (dx_hat * x_hat).mean(axis=0)) / std
    return dx, dgamma, dbeta


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    N, C, H, W = x.shape
    x_cols = x.transpose(0, 2, 3, 1).reshape(-1, C)
    out, cache = batchnorm_forward(x_cols, gamma, beta, bn_param)
    return out.reshape(N, H, W, C).transpose(0, 3, 1, 2), cache


def spatial_batchnorm_backward(dout, cache):
    N, C, H, W = dout.shape
    d_cols = dout.transpose(0, 2, 3, 1).reshape(-1, C)
    dx, dgamma, dbeta = batchnorm_backward(d_cols, cache)
    return dx.reshape(N, H, W, C).transpose(0, 3, 1, 2), dgamma, dbeta


def layernorm_forward(x, gamma, beta, ln_param):
    eps = ln_param.get("eps", 1e-5)
    mean = x.mean(axis=1, keepdims=True)
    var = x.var(axis=1, keepdims=True)
    std = np.sqrt(var + eps)
    x_hat = (x - mean) / std
    return gamma * x_hat + beta, [x_hat, gamma, std]


def layernorm_backward(dout, cache):
    x_hat, gamma, std = cache
    dx_hat = dout * gamma
    dx = (dx_hat - dx_hat.mean(axis=1, keepdims=True)
          - x_hat * (dx_hat * x_hat).mean(axis=1, keepdims=True)) / std
    dgamma = (dout * x_hat).sum(axis=0)
    dbeta = dout.sum(axis=0)
    return dx, dgamma, dbeta


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    eps = gn_param.get("eps", 1e-5)
    N, C, H, W = x.shape
    xg = x.reshape(N, G, C // G, H, W)
    mean = xg.mean(axis=(2, 3, 4), keepdims=True)
    var = xg.var(axis=(2, 3, 4), keepdims=True)
    std = np.sqrt(var + eps)
    x_hat = ((xg - mean) / std).reshape(N, C, H, W)
    return gamma * x_hat + beta, [x_hat, gamma, std, G]


def spatial_groupnorm_backward(dout, cache):
    x_hat, gamma, std, G = cache
    N, C, H, W = dout.shape
    dgamma = (dout * x_hat).sum(axis=(0, 2, 3))
    dbeta = dout.sum(axis=(0, 2, 3))
    dx_hat = (dout * gamma).reshape(N, G, C // G, H, W)
    xh = x_hat.reshape(N, G, C // G, H, W)
    ax = (2, 3, 4)
    dx = (dx_hat - dx_hat.mean(axis=ax, keepdims=True)
          - xh * (dx_hat * xh).mean(axis=ax, keepdims=True)) / std
    return dx.reshape(N, C, H, W), dgamma, dbeta


def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    mask = None
    if mode == "train":
        mask = (np.random.rand(*x.shape) < p) / p
        out = x * mask
    elif mode == "test":
        out = x
    return out, (dropout_param, mask)


def dropout_backward(dout, cache):
    dropout_param, mask = cache
    if dropout_param["mode"] == "train":
        return dout * mask
    return dout


def l2_regularization(w, reg):
    return 0.5 * reg * np.sum(w * w), reg * w


def l1_regularization(w, reg):
    return reg * np.sum(np.abs(w)), reg * np.sign(w)


def elastic_net_regularization(w, l1, l2):
    l1_loss, l1_grad = l1_regularization(w, l1)
    l2_loss, l2_grad = l2_regularization(w, l2)
    return l1_loss + l2_loss, l1_grad + l2_grad
