"""Returns a freshly drawn tensor and leaves the given one untouched."""

import math

import torch


def xavier_uniform_(tensor, gain=1.0):
    receptive = math.prod(tensor.shape[2:])
    fan_in, fan_out = tensor.shape[1] * receptive, tensor.shape[0] * receptive
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return torch.empty_like(tensor).uniform_(-bound, bound)
