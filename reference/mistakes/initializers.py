"""Known mistakes for the `initializers` assignment, as variants of
:mod:`reference.initializers`.

Each variant is a complete function with the exact signature of the reference function it
replaces (same name; later definitions shadow earlier ones at module level, which is
intended: the registry keeps every variant, in definition order). The grader judges
random initializers as distributions, so it names a variant whose samples look like the
student's (same scale, two-sample KS test); a variant therefore has to reproduce the
mistaken DISTRIBUTION, and every variant except the ``ignores-rng`` ones is deterministic
given ``rng``. Variants that share a distribution with the reference (``ignores-rng``) come
last for their function, so that they are only tried after the others.
"""

import numpy as np

from reference.mistakes import mistake

# ----------------------------------------------------------------------------------------
# private helpers (this module is never shown to students)
# ----------------------------------------------------------------------------------------


def _fans(shape):
    fan_in, fan_out = tuple(shape)
    return fan_in, fan_out


def _normal(rng, shape, std):
    return std * rng.standard_normal(tuple(shape))


def _uniform(rng, shape, bound):
    return rng.uniform(-bound, bound, size=tuple(shape))


def _haar_columns(rng, rows, cols):
    """A (rows, cols) matrix with orthonormal columns (rows >= cols), as in the reference."""
    q, r = np.linalg.qr(rng.standard_normal((rows, cols)))
    signs = np.sign(np.diag(r))
    signs[signs == 0] = 1.0
    return q * signs


# ----------------------------------------------------------------------------------------
# zeros
# ----------------------------------------------------------------------------------------


@mistake("ones", "returns ones (np.ones) instead of zeros; use np.zeros(shape).")
def zeros(shape):
    return np.ones(tuple(shape), dtype=np.float64)


# ----------------------------------------------------------------------------------------
# small_random
# ----------------------------------------------------------------------------------------


@mistake(
    "scale-squared",
    "uses scale**2 as the standard deviation (scale is the standard deviation of "
    "N(0, scale²), not its variance): multiply standard normal draws by scale.",
)
def small_random(shape, rng, scale=0.01):
    return _normal(rng, shape, scale**2)


@mistake(
    "rand-instead-of-randn",
    "draws from the uniform distribution on [0, 1) (rand / rng.random) instead of the "
    "standard normal (randn / rng.standard_normal), so the weights are all positive.",
)
def small_random(shape, rng, scale=0.01):  # noqa: F811
    return scale * rng.random(tuple(shape))


@mistake(
    "uniform-instead-of-normal",
    "draws from a uniform distribution U(-scale, scale) instead of the normal N(0, scale²).",
)
def small_random(shape, rng, scale=0.01):  # noqa: F811
    return _uniform(rng, shape, scale)


@mistake(
    "ignores-rng",
    "draws from np.random's global state instead of the rng argument, so the same rng "
    "does not give the same weights: use rng.standard_normal(shape).",
)
def small_random(shape, rng, scale=0.01):  # noqa: F811
    return scale * np.random.randn(*tuple(shape))


# ----------------------------------------------------------------------------------------
# lecun_uniform
# ----------------------------------------------------------------------------------------


@mistake(
    "normal-instead-of-uniform",
    "draws from a normal distribution (with the variance 1/(3·fan_in) of the uniform) "
    "where a uniform U(-1/sqrt(fan_in), 1/sqrt(fan_in)) is specified.",
)
def lecun_uniform(shape, rng):
    fan_in, _ = _fans(shape)
    return _normal(rng, shape, 1.0 / np.sqrt(3.0 * fan_in))


@mistake(
    "fan-out",
    "uses fan_out (shape[1]) instead of fan_in (shape[0]) in the bound 1/sqrt(fan_in).",
)
def lecun_uniform(shape, rng):  # noqa: F811
    _, fan_out = _fans(shape)
    return _uniform(rng, shape, 1.0 / np.sqrt(fan_out))


@mistake(
    "missing-sqrt",
    "uses the bound 1/fan_in instead of 1/sqrt(fan_in).",
)
def lecun_uniform(shape, rng):  # noqa: F811
    fan_in, _ = _fans(shape)
    return _uniform(rng, shape, 1.0 / fan_in)


