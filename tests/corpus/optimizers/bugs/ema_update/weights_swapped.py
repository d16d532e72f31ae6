"""Gives the large weight decay to the new parameters instead of the old average."""

MISTAKE = "weights-swapped"


def ema_update(avg, w, decay=0.995):
    return (1 - decay) * avg + decay * w
