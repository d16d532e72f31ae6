"""Layers for the course pack: an independent, fully correct implementation.

Every forward returns ``(out, cache)`` and every backward takes ``(dout, cache)``.
Inputs are never modified: any in-place work happens on freshly allocated arrays.
Public functions never call each other (they only share the private helpers below),
so replacing one public function never changes the behaviour of another.
"""

import numpy as np

# ---------------------------------------------------------------------------
# private helpers
# ---------------------------------------------------------------------------


def _stable_sigmoid(x):
    """Logistic function without overflow: branch on the sign of x."""
    z = np.exp(-np.abs(x))  # in (0, 1], never overflows
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def _log_softmax_rows(x):
    """Row-wise log-softmax through the log-sum-exp trick."""
    shifted = x - np.max(x, axis=1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))


def _staged_norm_forward(x, eps):
    """Normalize every column of the 2-D array x (statistics over axis 0).

    Each node of the computational graph is kept so that the backward pass can
    walk the graph one stage at a time.
    """
    n = x.shape[0]
    mu = np.sum(x, axis=0) / n  # stage 1
    xmu = x - mu  # stage 2
    sq = xmu * xmu  # stage 3
    var = np.sum(sq, axis=0) / n  # stage 4 (biased)
    sqrtvar = np.sqrt(var + eps)  # stage 5
    ivar = 1.0 / sqrtvar  # stage 6
    xhat = xmu * ivar  # stage 7
    nodes = {"n": n, "xmu": xmu, "var": var, "sqrtvar": sqrtvar, "ivar": ivar, "eps": eps}
    return xhat, mu, var, nodes


def _staged_norm_backward(dxhat, nodes):
    """Backpropagate through the graph built by ``_staged_norm_forward``."""
    n = nodes["n"]
    xmu, var, sqrtvar, ivar, eps = (nodes[k] for k in ("xmu", "var", "sqrtvar", "ivar", "eps"))
    # stage 7: xhat = xmu * ivar
    divar = np.sum(dxhat * xmu, axis=0)
    dxmu_direct = dxhat * ivar
    # stage 6: ivar = 1 / sqrtvar
    dsqrtvar = -divar / (sqrtvar * sqrtvar)
    # stage 5: sqrtvar = sqrt(var + eps)
    dvar = 0.5 * dsqrtvar / np.sqrt(var + eps)
    # stage 4: var = sum(sq) / n
    dsq = np.ones_like(xmu) * (dvar / n)
    # stage 3: sq = xmu ** 2
    dxmu_sq = 2.0 * xmu * dsq
    # stage 2: xmu = x - mu
    dxmu = dxmu_direct + dxmu_sq
    dmu = -np.sum(dxmu, axis=0)
    # stage 1: mu = sum(x) / n
    dx_mean = np.ones_like(xmu) * (dmu / n)
    return dxmu + dx_mean


def _bn2d_forward(x, gamma, beta, bn_param):
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    d = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(d, dtype=x.dtype))
    running_var = bn_param.get("running_var", np.zeros(d, dtype=x.dtype))

    if mode == "train":
        xhat, mu, var, nodes = _staged_norm_forward(x, eps)
        running_mean = momentum * running_mean + (1.0 - momentum) * mu
        running_var = momentum * running_var + (1.0 - momentum) * var
    elif mode == "test":
        scale = 1.0 / np.sqrt(running_var + eps)
        xhat = (x - running_mean) * scale
        nodes = {"test_scale": scale}
    else:
        raise ValueError(f'Invalid forward batchnorm mode "{mode}"')

    scaled = gamma * xhat
    out = scaled + beta
    # new arrays are stored; the caller's running arrays are left untouched
    bn_param["running_mean"] = running_mean
    bn_param["running_var"] = running_var
    cache = {"mode": mode, "xhat": xhat, "gamma": gamma, "nodes": nodes}
    return out, cache


def _bn2d_backward(dout, cache):
    xhat, gamma, nodes = cache["xhat"], cache["gamma"], cache["nodes"]
    # out = scaled + beta
    dbeta = np.sum(dout, axis=0)
    dscaled = dout
    # scaled = gamma * xhat
    dgamma = np.sum(dscaled * xhat, axis=0)
    dxhat = dscaled * gamma
    if cache["mode"] == "test":
        dx = dxhat * nodes["test_scale"]
    else:
        dx = _staged_norm_backward(dxhat, nodes)
    return dx, dgamma, dbeta


# ---------------------------------------------------------------------------
# affine
# ---------------------------------------------------------------------------


