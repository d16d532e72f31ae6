"""Uses fan_out (shape[0] times the kernel size) instead of fan_in."""

import math

import torch

MISTAKE = "fan-out"


def kaiming_normal_(tensor, a=0.0, nonlinearity="relu"):
    fan_out = tensor.shape[0] * math.prod(tensor.shape[2:])
    gain = math.sqrt(2.0 / (1 + a**2)) if nonlinearity == "leaky_relu" else math.sqrt(2.0)
    with torch.no_grad():
        return tensor.normal_(0.0, gain / math.sqrt(fan_out))
