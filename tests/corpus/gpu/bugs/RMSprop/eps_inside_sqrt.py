"""Puts eps inside the square root: sqrt(square_avg + eps) instead of sqrt(square_avg) + eps."""

import torch

MISTAKE = "eps-inside-sqrt"


class RMSprop(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay))

    def step(self, closure=None):
        with torch.no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    g = p.grad + group["weight_decay"] * p
                    state = self.state[p]
                    avg = group["alpha"] * state.get("square_avg", torch.zeros_like(p))
                    avg = avg + (1 - group["alpha"]) * g * g
                    state["square_avg"] = avg
                    p.sub_(group["lr"] * g / torch.sqrt(avg + group["eps"]))
