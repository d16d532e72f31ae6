"""Layers, activations, losses, normalization, dropout and regularizers.

Homework 2 -- my solutions. I keep every cache as a dict so I don't mix up the order.
"""

import numpy as np


def affine_forward(x, w, b):
    x2d = np.reshape(x, (x.shape[0], -1))
    out = np.einsum("nd,dm->nm", x2d, w) + b
    cache = {"x": x, "w": w}
    return out, cache


def affine_backward(dout, cache):
    x, w = cache["x"], cache["w"]
    x2d = np.reshape(x, (x.shape[0], -1))
    dx = np.einsum("nm,dm->nd", dout, w).reshape(x.shape)
    dw = np.einsum("nd,nm->dm", x2d, dout)
    db = np.einsum("nm->m", dout)
    return dx, dw, db


def relu_forward(x):
    out = np.where(x > 0, x, 0.0)
    return out, {"mask": x > 0}


def relu_backward(dout, cache):
    return np.where(cache["mask"], dout, 0.0)


def leaky_relu_forward(x, alpha=0.01):
    ax = alpha * x
    out = np.where(x > ax, x, ax)
    return out, {"slope": np.where(x > ax, 1.0, alpha)}


def leaky_relu_backward(dout, cache):
    return dout * cache["slope"]


def prelu_forward(x, alpha):
    pos = x > 0
    out = np.where(pos, x, x * alpha[None, :])
    return out, {"x": x, "alpha": alpha, "pos": pos}


def prelu_backward(dout, cache):
    x, alpha, pos = cache["x"], cache["alpha"], cache["pos"]
    dx = np.where(pos, dout, dout * alpha[None, :])
    dalpha = np.einsum("nd,nd->d", np.where(pos, 0.0, dout), x)
    return dx, dalpha


def elu_forward(x, alpha=1.0):
    neg_part = alpha * np.expm1(np.minimum(x, 0.0))
    out = np.where(x > 0, x, neg_part)
    return out, {"x": x, "alpha": alpha, "out": out}


def elu_backward(dout, cache):
    x, alpha = cache["x"], cache["alpha"]
    # for x <= 0: d/dx alpha*(e^x - 1) = alpha*e^x  (min() keeps exp from overflowing)
    local = np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))
    return dout * local


def sigmoid_forward(x):
    z = np.exp(-np.abs(x))          # always in (0, 1], never overflows
    out = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))
    return out, {"s": out}


def sigmoid_backward(dout, cache):
    s = cache["s"]
    return dout * s * (1.0 - s)


def tanh_forward(x):
    t = np.tanh(x)
    return t, {"t": t}


def tanh_backward(dout, cache):
    return dout * (1.0 - np.square(cache["t"]))


def softplus_forward(x):
    return np.logaddexp(0.0, x), {"x": x}


def softplus_backward(dout, cache):
    s, _ = sigmoid_forward(cache["x"])
    return dout * s


def maxout_forward(x, w, b):
    z = np.einsum("nd,dmk->nmk", x, w) + b[None, :, :]
    k_star = np.argmax(z, axis=2)
    out = np.take_along_axis(z, k_star[:, :, None], axis=2)[:, :, 0]
    return out, {"x": x, "w": w, "k": k_star}


def maxout_backward(dout, cache):
    x, w, k_star = cache["x"], cache["w"], cache["k"]
    K = w.shape[2]
    onehot = (k_star[:, :, None] == np.arange(K)[None, None, :])
    dz = dout[:, :, None] * onehot
    dx = np.einsum("nmk,dmk->nd", dz, w)
    dw = np.einsum("nd,nmk->dmk", x, dz)
    db = np.einsum("nmk->mk", dz)
    return dx, dw, db


def svm_loss(x, y):
    N = x.shape[0]
    rows = np.arange(N)
    margins = x - x[rows, y][:, None] + 1.0
    margins[rows, y] = 0.0
    active = margins > 0
    loss = np.sum(margins[active]) / N
    dx = active.astype(np.float64)
    dx[rows, y] = -np.sum(active, axis=1)
    dx /= N
    return float(loss), dx


def _log_softmax(x):
    shifted = x - np.max(x, axis=1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))


def softmax_loss(x, y):
    N = x.shape[0]
    logp = _log_softmax(x)
    loss = -np.mean(logp[np.arange(N), y])
    dx = np.exp(logp)
    dx[np.arange(N), y] -= 1.0
    return float(loss), dx / N


def softmax_loss_smoothed(x, y, epsilon=0.1):
    N, C = x.shape
    logp = _log_softmax(x)
    onehot = np.zeros_like(logp)
    onehot[np.arange(N), y] = 1.0
    t = onehot * (1.0 - epsilon) + (1.0 - onehot) * (epsilon / (C - 1))
    loss = -np.einsum("nc,nc->", t, logp) / N
    dx = (np.exp(logp) - t) / N
    return float(loss), dx


def batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param.get("mode")
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    D = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(D))
    running_var = bn_param.get("running_var", np.zeros(D))

    if mode == "train":
        mean = x.mean(axis=0)
        var = x.var(axis=0)
        inv_std = 1.0 / np.sqrt(var + eps)
        xhat = (x - mean) * inv_std
        out = gamma * xhat + beta
        bn_param["running_mean"] = momentum * running_mean + (1.0 - momentum) * mean
        bn_param["running_var"] = momentum * running_var + (1.0 - momentum) * var
        cache = {"xhat": xhat, "gamma": gamma, "inv_std": inv_std}
    elif mode == "test":
        out = gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta
        cache = None
    else:
        raise ValueError("mode must be 'train' or 'test', got %r" % (mode,))
    return out, cache


def batchnorm_backward(dout, cache):
    xhat, gamma, inv_std = cache["xhat"], cache["gamma"], cache["inv_std"]
    N = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = np.einsum("nd,nd->d", dout, xhat)
    # simplified on paper: dx = gamma*inv_std/N * (N*dout - sum(dout) - xhat*sum(dout*xhat))
    dx = (gamma * inv_std / N) * (N * dout - dbeta - xhat * dgamma)
    return dx, dgamma, dbeta


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    N, C, H, W = x.shape
    flat = np.moveaxis(x, 1, -1).reshape(-1, C)
    out, cache = batchnorm_forward(flat, gamma, beta, bn_param)
    out = np.moveaxis(out.reshape(N, H, W, C), -1, 1)
    return out, {"bn": cache, "shape": x.shape}


def spatial_batchnorm_backward(dout, cache):
    N, C, H, W = cache["shape"]
    flat = np.moveaxis(dout, 1, -1).reshape(-1, C)
    dx, dgamma, dbeta = batchnorm_backward(flat, cache["bn"])
    dx = np.moveaxis(dx.reshape(N, H, W, C), -1, 1)
    return dx, dgamma, dbeta


def layernorm_forward(x, gamma, beta, ln_param):
    eps = ln_param.get("eps", 1e-5)
    mean = x.mean(axis=1, keepdims=True)
    var = x.var(axis=1, keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    xhat = (x - mean) * inv_std
    out = gamma * xhat + beta
    return out, {"xhat": xhat, "gamma": gamma, "inv_std": inv_std}


def layernorm_backward(dout, cache):
    xhat, gamma, inv_std = cache["xhat"], cache["gamma"], cache["inv_std"]
    D = dout.shape[1]
    dbeta = dout.sum(axis=0)
    dgamma = np.einsum("nd,nd->d", dout, xhat)
    dxhat = dout * gamma
    dx = (inv_std / D) * (D * dxhat
                          - dxhat.sum(axis=1, keepdims=True)
                          - xhat * np.einsum("nd,nd->n", dxhat, xhat)[:, None])
    return dx, dgamma, dbeta


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    eps = gn_param.get("eps", 1e-5)
    N, C, H, W = x.shape
    xg = x.reshape(N, G, C // G, H, W)
    mean = xg.mean(axis=(2, 3, 4), keepdims=True)
    var = xg.var(axis=(2, 3, 4), keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    xhat = ((xg - mean) * inv_std).reshape(N, C, H, W)
    out = gamma * xhat + beta
    return out, {"xhat": xhat, "gamma": gamma, "inv_std": inv_std, "G": G}


def spatial_groupnorm_backward(dout, cache):
    xhat, gamma, inv_std, G = cache["xhat"], cache["gamma"], cache["inv_std"], cache["G"]
    N, C, H, W = dout.shape
    dbeta = dout.sum(axis=(0, 2, 3), keepdims=True)
    dgamma = (dout * xhat).sum(axis=(0, 2, 3), keepdims=True)
    dxhat = (dout * gamma).reshape(N, G, -1)
    xh = xhat.reshape(N, G, -1)
    m = dxhat.shape[2]
    dx = (inv_std.reshape(N, G, 1) / m) * (m * dxhat
                                           - dxhat.sum(axis=2, keepdims=True)
                                           - xh * np.sum(dxhat * xh, axis=2, keepdims=True))
    return dx.reshape(N, C, H, W), dgamma, dbeta


def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])
    if mode == "train":
        mask = (np.random.rand(*x.shape) < p) / p
        out = x * mask
    else:
        mask = None
        out = x
    return out, (dropout_param, mask)


def dropout_backward(dout, cache):
    dropout_param, mask = cache
    if dropout_param["mode"] == "train":
        return dout * mask
    return dout


def l2_regularization(w, reg):
    return float(0.5 * reg * np.vdot(w, w)), reg * w


def l1_regularization(w, reg):
    return float(reg * np.abs(w).sum()), reg * np.sign(w)


def elastic_net_regularization(w, l1, l2):
    loss_l1, dw_l1 = l1_regularization(w, l1)
    loss_l2, dw_l2 = l2_regularization(w, l2)
    return loss_l1 + loss_l2, dw_l1 + dw_l2
