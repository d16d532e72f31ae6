"""Decays the weights directly (p -= lr * weight_decay * p), as AdamW does, instead of adding
weight_decay * p to the gradient."""

import torch

MISTAKE = "decoupled-weight-decay"


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
                    if group["weight_decay"]:
                        p.mul_(1 - group["lr"] * group["weight_decay"])
                    state = self.state[p]
                    t = state.get("step", 0) + 1
                    m = b1 * state.get("exp_avg", torch.zeros_like(p)) + (1 - b1) * p.grad
                    v = b2 * state.get("exp_avg_sq", torch.zeros_like(p)) + (1 - b2) * p.grad**2
                    state.update(step=t, exp_avg=m, exp_avg_sq=v)
                    m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
                    p.sub_(group["lr"] * m_hat / (v_hat.sqrt() + group["eps"]))