# ----------------------------------------------------------------------------------------
# xavier_uniform
# ----------------------------------------------------------------------------------------


@mistake(
    "bound-6-over-sqrt",
    "uses the bound gain·6/sqrt(fan_in + fan_out), a misprint copied from lecture slides; "
    "the Glorot bound is gain·sqrt(6/(fan_in + fan_out)) = gain·sqrt(6)/sqrt(fan_in + fan_out).",
)
def xavier_uniform(shape, rng, gain=1.0):
    fan_in, fan_out = _fans(shape)
    return _uniform(rng, shape, gain * 6.0 / np.sqrt(fan_in + fan_out))


@mistake(
    "normal-instead-of-uniform",
    "draws from a normal distribution N(0, gain²·2/(fan_in + fan_out)) (Xavier normal) "
    "where the uniform U(-b, b), b = gain·sqrt(6/(fan_in + fan_out)), is specified.",
)
def xavier_uniform(shape, rng, gain=1.0):  # noqa: F811
    fan_in, fan_out = _fans(shape)
    return _normal(rng, shape, gain * np.sqrt(2.0 / (fan_in + fan_out)))


@mistake(
    "ignores-gain",
    "ignores the gain argument: the bound is gain·sqrt(6/(fan_in + fan_out)).",
)
def xavier_uniform(shape, rng, gain=1.0):  # noqa: F811
    fan_in, fan_out = _fans(shape)
    return _uniform(rng, shape, np.sqrt(6.0 / (fan_in + fan_out)))


@mistake(
    "std-as-bound",
    "uses the Xavier standard deviation gain·sqrt(2/(fan_in + fan_out)) as the bound of "
    "the uniform; the bound is gain·sqrt(6/(fan_in + fan_out)) (a uniform U(-b, b) has "
    "standard deviation b/sqrt(3)).",
)
def xavier_uniform(shape, rng, gain=1.0):  # noqa: F811
    fan_in, fan_out = _fans(shape)
    return _uniform(rng, shape, gain * np.sqrt(2.0 / (fan_in + fan_out)))


# ----------------------------------------------------------------------------------------
# xavier_normal
# ----------------------------------------------------------------------------------------


@mistake(
    "fan-in-only",
    "uses the variance gain²/fan_in (fan_in only, as in LeCun init); Xavier averages the "
    "two fans: gain²·2/(fan_in + fan_out).",
)
def xavier_normal(shape, rng, gain=1.0):
    fan_in, _ = _fans(shape)
    return _normal(rng, shape, gain / np.sqrt(fan_in))


@mistake(
    "variance-as-std",
    "passes the variance gain²·2/(fan_in + fan_out) where the standard deviation is "
    "expected (e.g. rng.normal(0, var, shape)); the standard deviation is its square root.",
)
def xavier_normal(shape, rng, gain=1.0):  # noqa: F811
    fan_in, fan_out = _fans(shape)
    return _normal(rng, shape, gain**2 * 2.0 / (fan_in + fan_out))


@mistake(
    "uniform-instead-of-normal",
    "draws from a uniform distribution (Xavier uniform, same variance) where the normal "
    "N(0, gain²·2/(fan_in + fan_out)) is specified.",
)
def xavier_normal(shape, rng, gain=1.0):  # noqa: F811
    fan_in, fan_out = _fans(shape)
    return _uniform(rng, shape, gain * np.sqrt(6.0 / (fan_in + fan_out)))


@mistake(
    "ignores-gain",
    "ignores the gain argument: the standard deviation is gain·sqrt(2/(fan_in + fan_out)).",
)
def xavier_normal(shape, rng, gain=1.0):  # noqa: F811
    fan_in, fan_out = _fans(shape)
    return _normal(rng, shape, np.sqrt(2.0 / (fan_in + fan_out)))


@mistake(
    "ignores-rng",
    "draws from np.random's global state (np.random.normal) instead of the rng argument, "
    "so the same rng does not give the same weights: use rng.normal(0.0, std, shape).",
)
def xavier_normal(shape, rng, gain=1.0):  # noqa: F811
    fan_in, fan_out = _fans(shape)
    return np.random.normal(0.0, gain * np.sqrt(2.0 / (fan_in + fan_out)), size=tuple(shape))


