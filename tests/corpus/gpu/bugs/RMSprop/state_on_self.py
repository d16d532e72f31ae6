"""Keeps square_avg in a dict on the optimizer instead of self.state: lost on state_dict reload."""

import torch

MISTAKE = "state-not-in-self-state"


class RMSprop(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay))
        self.averages = {}

    def step(self, closure=None):
        with torch.no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    g = p.grad + group["weight_decay"] * p
                    avg = group["alpha"] * self.averages.get(id(p), torch.zeros_like(p))
                    avg = avg + (1 - group["alpha"]) * g * g
                    self.averages[id(p)] = avg
                    p.sub_(group["lr"] * g / (avg.sqrt() + group["eps"]))
