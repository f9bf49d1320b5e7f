"""What only a ``Function`` of yours needs: PyTorch's extras for custom Functions.

The built-in ops use none of these; the custom-Function lesson (07) uses them all:

- PyTorch 2's second style, ``forward(*args)`` without ``ctx`` plus a static
  ``setup_context(ctx, inputs, output)`` that saves what backward needs;
- ``ctx.mark_dirty(x)``: forward changed ``x`` in place, which is allowed only where an in-place
  operation would be (not on a leaf that requires grad);
- the node of your Function prints with its module path, as PyTorch prints the nodes of Functions
  written in Python.
"""


def _custom_node_repr(node):
    return f"<minigrad.autograd.function.{type(node).__name__} object>"


def _no_setup_context(ctx, inputs, output):
    """Function's default: forward itself receives ``ctx``."""
    raise NotImplementedError("setup_context is not implemented.")


def _forward_then_setup_context(cls, ctx, *args):
    """The setup_context style: forward computes, then setup_context fills in ``ctx``."""
    output = cls.forward(*args)
    cls.setup_context(ctx, args, output)
    return output


def _check_dirty(tensor):
    """An input that a Function changed in place (``ctx.mark_dirty``) takes the node as its history:
    not allowed for a leaf that requires grad, as for any in-place operation."""
    if tensor._requires_grad and tensor._grad_fn is None:
        raise RuntimeError("a leaf Variable that requires grad has been used in an in-place operation.")
    if tensor._base is not None and tensor._requires_grad:
        raise RuntimeError(
            "minigrad does not support in-place operations on a view that takes part in autograd "
            "(PyTorch rewrites the view's history; minigrad does not). Use an out-of-place "
            "operation instead."
        )
