"""Decays to zero when lr_tau is not given, instead of to 1% of lr0."""

MISTAKE = "lr-tau-default-zero"


def linear_decay(lr0, t, tau, lr_tau=None):
    a = min(t / tau, 1)
    return (1 - a) * lr0 + a * (lr_tau or 0.0)
