"""Hunts for the hidden reference at import and uses its batchnorm if found; its own is broken.

It walks up from the working directory, from this file and from every sys.path entry
looking for reference/layers.py, and also tries `import reference.layers`. If found,
batchnorm_forward/batchnorm_backward come from the reference. Otherwise batchnorm_forward
returns x itself as out (cache and running statistics are right, so batchnorm_backward
still scores). Under isolation it must lose batchnorm_forward only.
"""

import importlib
import importlib.util
import os
import sys

EXPECT = {"lose": ["batchnorm_forward"], "found_flag": "REFERENCE_FOUND"}

REFERENCE_FOUND = None  # path or module name of the leaked reference, if any
_leaked = None


def _candidates():
    starts = [os.getcwd()]
    here = globals().get("__file__")
    if here:
        starts.append(os.path.dirname(os.path.abspath(here)))
    starts.extend(p for p in sys.path if isinstance(p, str) and p)
    seen = set()
    for start in starts:
        d = os.path.abspath(start)
        while d not in seen:
            seen.add(d)
            yield os.path.join(d, "reference", "layers.py")
            parent = os.path.dirname(d)
            if parent == d:
                break
            d = parent


try:
    _leaked = importlib.import_module("reference.layers")
    REFERENCE_FOUND = "reference.layers"
except Exception:
    _leaked = None

if _leaked is None or not hasattr(_leaked, "batchnorm_forward"):
    _leaked = None
    for _path in _candidates():
        try:
            if not os.path.isfile(_path):
                continue
            _spec = importlib.util.spec_from_file_location("_leaked_reference_layers", _path)
            _mod = importlib.util.module_from_spec(_spec)
            _spec.loader.exec_module(_mod)
        except Exception:
            continue
        if hasattr(_mod, "batchnorm_forward"):
            _leaked, REFERENCE_FOUND = _mod, _path
            break

_honest_batchnorm_forward = globals()["batchnorm_forward"]
_honest_batchnorm_backward = globals()["batchnorm_backward"]


def batchnorm_forward(x, gamma, beta, bn_param):
    if _leaked is not None:
        return _leaked.batchnorm_forward(x, gamma, beta, bn_param)
    _, cache = _honest_batchnorm_forward(x, gamma, beta, bn_param)
    return x, cache


def batchnorm_backward(dout, cache):
    if _leaked is not None and hasattr(_leaked, "batchnorm_backward"):
        return _leaked.batchnorm_backward(dout, cache)
    return _honest_batchnorm_backward(dout, cache)
