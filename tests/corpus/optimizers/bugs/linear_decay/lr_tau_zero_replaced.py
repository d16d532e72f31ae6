"""`lr_tau or 0.01 * lr0`: an explicit lr_tau = 0.0 is replaced by the default."""

MISTAKE = "lr-tau-zero-replaced"


def linear_decay(lr0, t, tau, lr_tau=None):
    lr_tau = lr_tau or 0.01 * lr0
    frac = min(1.0, t / tau)
    return lr0 + frac * (lr_tau - lr0)