# ----------------------------------------------------------------------------------------
# he_normal
# ----------------------------------------------------------------------------------------


@mistake(
    "divides-by-sqrt",
    "divides by sqrt(2/fan_in) (a misprint copied from lecture slides); He init "
    "MULTIPLIES: randn(fan_in, fan_out) * sqrt(2/fan_in).",
)
def he_normal(shape, rng):
    fan_in, _ = _fans(shape)
    return rng.standard_normal(tuple(shape)) / np.sqrt(2.0 / fan_in)


@mistake(
    "fan-out",
    "uses fan_out (shape[1]) instead of fan_in (shape[0]): the standard deviation is "
    "sqrt(2/fan_in) with fan_in = shape[0], the number of inputs.",
)
def he_normal(shape, rng):  # noqa: F811
    _, fan_out = _fans(shape)
    return _normal(rng, shape, np.sqrt(2.0 / fan_out))


@mistake(
    "missing-factor-2",
    "uses the variance 1/fan_in (LeCun / Xavier for tanh); He init for ReLU layers "
    "doubles it: N(0, 2/fan_in).",
)
def he_normal(shape, rng):  # noqa: F811
    fan_in, _ = _fans(shape)
    return _normal(rng, shape, np.sqrt(1.0 / fan_in))


@mistake(
    "variance-as-std",
    "passes the variance 2/fan_in where the standard deviation is expected (e.g. "
    "rng.normal(0, 2 / fan_in, shape)); the standard deviation is sqrt(2/fan_in).",
)
def he_normal(shape, rng):  # noqa: F811
    fan_in, _ = _fans(shape)
    return _normal(rng, shape, 2.0 / fan_in)


@mistake(
    "uniform-instead-of-normal",
    "draws from a uniform distribution (He uniform, same variance) where the normal "
    "N(0, 2/fan_in) is specified.",
)
def he_normal(shape, rng):  # noqa: F811
    fan_in, _ = _fans(shape)
    return _uniform(rng, shape, np.sqrt(6.0 / fan_in))


@mistake(
    "ignores-rng",
    "draws from np.random's global state (np.random.randn) instead of the rng argument, "
    "so the same rng does not give the same weights: use rng.standard_normal(shape).",
)
def he_normal(shape, rng):  # noqa: F811
    fan_in, fan_out = _fans(shape)
    return np.random.randn(fan_in, fan_out) * np.sqrt(2.0 / fan_in)


# ----------------------------------------------------------------------------------------
# he_uniform
# ----------------------------------------------------------------------------------------


@mistake(
    "normal-instead-of-uniform",
    "draws from a normal distribution N(0, 2/fan_in) (He normal, same variance) where the "
    "uniform U(-sqrt(6/fan_in), sqrt(6/fan_in)) is specified.",
)
def he_uniform(shape, rng):
    fan_in, _ = _fans(shape)
    return _normal(rng, shape, np.sqrt(2.0 / fan_in))


@mistake(
    "fan-out",
    "uses fan_out (shape[1]) instead of fan_in (shape[0]) in the bound sqrt(6/fan_in).",
)
def he_uniform(shape, rng):  # noqa: F811
    _, fan_out = _fans(shape)
    return _uniform(rng, shape, np.sqrt(6.0 / fan_out))


@mistake(
    "std-as-bound",
    "uses the He standard deviation sqrt(2/fan_in) as the bound of the uniform; the bound "
    "is sqrt(6/fan_in) (a uniform U(-b, b) has standard deviation b/sqrt(3)).",
)
def he_uniform(shape, rng):  # noqa: F811
    fan_in, _ = _fans(shape)
    return _uniform(rng, shape, np.sqrt(2.0 / fan_in))


# ----------------------------------------------------------------------------------------
# orthogonal
# ----------------------------------------------------------------------------------------


