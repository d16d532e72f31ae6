import numpy as np


def affine_forward(x, w, b):
  """
  Computes the forward pass for an affine (fully-connected) layer.
  """
  out = None
  N = x.shape[0]
  D = np.prod(x.shape[1:])
  out = np.dot(x.reshape(N, D), w) + b
  cache = (x, w, b)
  return out, cache


def affine_backward(dout, cache):
  """
  Computes the backward pass for an affine layer.
  """
  x, w, b = cache
  dx, dw, db = None, None, None
  N = x.shape[0]
  D = np.prod(x.shape[1:])
  dx = np.dot(dout, w.T).reshape(*x.shape)
  dw = np.dot(x.reshape(N, D).T, dout)
  db = np.sum(dout, axis=0)
  return dx, dw, db


def relu_forward(x):
  out = None
  out = np.maximum(0, x)
  cache = x
  return out, cache


def relu_backward(dout, cache):
  dx, x = None, cache
  dx = np.array(dout, copy=True)
  dx[x <= 0] = 0
  return dx


def leaky_relu_forward(x, alpha=0.01):
  out = np.maximum(alpha * x, x)
  cache = (x, alpha)
  return out, cache


def leaky_relu_backward(dout, cache):
  x, alpha = cache
  dx = np.array(dout, copy=True)
  dx[alpha * x >= x] *= alpha
  return dx


def prelu_forward(x, alpha):
  out = np.where(x > 0, x, alpha * x)
  cache = (x, alpha)
  return out, cache


def prelu_backward(dout, cache):
  x, alpha = cache
  dx = np.where(x > 0, dout, alpha * dout)
  dalpha = np.sum(np.where(x > 0, 0, x) * dout, axis=0)
  return dx, dalpha


def elu_forward(x, alpha=1.0):
  out = np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))
  cache = (x, alpha)
  return out, cache


def elu_backward(dout, cache):
  x, alpha = cache
  dx = np.where(x > 0, dout, dout * alpha * np.exp(np.minimum(x, 0)))
  return dx


def sigmoid_forward(x):
  out = np.zeros_like(x)
  pos = x >= 0
  out[pos] = 1. / (1. + np.exp(-x[pos]))
  z = np.exp(x[~pos])
  out[~pos] = z / (1. + z)
  cache = out
  return out, cache


def sigmoid_backward(dout, cache):
  out = cache
  dx = out * (1. - out) * dout
  return dx


def tanh_forward(x):
  out = np.tanh(x)
  cache = out
  return out, cache


def tanh_backward(dout, cache):
  out = cache
  dx = (1. - out ** 2) * dout
  return dx


def softplus_forward(x):
  out = np.logaddexp(0, x)
  cache = x
  return out, cache


def softplus_backward(dout, cache):
  x = cache
  s, _ = sigmoid_forward(x)
  dx = s * dout
  return dx


def maxout_forward(x, w, b):
  N, D = x.shape
  _, M, K = w.shape
  scores = np.dot(x, w.reshape(D, M * K)).reshape(N, M, K) + b
  winners = np.argmax(scores, axis=2)
  out = np.max(scores, axis=2)
  cache = (x, w, b, winners)
  return out, cache


def maxout_backward(dout, cache):
  x, w, b, winners = cache
  N, D = x.shape
  _, M, K = w.shape
  dscores = np.zeros((N, M, K))
  for k in range(K):
    dscores[:, :, k] = dout * (winners == k)
  dx = np.dot(dscores.reshape(N, M * K), w.reshape(D, M * K).T)
  dw = np.dot(x.T, dscores.reshape(N, M * K)).reshape(D, M, K)
  db = np.sum(dscores, axis=0)
  return dx, dw, db


def svm_loss(x, y):
  """
  Computes the loss and gradient using for multiclass SVM classification.
  """
  N = x.shape[0]
  correct_class_scores = x[np.arange(N), y]
  margins = np.maximum(0, x - correct_class_scores[:, np.newaxis] + 1.0)
  loss = np.sum(margins) / N
  num_pos = np.sum(margins > 0, axis=1)
  dx = np.zeros_like(x)
  dx[margins > 0] = 1
  dx[np.arange(N), y] -= num_pos
  dx /= N
  return loss, dx


