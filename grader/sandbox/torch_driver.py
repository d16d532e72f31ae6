"""Procedures that exercise PyTorch objects inside a worker and return plain arrays.

Runs on the worker side (the student's worker, or the reference's own worker): it builds
tensors from the arrays the grader sent, drives the object under test (an optimizer, an
initializer, an autograd Function) and converts every result back to float64 NumPy
arrays. It decides nothing: the grader compares what comes back. `module` "torch" names
PyTorch's own objects (the second oracle): torch.optim, torch.nn.init, F.linear and
F.batch_norm. The worker imports this file only when a torch procedure is asked for, so
grading a NumPy assignment never loads torch.
"""

from __future__ import annotations

import functools

import numpy as np
import torch
import torch.nn.functional as F  # noqa: N812 - the conventional name

DTYPES = {"float32": torch.float32, "float64": torch.float64}
TORCH_OBJECTS = {
    "SGD": torch.optim.SGD,
    "RMSprop": torch.optim.RMSprop,
    "Adam": torch.optim.Adam,
    "xavier_uniform_": torch.nn.init.xavier_uniform_,
    "kaiming_normal_": torch.nn.init.kaiming_normal_,
    "orthogonal_": torch.nn.init.orthogonal_,
}


class TorchLinear:
    """F.linear in the shape of an autograd Function, for the forward-parity oracle."""

    @staticmethod
    def apply(x, weight, bias=None):
        return F.linear(x, weight, bias)


class TorchBatchNorm:
    """F.batch_norm in training mode, shaped like BatchNormFunction."""

    @staticmethod
    def apply(x, gamma, beta, eps=1e-5):
        return F.batch_norm(x, None, None, gamma, beta, training=True, eps=eps)


TORCH_OBJECTS |= {"LinearFunction": TorchLinear, "BatchNormFunction": TorchBatchNorm}


def resolve_device(requested: str) -> torch.device:
    if requested == "auto":
        requested = "cuda" if torch.cuda.is_available() else "cpu"
    return torch.device(requested)


def synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def to_array(tensor: object) -> object:
    if isinstance(tensor, torch.Tensor):
        return tensor.detach().to("cpu", torch.float64).numpy()
    return None


def tensor(value: np.ndarray, dtype: str, device: torch.device, grad: bool = False):
    return torch.tensor(value, dtype=DTYPES[dtype], device=device, requires_grad=grad)


def lookup(worker: object, module: str, name: str) -> object:
    if module == "torch":
        return TORCH_OBJECTS[name]
    return worker.function(module, name)


def device_info(worker: object, device: str) -> dict:
    chosen = resolve_device(device)
    name = torch.cuda.get_device_name(chosen) if chosen.type == "cuda" else "CPU"
    return {"device": chosen.type, "name": name, "threads": torch.get_num_threads()}


def optimizer_trajectory(
    worker: object,
    module: str,
    name: str,
    params: list,
    groups: list,
    defaults: dict,
    grads: list,
    dtype: str,
    device: str,
    reload_at: int | None = None,
) -> list:
    """Parameters after every step of the optimizer, fed the given gradients (None: no
    gradient that step). `groups` are (parameter indices, overrides) pairs; at step
    `reload_at` the optimizer is replaced by a fresh one loaded from its state_dict."""
    chosen = resolve_device(device)
    cls = lookup(worker, module, name)
    tensors = [tensor(value, dtype, chosen) for value in params]

    def build() -> torch.optim.Optimizer:
        spec = [{"params": [tensors[i] for i in indices], **extra} for indices, extra in groups]
        return cls(spec, **defaults)

    optimizer, trajectory = build(), []
    for step, step_grads in enumerate(grads):
        if step == reload_at:
            state = optimizer.state_dict()
            optimizer = build()
            optimizer.load_state_dict(state)
        for value, grad in zip(tensors, step_grads, strict=True):
            value.grad = None if grad is None else tensor(grad, dtype, chosen)
        optimizer.step()
        trajectory.append([to_array(value) for value in tensors])
    return trajectory


def init_draw(
    worker: object,
    module: str,
    name: str,
    shape: list,
    kwargs: dict,
    seed: int,
    dtype: str,
    device: str,
) -> dict:
    """What an initializer leaves in a tensor of the given shape, and whether it filled the
    tensor in place and returned it."""
    chosen = resolve_device(device)
    torch.manual_seed(seed)
    target = torch.full(tuple(shape), float("nan"), dtype=DTYPES[dtype], device=chosen)
    returned = lookup(worker, module, name)(target, **kwargs)
    return {
        "values": to_array(target),
        "returned_same": returned is target,
        "returned": to_array(returned),
    }


def function_vjp(
    worker: object,
    module: str,
    name: str,
    inputs: list,
    extra: list,
    grad_out: np.ndarray | None,
    dtype: str,
    device: str,
) -> dict:
    """Forward output of an autograd Function and, for grad_out, the input gradients its
    backward pass gives (None for an input it returns no gradient for)."""
    chosen = resolve_device(device)
    tensors = [tensor(value, dtype, chosen, grad=grad_out is not None) for value in inputs]
    out = lookup(worker, module, name).apply(*tensors, *extra)
    result = {"out": to_array(out), "grads": None}
    if grad_out is not None:
        out.backward(tensor(grad_out, dtype, chosen))
        result["grads"] = [to_array(value.grad) for value in tensors]
    return result


