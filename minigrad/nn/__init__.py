"""Just enough of ``torch.nn`` for the training-loop lessons: ``Module``, ``Parameter``, ``Linear``,
``Sequential``, ``ModuleList``, ``ModuleDict``, ``Identity``, ``Flatten``, ``ReLU``, ``Tanh``,
``Sigmoid``, ``Softmax``, ``LogSoftmax``, ``MSELoss``, ``CrossEntropyLoss`` and ``NLLLoss``."""

import math
from collections import OrderedDict
from typing import NamedTuple

from .. import _dtypes, _factories
from ..autograd.grad_mode import no_grad
from ..tensor import Tensor
from . import functional, hooks, init, utils  # noqa: F401


def _typename(value):
    """A value's type as PyTorch's messages name it ('minigrad.FloatTensor' for a tensor)."""
    return (
        value.type()
        if isinstance(value, Tensor)
        else f"{type(value).__module__}.{type(value).__qualname__}".removeprefix("builtins.")
    )


def _check_none(value, kind, name, expected):
    """A registered parameter (module, buffer) name takes only its own kind of value, or None:
    PyTorch's TypeError for anything else."""
    if value is not None:
        raise TypeError(
            f"cannot assign '{_typename(value)}' as {kind} '{name}' ({expected} or None expected)"
        )


