"""Just enough of ``torch.nn`` for the training-loop lessons: ``Module``, ``Parameter``, ``Linear``,
``Sequential``, ``Identity``, ``Flatten``, ``ReLU``, ``Tanh``, ``Sigmoid``, ``Softmax``, ``LogSoftmax``,
``MSELoss``, ``CrossEntropyLoss`` and ``NLLLoss``."""

import math
from collections import OrderedDict
from typing import NamedTuple

from .. import _dtypes, _factories
from ..tensor import Tensor
from . import functional, hooks, init, utils  # noqa: F401


class Parameter(Tensor):
    """A leaf tensor that a Module registers as a weight: ``requires_grad=True`` by default."""

    def __new__(cls, data=None, requires_grad=True):
        data = data if data is not None else _factories.zeros(0)
        if requires_grad and not data.dtype.is_floating_point:
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        t = Tensor._make(data._data, data.dtype)
        t.__class__ = cls
        t._requires_grad = requires_grad
        return t

    def __init__(self, data=None, requires_grad=True):
        pass

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()


class _IncompatibleKeys(NamedTuple):
    """What ``load_state_dict`` returns: the names it found on one side only."""

    missing_keys: list
    unexpected_keys: list

    def __repr__(self):
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return f"_IncompatibleKeys(missing_keys={self.missing_keys}, unexpected_keys={self.unexpected_keys})"