def affine_forward(x, w, b):
    x2d = x.reshape(x.shape[0], -1)
    out = np.einsum("nd,dm->nm", x2d, w) + b
    cache = {"x2d": x2d, "w": w, "x_shape": x.shape}
    return out, cache


def affine_backward(dout, cache):
    x2d, w, x_shape = cache["x2d"], cache["w"], cache["x_shape"]
    dx = np.einsum("nm,dm->nd", dout, w).reshape(x_shape)
    dw = np.einsum("nd,nm->dm", x2d, dout)
    db = np.einsum("nm->m", dout)
    return dx, dw, db


# ---------------------------------------------------------------------------
# activations
# ---------------------------------------------------------------------------


def relu_forward(x):
    mask = x > 0
    out = np.array(x, dtype=np.float64, copy=True)
    out[~mask] = 0.0
    return out, mask


def relu_backward(dout, cache):
    dx = np.array(dout, dtype=np.float64, copy=True)
    dx[~cache] = 0.0
    return dx


def leaky_relu_forward(x, alpha=0.01):
    ax = alpha * x
    x_wins = x >= ax  # out = max(alpha * x, x)
    out = np.where(x_wins, x, ax)
    return out, (x_wins, alpha)


def leaky_relu_backward(dout, cache):
    x_wins, alpha = cache
    return dout * np.where(x_wins, 1.0, alpha)


def prelu_forward(x, alpha):
    positive = x > 0
    negative_part = np.minimum(x, 0.0)
    out = np.maximum(x, 0.0) + alpha * negative_part
    return out, (positive, negative_part, alpha)


def prelu_backward(dout, cache):
    positive, negative_part, alpha = cache
    dx = dout * np.where(positive, 1.0, alpha)
    dalpha = np.einsum("nd,nd->d", dout, negative_part)
    return dx, dalpha


def elu_forward(x, alpha=1.0):
    positive = x > 0
    out = np.where(positive, x, alpha * np.expm1(np.minimum(x, 0.0)))
    return out, (positive, out, alpha)


def elu_backward(dout, cache):
    positive, out, alpha = cache
    # for x <= 0: d/dx alpha*(exp(x)-1) = alpha*exp(x) = out + alpha
    return dout * np.where(positive, 1.0, out + alpha)


def sigmoid_forward(x):
    out = _stable_sigmoid(x)
    return out, out


def sigmoid_backward(dout, cache):
    out = cache
    return dout * out * (1.0 - out)


def tanh_forward(x):
    out = np.tanh(x)
    return out, out


def tanh_backward(dout, cache):
    out = cache
    return dout * (1.0 - out * out)


def softplus_forward(x):
    out = np.logaddexp(0.0, x)
    return out, _stable_sigmoid(x)


def softplus_backward(dout, cache):
    return dout * cache


def maxout_forward(x, w, b):
    z = np.einsum("nd,dmk->nmk", x, w) + b
    best = np.argmax(z, axis=2)
    onehot = best[:, :, None] == np.arange(z.shape[2])
    out = np.take_along_axis(z, best[:, :, None], axis=2)[:, :, 0]
    cache = {"x": x, "w": w, "onehot": onehot}
    return out, cache


def maxout_backward(dout, cache):
    x, w, onehot = cache["x"], cache["w"], cache["onehot"]
    dz = onehot * dout[:, :, None]
    dx = np.einsum("nmk,dmk->nd", dz, w)
    dw = np.einsum("nd,nmk->dmk", x, dz)
    db = np.sum(dz, axis=0)
    return dx, dw, db


# ---------------------------------------------------------------------------
# losses
# ---------------------------------------------------------------------------


def svm_loss(x, y):
    n = x.shape[0]
    rows = np.arange(n)
    correct_scores = x[rows, y][:, None]
    margins = np.maximum(0.0, x - correct_scores + 1.0)
    margins[rows, y] = 0.0
    loss = np.float64(np.sum(margins) / n)
    active = (margins > 0).astype(np.float64)
    active[rows, y] = -np.sum(active, axis=1)
    dx = active / n
    return loss, dx


def softmax_loss(x, y):
    n = x.shape[0]
    rows = np.arange(n)
    log_probs = _log_softmax_rows(x)
    loss = np.float64(-np.sum(log_probs[rows, y]) / n)
    dx = np.exp(log_probs)
    dx[rows, y] -= 1.0
    dx /= n
    return loss, dx


