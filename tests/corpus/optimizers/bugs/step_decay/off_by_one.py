"""Counts epochs from 1, so every drop happens one epoch early."""

import math

MISTAKE = "off-by-one"


def step_decay(lr0, epoch, drop=0.5, epochs_per_drop=10):
    return lr0 * drop ** math.floor((epoch + 1) / epochs_per_drop)