def softmax_loss(x, y):
  """
  Computes the loss and gradient for softmax classification.
  """
  N = x.shape[0]
  shifted = x - np.max(x, axis=1, keepdims=True)
  log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
  loss = -np.sum(log_probs[np.arange(N), y]) / N
  dx = np.exp(log_probs)
  dx[np.arange(N), y] -= 1
  dx /= N
  return loss, dx


def softmax_loss_smoothed(x, y, epsilon=0.1):
  N, C = x.shape
  shifted = x - np.max(x, axis=1, keepdims=True)
  log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
  t = np.ones((N, C)) * epsilon / (C - 1)
  t[np.arange(N), y] = 1 - epsilon
  loss = -np.sum(t * log_probs) / N
  dx = (np.exp(log_probs) - t) / N
  return loss, dx


def batchnorm_forward(x, gamma, beta, bn_param):
  """
  Forward pass for batch normalization.
  """
  mode = bn_param['mode']
  eps = bn_param.get('eps', 1e-5)
  momentum = bn_param.get('momentum', 0.9)

  N, D = x.shape
  running_mean = bn_param.get('running_mean', np.zeros(D, dtype=x.dtype))
  running_var = bn_param.get('running_var', np.zeros(D, dtype=x.dtype))

  out, cache = None, None
  if mode == 'train':
    mean = np.mean(x, axis=0)
    var = np.var(x, axis=0)
    std = np.sqrt(var + eps)
    xhat = (x - mean) / std
    out = gamma * xhat + beta
    cache = (xhat, gamma, std)
    running_mean = momentum * running_mean + (1 - momentum) * mean
    running_var = momentum * running_var + (1 - momentum) * std
  elif mode == 'test':
    out = gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta
  else:
    raise ValueError('Invalid forward batchnorm mode "%s"' % mode)

  bn_param['running_mean'] = running_mean
  bn_param['running_var'] = running_var
  return out, cache


def batchnorm_backward(dout, cache):
  xhat, gamma, std = cache
  N = dout.shape[0]
  dbeta = np.sum(dout, axis=0)
  dgamma = np.sum(dout * xhat, axis=0)
  dx = (1. / N) * gamma / std * (N * dout - dbeta - xhat * dgamma)
  return dx, dgamma, dbeta


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
  # statistics over N, H, W for every channel
  mode = bn_param['mode']
  eps = bn_param.get('eps', 1e-5)
  momentum = bn_param.get('momentum', 0.9)
  N, C, H, W = x.shape
  running_mean = bn_param.get('running_mean', np.zeros(C, dtype=x.dtype))
  running_var = bn_param.get('running_var', np.zeros(C, dtype=x.dtype))
  g = gamma.reshape(1, C, 1, 1)
  b = beta.reshape(1, C, 1, 1)

  cache = None
  if mode == 'train':
    mean = np.mean(x, axis=(0, 2, 3), keepdims=True)
    var = np.var(x, axis=(0, 2, 3), keepdims=True)
    std = np.sqrt(var + eps)
    xhat = (x - mean) / std
    out = g * xhat + b
    cache = (xhat, g, std)
    bn_param['running_mean'] = momentum * running_mean + (1 - momentum) * mean.reshape(C)
    bn_param['running_var'] = momentum * running_var + (1 - momentum) * var.reshape(C)
  elif mode == 'test':
    xhat = (x - running_mean.reshape(1, C, 1, 1)) / np.sqrt(running_var.reshape(1, C, 1, 1) + eps)
    out = g * xhat + b
  else:
    raise ValueError('Invalid forward batchnorm mode "%s"' % mode)
  return out, cache


