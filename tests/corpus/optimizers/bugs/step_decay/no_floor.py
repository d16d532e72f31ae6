"""Uses epoch / epochs_per_drop as the exponent without rounding it down."""

MISTAKE = "no-floor"


def step_decay(lr0, epoch, drop=0.5, epochs_per_drop=10):
    return lr0 * drop ** (epoch / epochs_per_drop)
