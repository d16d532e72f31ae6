"""A course pack adds a network layer and a network that uses it by writing the layer's
reference functions and declaring both in its spec; the engine (grader/) is not touched.

The layer is a parametric ReLU (a learned slope `a` per unit on the negative side): it owns
a parameter, so its backward returns a gradient for it, and it has a kink at 0. The
copied pack is graded through the command line, as an instructor would run it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NETWORK = "prelu_net"
SUBMITTED = ("layers.py", "optim.py", "initializers.py")

PRELU = '''


def prelu_forward(x, a):
    """Parametric ReLU: x where x > 0, else a * x, with one slope a per column."""
    # BEGIN SOLUTION
    out = np.where(x > 0, x, a * x)
    return out, (x, a)
    # END SOLUTION


def prelu_backward(dout, cache):
    """Returns (dx, da)."""
    # BEGIN SOLUTION
    x, a = cache
    dx = dout * np.where(x > 0, 1.0, a)
    da = np.sum(dout * np.where(x > 0, 0.0, x), axis=0)
    return dx, da
    # END SOLUTION
'''

FORGETS_SLOPE = """


def prelu_backward(dout, cache):
    x, a = cache
    dx = dout * (x > 0)
    da = np.sum(dout * np.where(x > 0, 0.0, x), axis=0)
    return dx, da
"""

SPEC = """

# --- added by the course pack: a layer and a network, declared here only ---
import dataclasses

from grader.checks.network import Param

PRELU = Layer(
    "prelu", "prelu_forward", "prelu_backward", params=(Param("a", fill=0.25),), kink=True
)
ASSIGNMENT = dataclasses.replace(
    ASSIGNMENT,
    pieces={**PIECES, **dict.fromkeys(PRELU.functions, "layers")},
    functions=(
        *ASSIGNMENT.functions,
        network(
            "prelu_net",
            NetworkGradientMatchesNumeric(2, two_layer(20, PRELU())),
            overfit(3, two_layer(50, PRELU()), "adam", 1e-3, 60),
        ),
    ),
)
"""


def no_caches(directory: str, names: list[str]) -> list[str]:
    return [name for name in names if name == "__pycache__"]


@pytest.fixture(scope="module")
def course_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's course pack, plus the PReLU layer and a network using it."""
    root = tmp_path_factory.mktemp("course")
    for folder in ("reference", "assignments"):
        shutil.copytree(ROOT / folder, root / folder, ignore=no_caches)
    reference = root / "reference"
    with (reference / "layers.py").open("a") as layers:
        layers.write(PRELU)
    with (reference / "cifar.py").open("a") as pieces:
        pieces.write("\nfrom reference.layers import prelu_backward, prelu_forward\n")
    with (reference / "assignments" / "cifar.py").open("a") as spec:
        spec.write(SPEC)
    return root


def submission(course_pack: Path, directory: Path, layers_extra: str = "") -> Path:
    """The pack's reference modules as a submission, with `layers_extra` appended."""
    directory.mkdir()
    for name in SUBMITTED:
        shutil.copyfile(course_pack / "reference" / name, directory / name)
    with (directory / "layers.py").open("a") as layers:
        layers.write(layers_extra)
    return directory


def graded(course_pack: Path, folder: Path) -> dict[str, dict]:
    """The network's results, by check kind, from `grader grade --course ... --only`."""
    out = folder.parent / f"{folder.name}.json"
    command = [sys.executable, "-m", "grader", "--course", str(course_pack), "grade", "cifar"]
    options = [str(folder), "--only", NETWORK, "--format", "json", "--out", str(out)]
    result = subprocess.run(
        [*command, *options],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    tests = json.loads(out.read_text())["tests"]
    assert tests and all(test["tags"][0] == NETWORK for test in tests)
    return {test["tags"][1]: test for test in tests}


def test_the_reference_scores_full_marks_on_the_new_network(
    course_pack: Path, tmp_path: Path
) -> None:
    results = graded(course_pack, submission(course_pack, tmp_path / "reference"))
    assert set(results) == {"network_gradient_matches_numeric", "network_overfits"}
    assert all(test["score"] == test["max_score"] for test in results.values()), results


def test_a_broken_backward_of_the_new_layer_fails_the_gradient_check_and_is_named(
    course_pack: Path, tmp_path: Path
) -> None:
    folder = submission(course_pack, tmp_path / "broken", FORGETS_SLOPE)
    gradient = graded(course_pack, folder)["network_gradient_matches_numeric"]
    assert gradient["score"] == 0 < gradient["max_score"]
    feedback = gradient["output"]
    assert "affine–prelu–affine–softmax (hidden 20)" in feedback, feedback
    assert "Suspect: prelu_forward/prelu_backward." in feedback, feedback
    assert "these agree: a1" in feedback, feedback
