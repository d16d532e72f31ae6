"""Uses the misprinted bound 6 / sqrt(fan_in + fan_out) instead of sqrt(6 / (fan_in + fan_out))."""

import math

import torch

MISTAKE = "slides-bound"


def xavier_uniform_(tensor, gain=1.0):
    receptive = math.prod(tensor.shape[2:])
    fan_in, fan_out = tensor.shape[1] * receptive, tensor.shape[0] * receptive
    bound = gain * 6.0 / math.sqrt(fan_in + fan_out)
    with torch.no_grad():
        return tensor.uniform_(-bound, bound)
