"""Divides by p again although the cached mask is already scaled by 1/p."""

MISTAKE = "divides-by-p-twice"


def dropout_backward(dout, cache):
    dropout_param, mask = cache
    if dropout_param["mode"] == "train":
        return dout * mask / dropout_param["p"]
    return dout.copy()
