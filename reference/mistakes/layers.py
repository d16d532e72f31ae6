"""Known mistakes for the `layers` assignment, as variants of :mod:`reference.layers`.

Each variant is a complete function with the exact signature of the reference function it
replaces (same name; later definitions shadow earlier ones at module level, which is
intended: the registry keeps every variant, in definition order). Forward variants keep a
cache that the reference backward understands, or bring a matching backward via ``also=``.
"""

import numpy as np

from reference import layers as ref
from reference.mistakes import mistake

# ----------------------------------------------------------------------------------------
# private helpers (this module is never shown to students)
# ----------------------------------------------------------------------------------------


def _f64(a):
    return np.asarray(a, dtype=np.float64)


def _sigmoid(x):
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def _softplus(x):
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def _log_softmax(x):
    shifted = x - x.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _batchnorm(
    x,
    gamma,
    beta,
    bn_param,
    *,
    ddof=0,
    swap_momentum=False,
    test_uses_batch=False,
    eps_outside_sqrt=False,
    test_affine=True,
    running_std=False,
):
    """The reference batchnorm forward with switchable mistakes; same cache format."""
    x, gamma, beta = _f64(x), _f64(gamma), _f64(beta)
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    D = x.shape[1]
    running_mean = _f64(bn_param.get("running_mean", np.zeros(D)))
    running_var = _f64(bn_param.get("running_var", np.zeros(D)))
    if mode not in ("train", "test"):
        raise ValueError(f"Invalid forward batchnorm mode {mode!r}")
    if mode == "train" or test_uses_batch:
        mean, var = x.mean(axis=0), x.var(axis=0, ddof=ddof)
    else:
        mean, var = running_mean, running_var
    std = np.sqrt(var) + eps if eps_outside_sqrt else np.sqrt(var + eps)
    x_hat = (x - mean) / std
    out = gamma * x_hat + beta if mode == "train" or test_affine else x_hat
    if mode == "train":
        keep, new = (1 - momentum, momentum) if swap_momentum else (momentum, 1 - momentum)
        bn_param["running_mean"] = keep * running_mean + new * mean
        batch_var = np.sqrt(var + eps) if running_std else var
        bn_param["running_var"] = keep * running_var + new * batch_var
    return out, ("train" if test_uses_batch else mode, x_hat, gamma, std)


def _norm_backward(dout, x_hat, gamma, std, axes, *, mean_term=True, var_term=True):
    """dx of out = gamma * (x - mean) / std with statistics over `axes` (shapes broadcast)."""
    dx_hat = dout * gamma
    dx = dx_hat
    if mean_term:
        dx = dx - dx_hat.mean(axis=axes, keepdims=True)
    if var_term:
        dx = dx - x_hat * (dx_hat * x_hat).mean(axis=axes, keepdims=True)
    return dx / std


def _seed(dropout_param):
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])


# ----------------------------------------------------------------------------------------
# affine
# ----------------------------------------------------------------------------------------


@mistake("no-bias", "forgets to add the bias: the output is x.reshape(N, D) @ w + b.")
def affine_forward(x, w, b):
    x, w, b = _f64(x), _f64(w), _f64(b)
    out = x.reshape(x.shape[0], -1) @ w
    return out, (x, w, b)


@mistake(
    "flatten-mixes-examples",
    "flattens x as x.reshape(D, N).T, which mixes values of different examples; use "
    "x.reshape(N, -1) so that each row holds one example.",
)
def affine_forward(x, w, b):  # noqa: F811
    x, w, b = _f64(x), _f64(w), _f64(b)
    out = x.reshape(-1, x.shape[0]).T @ w + b
    return out, (x, w, b)


@mistake(
    "db-mean",
    "averages db over the minibatch (np.mean); the bias is added to every example, so db "
    "is the SUM of dout over the minibatch.",
)
def affine_backward(dout, cache):
    x, w, _ = cache
    dout = _f64(dout)
    dx = (dout @ w.T).reshape(x.shape)
    dw = x.reshape(x.shape[0], -1).T @ dout
    return dx, dw, dout.mean(axis=0)


@mistake(
    "dw-transposed",
    "computes dw as dout.T @ x, which has shape (M, D); dw must have w's shape (D, M): "
    "dw = x.reshape(N, D).T @ dout.",
)
def affine_backward(dout, cache):  # noqa: F811
    x, w, _ = cache
    dout = _f64(dout)
    dx = (dout @ w.T).reshape(x.shape)
    dw = dout.T @ x.reshape(x.shape[0], -1)
    return dx, dw, dout.sum(axis=0)


@mistake(
    "dx-not-reshaped",
    "returns dx flattened to (N, D); reshape it back to the original shape of x.",
)
def affine_backward(dout, cache):  # noqa: F811
    x, w, _ = cache
    dout = _f64(dout)
    dx = dout @ w.T
    dw = x.reshape(x.shape[0], -1).T @ dout
    return dx, dw, dout.sum(axis=0)


# ----------------------------------------------------------------------------------------
# relu
# ----------------------------------------------------------------------------------------


@mistake(
    "returns-mask",
    "returns the 0/1 mask (x > 0) instead of the values; the output is max(0, x), i.e. "
    "x * (x > 0).",
)
def relu_forward(x):
    x = _f64(x)
    return (x > 0).astype(np.float64), x


@mistake(
    "comparison-flipped",
    "keeps the negative inputs (x < 0) and zeroes the positive ones; ReLU keeps x where x > 0.",
)
def relu_forward(x):  # noqa: F811
    x = _f64(x)
    return x * (x < 0), x


@mistake(
    "ignores-mask",
    "passes dout through unchanged; the gradient is zero wherever the input x was <= 0: "
    "dx = dout * (x > 0).",
)
def relu_backward(dout, cache):
    return _f64(dout).copy()


@mistake(
    "mask-from-dout",
    "masks with dout > 0 instead of x > 0; the ReLU gate depends on the forward input x.",
)
def relu_backward(dout, cache):  # noqa: F811
    dout = _f64(dout)
    return dout * (dout > 0)


@mistake(
    "missing-dout",
    "returns the local derivative (x > 0) without multiplying by the upstream gradient "
    "dout (chain rule).",
)
def relu_backward(dout, cache):  # noqa: F811
    x = cache
    return (x > 0).astype(np.float64)


# ----------------------------------------------------------------------------------------
# leaky relu
# ----------------------------------------------------------------------------------------


@mistake(
    "alpha-on-positive-side",
    "multiplies the positive inputs by alpha instead of the negative ones; leaky ReLU is x "
    "for x > 0 and alpha * x otherwise.",
)
def leaky_relu_forward(x, alpha=0.01):
    x = _f64(x)
    return np.where(x > 0, alpha * x, x), (x, alpha)


@mistake(
    "ignores-alpha",
    "zeroes the negative inputs like a plain ReLU; leaky ReLU lets alpha * x through for x <= 0.",
)
def leaky_relu_forward(x, alpha=0.01):  # noqa: F811
    x = _f64(x)
    return np.maximum(x, 0.0), (x, alpha)


