"""sigmoid_forward dereferences a NULL pointer through ctypes and crashes with SIGSEGV."""

import ctypes

EXPECT = {"lose": ["sigmoid_forward"], "may_lose": ["sigmoid_backward"]}


def sigmoid_forward(x):
    ctypes.string_at(0)
    raise AssertionError("unreachable")
