"""Runs the `grader` command (its arguments as on the command line) as in a Python
environment without PyTorch: the path finder no longer sees torch, so importing it fails and
`find_spec` finds none, as there, and "torch" never enters sys.modules (libraries such as
scipy look there). Each attempt is also written to stderr ("torch imported: NAME"), so an
ImportError the engine catches is still seen."""

import sys
from importlib.machinery import PathFinder


class PathFinderWithoutTorch:
    """sys.meta_path's path finder, blind to torch and its submodules."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> object:
        if name.partition(".")[0] == "torch":
            return None
        return PathFinder.find_spec(name, path, target)

    def __getattr__(self, attribute: str) -> object:
        return getattr(PathFinder, attribute)


def report_torch_imports(event: str, args: tuple) -> None:
    if event == "import" and args[0].partition(".")[0] == "torch":
        sys.stderr.write(f"torch imported: {args[0]}\n")


sys.meta_path[:] = [
    PathFinderWithoutTorch() if finder is PathFinder else finder for finder in sys.meta_path
]
sys.addaudithook(report_torch_imports)
sys.argv = ["grader", *sys.argv[1:]]

from grader.cli import main  # noqa: E402 - after torch is hidden

main()
