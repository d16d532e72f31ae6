"""dx is returned flattened as (N, D) instead of in x's original shape."""

import numpy as np

MISTAKE = "dx-not-reshaped"


def affine_backward(dout, cache):
    x2d, w = cache["x2d"], cache["w"]
    dx = dout.dot(w.T)
    dw = x2d.T.dot(dout)
    db = np.sum(dout, axis=0)
    return dx, dw, db
