"""An instructor extends the course pack without touching the engine: a copy of the pack
gains a NumPy layer, a torch autograd Function and a torch optimizer (solution code plus
spec entries only), and the `grader` CLI grades them: the reference earns full marks on
each, a wrong version loses points on that function and no other."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, needs_packages_of

# the new objects are torch ones; asked without importing torch in every test process
pytestmark = needs_packages_of("gpu")

NEW_FUNCTIONS = ("swish_forward", "swish_backward", "SoftplusFunction", "Adagrad")

LAYER = '''

def swish_forward(x):
    """Forward pass of swish: out = x * sigmoid(x); returns (out, cache)."""
    x = np.asarray(x, dtype=np.float64)
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return x * s, (x, s)


def swish_backward(dout, cache):
    """Backward pass of swish: returns dx."""
    x, s = cache
    return dout * (s + x * s * (1.0 - s))
'''

LAYER_SPEC = """

import dataclasses

ASSIGNMENT = dataclasses.replace(
    ASSIGNMENT,
    functions=(
        *ASSIGNMENT.functions,
        forward("swish_forward", inputs.elementwise, 2),
        backward("swish_backward", "swish_forward", {"dx": 0}, 2),
    ),
)
"""

TORCH_OBJECTS = '''

class SoftplusFunction(torch.autograd.Function):
    """softplus(x) = log(1 + exp(beta * x)) / beta, like F.softplus."""

    @staticmethod
    def forward(ctx, x, beta):
        ctx.save_for_backward(x)
        ctx.beta = beta
        scaled = beta * x
        return (torch.log1p(torch.exp(-scaled.abs())) + scaled.clamp(min=0)) / beta

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        return grad_out * torch.sigmoid(ctx.beta * x), None


class Adagrad(torch.optim.Optimizer):
    """Adagrad like torch.optim.Adagrad."""

    def __init__(self, params, lr=1e-2, lr_decay=0.0, weight_decay=0.0, eps=1e-10):
        defaults = {"lr": lr, "lr_decay": lr_decay, "weight_decay": weight_decay, "eps": eps}
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if not state:
                    state["step"] = torch.tensor(0.0)
                    state["sum"] = torch.zeros_like(p)
                state["step"] += 1
                g = p.grad + group["weight_decay"] * p if group["weight_decay"] else p.grad
                clr = group["lr"] / (1 + (float(state["step"]) - 1) * group["lr_decay"])
                state["sum"].addcmul_(g, g, value=1)
                p.addcdiv_(g, state["sum"].sqrt().add_(group["eps"]), value=-clr)
'''

TORCH_SPEC = """

import dataclasses

from grader.checks.torch_functions import Arg, AutogradFunction, Oracle, TensorInput

SOFTPLUS = AutogradFunction(
    inputs=(TensorInput("x", (7, 4), scale=2.0),),
    oracle=Oracle(
        "torch.nn.functional.softplus", "F.softplus", args=(Arg("x"),), kwargs={"beta": Arg("beta")}
    ),
    extra={"beta": 2.0},
)
ASSIGNMENT = dataclasses.replace(
    ASSIGNMENT,
    functions=(
        *ASSIGNMENT.functions,
        autograd_function("SoftplusFunction", SOFTPLUS),
        FunctionSpec(
            "Adagrad",
            MODULE,
            "plain",
            (
                TorchTrajectoryMatches(
                    3,
                    ({}, {"lr": 0.1, "lr_decay": 0.01, "weight_decay": 0.1}),
                    1e-2,
                    oracle="torch.optim.Adagrad",
                ),
            ),
        ),
    ),
)
"""

WRONG_LAYER = """

def swish_backward(dout, cache):
    x, s = cache
    return dout * s
"""

WRONG_TORCH_OBJECTS = """

class SoftplusFunction(SoftplusFunction):
    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        return grad_out * torch.sigmoid(x), None


class Adagrad(Adagrad):
    def step(self, closure=None):
        for group in self.param_groups:
            group["weight_decay"] = 0.0
        return super().step(closure)
"""


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the course pack with the three new objects; the engine is untouched."""
    root = tmp_path_factory.mktemp("course")
    for part in ("reference", "assignments"):
        shutil.copytree(ROOT / part, root / part, ignore=shutil.ignore_patterns("__pycache__"))
    append(root / "reference" / "layers.py", LAYER)
    append(root / "reference" / "assignments" / "layers.py", LAYER_SPEC)
    append(root / "reference" / "gpu.py", TORCH_OBJECTS)
    append(root / "reference" / "assignments" / "gpu.py", TORCH_SPEC)
    return root


def submission(course: Path, folder: Path, layers: str = "", gpu: str = "") -> Path:
    """The reference modules, each with a fragment appended (its defs shadow the right ones)."""
    folder.mkdir()
    for module, fragment in (("layers", layers), ("gpu", gpu)):
        source = (course / "reference" / f"{module}.py").read_text(encoding="utf-8")
        (folder / f"{module}.py").write_text(source + fragment, encoding="utf-8")
    return folder


def points(course: Path, graded: Path) -> dict[str, tuple[float, float]]:
    """Score and maximum per function, from the CLI's JSON report."""
    only = [arg for name in NEW_FUNCTIONS for arg in ("--only", name)]
    command = [sys.executable, "-m", "grader", "--course", str(course), "grade", "all"]
    command += [str(graded), *only, "--device", "cpu", "--format", "json", "--out", "-"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        command, capture_output=True, text=True, env=env, cwd=course, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr
    totals: dict[str, tuple[float, float]] = {}
    for test in json.loads(done.stdout)["tests"]:
        function = test["tags"][0]
        score, most = totals.get(function, (0.0, 0.0))
        totals[function] = (score + test["score"], most + test["max_score"])
    return totals


@pytest.mark.slow
def test_the_reference_earns_full_marks_on_the_new_objects(course: Path, tmp_path: Path) -> None:
    totals = points(course, submission(course, tmp_path / "reference"))
    assert set(totals) == set(NEW_FUNCTIONS)
    for function, (score, most) in totals.items():
        assert most > 0 and score == most, function


@pytest.mark.slow
def test_a_wrong_version_loses_points_on_its_function_only(course: Path, tmp_path: Path) -> None:
    totals = points(
        course, submission(course, tmp_path / "wrong", WRONG_LAYER, WRONG_TORCH_OBJECTS)
    )
    assert totals["swish_forward"][0] == totals["swish_forward"][1]
    for function in ("swish_backward", "SoftplusFunction", "Adagrad"):
        score, most = totals[function]
        assert score < most, function
