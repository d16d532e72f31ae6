"""Properties of hidden checks: kept apart from layers_properties.py, whose source a
student kit carries to run the public properties."""

from __future__ import annotations

from grader.checks.properties import Property
from reference.assignments.layers_properties import _shift_holds, _with_shift

smoothed_softmax_shift_invariant = Property(
    "is unchanged when a constant (up to 1000) is added to a row of logits",
    _with_shift,
    _shift_holds("softmax_loss_smoothed", 0.1),
)
