"""running_var averages the batch standard deviation instead of the batch variance."""

import numpy as np

MISTAKE = "running-var-from-std"


def batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    d = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(d))
    running_var = bn_param.get("running_var", np.zeros(d))
    if mode == "train":
        mu = np.mean(x, axis=0)
        xmu = x - mu
        var = np.mean(xmu**2, axis=0)
        out = gamma * xmu / np.sqrt(var + eps) + beta
        sqrtvar = np.sqrt(var + eps)
        running_mean = momentum * running_mean + (1 - momentum) * mu
        running_var = momentum * running_var + (1 - momentum) * sqrtvar

        nodes = {"n": x.shape[0], "xmu": xmu, "var": var, "sqrtvar": sqrtvar, "ivar": 1 / sqrtvar}
        nodes["eps"] = eps
        cache = {"mode": "train", "xhat": xmu / sqrtvar, "gamma": gamma, "nodes": nodes}

    elif mode == "test":
        scale = 1 / np.sqrt(running_var + eps)
        xhat = (x - running_mean) * scale
        out = gamma * xhat + beta
        cache = {"mode": "test", "xhat": xhat, "gamma": gamma, "nodes": {"test_scale": scale}}
    else:
        raise ValueError(f"Invalid forward batchnorm mode {mode}")

    bn_param["running_mean"] = running_mean
    bn_param["running_var"] = running_var
    return out, cache
