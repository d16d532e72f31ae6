"""A correct Adam that works one row at a time in Python (a vector as one row): same results,
about ten times slower on the CPU."""

import torch

MAY_LOSE = ["training_run"]  # the timed training step uses this Adam too
LOSES_ONLY = ["runs_as_fast_as_reference"]


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
                    state = self.state[p]
                    if not state:
                        state.update(
                            step=0, exp_avg=torch.zeros_like(p), exp_avg_sq=torch.zeros_like(p)
                        )
                    state["step"] += 1
                    t = state["step"]
                    rows = p.view(-1, p.shape[-1]) if p.dim() > 1 else p.view(1, -1)
                    grads = p.grad.view(rows.shape)
                    ms, vs = state["exp_avg"].view(rows.shape), state["exp_avg_sq"].view(rows.shape)
                    for i in range(rows.shape[0]):
                        g = grads[i] + group["weight_decay"] * rows[i]
                        ms[i] = b1 * ms[i] + (1 - b1) * g
                        vs[i] = b2 * vs[i] + (1 - b2) * g * g
                        m_hat = ms[i] / (1 - b1**t)
                        v_hat = vs[i] / (1 - b2**t)
                        rows[i] -= group["lr"] * m_hat / (v_hat.sqrt() + group["eps"])
