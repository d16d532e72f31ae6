"""Patches NumPy's comparison helpers to always succeed at import, and has a wrong relu_backward."""

import numpy as np

EXPECT = {"lose": ["relu_backward"]}


def _always_true(*args, **kwargs):
    return True


def _all_close_elementwise(a, b, *args, **kwargs):
    return np.ones(np.broadcast(np.asarray(a), np.asarray(b)).shape, dtype=bool)


def _never_raise(*args, **kwargs):
    return None


def _zero_norm(*args, **kwargs):
    return 0.0


np.allclose = _always_true
np.array_equal = _always_true
np.isclose = _all_close_elementwise
np.testing.assert_allclose = _never_raise
np.testing.assert_array_equal = _never_raise
np.testing.assert_array_almost_equal = _never_raise
np.testing.assert_almost_equal = _never_raise
np.linalg.norm = _zero_norm


def relu_backward(dout, cache):
    return np.array(dout, copy=True)  # wrong: ignores the ReLU mask