def softmax_loss_smoothed(x, y, epsilon=0.1):
    n, c = x.shape
    target = np.full((n, c), epsilon / (c - 1))
    target[np.arange(n), y] = 1.0 - epsilon
    log_probs = _log_softmax_rows(x)
    loss = np.float64(-np.einsum("nc,nc->", target, log_probs) / n)
    dx = (np.exp(log_probs) - target) / n
    return loss, dx


# ---------------------------------------------------------------------------
# normalization
# ---------------------------------------------------------------------------


def batchnorm_forward(x, gamma, beta, bn_param):
    return _bn2d_forward(x, gamma, beta, bn_param)


def batchnorm_backward(dout, cache):
    return _bn2d_backward(dout, cache)


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    n, c, h, w = x.shape
    x2d = x.transpose(0, 2, 3, 1).reshape(-1, c)
    out2d, bn_cache = _bn2d_forward(x2d, gamma, beta, bn_param)
    out = out2d.reshape(n, h, w, c).transpose(0, 3, 1, 2)
    return out, {"bn": bn_cache, "shape": (n, c, h, w)}


def spatial_batchnorm_backward(dout, cache):
    n, c, h, w = cache["shape"]
    dout2d = dout.transpose(0, 2, 3, 1).reshape(-1, c)
    dx2d, dgamma, dbeta = _bn2d_backward(dout2d, cache["bn"])
    dx = dx2d.reshape(n, h, w, c).transpose(0, 3, 1, 2)
    return dx, dgamma, dbeta


def layernorm_forward(x, gamma, beta, ln_param):
    eps = (ln_param or {}).get("eps", 1e-5)
    # layer norm of x is batch norm (without running statistics) of x.T
    xhat_t, _, _, nodes = _staged_norm_forward(x.T, eps)
    xhat = xhat_t.T
    out = gamma * xhat + beta
    return out, {"xhat": xhat, "gamma": gamma, "nodes": nodes}


def layernorm_backward(dout, cache):
    xhat, gamma, nodes = cache["xhat"], cache["gamma"], cache["nodes"]
    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(dout * xhat, axis=0)
    dxhat = dout * gamma
    dx = _staged_norm_backward(dxhat.T, nodes).T
    return dx, dgamma, dbeta


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    eps = (gn_param or {}).get("eps", 1e-5)
    n = x.shape[0]
    # one column per (sample, group); normalize the columns
    columns = x.reshape(n * G, -1).T
    xhat_cols, _, _, nodes = _staged_norm_forward(columns, eps)
    xhat = xhat_cols.T.reshape(x.shape)
    out = gamma * xhat + beta
    return out, {"xhat": xhat, "gamma": gamma, "G": G, "nodes": nodes}


def spatial_groupnorm_backward(dout, cache):
    xhat, gamma, G, nodes = cache["xhat"], cache["gamma"], cache["G"], cache["nodes"]
    n = dout.shape[0]
    dbeta = np.sum(dout, axis=(0, 2, 3), keepdims=True)
    dgamma = np.sum(dout * xhat, axis=(0, 2, 3), keepdims=True)
    dxhat = dout * gamma
    dcols = _staged_norm_backward(dxhat.reshape(n * G, -1).T, nodes)
    dx = dcols.T.reshape(dout.shape)
    return dx, dgamma, dbeta


# ---------------------------------------------------------------------------
# dropout
# ---------------------------------------------------------------------------


def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if mode == "train":
        if "seed" in dropout_param:
            np.random.seed(dropout_param["seed"])
        kept = np.random.binomial(1, p, size=x.shape)
        mask = kept.astype(np.float64) / p
        out = x * mask
    elif mode == "test":
        mask = None
        out = np.array(x, copy=True)
    else:
        raise ValueError(f'Invalid forward dropout mode "{mode}"')
    return out, (dict(dropout_param), mask)


def dropout_backward(dout, cache):
    dropout_param, mask = cache
    if dropout_param["mode"] == "train":
        return dout * mask
    return np.array(dout, copy=True)


# ---------------------------------------------------------------------------
# regularizers
# ---------------------------------------------------------------------------


def l2_regularization(w, reg):
    loss = np.float64(0.5 * reg * np.vdot(w, w))
    return loss, reg * w


def l1_regularization(w, reg):
    loss = np.float64(reg * np.sum(np.abs(w)))
    return loss, reg * np.sign(w)


def elastic_net_regularization(w, l1, l2):
    loss = np.float64(l1 * np.sum(np.abs(w)) + 0.5 * l2 * np.vdot(w, w))
    dw = l1 * np.sign(w) + l2 * w
    return loss, dw
