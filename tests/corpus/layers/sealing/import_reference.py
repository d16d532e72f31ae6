"""Imports the reference as a package: `from reference.layers import *`, `import
reference.layers`, the known-mistake variants, and `reference` through importlib."""

import importlib
import types

try:
    from reference.layers import *  # noqa: F403

    STARRED = types.SimpleNamespace(
        affine_forward=affine_forward,  # noqa: F405
        relu_forward=relu_forward,  # noqa: F405
    )
except Exception:
    STARRED = None


def leaks():
    yield STARRED
    for name in ("reference.layers", "reference.mistakes.layers", "reference"):
        try:
            module = importlib.import_module(name)
        except Exception:
            continue
        yield module
        yield getattr(module, "__file__", None)
