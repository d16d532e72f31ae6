import numpy as np


def zeros(shape):
    return np.zeros((shape[0], shape[1]), dtype=np.float64)


def small_random(shape, rng, scale=0.01):
    return scale * rng.standard_normal(size=shape)


def lecun_uniform(shape, rng):
    n_in = shape[0]
    limit = 1. / np.sqrt(n_in)
    return rng.uniform(-limit, limit, shape)


def xavier_uniform(shape, rng, gain=1.0):
    n_in, n_out = shape[0], shape[1]
    fan_avg = (n_in + n_out) / 2.
    limit = gain * np.sqrt(3. / fan_avg)
    return rng.uniform(-limit, limit, shape)


def xavier_normal(shape, rng, gain=1.0):
    n_in, n_out = shape[0], shape[1]
    fan_avg = (n_in + n_out) / 2.
    return gain * np.sqrt(1. / fan_avg) * rng.standard_normal(shape)


def he_normal(shape, rng):
    n_in = shape[0]
    return rng.standard_normal(shape) * np.sqrt(2. / n_in)


def he_uniform(shape, rng):
    n_in = shape[0]
    limit = np.sqrt(6. / n_in)
    return rng.uniform(-limit, limit, shape)


def orthogonal(shape, rng, gain=1.0):
    rows, cols = shape
    if rows < cols:
        flat = rng.standard_normal((cols, rows))
    else:
        flat = rng.standard_normal((rows, cols))
    q, r = np.linalg.qr(flat)
    d = np.diag(r)
    q *= np.sign(d)
    if rows < cols:
        q = q.T
    # print(np.allclose(q.T @ q, np.eye(q.shape[1])) if rows >= cols else np.allclose(q @ q.T, np.eye(rows)))
    return gain * q


def sparse(shape, rng, k=15, scale=1.0):
    n_in, n_out = shape
    W = np.zeros((n_in, n_out))
    n_nonzero = min(k, n_in)
    for j in range(n_out):
        idx = rng.choice(n_in, n_nonzero, replace=False)
        for i in idx:
            W[i, j] = scale * rng.standard_normal()
    return W
