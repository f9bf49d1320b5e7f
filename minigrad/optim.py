"""Optimizers: ``SGD`` (p ← p − lr · (p.grad + weight_decay · p), with optional momentum), and
``Adam``, ``AdamW``, ``RMSprop``, which scale each parameter's step by running averages of its gradient."""

from collections import defaultdict

from . import _warnings
from ._factories import zeros, zeros_like
from ._inplace import add_untracked_ as _add_  # (lesson 12 prints Adam's update with this name)
from .autograd.grad_mode import no_grad, quietly
from .tensor import Tensor


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
        self.state = defaultdict(dict)  # per parameter (as in PyTorch: a missing one reads as {})
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
        quietly(self._update_parameters)

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


# --- Adam, AdamW, RMSprop -------------------------------------------------------------------------
# Each step follows PyTorch's CPU code (``_single_tensor_adam``, ``_single_tensor_rmsprop`` in
# torch/optim), operation for operation, so float32 results agree with PyTorch's to the last bits.
# The running averages live in ``self.state[p]`` under PyTorch's names, as tensors you can print.


def _check_at_least_zero(**values):
    """PyTorch's messages: ``Invalid learning rate: -1``, ``Invalid epsilon value: -1``, ..."""
    names = {"lr": "learning rate", "eps": "epsilon value"}
    for key, value in values.items():
        if isinstance(value, Tensor):
            raise NotImplementedError(f"minigrad's optimizers take {key} as a Python number, not a tensor")
        if not 0.0 <= value:
            raise ValueError(f"Invalid {names.get(key, key + ' value')}: {value}")


def _check_speed_options(name, foreach, fused, capturable, differentiable):
    """``foreach``, ``fused`` and ``capturable`` choose PyTorch's kernels (one call for all
    parameters, one fused kernel, CUDA graphs): accepted and stored, the numbers are the same."""
    if differentiable:
        raise NotImplementedError(f"minigrad's {name} has no differentiable=True (its step is not recorded)")
    if fused and foreach:
        raise RuntimeError("`fused` and `foreach` cannot be `True` together.")


def _check_capturable(group):
    if group["capturable"]:  # PyTorch's error on the CPU (CUDA graphs need a GPU), raised at step()
        raise AssertionError(
            "If capturable=True, params and state_steps must be on supported devices: "
            "['cuda', 'xpu', 'hpu', 'privateuseone', 'xla']."
        )


def _new_step_count():
    """``state["step"]``: a float32 tensor counting the steps taken, as in PyTorch."""
    return zeros(())


def _bias_corrected_denominator(v, beta2, step, eps):
    """√(v / (1 − β₂ᵗ)) + ε, computed as PyTorch does: √v / √(1 − β₂ᵗ) + ε."""
    return v.sqrt() / (1 - beta2**step) ** 0.5 + eps


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2015), PyTorch's algorithm. For each parameter, with g its gradient
    (−g with ``maximize``) and t the number of steps taken so far, including this one:

    * ``weight_decay`` λ: g ← g + λ·p (an L2 penalty, inside the averages); with
      ``decoupled_weight_decay`` (AdamW) instead p ← p·(1 − lr·λ), outside them;
    * m ← β₁·m + (1 − β₁)·g                      (``exp_avg``: a running mean of the gradient)
    * v ← β₂·v + (1 − β₂)·g²                     (``exp_avg_sq``: of its square)
    * with ``amsgrad``, v_max ← max(v_max, v), used in place of v (``max_exp_avg_sq``);
    * p ← p − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε).

    m and v start at zero, so early averages are too small: the divisions by 1 − βᵗ (bias
    correction) undo that. Each parameter moves by about lr, whatever the size of its gradient."""

    def __init__(
        self,
        params,
        lr=1e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=0,
        amsgrad=False,
        *,
        foreach=None,
        maximize=False,
        capturable=False,
        differentiable=False,
        fused=None,
        decoupled_weight_decay=False,
    ):
        _check_at_least_zero(lr=lr, eps=eps)
        for i, beta in enumerate(betas):
            if isinstance(beta, Tensor):
                raise NotImplementedError("minigrad's optimizers take betas as Python numbers, not tensors")
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"Invalid beta parameter at index {i}: {beta}")
        _check_at_least_zero(weight_decay=weight_decay)
        if not all(isinstance(beta, float) for beta in betas):
            raise ValueError("betas must be either both floats or both Tensors")
        _check_speed_options(type(self).__name__, foreach, fused, capturable, differentiable)
        defaults = {
            "lr": lr,
            "betas": tuple(betas),
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "differentiable": differentiable,
            "fused": fused,
            "decoupled_weight_decay": decoupled_weight_decay,
        }
        super().__init__(params, defaults)

    @no_grad()
    def step(self):
        quietly(self._update_parameters)

    def _update_parameters(self):
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            lr, weight_decay = group["lr"], group["weight_decay"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                _check_capturable(group)
                grad = p.grad if not group["maximize"] else -p.grad
                state = self.state.setdefault(p, {})
                if not state:
                    state["step"] = _new_step_count()
                    state["exp_avg"] = zeros_like(p)
                    state["exp_avg_sq"] = zeros_like(p)
                    if group["amsgrad"]:
                        state["max_exp_avg_sq"] = zeros_like(p)
                state["step"].add_(1)
                t = state["step"].item()

                if weight_decay != 0:
                    if group["decoupled_weight_decay"]:
                        p.mul_(1 - lr * weight_decay)
                    else:
                        grad = grad + weight_decay * p

                m, v = state["exp_avg"], state["exp_avg_sq"]
                m.add_(grad - m, alpha=1 - beta1)  # m + (1 − β₁)(g − m) = β₁m + (1 − β₁)g
                v.mul_(beta2).add_((1 - beta2) * grad * grad)
                if group["amsgrad"]:  # divide by the largest v seen so far instead
                    v_max = state["max_exp_avg_sq"]
                    v_max.copy_(v_max.maximum(v))
                    v = v_max

                step_size = lr / (1 - beta1**t)
                denominator = _bias_corrected_denominator(v, beta2, t, group["eps"])
                _add_(p, -step_size * m / denominator, alpha=1)


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov and Hutter, 2019): p ← p·(1 − lr·λ) before
    the Adam step, so the decay does not pass through the averages m and v. (With Adam's
    ``weight_decay`` the penalty λ·p is added to the gradient and then divided by √v, which makes
    parameters with large gradients decay less.) Default ``weight_decay=1e-2``."""

    def __init__(
        self,
        params,
        lr=1e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=1e-2,
        amsgrad=False,
        *,
        maximize=False,
        foreach=None,
        capturable=False,
        differentiable=False,
        fused=None,
    ):
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=True,
        )


