"""Steps with the raw moving averages m and v, without bias correction."""

import torch

MISTAKE = "no-bias-correction"


class Adam(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))

    def step(self, closure=None):
        with torch.no_grad():
            for group in self.param_groups:
                b1, b2 = group["betas"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    g = p.grad + group["weight_decay"] * p
                    state = self.state[p]
                    m = b1 * state.get("exp_avg", torch.zeros_like(p)) + (1 - b1) * g
                    v = b2 * state.get("exp_avg_sq", torch.zeros_like(p)) + (1 - b2) * g**2
                    state.update(step=state.get("step", 0) + 1, exp_avg=m, exp_avg_sq=v)
                    p.sub_(group["lr"] * m / (v.sqrt() + group["eps"]))
