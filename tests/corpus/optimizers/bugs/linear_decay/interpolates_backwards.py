"""Interpolates the wrong way round: starts at lr_tau and rises to lr0 at t = tau."""


def linear_decay(lr0, t, tau, lr_tau=None):
    if lr_tau is None:
        lr_tau = 0.01 * lr0
    a = min(t / tau, 1)
    return a * lr0 + (1 - a) * lr_tau
