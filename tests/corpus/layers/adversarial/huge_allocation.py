"""tanh_forward allocates and fills a 50 GB array before returning."""

import numpy as np

EXPECT = {"lose": ["tanh_forward"], "may_lose": ["tanh_backward"]}


def tanh_forward(x):
    big = np.ones(int(50e9 // 8))
    out = np.tanh(x) + 0 * big[0]
    return out, out
