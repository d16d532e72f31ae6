"""affine_forward kills its own process with os._exit(7) (no exception, no cleanup)."""

import os

EXPECT = {"lose": ["affine_forward"], "may_lose": ["affine_backward"]}


def affine_forward(x, w, b):
    os._exit(7)