class Module:
    """Base class of layers and models: assign Parameters and sub-Modules as attributes, define
    ``forward``, and call the module like a function."""

    def __init__(self):
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_buffers", {})
        object.__setattr__(self, "_modules", {})
        object.__setattr__(self, "training", True)

    def __setattr__(self, name, value):
        if isinstance(value, Parameter):
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._modules[name] = value
        object.__setattr__(self, name, value)

    def forward(self, *args):  # pragma: no cover - subclasses define it
        raise NotImplementedError(
            f'Module [{type(self).__name__}] is missing the required "forward" function'
        )

    _hooks = None  # a hooks.ModuleHooks, once a hook is registered

    def __call__(self, *args, **kwargs):
        if self._hooks is None:  # (the usual case: a module without hooks just runs forward)
            return self.forward(*args, **kwargs)
        return self._hooks.call(self, args, kwargs)

    # --- hooks (see minigrad/nn/hooks.py) -------------------------------------------------------
    def _hook_table(self):
        if self._hooks is None:
            object.__setattr__(self, "_hooks", hooks.ModuleHooks())
        return self._hooks

    def register_forward_pre_hook(self, hook, *, prepend=False, with_kwargs=False):
        """``hook(module, args)`` runs before each ``forward``; what it returns (if not None)
        replaces ``args``. With ``with_kwargs``: ``hook(module, args, kwargs)``, returning
        ``(args, kwargs)``. Returns a handle with ``.remove()``."""
        return self._hook_table().add("forward_pre", hook, prepend, with_kwargs)

    def register_forward_hook(self, hook, *, prepend=False, with_kwargs=False, always_call=False):
        """``hook(module, args, output)`` runs after each ``forward``; what it returns (if not None)
        replaces the output. ``always_call``: run it even when ``forward`` raises."""
        return self._hook_table().add("forward", hook, prepend, with_kwargs, always_call)

    def register_full_backward_pre_hook(self, hook, prepend=False):
        """``hook(module, grad_output)`` runs when backward reaches the module's outputs; a tuple it
        returns replaces ``grad_output`` (one entry per output)."""
        return self._hook_table().add("backward_pre", hook, prepend)

    def register_full_backward_hook(self, hook, prepend=False):
        """``hook(module, grad_input, grad_output)`` runs when backward has the gradients of the
        module's positional inputs (None for those that need none); a tuple it returns replaces
        ``grad_input``."""
        return self._hook_table().add("backward", hook, prepend)

    def _named_members(self, tables, prefix=""):
        """(dotted name, tensor) of this module's ``tables`` (``_parameters``, ``_buffers``), then
        of every sub-module's, depth first: PyTorch's order."""
        for table in tables:
            for name, t in getattr(self, table).items():
                if t is not None:  # (a buffer registered as None, e.g. a loss without weights)
                    yield prefix + name, t
        for name, m in self._modules.items():
            yield from m._named_members(tables, prefix + name + ".")

    def named_parameters(self, prefix=""):
        return self._named_members(("_parameters",), prefix)

    def parameters(self):
        for _, p in self.named_parameters():
            yield p

    def children(self):
        return iter(self._modules.values())

    def named_modules(self, prefix=""):
        """This module and every module inside it, with their dotted names ('' for this one)."""
        stack = [(prefix, self)]  # (an explicit stack, in PyTorch's order: depth first)
        while stack:
            name, module = stack.pop()
            yield name, module
            children = [(f"{name}.{n}" if name else n, m) for n, m in module._modules.items()]
            stack.extend(reversed(children))

    def modules(self):
        for _, m in self.named_modules():
            yield m

    def register_buffer(self, name, tensor):
        """Keep a tensor that is not trained (a running mean, a mask) with the module: it goes into
        ``state_dict`` and follows ``double()``/``float()``, but not into ``parameters()``."""
        self._buffers[name] = tensor
        object.__setattr__(self, name, tensor)

    def named_buffers(self, prefix=""):
        return self._named_members(("_buffers",), prefix)

    def buffers(self):
        for _, b in self.named_buffers():
            yield b

    def named_children(self):
        return iter(self._modules.items())

    def state_dict(self):
        """Every parameter and buffer by its dotted name, detached (sharing storage): what you save
        to restore a model later with ``load_state_dict``."""
        return OrderedDict((name, t.detach()) for name, t in self._named_members(("_parameters", "_buffers")))

    def apply(self, fn):
        """Call ``fn(module)`` on every sub-module, then on this one (e.g. to initialise weights)."""
        for m in self._modules.values():
            m.apply(fn)
        fn(self)
        return self

    def requires_grad_(self, requires_grad=True):
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def to(self, dtype):
        """Convert the parameters and floating-point buffers to ``dtype``, in place (``to("cpu")``
        changes nothing: there is only one device)."""
        if isinstance(dtype, str):
            return self
        for module in self.modules():
            for p in module._parameters.values():
                if p is not None:
                    p.data = p.data.to(dtype)
            for name, b in list(module._buffers.items()):
                if b is not None and b.dtype.is_floating_point:
                    module.register_buffer(name, b.to(dtype))
        return self

    def double(self):
        return self.to(_dtypes.float64)

    def float(self):
        return self.to(_dtypes.float32)

    def load_state_dict(self, state_dict, strict=True):
        """Copy the tensors of ``state_dict`` into the parameters of the same names, in place.
        With ``strict`` every name must match; returns the names that did not (PyTorch's
        ``_IncompatibleKeys``)."""
        from .. import no_grad

        own = dict(self._named_members(("_parameters", "_buffers")))
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        errors = []
        for name, value in state_dict.items():
            if name in own and value.shape != own[name].shape:
                errors.append(
                    f"size mismatch for {name}: copying a param with shape {value.shape} from checkpoint, "
                    f"the shape in current model is {own[name].shape}."
                )
        if strict:
            if unexpected:
                errors.insert(
                    0, "Unexpected key(s) in state_dict: " + ", ".join(f'"{k}"' for k in unexpected) + ". "
                )
            if missing:
                errors.insert(
                    0, "Missing key(s) in state_dict: " + ", ".join(f'"{k}"' for k in missing) + ". "
                )
        if errors:
            raise RuntimeError(
                f"Error(s) in loading state_dict for {type(self).__name__}:\n\t" + "\n\t".join(errors)
            )
        with no_grad():
            for name, value in state_dict.items():
                if name in own:
                    own[name].copy_(value)
        return _IncompatibleKeys(missing, unexpected)

    def zero_grad(self, set_to_none=True):
        for p in self.parameters():
            if set_to_none:
                p.grad = None
            elif p.grad is not None:
                p.grad.detach_()
                p.grad.zero_()

    def train(self, mode=True):
        object.__setattr__(self, "training", mode)
        for m in self._modules.values():
            m.train(mode)
        return self

    def eval(self):
        return self.train(False)

    def extra_repr(self):
        return ""

    def __repr__(self):
        lines = [f"({name}): " + repr(m).replace("\n", "\n  ") for name, m in self._modules.items()]
        if not lines:
            return f"{type(self).__name__}({self.extra_repr()})"
        return f"{type(self).__name__}(\n  " + "\n  ".join(lines) + "\n)"


