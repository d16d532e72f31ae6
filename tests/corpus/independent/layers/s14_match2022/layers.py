"""Layers, activations, losses, normalization, dropout and regularizers.

Written for the 2022 offering. Uses a couple of small shared helpers.
"""

import numpy as np

EPS_DEFAULT = 1e-5


def _rows(x):
    """(N, d1, ..., dk) -> (N, D) view."""
    return x.reshape(x.shape[0], -1)


def affine_forward(x, w, b):
    out = np.dot(_rows(x), w) + b
    return out, {"x": x, "w": w}


def affine_backward(dout, cache):
    x, w = cache["x"], cache["w"]
    dx = np.dot(dout, w.T).reshape(x.shape)
    dw = np.dot(_rows(x).T, dout)
    db = dout.sum(axis=0)
    return dx, dw, db


def relu_forward(x):
    return np.maximum(x, 0), {"x": x}


def relu_backward(dout, cache):
    return dout * (cache["x"] > 0)


def leaky_relu_forward(x, alpha=0.01):
    return np.maximum(alpha * x, x), {"x": x, "alpha": alpha}


def leaky_relu_backward(dout, cache):
    x, alpha = cache["x"], cache["alpha"]
    return dout * np.where(x > alpha * x, 1.0, alpha)


def prelu_forward(x, alpha):
    return np.where(x > 0, x, alpha * x), {"x": x, "alpha": alpha}


def prelu_backward(dout, cache):
    x, alpha = cache["x"], cache["alpha"]
    dx = dout * np.where(x > 0, 1.0, alpha)
    dalpha = np.einsum("nd,nd->d", dout, x)
    return dx, dalpha


def elu_forward(x, alpha=1.0):
    out = np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))
    return out, {"x": x, "alpha": alpha}


def elu_backward(dout, cache):
    x, alpha = cache["x"], cache["alpha"]
    return dout * np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0)))


def _sigmoid(x):
    out = np.empty(x.shape)
    pos = x >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
    e = np.exp(x[~pos])
    out[~pos] = e / (1.0 + e)
    return out


def sigmoid_forward(x):
    s = _sigmoid(x)
    return s, {"s": s}


def sigmoid_backward(dout, cache):
    s = cache["s"]
    return dout * s * (1.0 - s)


def tanh_forward(x):
    t = np.tanh(x)
    return t, {"t": t}


def tanh_backward(dout, cache):
    return dout * (1.0 - cache["t"] ** 2)


def softplus_forward(x):
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x))), {"x": x}


def softplus_backward(dout, cache):
    return dout * _sigmoid(cache["x"])


def maxout_forward(x, w, b):
    N, D = x.shape
    _, M, K = w.shape
    z = np.einsum("nd,dmk->nmk", x, w) + b
    k = np.argmax(z, axis=2)
    out = np.max(z, axis=2)
    return out, {"x": x, "w": w, "k": k}


def maxout_backward(dout, cache):
    x, w, k = cache["x"], cache["w"], cache["k"]
    N, M = dout.shape
    K = w.shape[2]
    dz = np.zeros((N, M, K))
    nn, mm = np.meshgrid(np.arange(N), np.arange(M), indexing="ij")
    dz[nn, mm, k] = dout
    dx = np.einsum("nmk,dmk->nd", dz, w)
    dw = np.einsum("nd,nmk->dmk", x, dz)
    db = dz.sum(axis=0)
    return dx, dw, db


def svm_loss(x, y):
    N = x.shape[0]
    r = np.arange(N)
    m = np.maximum(0, x - x[r, y][:, None] + 1)
    m[r, y] = 0
    loss = m.sum() / N
    g = np.where(m > 0, 1.0, 0.0)
    g[r, y] = -g.sum(axis=1)
    return loss, g / N


def _log_softmax(x):
    z = x - x.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def softmax_loss(x, y):
    N = x.shape[0]
    lp = _log_softmax(x)
    loss = -lp[np.arange(N), y].mean()
    dx = np.exp(lp)
    dx[np.arange(N), y] -= 1
    return loss, dx / N


def softmax_loss_smoothed(x, y, epsilon=0.1):
    N, C = x.shape
    lp = _log_softmax(x)
    t = np.full((N, C), epsilon / (C - 1))
    t[np.arange(N), y] = 1 - epsilon
    loss = -np.einsum("nc,nc->", t, lp) / N
    return loss, (np.exp(lp) - t) / N


