"""Layers, activations, losses, normalization, dropout and regularizers."""

from typing import Any, Dict, Tuple

import numpy as np

Array = np.ndarray


def affine_forward(x: Array, w: Array, b: Array) -> Tuple[Array, Any]:
    n = x.shape[0]
    out = x.reshape(n, -1) @ w + b
    return out, (x, w, b)


def affine_backward(dout: Array, cache) -> Tuple[Array, Array, Array]:
    x, w, b = cache
    n = x.shape[0]
    dx = np.reshape(dout @ w.T, x.shape)
    dw = x.reshape(n, -1).T @ dout
    db = np.sum(dout, axis=0)
    return dx, dw, db


def relu_forward(x: Array) -> Tuple[Array, Any]:
    return np.maximum(x, 0.0), x


def relu_backward(dout: Array, cache) -> Array:
    x = cache
    return dout * (x > 0).astype(dout.dtype)


def leaky_relu_forward(x: Array, alpha: float = 0.01) -> Tuple[Array, Any]:
    return np.maximum(alpha * x, x), (x, alpha)


def leaky_relu_backward(dout: Array, cache) -> Array:
    x, alpha = cache
    slope = np.full(x.shape, float(alpha))
    slope[x > alpha * x] = 1.0
    return dout * slope


def prelu_forward(x: Array, alpha: Array) -> Tuple[Array, Any]:
    return np.where(x > 0, x, alpha * x), (x, alpha)


def prelu_backward(dout: Array, cache) -> Tuple[Array, Array]:
    x, alpha = cache
    pos = x > 0
    dx = dout * np.where(pos, 1.0, alpha)
    dalpha = np.sum(dout * np.where(pos, 0.0, x), axis=0)
    return dx, dalpha


def elu_forward(x: Array, alpha: float = 1.0) -> Tuple[Array, Any]:
    out = np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))
    return out, (x, alpha)


def elu_backward(dout: Array, cache) -> Array:
    x, alpha = cache
    return dout * np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))


def _sigmoid(x: Array) -> Array:
    out = np.empty_like(x, dtype=np.float64)
    pos = x >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
    ex = np.exp(x[~pos])
    out[~pos] = ex / (1.0 + ex)
    return out


def sigmoid_forward(x: Array) -> Tuple[Array, Any]:
    s = _sigmoid(x)
    return s, s


def sigmoid_backward(dout: Array, cache) -> Array:
    s = cache
    return dout * s * (1.0 - s)


def tanh_forward(x: Array) -> Tuple[Array, Any]:
    t = np.tanh(x)
    return t, t


def tanh_backward(dout: Array, cache) -> Array:
    return dout * (1.0 - cache ** 2)


def softplus_forward(x: Array) -> Tuple[Array, Any]:
    out = np.log(1.0 + np.exp(x))
    return out, x


def softplus_backward(dout: Array, cache) -> Array:
    return dout * _sigmoid(cache)


def maxout_forward(x: Array, w: Array, b: Array) -> Tuple[Array, Any]:
    z = np.einsum("nd,dmk->nmk", x, w) + b
    kstar = np.argmax(z, axis=-1)
    out = np.max(z, axis=-1)
    return out, (x, w, kstar)


def maxout_backward(dout: Array, cache) -> Tuple[Array, Array, Array]:
    x, w, kstar = cache
    K = w.shape[-1]
    dz = np.eye(K)[kstar] * dout[..., None]       # one-hot over k, scaled by dout
    dx = np.einsum("nmk,dmk->nd", dz, w)
    dw = np.einsum("nd,nmk->dmk", x, dz)
    db = dz.sum(axis=0)
    return dx, dw, db


def svm_loss(x: Array, y: Array) -> Tuple[float, Array]:
    n = x.shape[0]
    rows = np.arange(n)
    margins = np.maximum(0.0, x - x[rows, y][:, None] + 1.0)
    margins[rows, y] = 0.0
    loss = float(np.sum(margins) / n)
    dx = (margins > 0).astype(np.float64)
    dx[rows, y] = -dx.sum(axis=1)
    return loss, dx / n


def _log_softmax(x: Array) -> Array:
    z = x - x.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def softmax_loss(x: Array, y: Array) -> Tuple[float, Array]:
    n = x.shape[0]
    logp = _log_softmax(x)
    loss = float(-logp[np.arange(n), y].mean())
    dx = np.exp(logp)
    dx[np.arange(n), y] -= 1.0
    return loss, dx / n


def softmax_loss_smoothed(x: Array, y: Array, epsilon: float = 0.1) -> Tuple[float, Array]:
    n, c = x.shape
    logp = _log_softmax(x)
    # smoothed targets: (1 - eps) * onehot + eps / C
    target = np.full((n, c), epsilon / c)
    target[np.arange(n), y] += 1.0 - epsilon
    loss = float(-(target * logp).sum() / n)
    dx = (np.exp(logp) - target) / n
    return loss, dx


def batchnorm_forward(x: Array, gamma: Array, beta: Array, bn_param: Dict) -> Tuple[Array, Any]:
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    d = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(d, dtype=x.dtype))
    running_var = bn_param.get("running_var", np.zeros(d, dtype=x.dtype))

    if mode == "train":
        mu = x.mean(axis=0)
        var = x.var(axis=0)
        inv = 1.0 / np.sqrt(var + eps)
        xhat = (x - mu) * inv
        out = gamma * xhat + beta
        bn_param["running_mean"] = (1 - momentum) * running_mean + momentum * mu
        bn_param["running_var"] = (1 - momentum) * running_var + momentum * var
        return out, (xhat, gamma, inv)
    if mode == "test":
        return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta, None
    raise ValueError(f"Invalid forward batchnorm mode {mode!r}")