def spatial_batchnorm_backward(dout, cache):
  xhat, g, std = cache
  N, C, H, W = dout.shape
  m = N * H * W
  dbeta = np.sum(dout, axis=(0, 2, 3))
  dgamma = np.sum(dout * xhat, axis=(0, 2, 3))
  dxhat = dout * g
  dx = (1. / m) / std * (m * dxhat - np.sum(dxhat, axis=(0, 2, 3), keepdims=True)
                         - xhat * np.sum(dxhat * xhat, axis=(0, 2, 3), keepdims=True))
  return dx, dgamma, dbeta


def layernorm_forward(x, gamma, beta, ln_param):
  eps = ln_param.get('eps', 1e-5)
  mean = np.mean(x, axis=1, keepdims=True)
  var = np.var(x, axis=1, keepdims=True)
  std = np.sqrt(var + eps)
  xhat = (x - mean) / std
  out = gamma * xhat + beta
  cache = (xhat, gamma, std)
  return out, cache


def layernorm_backward(dout, cache):
  xhat, gamma, std = cache
  D = dout.shape[1]
  dbeta = np.sum(dout, axis=0)
  dgamma = np.sum(dout * xhat, axis=0)
  dxhat = dout * gamma
  dx = (1. / D) / std * (D * dxhat - np.sum(dxhat, axis=1, keepdims=True)
                         - xhat * np.sum(dxhat * xhat, axis=1, keepdims=True))
  return dx, dgamma, dbeta


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
  eps = gn_param.get('eps', 1e-5)
  N, C, H, W = x.shape
  xg = x.reshape(N, G, C // G, H, W)
  mean = np.mean(xg, axis=(2, 3, 4), keepdims=True)
  var = np.var(xg, axis=(2, 3, 4), keepdims=True)
  std = np.sqrt(var + eps)
  xhat = ((xg - mean) / std).reshape(N, C, H, W)
  out = gamma * xhat + beta
  cache = (xhat, gamma, std, G)
  return out, cache


def spatial_groupnorm_backward(dout, cache):
  xhat, gamma, std, G = cache
  N, C, H, W = dout.shape
  dbeta = np.sum(dout, axis=(0, 2, 3), keepdims=True)
  dgamma = np.sum(dout * xhat, axis=(0, 2, 3), keepdims=True)
  dxhat = (dout * gamma).reshape(N, G, C // G, H, W)
  xh = xhat.reshape(N, G, C // G, H, W)
  m = C // G * H * W
  dx = (1. / m) / std * (m * dxhat - np.sum(dxhat, axis=(2, 3, 4), keepdims=True)
                         - xh * np.sum(dxhat * xh, axis=(2, 3, 4), keepdims=True))
  dx = dx.reshape(N, C, H, W)
  return dx, dgamma, dbeta


def dropout_forward(x, dropout_param):
  """
  Performs the forward pass for (inverted) dropout.

  Inputs:
  - x: Input data, of any shape
  - dropout_param: A dictionary with the following keys:
    - p: Dropout parameter. We drop each neuron output with probability p.
    - mode: 'test' or 'train'.
    - seed: Seed for the random number generator.
  """
  p, mode = dropout_param['p'], dropout_param['mode']
  if 'seed' in dropout_param:
    np.random.seed(dropout_param['seed'])

  mask = None
  out = None

  if mode == 'train':
    mask = (np.random.rand(*x.shape) >= p) / (1 - p)
    out = x * mask
  elif mode == 'test':
    out = x

  cache = (dropout_param, mask)
  out = out.astype(x.dtype, copy=False)
  return out, cache


def dropout_backward(dout, cache):
  dropout_param, mask = cache
  mode = dropout_param['mode']
  dx = None
  if mode == 'train':
    dx = dout * mask
  elif mode == 'test':
    dx = dout
  return dx


def l2_regularization(w, reg):
  loss = 0.5 * reg * np.sum(w * w)
  dw = reg * w
  return loss, dw


def l1_regularization(w, reg):
  loss = reg * np.sum(np.abs(w))
  dw = reg * np.sign(w)
  return loss, dw


def elastic_net_regularization(w, l1, l2):
  loss = l1 * np.sum(np.abs(w)) + 0.5 * l2 * np.sum(w * w)
  dw = l1 * np.sign(w) + l2 * w
  return loss, dw
