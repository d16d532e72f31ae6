"""Computes the statistics over the batch axis (axis 0) instead of over the features."""

import numpy as np

MISTAKE = "normalizes-over-batch"


def layernorm_forward(x, gamma, beta, ln_param):
    eps = ln_param.get("eps", 1e-5)
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    out = gamma * (x - mu) / np.sqrt(var + eps) + beta

    xt = x.T
    xmu = xt - xt.mean(axis=0)
    var_rows = np.mean(xmu**2, axis=0)
    sqrtvar = np.sqrt(var_rows + eps)
    nodes = {"n": xt.shape[0], "xmu": xmu, "var": var_rows, "sqrtvar": sqrtvar}
    nodes.update(ivar=1 / sqrtvar, eps=eps)
    return out, {"xhat": (xmu / sqrtvar).T, "gamma": gamma, "nodes": nodes}
