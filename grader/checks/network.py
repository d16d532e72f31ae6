"""A small fully connected network that the grader assembles from named pieces.

Each piece (a layer's forward/backward pair, the loss, the regularizer, the initializer,
the optimizer) is computed either by the student's function, in the worker, or by the
reference, in the grader process; the grader carries the arrays between them. So the
network runs the student's code without the reference ever entering the worker, and
swapping single pieces tells which one breaks training.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from grader.checks.implementations import Implementation, ReferenceImplementation
from grader.checks.procedures import MalformedResult

LAYER_FUNCTIONS = {
    "affine": ("affine_forward", "affine_backward"),
    "batchnorm": ("batchnorm_forward", "batchnorm_backward"),
    "relu": ("relu_forward", "relu_backward"),
    "dropout": ("dropout_forward", "dropout_backward"),
}
LOSS, REGULARIZER = "softmax_loss", "l2_regularization"
REFERENCE_LAYERS = "reference.cifar"


def piece_of(function: str) -> str:
    """The piece a function belongs to: a layer's forward and backward are one piece."""
    for layer, functions in LAYER_FUNCTIONS.items():
        if function in functions:
            return layer
    return function


def piece_functions(piece: str) -> tuple[str, ...]:
    return LAYER_FUNCTIONS.get(piece, (piece,))


