"""Weight initializers for fully connected layers.

All distributions are built from two primitives drawn from rng:
standard normals (scaled by a std) and U[0, 1) (mapped onto [-b, b)).
"""

import numpy as np


def _fans(shape):
    fan_in, fan_out = int(shape[0]), int(shape[1])
    return fan_in, fan_out


def _normal(shape, rng, std):
    return std * rng.standard_normal(shape)


def _uniform(shape, rng, bound):
    # rng.random is U[0, 1); 2u - 1 is U[-1, 1)
    return bound * (2.0 * rng.random(shape) - 1.0)


def zeros(shape):
    return np.zeros(shape, dtype=np.float64)


def small_random(shape, rng, scale=0.01):
    return _normal(shape, rng, scale)


def lecun_uniform(shape, rng):
    fan_in, _ = _fans(shape)
    return _uniform(shape, rng, 1.0 / np.sqrt(fan_in))


def xavier_uniform(shape, rng, gain=1.0):
    fan_in, fan_out = _fans(shape)
    return _uniform(shape, rng, gain * np.sqrt(6.0 / (fan_in + fan_out)))


def xavier_normal(shape, rng, gain=1.0):
    fan_in, fan_out = _fans(shape)
    return _normal(shape, rng, gain * np.sqrt(2.0 / (fan_in + fan_out)))


def he_normal(shape, rng):
    fan_in, _ = _fans(shape)
    return _normal(shape, rng, np.sqrt(2.0 / fan_in))


def he_uniform(shape, rng):
    fan_in, _ = _fans(shape)
    return _uniform(shape, rng, np.sqrt(6.0 / fan_in))


def _gram_schmidt(a):
    """Orthonormalise the columns of a tall matrix a (classical Gram-Schmidt with one
    re-orthogonalisation pass, "CGS2"). Same as the Q of a QR with positive diag(R)."""
    q = a.copy()
    for j in range(q.shape[1]):
        v = q[:, j]
        for _ in range(2):
            v = v - q[:, :j] @ (q[:, :j].T @ v)
        q[:, j] = v / np.linalg.norm(v)
    return q


def orthogonal(shape, rng, gain=1.0):
    fan_in, fan_out = _fans(shape)
    if fan_in >= fan_out:
        return gain * _gram_schmidt(rng.standard_normal((fan_in, fan_out)))
    return gain * _gram_schmidt(rng.standard_normal((fan_out, fan_in))).T


def sparse(shape, rng, k=15, scale=1.0):
    fan_in, fan_out = _fans(shape)
    nnz = min(k, fan_in)
    W = np.zeros((fan_in, fan_out))
    # a random permutation of the rows of every column = argsort of iid uniforms;
    # keep its first nnz entries as the support of that column
    rows = np.argsort(rng.random((fan_in, fan_out)), axis=0)[:nnz]
    cols = np.broadcast_to(np.arange(fan_out), rows.shape)
    W[rows, cols] = _normal((nnz, fan_out), rng, scale)
    return W
