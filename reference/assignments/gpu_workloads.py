"""The `gpu` assignment's timed workloads (`RunsAsFastAsReference`), public course code.

The grader sends this file's source to both workers, the student's and the reference's,
and each builds the same workload from the objects it holds: a builder takes
`objects(name)` (the module's object of that name), the device, the dtype, a seed and the
spec's arguments, and returns the unit of work to time. It runs in the workers only and
holds no solution: nothing here may be hidden from students.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F  # noqa: N812 - the conventional name

Objects = Callable[[str], object]


def optimizer_step(
    objects: Objects,
    device: torch.device,
    dtype: torch.dtype,
    seed: int,
    optimizer: str,
    sizes: list,
    kwargs: dict,
) -> Callable[[], None]:
    """One `step` of the named optimizer over random parameters with random gradients."""
    generator = torch.Generator().manual_seed(seed)
    params = [torch.randn(size, generator=generator).to(device, dtype) for size in sizes]
    for value in params:
        value.grad = torch.randn(value.shape, generator=generator).to(device, dtype)
    return objects(optimizer)(params, **kwargs).step


def batchnorm_step(
    objects: Objects,
    device: torch.device,
    dtype: torch.dtype,
    seed: int,
    function: str,
    shape: list,
    eps: float,
) -> Callable[[], None]:
    """Forward and backward of the named batch-norm Function(x, gamma, beta, eps)."""
    generator = torch.Generator().manual_seed(seed)

    def leaf(*size: int) -> torch.Tensor:
        return torch.randn(size, generator=generator).to(device, dtype).requires_grad_()

    x, gamma, beta = leaf(*shape), leaf(shape[1]), leaf(shape[1])
    grad = torch.randn(shape, generator=generator).to(device, dtype)
    batchnorm = objects(function)

    def run() -> None:
        for value in (x, gamma, beta):
            value.grad = None
        batchnorm.apply(x, gamma, beta, eps).backward(grad)

    return run


def training_step(
    objects: Objects,
    device: torch.device,
    dtype: torch.dtype,
    seed: int,
    images: object,
    labels: object,
    hidden: int,
) -> Callable[[], None]:
    """One full-batch training step of a linear–batchnorm–relu–linear network on the
    images, built only from the module's LinearFunction, BatchNormFunction,
    kaiming_normal_ and Adam."""
    torch.manual_seed(seed)
    x = torch.tensor(images, dtype=dtype, device=device)
    y = torch.tensor(labels, dtype=torch.long, device=device)
    init = objects("kaiming_normal_")
    w1 = init(torch.empty(hidden, x.shape[1], dtype=dtype, device=device))
    w2 = init(torch.empty(10, hidden, dtype=dtype, device=device))
    params = [
        w1.requires_grad_(),
        torch.zeros(hidden, dtype=dtype, device=device, requires_grad=True),
        torch.ones(hidden, dtype=dtype, device=device, requires_grad=True),
        torch.zeros(hidden, dtype=dtype, device=device, requires_grad=True),
        w2.requires_grad_(),
        torch.zeros(10, dtype=dtype, device=device, requires_grad=True),
    ]
    optimizer = objects("Adam")(params, lr=1e-3)
    linear, batchnorm = objects("LinearFunction"), objects("BatchNormFunction")

    def run() -> None:
        optimizer.zero_grad()
        h = linear.apply(x, params[0], params[1])
        h = torch.relu(batchnorm.apply(h, params[2], params[3], 1e-5))
        F.cross_entropy(linear.apply(h, params[4], params[5]), y).backward()
        optimizer.step()

    return run
