"""micrograd 0.1.0 (PyPI): a scalar engine, so every number is one `Value` node.

micrograd has no tanh; `tanh` below adds one in micrograd's own style (a Value with a
`_backward` closure), as in the lecture that introduced it. It has no tensors, so the
784-128-10 MLP (c) is not run on it.
"""

from __future__ import annotations

import math
import random

import common
from micrograd.engine import Value
from micrograd.nn import Layer, Module


def tanh(v: Value) -> Value:
    t = math.tanh(v.data)
    out = Value(t, (v,), "tanh")

    def _backward():
        v.grad += (1 - t * t) * out.grad

    out._backward = _backward
    return out


class TanhMLP(Module):
    """2-16-16-1 from micrograd.nn.Layer (linear neurons), tanh between layers."""

    def __init__(self, sizes):
        self.layers = [Layer(a, b, nonlin=False) for a, b in zip(sizes[:-1], sizes[1:])]

    def __call__(self, x):
        for i, layer in enumerate(self.layers):
            x = layer(x)
            x = x if isinstance(x, list) else [x]
            if i < len(self.layers) - 1:
                x = [tanh(v) for v in x]
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]


def moons_step(X, y):
    random.seed(0)
    model = TanhMLP(common.MOONS_SIZES)
    params = model.parameters()
    xs = X.tolist()
    ys = y[:, 0].tolist()
    scale = 1.0 / len(xs)
    lr = common.MOONS_LR

    def step():
        model.zero_grad()
        loss = sum(((model(x)[0] - t) ** 2 for x, t in zip(xs, ys)), Value(0.0)) * scale
        loss.backward()
        for p in params:
            p.data -= lr * p.grad
        return loss

    return step


def chain():
    w = Value(common.CHAIN_W)
    b = Value(common.CHAIN_B)
    x0 = Value(1.0)

    def forward(n):
        w.grad = b.grad = x0.grad = 0
        x = x0
        for _ in range(n):
            x = (x * w + b).relu()
        return x

    def backward(root):
        root.backward()

    def grads():
        return float(w.grad), float(b.grad)

    return forward, backward, grads


def loss_value(loss):
    return float(loss.data)
