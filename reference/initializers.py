"""Weight initializers for fully connected layers.

Every initializer builds the weight matrix W of a dense layer used as ``out = x @ W``:

- ``shape`` is the tuple ``(fan_in, fan_out)``: ``fan_in`` is the number of inputs of the
  layer (rows of W) and ``fan_out`` the number of outputs (columns of W);
- ``rng`` is a ``numpy.random.Generator`` (e.g. ``np.random.default_rng(0)``) and must be
  the ONLY source of randomness: draw every random number from it (``rng.standard_normal``,
  ``rng.normal``, ``rng.uniform``, ``rng.random``, ``rng.choice``, ``rng.permutation``,
  ...), never from ``np.random.*`` functions, so that the same generator state always
  gives the same weights.

Every initializer returns a float64 NumPy array of exactly the given shape.
"""

import numpy as np


def zeros(shape):
    """All-zero weights.

    Every unit of the layer then computes the same output and receives the same gradient,
    so the units never become different (the symmetry problem): use it only to see that
    happen in the experiments.

    Inputs:
    - shape: Tuple (fan_in, fan_out).

    Returns:
    - W: A float64 array of zeros, of shape (fan_in, fan_out).
    """
    # BEGIN SOLUTION
    return np.zeros(tuple(shape), dtype=np.float64)
    # END SOLUTION


def small_random(shape, rng, scale=0.01):
    """Small Gaussian random weights: every entry is drawn independently from
    N(0, scale**2), i.e. a normal distribution with mean 0 and standard deviation scale.

    (The classic ``0.01 * np.random.randn(fan_in, fan_out)``, but drawn from rng.)

    Inputs:
    - shape: Tuple (fan_in, fan_out).
    - rng: A numpy.random.Generator, the only source of randomness.
    - scale: Standard deviation of the weights (default 0.01).

    Returns:
    - W: A float64 array of shape (fan_in, fan_out).
    """
    # BEGIN SOLUTION
    shape = tuple(shape)
    return scale * rng.standard_normal(shape)
    # END SOLUTION


def lecun_uniform(shape, rng):
    """LeCun uniform initialization: every entry is drawn independently from the uniform
    distribution U(-b, b) with

        b = 1 / sqrt(fan_in)

    Inputs:
    - shape: Tuple (fan_in, fan_out).
    - rng: A numpy.random.Generator, the only source of randomness.

    Returns:
    - W: A float64 array of shape (fan_in, fan_out).
    """
    # BEGIN SOLUTION
    shape = tuple(shape)
    fan_in = shape[0]
    bound = 1.0 / np.sqrt(fan_in)
    return rng.uniform(-bound, bound, size=shape)
    # END SOLUTION


def xavier_uniform(shape, rng, gain=1.0):
    """Xavier (Glorot) uniform initialization: every entry is drawn independently from the
    uniform distribution U(-b, b) with

        b = gain * sqrt(6 / (fan_in + fan_out))

    (the variance of U(-b, b) is b**2 / 3 = gain**2 * 2 / (fan_in + fan_out)).

    Inputs:
    - shape: Tuple (fan_in, fan_out).
    - rng: A numpy.random.Generator, the only source of randomness.
    - gain: Scaling factor (default 1.0).

    Returns:
    - W: A float64 array of shape (fan_in, fan_out).
    """
    # BEGIN SOLUTION
    shape = tuple(shape)
    fan_in, fan_out = shape
    bound = gain * np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-bound, bound, size=shape)
    # END SOLUTION


def xavier_normal(shape, rng, gain=1.0):
    """Xavier (Glorot) normal initialization: every entry is drawn independently from

        N(0, std**2)  with  std = gain * sqrt(2 / (fan_in + fan_out))

    Inputs:
    - shape: Tuple (fan_in, fan_out).
    - rng: A numpy.random.Generator, the only source of randomness.
    - gain: Scaling factor (default 1.0).

    Returns:
    - W: A float64 array of shape (fan_in, fan_out).
    """
    # BEGIN SOLUTION
    shape = tuple(shape)
    fan_in, fan_out = shape
    std = gain * np.sqrt(2.0 / (fan_in + fan_out))
    return std * rng.standard_normal(shape)
    # END SOLUTION


