"""Divides by sqrt(1 + k t), the inverse square-root schedule, instead of 1 + k t."""

import math

MISTAKE = "inverse-sqrt"


def inverse_time_decay(lr0, t, k):
    return lr0 / math.sqrt(1 + k * t)
