"""``optim.SGD``: the update ``p ← p − lr · (p.grad + weight_decay · p)``, with optional momentum."""

import numpy as np

from . import _warnings
from .autograd.grad_mode import _quietly, no_grad
from .tensor import Tensor, _bump_version


def _check_duplicates(groups):
    """A parameter twice in a group would be stepped twice (PyTorch warns); in two groups, it is
    an error."""
    seen = set()
    for group in groups:
        ids = [id(p) for p in group["params"]]
        if len(set(ids)) != len(ids):
            _warnings.warn(
                "optimizer contains a parameter group with duplicate parameters; in future, this will "
                "cause an error; see github.com/pytorch/pytorch/issues/40967 for more information"
            )
        if seen & set(ids):
            raise ValueError("some parameters appear in more than one parameter group")
        seen |= set(ids)


class Optimizer:
    """What every optimizer shares: parameter groups (each a dict of its ``params`` and the
    settings for them) and ``zero_grad``."""

    def __init__(self, params, defaults):
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or dicts, "
                f"but got minigrad.{params.dtype.legacy_name}"
            )
        params = list(params)
        if not params:
            raise ValueError("optimizer got an empty parameter list")
        groups = params if isinstance(params[0], dict) else [{"params": params}]
        # each group: its own settings, the defaults for the others
        self.param_groups = [{**defaults, **group, "params": list(group["params"])} for group in groups]
        self.state = {}
        _check_duplicates(self.param_groups)

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

    def __repr__(self):
        text = type(self).__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += "\n" if i == 0 else "\n\n"
            text += f"Parameter Group {i}"
            for key in sorted(k for k in group if k != "params"):
                text += f"\n    {key}: {group[key]}"
        return text + "\n)"


class SGD(Optimizer):
    """Stochastic gradient descent, PyTorch's algorithm: for each parameter, with g its gradient
    (−g with ``maximize``), g ← g + weight_decay·p; with momentum, a buffer b ← momentum·b +
    (1 − dampening)·g (b = g the first time) and g ← b, or g + momentum·b with ``nesterov``;
    then p ← p − lr·g. ``foreach`` and ``fused`` choose PyTorch's kernels: accepted, the same here."""

    def __init__(
        self,
        params,
        lr=1e-3,
        momentum=0,
        dampening=0,
        weight_decay=0,
        nesterov=False,
        *,
        maximize=False,
        foreach=None,
        differentiable=False,
        fused=None,
    ):
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        if differentiable:
            raise NotImplementedError("minigrad's SGD has no differentiable=True (its step is not recorded)")
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
            "foreach": foreach,
            "differentiable": differentiable,
            "fused": fused,
        }
        super().__init__(params, defaults)

    @no_grad()
    def step(self):
        # numpy's warnings off once for the whole update: inf and nan are results, as in PyTorch
        _quietly(self._update_parameters)

    def _update_parameters(self):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                d_p = p.grad if not group["maximize"] else -p.grad
                if group["weight_decay"]:
                    d_p = d_p + group["weight_decay"] * p
                momentum = group["momentum"]
                if momentum:
                    state = self.state.setdefault(p, {})  # (as in PyTorch: opt.state[p])
                    buf = state.get("momentum_buffer")
                    if buf is None:
                        buf = state["momentum_buffer"] = d_p.clone()
                    else:
                        buf.mul_(momentum).add_(d_p, alpha=1 - group["dampening"])
                    d_p = d_p + momentum * buf if group["nesterov"] else buf
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
