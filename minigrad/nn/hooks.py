"""Module hooks: your code, run when a module is called and when backward passes through it.

``module.register_forward_pre_hook(hook)``
    ``hook(module, args)`` before ``forward``; it may return new ``args`` (a tuple, or one value).
``module.register_forward_hook(hook)``
    ``hook(module, args, output)`` after ``forward``; it may return a new output.
``module.register_full_backward_pre_hook(hook)``
    ``hook(module, grad_output)`` when backward has the gradients of the module's outputs; it may
    return new ones.
``module.register_full_backward_hook(hook)``
    ``hook(module, grad_input, grad_output)`` once backward has the gradients of the module's
    (positional) inputs too; it may return new ``grad_input``.

Forward hooks are plain function calls around ``forward``. Backward hooks need to know *when*
the gradients of the module's outputs and inputs are ready, and the engine knows nothing about
modules: it only runs nodes. So, as PyTorch does, the module's inputs and its outputs each pass
through an identity Function, :class:`BackwardHookFunction`. Its two nodes in the graph,
``BackwardHookFunctionBackward``, one above the module's own nodes and one below them, are where
the gradients are caught, with node hooks (``grad_fn.register_hook``)::

    output  <- BackwardHookFunctionBackward   (node hook: grad_output known; pre-hooks run)
            <- the module's own nodes (AddmmBackward0, ...)
            <- BackwardHookFunctionBackward   (node hook: grad_input known; hooks run)
    input
"""

from .. import _warnings
from ..autograd import grad_mode
from ..autograd.function import Function
from ..autograd.hooks import add_hook
from ..tensor import Tensor


class BackwardHookFunction(Function):
    """The identity, as a node of its own: where a module's backward hooks catch gradients.
    Inputs that do not require grad come out marked non-differentiable (no gradient for them)."""

    defined_in_python = True  # as in PyTorch: its node prints with the module path

    @staticmethod
    def forward(ctx, *tensors):
        ctx.mark_non_differentiable(*[t for t in tensors if not t.requires_grad])
        return tensors

    @staticmethod
    def backward(ctx, *grads):
        return grads


class ModuleHooks:
    """The hooks registered on one module, and how a call of the module runs them."""

    def __init__(self):
        self.forward_pre = []  # [(id, hook)], in the order they run
        self.forward = []
        self.backward_pre = []
        self.backward = []
        self.with_kwargs = set()  # ids of the forward (pre-)hooks that also receive kwargs
        self.always_call = set()  # ids of the forward hooks that run even if forward raises

    def add(self, table, hook, prepend=False, with_kwargs=False, always_call=False):
        handle = add_hook(getattr(self, table), hook, prepend)
        if with_kwargs:
            self.with_kwargs.add(handle.id)
        if always_call:
            self.always_call.add(handle.id)
        return handle

    def call(self, module, args, kwargs):
        """``module(*args, **kwargs)`` with the hooks, in PyTorch's order: forward pre-hooks,
        the inputs wrapped for backward hooks, ``forward``, forward hooks, the outputs wrapped."""
        result, called = None, set()
        try:
            args, kwargs = self.run_forward_pre_hooks(module, args, kwargs)
            catcher = None
            if self.backward or self.backward_pre:
                catcher = GradientCatcher(module, self.backward, self.backward_pre)
                args = catcher.wrap_inputs(args)
            result = module.forward(*args, **kwargs)
            for key, hook in list(self.forward):
                called.add(key)
                result = self.run_forward_hook(key, hook, module, args, kwargs, result)
            if catcher is not None:
                if not isinstance(result, (Tensor, tuple)):
                    _warnings.warn(
                        "For backward hooks to be called, module output should be a Tensor or a tuple "
                        f"of Tensors but received {type(result)}",
                    )
                result = catcher.wrap_outputs(result)
            return result
        except Exception:
            for key, hook in list(self.forward):  # the always_call hooks that have not run yet
                if key in self.always_call and key not in called:
                    try:
                        result = self.run_forward_hook(key, hook, module, args, kwargs, result)
                    except Exception as e:
                        _warnings.warn(
                            "module forward hook with ``always_call=True`` raised an exception that "
                            f"was silenced as another error was raised in forward: {e}",
                        )
            raise

    def run_forward_pre_hooks(self, module, args, kwargs):
        for key, hook in list(self.forward_pre):
            if key in self.with_kwargs:
                new = hook(module, args, kwargs)
                if new is not None:
                    if not (isinstance(new, tuple) and len(new) == 2):
                        raise RuntimeError(
                            "forward pre-hook must return None or a tuple of (new_args, new_kwargs), "
                            f"but got {new}."
                        )
                    args, kwargs = new
            else:
                new = hook(module, args)
                if new is not None:
                    args = new if isinstance(new, tuple) else (new,)
        return args, kwargs

    def run_forward_hook(self, key, hook, module, args, kwargs, result):
        if key in self.with_kwargs:
            new = hook(module, args, kwargs, result)
        else:
            new = hook(module, args, result)
        return result if new is None else new