def he_normal(shape, rng):
    """He (Kaiming) normal initialization, for layers followed by a ReLU: every entry is
    drawn independently from

        N(0, std**2)  with  std = sqrt(2 / fan_in)

    i.e. ``randn(fan_in, fan_out) * sqrt(2 / fan_in)`` (a multiplication: beware of lecture
    slides that print a division here).

    Inputs:
    - shape: Tuple (fan_in, fan_out).
    - rng: A numpy.random.Generator, the only source of randomness.

    Returns:
    - W: A float64 array of shape (fan_in, fan_out).
    """
    # BEGIN SOLUTION
    shape = tuple(shape)
    fan_in = shape[0]
    return rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)
    # END SOLUTION


def he_uniform(shape, rng):
    """He (Kaiming) uniform initialization: every entry is drawn independently from the
    uniform distribution U(-b, b) with

        b = sqrt(6 / fan_in)

    (the variance of U(-b, b) is b**2 / 3 = 2 / fan_in, as for he_normal).

    Inputs:
    - shape: Tuple (fan_in, fan_out).
    - rng: A numpy.random.Generator, the only source of randomness.

    Returns:
    - W: A float64 array of shape (fan_in, fan_out).
    """
    # BEGIN SOLUTION
    shape = tuple(shape)
    fan_in = shape[0]
    bound = np.sqrt(6.0 / fan_in)
    return rng.uniform(-bound, bound, size=shape)
    # END SOLUTION


def orthogonal(shape, rng, gain=1.0):
    """Orthogonal initialization: gain times a random (semi-)orthogonal matrix.

    - If fan_in >= fan_out, the columns of W / gain are orthonormal: W.T @ W = gain**2 * I.
    - If fan_in < fan_out, the rows of W / gain are orthonormal: W @ W.T = gain**2 * I.

    Hint: take the QR decomposition (np.linalg.qr) of a matrix of independent standard
    normal entries with at least as many rows as columns; Q has orthonormal columns.
    Multiplying each column of Q by the sign of the matching diagonal entry of R makes the
    result uniformly distributed over all such matrices. Transpose when fan_in < fan_out.

    Inputs:
    - shape: Tuple (fan_in, fan_out).
    - rng: A numpy.random.Generator, the only source of randomness.
    - gain: Scaling factor (default 1.0).

    Returns:
    - W: A float64 array of shape (fan_in, fan_out).
    """
    # BEGIN SOLUTION
    fan_in, fan_out = tuple(shape)
    rows, cols = max(fan_in, fan_out), min(fan_in, fan_out)
    a = rng.standard_normal((rows, cols))
    q, r = np.linalg.qr(a)  # q: (rows, cols), orthonormal columns
    signs = np.sign(np.diag(r))
    signs[signs == 0] = 1.0
    q = q * signs  # sign correction: Q is then Haar-distributed
    if fan_in < fan_out:
        q = q.T
    return np.asarray(gain * q, dtype=np.float64)
    # END SOLUTION


def sparse(shape, rng, k=15, scale=1.0):
    """Sparse initialization (Martens, 2010): every output unit (column of W) has exactly
    min(k, fan_in) nonzero incoming weights, at rows chosen at random (without repetition,
    independently for each column); their values are drawn independently from
    N(0, scale**2). All other weights are zero.

    Inputs:
    - shape: Tuple (fan_in, fan_out).
    - rng: A numpy.random.Generator, the only source of randomness.
    - k: Number of nonzero weights per column (default 15).
    - scale: Standard deviation of the nonzero weights (default 1.0).

    Returns:
    - W: A float64 array of shape (fan_in, fan_out).
    """
    # BEGIN SOLUTION
    fan_in, fan_out = tuple(shape)
    count = min(int(k), fan_in)
    w = np.zeros((fan_in, fan_out), dtype=np.float64)
    for j in range(fan_out):
        rows = rng.choice(fan_in, size=count, replace=False)
        w[rows, j] = scale * rng.standard_normal(count)
    return w
    # END SOLUTION
