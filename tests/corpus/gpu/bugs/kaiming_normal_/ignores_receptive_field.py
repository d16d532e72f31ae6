"""Takes fan_in as shape[1] alone, forgetting the kernel size of a conv weight."""

import math

import torch

MISTAKE = "ignores-receptive-field"


def kaiming_normal_(tensor, a=0.0, nonlinearity="relu"):
    gain = math.sqrt(2.0 / (1 + a**2)) if nonlinearity == "leaky_relu" else math.sqrt(2.0)
    with torch.no_grad():
        return tensor.normal_(0.0, gain / math.sqrt(tensor.shape[1]))
