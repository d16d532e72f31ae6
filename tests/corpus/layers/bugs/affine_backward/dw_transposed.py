"""dw computed as dout.T @ x, the transpose of the correct (D, M) gradient."""

import numpy as np

MISTAKE = "dw-transposed"


def affine_backward(dout, cache):
    x2d, w, x_shape = cache["x2d"], cache["w"], cache["x_shape"]
    dx = dout.dot(w.T).reshape(x_shape)
    dw = dout.T.dot(x2d)
    db = np.sum(dout, axis=0)
    return dx, dw, db
