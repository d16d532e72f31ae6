"""Multiplies by drop times the number of drops instead of raising drop to that power."""

import math

MISTAKE = "multiplies-drop"


def step_decay(lr0, epoch, drop=0.5, epochs_per_drop=10):
    return lr0 * drop * math.floor(epoch / epochs_per_drop)
