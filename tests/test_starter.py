"""The released stubs are generated from the reference and must not drift from it."""

from __future__ import annotations

import ast
import inspect

import pytest

import reference.layers
from grader.starter import MarkerError, expected_stubs, make_stub


def test_committed_stubs_match_the_reference() -> None:
    for path, text in expected_stubs().items():
        assert path.read_text() == text, f"{path} is stale: run python -m grader.starter"


def test_stubs_keep_every_signature_and_docstring_but_no_solution() -> None:
    (text,) = [text for path, text in expected_stubs().items() if path.name == "layers.py"]
    tree = ast.parse(text)
    stubs = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    for name, function in inspect.getmembers(reference.layers, inspect.isfunction):
        stub = stubs[name]
        assert ast.get_docstring(stub) == inspect.getdoc(function)
        assert ast.unparse(stub.args) == ast.unparse(
            ast.parse(inspect.getsource(function)).body[0].args
        )
        assert isinstance(stub.body[-1], ast.Raise)
    assert "SOLUTION" not in text


def test_module_level_solution_blocks_vanish() -> None:
    source = (
        "# BEGIN SOLUTION\ndef _helper():\n    return 1\n# END SOLUTION\n\n\ndef f():\n    pass\n"
    )
    assert make_stub(source).strip() == "def f():\n    pass"


@pytest.mark.parametrize(
    "source", ["# BEGIN SOLUTION\n", "# END SOLUTION\n", "# BEGIN SOLUTION\n# BEGIN SOLUTION\n"]
)
def test_unbalanced_markers_are_errors(source: str) -> None:
    with pytest.raises(MarkerError):
        make_stub(source)
