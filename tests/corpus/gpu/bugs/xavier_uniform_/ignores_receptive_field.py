"""Takes fan_in and fan_out as shape[1] and shape[0], forgetting the kernel size of a conv
weight."""

import math

import torch

MISTAKE = "ignores-receptive-field"


def xavier_uniform_(tensor, gain=1.0):
    bound = gain * math.sqrt(6.0 / (tensor.size(0) + tensor.size(1)))
    with torch.no_grad():
        tensor.copy_((2 * torch.rand_like(tensor) - 1) * bound)
    return tensor
