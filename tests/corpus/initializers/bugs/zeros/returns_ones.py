"""Returns ones instead of zeros."""

import numpy as np

MISTAKE = "ones"


def zeros(shape):
    return np.ones(shape)
