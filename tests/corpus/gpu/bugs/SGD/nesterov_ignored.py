"""Accepts nesterov=True but always takes the plain momentum step."""

import torch

MISTAKE = "nesterov-ignored"


class SGD(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, momentum=0.0, nesterov=False, weight_decay=0.0):
        super().__init__(
            params, dict(lr=lr, momentum=momentum, nesterov=nesterov, weight_decay=weight_decay)
        )

    def step(self, closure=None):
        with torch.no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    g = p.grad + group["weight_decay"] * p
                    if group["momentum"]:
                        state = self.state[p]
                        buf = state.get("momentum_buffer")
                        buf = g.clone() if buf is None else group["momentum"] * buf + g
                        state["momentum_buffer"] = buf
                        g = buf
                    p.sub_(group["lr"] * g)
