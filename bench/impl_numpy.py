"""Hand-written numpy: forward and backward written out by hand, no graph, no autograd.

This is the "speed of light" for an engine built on numpy: whatever minigrad adds on top of
these array operations is the cost of recording and replaying the graph.
"""

from __future__ import annotations

import common
import numpy as np


def _init_linear(rng, fan_in, fan_out):
    """PyTorch's nn.Linear default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weight and bias."""
    bound = 1.0 / np.sqrt(fan_in)
    W = rng.uniform(-bound, bound, size=(fan_in, fan_out)).astype(np.float32)
    b = rng.uniform(-bound, bound, size=(fan_out,)).astype(np.float32)
    return W, b


def moons_step(X, y):
    """(a) 2-16-16-1 tanh MLP, MSE loss, one SGD step, backward by hand."""
    rng = np.random.default_rng(0)
    W1, b1 = _init_linear(rng, 2, 16)
    W2, b2 = _init_linear(rng, 16, 16)
    W3, b3 = _init_linear(rng, 16, 1)
    lr = np.float32(common.MOONS_LR)
    n = np.float32(y.size)

    def step():
        # forward
        h1 = np.tanh(X @ W1 + b1)
        h2 = np.tanh(h1 @ W2 + b2)
        out = h2 @ W3 + b3
        diff = out - y
        loss = (diff * diff).mean()
        # backward
        d_out = diff * (2 / n)
        dW3 = h2.T @ d_out
        db3 = d_out.sum(0)
        d_z2 = (d_out @ W3.T) * (1 - h2 * h2)
        dW2 = h1.T @ d_z2
        db2 = d_z2.sum(0)
        d_z1 = (d_z2 @ W2.T) * (1 - h1 * h1)
        dW1 = X.T @ d_z1
        db1 = d_z1.sum(0)
        # SGD, in place
        for p, g in ((W1, dW1), (b1, db1), (W2, dW2), (b2, db2), (W3, dW3), (b3, db3)):
            p -= lr * g
        return loss

    return step


# (e) is (a) with the loop written by hand: by hand in numpy, the two are the same program (the
# same weights, drawn in the same order as impl_torchlike.raw_params draws them).
moons_loop_step = moons_step


def mlp_step(X, Y):
    """(c) 784-128-10 ReLU MLP, MSE loss on one-hot targets, one SGD step, backward by hand."""
    rng = np.random.default_rng(0)
    d_in, d_hidden, d_out = common.MLP_SIZES
    W1, b1 = _init_linear(rng, d_in, d_hidden)
    W2, b2 = _init_linear(rng, d_hidden, d_out)
    lr = np.float32(common.MLP_LR)
    n = np.float32(Y.size)

    def step():
        z1 = X @ W1 + b1
        h1 = np.maximum(z1, 0)
        out = h1 @ W2 + b2
        diff = out - Y
        loss = (diff * diff).mean()
        d_out = diff * (2 / n)
        dW2 = h1.T @ d_out
        db2 = d_out.sum(0)
        d_z1 = (d_out @ W2.T) * (z1 > 0)
        dW1 = X.T @ d_z1
        db1 = d_z1.sum(0)
        for p, g in ((W1, dW1), (b1, db1), (W2, dW2), (b2, db2)):
            p -= lr * g
        return loss

    return step


def chain():
    """(b) The scalar chain by hand. Scalars are plain Python floats: a numpy array per scalar
    would only be slower, and the point of this column is the floor, not numpy.

    The forward pass keeps what the backward needs (each link's input and pre-activation),
    as a tape would; the backward walks it in reverse.
    """
    w, b = common.CHAIN_W, common.CHAIN_B
    state = {}

    def forward(n):
        xs = [0.0] * n  # input of each link
        zs = [0.0] * n  # pre-activation of each link
        x = 1.0
        for i in range(n):
            xs[i] = x
            z = x * w + b
            zs[i] = z
            x = z if z > 0 else 0.0
        state["tape"] = (xs, zs)
        return x

    def backward(root):
        xs, zs = state.pop("tape")
        g = 1.0
        dw = db = 0.0
        for i in range(len(xs) - 1, -1, -1):
            if zs[i] <= 0:
                g = 0.0
            dw += g * xs[i]
            db += g
            g *= w
        state["grads"] = (dw, db)

    def grads():
        return state["grads"]

    return forward, backward, grads


def loss_value(loss):
    return float(loss)
