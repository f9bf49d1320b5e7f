"""``optim.SGD``: the update ``p ← p − lr · (p.grad + weight_decay · p)``, with optional momentum."""

from .autograd.grad_mode import no_grad


class Optimizer:
    def __init__(self, params, defaults):
        self.param_groups = [{"params": list(params), **defaults}]
        self.state = {}

    def zero_grad(self, set_to_none=True):
        """Forget the gradients before the next backward (they would accumulate otherwise).
        ``set_to_none=True`` (the default, as in PyTorch) sets ``.grad`` to None instead of zeros."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if set_to_none:
                    p.grad = None
                else:
                    p.grad.detach_()
                    p.grad.zero_()


class SGD(Optimizer):
    """Stochastic gradient descent."""

    def __init__(self, params, lr=1e-3, momentum=0.0, weight_decay=0.0):
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        super().__init__(params, {"lr": lr, "momentum": momentum, "weight_decay": weight_decay})

    @no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                d_p = p.grad
                if group["weight_decay"]:
                    d_p = d_p + group["weight_decay"] * p
                if group["momentum"]:
                    buf = self.state.get(id(p))
                    if buf is None:
                        buf = d_p.clone()
                    else:
                        buf.mul_(group["momentum"]).add_(d_p)
                    self.state[id(p)] = buf
                    d_p = buf
                p.add_(d_p, alpha=-group["lr"])