class Linear(Module):
    """y = x Wᵀ + b, with W of shape (out_features, in_features), initialised uniformly in
    ±1/√in_features as in PyTorch (from minigrad's own random numbers)."""

    def __init__(self, in_features, out_features, bias=True):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        bound = 1 / math.sqrt(in_features)
        self.weight = Parameter(_factories.rand(out_features, in_features) * (2 * bound) - bound)
        self.bias = Parameter(_factories.rand(out_features) * (2 * bound) - bound) if bias else None

    def forward(self, x):
        return functional.linear(x, self.weight, self.bias)

    def extra_repr(self):
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"
        )


class Sequential(Module):
    """Modules applied one after another."""

    def __init__(self, *modules):
        super().__init__()
        for i, m in enumerate(modules):
            setattr(self, str(i), m)

    def forward(self, x):
        for m in self._modules.values():
            x = m(x)
        return x

    def __getitem__(self, i):
        if isinstance(i, slice):  # a Sequential of those modules, under their names
            part = Sequential()
            for name, m in list(self._modules.items())[i]:
                setattr(part, name, m)
            return part
        return list(self._modules.values())[i]

    def __len__(self):
        return len(self._modules)


class Identity(Module):
    def forward(self, x):
        return x


class Flatten(Module):
    """Flatten dimensions ``start_dim`` to ``end_dim`` (by default all but the batch dimension)."""

    def __init__(self, start_dim=1, end_dim=-1):
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x):
        return x.flatten(self.start_dim, self.end_dim)

    def extra_repr(self):
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Softmax(Module):
    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        return x.softmax(self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"


class LogSoftmax(Softmax):
    def forward(self, x):
        return x.log_softmax(self.dim)


class ReLU(Module):
    def forward(self, x):
        return x.relu()


class Tanh(Module):
    def forward(self, x):
        return x.tanh()


class Sigmoid(Module):
    def forward(self, x):
        return x.sigmoid()


class MSELoss(Module):
    """Mean (or sum) of squared differences."""

    def __init__(self, reduction="mean"):
        super().__init__()
        self.reduction = reduction

    def forward(self, input, target):
        return functional.mse_loss(input, target, reduction=self.reduction)


class _WeightedLoss(Module):
    """A loss with an optional ``weight`` per class, kept as a buffer (it follows ``double()``)."""

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
        super().__init__()
        if size_average is not None or reduce is not None:
            reduction = functional._legacy_reduction(size_average, reduce, reduction)
        self.reduction, self.ignore_index = reduction, ignore_index
        self.register_buffer("weight", weight)


class CrossEntropyLoss(_WeightedLoss):
    """Softmax cross-entropy of logits against class indices or class probabilities (see
    ``functional.cross_entropy``)."""

    def __init__(
        self,
        weight=None,
        size_average=None,
        ignore_index=-100,
        reduce=None,
        reduction="mean",
        label_smoothing=0.0,
    ):
        super().__init__(weight, size_average, ignore_index, reduce, reduction)
        self.label_smoothing = label_smoothing

    def forward(self, input, target):
        return functional.cross_entropy(
            input,
            target,
            weight=self.weight,
            ignore_index=self.ignore_index,
            reduction=self.reduction,
            label_smoothing=self.label_smoothing,
        )


class NLLLoss(_WeightedLoss):
    """Negative log-likelihood of class indices, for log-probabilities (see ``functional.nll_loss``)."""

    def forward(self, input, target):
        return functional.nll_loss(
            input, target, weight=self.weight, ignore_index=self.ignore_index, reduction=self.reduction
        )