def _spread(positions, values, size):
    """``values`` put back at their ``positions`` in a tuple of ``size``, None elsewhere (the
    arguments that were not tensors)."""
    spread = [None] * size
    for position, value in zip(positions, values):
        spread[position] = value
    return tuple(spread)


def _through_identity(values):
    """Pass the tensors among ``values`` through one :class:`BackwardHookFunction`. Returns the new
    values, the positions of the tensors and the identity's node; (values, None, None) when no
    tensor requires grad or grad mode is off: then there is no gradient to catch."""
    positions = [i for i, v in enumerate(values) if isinstance(v, Tensor)]
    tensors = [values[i] for i in positions]
    if not (any(t.requires_grad for t in tensors) and grad_mode.is_grad_enabled()):
        return values, None, None
    new_tensors = BackwardHookFunction.apply(*tensors)
    node = next(t.grad_fn for t in new_tensors if t.grad_fn is not None)
    new_values = list(values)
    for i, t in zip(positions, new_tensors):
        new_values[i] = t
    return (tuple(new_values) if type(values) is tuple else type(values)(*new_values)), positions, node


class GradientCatcher:
    """One call's backward hooks (PyTorch's ``BackwardHook``): catches the gradients of the
    module's outputs, then of its inputs, and hands them to the hooks."""

    def __init__(self, module, hooks, pre_hooks):
        self.module, self.hooks, self.pre_hooks = module, hooks, pre_hooks
        self.grad_outputs = None  # set when gradient reaches the outputs, cleared once used
        self.n_inputs = self.n_outputs = -1
        self.input_positions = self.output_positions = None

    def wrap_inputs(self, args):
        args, self.input_positions, node = _through_identity(args)
        self.n_inputs = len(args)
        if node is not None:
            node.register_hook(self.inputs_reached)
        return args

    def wrap_outputs(self, result):
        single = not isinstance(result, tuple)
        outputs, self.output_positions, node = _through_identity((result,) if single else result)
        self.n_outputs = len(outputs)
        if node is not None:
            node.register_hook(self.outputs_reached)
        return outputs[0] if single else outputs

    def outputs_reached(self, grad_inputs, grad_outputs):
        """The node hook below the outputs: ``grad_output`` is known. Runs the pre-hooks (and,
        when no input requires grad, the hooks too: no gradient will reach the inputs)."""
        self.grad_outputs = _spread(self.output_positions, grad_outputs, self.n_outputs)
        for _, hook in list(self.pre_hooks):
            new = hook(self.module, self.grad_outputs)
            if new is None:
                continue
            if len(new) != len(self.grad_outputs):
                raise RuntimeError(
                    "Backward pre hook returned an invalid number of grad_output, "
                    f"got {len(new)}, but expected {len(self.grad_outputs)}"
                )
            self.grad_outputs = new
        grad_outputs = self.grad_outputs
        if self.input_positions is None:
            _warnings.warn(
                "Full backward hook is firing when gradients are computed with respect to module "
                "outputs since no inputs require gradients. See "
                "https://docs.pytorch.org/docs/main/generated/torch.nn.Module.html"
                "#torch.nn.Module.register_full_backward_hook for more details.",
            )
            grad_inputs = (None,) * self.n_inputs
            for _, hook in list(self.hooks):
                new = hook(self.module, grad_inputs, self.grad_outputs)
                if new is not None and not (isinstance(new, tuple) and all(g is None for g in new)):
                    raise RuntimeError(
                        "Backward hook for Modules where no input requires gradient should always "
                        "return None or None for all gradients."
                    )
            self.grad_outputs = None
        return tuple(grad_outputs[i] for i in self.output_positions)

    def inputs_reached(self, grad_inputs, grad_outputs):
        """The node hook above the inputs: ``grad_input`` is known too. Runs the hooks."""
        if self.grad_outputs is None:  # gradient reached the inputs without passing the outputs
            return None
        grads = _spread(self.input_positions, grad_inputs, self.n_inputs)
        for _, hook in list(self.hooks):
            new = hook(self.module, grads, self.grad_outputs)
            if new is None:
                continue
            if len(new) != len(grads):
                raise RuntimeError(
                    "Backward hook returned an invalid number of grad_input, "
                    f"got {len(new)}, but expected {len(grads)}"
                )
            grads = new
        self.grad_outputs = None
        return tuple(grads[i] for i in self.input_positions)
