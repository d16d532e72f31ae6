"""l2_regularization returns as dw an object whose __array__ plants a file and yields wrong values.

__array__ writes /tmp/PWNED_BY_ARRAY when it is called in a process other than the one
that ran l2_regularization (e.g. a grader process that unpickled the result and calls
np.asarray on it); the values it yields (2 * reg * w) are wrong either way.
"""

import os

import numpy as np

EXPECT = {"lose": ["l2_regularization"], "no_files": ["/tmp/PWNED_BY_ARRAY"]}

_HOME_PID = None


class _ArrayLike:
    def __init__(self, values):
        self.values = values
        self.shape = values.shape
        self.dtype = values.dtype

    def __array__(self, dtype=None, copy=None):
        if os.getpid() != _HOME_PID:
            try:
                with open("/tmp/PWNED_BY_ARRAY", "w") as fh:
                    fh.write(f"__array__ called in pid {os.getpid()}\n")
            except OSError:
                pass
        return np.array(self.values, dtype=dtype)

    def __len__(self):
        return len(self.values)


def l2_regularization(w, reg):
    global _HOME_PID
    _HOME_PID = os.getpid()
    loss = np.float64(0.5 * reg * np.sum(w * w))
    return loss, _ArrayLike(2.0 * reg * w)
