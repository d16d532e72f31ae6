"""Flattens x with reshape(D, N).T, which scrambles samples and features."""

MISTAKE = "flatten-mixes-examples"


def affine_forward(x, w, b):
    x_flat = x.reshape(w.shape[0], -1).T
    out = x_flat.dot(w) + b
    cache = {"x2d": x.reshape(x.shape[0], -1), "w": w, "x_shape": x.shape}
    return out, cache
