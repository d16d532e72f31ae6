"""log(p + 1e-7) 'to avoid log(0)': the loss of a hopeless example is capped at 16.1."""

import numpy as np

EXPECT = {"softmax_loss": "lose"}
MISTAKE = {"softmax_loss": "log-of-probability-plus-epsilon"}


def softmax_loss(x, y):
    num_train = x.shape[0]
    scores = x - x.max(axis=1).reshape(-1, 1)
    exp_scores = np.exp(scores)
    probs = exp_scores / exp_scores.sum(axis=1).reshape(-1, 1)
    correct_logprobs = -np.log(probs[range(num_train), y] + 1e-7)
    loss = np.mean(correct_logprobs)
    dscores = probs
    dscores[range(num_train), y] -= 1
    dscores /= num_train
    return loss, dscores
