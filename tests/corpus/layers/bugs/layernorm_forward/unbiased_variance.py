"""Normalizes with the unbiased per-sample variance (ddof=1)."""

import numpy as np

MISTAKE = "unbiased-variance"


def layernorm_forward(x, gamma, beta, ln_param):
    eps = ln_param.get("eps", 1e-5)
    mu = x.mean(axis=1, keepdims=True)
    var = x.var(axis=1, ddof=1, keepdims=True)
    out = gamma * (x - mu) / np.sqrt(var + eps) + beta

    xt = x.T
    xmu = xt - xt.mean(axis=0)
    var_rows = np.mean(xmu**2, axis=0)
    sqrtvar = np.sqrt(var_rows + eps)
    nodes = {"n": xt.shape[0], "xmu": xmu, "var": var_rows, "sqrtvar": sqrtvar}
    nodes.update(ivar=1 / sqrtvar, eps=eps)
    return out, {"xhat": (xmu / sqrtvar).T, "gamma": gamma, "nodes": nodes}