@mistake(
    "relu-gradient",
    "uses the ReLU gradient (zero for x <= 0); for x <= 0 the local derivative of leaky "
    "ReLU is alpha.",
)
def leaky_relu_backward(dout, cache):
    x, _ = cache
    return _f64(dout) * (x > 0)


@mistake(
    "alpha-on-positive-side",
    "scales the gradient by alpha where x > 0 instead of where x <= 0.",
)
def leaky_relu_backward(dout, cache):  # noqa: F811
    x, alpha = cache
    dout = _f64(dout)
    return np.where(x > 0, alpha * dout, dout)


@mistake(
    "missing-dout",
    "returns the local derivative (1 or alpha) without multiplying by the upstream "
    "gradient dout (chain rule).",
)
def leaky_relu_backward(dout, cache):  # noqa: F811
    x, alpha = cache
    return np.where(x > 0, 1.0, alpha) * np.ones_like(_f64(dout))


# ----------------------------------------------------------------------------------------
# prelu
# ----------------------------------------------------------------------------------------


@mistake(
    "alpha-on-positive-side",
    "multiplies the positive inputs by alpha instead of the negative ones; PReLU is x for "
    "x > 0 and alpha * x otherwise.",
)
def prelu_forward(x, alpha):
    x, alpha = _f64(x), _f64(alpha)
    return np.where(x > 0, alpha * x, x), (x, alpha)


@mistake(
    "ignores-alpha",
    "zeroes the negative inputs like a plain ReLU; PReLU lets alpha * x through for x <= 0.",
)
def prelu_forward(x, alpha):  # noqa: F811
    x, alpha = _f64(x), _f64(alpha)
    return np.maximum(x, 0.0), (x, alpha)


@mistake(
    "dalpha-mean",
    "averages dalpha over the minibatch; alpha is shared by all examples, so its gradient "
    "is the SUM over the minibatch.",
)
def prelu_backward(dout, cache):
    x, alpha = cache
    dout = _f64(dout)
    dx = np.where(x > 0, dout, alpha * dout)
    dalpha = np.mean(np.where(x > 0, 0.0, dout * x), axis=0)
    return dx, dalpha


@mistake(
    "dalpha-positive-side",
    "accumulates dalpha over the positive inputs; alpha only acts where x <= 0, so "
    "dalpha = sum over the examples of dout * x where x <= 0.",
)
def prelu_backward(dout, cache):  # noqa: F811
    x, alpha = cache
    dout = _f64(dout)
    dx = np.where(x > 0, dout, alpha * dout)
    dalpha = np.sum(np.where(x > 0, dout * x, 0.0), axis=0)
    return dx, dalpha


@mistake(
    "dalpha-unmasked",
    "sums dout * x over every input; alpha only acts where x <= 0, so "
    "dalpha = sum over the examples of dout * x where x <= 0.",
)
def prelu_backward(dout, cache):  # noqa: F811
    x, alpha = cache
    dout = _f64(dout)
    dx = np.where(x > 0, dout, alpha * dout)
    return dx, np.sum(dout * x, axis=0)


@mistake(
    "dx-ignores-alpha",
    "zeroes dx where x <= 0 (the ReLU gradient); there the local derivative is alpha.",
)
def prelu_backward(dout, cache):  # noqa: F811
    x, _ = cache
    dout = _f64(dout)
    dx = dout * (x > 0)
    dalpha = np.sum(np.where(x > 0, 0.0, dout * x), axis=0)
    return dx, dalpha


# ----------------------------------------------------------------------------------------
# elu
# ----------------------------------------------------------------------------------------


@mistake(
    "missing-minus-one",
    "uses alpha * exp(x) for x <= 0; ELU is alpha * (exp(x) - 1) there (so that it is "
    "continuous at 0).",
)
def elu_forward(x, alpha=1.0):
    x = _f64(x)
    return np.where(x > 0, x, alpha * np.exp(np.minimum(x, 0.0))), (x, alpha)


@mistake(
    "branches-swapped",
    "applies alpha * (exp(x) - 1) to the positive inputs and the identity to the negative "
    "ones; ELU is x for x > 0 and alpha * (exp(x) - 1) otherwise.",
)
def elu_forward(x, alpha=1.0):  # noqa: F811
    x = _f64(x)
    with np.errstate(over="ignore"):
        out = np.where(x > 0, alpha * np.expm1(x), x)
    return out, (x, alpha)


@mistake(
    "exp-without-alpha",
    "uses exp(x) as the derivative for x <= 0; the derivative of alpha * (exp(x) - 1) is "
    "alpha * exp(x).",
)
def elu_backward(dout, cache):
    x, _ = cache
    return _f64(dout) * np.where(x > 0, 1.0, np.exp(np.minimum(x, 0.0)))


@mistake(
    "derivative-missing-alpha-term",
    "uses the ELU output itself as the derivative for x <= 0; there the derivative is "
    "alpha * exp(x), i.e. the output PLUS alpha.",
)
def elu_backward(dout, cache):  # noqa: F811
    x, alpha = cache
    return _f64(dout) * np.where(x > 0, 1.0, alpha * np.expm1(np.minimum(x, 0.0)))


@mistake(
    "relu-gradient",
    "uses the ReLU gradient (zero for x <= 0); for x <= 0 the ELU derivative is alpha * exp(x).",
)
def elu_backward(dout, cache):  # noqa: F811
    x, _ = cache
    return _f64(dout) * (x > 0)


# ----------------------------------------------------------------------------------------
# sigmoid
# ----------------------------------------------------------------------------------------


@mistake(
    "sign-error",
    "computes 1 / (1 + exp(x)), i.e. sigmoid(-x); the sigmoid is 1 / (1 + exp(-x)).",
)
def sigmoid_forward(x):
    out = _sigmoid(-_f64(x))
    return out, out


@mistake(
    "minus-in-denominator",
    "computes 1 / (1 - exp(-x)); the sigmoid is 1 / (1 + exp(-x)).",
)
def sigmoid_forward(x):  # noqa: F811
    x = _f64(x)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        out = 1.0 / (1.0 - np.exp(-x))
    return out, out


@mistake(
    "dout-times-out",
    "multiplies dout by sigmoid(x) only; the derivative of the sigmoid s is s * (1 - s).",
)
def sigmoid_backward(dout, cache):
    out = cache
    return _f64(dout) * out


@mistake(
    "missing-out-factor",
    "multiplies dout by (1 - s) only; the derivative of the sigmoid s is s * (1 - s).",
)
def sigmoid_backward(dout, cache):  # noqa: F811
    out = cache
    return _f64(dout) * (1.0 - out)


@mistake(
    "sigmoid-of-output",
    "applies the sigmoid again to the cached output (sigmoid(out) * (1 - sigmoid(out))); "
    "the cache already holds s = sigmoid(x), so the derivative is s * (1 - s).",
)
def sigmoid_backward(dout, cache):  # noqa: F811
    s = _sigmoid(cache)
    return _f64(dout) * s * (1.0 - s)


