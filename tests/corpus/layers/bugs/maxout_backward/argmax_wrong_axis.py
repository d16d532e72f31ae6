"""Decodes the winning piece with argmax over the wrong axis of the one-hot cache."""

import numpy as np


def maxout_backward(dout, cache):
    x, w, onehot = cache["x"], cache["w"], cache["onehot"]
    k = w.shape[2]
    winner = np.argmax(onehot, axis=1)  # should be axis=2
    dz = np.zeros(onehot.shape)
    for j in range(k):
        dz[:, :, j] = dout * (winner[:, j][:, None] == np.arange(w.shape[1]))
    dx = np.einsum("nmk,dmk->nd", dz, w)
    dw = np.einsum("nd,nmk->dmk", x, dz)
    db = np.sum(dz, axis=0)
    return dx, dw, db
