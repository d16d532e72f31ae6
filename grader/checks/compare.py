"""Comparing returned values with expected ones (the tolerances: grader.tolerances).

Errors are norm-wise relative (||got - expected|| / max(||got||, ||expected||)), which is
scale-free and does not blow up on near-zero entries the way element-wise ratios do.

Shapes that differ only in axes of size 1 ((1, D) for (D,), from `keepdims=True`) hold
the same values and broadcast alike: every value check compares such values as equal
(`aligned`), and only returns_well_formed charges the shape (`shape_problem`).
"""

from __future__ import annotations

import numpy as np

from grader import tolerances
from grader.checks.procedures import as_array

REFERENCE_TOLERANCE = tolerances.REFERENCE
_FLOOR = tolerances.RELATIVE_FLOOR


def relative_error(got: np.ndarray, expected: np.ndarray) -> float:
    diff = float(np.linalg.norm(np.ravel(got - expected)))
    scale = max(float(np.linalg.norm(np.ravel(got))), float(np.linalg.norm(np.ravel(expected))))
    return diff / max(scale, _FLOOR) if diff > 0 else 0.0


def format_number(value: float) -> str:
    return f"{value:.6g}"


def format_index(name: str, index: tuple[int, ...]) -> str:
    return f"{name}[{', '.join(str(i) for i in index)}]" if index else name


def first_mismatch(got: np.ndarray, expected: np.ndarray, tolerance: float) -> tuple[int, ...]:
    """Index of the first element (C order) that differs beyond the tolerance."""
    scale = float(np.max(np.abs(expected))) if expected.size else 0.0
    bad = ~np.isclose(got, expected, rtol=tolerance, atol=tolerance * max(scale, _FLOOR))
    if not bad.any():
        bad = got != expected
    flat = int(np.flatnonzero(bad)[0]) if bad.any() else 0
    return tuple(int(i) for i in np.unravel_index(flat, expected.shape)) if expected.ndim else ()


def squeezed_shape(shape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(size for size in shape if size != 1)


def aligned(got: np.ndarray, expected_shape: tuple[int, ...]) -> np.ndarray | None:
    """`got` in the expected shape when the two shapes differ only in axes of size 1 (the
    same values in the same order), else None."""
    if got.shape == tuple(expected_shape):
        return got
    if squeezed_shape(got.shape) != squeezed_shape(tuple(expected_shape)):
        return None
    return got.reshape(expected_shape)


def shape_problem(name: str, got: np.ndarray, expected_shape: tuple[int, ...]) -> str | None:
    """The one wording of a shape that is not the contract's, harmless or not."""
    if got.shape == tuple(expected_shape):
        return None
    harmless = aligned(got, expected_shape) is not None
    note = " (the same values; only the axes of size 1 differ)" if harmless else ""
    return f"{name} has shape {got.shape}; the contract wants {tuple(expected_shape)}{note}"


def describe_shape(value: object) -> str:
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape}, dtype {value.dtype}"
    return type(value).__name__


def compare_value(
    name: str, got: object, expected: object, tolerance: float = REFERENCE_TOLERANCE
) -> str | None:
    """None when `got` matches `expected`, else a sentence saying how it differs."""
    expected_array = as_array(expected)
    got_array = as_array(got)
    if got_array is None:
        return f"{name}: expected a number or float array, got {describe_shape(got)}"
    if (same_shape := aligned(got_array, expected_array.shape)) is None:
        return f"{name}: expected shape {expected_array.shape}, got shape {got_array.shape}" + (
            "" if got_array.ndim else " (a scalar)"
        )
    got_array = same_shape
    expected_finite = np.isfinite(expected_array)
    got_finite = np.isfinite(got_array)
    if not np.array_equal(expected_finite, got_finite):
        index = tuple(
            int(i)
            for i in np.unravel_index(
                int(np.flatnonzero(expected_finite != got_finite)[0]), got_array.shape
            )
        )
        return (
            f"{name}: non-finite values (overflow or nan); first at "
            f"{format_index(name, index)}: expected {format_number(expected_array[index])}, "
            f"got {format_number(got_array[index])}"
        )
    got_values = np.where(got_finite, got_array, 0.0)
    expected_values = np.where(expected_finite, expected_array, 0.0)
    error = relative_error(got_values, expected_values)
    if error <= tolerance:
        return None
    index = first_mismatch(got_values, expected_values, tolerance)
    return (
        f"{name}: relative error {error:.2e} (allowed {tolerance:.0e}); first differing "
        f"element {format_index(name, index)}: expected "
        f"{format_number(expected_values[index])}, got {format_number(got_values[index])}"
    )


def compare_outputs(
    got: dict[str, object], expected: dict[str, object], tolerance: float = REFERENCE_TOLERANCE
) -> list[str]:
    """Sentences for every output that differs (empty when all match)."""
    return [
        problem
        for name in expected
        if (problem := compare_value(name, got.get(name), expected[name], tolerance))
    ]