class Parameter(Tensor):
    """A leaf tensor that a Module registers as a weight: ``requires_grad=True`` by default."""

    def __new__(cls, data=None, requires_grad=True):
        data = data if data is not None else _factories.zeros(0)
        if requires_grad and not data.dtype.is_floating_point:
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        t = data.detach()  # (the same numbers and version counter, as PyTorch's Parameter)
        t.__class__ = cls
        t.requires_grad = requires_grad
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
        object.__setattr__(self, "_non_persistent_buffers", set())
        object.__setattr__(self, "_modules", {})
        object.__setattr__(self, "training", True)

    def __setattr__(self, name, value):
        """``self.w = Parameter(...)`` registers a parameter, ``self.fc = Linear(...)`` a
        sub-module; assigning to a registered name keeps the tables right (None unregisters the
        value, another kind of value is PyTorch's TypeError)."""
        tables = self.__dict__
        params, buffers, modules = tables.get("_parameters"), tables.get("_buffers"), tables.get("_modules")
        if isinstance(value, Parameter):
            if params is None:  # (forgetting super().__init__() is a classic)
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            self._forget(name, keep="_parameters")
            params[name] = value
        elif params is not None and name in params:
            _check_none(value, "parameter", name, "minigrad.nn.Parameter")
            params[name] = None
        elif isinstance(value, Module):
            if modules is None:
                raise AttributeError("cannot assign module before Module.__init__() call")
            self._forget(name, keep="_modules")
            modules[name] = value
        elif modules is not None and name in modules:
            _check_none(value, "child module", name, "minigrad.nn.Module")
            modules[name] = None
        elif buffers is not None and name in buffers:
            if not isinstance(value, Tensor):
                _check_none(value, "buffer", name, "minigrad.Tensor")
            buffers[name] = value
        object.__setattr__(self, name, value)

    def _forget(self, name, keep=None):
        """Take ``name`` out of every table but ``keep`` (before it is registered in that one;
        a name kept where it is keeps its place in the order)."""
        for table in ("_parameters", "_buffers", "_modules"):
            if table != keep:
                self.__dict__.get(table, {}).pop(name, None)

    def __delattr__(self, name):
        self._forget(name)
        self._non_persistent_buffers.discard(name)
        object.__delattr__(self, name)

    def register_parameter(self, name, param):
        """``self.<name> = param``, for a name made at run time (``param`` a Parameter or None)."""
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"cannot assign '{_typename(param)}' object to parameter '{name}' "
                "(minigrad.nn.Parameter or None required)"
            )
        self._forget(name, keep="_parameters")
        self._parameters[name] = param
        object.__setattr__(self, name, param)

    def add_module(self, name, module):
        """``self.<name> = module``, for a name made at run time (``module`` a Module or None)."""
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{_typename(module)} is not a Module subclass")
        self._forget(name, keep="_modules")
        self._modules[name] = module
        object.__setattr__(self, name, module)

    register_module = add_module

    def get_submodule(self, target):
        """The sub-module at the dotted path ``target`` ("" is this module)."""
        module = self
        for item in target.split(".") if target else []:
            if not hasattr(module, item):
                raise AttributeError(f"{type(module).__name__} has no attribute `{item}`")
            module = getattr(module, item)
            if not isinstance(module, Module):
                raise AttributeError(f"`{item}` is not an nn.Module")
        return module

    def get_parameter(self, target):
        """The parameter at the dotted path ``target`` (``"fc.weight"``)."""
        module_path, _, name = target.rpartition(".")
        module = self.get_submodule(module_path)
        if not hasattr(module, name):
            raise AttributeError(f"{type(module).__name__} has no attribute `{name}`")
        param = getattr(module, name)
        if not isinstance(param, Parameter):
            raise AttributeError(f"`{name}` is not an nn.Parameter")
        return param

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

    def _named_members(self, tables, prefix="", recurse=True, remove_duplicate=True, persistent_only=False):
        """(dotted name, tensor) of the ``tables`` (``_parameters``, ``_buffers``) of this module,
        then of every sub-module's, depth first: PyTorch's order. A tensor shared by two modules
        (tied weights) comes once, unless ``remove_duplicate`` is False (as for ``state_dict``,
        which also leaves out the buffers registered with ``persistent=False``)."""
        seen = set()
        modules = (
            self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
            if recurse
            else [(prefix, self)]
        )
        for module_prefix, module in modules:
            for table in tables:
                for name, t in getattr(module, table).items():
                    if t is None or (remove_duplicate and id(t) in seen):  # (None: unregistered)
                        continue
                    if persistent_only and table == "_buffers" and name in module._non_persistent_buffers:
                        continue
                    seen.add(id(t))
                    yield (f"{module_prefix}.{name}" if module_prefix else name), t

    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        return self._named_members(("_parameters",), prefix, recurse, remove_duplicate)

    def parameters(self, recurse=True):
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def children(self):
        for _, m in self.named_children():
            yield m

    def named_modules(self, memo=None, prefix="", remove_duplicate=True):
        """This module and every module inside it, with their dotted names ('' for this one); a
        module used twice comes once."""
        seen = set() if memo is None else memo
        stack = [(prefix, self)]  # (an explicit stack, in PyTorch's order: depth first)
        while stack:
            name, module = stack.pop()
            if remove_duplicate:
                if id(module) in seen:
                    continue
                seen.add(id(module))
            yield name, module
            children = [
                (f"{name}.{n}" if name else n, m) for n, m in module._modules.items() if m is not None
            ]
            stack.extend(reversed(children))

    def modules(self):
        for _, m in self.named_modules():
            yield m

    def register_buffer(self, name, tensor, persistent=True):
        """Keep a tensor that is not trained (a running mean, a mask) with the module: it follows
        ``double()``/``float()`` and goes into ``state_dict`` (unless ``persistent=False``), but
        not into ``parameters()``."""
        if "_buffers" not in self.__dict__:
            raise AttributeError("cannot assign buffer before Module.__init__() call")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(
                f"cannot assign '{_typename(tensor)}' object to buffer '{name}' "
                "(minigrad Tensor or None required)"
            )
        self._forget(name, keep="_buffers")
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers.discard(name)
        else:
            self._non_persistent_buffers.add(name)
        object.__setattr__(self, name, tensor)

    def named_buffers(self, prefix="", recurse=True, remove_duplicate=True):
        return self._named_members(("_buffers",), prefix, recurse, remove_duplicate)

    def buffers(self, recurse=True):
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    def named_children(self):
        seen = set()
        for name, m in self._modules.items():
            if m is not None and id(m) not in seen:
                seen.add(id(m))
                yield name, m

    def _state_members(self):
        """(dotted name, tensor) of what ``state_dict`` holds: every parameter and persistent
        buffer, under every name it has (a tied weight twice)."""
        return self._named_members(("_parameters", "_buffers"), remove_duplicate=False, persistent_only=True)

    def state_dict(self):
        """Every parameter and (persistent) buffer by its dotted name, detached (sharing storage):
        what you save to restore a model later with ``load_state_dict``."""
        return OrderedDict((name, t.detach()) for name, t in self._state_members())

    def apply(self, fn):
        """Call ``fn(module)`` on every sub-module, then on this one (e.g. to initialise weights)."""
        for m in self.children():
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
                    setattr(module, name, b.to(dtype))  # (the buffer stays persistent or not)
        return self

    def double(self):
        return self.to(_dtypes.float64)

    def half(self):
        """PyTorch's float16: not in minigrad (a clear error rather than another dtype)."""
        raise TypeError(
            "minigrad has no float16 dtype: its dtypes are float32 (the default), float64, int64 and "
            "bool (use .float() or .double())"
        )

    def float(self):
        return self.to(_dtypes.float32)

    def load_state_dict(self, state_dict, strict=True):
        """Copy the tensors of ``state_dict`` into the parameters of the same names, in place.
        With ``strict`` every name must match; returns the names that did not (PyTorch's
        ``_IncompatibleKeys``)."""

        own = dict(self._state_members())
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
        for m in self.children():
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
        self.weight = Parameter(_factories.zeros(out_features, in_features))
        self.bias = Parameter(_factories.zeros(out_features)) if bias else None
        self.reset_parameters()

    def reset_parameters(self):
        """Draw new weights (and bias), uniformly in ±1/√in_features."""

        bound = 1 / math.sqrt(self.in_features)
        with no_grad():
            self.weight.copy_(_factories.rand(self.out_features, self.in_features) * (2 * bound) - bound)
            if self.bias is not None:
                self.bias.copy_(_factories.rand(self.out_features) * (2 * bound) - bound)

    def forward(self, x):
        return functional.linear(x, self.weight, self.bias)

    def extra_repr(self):
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"
        )