@dataclass(frozen=True)
class Architecture:
    """affine – [batchnorm] – relu – [dropout] – affine – softmax, with L2 on the weights."""

    hidden: int = 50
    batchnorm: bool = False
    keep: float | None = None  # dropout's probability of keeping a unit
    classes: int = 10

    @property
    def layers(self) -> tuple[str, ...]:
        middle = ("batchnorm",) * self.batchnorm + ("relu",) + ("dropout",) * bool(self.keep)
        return ("affine", *middle, "affine")

    def pieces(self, regularized: bool = False) -> tuple[str, ...]:
        """The pieces a forward and backward pass use, in order of first use."""
        used = (*self.layers, LOSS) + ((REGULARIZER,) if regularized else ())
        return tuple(dict.fromkeys(used))

    def variant(self) -> str:
        """ " with batchnorm" / " with dropout": what sets the network apart, for titles."""
        extras = [layer for layer in ("batchnorm", "dropout") if layer in self.layers]
        return "".join(f" with {layer}" for layer in extras)

    def describe(self) -> str:
        names = [f"dropout(p={self.keep:g})" if layer == "dropout" else layer for layer in self]
        return f"{'–'.join(names)}–softmax (hidden {self.hidden})"

    def __iter__(self):
        return iter(self.layers)

    def weight_shapes(self, inputs: int) -> dict[str, tuple[int, int]]:
        return {"w1": (inputs, self.hidden), "w2": (self.hidden, self.classes)}

    def initial_params(self, weights: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Zero biases, unit gamma and zero beta around the given weights."""
        params = {"w1": weights["w1"], "b1": np.zeros(self.hidden)}
        if self.batchnorm:
            params |= {"gamma1": np.ones(self.hidden), "beta1": np.zeros(self.hidden)}
        return params | {"w2": weights["w2"], "b2": np.zeros(self.classes)}


@dataclass(frozen=True)
class Pieces:
    """Who computes each piece: the student for the pieces in `students`, else the reference."""

    student: Implementation
    reference: Implementation
    students: frozenset[str]

    def for_function(self, function: str) -> Implementation:
        return self.student if piece_of(function) in self.students else self.reference

    def call(self, function: str, args: tuple, **options) -> object:
        return self.for_function(function).call(function, args, **options)

    def forget(self, values: Iterable[object]) -> None:
        """Free what the student's side kept for a finished step (its caches, in the worker)."""
        self.student.forget(list(values))


def reference_pieces() -> Pieces:
    reference = ReferenceImplementation(REFERENCE_LAYERS)
    return Pieces(reference, reference, frozenset())


def as_float_array(value: object, shape: tuple[int, ...], what: str) -> np.ndarray:
    """A returned array of the expected shape, else a MalformedResult naming the function."""
    if not isinstance(value, np.ndarray) or value.dtype.kind not in "fiu":
        kind = f"array of dtype {value.dtype}" if isinstance(value, np.ndarray) else type(value)
        raise MalformedResult(f"{what} should be a float array of shape {shape}, got {kind}")
    if value.shape != shape:
        raise MalformedResult(f"{what} has shape {value.shape}; expected {shape}")
    return value.astype(np.float64, copy=False)


def as_number(value: object, what: str) -> float:
    if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "fiu":
        return float(value.reshape(()))
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise MalformedResult(f"{what} should be a number, got {type(value).__name__}")
    return float(value)


def as_pair(value: object, function: str, names: str) -> tuple[object, object]:
    if not isinstance(value, tuple | list) or len(value) != 2:
        raise MalformedResult(f"{function} should return ({names})")
    return value[0], value[1]


@dataclass
class Tape:
    """What a forward pass leaves for the backward pass."""

    loss: float
    data_loss: float
    caches: list[object]
    dscores: np.ndarray
    reg_grads: dict[str, np.ndarray]
    bn_state: dict[str, np.ndarray]
    scores: np.ndarray


def forward(
    net: Architecture,
    pieces: Pieces,
    params: Mapping[str, np.ndarray],
    x: np.ndarray,
    y: np.ndarray,
    *,
    mode: str = "train",
    dropout_seed: int = 0,
    bn_state: Mapping[str, np.ndarray] | None = None,
    reg: float = 0.0,
) -> Tape:
    """One forward pass; the caches stay with whoever computed them."""
    h, caches, affine = x, [], 0
    state = dict(bn_state or {})
    rows = x.shape[0]
    for layer in net:
        name = LAYER_FUNCTIONS[layer][0]
        if layer == "affine":
            affine += 1
            args = (h, params[f"w{affine}"], params[f"b{affine}"])
            width = params[f"w{affine}"].shape[1]
            reply = pieces.call(name, args, keep=(1,))
        elif layer == "batchnorm":
            bn_param = {"mode": mode, **state}
            args = (h, params["gamma1"], params["beta1"], bn_param)
            reply = pieces.call(name, args, keep=(1,), return_args=mode == "train")
            if mode == "train":
                state = running_statistics(reply.args_after[0][3], width)
        elif layer == "dropout":
            dropout_param = {"p": net.keep, "mode": mode, "seed": dropout_seed}
            reply = pieces.call(name, (h, dropout_param), keep=(1,))
        else:
            reply = pieces.call(name, (h,), keep=(1,))
        out, cache = as_pair(reply.value, name, "out, cache")
        h = as_float_array(out, (rows, width), f"{name}'s out")
        caches.append(cache)
    loss, dscores = as_pair(pieces.call(LOSS, (h, y)).value, LOSS, "loss, dx")
    data_loss = as_number(loss, f"{LOSS}'s loss")
    total, reg_grads = data_loss, {}
    if reg:
        for key in ("w1", "w2"):
            value = pieces.call(REGULARIZER, (params[key], reg)).value
            penalty, grad = as_pair(value, REGULARIZER, "loss, dw")
            total += as_number(penalty, f"{REGULARIZER}'s loss")
            reg_grads[key] = as_float_array(grad, params[key].shape, f"{REGULARIZER}'s dw")
    dscores = as_float_array(dscores, h.shape, f"{LOSS}'s dx")
    return Tape(total, data_loss, caches, dscores, reg_grads, state, h)


def running_statistics(bn_param: object, width: int) -> dict[str, np.ndarray]:
    """The running mean and variance a train-mode batchnorm wrote back into bn_param."""
    if not isinstance(bn_param, dict):
        raise MalformedResult("batchnorm_forward replaced bn_param by something not a dict")
    state = {}
    for key in ("running_mean", "running_var"):
        if key not in bn_param:
            raise MalformedResult(f"batchnorm_forward did not write {key} back into bn_param")
        state[key] = as_float_array(bn_param[key], (width,), f"bn_param['{key}']")
    return state


def backward(
    net: Architecture, pieces: Pieces, params: Mapping[str, np.ndarray], tape: Tape
) -> dict[str, np.ndarray]:
    """Gradients of the tape's loss for every parameter."""
    grads: dict[str, np.ndarray] = {}
    dout, affine = tape.dscores, sum(layer == "affine" for layer in net)
    for layer, cache in zip(reversed(net.layers), reversed(tape.caches), strict=True):
        name = LAYER_FUNCTIONS[layer][1]
        first_layer = layer == "affine" and affine == 1
        value = pieces.call(name, (dout, cache), drop=(0,) if first_layer else ()).value
        shape = dout.shape
        if layer == "affine":
            dx, dw, db = _triple(value, name, "dx, dw, db")
            grads[f"w{affine}"] = as_float_array(dw, params[f"w{affine}"].shape, f"{name}'s dw")
            grads[f"b{affine}"] = as_float_array(db, params[f"b{affine}"].shape, f"{name}'s db")
            shape = (dout.shape[0], params[f"w{affine}"].shape[0])
            affine -= 1
            if first_layer:
                break
        elif layer == "batchnorm":
            dx, dgamma, dbeta = _triple(value, name, "dx, dgamma, dbeta")
            grads["gamma1"] = as_float_array(dgamma, params["gamma1"].shape, f"{name}'s dgamma")
            grads["beta1"] = as_float_array(dbeta, params["beta1"].shape, f"{name}'s dbeta")
        else:
            dx = value[0] if isinstance(value, tuple | list) and len(value) == 1 else value
        dout = as_float_array(dx, shape, f"{name}'s dx")
    for key, grad in tape.reg_grads.items():
        grads[key] = grads[key] + grad
    return grads


def _triple(value: object, function: str, names: str) -> tuple[object, object, object]:
    if not isinstance(value, tuple | list) or len(value) != 3:
        raise MalformedResult(f"{function} should return ({names})")
    return value[0], value[1], value[2]


def evaluate(
    net: Architecture,
    params: Mapping[str, np.ndarray],
    bn_state: Mapping[str, np.ndarray],
    x: np.ndarray,
    y: np.ndarray,
) -> tuple[float, float]:
    """Training accuracy and loss of the given parameters, by the reference in test mode."""
    with np.errstate(all="ignore"):
        tape = forward(net, reference_pieces(), params, x, y, mode="test", bn_state=bn_state)
    accuracy = float(np.mean(np.argmax(tape.scores, axis=1) == y))
    return accuracy, tape.data_loss
