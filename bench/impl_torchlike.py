"""The workloads written once against PyTorch's API, run with `T = torch` or `T = minigrad`.

Same source for both columns: the comparison is of the engines, not of two hand-tuned programs.
"""

from __future__ import annotations

import common
import numpy as np


def sgd_step(T, model, lr, X, Y):
    """A function doing one SGD step of ``model`` on (X, Y) with an MSE loss; returns the loss."""
    opt = T.optim.SGD(model.parameters(), lr=lr)
    loss_fn = T.nn.MSELoss()
    Xt, Yt = T.tensor(X), T.tensor(Y)

    def step():
        opt.zero_grad()
        loss = loss_fn(model(Xt), Yt)
        loss.backward()
        opt.step()
        return loss

    return step


def moons_step(T, X, y):
    """(a) One SGD step of a 2-16-16-1 tanh MLP on the 100 two-moons points, MSE on -1/+1."""
    T.manual_seed(0)
    nn = T.nn
    model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 1))
    return sgd_step(T, model, common.MOONS_LR, X, y)


def mlp_step(T, X, Y):
    """(c) One SGD step of a 784-128-10 ReLU MLP on a batch of 256, MSE on one-hot targets."""
    T.manual_seed(0)
    nn = T.nn
    d_in, d_hidden, d_out = common.MLP_SIZES
    model = nn.Sequential(nn.Linear(d_in, d_hidden), nn.ReLU(), nn.Linear(d_hidden, d_out))
    return sgd_step(T, model, common.MLP_LR, X, Y)


def chain(T):
    """(b) x <- relu(x * w + b), n links of 0-dim tensors; w, b, x0 are leaves."""
    w = T.tensor(common.CHAIN_W, requires_grad=True)
    b = T.tensor(common.CHAIN_B, requires_grad=True)
    x0 = T.tensor(1.0, requires_grad=True)

    def forward(n):
        w.grad = b.grad = x0.grad = None
        x = x0
        for _ in range(n):
            x = (x * w + b).relu()
        return x

    def backward(root):
        root.backward()

    def grads():
        return float(w.grad.item()), float(b.grad.item())

    return forward, backward, grads


# --- (e)-(g): the training loop written by hand, as the lessons write it ----------------------------


def raw_params(T, sizes, seed=0):
    """Weights (fan_in, fan_out) and biases as plain tensors that require grad, drawn as nn.Linear's
    defaults, U(-1/sqrt(fan_in), 1/sqrt(fan_in)), with numpy: every library starts from the same
    numbers (impl_numpy draws them in the same order)."""
    rng = np.random.default_rng(seed)
    params = []
    for fan_in, fan_out in zip(sizes, sizes[1:]):
        bound = 1.0 / np.sqrt(fan_in)
        for shape in ((fan_in, fan_out), (fan_out,)):
            numbers = rng.uniform(-bound, bound, size=shape).astype(np.float32)
            params.append(T.tensor(numbers, requires_grad=True))
    return params


def by_hand_sgd(T, params, lr, loss_of):
    """One step of the loop the lessons write: loss, backward, then ``p -= lr * p.grad`` under
    ``no_grad`` and ``p.grad.zero_()`` for each parameter."""

    def step():
        loss = loss_of()
        loss.backward()
        with T.no_grad():
            for p in params:
                p -= lr * p.grad
                p.grad.zero_()
        return loss

    return step


def moons_loop_step(T, X, y):
    """(e) (a)'s network and loss with raw tensors and the SGD step written out."""
    W1, b1, W2, b2, W3, b3 = params = raw_params(T, common.MOONS_SIZES)
    Xt, yt = T.tensor(X), T.tensor(y)

    def loss_of():
        h1 = (Xt @ W1 + b1).tanh()
        h2 = (h1 @ W2 + b2).tanh()
        return ((h2 @ W3 + b3 - yt) ** 2).mean()

    return by_hand_sgd(T, params, common.MOONS_LR, loss_of)


def chain_const(T):
    """(f) y <- relu(y * 0.9999 + 0.1), n links on a 0-dim leaf, the constants Python numbers."""
    x0 = T.tensor(1.0, requires_grad=True)

    def forward(n):
        x0.grad = None
        y = x0
        for _ in range(n):
            y = (y * common.CHAIN_CONST_W + common.CHAIN_CONST_B).relu()
        return y

    def backward(root):
        root.backward()

    def grads():  # (dy/dx0 = 0.9999 ** n: y grows from 1 towards 1,000 and stays positive)
        return float(x0.grad.item()), None

    return forward, backward, grads


def mlp_loop_step(T, X, Y):
    """(g) (c)'s 784-128-10 ReLU network with raw tensors, softmax cross-entropy written out
    (log-softmax as logits minus the log of the sum of exponentials, the one-hot targets picking
    each row's log-probability) and the SGD step written out."""
    W1, b1, W2, b2 = params = raw_params(T, common.MLP_SIZES)
    Xt, Yt = T.tensor(X), T.tensor(Y)

    def loss_of():
        logits = (Xt @ W1 + b1).relu() @ W2 + b2
        log_probs = logits - logits.exp().sum(dim=1, keepdim=True).log()
        return -(Yt * log_probs).sum(dim=1).mean()

    return by_hand_sgd(T, params, common.MLP_LR, loss_of)


def loss_value(loss):
    return float(loss.item())