# ----------------------------------------------------------------------------------------
# tanh
# ----------------------------------------------------------------------------------------


@mistake(
    "half-argument",
    "computes 2 * sigmoid(x) - 1, which is tanh(x / 2); tanh(x) = 2 * sigmoid(2x) - 1.",
)
def tanh_forward(x):
    out = np.tanh(_f64(x) / 2.0)
    return out, out


@mistake(
    "missing-rescale",
    "computes sigmoid(2x), which lies in (0, 1); tanh(x) = 2 * sigmoid(2x) - 1 lies in (-1, 1).",
)
def tanh_forward(x):  # noqa: F811
    out = _sigmoid(2.0 * _f64(x))
    return out, out


@mistake(
    "one-minus-out",
    "uses 1 - tanh(x) as the derivative; the derivative of tanh is 1 - tanh(x)**2.",
)
def tanh_backward(dout, cache):
    return _f64(dout) * (1.0 - cache)


@mistake(
    "sigmoid-derivative",
    "uses the sigmoid derivative t * (1 - t); the derivative of tanh is 1 - t**2.",
)
def tanh_backward(dout, cache):  # noqa: F811
    return _f64(dout) * cache * (1.0 - cache)


@mistake(
    "tanh-of-output",
    "applies tanh again to the cached output (1 - tanh(out)**2); the cache already holds "
    "t = tanh(x), so the derivative is 1 - t**2.",
)
def tanh_backward(dout, cache):  # noqa: F811
    return _f64(dout) * (1.0 - np.tanh(cache) ** 2)


# ----------------------------------------------------------------------------------------
# softplus
# ----------------------------------------------------------------------------------------


@mistake(
    "sign-error",
    "computes log(1 + exp(-x)), i.e. softplus(-x); softplus is log(1 + exp(x)).",
)
def softplus_forward(x):
    x = _f64(x)
    return _softplus(-x), x


@mistake(
    "stable-form-missing-abs",
    "uses max(x, 0) + log(1 + exp(-x)), which is wrong for x < 0; the stable identity is "
    "max(x, 0) + log(1 + exp(-abs(x))).",
)
def softplus_forward(x):  # noqa: F811
    x = _f64(x)
    with np.errstate(over="ignore"):
        out = np.maximum(x, 0.0) + np.log1p(np.exp(-x))
    return out, x


@mistake(
    "returns-softplus",
    "multiplies dout by softplus(x) itself; the derivative of softplus is the sigmoid "
    "1 / (1 + exp(-x)).",
)
def softplus_backward(dout, cache):
    return _f64(dout) * _softplus(cache)


@mistake(
    "derivative-sign",
    "uses sigmoid(-x) = 1 / (1 + exp(x)) as the derivative; the derivative of "
    "log(1 + exp(x)) is exp(x) / (1 + exp(x)) = sigmoid(x).",
)
def softplus_backward(dout, cache):  # noqa: F811
    return _f64(dout) * _sigmoid(-cache)


@mistake(
    "missing-chain-rule",
    "uses exp(x) as the derivative, forgetting the 1 / (1 + exp(x)) from differentiating the "
    "log; the derivative is sigmoid(x).",
)
def softplus_backward(dout, cache):  # noqa: F811
    with np.errstate(over="ignore"):
        return _f64(dout) * np.exp(cache)


# ----------------------------------------------------------------------------------------
# maxout
# ----------------------------------------------------------------------------------------


def _maxout_backward_over_units(dout, cache):
    """Backward matching a forward that took the max over the M units (axis 1)."""
    x, w, _, idx = cache
    dout = _f64(dout)
    dz = np.zeros((x.shape[0], w.shape[1], w.shape[2]))
    np.put_along_axis(dz, idx[:, None, :], dout[:, None, :], axis=1)
    return np.einsum("nmk,dmk->nd", dz, w), np.einsum("nd,nmk->dmk", x, dz), dz.sum(axis=0)


@mistake(
    "max-over-wrong-axis",
    "takes the maximum over the M units (axis 1) instead of over the K pieces of each unit "
    "(the last axis of z = x @ w + b, shape (N, M, K)).",
    also={"maxout_backward": _maxout_backward_over_units},
)
def maxout_forward(x, w, b):
    x, w, b = _f64(x), _f64(w), _f64(b)
    z = np.einsum("nd,dmk->nmk", x, w) + b
    idx = np.argmax(z, axis=1)
    out = np.take_along_axis(z, idx[:, None, :], axis=1)[:, 0, :]
    return out, (x, w, b, idx)


@mistake("no-bias", "forgets to add the bias b[:, k] to each piece before taking the max.")
def maxout_forward(x, w, b):  # noqa: F811
    x, w, b = _f64(x), _f64(w), _f64(b)
    z = np.einsum("nd,dmk->nmk", x, w)
    idx = np.argmax(z, axis=2)
    out = np.take_along_axis(z, idx[:, :, None], axis=2)[:, :, 0]
    return out, (x, w, b, idx)


@mistake(
    "grad-to-all-pieces",
    "sends the upstream gradient to all K pieces of a unit; only the piece that won the "
    "max receives it (route it with the argmax saved in the forward pass).",
)
def maxout_backward(dout, cache):
    x, w, _, idx = cache
    dz = np.broadcast_to(_f64(dout)[:, :, None], idx.shape + (w.shape[2],))
    return np.einsum("nmk,dmk->nd", dz, w), np.einsum("nd,nmk->dmk", x, dz), dz.sum(axis=0)


@mistake(
    "db-mean",
    "averages db over the minibatch (np.mean); the gradient of the bias is the SUM over the "
    "minibatch.",
)
def maxout_backward(dout, cache):  # noqa: F811
    x, w, _, idx = cache
    dz = np.zeros(idx.shape + (w.shape[2],))
    np.put_along_axis(dz, idx[:, :, None], _f64(dout)[:, :, None], axis=2)
    return np.einsum("nmk,dmk->nd", dz, w), np.einsum("nd,nmk->dmk", x, dz), dz.mean(axis=0)


# ----------------------------------------------------------------------------------------
# svm loss
# ----------------------------------------------------------------------------------------


@mistake(
    "counts-correct-class",
    "includes the correct class in the hinge sum (adding a margin of 1 per example and an "
    "extra -1 in its gradient); skip j == y[i].",
)
def svm_loss(x, y):
    x, y = _f64(x), np.asarray(y, dtype=np.intp)
    N = x.shape[0]
    rows = np.arange(N)
    margins = np.maximum(0.0, x - x[rows, y][:, None] + 1.0)
    dx = (margins > 0).astype(np.float64)
    dx[rows, y] = -dx.sum(axis=1)
    return float(margins.sum() / N), dx / N


@mistake(
    "no-average",
    "sums the loss and the gradient over the minibatch; divide both by N.",
)
def svm_loss(x, y):  # noqa: F811
    loss, dx = ref.svm_loss(x, y)
    N = np.shape(x)[0]
    return float(loss * N), dx * N


