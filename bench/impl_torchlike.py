"""The workloads written once against PyTorch's API, run with `T = torch` or `T = minigrad`.

Same source for both columns: the comparison is of the engines, not of two hand-tuned programs.
"""

from __future__ import annotations

import common


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


def loss_value(loss):
    return float(loss.item())
