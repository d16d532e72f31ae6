"""Applies the 0/1 keep pattern but forgets the 1/p scaling."""

MISTAKE = "mask-not-scaled"


def dropout_backward(dout, cache):
    dropout_param, mask = cache
    if dropout_param["mode"] == "train":
        return dout * (mask != 0)
    return dout.copy()