def batchnorm_forward(x, gamma, beta, bn_param):
    eps = bn_param.get("eps", EPS_DEFAULT)
    momentum = bn_param.get("momentum", 0.9)
    D = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(D))
    running_var = bn_param.get("running_var", np.zeros(D))
    match bn_param.get("mode"):
        case "train":
            mu = x.mean(axis=0)
            var = x.var(axis=0)
            rstd = 1.0 / np.sqrt(var + eps)
            xhat = (x - mu) * rstd
            bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mu
            bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
            return gamma * xhat + beta, {"xhat": xhat, "gamma": gamma, "rstd": rstd}
        case "test":
            xhat = (x - running_mean) / np.sqrt(running_var + eps)
            return gamma * xhat + beta, None
        case other:
            raise ValueError(f"Invalid forward batchnorm mode {other!r}")


def batchnorm_backward(dout, cache):
    xhat, gamma, rstd = cache["xhat"], cache["gamma"], cache["rstd"]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    g = dout * gamma
    dx = rstd * (g - g.mean(axis=0) - xhat * (g * xhat).mean(axis=0))
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
    eps = ln_param.get("eps", EPS_DEFAULT)
    mu = x.mean(axis=1, keepdims=True)
    var = x.var(axis=1, keepdims=True)
    rstd = 1.0 / np.sqrt(var + eps)
    xhat = (x - mu) * rstd
    return gamma * xhat + beta, {"xhat": xhat, "gamma": gamma, "rstd": rstd}


def layernorm_backward(dout, cache):
    xhat, gamma, rstd = cache["xhat"], cache["gamma"], cache["rstd"]
    # statistics are per row now, so everything is reduced over axis 1
    dbeta = dout.sum(axis=1)
    dgamma = (dout * xhat).sum(axis=1)
    g = dout * gamma
    dx = rstd * (g - g.mean(axis=1, keepdims=True) - xhat * (g * xhat).mean(axis=1, keepdims=True))
    return dx, dgamma, dbeta


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    eps = gn_param.get("eps", EPS_DEFAULT)
    N, C, H, W = x.shape
    xg = x.reshape(N, G, C // G, H, W)
    mu = xg.mean(axis=(2, 3, 4), keepdims=True)
    var = xg.var(axis=(2, 3, 4), keepdims=True)
    rstd = 1.0 / np.sqrt(var + eps)
    xhat = ((xg - mu) * rstd).reshape(N, C, H, W)
    return gamma * xhat + beta, {"xhat": xhat, "gamma": gamma, "rstd": rstd, "G": G}


def spatial_groupnorm_backward(dout, cache):
    xhat, gamma, rstd, G = cache["xhat"], cache["gamma"], cache["rstd"], cache["G"]
    N, C, H, W = dout.shape
    dbeta = dout.sum(axis=(0, 2, 3), keepdims=True)
    dgamma = (dout * xhat).sum(axis=(0, 2, 3), keepdims=True)
    g = (dout * gamma).reshape(N, G, C // G, H, W)
    xh = xhat.reshape(N, G, C // G, H, W)
    ax = (2, 3, 4)
    dx = rstd * (g - g.mean(axis=ax, keepdims=True) - xh * (g * xh).mean(axis=ax, keepdims=True))
    return dx.reshape(N, C, H, W), dgamma, dbeta


def dropout_forward(x, dropout_param):
    p = dropout_param["p"]
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])
    match dropout_param["mode"]:
        case "train":
            mask = (np.random.rand(*x.shape) < p) / p
            return x * mask, (dropout_param, mask)
        case _:
            return x, (dropout_param, None)


def dropout_backward(dout, cache):
    dropout_param, mask = cache
    if dropout_param["mode"] == "train":
        return dout * mask
    return dout


def l2_regularization(w, reg):
    return 0.5 * reg * np.sum(w ** 2), reg * w


def l1_regularization(w, reg):
    return reg * np.sum(np.abs(w)), reg * np.sign(w)


def elastic_net_regularization(w, l1, l2):
    return l1 * np.sum(np.abs(w)) + 0.5 * l2 * np.sum(w ** 2), l1 * np.sign(w) + l2 * w
