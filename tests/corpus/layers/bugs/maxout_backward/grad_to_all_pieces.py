"""Routes dout to every piece instead of only the piece that won the max."""

import numpy as np

MISTAKE = "grad-to-all-pieces"


def maxout_backward(dout, cache):
    x, w, onehot = cache["x"], cache["w"], cache["onehot"]
    dz = np.ones(onehot.shape) * dout[:, :, None]
    dx = np.einsum("nmk,dmk->nd", dz, w)
    dw = np.einsum("nd,nmk->dmk", x, dz)
    db = np.sum(dz, axis=0)
    return dx, dw, db
