"""Uses the discrete factor (1 - k) ** t instead of exp(-k t)."""

MISTAKE = "discrete-decay"


def exponential_decay(lr0, t, k):
    return lr0 * (1 - k) ** t