class Sequential(Module):
    """Modules applied one after another (given in order, or as an OrderedDict of named ones)."""

    def __init__(self, *modules):
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], OrderedDict):
            for name, m in modules[0].items():
                self.add_module(name, m)
        else:
            for i, m in enumerate(modules):
                self.add_module(str(i), m)

    def append(self, module):
        self.add_module(str(len(self)), module)
        return self

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


class ModuleList(Module):
    """A list of modules, registered (their parameters are the list's): for layers made in a loop,
    ``self.layers = ModuleList([Linear(8, 8) for _ in range(3)])``. It has no ``forward``."""

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def _index(self, idx):
        n = len(self)
        if not -n <= idx < n:
            raise IndexError(f"index {idx} is out of range")
        return idx % n

    def __getitem__(self, idx):
        modules = list(self._modules.values())
        if isinstance(idx, slice):
            return ModuleList(modules[idx])
        return modules[self._index(idx)]

    def __setitem__(self, idx, module):
        self.add_module(str(self._index(idx)), module)

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def append(self, module):
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules):
        if not hasattr(modules, "__iter__"):
            raise TypeError(
                "ModuleList.extend should be called with an iterable, but got " + type(modules).__name__
            )
        for m in modules:
            self.append(m)
        return self

    def insert(self, index, module):
        modules = list(self._modules.values())
        modules.insert(index, module)
        self._modules.clear()
        for i, m in enumerate(modules):
            self.add_module(str(i), m)

    def __repr__(self):
        """As PyTorch prints it: a run of equal modules in one line, ``(0-2): 3 x Linear(...)``."""
        shown = [repr(m) for m in self._modules.values()]
        if not shown:
            return "ModuleList()"
        lines, start = [], 0
        for end in range(1, len(shown) + 1):
            if end == len(shown) or shown[end] != shown[start]:
                body = shown[start].replace("\n", "\n  ")
                if end - start == 1:
                    lines.append(f"({start}): {body}")
                else:
                    lines.append(f"({start}-{end - 1}): {end - start} x {body}")
                start = end
        return "ModuleList(\n  " + "\n  ".join(lines) + "\n)"


class ModuleDict(Module):
    """A dict of named modules, registered: ``self.heads = ModuleDict({"a": Linear(4, 1)})``."""

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key):
        return self._modules[key]

    def __setitem__(self, key, module):
        self.add_module(key, module)

    def __delitem__(self, key):
        delattr(self, key)

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules)

    def __contains__(self, key):
        return key in self._modules

    def keys(self):
        return self._modules.keys()

    def items(self):
        return self._modules.items()

    def values(self):
        return self._modules.values()

    def update(self, modules):
        for key, module in modules.items() if hasattr(modules, "items") else modules:
            self[key] = module

    def pop(self, key):
        module = self[key]
        del self[key]
        return module

    def clear(self):
        for key in list(self._modules):
            del self[key]


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
