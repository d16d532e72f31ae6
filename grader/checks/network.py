"""A small fully connected network that the grader assembles from pieces the course pack
declares.

Each piece (a layer's forward/backward pair, the loss, the regularizer, the initializer,
the optimizer) is computed either by the student's function, in the worker, or by the
reference, in the grader process; the grader carries the arrays between them. So the
network runs the student's code without the reference ever entering the worker, and
swapping single pieces tells which one breaks training.

What a layer is (its functions, the parameters it owns, the dict argument it takes) is
data a spec declares with `Layer`, `Param` and `Settings`; an `Architecture` is a
sequence of layers with widths plus the loss and regularizer functions. The engine names
no course function.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import numpy as np

from grader.checks.compare import aligned
from grader.checks.implementations import Implementation
from grader.checks.procedures import MalformedResult

Piece = tuple[str, ...]  # functions swapped together: a layer's forward and backward


@dataclass(frozen=True)
class Param:
    """A parameter a layer owns, numbered by the layer's place among layers of its kind
    (w → w1, w2). `fill` None: weights of shape (inputs, width), drawn by the recipe's
    initializer and penalized by the regularizer; else a vector of shape (width,) that
    starts at `fill` (zero biases, unit gamma)."""

    name: str
    fill: float | None = None

    @property
    def weights(self) -> bool:
        return self.fill is None


@dataclass(frozen=True)
class Settings:
    """The dict a layer's forward takes after its parameters (e.g. bn_param): "mode"
    ("train" or "test"), the entries each use of the layer fixes, the pass's seed under
    `seed` (a random mask, fixed within a gradient check), and the `state` keys a
    train-mode forward writes back (running statistics), handed to every later pass."""

    name: str
    seed: str | None = None
    state: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.seed == "mode" or "mode" in self.state:
            raise ValueError(f"{self.name}: 'mode' is set by the grader")


@dataclass(frozen=True)
class Layer:
    """A kind of layer. Its forward takes (x, *params, [settings dict]) and returns (out,
    cache); its backward takes (dout, cache) and returns dx, or (dx, d<param>...) in the
    order of `params`. `kink`: its derivative jumps at 0, so numerical gradients keep its
    inputs away from there. `noted`: titles name it (" with batchnorm")."""

    name: str
    forward: str
    backward: str
    params: tuple[Param, ...] = ()
    settings: Settings | None = None
    kink: bool = False
    noted: bool = False

    @property
    def functions(self) -> Piece:
        return (self.forward, self.backward)

    @property
    def sized(self) -> bool:
        """Owns weights, so a use of it says its output width."""
        return any(param.weights for param in self.params)

    def __call__(self, width: int | None = None, **entries: float | int | str) -> Stage:
        """One use of the layer in a network: its output width, fixed settings entries."""
        return Stage(self, width, tuple(entries.items()))


@dataclass(frozen=True)
class Stage:
    """A layer in a network (build it as `layer(width, **entries)`)."""

    layer: Layer
    width: int | None = None  # output width; only for a layer that owns weights
    entries: tuple[tuple[str, float | int | str], ...] = ()  # fixed settings (dropout's p)

    def __post_init__(self) -> None:
        layer = self.layer
        if layer.sized != (self.width is not None):
            raise ValueError(f"{layer.name}: an output width goes with a layer owning weights")
        if self.entries and layer.settings is None:
            raise ValueError(f"{layer.name} takes no settings dict")

    def settings(self, mode: str, seed: int, state: Mapping[str, np.ndarray]) -> dict:
        """The dict argument of one forward call."""
        declared = self.layer.settings
        seeded = {declared.seed: seed} if declared.seed else {}
        return {**dict(self.entries), "mode": mode, **seeded, **state}

    def describe(self) -> str:
        shown = ", ".join(
            f"{key}={value:g}" if isinstance(value, int | float) else f"{key}={value}"
            for key, value in self.entries
        )
        return f"{self.layer.name}({shown})" if shown else self.layer.name


@dataclass(frozen=True)
class Architecture:
    """Layers in order, then `loss` (scores, labels) -> (loss, dscores); `regularizer`
    (w, reg) -> (penalty, dw) on every weight. `loss_label` names the loss in titles."""

    stages: tuple[Stage, ...]
    loss: str
    regularizer: str
    loss_label: str

    def __post_init__(self) -> None:
        if not self.stages or self.stages[-1].width is None:
            raise ValueError("a network ends with a layer that owns weights (the class scores)")

    def __iter__(self) -> Iterator[Stage]:
        return iter(self.stages)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(stage.layer.name for stage in self)

    @property
    def classes(self) -> int:
        return self.stages[-1].width

    @property
    def hidden(self) -> tuple[int, ...]:
        return tuple(stage.width for stage in self.stages[:-1] if stage.width is not None)

    def pieces(self, regularized: bool = False) -> tuple[Piece, ...]:
        """The pieces a forward and backward pass use, in order of first use."""
        used = (*(stage.layer.functions for stage in self), (self.loss,))
        return tuple(dict.fromkeys(used + (((self.regularizer,),) if regularized else ())))

    def variant(self) -> str:
        """ " with batchnorm" / " with dropout": what sets the network apart, for titles."""
        noted = dict.fromkeys(stage.layer.name for stage in self if stage.layer.noted)
        return "".join(f" with {name}" for name in noted)

    def describe(self) -> str:
        names = "–".join(stage.describe() for stage in self)
        hidden = ", ".join(str(width) for width in self.hidden)
        return f"{names}–{self.loss_label} (hidden {hidden})"

    def keys(self, index: int) -> tuple[str, ...]:
        """The parameter names of the layer at `index` (w1, b1 for the first affine)."""
        stage = self.stages[index]
        number = sum(other.layer.name == stage.layer.name for other in self.stages[:index]) + 1
        return tuple(f"{param.name}{number}" for param in stage.layer.params)

    def shapes(self, inputs: int) -> dict[str, tuple[tuple[int, ...], Param]]:
        """Every parameter's shape and declaration, in the order of the layers."""
        found, width = {}, inputs
        for index, stage in enumerate(self):
            out = stage.width or width
            for key, param in zip(self.keys(index), stage.layer.params, strict=True):
                found[key] = ((width, out) if param.weights else (out,), param)
            width = out
        return found

    @property
    def weights(self) -> tuple[str, ...]:
        """The weights' names (what the initializer draws and the regularizer penalizes)."""
        return tuple(key for key, (_, param) in self.shapes(1).items() if param.weights)

    def weight_shapes(self, inputs: int) -> dict[str, tuple[int, ...]]:
        return {key: shape for key, (shape, param) in self.shapes(inputs).items() if param.weights}

    def initial_params(self, weights: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        """The given weights, every other parameter at its fill value (zero biases...)."""
        inputs = next(iter(weights.values())).shape[0]
        return {
            key: weights[key] if param.weights else np.full(shape, param.fill, dtype=np.float64)
            for key, (shape, param) in self.shapes(inputs).items()
        }


@dataclass(frozen=True)
class Pieces:
    """Who computes each piece: the student for the pieces in `students`, else the reference."""

    student: Implementation
    reference: Implementation
    students: frozenset[Piece]

    def for_function(self, function: str) -> Implementation:
        taken = any(function in piece for piece in self.students)
        return self.student if taken else self.reference

    def call(self, function: str, args: tuple, **options) -> object:
        return self.for_function(function).call(function, args, **options)

    def forget(self, values: Iterable[object]) -> None:
        """Free what the student's side kept for a finished step (its caches, in the worker)."""
        self.student.forget(list(values))


def as_float_array(value: object, shape: tuple[int, ...], what: str) -> np.ndarray:
    """A returned array of the expected shape (or one differing only in axes of size 1,
    reshaped to it), else a MalformedResult naming the function."""
    if not isinstance(value, np.ndarray) or value.dtype.kind not in "fiu":
        kind = f"array of dtype {value.dtype}" if isinstance(value, np.ndarray) else type(value)
        raise MalformedResult(f"{what} should be a float array of shape {shape}, got {kind}")
    if (same_shape := aligned(value, shape)) is None:
        raise MalformedResult(f"{what} has shape {value.shape}; expected {shape}")
    return same_shape.astype(np.float64, copy=False)


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
    state: dict[int, dict[str, np.ndarray]]  # per layer index, what its forward wrote back
    scores: np.ndarray
    inputs: list[np.ndarray]  # what entered each layer


def forward(
    net: Architecture,
    pieces: Pieces,
    params: Mapping[str, np.ndarray],
    x: np.ndarray,
    y: np.ndarray,
    *,
    mode: str = "train",
    seed: int = 0,
    state: Mapping[int, Mapping[str, np.ndarray]] | None = None,
    reg: float = 0.0,
) -> Tape:
    """One forward pass; the caches stay with whoever computed them. `seed` goes to layers
    that draw a random mask; `state` holds what earlier train-mode passes wrote back."""
    h, caches, inputs = x, [], []
    state = dict(state or {})
    for index, stage in enumerate(net):
        layer, name = stage.layer, stage.layer.forward
        width = stage.width or h.shape[1]
        args = (h, *(params[key] for key in net.keys(index)))
        writes = bool(layer.settings and layer.settings.state) and mode == "train"
        if layer.settings:
            args += (stage.settings(mode, seed, state.get(index, {})),)
        reply = pieces.call(name, args, keep=(1,), return_args=writes)
        if writes:
            state[index] = written_back(layer, reply.args_after[0][len(args) - 1], width)
        out, cache = as_pair(reply.value, name, "out, cache")
        inputs.append(h)
        h = as_float_array(out, (x.shape[0], width), f"{name}'s out")
        caches.append(cache)
    loss, dscores = as_pair(pieces.call(net.loss, (h, y)).value, net.loss, "loss, dx")
    data_loss = as_number(loss, f"{net.loss}'s loss")
    total, reg_grads, regularizer = data_loss, {}, net.regularizer
    if reg:
        for key in net.weights:
            value = pieces.call(regularizer, (params[key], reg)).value
            penalty, grad = as_pair(value, regularizer, "loss, dw")
            total += as_number(penalty, f"{regularizer}'s loss")
            reg_grads[key] = as_float_array(grad, params[key].shape, f"{regularizer}'s dw")
    dscores = as_float_array(dscores, h.shape, f"{net.loss}'s dx")
    return Tape(total, data_loss, caches, dscores, reg_grads, state, h, inputs)


def written_back(layer: Layer, settings: object, width: int) -> dict[str, np.ndarray]:
    """The state a train-mode forward wrote back into its settings dict."""
    name, where = layer.forward, layer.settings.name
    if not isinstance(settings, dict):
        raise MalformedResult(f"{name} replaced {where} by something not a dict")
    state = {}
    for key in layer.settings.state:
        if key not in settings:
            raise MalformedResult(f"{name} did not write {key} back into {where}")
        state[key] = as_float_array(settings[key], (width,), f"{where}['{key}']")
    return state


def backward(
    net: Architecture, pieces: Pieces, params: Mapping[str, np.ndarray], tape: Tape
) -> dict[str, np.ndarray]:
    """Gradients of the tape's loss for every parameter (no dx for the first layer)."""
    grads: dict[str, np.ndarray] = {}
    dout = tape.dscores
    for index in reversed(range(len(net.stages))):
        layer, name = net.stages[index].layer, net.stages[index].layer.backward
        first = index == 0
        value = pieces.call(name, (dout, tape.caches[index]), drop=(0,) if first else ()).value
        keys = net.keys(index)
        if keys:
            names = ("dx", *(f"d{param.name}" for param in layer.params))
            if not isinstance(value, tuple | list) or len(value) != len(names):
                raise MalformedResult(f"{name} should return ({', '.join(names)})")
            dx = value[0]
            for key, what, grad in zip(keys, names[1:], value[1:], strict=True):
                grads[key] = as_float_array(grad, params[key].shape, f"{name}'s {what}")
        else:
            dx = value[0] if isinstance(value, tuple | list) and len(value) == 1 else value
        if first:
            break
        dout = as_float_array(dx, tape.inputs[index].shape, f"{name}'s dx")
    for key, grad in tape.reg_grads.items():
        grads[key] = grads[key] + grad
    return grads


def evaluate(
    net: Architecture,
    reference: Implementation,
    params: Mapping[str, np.ndarray],
    state: Mapping[int, Mapping[str, np.ndarray]],
    x: np.ndarray,
    y: np.ndarray,
) -> tuple[float, float]:
    """Training accuracy and loss of the given parameters, by the reference in test mode."""
    everything = Pieces(reference, reference, frozenset())
    with np.errstate(all="ignore"):
        tape = forward(net, everything, params, x, y, mode="test", state=state)
    accuracy = float(np.mean(np.argmax(tape.scores, axis=1) == y))
    return accuracy, tape.data_loss