class RMSprop(Optimizer):
    """RMSprop (Hinton's lecture notes, 2012), PyTorch's algorithm. For each parameter, with g its
    gradient (−g with ``maximize``):

    * ``weight_decay`` λ: g ← g + λ·p;
    * v ← α·v + (1 − α)·g²                       (``square_avg``)
    * ``centered``: also ḡ ← α·ḡ + (1 − α)·g (``grad_avg``), and v − ḡ² (an estimate of the
      gradient's variance) replaces v below;
    * d ← √v + ε;
    * p ← p − lr·g/d, or with ``momentum`` μ: b ← μ·b + g/d (``momentum_buffer``), p ← p − lr·b.

    No bias correction (unlike Adam): v starts at zero, so the first steps are large, about
    lr/√(1 − α) = 10·lr with the default α = 0.99."""

    def __init__(
        self,
        params,
        lr=1e-2,
        alpha=0.99,
        eps=1e-8,
        weight_decay=0,
        momentum=0,
        centered=False,
        capturable=False,
        foreach=None,
        maximize=False,
        differentiable=False,
    ):
        _check_at_least_zero(lr=lr, eps=eps, momentum=momentum, weight_decay=weight_decay, alpha=alpha)
        _check_speed_options("RMSprop", foreach, None, capturable, differentiable)
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "alpha": alpha,
            "eps": eps,
            "centered": centered,
            "weight_decay": weight_decay,
            "capturable": capturable,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    @no_grad()
    def step(self):
        quietly(self._update_parameters)

    def _update_parameters(self):
        for group in self.param_groups:
            alpha, momentum = group["alpha"], group["momentum"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                _check_capturable(group)
                grad = p.grad if not group["maximize"] else -p.grad
                state = self.state.setdefault(p, {})
                if not state:
                    state["step"] = _new_step_count()
                    state["square_avg"] = zeros_like(p)
                    if momentum > 0:
                        state["momentum_buffer"] = zeros_like(p)
                    if group["centered"]:
                        state["grad_avg"] = zeros_like(p)
                state["step"].add_(1)

                if group["weight_decay"] != 0:
                    grad = grad + group["weight_decay"] * p

                v = state["square_avg"]
                v.mul_(alpha).add_((1 - alpha) * grad * grad)
                if group["centered"]:
                    g_mean = state["grad_avg"]
                    g_mean.add_(grad - g_mean, alpha=1 - alpha)  # α·ḡ + (1 − α)·g
                    denominator = (v - g_mean * g_mean).sqrt() + group["eps"]
                else:
                    denominator = v.sqrt() + group["eps"]

                if momentum > 0:
                    buf = state["momentum_buffer"]
                    buf.mul_(momentum).add_(grad / denominator)
                    _add_(p, buf, alpha=-group["lr"])
                else:
                    _add_(p, -group["lr"] * grad / denominator, alpha=1)
