"""Computes each group's statistics over the whole batch as well (axes 0, 2, 3, 4)."""

import numpy as np

MISTAKE = "stats-over-batch"


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    eps = gn_param.get("eps", 1e-5)
    n, c, h, w = x.shape
    xg = x.reshape(n, G, c // G, h, w)
    mu = xg.mean(axis=(0, 2, 3, 4), keepdims=True)
    var = xg.var(axis=(0, 2, 3, 4), keepdims=True)
    out = gamma * ((xg - mu) / np.sqrt(var + eps)).reshape(n, c, h, w) + beta

    cols = x.reshape(n * G, -1).T
    xmu = cols - cols.mean(axis=0)
    var_cols = np.mean(xmu**2, axis=0)
    sqrtvar = np.sqrt(var_cols + eps)
    nodes = {"n": cols.shape[0], "xmu": xmu, "var": var_cols, "sqrtvar": sqrtvar}
    nodes.update(ivar=1 / sqrtvar, eps=eps)
    xhat = (xmu / sqrtvar).T.reshape(x.shape)
    return out, {"xhat": xhat, "gamma": gamma, "G": G, "nodes": nodes}
