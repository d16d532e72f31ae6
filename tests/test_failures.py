"""Every failed student call is worded in one place (`explain_failure`), naming the call that
failed once, and the way a student reads it: a function missing from a differently named
file or from a handed-in module, an exception with its file and line, a timeout, a crash.
What keeps whole functions from being graded (a module that fails to import, stubs) is said
once, at the top of the report, with a hint (`import_hint`)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from conftest import FAST, graded

from grader.checks.context import explain_failure, import_hint
from grader.checks.procedures import MalformedResult
from grader.grading import grade
from grader.report.json_report import stable_results, to_results
from grader.report.markdown import render_markdown
from grader.report.text import render_text
from grader.sandbox.client import CallError, StudentCallFailed

CS231N = "No module named 'cs231n'"
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
    """Said once at the top of the report, with the files that were handed in; each check
    of a function it leaves ungraded says so in one line."""
    said = feedback(tmp_path, "my_solution.py", "elu_forward")
    expected = "not graded: layers.py was not handed in (see the top of the report)"
    assert said and all(text == expected for text in said), said
    (problem,) = graded(tmp_path).problems
    assert (problem.kind, problem.file) == ("missing", "layers.py")
    assert problem.message == "no layers.py was handed in (your files: my_solution.py)"
    assert "elu_forward" in problem.functions and "relu_forward" not in problem.functions


def test_a_function_missing_from_a_handed_in_module(tmp_path: Path) -> None:
    said = feedback(tmp_path, "layers.py", "elu_forward")
    assert said and all("elu_forward is not defined in your layers.py" in text for text in said)
    assert not any("elu_forward elu_forward" in text for text in said), said


# --- a module that fails to import, stubs: said once, at the top --------------------------

# A student's layers.py from a course year whose starter code shipped a cs231n package: the
# first line still imports from it, though only layers.py is handed in.
SIBLING_IMPORT = """from cs231n.im2col import *
import numpy as np


def affine_forward(x, w, b):
    out = x.reshape(x.shape[0], -1).dot(w) + b
    cache = (x, w, b)
    return out, cache


def relu_forward(x):
    out = x * (x > 0)
    return out, x
"""

# Starter stubs as the classic course years hand them out, one of each kind.
STUBS = """import numpy as np


def relu_forward(x):
    out = None
    ###########################################################################
    # TODO: Implement the ReLU forward pass.                                  #
    ###########################################################################
    pass
    cache = x
    return out, cache


def relu_backward(dout, cache):
    dx, x = None, cache
    # TODO: Implement the ReLU backward pass.
    return dx


def affine_forward(x, w, b):
    raise NotImplementedError("affine_forward")
"""


def test_a_module_that_fails_to_import_is_reported_once(tmp_path: Path) -> None:
    (tmp_path / "layers.py").write_text(SIBLING_IMPORT)
    report = graded(tmp_path)
    (problem,) = report.problems
    assert (problem.kind, problem.file, problem.line) == ("import", "layers.py", 1)
    assert (problem.exception, problem.message) == ("ModuleNotFoundError", CS231N)
    assert problem.code == "from cs231n.im2col import *"
    assert "put the code you use from it into layers.py" in problem.hint
    assert "hand in the cs231n package folder" in problem.hint
    assert set(problem.functions) == {result.function for result in report.results}
    assert report.score == 0
    not_graded = "not graded: layers.py failed to import (see the top of the report)"
    assert all(result.feedback == not_graded for result in report.results)
    text = render_text(report)
    assert text.count(CS231N) == 1 and text.index(CS231N) < text.index("function")
    assert "layers.py failed to import" in text.split(CS231N)[-1]  # the summary says so too
    output = to_results(report)["output"]
    assert output.count(CS231N) == 1
    assert f"  not graded: {', '.join(problem.functions)}\n" in output  # in one line


def test_the_same_seed_gives_the_same_problem_report(tmp_path: Path) -> None:
    (tmp_path / "layers.py").write_text(SIBLING_IMPORT)
    first, second = (grade("layers", tmp_path, FAST) for _ in range(2))
    for render in (render_text, render_markdown):
        assert render(first) == render(second)
    assert stable_results(first) == stable_results(second)


def test_stubs_are_listed_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "layers.py").write_text(STUBS)
    options = replace(
        FAST, only=("relu_forward", "relu_backward", "affine_forward", "affine_backward")
    )
    report = graded(tmp_path, options)
    assert report.not_implemented == ("affine_forward", "relu_forward", "relu_backward")
    assert report.waiting == ("affine_backward",)
    assert not report.problems  # (scores are the stub rule's concern, not this one's)
    text = render_text(report)
    assert "Not implemented yet: affine_forward, relu_forward, relu_backward" in text
    assert "not graded until their forward is: affine_backward" in text
    assert "what failed" not in text
    said = {result.function: result.feedback for result in report.results if not result.passed}
    assert said["relu_backward"] == (
        "not graded: relu_backward is not implemented yet (see the top of the report)"
    )
    assert said["affine_backward"] == (
        "not graded: affine_forward is not implemented yet (see the top of the report)"
    )


@pytest.mark.parametrize(
    ("error", "cell", "expected"),
    [
        (
            CallError(
                "import", "ImportError", "attempted relative import with no known parent package"
            ),
            0,
            "import your other modules by name",
        ),
        (
            CallError("import", "FileNotFoundError", "[Errno 2] No such file: 'x.npy'"),
            0,
            "move code that explores or loads data into a function or under `if __name__",
        ),
        (
            CallError("cell", "FileNotFoundError", "[Errno 2] No such file: 'x.npy'"),
            3,
            "cell 3 reads a file that was not handed in; the other cells were graded",
        ),
        (
            CallError("cell", "NameError", "name 'model' is not defined"),
            4,
            "what cell 4 defines after the failing line is missing",
        ),
        (CallError("import", "SyntaxError", "invalid syntax"), 0, "fix the syntax error"),
        (
            CallError("timeout", "Timeout", "did not finish within 5 s (killed)"),
            0,
            "importing work.py did not finish",
        ),
    ],
    ids=["relative", "data-file", "cell-data-file", "cell", "syntax", "timeout"],
)
def test_each_import_failure_gets_a_hint(error: CallError, cell: int, expected: str) -> None:
    assert expected in import_hint(error, "work.py", cell)