@mistake(
    "missing-correct-class-gradient",
    "leaves the gradient of the correct-class score at zero; x[i, y[i]] appears in every "
    "positive margin, so it gets -(number of positive margins) / N.",
)
def svm_loss(x, y):  # noqa: F811
    loss, dx = ref.svm_loss(x, y)
    dx = dx.copy()
    dx[np.arange(dx.shape[0]), np.asarray(y, dtype=np.intp)] = 0.0
    return loss, dx


# ----------------------------------------------------------------------------------------
# softmax loss
# ----------------------------------------------------------------------------------------


@mistake(
    "no-max-subtraction",
    "exponentiates the raw scores, which overflows (inf/nan) for large logits; subtract "
    "the row-wise maximum from x first (it does not change the softmax).",
)
def softmax_loss(x, y):
    x, y = _f64(x), np.asarray(y, dtype=np.intp)
    N = x.shape[0]
    rows = np.arange(N)
    with np.errstate(all="ignore"):
        e = np.exp(x)
        probs = e / e.sum(axis=1, keepdims=True)
        loss = -np.log(probs[rows, y]).sum() / N
    dx = probs.copy()
    dx[rows, y] -= 1.0
    return float(loss), dx / N


@mistake(
    "dx-not-averaged",
    "averages the loss over the minibatch but not the gradient; divide dx by N too.",
)
def softmax_loss(x, y):  # noqa: F811
    loss, dx = ref.softmax_loss(x, y)
    return loss, dx * np.shape(x)[0]


@mistake(
    "no-average",
    "sums the loss and the gradient over the minibatch; the loss is the MEAN cross-entropy, "
    "so divide both by N.",
)
def softmax_loss(x, y):  # noqa: F811
    loss, dx = ref.softmax_loss(x, y)
    N = np.shape(x)[0]
    return float(loss * N), dx * N


@mistake(
    "missing-onehot",
    "returns softmax(x) / N as the gradient; subtract 1 at the correct class: "
    "dx = (p - onehot(y)) / N.",
)
def softmax_loss(x, y):  # noqa: F811
    x, y = _f64(x), np.asarray(y, dtype=np.intp)
    N = x.shape[0]
    log_probs = _log_softmax(x)
    loss = -log_probs[np.arange(N), y].sum() / N
    return float(loss), np.exp(log_probs) / N


# ----------------------------------------------------------------------------------------
# softmax loss with label smoothing
# ----------------------------------------------------------------------------------------


def _smoothed(x, y, on, off):
    x, y = _f64(x), np.asarray(y, dtype=np.intp)
    N, C = x.shape
    log_probs = _log_softmax(x)
    target = np.full((N, C), off)
    target[np.arange(N), y] = on
    loss = -(target * log_probs).sum() / N
    return float(loss), (np.exp(log_probs) - target) / N


@mistake(
    "epsilon-over-C",
    "spreads epsilon / C on the other classes; the C - 1 wrong classes share epsilon, so "
    "each gets epsilon / (C - 1).",
)
def softmax_loss_smoothed(x, y, epsilon=0.1):
    return _smoothed(x, y, 1.0 - epsilon, epsilon / np.shape(x)[1])


@mistake(
    "no-smoothing",
    "ignores epsilon and computes the plain softmax loss; the target is 1 - epsilon on the "
    "correct class and epsilon / (C - 1) on the others.",
)
def softmax_loss_smoothed(x, y, epsilon=0.1):  # noqa: F811
    return _smoothed(x, y, 1.0, 0.0)


@mistake(
    "correct-target-one",
    "keeps the target 1 on the correct class while adding epsilon / (C - 1) elsewhere; the "
    "correct class gets 1 - epsilon so that the target sums to 1.",
)
def softmax_loss_smoothed(x, y, epsilon=0.1):  # noqa: F811
    return _smoothed(x, y, 1.0, epsilon / (np.shape(x)[1] - 1))


@mistake(
    "uniform-smoothing",
    "smooths as PyTorch does, (1 - epsilon) * one_hot + epsilon / C on every class; this "
    "course's target is 1 - epsilon on the correct class and epsilon / (C - 1) on the others.",
)
def softmax_loss_smoothed(x, y, epsilon=0.1):  # noqa: F811
    C = np.shape(x)[1]
    return _smoothed(x, y, 1.0 - epsilon + epsilon / C, epsilon / C)


# ----------------------------------------------------------------------------------------
# batchnorm
# ----------------------------------------------------------------------------------------


@mistake(
    "unbiased-variance",
    "normalizes with the unbiased variance (divides by N-1); batchnorm uses the biased "
    "batch variance (divide by N, np.var's default).",
)
def batchnorm_forward(x, gamma, beta, bn_param):
    return _batchnorm(x, gamma, beta, bn_param, ddof=1)


@mistake(
    "momentum-swapped",
    "updates the running averages as (1 - momentum) * running + momentum * batch; it is "
    "running = momentum * running + (1 - momentum) * batch_stat.",
)
def batchnorm_forward(x, gamma, beta, bn_param):  # noqa: F811
    return _batchnorm(x, gamma, beta, bn_param, swap_momentum=True)


@mistake(
    "running-var-from-std",
    "averages the batch standard deviation sqrt(var + eps) into running_var; running_var "
    "tracks the batch variance: momentum * running_var + (1 - momentum) * var.",
)
def batchnorm_forward(x, gamma, beta, bn_param):  # noqa: F811
    return _batchnorm(x, gamma, beta, bn_param, running_std=True)


@mistake(
    "test-uses-batch-stats",
    "normalizes with the statistics of the test batch in test mode; at test time use "
    "bn_param's running_mean and running_var.",
)
def batchnorm_forward(x, gamma, beta, bn_param):  # noqa: F811
    return _batchnorm(x, gamma, beta, bn_param, test_uses_batch=True)


@mistake(
    "eps-outside-sqrt",
    "divides by sqrt(var) + eps; eps belongs inside the square root: sqrt(var + eps).",
)
def batchnorm_forward(x, gamma, beta, bn_param):  # noqa: F811
    return _batchnorm(x, gamma, beta, bn_param, eps_outside_sqrt=True)


@mistake(
    "missing-dvar",
    "ignores the gradient through the batch variance; the variance depends on every "
    "example too, which adds the term -x_hat * mean(dx_hat * x_hat) (over the batch).",
)
def batchnorm_backward(dout, cache):
    _, x_hat, gamma, std = cache
    dout = _f64(dout)
    dx = _norm_backward(dout, x_hat, gamma, std, 0, var_term=False)
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


@mistake(
    "missing-dmean",
    "ignores the gradient through the batch mean; the mean depends on every example too, "
    "which adds the term -mean(dx_hat) (over the batch).",
)
def batchnorm_backward(dout, cache):  # noqa: F811
    _, x_hat, gamma, std = cache
    dout = _f64(dout)
    dx = _norm_backward(dout, x_hat, gamma, std, 0, mean_term=False)
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


