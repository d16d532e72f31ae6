"""Adds the full w to the decayed average, without the (1 - decay) weight."""

MISTAKE = "missing-one-minus"


def ema_update(avg, w, decay=0.995):
    return decay * avg + w
