"""Keeps interpolating past t = tau instead of holding lr_tau."""

MISTAKE = "no-clamp"


def linear_decay(lr0, t, tau, lr_tau=None):
    if lr_tau is None:
        lr_tau = 0.01 * lr0
    a = t / tau
    return (1 - a) * lr0 + a * lr_tau
