"""Returns a scaled Gaussian matrix (randn / sqrt(cols)) as if it were orthogonal."""

import math

import torch

MISTAKE = "no-qr"


def orthogonal_(tensor, gain=1.0):
    cols = tensor.numel() // tensor.shape[0]
    with torch.no_grad():
        return tensor.normal_(0.0, gain / math.sqrt(cols))
