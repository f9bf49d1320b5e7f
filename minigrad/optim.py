"""``optim.SGD``: the update ``p ← p − lr · (p.grad + weight_decay · p)``, with optional momentum."""

import numpy as np

from .autograd.function import _bump_version, _quietly
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
        # numpy's warnings off once for the whole update: inf and nan are results, as in PyTorch
        _quietly(self._update_parameters)

    def _update_parameters(self):
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
                _add_(p, d_p, alpha=-group["lr"])


def _add_(param, update, alpha):
    """``param.add_(update, alpha=alpha)``, written straight into the parameter's storage.

    An optimizer step records nothing, so the bookkeeping of an in-place *operation* (a Function
    call, a copy kept for the graph) has nothing to do; PyTorch's SGD skips it too, with one fused
    call for all parameters (``torch._foreach_add_``). The numbers are ``add_``'s: α·update rounded
    to the parameter's dtype, then added. The version counter moves, so a graph that saved the
    parameter still notices the change. Anything unusual (other dtype or shape, integers, an
    inference tensor) goes through ``add_`` itself, with its checks and errors. (Called with numpy's
    warnings off, by ``step``.)"""
    data = param._data
    if (
        update._dtype is param._dtype
        and param._dtype.is_floating_point
        and update._data.shape == data.shape
        and not param._is_inference
    ):
        np.add(data, update._data * alpha, out=data)
        _bump_version(param)
    else:
        param.add_(update, alpha=alpha)