@mistake(
    "dgamma-dbeta-mean",
    "averages dgamma and dbeta over the minibatch; gamma and beta are shared by all "
    "examples, so their gradients are SUMS over the minibatch.",
)
def batchnorm_backward(dout, cache):  # noqa: F811
    _, x_hat, gamma, std = cache
    dout = _f64(dout)
    dx = _norm_backward(dout, x_hat, gamma, std, 0)
    return dx, (dout * x_hat).mean(axis=0), dout.mean(axis=0)


# ----------------------------------------------------------------------------------------
# spatial batchnorm
# ----------------------------------------------------------------------------------------


def _spatial_bn_backward_no_transpose(dout, cache):
    bn_cache, (N, C, H, W) = cache
    dx2, dgamma, dbeta = ref.batchnorm_backward(_f64(dout).reshape(-1, C), bn_cache)
    return dx2.reshape(N, C, H, W), dgamma, dbeta


def _spatial_bn_backward_per_position(dout, cache):
    bn_cache, (N, C, H, W) = cache
    dx2, dgamma, dbeta = ref.batchnorm_backward(_f64(dout).reshape(N, -1), bn_cache)
    return dx2.reshape(N, C, H, W), dgamma.reshape(C, -1).sum(1), dbeta.reshape(C, -1).sum(1)


@mistake(
    "reshape-without-transpose",
    "reshapes x from (N, C, H, W) straight to (-1, C), which mixes channels; move the "
    "channel axis last first: x.transpose(0, 2, 3, 1).reshape(-1, C).",
    also={"spatial_batchnorm_backward": _spatial_bn_backward_no_transpose},
)
def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    x = _f64(x)
    N, C, H, W = x.shape
    out2, bn_cache = ref.batchnorm_forward(x.reshape(-1, C), gamma, beta, bn_param)
    return out2.reshape(N, C, H, W), (bn_cache, x.shape)


@mistake(
    "stats-over-N-only",
    "computes separate statistics for every (c, h, w) position over the N examples only; "
    "spatial batchnorm shares one mean and variance per channel over N, H and W.",
    also={"spatial_batchnorm_backward": _spatial_bn_backward_per_position},
)
def spatial_batchnorm_forward(x, gamma, beta, bn_param):  # noqa: F811
    x = _f64(x)
    N, C, H, W = x.shape

    def per_position(a):
        a = _f64(a)
        a = a.reshape(C, 1, 1) if a.shape == (C,) else a
        return np.broadcast_to(a, (C, H, W)).reshape(-1)

    param = dict(bn_param)
    for name in ("running_mean", "running_var"):
        if name in bn_param:
            param[name] = per_position(bn_param[name])
    out2, bn_cache = ref.batchnorm_forward(
        x.reshape(N, -1), per_position(gamma), per_position(beta), param
    )
    if bn_param["mode"] == "train":
        for name in ("running_mean", "running_var"):
            bn_param[name] = param[name].reshape(C, H, W)
    return out2.reshape(N, C, H, W), (bn_cache, x.shape)


@mistake(
    "reshape-without-transpose",
    "reshapes dout from (N, C, H, W) straight to (-1, C), which mixes channels; move the "
    "channel axis last first: dout.transpose(0, 2, 3, 1).reshape(-1, C), and undo it for "
    "dx.",
)
def spatial_batchnorm_backward(dout, cache):
    return _spatial_bn_backward_no_transpose(dout, cache)


@mistake(
    "dgamma-dbeta-mean",
    "averages dgamma and dbeta over N, H and W; they are SUMS over all those positions.",
)
def spatial_batchnorm_backward(dout, cache):  # noqa: F811
    dx, dgamma, dbeta = ref.spatial_batchnorm_backward(dout, cache)
    N, _, H, W = cache[1]
    return dx, dgamma / (N * H * W), dbeta / (N * H * W)


@mistake(
    "missing-dvar",
    "ignores the gradient through the batch variance; the variance depends on every value "
    "of the channel too (see batchnorm_backward).",
)
def spatial_batchnorm_backward(dout, cache):  # noqa: F811
    (_, x_hat, gamma, std), (N, C, H, W) = cache
    dout2 = _f64(dout).transpose(0, 2, 3, 1).reshape(-1, C)
    dx2 = _norm_backward(dout2, x_hat, gamma, std, 0, var_term=False)
    dx = dx2.reshape(N, H, W, C).transpose(0, 3, 1, 2)
    return dx, (dout2 * x_hat).sum(axis=0), dout2.sum(axis=0)


# ----------------------------------------------------------------------------------------
# layernorm
# ----------------------------------------------------------------------------------------


def _layernorm_backward_over_batch(dout, cache):
    return ref.batchnorm_backward(dout, cache)


@mistake(
    "normalizes-over-batch",
    "computes the statistics over the minibatch (axis 0), which is batchnorm; layernorm "
    "normalizes each example over its features (axis 1).",
    also={"layernorm_backward": _layernorm_backward_over_batch},
)
def layernorm_forward(x, gamma, beta, ln_param):
    param = {"mode": "train", "eps": ln_param.get("eps", 1e-5)}
    return ref.batchnorm_forward(x, gamma, beta, param)


@mistake(
    "unbiased-variance",
    "normalizes with the unbiased variance (divides by D-1); layernorm uses the biased "
    "variance over the features (divide by D, np.var's default).",
)
def layernorm_forward(x, gamma, beta, ln_param):  # noqa: F811
    x, gamma, beta = _f64(x), _f64(gamma), _f64(beta)
    std = np.sqrt(x.var(axis=1, ddof=1, keepdims=True) + ln_param.get("eps", 1e-5))
    x_hat = (x - x.mean(axis=1, keepdims=True)) / std
    return gamma * x_hat + beta, (x_hat, gamma, std)


@mistake(
    "missing-dvar",
    "ignores the gradient through the per-example variance, which adds the term "
    "-x_hat * mean(dx_hat * x_hat) (over the features).",
)
def layernorm_backward(dout, cache):
    x_hat, gamma, std = cache
    dout = _f64(dout)
    dx = _norm_backward(dout, x_hat, gamma, std, 1, var_term=False)
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


@mistake(
    "batchnorm-axis",
    "takes the means of the backward formula over the minibatch (axis 0) as in batchnorm; "
    "layernorm statistics are over the features, so average over axis 1.",
)
def layernorm_backward(dout, cache):  # noqa: F811
    x_hat, gamma, std = cache
    dout = _f64(dout)
    dx = _norm_backward(dout, x_hat, gamma, std, 0)
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


@mistake(
    "dgamma-dbeta-mean",
    "averages dgamma and dbeta over the minibatch; their gradients are SUMS over the minibatch.",
)
def layernorm_backward(dout, cache):  # noqa: F811
    x_hat, gamma, std = cache
    dout = _f64(dout)
    dx = _norm_backward(dout, x_hat, gamma, std, 1)
    return dx, (dout * x_hat).mean(axis=0), dout.mean(axis=0)


# ----------------------------------------------------------------------------------------
# spatial groupnorm
# ----------------------------------------------------------------------------------------


