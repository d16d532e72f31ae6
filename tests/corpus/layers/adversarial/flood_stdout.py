"""relu_forward prints 200 MB to stdout, then returns the correct result."""

import numpy as np

EXPECT = {
    "lose": [],
    # killing the call for its output is acceptable; hanging or echoing 200 MB is not
    "may_lose": ["relu_forward", "relu_backward"],
    "bounded_output": True,
}


def relu_forward(x):
    for _ in range(20):
        print("x" * 10_000_000)
    mask = x > 0
    return np.where(mask, x, 0.0), mask
