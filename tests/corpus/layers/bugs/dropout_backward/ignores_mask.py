"""Returns dout unchanged in train mode, ignoring the dropout mask."""

import numpy as np

MISTAKE = "ignores-mask"


def dropout_backward(dout, cache):
    return np.array(dout, copy=True)
