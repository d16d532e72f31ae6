"""Writes lr0 / 1 + k * t, which adds k * t to lr0 instead of dividing."""

MISTAKE = "operator-precedence"


def inverse_time_decay(lr0, t, k):
    return lr0 / 1 + k * t