def _interleave(a, G):
    """Reorder channels so that channels c with equal c % G become consecutive."""
    N, C = a.shape[:2]
    return a.reshape(N, C // G, G, *a.shape[2:]).swapaxes(1, 2).reshape(a.shape)


def _deinterleave(a, G):
    N, C = a.shape[:2]
    return a.reshape(N, G, C // G, *a.shape[2:]).swapaxes(1, 2).reshape(a.shape)


def _groupnorm_backward_interleaved(dout, cache):
    ref_cache, G = cache
    dx, dgamma, dbeta = ref.spatial_groupnorm_backward(_interleave(_f64(dout), G), ref_cache)
    return _deinterleave(dx, G), _deinterleave(dgamma, G), _deinterleave(dbeta, G)


def _to_batch_groups(a):
    """(N, C, H, W) -> (1, C, N*H, W): one 'example' whose spatial extent covers the batch."""
    N, C, H, W = a.shape
    return a.transpose(1, 0, 2, 3).reshape(1, C, N * H, W)


def _from_batch_groups(a, shape):
    N, C, H, W = shape
    return a.reshape(C, N, H, W).transpose(1, 0, 2, 3)


def _groupnorm_backward_with_batch(dout, cache):
    ref_cache, shape = cache
    dx, dgamma, dbeta = ref.spatial_groupnorm_backward(_to_batch_groups(_f64(dout)), ref_cache)
    return _from_batch_groups(dx, shape), dgamma, dbeta


@mistake(
    "interleaved-groups",
    "groups channels with x.reshape(N, C // G, G, H, W), which puts channels c, c + G, "
    "c + 2G, ... together; groups are consecutive channels: x.reshape(N, G, C // G, H, W).",
    also={"spatial_groupnorm_backward": _groupnorm_backward_interleaved},
)
def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    x, gamma, beta = _f64(x), _f64(gamma), _f64(beta)
    out, ref_cache = ref.spatial_groupnorm_forward(
        _interleave(x, G), _interleave(gamma, G), _interleave(beta, G), G, gn_param
    )
    return _deinterleave(out, G), (ref_cache, G)


@mistake(
    "ignores-groups",
    "normalizes over all C channels of an example (layernorm); compute separate "
    "statistics for each of the G groups of C // G channels.",
)
def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):  # noqa: F811
    return ref.spatial_groupnorm_forward(x, gamma, beta, 1, gn_param)


@mistake(
    "stats-over-batch",
    "computes the group statistics over the whole minibatch too; groupnorm statistics are "
    "per example (over the group's channels and H, W only).",
    also={"spatial_groupnorm_backward": _groupnorm_backward_with_batch},
)
def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):  # noqa: F811
    x = _f64(x)
    out, ref_cache = ref.spatial_groupnorm_forward(_to_batch_groups(x), gamma, beta, G, gn_param)
    return _from_batch_groups(out, x.shape), (ref_cache, x.shape)


