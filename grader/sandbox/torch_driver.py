"""Procedures that exercise PyTorch objects inside a worker and return plain arrays.

Runs on the worker side (the student's worker, or the reference's own worker): it builds
tensors from the arrays the grader sent, drives the object under test (an optimizer, an
initializer, an autograd Function) and converts every result back to float64 NumPy
arrays. It decides nothing and knows no course: the grader compares what comes back, and
the course pack names what is driven. `module` "torch" makes `name` a dotted path to
PyTorch's own object (the second oracle, e.g. "torch.optim.SGD"), nothing outside torch; a
timed workload is built by a function of the course pack's public workload source, sent
with the request. The worker imports this file only when a torch procedure is asked for, so
grading a NumPy assignment never loads torch.
"""

from __future__ import annotations

import importlib
import sys

import numpy as np
import torch

DTYPES = {"float32": torch.float32, "float64": torch.float64}


def keep_the_compiler_unloaded() -> None:
    """torch.optim.Optimizer's bookkeeping methods (add_param_group, zero_grad, state_dict,
    load_state_dict) are wrapped by torch._disable_dynamo, which imports torch._dynamo on
    their first call (about 2.5 CPU-seconds, more than torch itself) only to keep
    torch.compile out of them. Nothing here compiles: unless something already loaded the
    compiler, each wrapper is given its undecorated method as the one to call, as it would
    cache after that import."""
    disable = getattr(torch, "_disable_dynamo", None)
    if disable is None or "torch._dynamo" in sys.modules:
        return
    wrapper_code = disable(lambda: None).__code__
    for method in vars(torch.optim.Optimizer).values():
        if getattr(method, "__code__", None) is wrapper_code:
            method.__wrapped__.__dynamo_disable = method.__wrapped__


keep_the_compiler_unloaded()


def torch_object(path: str) -> object:
    """The PyTorch object at a dotted path such as "torch.nn.functional.linear"."""
    parts = path.split(".")
    if parts[0] != "torch":
        raise ValueError(f"{path!r}: an oracle must be a dotted path under torch")
    found: object = torch
    for index, part in enumerate(parts[1:], 2):
        try:
            found = getattr(found, part)
        except AttributeError:
            found = importlib.import_module(".".join(parts[:index]))
    return found


class Called:
    """A PyTorch function in the shape of an autograd Function: `apply(*values)` calls it
    with `call`'s arguments, where ["arg", i] stands for values[i] and ["value", v] for v."""

    def __init__(self, function: object, call: dict) -> None:
        self.function = function
        self.call = call

    def apply(self, *values: object) -> object:
        def fill(item: list) -> object:
            kind, value = item
            return values[value] if kind == "arg" else value

        args = [fill(item) for item in self.call["args"]]
        kwargs = {key: fill(item) for key, item in self.call["kwargs"].items()}
        return self.function(*args, **kwargs)


def resolve_device(requested: str) -> torch.device:
    if requested == "auto":
        requested = "cuda" if torch.cuda.is_available() else "cpu"
    return torch.device(requested)


def synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def to_array(tensor: object) -> object:
    """A copy: a float64 CPU tensor's `.to` is the tensor itself, and a trajectory must not
    see later steps change what it recorded."""
    if isinstance(tensor, torch.Tensor):
        return tensor.detach().to("cpu", torch.float64, copy=True).numpy()
    return None


def tensor(value: np.ndarray, dtype: str, device: torch.device, grad: bool = False):
    return torch.tensor(value, dtype=DTYPES[dtype], device=device, requires_grad=grad)


def lookup(worker: object, module: str, name: str) -> object:
    if module == "torch":
        return torch_object(name)
    return worker.function(module, name)


def autograd_function(worker: object, module: str, name: str, call: dict | None) -> object:
    """The Function under test, or PyTorch's function called as `call` says."""
    if module == "torch":
        return Called(torch_object(name), call)
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
    call: dict | None = None,
) -> dict:
    """Forward output of an autograd Function and, for grad_out, the input gradients its
    backward pass gives (None for an input it returns no gradient for)."""
    chosen = resolve_device(device)
    tensors = [tensor(value, dtype, chosen, grad=grad_out is not None) for value in inputs]
    out = autograd_function(worker, module, name, call).apply(*tensors, *extra)
    result = {"out": to_array(out), "grads": None}
    if grad_out is not None:
        out.backward(tensor(grad_out, dtype, chosen))
        result["grads"] = [to_array(value.grad) for value in tensors]
    return result


def backward_returns(
    worker: object,
    module: str,
    name: str,
    inputs: list,
    extra: list,
    grad_out: np.ndarray,
    dtype: str,
    device: str,
) -> list:
    """What the Function's own backward returns for grad_out, as it returns it (None where
    it gives no gradient): autograd rejects a gradient of the wrong shape before anyone
    sees its values, and those values are what tells one wrong backward from another."""
    chosen = resolve_device(device)
    tensors = [tensor(value, dtype, chosen, grad=True) for value in inputs]
    out = worker.function(module, name).apply(*tensors, *extra)
    node = getattr(out, "grad_fn", None)
    if not isinstance(node, torch.autograd.function.BackwardCFunction):
        raise TypeError(f"{name}.apply returned no output of a custom autograd Function")
    with torch.no_grad():
        grads = node.apply(tensor(grad_out, dtype, chosen))
    return [to_array(grad) for grad in (grads if isinstance(grads, tuple | list) else [grads])]


def function_forward_many(
    worker: object,
    module: str,
    name: str,
    input_list: list,
    extra: list,
    dtype: str,
    device: str,
    call: dict | None = None,
) -> list:
    """Forward outputs for many inputs at once (the numerical gradient's evaluations)."""
    chosen = resolve_device(device)
    function = autograd_function(worker, module, name, call)
    with torch.no_grad():
        return [
            to_array(function.apply(*(tensor(v, dtype, chosen) for v in inputs), *extra))
            for inputs in input_list
        ]


def gradcheck_message(
    worker: object,
    module: str,
    name: str,
    inputs: list,
    extra: list,
    device: str,
    call: dict | None = None,
) -> str:
    """torch.autograd.gradcheck's own verdict in words, shown to the student as a hint."""
    chosen = resolve_device(device)
    tensors = [tensor(value, "float64", chosen, grad=True) for value in inputs]
    function = autograd_function(worker, module, name, call)
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


def prepare_workload(
    worker: object,
    module: str,
    name: str,
    source: str,
    builder: str,
    args: dict,
    dtype: str,
    device: str,
    seed: int,
) -> Timed:
    """A timed unit built by `builder` of the course pack's workload `source` (public code,
    no solution): builder(objects, device, dtype, seed, **args) returns the function to
    time, `objects(n)` being the module's object named n (the student's or the reference's,
    whichever this worker holds)."""
    chosen = resolve_device(device)
    namespace: dict = {"__name__": "workloads"}
    exec(compile(source, "<course workloads>", "exec"), namespace)  # noqa: S102 - course pack code
    run = namespace[builder](
        lambda wanted: worker.function(module, wanted), chosen, DTYPES[dtype], seed, **args
    )
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
        backward_returns,
        function_forward_many,
        gradcheck_message,
        prepare_workload,
        run_timed,
    )
}
