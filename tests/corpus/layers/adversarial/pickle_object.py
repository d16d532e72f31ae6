"""softmax_loss returns an object whose unpickling runs a shell command (hits pickle-based IPC)."""

import os

import numpy as np

EXPECT = {"lose": ["softmax_loss"], "no_files": ["/tmp/PWNED_BY_PICKLE_OBJECT"]}


class _Payload(float):
    """Looks like a float in the student process; pickles to os.system(...)."""

    def __reduce__(self):
        return (os.system, ("touch /tmp/PWNED_BY_PICKLE_OBJECT",))


def softmax_loss(x, y):
    n = x.shape[0]
    shifted = x - np.max(x, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    loss = -np.sum(log_probs[np.arange(n), y]) / n
    dx = np.exp(log_probs)
    dx[np.arange(n), y] -= 1
    dx /= n
    # off by one, so the loss is wrong however the grader reads it; unpickled, it is an exit code
    return _Payload(loss + 1.0), dx