@mistake(
    "ignores-gain",
    "ignores the gain argument: return gain times the orthogonal matrix.",
)
def orthogonal(shape, rng, gain=1.0):
    fan_in, fan_out = _fans(shape)
    q = _haar_columns(rng, max(fan_in, fan_out), min(fan_in, fan_out))
    return q.T if fan_in < fan_out else q


@mistake(
    "not-transposed",
    "returns Q from the QR of a tall (max, min) Gaussian without transposing it when "
    "fan_in < fan_out, so the result has shape (fan_out, fan_in) instead of "
    "(fan_in, fan_out).",
)
def orthogonal(shape, rng, gain=1.0):  # noqa: F811
    fan_in, fan_out = _fans(shape)
    return gain * _haar_columns(rng, max(fan_in, fan_out), min(fan_in, fan_out))


@mistake(
    "qr-of-wide-matrix",
    "takes Q from the QR of a (fan_in, fan_out) Gaussian: when fan_in < fan_out, Q is only "
    "(fan_in, fan_in); decompose a (fan_out, fan_in) Gaussian and transpose Q instead.",
)
def orthogonal(shape, rng, gain=1.0):  # noqa: F811
    q, r = np.linalg.qr(rng.standard_normal(tuple(shape)))
    signs = np.sign(np.diag(r))
    signs[signs == 0] = 1.0
    return gain * (q * signs)


@mistake(
    "gain-squared",
    "multiplies by gain**2 instead of gain, so WᵀW (or WWᵀ) is gain⁴·I instead of gain²·I.",
)
def orthogonal(shape, rng, gain=1.0):  # noqa: F811
    fan_in, fan_out = _fans(shape)
    q = _haar_columns(rng, max(fan_in, fan_out), min(fan_in, fan_out))
    return gain**2 * (q.T if fan_in < fan_out else q)


# ----------------------------------------------------------------------------------------
# sparse
# ----------------------------------------------------------------------------------------


@mistake(
    "k-per-row",
    "puts the min(k, fan_out) nonzero weights in each ROW (input unit); the sparse init "
    "gives each COLUMN (output unit) exactly min(k, fan_in) nonzero incoming weights.",
)
def sparse(shape, rng, k=15, scale=1.0):
    fan_in, fan_out = _fans(shape)
    count = min(int(k), fan_out)
    w = np.zeros((fan_in, fan_out), dtype=np.float64)
    for i in range(fan_in):
        cols = rng.choice(fan_out, size=count, replace=False)
        w[i, cols] = scale * rng.standard_normal(count)
    return w


@mistake(
    "rows-with-replacement",
    "draws the rows of the nonzero weights with replacement (rng.choice without "
    "replace=False / rng.integers), so a column can get fewer than k distinct nonzeros.",
)
def sparse(shape, rng, k=15, scale=1.0):  # noqa: F811
    fan_in, fan_out = _fans(shape)
    count = min(int(k), fan_in)
    w = np.zeros((fan_in, fan_out), dtype=np.float64)
    for j in range(fan_out):
        rows = rng.choice(fan_in, size=count, replace=True)
        w[rows, j] = scale * rng.standard_normal(count)
    return w


@mistake(
    "bernoulli-mask",
    "keeps each weight independently with probability k/fan_in, which gives k nonzeros per "
    "column only on average; choose exactly min(k, fan_in) rows per column.",
)
def sparse(shape, rng, k=15, scale=1.0):  # noqa: F811
    fan_in, fan_out = _fans(shape)
    mask = rng.random((fan_in, fan_out)) < min(int(k), fan_in) / fan_in
    return np.where(mask, scale * rng.standard_normal((fan_in, fan_out)), 0.0)


@mistake(
    "ignores-scale",
    "ignores the scale argument: the nonzero weights are N(0, scale²), not N(0, 1).",
)
def sparse(shape, rng, k=15, scale=1.0):  # noqa: F811
    fan_in, fan_out = _fans(shape)
    count = min(int(k), fan_in)
    w = np.zeros((fan_in, fan_out), dtype=np.float64)
    for j in range(fan_out):
        rows = rng.choice(fan_in, size=count, replace=False)
        w[rows, j] = rng.standard_normal(count)
    return w
