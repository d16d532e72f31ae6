"""softmax_loss returns as loss pickled bytes that run a shell command if unpickled."""

import os
import pickle

import numpy as np

EXPECT = {"lose": ["softmax_loss"], "no_files": ["/tmp/PWNED_BY_PICKLE"]}


class _Payload:
    def __reduce__(self):
        return (os.system, ("touch /tmp/PWNED_BY_PICKLE",))


def softmax_loss(x, y):
    n = x.shape[0]
    shifted = x - np.max(x, axis=1, keepdims=True)
    probs = np.exp(shifted)
    probs /= np.sum(probs, axis=1, keepdims=True)
    dx = probs.copy()
    dx[np.arange(n), y] -= 1
    dx /= n
    return pickle.dumps(_Payload()), dx