def _groupnorm_grads(dout, cache, *, var_term=True, reduce=np.sum, groups=None):
    x_hat, gamma, std, G = cache
    dout = _f64(dout)
    N, C, H, W = dout.shape
    dbeta = reduce(dout, axis=(0, 2, 3), keepdims=True)
    dgamma = reduce(dout * x_hat, axis=(0, 2, 3), keepdims=True)
    if groups is None:
        shape = (N, G, C // G, H, W)
        std5 = std
    else:  # backward grouped differently from the forward (std is per forward group)
        shape = (N, groups, C // groups, H, W)
        std5 = np.broadcast_to(std, (N, G, C // G, H, W)).reshape(shape)
    dxg = _norm_backward(
        (dout * gamma).reshape(shape),
        x_hat.reshape(shape),
        1.0,
        std5,
        (2, 3, 4),
        var_term=var_term,
    )
    return dxg.reshape(N, C, H, W), dgamma, dbeta


@mistake(
    "missing-dvar",
    "ignores the gradient through the group variance, which adds the term "
    "-x_hat * mean(dx_hat * x_hat) (over each group's values).",
)
def spatial_groupnorm_backward(dout, cache):
    return _groupnorm_grads(dout, cache, var_term=False)


@mistake(
    "dgamma-dbeta-mean",
    "averages dgamma and dbeta over N, H and W; they are SUMS over all those positions.",
)
def spatial_groupnorm_backward(dout, cache):  # noqa: F811
    return _groupnorm_grads(dout, cache, reduce=np.mean)


@mistake(
    "backward-ignores-groups",
    "takes the means of the backward formula over all channels of an example (as in "
    "layernorm); average over each group of C // G channels, as in the forward pass.",
)
def spatial_groupnorm_backward(dout, cache):  # noqa: F811
    return _groupnorm_grads(dout, cache, groups=1)


# ----------------------------------------------------------------------------------------
# dropout
# ----------------------------------------------------------------------------------------


@mistake(
    "not-inverted",
    "does not scale the kept units by 1/p; inverted dropout uses mask = (rand < p) / p so "
    "that test time needs no rescaling.",
)
def dropout_forward(x, dropout_param):
    x = _f64(x)
    p, mode = dropout_param["p"], dropout_param["mode"]
    _seed(dropout_param)
    if mode == "train":
        mask = (np.random.rand(*x.shape) < p).astype(np.float64)
        return x * mask, (dict(dropout_param), mask)
    return ref.dropout_forward(x, {"p": p, "mode": mode})


@mistake(
    "p-is-drop-probability",
    "treats p as the probability of DROPPING a unit (mask = (rand >= p) / (1 - p)); p is "
    "the probability of KEEPING it: mask = (rand < p) / p.",
)
def dropout_forward(x, dropout_param):  # noqa: F811
    x = _f64(x)
    p, mode = dropout_param["p"], dropout_param["mode"]
    _seed(dropout_param)
    if mode == "train":
        with np.errstate(divide="ignore", invalid="ignore"):
            mask = (np.random.rand(*x.shape) >= p) / (1.0 - p)
        return x * mask, (dict(dropout_param), mask)
    return ref.dropout_forward(x, {"p": p, "mode": mode})


@mistake(
    "test-mode-applies-mask",
    "drops units in test mode as well; at test time inverted dropout returns x unchanged.",
)
def dropout_forward(x, dropout_param):  # noqa: F811
    x = _f64(x)
    p = dropout_param["p"]
    _seed(dropout_param)
    mask = (np.random.rand(*x.shape) < p) / p
    param = dict(dropout_param, mode="train")
    return x * mask, (param, mask)


@mistake(
    "test-mode-scales-by-p",
    "multiplies by p in test mode (the non-inverted convention); with inverted dropout the "
    "scaling happens at train time, so test mode returns x unchanged.",
)
def dropout_forward(x, dropout_param):  # noqa: F811
    x = _f64(x)
    if dropout_param["mode"] == "test":
        _seed(dropout_param)
        return x * dropout_param["p"], (dict(dropout_param), None)
    return ref.dropout_forward(x, dropout_param)


@mistake(
    "ignores-mask",
    "passes dout through unchanged in train mode; the gradient is dout * mask (the same "
    "mask, including the 1/p scaling).",
)
def dropout_backward(dout, cache):
    return _f64(dout).copy()


@mistake(
    "mask-not-scaled",
    "multiplies dout by the 0/1 mask without the 1/p scaling; the forward pass computed "
    "x * mask / p, so dx = dout * mask / p.",
)
def dropout_backward(dout, cache):  # noqa: F811
    dropout_param, mask = cache
    dout = _f64(dout)
    if dropout_param["mode"] == "train":
        return dout * (mask != 0)
    return dout.copy()


@mistake(
    "divides-by-p-twice",
    "divides by p again in the backward pass although the cached mask already includes "
    "the 1/p; dx = dout * mask.",
)
def dropout_backward(dout, cache):  # noqa: F811
    dropout_param, mask = cache
    dout = _f64(dout)
    if dropout_param["mode"] == "train":
        return dout * mask / dropout_param["p"]
    return dout.copy()


# ----------------------------------------------------------------------------------------
# regularizers
# ----------------------------------------------------------------------------------------


@mistake(
    "missing-half",
    "computes the penalty as reg * sum(w**2); the L2 penalty is 0.5 * reg * sum(w**2) (the "
    "0.5 makes its gradient reg * w).",
)
def l2_regularization(w, reg):
    w = _f64(w)
    return float(reg * np.sum(w * w)), reg * w


@mistake(
    "missing-half-doubled-gradient",
    "uses reg * sum(w**2) with gradient 2 * reg * w; the course convention is "
    "0.5 * reg * sum(w**2) with gradient reg * w.",
)
def l2_regularization(w, reg):  # noqa: F811
    w = _f64(w)
    return float(reg * np.sum(w * w)), 2.0 * reg * w


@mistake(
    "mean-instead-of-sum",
    "averages w**2 over the weights (np.mean); the penalty is 0.5 * reg * SUM(w**2).",
)
def l2_regularization(w, reg):  # noqa: F811
    w = _f64(w)
    return float(0.5 * reg * np.mean(w * w)), reg * w / w.size


@mistake(
    "l2-gradient",
    "uses reg * w as the gradient; the gradient of reg * sum(abs(w)) is reg * sign(w).",
)
def l1_regularization(w, reg):
    w = _f64(w)
    return float(reg * np.sum(np.abs(w))), reg * w


@mistake(
    "missing-abs",
    "sums w instead of abs(w) (so the gradient is a constant reg); the L1 penalty is "
    "reg * sum(abs(w)) with gradient reg * sign(w).",
)
def l1_regularization(w, reg):  # noqa: F811
    w = _f64(w)
    return float(reg * np.sum(w)), reg * np.ones_like(w)


@mistake(
    "weights-swapped",
    "applies l2 to the L1 term and l1 to the L2 term; the penalty is "
    "l1 * sum(abs(w)) + 0.5 * l2 * sum(w**2).",
)
def elastic_net_regularization(w, l1, l2):
    w = _f64(w)
    loss = l2 * np.sum(np.abs(w)) + 0.5 * l1 * np.sum(w * w)
    return float(loss), l2 * np.sign(w) + l1 * w


@mistake(
    "missing-half",
    "computes the L2 term as l2 * sum(w**2); it is 0.5 * l2 * sum(w**2), whose gradient is l2 * w.",
)
def elastic_net_regularization(w, l1, l2):  # noqa: F811
    w = _f64(w)
    loss = l1 * np.sum(np.abs(w)) + l2 * np.sum(w * w)
    return float(loss), l1 * np.sign(w) + l2 * w


@mistake(
    "l1-gradient-w",
    "uses l1 * w as the gradient of the L1 term; it is l1 * sign(w).",
)
def elastic_net_regularization(w, l1, l2):  # noqa: F811
    w = _f64(w)
    loss = l1 * np.sum(np.abs(w)) + 0.5 * l2 * np.sum(w * w)
    return float(loss), l1 * w + l2 * w


# --- mistakes seen in the test corpus of student submissions ---


@mistake(
    "np-max",
    "uses np.max(x, 0), which reduces over axis 0; the elementwise ReLU is np.maximum(x, 0).",
)
def relu_forward(x):  # noqa: F811
    x = _f64(x)
    return np.max(x, 0), x


@mistake(
    "overflow",
    "computes exp(x) / (1 + exp(x)), which overflows to nan for large x; use a stable "
    "form, e.g. 1 / (1 + exp(-x)) for x >= 0 and exp(x) / (1 + exp(x)) for x < 0.",
)
def sigmoid_forward(x):  # noqa: F811
    x = _f64(x)
    with np.errstate(over="ignore", invalid="ignore"):
        out = np.exp(x) / (1.0 + np.exp(x))
    return out, out


@mistake(
    "overflow",
    "computes log(1 + exp(x)), which overflows to inf for x above ~709; use "
    "np.logaddexp(0, x) or max(x, 0) + log1p(exp(-abs(x))).",
)
def softplus_forward(x):  # noqa: F811
    x = _f64(x)
    with np.errstate(over="ignore"):
        out = np.log(1.0 + np.exp(x))
    return out, x


@mistake(
    "dgamma-without-xhat",
    "computes dgamma as the sum of dout; gamma multiplies x_hat, so dgamma = sum(dout * x_hat).",
)
def batchnorm_backward(dout, cache):  # noqa: F811
    dx, _, dbeta = ref.batchnorm_backward(dout, cache)
    return dx, np.sum(_f64(dout), axis=0), dbeta


# --- mistakes seen in realistic student code (tests/corpus/realistic) ---


def _softmax_log_of_probabilities(epsilon):
    """softmax_loss that takes log(p + epsilon) of the (row-max shifted) probabilities."""

    def softmax_loss(x, y):
        x, y = _f64(x), np.asarray(y, dtype=np.intp)
        rows = np.arange(x.shape[0])
        probs = np.exp(x - x.max(axis=1, keepdims=True))
        probs /= probs.sum(axis=1, keepdims=True)
        loss = -np.log(probs[rows, y] + epsilon).sum() / x.shape[0]
        dx = probs.copy()
        dx[rows, y] -= 1.0
        return float(loss), dx / x.shape[0]

    return softmax_loss


for _epsilon in (1e-7, 1e-8, 1e-9, 1e-10, 1e-12, 1e-15, 1e-20):
    mistake(
        "log-of-probability-plus-epsilon",
        f"takes log(p + {_epsilon:g}) (or clips p at {_epsilon:g}) of the softmax "
        "probabilities, which caps the loss of a confidently wrong example at "
        f"-log({_epsilon:g}); compute log-softmax directly: shifted - "
        "log(sum(exp(shifted))) with shifted = x - max(x).",
        target="softmax_loss",
    )(_softmax_log_of_probabilities(_epsilon))


@mistake(
    "test-mode-no-affine",
    "returns the normalized x_hat in test mode without gamma and beta; test mode also "
    "computes gamma * x_hat + beta (with the running statistics).",
)
def batchnorm_forward(x, gamma, beta, bn_param):  # noqa: F811
    return _batchnorm(x, gamma, beta, bn_param, test_affine=False)


def _spatial_batchnorm(x, gamma, beta, bn_param, **mistakes):
    """The reference spatial batchnorm (channels last, then batchnorm) with `_batchnorm`'s
    switchable mistakes; same cache format."""
    x = _f64(x)
    N, C, H, W = x.shape
    out2, cache = _batchnorm(
        x.transpose(0, 2, 3, 1).reshape(-1, C), gamma, beta, bn_param, **mistakes
    )
    return out2.reshape(N, H, W, C).transpose(0, 3, 1, 2), (cache, x.shape)


@mistake(
    "eps-outside-sqrt",
    "divides by sqrt(var) + eps; eps belongs inside the square root: sqrt(var + eps).",
)
def spatial_batchnorm_forward(x, gamma, beta, bn_param):  # noqa: F811
    return _spatial_batchnorm(x, gamma, beta, bn_param, eps_outside_sqrt=True)


@mistake(
    "test-mode-no-affine",
    "returns the normalized x_hat in test mode without gamma and beta; test mode also "
    "computes gamma * x_hat + beta (with the running statistics).",
)
def spatial_batchnorm_forward(x, gamma, beta, bn_param):  # noqa: F811
    return _spatial_batchnorm(x, gamma, beta, bn_param, test_affine=False)


@mistake(
    "test-uses-batch-stats",
    "normalizes with the statistics of the test batch in test mode; at test time use "
    "bn_param's running_mean and running_var.",
)
def spatial_batchnorm_forward(x, gamma, beta, bn_param):  # noqa: F811
    return _spatial_batchnorm(x, gamma, beta, bn_param, test_uses_batch=True)


@mistake(
    "dgamma-dbeta-over-features",
    "sums dgamma and dbeta over the features (axis 1); gamma and beta are shared by the "
    "examples, so sum over the minibatch (axis 0), which gives one value per feature.",
)
def layernorm_backward(dout, cache):  # noqa: F811
    x_hat, gamma, std = cache
    dout = _f64(dout)
    dx = _norm_backward(dout, x_hat, gamma, std, 1)
    return dx, (dout * x_hat).sum(axis=1), dout.sum(axis=1)


def _train_dropout(draw_mask):
    """dropout_forward whose train-mode mask is draw_mask(x, p) (seeded like the reference)."""

    def dropout_forward(x, dropout_param):
        x = _f64(x)
        p, mode = dropout_param["p"], dropout_param["mode"]
        _seed(dropout_param)
        if mode != "train":
            return ref.dropout_forward(x, {"p": p, "mode": mode})
        with np.errstate(divide="ignore", invalid="ignore"):
            mask = draw_mask(x, p)
        return x * mask, (dict(dropout_param), mask)

    return dropout_forward


mistake(
    "p-is-drop-probability",
    "treats p as the probability of DROPPING a unit (mask = (rand < 1 - p) / (1 - p)); p "
    "is the probability of KEEPING it: mask = (rand < p) / p.",
    target="dropout_forward",
)(_train_dropout(lambda x, p: (np.random.rand(*x.shape) < 1 - p) / (1 - p)))

mistake(
    "mask-from-randn",
    "draws the mask from np.random.randn (a normal distribution), so a unit is kept with "
    "probability Phi(p), not p; use np.random.rand (uniform on [0, 1)).",
    target="dropout_forward",
)(_train_dropout(lambda x, p: (np.random.randn(*x.shape) < p) / p))

mistake(
    "one-mask-row",
    "draws one mask row (np.random.rand(1, D)) that every example shares; draw an "
    "independent mask for every unit of every example: np.random.rand(*x.shape).",
    target="dropout_forward",
)(_train_dropout(lambda x, p: (np.random.rand(1, x.shape[1]) < p) / p))

mistake(
    "mask-assumes-2d",
    "draws the mask as np.random.rand(x.shape[0], x.shape[1]), which assumes 2-D input; "
    "x may have any shape: np.random.rand(*x.shape).",
    target="dropout_forward",
)(_train_dropout(lambda x, p: (np.random.rand(x.shape[0], x.shape[1]) < p) / p))


@mistake(
    "mask-inverted",
    "lets the gradient through where x <= 0 and blocks it where x > 0; ReLU passes dout "
    "where x > 0: dx = dout * (x > 0).",
)
def relu_backward(dout, cache):  # noqa: F811
    return _f64(dout) * (cache <= 0)


@mistake(
    "tanh-derivative",
    "uses the tanh derivative 1 - out**2; the sigmoid's is out * (1 - out).",
)
def sigmoid_backward(dout, cache):  # noqa: F811
    return _f64(dout) * (1.0 - cache**2)


@mistake(
    "sigmoid-derivative",
    "uses s * (1 - s), the derivative of the sigmoid; the derivative of softplus is the "
    "sigmoid itself: dx = dout * sigmoid(x).",
)
def softplus_backward(dout, cache):  # noqa: F811
    s = _sigmoid(cache)
    return _f64(dout) * s * (1.0 - s)


@mistake(
    "max-with-alpha",
    "computes max(alpha, x); leaky ReLU is max(alpha * x, x).",
)
def leaky_relu_forward(x, alpha=0.01):  # noqa: F811
    x = _f64(x)
    return np.maximum(alpha, x), (x, alpha)


@mistake(
    "max-formula",
    "computes max(x, alpha * (exp(x) - 1)) by analogy with leaky ReLU, which differs for "
    "x > 0 (exp(x) - 1 > x there); ELU is x for x > 0 and alpha * (exp(x) - 1) otherwise.",
)
def elu_forward(x, alpha=1.0):  # noqa: F811
    x = _f64(x)
    with np.errstate(over="ignore"):
        return np.maximum(x, alpha * np.expm1(x)), (x, alpha)


@mistake(
    "dalpha-not-summed",
    "returns dalpha per example, with shape (N, D); alpha is shared by the examples, so sum "
    "dout * x (where x <= 0) over the minibatch.",
)
def prelu_backward(dout, cache):  # noqa: F811
    x, alpha = cache
    dout = _f64(dout)
    dx = np.where(x > 0, dout, alpha * dout)
    return dx, np.where(x > 0, 0.0, dout * x)


@mistake(
    "dxhat-missing-gamma",
    "backpropagates dout straight into x_hat; out = gamma * x_hat + beta, so "
    "dx_hat = dout * gamma.",
)
def batchnorm_backward(dout, cache):  # noqa: F811
    _, x_hat, gamma, std = cache
    dout = _f64(dout)
    dx = _norm_backward(dout, x_hat, 1.0, std, 0)
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


@mistake(
    "correct-class-gradient-minus-one",
    "sets the correct class's gradient to -1; it is minus the number of classes whose "
    "margin is violated (each one adds -1).",
)
def svm_loss(x, y):  # noqa: F811
    loss, dx = ref.svm_loss(x, y)
    rows = np.arange(np.shape(x)[0])
    dx = _f64(dx).copy()
    dx[rows, np.asarray(y, dtype=np.intp)] = -1.0 / len(rows)
    return loss, dx