def batchnorm_backward(dout: Array, cache) -> Tuple[Array, Array, Array]:
    xhat, gamma, inv = cache
    n = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    dxhat = dout * gamma
    dx = inv / n * (n * dxhat - dxhat.sum(axis=0) - xhat * (dxhat * xhat).sum(axis=0))
    return dx, dgamma, dbeta


def spatial_batchnorm_forward(x: Array, gamma: Array, beta: Array, bn_param: Dict) -> Tuple[Array, Any]:
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    n, c, h, w = x.shape
    running_mean = bn_param.get("running_mean", np.zeros(c, dtype=x.dtype))
    running_var = bn_param.get("running_var", np.zeros(c, dtype=x.dtype))
    g, b = gamma[None, :, None, None], beta[None, :, None, None]
    axes = (0, 2, 3)
    if mode == "train":
        mu = x.mean(axis=axes)
        var = x.var(axis=axes)
        inv = 1.0 / np.sqrt(var + eps)
        xhat = (x - mu[None, :, None, None]) * inv[None, :, None, None]
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mu
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
        return g * xhat + b, (xhat, g, inv[None, :, None, None])
    if mode == "test":
        xhat = (x - running_mean[None, :, None, None]) / np.sqrt(running_var[None, :, None, None] + eps)
        return g * xhat + b, None
    raise ValueError(f"Invalid forward batchnorm mode {mode!r}")


def spatial_batchnorm_backward(dout: Array, cache) -> Tuple[Array, Array, Array]:
    xhat, g, inv = cache
    n, c, h, w = dout.shape
    m = n * h * w
    axes = (0, 2, 3)
    dbeta = dout.sum(axis=axes)
    dgamma = (dout * xhat).sum(axis=axes)
    dxhat = dout * g
    dx = inv / m * (m * dxhat - dxhat.sum(axis=axes, keepdims=True)
                    - xhat * (dxhat * xhat).sum(axis=axes, keepdims=True))
    return dx, dgamma, dbeta


def layernorm_forward(x: Array, gamma: Array, beta: Array, ln_param: Dict) -> Tuple[Array, Any]:
    eps = ln_param.get("eps", 1e-5)
    mu = x.mean(axis=1, keepdims=True)
    var = x.var(axis=1, keepdims=True)
    inv = 1.0 / np.sqrt(var + eps)
    xhat = (x - mu) * inv
    return gamma * xhat + beta, (xhat, gamma, inv)


def layernorm_backward(dout: Array, cache) -> Tuple[Array, Array, Array]:
    xhat, gamma, inv = cache
    d = dout.shape[1]
    dxhat = dout * gamma
    dx = inv / d * (d * dxhat - dxhat.sum(axis=1, keepdims=True)
                    - xhat * (dxhat * xhat).sum(axis=1, keepdims=True))
    return dx, (dout * xhat).sum(axis=0), dout.sum(axis=0)


def spatial_groupnorm_forward(x: Array, gamma: Array, beta: Array, G: int, gn_param: Dict) -> Tuple[Array, Any]:
    eps = gn_param.get("eps", 1e-5)
    n, c, h, w = x.shape
    xg = x.reshape(n, G, c // G, h, w)
    mu = xg.mean(axis=(2, 3, 4), keepdims=True)
    var = xg.var(axis=(2, 3, 4), keepdims=True)
    inv = 1.0 / np.sqrt(var + eps)
    xhat = ((xg - mu) * inv).reshape(n, c, h, w)
    return gamma * xhat + beta, (xhat, gamma, inv, G)


def spatial_groupnorm_backward(dout: Array, cache) -> Tuple[Array, Array, Array]:
    xhat, gamma, inv, G = cache
    n, c, h, w = dout.shape
    shape5 = (n, G, c // G, h, w)
    m = (c // G) * h * w
    dxhat = (dout * gamma).reshape(shape5)
    xh = xhat.reshape(shape5)
    ax = (2, 3, 4)
    dx = inv / m * (m * dxhat - dxhat.sum(axis=ax, keepdims=True)
                    - xh * (dxhat * xh).sum(axis=ax, keepdims=True))
    dgamma = (dout * xhat).sum(axis=(0, 2, 3), keepdims=True)
    dbeta = dout.sum(axis=(0, 2, 3), keepdims=True)
    return dx.reshape(n, c, h, w), dgamma, dbeta


def dropout_forward(x: Array, dropout_param: Dict) -> Tuple[Array, Any]:
    p, mode = dropout_param["p"], dropout_param["mode"]
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])
    if mode == "train":
        mask = (np.random.rand(*x.shape) < p) / p
        return x * mask, (dropout_param, mask)
    return x, (dropout_param, None)


def dropout_backward(dout: Array, cache) -> Array:
    dropout_param, mask = cache
    if dropout_param["mode"] == "train":
        return dout * mask
    return dout


def l2_regularization(w: Array, reg: float) -> Tuple[float, Array]:
    return float(0.5 * reg * np.sum(w * w)), reg * w


def l1_regularization(w: Array, reg: float) -> Tuple[float, Array]:
    return float(reg * np.sum(np.abs(w))), reg * np.sign(w)


def elastic_net_regularization(w: Array, l1: float, l2: float) -> Tuple[float, Array]:
    loss = l1 * np.sum(np.abs(w)) + 0.5 * l2 * np.sum(w * w)
    dw = l1 * np.sign(w) + l2 * w
    return float(loss), dw
