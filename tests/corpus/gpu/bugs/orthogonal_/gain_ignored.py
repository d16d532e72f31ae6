"""Draws an orthogonal matrix but never multiplies by gain."""

import torch

MISTAKE = "ignores-gain"


def orthogonal_(tensor, gain=1.0):
    rows = tensor.shape[0]
    flat = torch.randn(rows, tensor.numel() // rows, dtype=tensor.dtype)
    q, r = torch.linalg.qr(flat.t() if rows < flat.shape[1] else flat)
    q = q * torch.sign(torch.diagonal(r))
    with torch.no_grad():
        tensor.view_as(q.t() if rows < flat.shape[1] else q).copy_(
            q.t() if rows < flat.shape[1] else q
        )
    return tensor
