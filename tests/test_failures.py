"""Every failed student call is worded in one place (`explain_failure`), naming the call that
failed once, and the way a student reads it: a function missing from a differently named
file or from a handed-in module, an exception with its file and line, a timeout, a crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import graded

from grader.checks.context import explain_failure
from grader.checks.procedures import MalformedResult
from grader.sandbox.client import CallError, StudentCallFailed

RELU = "import numpy as np\n\n\ndef relu_forward(x):\n    return np.maximum(x, 0), x\n"


def failed_call(error: CallError, function: str = "", stdout: str = "") -> StudentCallFailed:
    failure = StudentCallFailed(error, stdout)
    failure.function, failure.module = function, "layers" if function else ""
    return failure


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            failed_call(
                CallError("exception", "ValueError", "boom", "layers.py, line 3, in f: raise"),
                "affine_forward",
            ),
            "affine_forward raised ValueError: boom\n  at layers.py, line 3, in f: raise",
        ),
        (
            failed_call(CallError("exception", "NotImplementedError", "relu_forward")),
            "relu_forward is not implemented yet: it raised NotImplementedError: relu_forward",
        ),
        (
            failed_call(CallError("import", "SystemExit", "3", "layers.py, line 1"), "elu_forward"),
            "elu_forward could not be called: importing layers.py raised SystemExit: 3\n"
            "  at layers.py, line 1",
        ),
        (
            failed_call(CallError("timeout", "Timeout", "did not finish within 5 s (killed)")),
            "relu_forward did not finish within 5 s (killed)",
        ),
        (
            failed_call(CallError("crash", "Crash", "the worker process was killed by SIGSEGV")),
            "relu_forward: the worker process was killed by SIGSEGV",
        ),
        (
            failed_call(CallError("missing", "NameError", "x is not defined in your layers.py")),
            "x is not defined in your layers.py",
        ),
        (
            failed_call(CallError("exception", "KeyError", ""), stdout="a\n" * 10),
            "relu_forward raised KeyError\n  your code printed:\n    "
            + "\n    ".join(["a"] * 8)
            + "\n    [... 2 more lines]",
        ),
        (MalformedResult("relu_forward should return (out, cache)"), None),
    ],
    ids=["raised", "stub", "import", "timeout", "crash", "missing", "printed", "malformed"],
)
def test_each_kind_of_failure_is_worded_once(error: Exception, expected: str | None) -> None:
    """The check's function is named unless the error names the call that failed (a
    backward's forward); a message that names the function already gets no prefix."""
    assert explain_failure("relu_forward", error) == (expected or str(error))


def feedback(tmp_path: Path, file: str, function: str) -> list[str]:
    (tmp_path / file).write_text(RELU)
    return [r.feedback for r in graded(tmp_path).results if r.function == function]


def test_a_function_missing_from_a_differently_named_file(tmp_path: Path) -> None:
    said = feedback(tmp_path, "my_solution.py", "elu_forward")
    expected = "elu_forward was not found: no layers.py was handed in (your files: my_solution.py)"
    assert said and all(expected in text for text in said), said
    assert not any("was not submitted" in text for text in said)


def test_a_function_missing_from_a_handed_in_module(tmp_path: Path) -> None:
    said = feedback(tmp_path, "layers.py", "elu_forward")
    assert said and all("elu_forward is not defined in your layers.py" in text for text in said)
    assert not any("elu_forward elu_forward" in text for text in said), said