def function_forward_many(
    worker: object, module: str, name: str, input_list: list, extra: list, dtype: str, device: str
) -> list:
    """Forward outputs for many inputs at once (the numerical gradient's evaluations)."""
    chosen = resolve_device(device)
    function = lookup(worker, module, name)
    with torch.no_grad():
        return [
            to_array(function.apply(*(tensor(v, dtype, chosen) for v in inputs), *extra))
            for inputs in input_list
        ]


def gradcheck_message(
    worker: object, module: str, name: str, inputs: list, extra: list, device: str
) -> str:
    """torch.autograd.gradcheck's own verdict in words, shown to the student as a hint."""
    chosen = resolve_device(device)
    tensors = [tensor(value, "float64", chosen, grad=True) for value in inputs]
    function = lookup(worker, module, name)
    try:
        torch.autograd.gradcheck(lambda *xs: function.apply(*xs, *extra), tensors)
    except Exception as error:  # noqa: BLE001 - gradcheck's complaint is the message
        return f"{type(error).__name__}: {error}".strip()[:800]
    return ""


class Timed:
    """A prepared workload: `run()` does one unit of work on the device."""

    def __init__(self, run, device: torch.device) -> None:
        self.run = run
        self.device = device


def prepare_optimizer(worker, module, name, sizes, kwargs, dtype, device, seed) -> Timed:
    chosen = resolve_device(device)
    generator = torch.Generator().manual_seed(seed)
    params = [torch.randn(size, generator=generator).to(chosen, DTYPES[dtype]) for size in sizes]
    for value in params:
        value.grad = torch.randn(value.shape, generator=generator).to(chosen, DTYPES[dtype])
    optimizer = lookup(worker, module, name)(params, **kwargs)
    return Timed(optimizer.step, chosen)


def prepare_batchnorm(worker, module, name, shape, dtype, device, seed) -> Timed:
    chosen = resolve_device(device)
    generator = torch.Generator().manual_seed(seed)

    def leaf(*size):
        return torch.randn(size, generator=generator).to(chosen, DTYPES[dtype]).requires_grad_()

    x, gamma, beta = leaf(*shape), leaf(shape[1]), leaf(shape[1])
    grad = torch.randn(shape, generator=generator).to(chosen, DTYPES[dtype])
    function = lookup(worker, module, name)

    def run() -> None:
        for value in (x, gamma, beta):
            value.grad = None
        function.apply(x, gamma, beta, 1e-5).backward(grad)

    return Timed(run, chosen)


def prepare_training(worker, module, images, labels, hidden, dtype, device, seed) -> Timed:
    """One full-batch training step of a linear–batchnorm–relu–linear network on the
    images, built only from the module's LinearFunction, BatchNormFunction,
    kaiming_normal_ and Adam."""
    chosen, kind = resolve_device(device), DTYPES[dtype]
    torch.manual_seed(seed)
    x = torch.tensor(images, dtype=kind, device=chosen)
    y = torch.tensor(labels, dtype=torch.long, device=chosen)
    get = functools.partial(lookup, worker, module)
    w1 = get("kaiming_normal_")(torch.empty(hidden, x.shape[1], dtype=kind, device=chosen))
    w2 = get("kaiming_normal_")(torch.empty(10, hidden, dtype=kind, device=chosen))
    params = [
        w1.requires_grad_(),
        torch.zeros(hidden, dtype=kind, device=chosen, requires_grad=True),
        torch.ones(hidden, dtype=kind, device=chosen, requires_grad=True),
        torch.zeros(hidden, dtype=kind, device=chosen, requires_grad=True),
        w2.requires_grad_(),
        torch.zeros(10, dtype=kind, device=chosen, requires_grad=True),
    ]
    optimizer = get("Adam")(params, lr=1e-3)
    linear, batchnorm = get("LinearFunction"), get("BatchNormFunction")

    def run() -> None:
        optimizer.zero_grad()
        h = linear.apply(x, params[0], params[1])
        h = torch.relu(batchnorm.apply(h, params[2], params[3], 1e-5))
        F.cross_entropy(linear.apply(h, params[4], params[5]), y).backward()
        optimizer.step()

    return Timed(run, chosen)


def run_timed(worker: object, timed: Timed, repeats: int) -> None:
    """Run the workload `repeats` times and wait for the device: the grader times the call."""
    for _ in range(repeats):
        timed.run()
    synchronize(timed.device)


PROCEDURES = {
    procedure.__name__: procedure
    for procedure in (
        device_info,
        optimizer_trajectory,
        init_draw,
        function_vjp,
        function_forward_many,
        gradcheck_message,
        prepare_optimizer,
        prepare_batchnorm,
        prepare_training,
        run_timed,
    )
}
