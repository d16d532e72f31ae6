"""Accepts weight_decay but never adds weight_decay * p to the gradient."""

import torch

MISTAKE = "weight-decay-ignored"


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
                    g = p.grad
                    if group["momentum"]:
                        state = self.state[p]
                        buf = state.get("momentum_buffer")
                        buf = g.clone() if buf is None else group["momentum"] * buf + g
                        state["momentum_buffer"] = buf
                        g = g + group["momentum"] * buf if group["nesterov"] else buf
                    p.sub_(group["lr"] * g)
