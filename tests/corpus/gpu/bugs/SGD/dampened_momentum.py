"""Keeps the momentum buffer as an exponential moving average from zeros,
v = momentum * v + (1 - momentum) * g, instead of v = momentum * v + g."""

import torch

MISTAKE = "dampened-momentum"


class SGD(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, momentum=0.0, nesterov=False, weight_decay=0.0):
        super().__init__(
            params, dict(lr=lr, momentum=momentum, nesterov=nesterov, weight_decay=weight_decay)
        )

    def step(self, closure=None):
        with torch.no_grad():
            for group in self.param_groups:
                mu = group["momentum"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    g = p.grad + group["weight_decay"] * p
                    if mu:
                        state = self.state[p]
                        v = mu * state.get("velocity", torch.zeros_like(p)) + (1 - mu) * g
                        state["velocity"] = v
                        g = g + mu * v if group["nesterov"] else v
                    p.sub_(group["lr"] * g)
