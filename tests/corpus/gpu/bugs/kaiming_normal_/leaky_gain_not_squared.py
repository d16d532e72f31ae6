"""Uses the leaky_relu gain sqrt(2 / (1 + a)) instead of sqrt(2 / (1 + a**2))."""

import math

import torch

MISTAKE = "leaky-gain-a-not-squared"


def kaiming_normal_(tensor, a=0.0, nonlinearity="relu"):
    fan_in = tensor[0].numel()
    gain = math.sqrt(2.0 / (1 + a)) if nonlinearity == "leaky_relu" else math.sqrt(2.0)
    with torch.no_grad():
        tensor.copy_(torch.randn(tensor.shape, dtype=tensor.dtype) * gain / math.sqrt(fan_in))
    return tensor
