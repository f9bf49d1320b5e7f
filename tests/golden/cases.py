"""Golden cases: the behaviours of ``torch.autograd`` that minigrad copies.

Every case is a plain function ``case_name(t)`` where ``t`` is either the ``torch``
module or the ``minigrad`` module.  It runs a few lines written only with API that
both libraries share and returns a dict of named results.  ``tools/record_golden.py``
runs every case on real PyTorch and stores the results in ``golden.json``;
``tests/test_golden.py`` runs the same cases on minigrad and compares.

Read a case as a small specification: "with this code, PyTorch gives these values".
After adding or editing a case, re-record (and commit golden.json with it):

    /opt/torchref/bin/python tools/record_golden.py

Results may be tensors (dtype, shape, values and ``repr`` are recorded), Python
numbers/bools/strings/None, tuples and lists of those, and the helpers below:

* ``raises(lambda: ...)``   the exception type name and message (or no exception);
* ``warns(lambda: ...)``    the returned value and the warnings emitted meanwhile;
* ``graph(y.grad_fn)``      the autograd graph below a node: class names and ``input_nr``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable

CASES: dict[str, Callable] = {}


def case(fn: Callable) -> Callable:
    """Register a golden case under its function name."""
    if fn.__name__ in CASES:
        raise ValueError(f"duplicate case name {fn.__name__}")
    CASES[fn.__name__] = fn
    return fn


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------


class Raised:
    """What ``raises`` captured: the exception's type name and message.

    ``upto``: compare messages only up to (not including) this marker.  Used for the
    few torch messages whose tail mentions a torch-only API.
    """

    def __init__(self, type_name, message, upto=None):
        self.type_name = type_name
        self.message = message
        self.upto = upto


class Warned:
    """What ``warns`` captured: the value returned and a list of (category, message)."""

    def __init__(self, value, caught):
        self.value = value
        self.caught = caught


def raises(fn: Callable, upto: str | None = None) -> Raised:
    """Call ``fn`` and capture the exception it raises (type None if it raises nothing)."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - we record whatever is raised
        return Raised(type(e).__name__, str(e), upto)
    return Raised(None, None, upto)


def value_and_warnings(fn: Callable) -> list:
    """``[fn(), messages of the warnings fn emitted]``, without the place in PyTorch's C++ source
    that its C++ warnings end with ("(Triggered internally at ...)")."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = fn()
    return [value, [str(w.message).split(" (Triggered internally")[0] for w in caught]]


def warns(fn: Callable) -> Warned:
    """Call ``fn`` and capture its return value and every warning it emits."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = fn()
    return Warned(value, [(w.category.__name__, str(w.message)) for w in caught])


def name(node) -> str | None:
    """``grad_fn.name()``, or None when there is no grad_fn."""
    return None if node is None else node.name()


def graph(node):
    """The graph below ``node`` as nested ``{"type": class name, "next": [[child, input_nr]]}``.

    Inputs that need no gradient appear as ``[None, 0]``, exactly like torch's
    ``next_functions`` entries ``(None, 0)``.
    """
    if node is None:
        return None
    return {
        "type": type(node).__name__,
        "next": [[graph(child), nr] for child, nr in node.next_functions],
    }


def assign(t, param, values) -> None:
    """Overwrite a parameter's values in place (instead of relying on random init)."""
    with t.no_grad():
        param.zero_()
        param.add_(t.tensor(values))


def _encode_float(x: float):
    if math.isfinite(x):
        return x
    return {"float": repr(x)}  # 'nan', 'inf', '-inf'


def _encode_values(v):
    if isinstance(v, list):
        return [_encode_values(e) for e in v]
    if isinstance(v, float):
        return x if math.isfinite(x := v) else repr(v)
    return v


def encode(value, t):
    """Turn a case result into JSON-ready data; the same code serves torch and minigrad."""
    if isinstance(value, Raised):
        out = {"type": value.type_name, "message": value.message}
        if value.upto is not None:
            out["upto"] = value.upto
        return {"raises": out}
    if isinstance(value, Warned):
        return {
            "warns": {
                "value": encode(value.value, t),
                "warnings": [[cat, msg] for cat, msg in value.caught],
            }
        }
    if isinstance(value, t.Tensor):
        if getattr(value, "_is_zerotensor", None) and value._is_zerotensor():
            value = value.clone()  # (PyTorch's lazy zeros, "ZeroTensor", have no numbers to list)
        return {
            "tensor": {
                "dtype": str(value.dtype).split(".")[-1],
                "shape": list(value.shape),
                "values": _encode_values(value.detach().tolist()),
                "repr": repr(value),
            }
        }
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return _encode_float(value)
    if isinstance(value, tuple):
        return {"tuple": [encode(v, t) for v in value]}
    if isinstance(value, list):
        return [encode(v, t) for v in value]
    if isinstance(value, dict):
        return {str(k): encode(v, t) for k, v in value.items()}
    return {"unsupported": type(value).__name__}


# ======================================================================================
# 1. Creating tensors, dtypes, basic attributes
# ======================================================================================


@case
def tensor_from_float_list_is_float32(t):
    x = t.tensor([1.0, 2.0, 3.0])
    return {"x": x, "dtype": str(x.dtype), "is_float32": x.dtype == t.float32}


@case
def tensor_from_int_list_is_int64(t):
    x = t.tensor([1, 2, 3])
    return {"x": x, "dtype": str(x.dtype), "is_int64": x.dtype == t.int64}


@case
def tensor_from_bool_list_is_bool(t):
    x = t.tensor([True, False])
    return {"x": x, "dtype": str(x.dtype), "is_bool": x.dtype == t.bool}


@case
def tensor_from_mixed_int_float_is_float32(t):
    return {"x": t.tensor([1, 2.5])}


@case
def tensor_scalar_is_zero_dim(t):
    x = t.tensor(3.5)
    return {"x": x, "ndim": x.ndim, "shape": tuple(x.shape), "item": x.item()}


@case
def tensor_nested_lists_make_2d(t):
    x = t.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    return {"x": x, "ndim": x.ndim, "shape": tuple(x.shape)}


@case
def tensor_explicit_dtype_float64(t):
    x = t.tensor([1, 2], dtype=t.float64)
    return {"x": x, "dtype": str(x.dtype)}


@case
def tensor_explicit_dtype_int64_truncates_floats(t):
    return {"x": t.tensor([1.7, -1.7, 2.0], dtype=t.int64)}


@case
def tensor_explicit_dtype_bool(t):
    return {"x": t.tensor([0.0, 2.0, -1.0], dtype=t.bool)}


@case
def tensor_defaults_no_grad_and_leaf(t):
    x = t.tensor([1.0, 2.0])
    return {
        "requires_grad": x.requires_grad,
        "is_leaf": x.is_leaf,
        "grad": x.grad,
        "grad_fn": x.grad_fn,
        "retains_grad": x.retains_grad,
    }


@case
def tensor_requires_grad_true_is_leaf(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    return {"x": x, "requires_grad": x.requires_grad, "is_leaf": x.is_leaf, "grad": x.grad}


@case
def tensor_int_requires_grad_raises(t):
    return {"error": raises(lambda: t.tensor([1, 2], requires_grad=True))}


@case
def tensor_bool_requires_grad_raises(t):
    return {"error": raises(lambda: t.tensor([True], requires_grad=True))}


@case
def tensor_float64_requires_grad(t):
    x = t.tensor([1.0], dtype=t.float64, requires_grad=True)
    return {"x": x, "y": x * 2}


@case
def zeros_varargs_and_tuple_agree(t):
    return {"varargs": t.zeros(2, 3), "tuple": t.zeros((2, 3))}


@case
def ones_with_dtype(t):
    return {
        "float": t.ones(3),
        "int": t.ones(2, dtype=t.int64),
        "f64": t.ones((1, 2), dtype=t.float64),
    }


@case
def zeros_requires_grad(t):
    x = t.zeros(2, requires_grad=True)
    return {"x": x, "is_leaf": x.is_leaf}


@case
def zeros_like_and_ones_like_keep_shape_and_dtype(t):
    a = t.tensor([[1, 2, 3], [4, 5, 6]])
    b = t.tensor([1.5, 2.5], dtype=t.float64)
    return {
        "zeros_like_int": t.zeros_like(a),
        "ones_like_f64": t.ones_like(b),
        "ones_like_dtype": t.ones_like(a, dtype=t.float32),
    }


@case
def zeros_like_does_not_copy_requires_grad(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    z = t.zeros_like(x)
    return {"z": z, "requires_grad": z.requires_grad, "z_rg": t.ones_like(x, requires_grad=True)}


@case
def full_infers_dtype_from_fill_value(t):
    return {
        "float_fill": t.full((2, 2), 7.0),
        "int_fill": t.full((3,), 7),
        "bool_fill": t.full((2,), True),
        "explicit": t.full((2,), 1, dtype=t.float64),
    }


@case
def arange_int_and_float(t):
    return {
        "stop": t.arange(5),
        "start_stop": t.arange(2, 6),
        "float_step": t.arange(0.0, 1.0, 0.25),
        "negative_step": t.arange(5, 0, -2),
        "float_stop": t.arange(3.0),
        "dtype": t.arange(3, dtype=t.float64),
    }


@case
def linspace_includes_both_ends(t):
    return {"a": t.linspace(0, 1, 5), "b": t.linspace(-1, 1, 3), "one": t.linspace(2, 3, 1)}


@case
def eye_square_and_rectangular(t):
    return {"square": t.eye(3), "rect": t.eye(2, 3), "f64": t.eye(2, dtype=t.float64)}


@case
def dtype_objects_print_and_compare(t):
    return {
        "float32": str(t.float32),
        "float64": str(t.float64),
        "int64": str(t.int64),
        "bool": str(t.bool),
        "repr_float32": repr(t.float32),
        "eq": t.float32 == t.float32,
        "ne": t.float32 != t.float64,
    }


@case
def shape_and_size_are_tuples(t):
    x = t.zeros(2, 3, 4)
    return {
        "shape": tuple(x.shape),
        "size": tuple(x.size()),
        "size0": x.size(0),
        "size_neg": x.size(-1),
        "shape_index": x.shape[1],
        "shape_eq_tuple": x.shape == (2, 3, 4),
        "is_tuple": isinstance(x.shape, tuple),
        "ndim": x.ndim,
    }


@case
def shape_repr_is_size(t):
    return {"repr": repr(t.zeros(2, 3).shape), "scalar": repr(t.tensor(1.0).shape)}


@case
def len_is_first_dimension(t):
    return {"len": len(t.zeros(4, 2)), "error": raises(lambda: len(t.tensor(1.0)))}


@case
def item_returns_python_scalars(t):
    f = t.tensor([2.5]).item()
    i = t.tensor(7).item()
    b = t.tensor(True).item()
    return {"f": f, "i": i, "b": b, "types": (type(f).__name__, type(i).__name__, type(b).__name__)}


@case
def item_of_float32_is_rounded_float32(t):
    return {"v": t.tensor(0.1).item(), "f64": t.tensor(0.1, dtype=t.float64).item()}


@case
def item_on_many_elements_raises(t):
    return {"error": raises(lambda: t.tensor([1.0, 2.0]).item())}


@case
def item_on_requires_grad_works(t):
    x = t.tensor(3.0, requires_grad=True)
    return {"item": (x * 2).item()}


@case
def tolist_nested_and_scalar(t):
    return {
        "nested": t.tensor([[1.0, 2.0], [3.0, 4.0]]).tolist(),
        "ints": t.tensor([1, 2]).tolist(),
        "bools": t.tensor([True, False]).tolist(),
        "scalar": t.tensor(5.0).tolist(),
    }


@case
def data_has_no_grad_and_shares_values(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    d = x.data
    d.mul_(10)
    return {"d": d, "x": x, "d_requires_grad": d.requires_grad, "d_is_leaf": d.is_leaf}


@case
def detach_is_leaf_without_grad(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 2).detach()
    return {"y": y, "requires_grad": y.requires_grad, "is_leaf": y.is_leaf, "grad_fn": y.grad_fn}


@case
def detach_shares_storage(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    d = x.detach()
    d.add_(100)
    return {"x": x, "d": d}


@case
def detach_shares_version_counter_so_backward_sees_the_change(t):
    a = t.tensor([1.0, 2.0], requires_grad=True)
    b = a.exp()  # ExpBackward0 saves its result b
    b.detach().zero_()
    return {
        "b": b,
        "error": raises(lambda: b.sum().backward(), upto="Hint:"),
    }


@case
def requires_grad_inplace_returns_same_tensor(t):
    x = t.tensor([1.0, 2.0])
    y = x.requires_grad_()
    after = x.requires_grad
    x.requires_grad_(False)
    return {"same": y is x, "after": after, "after_false": x.requires_grad, "x": x}


@case
def requires_grad_flag_on_non_leaf_raises(t):
    x = t.tensor([1.0], requires_grad=True)
    y = x * 2
    return {"error": raises(lambda: y.requires_grad_(False))}


@case
def requires_grad_inplace_on_int_raises(t):
    return {"error": raises(lambda: t.tensor([1, 2]).requires_grad_())}


@case
def clone_is_differentiable(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    c = x.clone()
    (c * c).sum().backward()
    return {"c": c, "grad_fn": name(c.grad_fn), "is_leaf": c.is_leaf, "x_grad": x.grad}


@case
def clone_does_not_share_storage(t):
    x = t.tensor([1.0, 2.0])
    c = x.clone()
    c.add_(1)
    return {"x": x, "c": c, "c_is_leaf": c.is_leaf}


@case
def zero_inplace_returns_self(t):
    x = t.tensor([1.0, 2.0])
    y = x.zero_()
    return {"x": x, "same": y is x}


# ======================================================================================
# 2. Arithmetic: values, dtypes, gradients
# ======================================================================================


@case
def add_tensors_grad_is_one(t):
    a = t.tensor([1.0, 2.0], requires_grad=True)
    b = t.tensor([3.0, 4.0], requires_grad=True)
    c = a + b
    c.sum().backward()
    return {"c": c, "grad_fn": name(c.grad_fn), "a_grad": a.grad, "b_grad": b.grad}


@case
def add_python_number_on_either_side(t):
    a = t.tensor([1.0, 2.0], requires_grad=True)
    left = 10 + a
    right = a + 10
    (left + right).sum().backward()
    return {"left": left, "right": right, "a_grad": a.grad, "name": name(left.grad_fn)}


@case
def sub_tensors_grad_is_one_and_minus_one(t):
    a = t.tensor([5.0, 6.0], requires_grad=True)
    b = t.tensor([1.0, 2.0], requires_grad=True)
    c = a - b
    c.sum().backward()
    return {"c": c, "grad_fn": name(c.grad_fn), "a_grad": a.grad, "b_grad": b.grad}


@case
def add_and_sub_with_alpha_are_one_node(t):
    a = t.tensor([1.0, 2.0], requires_grad=True)
    b = t.tensor([3.0, 4.0], requires_grad=True)
    c = a.add(b, alpha=2)
    d = a.sub(b, alpha=0.5)
    (c + d).sum().backward()
    return {
        "c": c,
        "d": d,
        "names": (name(c.grad_fn), name(d.grad_fn)),
        "graph": graph(c.grad_fn),
        "a_grad": a.grad,
        "b_grad": b.grad,
    }


@case
def add_alpha_broadcast_and_in_place(t):
    a = t.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    b = t.tensor([10.0, 20.0], requires_grad=True)
    c = a.add(b, alpha=-3)
    c.sum().backward()
    p = t.tensor([1.0, 2.0, 3.0])
    p.add_(t.tensor([0.5, 0.5, 0.5]), alpha=-0.1)
    q = t.tensor([1.0, 2.0, 3.0])
    q.sub_(t.tensor([1.0, 1.0, 1.0]), alpha=2)
    return {"c": c, "a_grad": a.grad, "b_grad": b.grad, "p": p, "q": q, "p_version": p._version}


@case
def add_float_alpha_to_integer_tensors_raises(t):
    x = t.tensor([1, 2])
    return {
        "error": raises(lambda: x.add(t.tensor([1, 2]), alpha=0.5)),
        "int_alpha": x.add(t.tensor([1, 2]), alpha=3),
    }


@case
def rsub_python_number(t):
    a = t.tensor([1.0, 2.0], requires_grad=True)
    c = 10 - a
    c.sum().backward()
    return {"c": c, "grad_fn": name(c.grad_fn), "a_grad": a.grad, "sub_right": a - 1}


@case
def mul_tensors_grad_is_other(t):
    a = t.tensor([2.0, 3.0], requires_grad=True)
    b = t.tensor([4.0, 5.0], requires_grad=True)
    c = a * b
    c.sum().backward()
    return {"c": c, "grad_fn": name(c.grad_fn), "a_grad": a.grad, "b_grad": b.grad}


@case
def mul_python_number_on_either_side(t):
    a = t.tensor([2.0, 3.0], requires_grad=True)
    c = 3 * a * 2
    c.sum().backward()
    return {"c": c, "grad_fn": name(c.grad_fn), "a_grad": a.grad}


@case
def div_tensors_grad(t):
    a = t.tensor([1.0, 6.0], requires_grad=True)
    b = t.tensor([2.0, 3.0], requires_grad=True)
    c = a / b
    c.sum().backward()
    return {"c": c, "grad_fn": name(c.grad_fn), "a_grad": a.grad, "b_grad": b.grad}


@case
def div_by_python_number(t):
    a = t.tensor([1.0, 6.0], requires_grad=True)
    c = a / 4
    c.sum().backward()
    return {"c": c, "grad_fn": name(c.grad_fn), "a_grad": a.grad}


@case
def rdiv_python_number(t):
    a = t.tensor([1.0, 4.0], requires_grad=True)
    c = 2 / a
    c.sum().backward()
    return {"c": c, "grad_fn": name(c.grad_fn), "a_grad": a.grad}


@case
def div_by_zero_gives_inf_and_nan(t):
    a = t.tensor([1.0, -1.0, 0.0], requires_grad=True)
    c = a / t.tensor([0.0, 0.0, 0.0])
    c.sum().backward()
    return {"c": c, "a_grad": a.grad}


@case
def nan_and_inf_results_emit_no_warnings(t):
    # torch returns inf/nan silently: no RuntimeWarning for a notebook to show.
    zero = t.tensor([0.0, 1.0])
    return {
        "div": warns(lambda: t.tensor([1.0, 0.0]) / zero),
        "log": warns(lambda: zero.log()),
        "sqrt": warns(lambda: (zero - 1).sqrt()),
        "mean_empty": warns(lambda: t.tensor([]).mean()),
        "pow": warns(lambda: t.tensor([-8.0]) ** 0.5),
        "sum_inf_minus_inf": warns(lambda: t.tensor([float("inf"), float("-inf")]).sum()),
    }


@case
def pow_python_exponent_grad(t):
    a = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
    c = a**2
    c.sum().backward()
    return {"c": c, "grad_fn": name(c.grad_fn), "a_grad": a.grad}


@case
def pow_fractional_exponent_grad(t):
    a = t.tensor([4.0, 9.0], requires_grad=True)
    c = a**0.5
    c.sum().backward()
    return {"c": c, "a_grad": a.grad}


@case
def pow_negative_exponent_grad(t):
    a = t.tensor([1.0, 2.0], requires_grad=True)
    c = a**-1
    c.sum().backward()
    return {"c": c, "a_grad": a.grad}


@case
def pow_zero_exponent_grad_is_zero(t):
    a = t.tensor([0.0, 2.0], requires_grad=True)
    c = a**0
    c.sum().backward()
    return {"c": c, "a_grad": a.grad}


@case
def pow_square_at_zero_grad_is_zero(t):
    a = t.tensor([0.0], requires_grad=True)
    (a**2).sum().backward()
    return {"a_grad": a.grad}


@case
def pow_sqrt_at_zero_grad_is_inf(t):
    a = t.tensor([0.0], requires_grad=True)
    (a**0.5).sum().backward()
    return {"a_grad": a.grad}


@case
def pow_negative_base_fractional_exponent_is_nan(t):
    return {"c": t.tensor([-8.0, 8.0]) ** (1 / 3)}


@case
def pow_tensor_exponent_grads_both(t):
    a = t.tensor([2.0, 3.0], requires_grad=True)
    b = t.tensor([3.0, 2.0], requires_grad=True)
    c = a**b
    c.sum().backward()
    return {"c": c, "grad_fn": name(c.grad_fn), "a_grad": a.grad, "b_grad": b.grad}


@case
def pow_python_base_tensor_exponent(t):
    b = t.tensor([0.0, 1.0, 3.0], requires_grad=True)
    c = 2**b
    c.sum().backward()
    return {"c": c, "grad_fn": name(c.grad_fn), "b_grad": b.grad}


@case
def neg_grad_is_minus_one(t):
    a = t.tensor([1.0, -2.0], requires_grad=True)
    c = -a
    c.sum().backward()
    return {"c": c, "grad_fn": name(c.grad_fn), "a_grad": a.grad}


@case
def same_tensor_twice_add_grad_is_two(t):
    a = t.tensor(3.0, requires_grad=True)
    b = a + a
    b.backward()
    return {"b": b, "a_grad": a.grad}


@case
def same_tensor_twice_mul_grad_is_two_a(t):
    a = t.tensor(3.0, requires_grad=True)
    b = a * a
    b.backward()
    return {"b": b, "a_grad": a.grad}


@case
def int_tensor_arithmetic_keeps_int64(t):
    a = t.tensor([1, 2, 3])
    return {"add": a + 1, "mul": a * a, "pow": a**2, "neg": -a, "sub": 10 - a}


@case
def int_true_division_gives_float32(t):
    return {"div": t.tensor([1, 2]) / t.tensor([2, 2]), "div_scalar": t.tensor([3]) / 2}


@case
def int_tensor_plus_python_float_gives_float32(t):
    return {"a": t.tensor([1, 2]) + 0.5, "b": 1.5 * t.tensor([2])}


@case
def float32_with_float64_promotes_to_float64(t):
    a = t.tensor([1.0], dtype=t.float32)
    b = t.tensor([2.0], dtype=t.float64)
    return {"sum": a + b, "prod": b * a}


@case
def float64_with_python_float_stays_float64(t):
    return {"x": t.tensor([1.0], dtype=t.float64) * 0.1}


@case
def int64_with_float64_tensor_gives_float64(t):
    return {"x": t.tensor([1, 2]) + t.tensor([0.5, 0.5], dtype=t.float64)}


@case
def float32_with_int_tensor_gives_float32(t):
    return {"x": t.tensor([1.5]) * t.tensor([2])}


@case
def zero_dim_tensor_does_not_upcast_vector(t):
    # A 0-d float64 tensor does not promote a float32 vector (same category).
    return {"x": t.tensor([1.0, 2.0]) * t.tensor(2.0, dtype=t.float64)}


@case
def bool_tensor_times_float_tensor(t):
    return {"x": t.tensor([1.5, 2.5]) * t.tensor([True, False])}


# --------------------------------------------------------------------------------------
# Broadcasting: the gradient is summed back to each input's shape
# --------------------------------------------------------------------------------------


@case
def mul_broadcast_grad_sums_back_to_row(t):
    a = t.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    b = t.tensor([10.0, 20.0, 30.0], requires_grad=True)
    c = a * b
    c.sum().backward()
    return {"c": c, "a_grad": a.grad, "b_grad": b.grad}


@case
def add_broadcast_column_and_row(t):
    col = t.tensor([[1.0], [2.0]], requires_grad=True)
    row = t.tensor([[10.0, 20.0, 30.0]], requires_grad=True)
    c = col + row
    (c * c).sum().backward()
    return {"c": c, "col_grad": col.grad, "row_grad": row.grad}


@case
def add_broadcast_zero_dim_tensor(t):
    s = t.tensor(2.0, requires_grad=True)
    v = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
    c = v * s
    c.sum().backward()
    return {"c": c, "s_grad": s.grad, "v_grad": v.grad}


@case
def sub_broadcast_leading_dims(t):
    a = t.ones(2, 3, 4, requires_grad=True)
    b = t.ones(3, 1, requires_grad=True)
    c = a - b
    c.sum().backward()
    return {"shape": tuple(c.shape), "a_grad_sum": a.grad.sum(), "b_grad": b.grad}


@case
def div_broadcast_grad_of_denominator(t):
    a = t.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    b = t.tensor([[2.0], [4.0]], requires_grad=True)
    c = a / b
    c.sum().backward()
    return {"c": c, "a_grad": a.grad, "b_grad": b.grad}


@case
def broadcast_size_one_dims_keep_shape(t):
    a = t.tensor([[1.0, 2.0, 3.0]], requires_grad=True)  # (1, 3)
    b = t.tensor([[1.0], [2.0]], requires_grad=True)  # (2, 1)
    (a * b).sum().backward()
    return {"a_grad": a.grad, "b_grad": b.grad}


@case
def broadcast_mismatch_raises(t):
    return {"error": raises(lambda: t.ones(2, 3) + t.ones(2))}


@case
def broadcast_mismatch_message_names_dimension(t):
    return {"error": raises(lambda: t.ones(4, 3, 2) * t.ones(5, 1))}


@case
def broadcast_mismatch_of_mixed_dtypes_raises(t):
    return {"error": raises(lambda: t.ones(3, dtype=t.float64) * t.ones(4))}


@case
def broadcast_of_a_0d_tensor_and_a_wrapped_number(t):
    x = t.tensor(2.0, requires_grad=True)
    y = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
    ((x * y) * 3 + (y * x - 1.5)).sum().backward()
    return {"x_grad": x.grad, "y_grad": y.grad}


# ======================================================================================
# 3. Matrix multiplication
# ======================================================================================


@case
def matmul_2d_values_and_grads(t):
    a = t.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    b = t.tensor([[5.0, 6.0, 7.0], [8.0, 9.0, 10.0]], requires_grad=True)
    c = a @ b
    c.sum().backward()
    return {"c": c, "grad_fn": name(c.grad_fn), "a_grad": a.grad, "b_grad": b.grad}


@case
def matmul_method_and_function_agree(t):
    a = t.tensor([[1.0, 2.0], [3.0, 4.0]])
    b = t.tensor([[1.0], [1.0]])
    return {"method": a.matmul(b), "function": t.matmul(a, b), "operator": a @ b}


@case
def matmul_1d_by_2d(t):
    v = t.tensor([1.0, 2.0], requires_grad=True)
    m = t.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    c = v @ m
    c.sum().backward()
    return {"c": c, "grad_fn": name(c.grad_fn), "v_grad": v.grad, "m_grad": m.grad}


@case
def matmul_2d_by_1d(t):
    m = t.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)
    v = t.tensor([1.0, -1.0], requires_grad=True)
    c = m @ v
    c.sum().backward()
    return {"c": c, "grad_fn": name(c.grad_fn), "v_grad": v.grad, "m_grad": m.grad}


@case
def matmul_1d_by_1d_is_dot(t):
    a = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = t.tensor([4.0, 5.0, 6.0], requires_grad=True)
    c = a @ b
    c.backward()
    return {"c": c, "grad_fn": name(c.grad_fn), "a_grad": a.grad, "b_grad": b.grad}


@case
def matmul_batched_3d(t):
    a = t.tensor([[[1.0, 2.0]], [[3.0, 4.0]]], requires_grad=True)  # (2, 1, 2)
    b = t.tensor([[[1.0], [1.0]], [[2.0], [0.5]]], requires_grad=True)  # (2, 2, 1)
    c = a @ b
    c.sum().backward()
    return {"c": c, "grad_fn": name(c.grad_fn), "a_grad": a.grad, "b_grad": b.grad}


@case
def matmul_batched_broadcasts_matrix(t):
    a = t.tensor([[[1.0, 2.0]], [[3.0, 4.0]]], requires_grad=True)  # (2, 1, 2)
    w = t.tensor([[1.0, 0.0], [0.0, 2.0]], requires_grad=True)  # (2, 2)
    c = a @ w
    c.sum().backward()
    return {"c": c, "a_grad": a.grad, "w_grad": w.grad}


@case
def matmul_int_tensors(t):
    return {"c": t.tensor([[1, 2], [3, 4]]) @ t.tensor([[1], [1]])}


@case
def matmul_shape_mismatch_raises(t):
    return {"error": raises(lambda: t.ones(2, 3) @ t.ones(2, 3))}


@case
def matmul_1d_length_mismatch_raises(t):
    return {"error": raises(lambda: t.ones(3) @ t.ones(2))}


# ======================================================================================
# 4. Elementwise functions
# ======================================================================================


@case
def exp_value_and_grad(t):
    x = t.tensor([0.0, 1.0, -1.0], requires_grad=True)
    y = x.exp()
    y.sum().backward()
    return {"y": y, "grad_fn": name(y.grad_fn), "x_grad": x.grad}


@case
def log_value_and_grad(t):
    x = t.tensor([1.0, 2.0, 0.5], requires_grad=True)
    y = x.log()
    y.sum().backward()
    return {"y": y, "grad_fn": name(y.grad_fn), "x_grad": x.grad}


@case
def log_of_zero_and_negative(t):
    x = t.tensor([0.0, -1.0], requires_grad=True)
    y = x.log()
    y.sum().backward()
    return {"y": y, "x_grad": x.grad}


@case
def sin_value_and_grad(t):
    x = t.tensor([0.0, 1.0, 3.0], requires_grad=True)
    y = x.sin()
    y.sum().backward()
    return {"y": y, "grad_fn": name(y.grad_fn), "x_grad": x.grad}


@case
def cos_value_and_grad(t):
    x = t.tensor([0.0, 1.0, 3.0], requires_grad=True)
    y = x.cos()
    y.sum().backward()
    return {"y": y, "grad_fn": name(y.grad_fn), "x_grad": x.grad}


@case
def tanh_value_and_grad(t):
    x = t.tensor([0.0, 0.5, -2.0, 20.0], requires_grad=True)
    y = x.tanh()
    y.sum().backward()
    return {"y": y, "grad_fn": name(y.grad_fn), "x_grad": x.grad}


@case
def sigmoid_value_and_grad(t):
    x = t.tensor([0.0, 2.0, -2.0, -100.0], requires_grad=True)
    y = x.sigmoid()
    y.sum().backward()
    return {"y": y, "grad_fn": name(y.grad_fn), "x_grad": x.grad}


@case
def relu_value_and_grad(t):
    x = t.tensor([-1.0, 0.0, 2.0], requires_grad=True)
    y = x.relu()
    y.sum().backward()
    return {"y": y, "grad_fn": name(y.grad_fn), "x_grad": x.grad}


@case
def relu_grad_at_zero_is_zero(t):
    x = t.tensor(0.0, requires_grad=True)
    x.relu().backward()
    return {"x_grad": x.grad}


@case
def relu_backward_gives_exact_zeros_where_inactive(t):
    # threshold_backward: 0 where y <= 0 even for an inf or negative gradient; nan input passes it on
    x = t.tensor([-1.0, 0.0, 2.0, float("nan")], requires_grad=True)
    y = x.relu()
    y.backward(t.tensor([float("inf"), -3.0, 5.0, 7.0]))
    return {"x_grad": x.grad, "signbits": [math.copysign(1.0, v) for v in x.grad.tolist()]}


@case
def relu_double_backward_graph(t):
    x = t.tensor([-1.0, 2.0], requires_grad=True)
    (g,) = t.autograd.grad(x.relu().sum(), x, create_graph=True)
    (gg,) = t.autograd.grad(g.sum(), x)
    return {"g": g.detach(), "requires_grad": g.requires_grad, "graph": graph(g.grad_fn), "gg": gg}


@case
def sqrt_value_and_grad(t):
    x = t.tensor([1.0, 4.0, 0.25], requires_grad=True)
    y = x.sqrt()
    y.sum().backward()
    return {"y": y, "grad_fn": name(y.grad_fn), "x_grad": x.grad}


@case
def sqrt_of_zero_and_negative(t):
    x = t.tensor([0.0, -1.0], requires_grad=True)
    y = x.sqrt()
    y.sum().backward()
    return {"y": y, "x_grad": x.grad}


@case
def abs_value_and_grad(t):
    x = t.tensor([-2.0, 0.0, 3.0], requires_grad=True)
    y = x.abs()
    y.sum().backward()
    return {"y": y, "grad_fn": name(y.grad_fn), "x_grad": x.grad}


@case
def abs_of_int_tensor(t):
    return {"y": t.tensor([-3, 0, 2]).abs()}


@case
def clamp_min_max_value_and_grad(t):
    x = t.tensor([-2.0, 0.5, 3.0], requires_grad=True)
    y = x.clamp(0.0, 1.0)
    y.sum().backward()
    return {"y": y, "grad_fn": name(y.grad_fn), "x_grad": x.grad}


@case
def clamp_only_min_or_only_max(t):
    x = t.tensor([-2.0, 0.5, 3.0], requires_grad=True)
    lo = x.clamp(min=0)
    hi = x.clamp(max=1)
    (lo + hi).sum().backward()
    return {
        "lo": lo,
        "hi": hi,
        "lo_name": name(lo.grad_fn),
        "hi_name": name(hi.grad_fn),
        "x_grad": x.grad,
    }


@case
def clamp_grad_at_the_bound_is_one(t):
    x = t.tensor([0.0, 1.0], requires_grad=True)
    x.clamp(0.0, 1.0).sum().backward()
    return {"x_grad": x.grad}


@case
def clamp_int_tensor_stays_int(t):
    return {"y": t.tensor([-5, 0, 5]).clamp(-1, 1)}


@case
def clamp_without_bounds_raises(t):
    return {"error": raises(lambda: t.tensor([1.0]).clamp())}


@case
def functional_forms_match_methods(t):
    x = t.tensor([-1.0, 0.5, 2.0])
    return {
        "exp": t.exp(x),
        "log": t.log(t.abs(x)),
        "sin": t.sin(x),
        "cos": t.cos(x),
        "tanh": t.tanh(x),
        "sigmoid": t.sigmoid(x),
        "relu": t.relu(x),
        "sqrt": t.sqrt(t.abs(x)),
        "abs": t.abs(x),
        "clamp": t.clamp(x, min=0.0, max=1.0),
    }


@case
def functional_forms_have_same_grad_fn(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    return {
        "exp": name(t.exp(x).grad_fn),
        "relu": name(t.relu(x).grad_fn),
        "sigmoid": name(t.sigmoid(x).grad_fn),
        "tanh": name(t.tanh(x).grad_fn),
        "sum": name(t.sum(x).grad_fn),
        "mean": name(t.mean(x).grad_fn),
    }


@case
def unary_ops_on_int_tensor_give_float(t):
    x = t.tensor([0, 1])
    return {"exp": x.exp(), "sqrt": x.sqrt(), "sigmoid": x.sigmoid(), "relu": x.relu()}


@case
def elementwise_chain_rule(t):
    x = t.tensor([0.5, 1.0], requires_grad=True)
    y = (x.sin() * x.exp()).tanh()
    y.sum().backward()
    return {"y": y, "x_grad": x.grad}


# ======================================================================================
# 5. Reductions
# ======================================================================================


@case
def sum_all_gives_zero_dim(t):
    x = t.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    s = x.sum()
    s.backward()
    return {"s": s, "grad_fn": name(s.grad_fn), "x_grad": x.grad}


@case
def sum_dim_and_keepdim(t):
    x = t.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    s0 = x.sum(0)
    s1 = x.sum(dim=1, keepdim=True)
    (s0.sum() + (s1 * 2).sum()).backward()
    return {"s0": s0, "s1": s1, "name": name(s0.grad_fn), "x_grad": x.grad}


@case
def sum_negative_dim(t):
    x = t.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    return {"last": x.sum(-1), "first": x.sum(-2)}


@case
def sum_tuple_of_dims(t):
    x = t.arange(24.0).reshape(2, 3, 4).requires_grad_()
    s = x.sum((0, 2))
    s.backward(t.tensor([1.0, 2.0, 3.0]))
    return {"s": s, "name": name(s.grad_fn), "x_grad_row": x.grad[1, :, 0]}


@case
def sum_of_int_and_bool_is_int64(t):
    return {"int": t.tensor([1, 2, 3]).sum(), "bool": t.tensor([True, True, False]).sum()}


@case
def sum_dim_out_of_range_raises(t):
    return {"error": raises(lambda: t.ones(2, 3).sum(2))}


@case
def mean_all_grad_is_one_over_n(t):
    x = t.tensor([[1.0, 2.0], [3.0, 5.0]], requires_grad=True)
    m = x.mean()
    m.backward()
    return {"m": m, "grad_fn": name(m.grad_fn), "x_grad": x.grad}


@case
def mean_dim_keepdim_and_negative(t):
    x = t.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    m = x.mean(dim=-1, keepdim=True)
    m.sum().backward()
    return {"m": m, "grad_fn": name(m.grad_fn), "x_grad": x.grad, "dim0": x.mean(0)}


@case
def mean_tuple_of_dims(t):
    x = t.arange(8.0).reshape(2, 2, 2)
    return {"m": x.mean((0, 1)), "all": x.mean((0, 1, 2))}


@case
def mean_of_int_tensor_raises(t):
    return {"error": raises(lambda: t.tensor([1, 2]).mean())}


@case
def mean_of_empty_is_nan(t):
    return {"m": t.tensor([]).mean()}


@case
def max_whole_tensor_value_and_grad(t):
    x = t.tensor([[1.0, 5.0], [3.0, 2.0]], requires_grad=True)
    m = x.max()
    m.backward()
    return {"m": m, "grad_fn": name(m.grad_fn), "x_grad": x.grad}


@case
def max_whole_tensor_ties_split_gradient_evenly(t):
    x = t.tensor([1.0, 3.0, 3.0, 3.0], requires_grad=True)
    x.max().backward()
    return {"x_grad": x.grad}


@case
def max_dim_returns_values_and_indices(t):
    x = t.tensor([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]], requires_grad=True)
    r = x.max(dim=1)
    values, indices = x.max(1)
    return {
        "values": r.values,
        "indices": r.indices,
        "unpacked_values": values,
        "unpacked_indices": indices,
        "first": r[0],
        "second": r[1],
        "values_name": name(r.values.grad_fn),
        "indices_requires_grad": r.indices.requires_grad,
        "len": len(r),
    }


@case
def max_dim_grad_goes_to_returned_index(t):
    x = t.tensor([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]], requires_grad=True)
    x.max(dim=0).values.sum().backward()
    return {"x_grad": x.grad}


@case
def max_dim_ties_pick_first_index_and_get_whole_gradient(t):
    x = t.tensor([[2.0, 3.0, 3.0]], requires_grad=True)
    r = x.max(dim=1)
    r.values.sum().backward()
    return {"indices": r.indices, "x_grad": x.grad}


@case
def max_dim_keepdim_and_negative_dim(t):
    x = t.tensor([[1.0, 5.0], [7.0, 0.0]])
    r = x.max(dim=-1, keepdim=True)
    return {"values": r.values, "indices": r.indices}


@case
def max_functional_form(t):
    x = t.tensor([[1.0, 5.0], [7.0, 0.0]])
    return {"all": t.max(x), "dim_values": t.max(x, dim=0).values, "dim_idx": t.max(x, 0)[1]}


@case
def max_of_int_tensor(t):
    return {"all": t.tensor([3, 9, 2]).max(), "dim": t.tensor([[3, 9, 2]]).max(1).indices}


@case
def max_of_empty_raises(t):
    return {"error": raises(lambda: t.tensor([]).max())}


# ======================================================================================
# 6. Shapes, views, indexing
# ======================================================================================


@case
def reshape_value_and_grad(t):
    x = t.arange(6.0).requires_grad_()
    y = x.reshape(2, 3)
    (y * t.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])).sum().backward()
    return {"y": y, "grad_fn": name(y.grad_fn), "x_grad": x.grad}


@case
def reshape_accepts_tuple_and_minus_one(t):
    x = t.arange(12)
    return {
        "tuple": tuple(x.reshape((3, 4)).shape),
        "minus_one": tuple(x.reshape(-1, 6).shape),
        "flat": tuple(x.reshape(2, 6).reshape(-1).shape),
    }


@case
def reshape_wrong_size_raises(t):
    return {"error": raises(lambda: t.arange(6).reshape(4, 2))}


@case
def view_shares_storage(t):
    x = t.zeros(4)
    v = x.view(2, 2)
    v.add_(1)
    return {"x": x, "v": v}


@case
def view_grad_fn(t):
    x = t.arange(4.0).requires_grad_()
    v = x.view(2, 2)
    (v * v).sum().backward()
    return {"v": v, "grad_fn": name(v.grad_fn), "x_grad": x.grad}


@case
def view_of_transposed_raises(t):
    x = t.zeros(2, 3)
    return {"error": raises(lambda: x.T.view(6))}


@case
def reshape_of_transposed_copies(t):
    x = t.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    y = x.T.reshape(6)
    (y * t.arange(6.0)).sum().backward()
    return {"y": y, "grad_fn": name(y.grad_fn), "x_grad": x.grad}


@case
def T_property_value_and_grad(t):
    x = t.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    y = x.T
    (y * t.tensor([[1.0, 0.0], [0.0, 1.0], [2.0, 2.0]])).sum().backward()
    return {"y": y, "grad_fn": name(y.grad_fn), "x_grad": x.grad}


@case
def transpose_value_and_grad(t):
    x = t.arange(6.0).reshape(1, 2, 3).requires_grad_()
    y = x.transpose(0, 2)
    y.sum().backward()
    return {"y": y, "grad_fn": name(y.grad_fn), "shape": tuple(y.shape), "x_grad": x.grad}


@case
def transpose_negative_dims(t):
    x = t.arange(6).reshape(2, 3)
    return {"y": x.transpose(-1, -2), "f": t.transpose(x, 0, 1)}


@case
def transpose_shares_storage(t):
    x = t.zeros(2, 2)
    x.transpose(0, 1)[0].add_(1)  # column 0 of x
    return {"x": x}


@case
def unsqueeze_value_and_grad(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    a = x.unsqueeze(0)
    b = x.unsqueeze(-1)
    (a * b).sum().backward()
    return {
        "a": a,
        "b": b,
        "grad_fn": name(a.grad_fn),
        "ab": a * b,
        "x_grad": x.grad,
        "f": t.unsqueeze(x, 1).shape == (2, 1),
    }


@case
def squeeze_all_and_one_dim(t):
    x = t.ones(1, 2, 1, requires_grad=True)
    a = x.squeeze()
    b = x.squeeze(0)
    c = x.squeeze(1)  # size 2: no-op
    d = x.squeeze(-1)
    (a.sum() + b.sum()).backward()
    return {
        "a": tuple(a.shape),
        "b": tuple(b.shape),
        "c": tuple(c.shape),
        "d": tuple(d.shape),
        "a_name": name(a.grad_fn),
        "b_name": name(b.grad_fn),
        "x_grad": x.grad,
    }


@case
def squeeze_scalar_like(t):
    x = t.tensor([[5.0]])
    return {"y": x.squeeze(), "f": t.squeeze(x)}


@case
def index_integer_selects(t):
    x = t.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    r = x[1]
    r.sum().backward()
    return {"r": r, "grad_fn": name(r.grad_fn), "x_grad": x.grad}


@case
def index_negative_and_pair(t):
    x = t.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    e = x[-1, 0]
    e.backward()
    return {"e": e, "last": x[-1], "grad_fn": name(e.grad_fn), "x_grad": x.grad}


@case
def slice_rows_and_step(t):
    x = t.arange(6.0).requires_grad_()
    s = x[1:4]
    e = x[::2]
    (s.sum() + 10 * e.sum()).backward()
    return {"s": s, "e": e, "grad_fn": name(s.grad_fn), "x_grad": x.grad}


@case
def slice_column(t):
    x = t.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    c = x[:, 1]
    c2 = x[:, 1:]
    (c.sum() + c2.sum()).backward()
    return {"c": c, "c2": c2, "c_name": name(c.grad_fn), "x_grad": x.grad}


@case
def slice_out_of_range_is_empty(t):
    x = t.arange(3)
    return {"s": x[5:], "clip": x[1:100]}


@case
def index_list_gathers_and_accumulates_repeats(t):
    x = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
    g = x[[0, 0, 2]]
    g.sum().backward()
    return {"g": g, "grad_fn": name(g.grad_fn), "x_grad": x.grad}


@case
def index_with_int_tensor(t):
    x = t.tensor([10.0, 20.0, 30.0], requires_grad=True)
    g = x[t.tensor([2, 1])]
    g.sum().backward()
    return {"g": g, "x_grad": x.grad}


@case
def index_bool_mask(t):
    x = t.tensor([-1.0, 2.0, -3.0, 4.0], requires_grad=True)
    pos = x[x > 0]
    pos.sum().backward()
    return {"pos": pos, "grad_fn": name(pos.grad_fn), "x_grad": x.grad}


@case
def index_out_of_range_raises(t):
    x = t.arange(3)
    return {"error": raises(lambda: x[5]), "neg": raises(lambda: x[-4])}


@case
def index_zero_dim_raises(t):
    # The tail of torch's message gives C++ advice (`tensor.item<T>()`): not compared.
    return {"error": raises(lambda: t.tensor(1.0)[0], upto=". Use")}


@case
def index_shares_storage(t):
    x = t.zeros(2, 2)
    x[0].add_(5)
    x[:, 1].add_(1)
    return {"x": x}


@case
def setitem_under_no_grad(t):
    x = t.zeros(3)
    x[1] = 5.0
    x[x == 0] = -1.0
    return {"x": x}


# ======================================================================================
# 7. Comparisons
# ======================================================================================


@case
def comparisons_give_bool_without_grad(t):
    x = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = t.tensor([3.0, 2.0, 1.0])
    gt = x > y
    return {
        "gt": gt,
        "lt": x < y,
        "ge": x >= 2,
        "le": x <= 2,
        "eq": x == y,
        "ne": x != 2,
        "requires_grad": gt.requires_grad,
        "grad_fn": gt.grad_fn,
        "is_leaf": gt.is_leaf,
    }


@case
def comparisons_broadcast(t):
    return {"c": t.tensor([[1], [2]]) < t.tensor([1, 2, 3])}


@case
def comparison_with_scalar_on_left(t):
    return {"c": 2 < t.tensor([1, 2, 3]), "d": 2.0 == t.tensor([2.0, 3.0])}


@case
def bool_mask_sum_counts(t):
    x = t.tensor([0.5, -1.0, 2.0])
    return {"count": (x > 0).sum(), "item": (x > 0).sum().item()}


# ======================================================================================
# 8. In-place operations
# ======================================================================================


@case
def iadd_on_non_leaf_keeps_object_and_records_op(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y_id = id(y)
    y += 1
    y.sum().backward()
    return {"y": y, "same": id(y) == y_id, "grad_fn": name(y.grad_fn), "x_grad": x.grad}


@case
def isub_imul_idiv_on_non_leaf(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    y = x + 0
    y -= 1
    a = name(y.grad_fn)
    y *= 3
    b = name(y.grad_fn)
    y /= 2
    c = name(y.grad_fn)
    y.sum().backward()
    return {"y": y, "names": (a, b, c), "x_grad": x.grad}


@case
def imul_by_itself_breaks_backward(t):
    x = t.tensor([3.0], requires_grad=True)
    y = x * 1
    y *= y  # MulBackward0 saved y, then the same op modified y
    return {"y": y, "error": raises(lambda: y.backward(), upto="Hint:")}


@case
def inplace_methods_add_mul_clamp_zero(t):
    x = t.tensor([-1.0, 0.5, 3.0], requires_grad=True)
    y = x * 1
    r1 = y.add_(1)
    n1 = name(y.grad_fn)
    y.mul_(2)
    n2 = name(y.grad_fn)
    y.clamp_(0, 4)
    n3 = name(y.grad_fn)
    y.sum().backward()
    return {"y": y, "same": r1 is y, "names": (n1, n2, n3), "x_grad": x.grad}


@case
def inplace_add_with_tensor_grad_flows_to_both(t):
    a = t.tensor([1.0, 2.0], requires_grad=True)
    b = t.tensor([3.0, 4.0], requires_grad=True)
    y = a * 1
    y.add_(b * b)
    y.sum().backward()
    return {"y": y, "a_grad": a.grad, "b_grad": b.grad}


@case
def zero_inplace_on_non_leaf_kills_gradient(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    y.zero_()
    (y + x).sum().backward()
    return {"y": y, "grad_fn": name(y.grad_fn), "x_grad": x.grad}


@case
def inplace_on_leaf_requiring_grad_raises(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)

    def iadd():
        nonlocal x
        x += 1

    return {
        "iadd": raises(iadd),
        "add_": raises(lambda: x.add_(1)),
        "mul_": raises(lambda: x.mul_(2)),
        "zero_": raises(lambda: x.zero_()),
        "x": x,
    }


@case
def inplace_on_leaf_allowed_under_no_grad(t):
    w = t.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    with t.no_grad():
        w -= 0.1 * w.grad
    return {"w": w, "is_leaf": w.is_leaf, "grad_fn": w.grad_fn, "requires_grad": w.requires_grad}


@case
def inplace_on_plain_tensor(t):
    x = t.tensor([1.0, 2.0])
    x += 1
    x *= 3
    x -= 1
    x /= 2
    return {"x": x, "is_leaf": x.is_leaf}


@case
def inplace_float_into_int_raises(t):
    x = t.tensor([1, 2])

    def iadd():
        nonlocal x
        x += 0.5

    return {"error": raises(iadd), "x": x}


@case
def inplace_int_into_float_ok(t):
    x = t.tensor([1.0, 2.0])
    x += t.tensor([1, 1])
    return {"x": x}


@case
def inplace_broadcast_into_smaller_raises(t):
    return {"error": raises(lambda: t.zeros(3).add_(t.ones(2, 3)))}


@case
def inplace_on_saved_tensor_breaks_backward(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    z = y * y  # MulBackward0 saves y
    y.add_(1)
    return {"error": raises(lambda: z.sum().backward(), upto="Hint:")}


@case
def inplace_on_saved_output_breaks_backward(t):
    x = t.tensor([0.0, 1.0], requires_grad=True)
    s = x.sigmoid()  # SigmoidBackward0 saves its output
    s.mul_(2)
    return {"error": raises(lambda: s.sum().backward(), upto="Hint:")}


@case
def inplace_on_saved_plain_tensor_breaks_backward(t):
    # A saved tensor without grad_fn: the message has no "which is output ... of" part.
    x = t.tensor([1.0, 2.0], requires_grad=True)
    w = t.tensor([3.0, 4.0])
    y = x * w  # MulBackward0 saves w
    w.add_(1)
    w64 = t.tensor([3.0, 4.0], dtype=t.float64)
    y64 = x * w64
    w64.add_(1)
    return {
        "float32": raises(lambda: y.sum().backward(), upto="Hint:"),
        "float64": raises(lambda: y64.sum().backward(), upto="Hint:"),
    }


@case
def inplace_error_names_the_node_and_2d_shape(t):
    # y is saved by ExpBackward0 as its output; tanh saves its own output, not y.
    x = t.tensor([[1.0, 2.0]], requires_grad=True)
    y = x.exp()
    z = y.tanh()
    y.mul_(2)
    return {"error": raises(lambda: z.sum().backward(), upto="Hint:")}


@case
def inplace_twice_reports_version(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    y.add_(1)
    y.add_(1)
    return {"error": raises(lambda: y.sum().backward(), upto="Hint:")}


@case
def inplace_on_unsaved_tensor_is_fine(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    y = x + 1  # AddBackward0 saves nothing
    y.mul_(3)
    y.sum().backward()
    return {"x_grad": x.grad}


# ======================================================================================
# 9. Softmax and log-softmax
# ======================================================================================


@case
def softmax_values_and_grad_fn(t):
    x = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
    s = x.softmax(0)
    return {"s": s, "sum": s.sum(), "grad_fn": name(s.grad_fn)}


@case
def softmax_grad_through_weighted_sum(t):
    x = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
    s = t.softmax(x, dim=0)
    (s * t.tensor([1.0, 0.0, 0.0])).sum().backward()
    return {"x_grad": x.grad}


@case
def softmax_sum_has_zero_grad(t):
    x = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x.softmax(dim=0).sum().backward()
    return {"x_grad": x.grad}


@case
def softmax_2d_rows_and_columns(t):
    x = t.tensor([[1.0, 2.0], [3.0, 5.0]])
    return {"rows": x.softmax(dim=1), "cols": t.softmax(x, dim=0), "neg": x.softmax(-1)}


@case
def softmax_is_stable_for_large_inputs(t):
    return {"s": t.tensor([1000.0, 1001.0, 1002.0]).softmax(0)}


@case
def log_softmax_values_and_grad(t):
    x = t.tensor([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]], requires_grad=True)
    ls = x.log_softmax(dim=1)
    ls[:, 0].sum().backward()
    return {"ls": ls, "grad_fn": name(ls.grad_fn), "x_grad": x.grad}


@case
def log_softmax_functional_and_stable(t):
    x = t.tensor([0.0, -1000.0])
    return {"ls": t.log_softmax(x, dim=0)}


# ======================================================================================
# 10. Printing (what notebooks show)
# ======================================================================================


@case
def repr_one_element_float(t):
    return {"r": repr(t.tensor([4.0])), "s": str(t.tensor([4.0]))}


@case
def repr_requires_grad_suffix(t):
    return {"r": repr(t.tensor([2.0], requires_grad=True))}


@case
def repr_grad_fn_suffix(t):
    x = t.tensor(3.0, requires_grad=True)
    y = x**3 + 15
    return {"r": repr(x**2), "r2": repr(y), "r3": repr(x * 14)}


@case
def repr_four_decimals(t):
    return {
        "a": repr(t.tensor([0.2, 0.4])),
        "b": repr(t.tensor([1.5, 2.0])),
        "c": repr(t.tensor([0.123456, 10.5])),
        "d": repr(t.tensor(1 / 3)),
    }


@case
def repr_integer_valued_floats(t):
    return {
        "a": repr(t.tensor([1.0, 2.0, 30.0])),
        "b": repr(t.tensor(0.0)),
        "c": repr(t.tensor([-0.0, 100.0])),
    }


@case
def repr_scalars_of_each_dtype(t):
    return {
        "float": repr(t.tensor(2.5)),
        "int": repr(t.tensor(3)),
        "bool": repr(t.tensor(True)),
        "f64": repr(t.tensor(2.5, dtype=t.float64)),
    }


@case
def repr_ints(t):
    return {
        "small": repr(t.tensor([1, 2, 3])),
        "neg": repr(t.tensor([-1, 20, 300])),
        "big": repr(t.tensor([1000000, 2])),
    }


@case
def repr_bools(t):
    return {"one": repr(t.tensor([True, False])), "two": repr(t.tensor([[True], [False]]))}


@case
def repr_2d(t):
    return {"r": repr(t.tensor([[1.0, 2.0], [3.0, 4.0]])), "i": repr(t.tensor([[1, 2], [30, 4]]))}


@case
def repr_3d(t):
    return {"r": repr(t.arange(8.0).reshape(2, 2, 2)), "i": repr(t.arange(12).reshape(2, 3, 2))}


@case
def repr_negative_numbers_align(t):
    return {"r": repr(t.tensor([[-1.5, 2.0], [3.25, -4.0]])), "i": repr(t.tensor([-1, 2]))}


@case
def repr_mixed_magnitudes_switch_to_scientific(t):
    return {
        "ratio": repr(t.tensor([1e-5, 1.0])),
        "big_ratio": repr(t.tensor([0.5, 2000.0])),
        "within": repr(t.tensor([0.5, 500.0])),
        "negative": repr(t.tensor([-1e-5, 10.0])),
    }


@case
def repr_large_values(t):
    return {
        "a": repr(t.tensor([1e8, 1.0])),
        "b": repr(t.tensor([123456789.0])),
        "c": repr(t.tensor([1e10])),
        "d": repr(t.tensor([12345.678])),
        "e": repr(t.tensor(1e20)),
    }


@case
def repr_tiny_values(t):
    return {
        "a": repr(t.tensor([1e-10])),
        "b": repr(t.tensor([0.0001, 0.5])),
        "c": repr(t.tensor([0.00001234])),
        "d": repr(t.tensor([1e-10, 0.0])),
    }


@case
def repr_scientific_edges(t):
    return {
        "whole_ratio_999": repr(t.tensor([999.0, 1.0])),
        # 1e-4 in float32 is 9.99999974e-05, just below the 1e-4 threshold
        "float32_1e-4": repr(t.tensor([1e-4])),
        "with_zero": repr(t.tensor([0.5, 1e-5, 0.0])),
        "ratio_1e5": repr(t.tensor([1e-3, 0.5, 100.0])),
        "mixed_sign": repr(t.tensor([123.456, -7.5])),
        "f64_rounding": repr(t.tensor([1.23456789], dtype=t.float64)),
    }


@case
def repr_summarised_2d_float_with_suffix(t):
    return {"r": repr(t.arange(2000.0).reshape(40, 50).requires_grad_())}


@case
def repr_wrapped_2d_with_grad_fn(t):
    return {"r": repr(t.arange(40.0).reshape(2, 20).requires_grad_() * 1)}


@case
def repr_nan_and_inf(t):
    return {
        "a": repr(t.tensor([float("nan"), 1.0, float("inf")])),
        "b": repr(t.tensor([float("-inf"), 0.5])),
        "c": repr(t.tensor(float("nan"))),
        "d": repr(t.tensor([float("nan"), 1e-8, 1e8])),
        "e": repr(t.tensor([float("inf"), 2.0, 3.0])),
    }


@case
def repr_float64_suffix(t):
    return {
        "a": repr(t.tensor([1.0, 2.0], dtype=t.float64)),
        "b": repr(t.tensor([0.1], dtype=t.float64)),
        "c": repr(t.tensor([1.0], dtype=t.float64, requires_grad=True)),
        "d": repr(t.tensor([1.0], dtype=t.float64, requires_grad=True) * 2),
    }


@case
def repr_float64_full_precision_not_shown(t):
    return {"r": repr(t.tensor([1 / 3, 2 / 3], dtype=t.float64))}


@case
def repr_long_tensor_wraps_lines(t):
    return {
        "floats": repr(t.arange(30.0)),
        "ints": repr(t.arange(40)),
        "decimals": repr(t.arange(20.0) / 3),
    }


@case
def repr_long_tensor_with_grad_suffix_wraps(t):
    x = t.arange(20.0).requires_grad_()
    return {"leaf": repr(x), "op": repr(x * 2)}


@case
def repr_suffix_moves_to_new_line_when_too_long(t):
    # The suffixes go on their own line, aligned under "[", when the line would pass 80.
    return {
        "fits_10": repr(t.arange(10.0).requires_grad_()),
        "wraps_11": repr(t.arange(11.0).requires_grad_()),
        "wraps_grad_fn": repr(t.arange(11.0).requires_grad_() * 1),
        "wraps_2d_row": repr(t.arange(12.0).reshape(1, 12).requires_grad_()),
        "dtype_and_grad_fn": repr(t.arange(13, dtype=t.float64).requires_grad_() * 1),
        "2d_short": repr(t.ones(2, 2, requires_grad=True)),
    }


@case
def repr_long_2d_rows_wrap(t):
    return {"r": repr(t.arange(40.0).reshape(2, 20))}


@case
def repr_more_than_1000_elements_summarised(t):
    return {
        "1d": repr(t.arange(2000.0)),
        "2d": repr(t.arange(2000).reshape(40, 50)),
        "exactly_1000_not_summarised": "..." in repr(t.arange(1000)),
        "1001": repr(t.arange(1001)),
    }


@case
def repr_summarised_3d(t):
    return {"r": repr(t.ones(11, 11, 11))}


@case
def repr_summarised_formats_only_the_shown_values(t):
    # The hidden middle value (1e10) does not switch the shown values to scientific.
    x = t.ones(2000)
    x[1000] = 1e10
    y = t.arange(2000.0)
    y[0] = 0.5
    return {"hidden_big": repr(x), "decimal_edge": repr(y)}


@case
def repr_all_nan_or_inf(t):
    return {
        "nan": repr(t.tensor([float("nan"), float("nan")])),
        "inf": repr(t.tensor([float("inf"), float("-inf")])),
        "nan_and_decimal": repr(t.tensor([float("nan"), 0.5])),
        "f64_sci": repr(t.tensor([1e-10, 1.0], dtype=t.float64)),
    }


@case
def repr_misc_scalars_and_small_values(t):
    return {
        "neg_float": repr(t.tensor(-0.5)),
        "neg_int": repr(t.tensor(-3)),
        "scalar_requires_grad": repr(t.tensor(2.0, requires_grad=True)),
        "one_sci": repr(t.tensor([1e-5])),
        "rounds_up": repr(t.tensor([0.00015])),
        "big_whole": repr(t.tensor([12345678.0])),
        "half_even": repr(t.tensor([0.00005, 1.0])),
    }


@case
def repr_int_2d_wraps(t):
    return {"r": repr(t.arange(100).reshape(4, 25)), "neg": repr(-t.arange(30))}


@case
def repr_empty_tensors(t):
    return {
        "float": repr(t.tensor([])),
        "int": repr(t.tensor([], dtype=t.int64)),
        "f64": repr(t.tensor([], dtype=t.float64)),
        "2x0": repr(t.zeros(2, 0)),
        "0x3": repr(t.zeros(0, 3)),
        "bool": repr(t.tensor([], dtype=t.bool)),
    }


@case
def repr_empty_tensor_with_grad(t):
    return {"r": repr(t.zeros(0, requires_grad=True))}


@case
def repr_grad_after_backward(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()
    return {"grad": repr(x.grad)}


@case
def repr_column_vector_and_row(t):
    return {"col": repr(t.tensor([[1.0], [2.0]])), "row": repr(t.tensor([[1.0, 2.0]]))}


@case
def repr_large_ints_and_negative(t):
    return {"r": repr(t.tensor([[-100, 5], [7, 123456]]))}


@case
def repr_float_rounding_edge(t):
    return {
        "a": repr(t.tensor([0.99999])),
        "b": repr(t.tensor([1.00005, 2.0])),
        "c": repr(t.tensor([2.5e-5, 1.0])),
        "d": repr(t.tensor([9999.5, 1.0])),
    }


@case
def repr_softmax_output(t):
    x = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
    return {"r": repr(x.softmax(0)), "ls": repr(x.log_softmax(0))}


@case
def repr_max_values(t):
    x = t.tensor([[1.0, 5.0], [7.0, 0.0]], requires_grad=True)
    r = x.max(dim=1)
    return {"values": repr(r.values), "indices": repr(r.indices), "all": repr(x.max())}


@case
def repr_comparison_result(t):
    return {"r": repr(t.tensor([1.0, 2.0]) > 1.5)}


@case
def repr_detach_and_data_drop_suffix(t):
    x = t.tensor([1.0], requires_grad=True)
    y = x * 2
    return {"detach": repr(y.detach()), "data": repr(y.data)}


@case
def repr_no_grad_result_has_no_suffix(t):
    x = t.tensor([1.0], requires_grad=True)
    with t.no_grad():
        y = x * 2
    return {"r": repr(y)}


@case
def repr_custom_function_output(t):
    class Double(t.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    return {"r": repr(Double.apply(t.tensor([1.0], requires_grad=True)))}


# ======================================================================================
# 11. Graph objects: grad_fn, next_functions, AccumulateGrad
# ======================================================================================


@case
def grad_fn_names_of_binary_ops(t):
    a = t.tensor([1.0, 2.0], requires_grad=True)
    b = t.tensor([3.0, 4.0], requires_grad=True)
    return {
        "add": name((a + b).grad_fn),
        "sub": name((a - b).grad_fn),
        "mul": name((a * b).grad_fn),
        "div": name((a / b).grad_fn),
        "pow": name((a**2).grad_fn),
        "pow_tensor": name((a**b).grad_fn),
        "rpow": name((2**a).grad_fn),
        "neg": name((-a).grad_fn),
        "radd": name((1 + a).grad_fn),
        "rsub": name((1 - a).grad_fn),
        "rmul": name((2 * a).grad_fn),
        "rdiv": name((2 / a).grad_fn),
    }


@case
def grad_fn_type_name_equals_name(t):
    x = t.tensor([1.0], requires_grad=True)
    y = x.exp()
    return {"name": y.grad_fn.name(), "type": type(y.grad_fn).__name__}


@case
def grad_fn_is_none_for_leaves(t):
    return {
        "leaf_rg": t.tensor([1.0], requires_grad=True).grad_fn,
        "plain": t.tensor([1.0]).grad_fn,
        "plain_op": (t.tensor([1.0]) * 2).grad_fn,
    }


@case
def next_functions_of_mul_point_to_accumulate_grad(t):
    a = t.tensor([1.0], requires_grad=True)
    b = t.tensor([2.0], requires_grad=True)
    return {"graph": graph((a * b).grad_fn)}


@case
def next_functions_none_for_input_without_grad(t):
    a = t.tensor([1.0], requires_grad=True)
    c = t.tensor([2.0])
    return {
        "tensor_other": graph((a * c).grad_fn),
        "number_other": graph((a * 2).grad_fn),
        "left_no_grad": graph((c + a).grad_fn),
    }


@case
def next_functions_chain(t):
    a = t.tensor([1.0, 2.0], requires_grad=True)
    b = t.tensor([3.0, 4.0], requires_grad=True)
    c = t.tensor([5.0, 6.0], requires_grad=True)
    y = ((a * b + c).exp()).sum()
    return {"graph": graph(y.grad_fn)}


@case
def next_functions_same_leaf_twice(t):
    a = t.tensor([1.0], requires_grad=True)
    y = a * a
    n = y.grad_fn.next_functions
    return {"graph": graph(y.grad_fn), "same_node": n[0][0] is n[1][0]}


@case
def next_functions_of_max_dim_and_views(t):
    x = t.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    return {
        "max_dim": graph(x.max(1).values.grad_fn),
        "max_all": graph(x.max().grad_fn),
        "index": graph(x[0].grad_fn),
        "transpose": graph(x.T.unsqueeze(0).grad_fn),
    }


@case
def next_functions_input_nr_for_multiple_outputs(t):
    # Every grad_fn input_nr we meet in the course is 0: each node has one output.
    x = t.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = x.max(dim=0)
    z = y.values + y.values
    return {"graph": graph(z.grad_fn)}


@case
def accumulate_grad_variable_is_the_leaf(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    node = (x * 2).grad_fn.next_functions[0][0]
    return {
        "type": type(node).__name__,
        "name": node.name(),
        "variable_is_x": node.variable is x,
        "next": node.next_functions,
    }


@case
def accumulate_grad_node_is_shared(t):
    x = t.tensor([1.0], requires_grad=True)
    n1 = (x * 2).grad_fn.next_functions[0][0]
    n2 = (x + 2).grad_fn.next_functions[0][0]
    return {"same": n1 is n2}


@case
def grad_fn_names_of_views_and_reductions(t):
    x = t.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    v = t.tensor([1.0, 2.0], requires_grad=True)
    b = t.ones(2, 2, 2, requires_grad=True)
    return {
        "sum": name(x.sum().grad_fn),
        "sum_dim": name(x.sum(0).grad_fn),
        "mean": name(x.mean().grad_fn),
        "mean_dim": name(x.mean(1).grad_fn),
        "max": name(x.max().grad_fn),
        "max_dim": name(x.max(0).values.grad_fn),
        "reshape": name(x.reshape(4).grad_fn),
        "view": name(x.view(4).grad_fn),
        "T": name(x.T.grad_fn),
        "transpose": name(x.transpose(0, 1).grad_fn),
        "unsqueeze": name(x.unsqueeze(0).grad_fn),
        "squeeze_all": name(x.unsqueeze(0).squeeze().grad_fn),
        "squeeze_dim": name(x.unsqueeze(0).squeeze(0).grad_fn),
        "select": name(x[0].grad_fn),
        "slice": name(x[0:1].grad_fn),
        "index": name(x[[0, 1]].grad_fn),
        "mask": name(x[x > 2].grad_fn),
        "mm": name((x @ x).grad_fn),
        "mv": name((x @ v).grad_fn),
        "vm": name((v @ x).grad_fn),
        "dot": name((v @ v).grad_fn),
        "bmm": name((b @ b).grad_fn),
        "clone": name(x.clone().grad_fn),
        "softmax": name(x.softmax(0).grad_fn),
        "log_softmax": name(x.log_softmax(0).grad_fn),
    }


# ======================================================================================
# 12. Leaves, requires_grad propagation, .grad of non-leaves, retain_grad
# ======================================================================================


@case
def op_output_requires_grad_iff_an_input_does(t):
    a = t.tensor([1.0], requires_grad=True)
    b = t.tensor([2.0])
    return {
        "none": ((b * b).requires_grad, (b * b).is_leaf),
        "one": ((a * b).requires_grad, (a * b).is_leaf),
        "both": ((a * a).requires_grad, (a * a).is_leaf),
    }


@case
def plain_tensors_are_leaves(t):
    x = t.tensor([1.0])
    y = x * 2
    return {"x": x.is_leaf, "y": y.is_leaf, "y_grad_fn": y.grad_fn}


@case
def non_leaf_grad_is_none_and_warns(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.sum().backward()
    return {"y_grad": warns(lambda: y.grad), "x_grad": x.grad}


@case
def leaf_grad_access_does_not_warn(t):
    x = t.tensor([1.0], requires_grad=True)
    return {"before": warns(lambda: x.grad), "plain": warns(lambda: t.tensor([1.0]).grad)}


@case
def retain_grad_keeps_non_leaf_grad(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    before = y.retains_grad
    y.retain_grad()
    z = (y * y).sum()
    z.backward()
    return {
        "before": before,
        "after": y.retains_grad,
        "y_grad": warns(lambda: y.grad),
        "x_grad": x.grad,
    }


@case
def retain_grad_on_leaf_is_noop(t):
    x = t.tensor([1.0], requires_grad=True)
    x.retain_grad()
    (x * 3).sum().backward()
    return {"retains_grad": x.retains_grad, "grad": x.grad}


@case
def retain_grad_without_requires_grad_raises(t):
    return {"error": raises(lambda: t.tensor([1.0]).retain_grad())}


@case
def retain_grad_accumulates_across_backwards(t):
    x = t.tensor([1.0], requires_grad=True)
    y = x * 2
    y.retain_grad()
    z = y * 3
    z.backward(retain_graph=True)
    first = y.grad.clone()
    z.backward()
    return {"first": first, "second": y.grad}


@case
def grad_can_be_assigned_none(t):
    x = t.tensor([1.0], requires_grad=True)
    (x * 2).sum().backward()
    x.grad = None
    (x * 3).sum().backward()
    return {"grad": x.grad}


@case
def grad_of_leaf_is_a_leaf_without_grad(t):
    x = t.tensor([1.0], requires_grad=True)
    (x * 2).sum().backward()
    return {
        "requires_grad": x.grad.requires_grad,
        "is_leaf": x.grad.is_leaf,
        "grad_fn": x.grad.grad_fn,
    }


@case
def detach_result_is_new_leaf_that_can_require_grad(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 2).detach().requires_grad_()
    (y * y).sum().backward()
    return {"y_grad": y.grad, "x_grad": x.grad, "is_leaf": y.is_leaf}


# ======================================================================================
# 13. backward(): accumulation, retain_graph, gradient argument, errors
# ======================================================================================


@case
def backward_scalar_default_gradient_is_one(t):
    x = t.tensor(2.0, requires_grad=True)
    y = x**2
    r = y.backward()
    return {"returns": r, "x_grad": x.grad}


@case
def grads_accumulate_across_backward_calls(t):
    x = t.tensor(2.0, requires_grad=True)
    (x**2).backward()
    g1 = x.grad.clone()
    (x**3).backward()
    g2 = x.grad.clone()
    x.grad.zero_()
    g3 = x.grad.clone()
    (4 * x).backward()
    return {"after_square": g1, "after_cube": g2, "after_zero": g3, "after_4x": x.grad}


@case
def zero_grad_keeps_same_tensor(t):
    x = t.tensor([1.0], requires_grad=True)
    (x * 2).sum().backward()
    g = x.grad
    x.grad.zero_()
    (x * 5).sum().backward()
    return {"same": g is x.grad, "grad": x.grad}


@case
def second_backward_raises_after_free(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    return {"error": raises(lambda: y.backward()), "x_grad": x.grad}


@case
def retain_graph_allows_second_backward(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    return {"x_grad": x.grad, "third": raises(lambda: y.backward())}


@case
def graph_without_saved_tensors_can_run_twice(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    y = (x + 1).sum()
    y.backward()
    second = raises(lambda: y.backward())
    return {"second": second, "x_grad": x.grad}


@case
def mul_by_python_number_cannot_run_twice(t):
    # MulBackward0 saves the (wrapped) number 2, so this graph is freed too.
    x = t.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 2).sum()
    y.backward()
    return {"second": raises(lambda: y.backward()), "x_grad": x.grad}


@case
def non_scalar_backward_without_gradient_raises(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    return {"error": raises(lambda: (x * 2).backward())}


@case
def one_element_tensor_backward_needs_no_gradient(t):
    # Not only 0-d tensors: any tensor with exactly one element gets an implicit 1.
    x = t.tensor([[1.0]], requires_grad=True)
    (x * 2).backward()
    return {"x_grad": x.grad}


@case
def non_scalar_backward_with_gradient(t):
    x = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * x
    y.backward(gradient=t.tensor([1.0, 0.1, 0.01]))
    return {"x_grad": x.grad}


@case
def backward_gradient_positional(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    (x * 3).backward(t.tensor([1.0, -1.0]))
    return {"x_grad": x.grad}


@case
def backward_wrong_gradient_shape_raises(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    return {"error": raises(lambda: (x * 2).backward(t.ones(3)))}


@case
def backward_gradient_broadcastable_shape_still_raises(t):
    x = t.tensor([[1.0, 2.0]], requires_grad=True)
    return {"error": raises(lambda: (x * 2).backward(t.ones(2)))}


@case
def backward_on_tensor_without_grad_raises(t):
    return {"error": raises(lambda: t.tensor(1.0).backward())}


@case
def backward_on_no_grad_result_raises(t):
    x = t.tensor(1.0, requires_grad=True)
    with t.no_grad():
        y = x * 2
    return {"error": raises(lambda: y.backward())}


@case
def backward_on_leaf_itself(t):
    x = t.tensor(3.0, requires_grad=True)
    x.backward()
    return {"x_grad": x.grad}


@case
def backward_inputs_restricts_accumulation(t):
    a = t.tensor(2.0, requires_grad=True)
    b = t.tensor(3.0, requires_grad=True)
    (a * b).backward(inputs=[a])
    return {"a_grad": a.grad, "b_grad": b.grad}


@case
def backward_inputs_single_tensor(t):
    a = t.tensor(2.0, requires_grad=True)
    b = t.tensor(3.0, requires_grad=True)
    (a * b).backward(inputs=b)
    return {"a_grad": a.grad, "b_grad": b.grad}


@case
def backward_inputs_non_leaf_gets_grad(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    s = (y * y).sum()
    s.backward(inputs=[y])
    return {
        "y_grad": warns(lambda: y.grad),
        "x_grad": x.grad,
        "y_retains_grad": y.retains_grad,
    }


@case
def backward_inputs_empty_list_raises(t):
    x = t.tensor(1.0, requires_grad=True)
    return {"error": raises(lambda: (x * 2).backward(inputs=[]))}


@case
def backward_inputs_unused_leaf_grad_stays_none(t):
    a = t.tensor(2.0, requires_grad=True)
    b = t.tensor(3.0, requires_grad=True)
    (a * 2).backward(inputs=[a, b])
    return {"a_grad": a.grad, "b_grad": b.grad}


@case
def backward_through_int_tensor_branch(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    idx = t.tensor([1, 0])
    y = (x * idx).sum()
    y.backward()
    return {"y": y, "x_grad": x.grad}


@case
def backward_gradient_dtype_float64_into_float32(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    (x * 2).backward(t.tensor([1.0, 1.0], dtype=t.float64))
    return {"x_grad": x.grad}


@case
def autograd_backward_function_with_grad_tensors(t):
    a = t.tensor([1.0, 2.0], requires_grad=True)
    y1 = a * 2
    y2 = a * a
    r = t.autograd.backward([y1, y2], [t.tensor([1.0, 1.0]), t.tensor([1.0, 0.0])])
    return {"returns": r, "a_grad": a.grad}


@case
def autograd_backward_single_scalar(t):
    a = t.tensor(3.0, requires_grad=True)
    t.autograd.backward(a * a)
    return {"a_grad": a.grad}


@case
def autograd_backward_inputs(t):
    a = t.tensor(2.0, requires_grad=True)
    b = t.tensor(5.0, requires_grad=True)
    t.autograd.backward([a * b], inputs=[b])
    return {"a_grad": a.grad, "b_grad": b.grad}


# ======================================================================================
# 14. torch.autograd.grad and higher-order derivatives
# ======================================================================================


@case
def autograd_grad_returns_tuple_and_leaves_grad_untouched(t):
    x = t.tensor(3.0, requires_grad=True)
    y = x**2
    g = t.autograd.grad(y, x)
    return {"g": g, "is_tuple": isinstance(g, tuple), "x_grad": x.grad}


@case
def autograd_grad_several_inputs(t):
    a = t.tensor(2.0, requires_grad=True)
    b = t.tensor(3.0, requires_grad=True)
    ga, gb = t.autograd.grad(a * b + b, [a, b])
    return {"ga": ga, "gb": gb}


@case
def autograd_grad_with_grad_outputs(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    (g,) = t.autograd.grad(x * x, x, grad_outputs=t.tensor([1.0, 10.0]))
    return {"g": g}


@case
def autograd_grad_non_scalar_without_grad_outputs_raises(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    return {"error": raises(lambda: t.autograd.grad(x * x, x))}


@case
def autograd_grad_unused_input_raises(t):
    a = t.tensor(1.0, requires_grad=True)
    b = t.tensor(2.0, requires_grad=True)
    return {"error": raises(lambda: t.autograd.grad(a * 2, [a, b]))}


@case
def autograd_grad_allow_unused_gives_none(t):
    a = t.tensor(1.0, requires_grad=True)
    b = t.tensor(2.0, requires_grad=True)
    return {"g": t.autograd.grad(a * 2, [a, b], allow_unused=True)}


@case
def autograd_grad_frees_graph(t):
    x = t.tensor(2.0, requires_grad=True)
    y = x**3
    t.autograd.grad(y, x)
    return {"second": raises(lambda: t.autograd.grad(y, x))}


@case
def autograd_grad_retain_graph(t):
    x = t.tensor(2.0, requires_grad=True)
    y = x**3
    g1 = t.autograd.grad(y, x, retain_graph=True)
    g2 = t.autograd.grad(y, x)
    return {"g1": g1, "g2": g2}


@case
def autograd_grad_input_without_grad_raises(t):
    x = t.tensor(2.0, requires_grad=True)
    c = t.tensor(1.0)
    return {"error": raises(lambda: t.autograd.grad(x * c, c))}


@case
def autograd_grad_of_non_leaf(t):
    x = t.tensor(2.0, requires_grad=True)
    y = x * 3
    z = y * y
    (gy,) = t.autograd.grad(z, y)
    return {"gy": gy}


@case
def autograd_grad_result_has_no_graph_by_default(t):
    x = t.tensor(2.0, requires_grad=True)
    (g,) = t.autograd.grad(x**3, x)
    return {"requires_grad": g.requires_grad, "grad_fn": g.grad_fn}


@case
def create_graph_second_and_third_derivatives(t):
    x = t.tensor(2.0, requires_grad=True)
    y = x**3
    (d1,) = t.autograd.grad(y, x, create_graph=True)
    (d2,) = t.autograd.grad(d1, x, create_graph=True)
    (d3,) = t.autograd.grad(d2, x)
    return {"d1": d1, "d2": d2, "d3": d3, "d1_requires_grad": d1.requires_grad}


@case
def backward_create_graph_grad_has_grad_fn(t):
    x = t.tensor(2.0, requires_grad=True)
    y = x**3
    bw = warns(lambda: y.backward(create_graph=True))
    g = x.grad
    return {
        "backward": bw,
        "grad": g,
        "grad_requires_grad": g.requires_grad,
        "grad_fn_name": name(g.grad_fn),
    }


@case
def backward_create_graph_then_differentiate_grad(t):
    x = t.tensor(2.0, requires_grad=True)
    (x**3).backward(create_graph=True)
    g = x.grad
    (g2,) = t.autograd.grad(g, x)
    return {"g": g.detach(), "g2": g2}


@case
def hessian_vector_product(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    f = x[0] ** 2 * x[1] + x[1] ** 3
    (g,) = t.autograd.grad(f, x, create_graph=True)
    v = t.tensor([1.0, 0.5])
    (hv,) = t.autograd.grad((g * v).sum(), x)
    return {"f": f.detach(), "g": g.detach(), "hv": hv}


@case
def second_derivative_of_sigmoid_and_tanh(t):
    x = t.tensor([0.5, -1.0], requires_grad=True)
    (g1,) = t.autograd.grad(x.sigmoid().sum() + x.tanh().sum(), x, create_graph=True)
    (g2,) = t.autograd.grad(g1.sum(), x)
    return {"g1": g1.detach(), "g2": g2}


@case
def second_derivative_of_exp_log_sin(t):
    x = t.tensor([0.5, 2.0], requires_grad=True)
    y = (x.exp() + x.log() + x.sin()).sum()
    (g1,) = t.autograd.grad(y, x, create_graph=True)
    (g2,) = t.autograd.grad(g1.sum(), x)
    return {"g1": g1.detach(), "g2": g2}


@case
def second_derivative_of_division(t):
    x = t.tensor([2.0], requires_grad=True)
    (g1,) = t.autograd.grad((1 / x).sum(), x, create_graph=True)
    (g2,) = t.autograd.grad(g1.sum(), x)
    return {"g1": g1.detach(), "g2": g2}


@case
def second_derivative_through_relu(t):
    x = t.tensor([1.0, -1.0], requires_grad=True)
    (g1,) = t.autograd.grad((x.relu() * x).sum(), x, create_graph=True)
    (g2,) = t.autograd.grad(g1.sum(), x)
    return {"g1": g1.detach(), "g2": g2}


@case
def mixed_partial_derivative(t):
    x = t.tensor(2.0, requires_grad=True)
    y = t.tensor(3.0, requires_grad=True)
    f = x**2 * y**3
    (fx,) = t.autograd.grad(f, x, create_graph=True)
    (fxy,) = t.autograd.grad(fx, y)
    return {"fx": fx.detach(), "fxy": fxy}


# ======================================================================================
# 15. Hooks
# ======================================================================================


@case
def hook_on_leaf_replaces_gradient(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: g * 2)
    (x * 3).sum().backward()
    return {"x_grad": x.grad}


@case
def hook_on_non_leaf_replaces_gradient_upstream(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    y.register_hook(lambda g: t.ones_like(g))
    (y * y).sum().backward()
    return {"x_grad": x.grad}


@case
def hook_returning_none_only_observes(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    seen = []
    y.register_hook(lambda g: seen.append(g.clone()))
    (y * 10).sum().backward()
    return {"seen": seen, "x_grad": x.grad}


@case
def hook_handle_remove(t):
    x = t.tensor([1.0], requires_grad=True)
    handle = x.register_hook(lambda g: g * 100)
    handle.remove()
    (x * 2).sum().backward()
    return {"x_grad": x.grad}


@case
def hooks_run_in_registration_order(t):
    x = t.tensor([1.0], requires_grad=True)
    y = x * 1
    order = []
    y.register_hook(lambda g: order.append("first") or g + 1)
    y.register_hook(lambda g: order.append(("second", g.item())) or g * 10)
    y.sum().backward()
    return {"order": order, "x_grad": x.grad}


@case
def hook_with_retain_grad_sees_hooked_value(t):
    x = t.tensor([1.0], requires_grad=True)
    y = x * 2
    y.retain_grad()
    y.register_hook(lambda g: g * 5)
    (y * 3).sum().backward()
    return {"y_grad": y.grad, "x_grad": x.grad}


@case
def hook_on_tensor_without_grad_raises(t):
    return {"error": raises(lambda: t.tensor([1.0]).register_hook(lambda g: g))}


@case
def hook_gets_called_once_per_backward(t):
    x = t.tensor(1.0, requires_grad=True)
    calls = []
    x.register_hook(lambda g: calls.append(g.item()))
    (x * 2 + x * 3).backward()
    return {"calls": calls, "x_grad": x.grad}


# ======================================================================================
# 16. Grad modes
# ======================================================================================


@case
def no_grad_context(t):
    x = t.tensor([1.0], requires_grad=True)
    with t.no_grad():
        inside = t.is_grad_enabled()
        y = x * 2
    return {
        "inside": inside,
        "after": t.is_grad_enabled(),
        "y_requires_grad": y.requires_grad,
        "y_grad_fn": y.grad_fn,
        "y_is_leaf": y.is_leaf,
    }


@case
def no_grad_decorator_with_and_without_parens(t):
    x = t.tensor([1.0], requires_grad=True)

    @t.no_grad()
    def f(v):
        return v * 2, t.is_grad_enabled()

    @t.no_grad
    def g(v):
        return v * 3

    y, enabled = f(x)
    return {"y": y, "enabled_inside": enabled, "g": g(x), "after": t.is_grad_enabled()}


@case
def no_grad_keeps_requires_grad_of_new_leaves(t):
    with t.no_grad():
        w = t.tensor([1.0], requires_grad=True)
    return {"requires_grad": w.requires_grad, "w": w}


@case
def enable_grad_inside_no_grad(t):
    x = t.tensor([1.0], requires_grad=True)
    with t.no_grad():
        with t.enable_grad():
            y = x * 2
            inner = t.is_grad_enabled()
        z = x * 2
    return {"y": y, "z": z, "inner": inner}


@case
def enable_grad_decorator(t):
    x = t.tensor([1.0], requires_grad=True)

    @t.enable_grad()
    def f(v):
        return v * 2

    with t.no_grad():
        y = f(x)
    return {"y": y}


@case
def set_grad_enabled_context(t):
    x = t.tensor([1.0], requires_grad=True)
    with t.set_grad_enabled(False):
        a = x * 2
        off = t.is_grad_enabled()
        with t.set_grad_enabled(True):
            b = x * 2
    return {"a": a, "b": b, "off": off, "after": t.is_grad_enabled()}


@case
def set_grad_enabled_decorator(t):
    x = t.tensor([1.0], requires_grad=True)

    @t.set_grad_enabled(False)
    def f(v):
        return v * 2

    return {"y": f(x), "after": t.is_grad_enabled()}


@case
def set_grad_enabled_as_function_call(t):
    x = t.tensor([1.0], requires_grad=True)
    t.set_grad_enabled(False)
    try:
        off = t.is_grad_enabled()
        y = x * 2
    finally:
        t.set_grad_enabled(True)
    return {"off": off, "y": y, "on": t.is_grad_enabled()}


@case
def inference_mode_context(t):
    x = t.tensor([1.0], requires_grad=True)
    with t.inference_mode():
        y = x * 2
        inside = t.is_grad_enabled()
    return {
        "y": y,
        "requires_grad": y.requires_grad,
        "inside": inside,
        "after": t.is_grad_enabled(),
    }


@case
def inference_mode_decorator(t):
    x = t.tensor([1.0], requires_grad=True)

    @t.inference_mode()
    def f(v):
        return v * 2

    return {"y": f(x)}


@case
def inference_mode_false_inside(t):
    x = t.tensor([1.0], requires_grad=True)
    with t.inference_mode():
        with t.inference_mode(False):
            y = x * 2
            inner = t.is_grad_enabled()
    return {"y": y, "inner": inner}


@case
def enable_grad_inside_inference_mode_still_no_graph(t):
    x = t.tensor([1.0], requires_grad=True)
    with t.inference_mode():
        with t.enable_grad():
            inner = t.is_grad_enabled()
            y = x * 2
    return {"inner": inner, "y_requires_grad": y.requires_grad}


@case
def no_grad_nested_restores_state(t):
    states = []
    with t.no_grad():
        states.append(t.is_grad_enabled())
        with t.enable_grad():
            states.append(t.is_grad_enabled())
            with t.no_grad():
                states.append(t.is_grad_enabled())
            states.append(t.is_grad_enabled())
        states.append(t.is_grad_enabled())
    states.append(t.is_grad_enabled())
    return {"states": states}


@case
def no_grad_restores_state_after_exception(t):
    def boom():
        with t.no_grad():
            raise ValueError("boom")

    err = raises(boom)
    return {"error": err, "enabled": t.is_grad_enabled()}


# ======================================================================================
# 17. Custom autograd.Function
# ======================================================================================


def _my_relu_class(t):
    class MyReLU(t.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.clamp(min=0)

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return grad_output * (x > 0)

    return MyReLU


@case
def custom_function_forward_and_backward(t):
    MyReLU = _my_relu_class(t)
    x = t.tensor([-1.0, 0.0, 2.0], requires_grad=True)
    y = MyReLU.apply(x)
    (y * t.tensor([1.0, 2.0, 3.0])).sum().backward()
    return {
        "y": y,
        "grad_fn_name": name(y.grad_fn),
        "grad_fn_type": type(y.grad_fn).__name__,
        "is_leaf": y.is_leaf,
        "x_grad": x.grad,
    }


@case
def custom_function_graph(t):
    MyReLU = _my_relu_class(t)
    x = t.tensor([1.0], requires_grad=True)
    return {"graph": graph((MyReLU.apply(x) * 2).grad_fn)}


@case
def custom_function_without_grad_input(t):
    MyReLU = _my_relu_class(t)
    y = MyReLU.apply(t.tensor([-1.0, 1.0]))
    return {"y": y, "requires_grad": y.requires_grad, "grad_fn": y.grad_fn}


@case
def custom_function_under_no_grad(t):
    MyReLU = _my_relu_class(t)
    with t.no_grad():
        y = MyReLU.apply(t.tensor([-1.0, 1.0], requires_grad=True))
    return {"y": y, "grad_fn": y.grad_fn}


@case
def custom_function_needs_input_grad_and_constant_arg(t):
    seen = {}

    class Scale(t.autograd.Function):
        @staticmethod
        def forward(ctx, x, w, k):
            seen["needs_input_grad"] = ctx.needs_input_grad
            ctx.save_for_backward(x, w)
            ctx.k = k
            return x * w * k

        @staticmethod
        def backward(ctx, g):
            x, w = ctx.saved_tensors
            gx = g * w * ctx.k if ctx.needs_input_grad[0] else None
            gw = g * x * ctx.k if ctx.needs_input_grad[1] else None
            return gx, gw, None

    x = t.tensor([1.0, 2.0], requires_grad=True)
    w = t.tensor([3.0, 4.0])
    y = Scale.apply(x, w, 10)
    y.sum().backward()
    return {
        "y": y,
        "needs_input_grad": seen["needs_input_grad"],
        "x_grad": x.grad,
        "w_grad": w.grad,
        "graph": graph(y.grad_fn),
    }


@case
def custom_function_backward_wrong_number_of_grads_raises(t):
    class Bad(t.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g, g

    x = t.tensor([1.0], requires_grad=True)
    return {"error": raises(lambda: Bad.apply(x).sum().backward())}


@case
def custom_function_saved_tensors_freed_after_backward(t):
    MyReLU = _my_relu_class(t)
    x = t.tensor([1.0], requires_grad=True)
    y = MyReLU.apply(x).sum()
    y.backward()
    return {"second": raises(lambda: y.backward())}


@case
def custom_function_sees_no_grad_inside_forward(t):
    seen = {}

    class Probe(t.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            seen["enabled"] = t.is_grad_enabled()
            y = x * 2
            seen["inner_requires_grad"] = y.requires_grad
            return y

        @staticmethod
        def backward(ctx, g):
            return g * 2

    y = Probe.apply(t.tensor([1.0], requires_grad=True))
    return {"seen": seen, "y_requires_grad": y.requires_grad}


@case
def custom_function_exp_saves_output(t):
    class MyExp(t.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return g * y

    x = t.tensor([0.0, 1.0], requires_grad=True)
    y = MyExp.apply(x)
    y.sum().backward()
    return {"y": y, "x_grad": x.grad, "name": name(y.grad_fn)}


def _gradcheck_functions(t):
    class GoodSquare(t.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    class BadSquare(t.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 3 * x * g  # wrong on purpose

    return GoodSquare, BadSquare


@case
def gradcheck_passes_on_correct_function(t):
    GoodSquare, _ = _gradcheck_functions(t)
    x = t.tensor([1.0, -2.0, 0.5], dtype=t.float64, requires_grad=True)
    return {"ok": t.autograd.gradcheck(GoodSquare.apply, (x,), eps=1e-6, atol=1e-4)}


@case
def gradcheck_raises_on_wrong_function(t):
    _, BadSquare = _gradcheck_functions(t)
    x = t.tensor([1.0, -2.0, 0.5], dtype=t.float64, requires_grad=True)
    err = raises(lambda: t.autograd.gradcheck(BadSquare.apply, (x,), eps=1e-6, atol=1e-4))
    # The full message prints both Jacobians with torch's formatting: keep the first line.
    first_line = err.message.splitlines()[0] if err.message else None
    return {"type": err.type_name, "first_line": first_line}


@case
def gradcheck_raise_exception_false_returns_false(t):
    _, BadSquare = _gradcheck_functions(t)
    x = t.tensor([1.0, 2.0], dtype=t.float64, requires_grad=True)
    return {"ok": t.autograd.gradcheck(BadSquare.apply, (x,), raise_exception=False)}


@case
def gradcheck_on_builtin_ops(t):
    x = t.tensor([0.3, -0.7], dtype=t.float64, requires_grad=True)
    return {"ok": t.autograd.gradcheck(lambda v: (v.sigmoid() * v.exp()).sum(), (x,))}


# ======================================================================================
# 18. The curriculum's worked examples
# ======================================================================================


@case
def curriculum_Q_equals_3a_cubed_minus_b_squared(t):
    a = t.tensor([2.0, 3.0], requires_grad=True)
    b = t.tensor([6.0, 4.0], requires_grad=True)
    Q = 3 * a**3 - b**2
    Q.backward(gradient=t.tensor([1.0, 1.0]))
    return {"Q": Q, "a_grad": a.grad, "b_grad": b.grad, "check": a.grad == 9 * a**2}


@case
def curriculum_square_of_ab_plus_one(t):
    a = t.tensor(2.0, requires_grad=True)
    b = t.tensor(3.0, requires_grad=True)
    y = (a * b + 1) ** 2
    y.backward()
    return {"y": y, "a_grad": a.grad, "b_grad": b.grad}


@case
def curriculum_a_plus_a(t):
    a = t.tensor(5.0, requires_grad=True)
    (a + a).backward()
    return {"a_grad": a.grad}


@case
def curriculum_x_plus_y_times_z(t):
    x = t.tensor(-2.0, requires_grad=True)
    y = t.tensor(5.0, requires_grad=True)
    z = t.tensor(-4.0, requires_grad=True)
    q = x + y
    f = q * z
    q.retain_grad()
    f.backward()
    return {"f": f, "q_grad": q.grad, "x_grad": x.grad, "y_grad": y.grad, "z_grad": z.grad}


@case
def curriculum_two_times_xy_plus_max_zw(t):
    x = t.tensor(3.0, requires_grad=True)
    y = t.tensor(-4.0, requires_grad=True)
    zw = t.tensor([2.0, -1.0], requires_grad=True)  # z = 2, w = -1
    f = 2 * (x * y + zw.max())
    f.backward()
    return {"f": f, "x_grad": x.grad, "y_grad": y.grad, "zw_grad": zw.grad}


@case
def curriculum_max_via_relu(t):
    x = t.tensor(3.0, requires_grad=True)
    y = t.tensor(-4.0, requires_grad=True)
    z = t.tensor(2.0, requires_grad=True)
    w = t.tensor(-1.0, requires_grad=True)
    f = 2 * (x * y + (w + (z - w).relu()))
    f.backward()
    return {"f": f, "grads": (x.grad, y.grad, z.grad, w.grad)}


@case
def curriculum_log_of_theta_cubed_sin_theta(t):
    th = t.tensor(1.0, requires_grad=True)
    f = (th**3 * th.sin()).log()
    f.backward()
    return {"f": f, "th_grad": th.grad, "name": name(f.grad_fn)}


@case
def curriculum_olah_e_equals_a_plus_b_times_b_plus_one(t):
    a = t.tensor(2.0, requires_grad=True)
    b = t.tensor(1.0, requires_grad=True)
    c = a + b
    d = b + 1
    e = c * d
    e.backward()
    return {"c": c, "d": d, "e": e, "a_grad": a.grad, "b_grad": b.grad}


@case
def curriculum_neuron_forward_backward(t):
    x = t.tensor([2.0, 0.0], requires_grad=True)
    w = t.tensor([-3.0, 1.0], requires_grad=True)
    b = t.tensor(6.8813735870195432, requires_grad=True)
    n = (x * w).sum() + b
    o = n.tanh()
    o.backward()
    return {"o": o, "x_grad": x.grad, "w_grad": w.grad, "b_grad": b.grad}


@case
def curriculum_logistic_regression_step(t):
    X = t.tensor([[1.0, 2.0], [2.0, -1.0], [-1.0, -1.0]])
    y = t.tensor([1.0, 0.0, 0.0])
    w = t.tensor([0.1, -0.2], requires_grad=True)
    b = t.tensor(0.0, requires_grad=True)
    p = (X @ w + b).sigmoid()
    loss = -(y * p.log() + (1 - y) * (1 - p).log()).mean()
    loss.backward()
    return {"p": p, "loss": loss, "w_grad": w.grad, "b_grad": b.grad}


@case
def curriculum_two_layer_mlp_grads(t):
    x = t.tensor([[1.0, -1.0], [0.5, 2.0]])
    W1 = t.tensor([[0.1, 0.2, -0.3], [0.4, -0.5, 0.6]], requires_grad=True)
    b1 = t.tensor([0.0, 0.1, -0.1], requires_grad=True)
    W2 = t.tensor([[1.0], [-1.0], [0.5]], requires_grad=True)
    h = (x @ W1 + b1).relu()
    out = h @ W2
    loss = ((out - t.tensor([[1.0], [0.0]])) ** 2).mean()
    loss.backward()
    return {"loss": loss, "W1_grad": W1.grad, "b1_grad": b1.grad, "W2_grad": W2.grad}


@case
def curriculum_softmax_cross_entropy_grad_is_p_minus_y(t):
    z = t.tensor([2.0, 1.0, 0.1], requires_grad=True)
    loss = -z.log_softmax(0)[0]
    loss.backward()
    return {
        "loss": loss,
        "z_grad": z.grad,
        "p_minus_y": z.softmax(0).detach() - t.tensor([1.0, 0.0, 0.0]),
    }


# ======================================================================================
# 19. torch.nn and torch.optim
# ======================================================================================


@case
def parameter_repr_and_flags(t):
    p = t.nn.Parameter(t.tensor([1.0, 2.0]))
    return {
        "repr": repr(p),
        "requires_grad": p.requires_grad,
        "is_leaf": p.is_leaf,
        "type": type(p).__name__,
        "is_tensor": isinstance(p, t.Tensor),
    }


@case
def parameter_without_grad(t):
    p = t.nn.Parameter(t.tensor([1.0]), requires_grad=False)
    return {"repr": repr(p), "requires_grad": p.requires_grad}


@case
def parameter_op_result_is_plain_tensor(t):
    p = t.nn.Parameter(t.tensor([1.0, 2.0]))
    y = p * 2
    return {"type": type(y).__name__, "y": y}


@case
def parameter_2d_repr(t):
    return {"repr": repr(t.nn.Parameter(t.tensor([[1.0, 2.0], [3.0, 4.0]])))}


@case
def module_registers_parameters_and_submodules(t):
    class Affine(t.nn.Module):
        def __init__(self):
            super().__init__()
            self.w = t.nn.Parameter(t.tensor([2.0]))
            self.b = t.nn.Parameter(t.tensor([1.0]))
            self.not_a_param = t.tensor([5.0])

        def forward(self, x):
            return x * self.w + self.b

    class Net(t.nn.Module):
        def __init__(self):
            super().__init__()
            self.first = Affine()
            self.second = Affine()

        def forward(self, x):
            return self.second(self.first(x))

    net = Net()
    y = net(t.tensor([3.0]))
    y.sum().backward()
    return {
        "y": y,
        "names": [n for n, _ in net.named_parameters()],
        "count": len(list(net.parameters())),
        "grads": [p.grad for p in net.parameters()],
    }


@case
def module_zero_grad_sets_none(t):
    lin = t.nn.Linear(2, 1)
    lin(t.ones(2)).sum().backward()
    had = lin.weight.grad is not None
    lin.zero_grad()
    return {"had": had, "weight_grad": lin.weight.grad, "bias_grad": lin.bias.grad}


@case
def linear_shapes_and_repr(t):
    lin = t.nn.Linear(3, 2)
    nob = t.nn.Linear(3, 2, bias=False)
    return {
        "weight_shape": tuple(lin.weight.shape),
        "bias_shape": tuple(lin.bias.shape),
        "repr": repr(lin),
        "repr_nobias": repr(nob),
        "nobias_bias": nob.bias,
        "names": [n for n, _ in lin.named_parameters()],
        "weight_type": type(lin.weight).__name__,
        "in_out": (lin.in_features, lin.out_features),
    }


@case
def linear_forward_is_x_wT_plus_b(t):
    lin = t.nn.Linear(2, 3)
    assign(t, lin.weight, [[1.0, 2.0], [0.0, -1.0], [0.5, 0.5]])
    assign(t, lin.bias, [0.1, 0.2, 0.3])
    x = t.tensor([[1.0, 1.0], [2.0, -1.0]])
    y = lin(x)
    return {
        "y": y,
        "same_as_formula": y.detach().tolist() == (x @ lin.weight.T + lin.bias).detach().tolist(),
    }


@case
def linear_gradients(t):
    lin = t.nn.Linear(2, 1)
    assign(t, lin.weight, [[0.5, -1.0]])
    assign(t, lin.bias, [0.25])
    x = t.tensor([[1.0, 2.0], [3.0, 4.0], [-1.0, 0.0]])
    lin(x).sum().backward()
    return {"weight_grad": lin.weight.grad, "bias_grad": lin.bias.grad}


@case
def linear_grad_fn_names(t):
    lin = t.nn.Linear(2, 3)
    return {
        "batch": name(lin(t.ones(4, 2)).grad_fn),
        "single": name(lin(t.ones(2)).grad_fn),
        "shape_single": tuple(lin(t.ones(2)).shape),
    }


@case
def linear_wrong_input_size_raises(t):
    lin = t.nn.Linear(2, 3)
    return {"error": raises(lambda: lin(t.ones(4, 5)))}


@case
def sequential_repr_indexing_and_forward(t):
    model = t.nn.Sequential(t.nn.Linear(2, 2), t.nn.ReLU(), t.nn.Linear(2, 1), t.nn.Tanh())
    assign(t, model[0].weight, [[1.0, -1.0], [2.0, 0.0]])
    assign(t, model[0].bias, [0.0, -1.0])
    assign(t, model[2].weight, [[1.0, 1.0]])
    assign(t, model[2].bias, [0.5])
    y = model(t.tensor([[1.0, 2.0]]))
    y.sum().backward()
    return {
        "repr": repr(model),
        "len": len(model),
        "first": repr(model[0]),
        "names": [n for n, _ in model.named_parameters()],
        "y": y,
        "w0_grad": model[0].weight.grad,
        "w2_grad": model[2].weight.grad,
    }


@case
def relu_and_tanh_modules(t):
    x = t.tensor([-1.0, 0.5])
    return {
        "relu": t.nn.ReLU()(x),
        "tanh": t.nn.Tanh()(x),
        "relu_repr": repr(t.nn.ReLU()),
        "tanh_repr": repr(t.nn.Tanh()),
    }


@case
def mse_loss_value_grad_and_repr(t):
    pred = t.tensor([1.0, 2.0, 4.0], requires_grad=True)
    target = t.tensor([1.5, 2.0, 3.0])
    loss = t.nn.MSELoss()(pred, target)
    loss.backward()
    return {
        "loss": loss,
        "grad_fn": name(loss.grad_fn),
        "grad": pred.grad,
        "repr": repr(t.nn.MSELoss()),
    }


@case
def mse_loss_reduction_sum(t):
    pred = t.tensor([1.0, 2.0], requires_grad=True)
    loss = t.nn.MSELoss(reduction="sum")(pred, t.tensor([0.0, 0.0]))
    loss.backward()
    return {"loss": loss, "grad": pred.grad, "repr": repr(t.nn.MSELoss(reduction="sum"))}


@case
def mse_loss_2d(t):
    pred = t.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    loss = t.nn.MSELoss()(pred, t.zeros(2, 2))
    loss.backward()
    return {"loss": loss, "grad": pred.grad}


def _bits(tensor):
    """A float32 tensor's numbers as exact hex strings (strings are compared exactly, so these
    cases check the last bit, where tensors are compared with a tolerance)."""
    return [float(v).hex() for v in tensor.reshape(-1).tolist()]


def _fused_backward_inputs(t):
    x = t.tensor([k / 7.0 - 3.1 for k in range(45)], requires_grad=True)
    g = t.tensor([(k % 11) / 3.0 - 1.7 for k in range(45)])
    return x, g


@case
def tanh_backward_bit_for_bit(t):
    # tanh_backward: grad * (1 - y*y) with 1 - y*y rounded once (a fused multiply-add)
    x, g = _fused_backward_inputs(t)
    (gx,) = t.autograd.grad(x.tanh(), x, g)
    s = t.tensor(0.3, requires_grad=True)
    (gs,) = t.autograd.grad(s.tanh(), s, t.tensor(0.7))
    return {"vector": _bits(gx), "scalar": _bits(gs)}


@case
def mse_loss_backward_bit_for_bit(t):
    # mse_loss_backward: norm * (input - target) * grad, norm = 2/n for the mean
    x, g = _fused_backward_inputs(t)
    target = t.tensor([(k % 7) / 5.0 - 0.3 for k in range(45)], requires_grad=True)
    result = {}
    for reduction in ("mean", "sum", "none"):
        loss = t.nn.functional.mse_loss(x, target, reduction=reduction)
        weight = g if reduction == "none" else t.tensor(0.7)
        gx, gt = t.autograd.grad(loss, (x, target), weight)
        result[reduction] = {"input": _bits(gx), "target": _bits(gt)}
    return result


@case
def tanh_higher_derivatives_and_graph(t):
    x = t.tensor([0.5, -1.0, 2.0], dtype=t.float64, requires_grad=True)
    (g1,) = t.autograd.grad(x.tanh().sum(), x, create_graph=True)
    (g2,) = t.autograd.grad(g1.sum(), x, create_graph=True)
    (g3,) = t.autograd.grad(g2.sum(), x)
    return {"graph": graph(g1.grad_fn), "g1": g1.detach(), "g2": g2.detach(), "g3": g3}


@case
def tanh_backward_differentiated_by_its_incoming_gradient(t):
    x = t.tensor([0.5, -1.0], dtype=t.float64, requires_grad=True)
    v = t.tensor([2.0, 3.0], dtype=t.float64, requires_grad=True)
    (g,) = t.autograd.grad(x.tanh(), x, v, create_graph=True)
    dv, dx = t.autograd.grad((g * g).sum(), (v, x))
    return {"graph": graph(g.grad_fn), "dv": dv, "dx": dx}


@case
def mse_loss_higher_derivatives_and_graph(t):
    result = {}
    for reduction in ("mean", "sum", "none"):
        x = t.tensor([1.0, 2.0, 4.0], dtype=t.float64, requires_grad=True)
        target = t.tensor([1.5, 2.0, 3.0], dtype=t.float64, requires_grad=True)
        loss = t.nn.functional.mse_loss(x, target, reduction=reduction)
        shape = () if reduction != "none" else (3,)
        v = t.tensor(0.5 if shape == () else [0.5, -1.0, 2.0], dtype=t.float64, requires_grad=True)
        gx, gt = t.autograd.grad(loss, (x, target), v, create_graph=True)
        w = t.tensor([1.0, -2.0, 3.0], dtype=t.float64)
        dv, dx, dt = t.autograd.grad((gx * w).sum() + (gt * gt).sum(), (v, x, target), create_graph=True)
        (third,) = t.autograd.grad((dx * dx).sum() + dv.sum(), v, allow_unused=True)
        result[reduction] = {
            "graph": graph(gx.grad_fn),
            "gx": gx.detach(),
            "gt": gt.detach(),
            "dv": dv.detach(),
            "dx": dx.detach(),
            "dt": dt.detach(),
            "third": third,
        }
    return result


@case
def mse_loss_broadcast_gradients(t):
    x = t.tensor([[1.0, 2.0, 4.0], [0.0, -1.0, 3.0]], requires_grad=True)
    target = t.tensor([1.5, 2.0, 3.0], requires_grad=True)
    loss = warns(lambda: t.nn.functional.mse_loss(x, target)).value
    gx, gt = t.autograd.grad(loss, (x, target))
    return {"gx": gx, "gt": gt, "gx_bits": _bits(gx), "gt_bits": _bits(gt)}


@case
def pow_with_a_number_bit_for_bit(t):
    # PyTorch computes x**3 as x*x*x, x**-0.5 as 1/sqrt(x), x**-2 as 1/(x*x), ..., and the gradient
    # as grad * (p * x**(p-1)); x**0 has zero gradient even where the incoming gradient is inf
    result = {}
    for dtype in ("float32", "float64"):
        x = t.tensor([k / 7.0 - 3.1 for k in range(45)] + [0.0, -0.0, 1.0, -1.0], dtype=getattr(t, dtype))
        g = t.tensor([(k % 11) / 3.0 - 1.7 for k in range(49)], dtype=getattr(t, dtype))
        for p in (2, 3, -0.5, -1, -2, 0.5, 4):
            a = x.detach().requires_grad_(True)
            y = a**p
            (ga,) = t.autograd.grad(y, a, g)
            # (where PyTorch falls back on its own pow or sqrt, for x**0.5 and x**4 and for the
            # x**-1.5 and x**-3 in the gradients of x**-0.5 and x**-2, it can round differently)
            entry = {}
            if p not in (0.5, 4):
                entry["value"] = _bits(y)
            if p not in (-0.5, -2):
                entry["grad"] = _bits(ga)
            result[f"{dtype} {p}"] = entry
        a = x.detach().requires_grad_(True)
        (ga,) = t.autograd.grad(a**0, a, t.full((49,), float("inf"), dtype=getattr(t, dtype)))
        result[f"{dtype} 0 with inf gradient"] = _bits(ga)
    return result


@case
def in_place_on_a_single_element_view_changes_the_base(t):
    # x[i] is a view even when it is one number: in-place on it writes into x
    x = t.tensor([1.0, 2.0])
    x[0].add_(1)
    y = t.tensor([[1.0, 2.0], [3.0, 4.0]])
    y[1, 0].mul_(5)
    y[0][1].zero_()
    z = t.tensor([1.0, 2.0, 3.0])
    element = z[2]
    z.mul_(2)  # and the view sees changes made through the base
    return {"x": x, "y": y, "element": element, "version": element._version == z._version}


@case
def sgd_step_updates_parameters(t):
    w = t.nn.Parameter(t.tensor([1.0, -2.0]))
    opt = t.optim.SGD([w], lr=0.1)
    (w * w).sum().backward()
    r = opt.step()
    return {"returns": r, "w": w, "grad": w.grad, "lr": opt.param_groups[0]["lr"]}


@case
def sgd_zero_grad_set_to_none(t):
    w = t.nn.Parameter(t.tensor([1.0]))
    opt = t.optim.SGD([w], lr=0.1)
    (w * 3).sum().backward()
    opt.zero_grad()
    default = w.grad
    (w * 3).sum().backward()
    opt.zero_grad(set_to_none=True)
    explicit_none = w.grad
    (w * 3).sum().backward()
    opt.zero_grad(set_to_none=False)
    return {"default": default, "explicit_none": explicit_none, "zeros": w.grad}


@case
def sgd_skips_parameters_without_grad(t):
    a = t.nn.Parameter(t.tensor([1.0]))
    b = t.nn.Parameter(t.tensor([1.0]))
    opt = t.optim.SGD([a, b], lr=0.5)
    (a * 2).sum().backward()
    opt.step()
    return {"a": a, "b": b, "b_grad": b.grad}


@case
def sgd_training_loop_fits_a_line(t):
    model = t.nn.Linear(1, 1)
    assign(t, model.weight, [[0.0]])
    assign(t, model.bias, [0.0])
    opt = t.optim.SGD(model.parameters(), lr=0.1)
    loss_fn = t.nn.MSELoss()
    X = t.tensor([[1.0], [2.0], [3.0]])
    Y = t.tensor([[3.0], [5.0], [7.0]])  # y = 2x + 1
    losses = []
    for _ in range(5):
        opt.zero_grad()
        loss = loss_fn(model(X), Y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return {"losses": losses, "weight": model.weight, "bias": model.bias}


@case
def sgd_manual_update_matches_optimizer(t):
    w1 = t.tensor([1.0, 2.0], requires_grad=True)
    ((w1 * w1).sum() * 0.5).backward()
    with t.no_grad():
        w1 -= 0.1 * w1.grad
    w1.grad.zero_()
    w2 = t.nn.Parameter(t.tensor([1.0, 2.0]))
    opt = t.optim.SGD([w2], lr=0.1, momentum=0)
    ((w2 * w2).sum() * 0.5).backward()
    opt.step()
    return {"manual": w1, "optim": w2, "manual_grad": w1.grad}


@case
def clip_grad_norm_scales_to_max_norm(t):
    p = t.nn.Parameter(t.tensor([0.0, 0.0]))
    p.grad = t.tensor([3.0, 4.0])
    total = t.nn.utils.clip_grad_norm_([p], max_norm=1.0)
    return {"total": total, "grad": p.grad}


@case
def clip_grad_norm_over_several_parameters(t):
    a = t.nn.Parameter(t.tensor([0.0]))
    b = t.nn.Parameter(t.tensor([0.0, 0.0]))
    a.grad = t.tensor([2.0])
    b.grad = t.tensor([4.0, 4.0])
    total = t.nn.utils.clip_grad_norm_([a, b], 3.0)
    return {"total": total, "a": a.grad, "b": b.grad}


@case
def clip_grad_norm_below_max_is_unchanged(t):
    p = t.nn.Parameter(t.tensor([0.0, 0.0]))
    p.grad = t.tensor([0.3, 0.4])
    total = t.nn.utils.clip_grad_norm_([p], max_norm=1.0)
    return {"total": total, "grad": p.grad}


@case
def clip_grad_value_clamps_each_entry(t):
    p = t.nn.Parameter(t.tensor([0.0, 0.0, 0.0]))
    p.grad = t.tensor([-3.0, 0.2, 4.0])
    r = t.nn.utils.clip_grad_value_([p], clip_value=0.5)
    return {"returns": r, "grad": p.grad}


# ======================================================================================
# 20. More: float64 precision, second derivatives of every smooth op, edge cases
# ======================================================================================


@case
def float64_grads_stay_float64_and_precise(t):
    x = t.tensor([0.3, -1.2, 2.5], dtype=t.float64, requires_grad=True)
    y = (x.exp() * x.sin() / (1 + x**2) + x.tanh() * x.sigmoid()).sum()
    y.backward()
    return {"y": y, "x_grad": x.grad}


@case
def float64_softmax_and_log_softmax_grads(t):
    x = t.tensor([[0.1, -0.4, 2.0], [1.0, 1.0, 3.0]], dtype=t.float64, requires_grad=True)
    w = t.tensor([[1.0, 2.0, 3.0], [-1.0, 0.5, 0.0]], dtype=t.float64)
    ((x.softmax(1) * w).sum() + (x.log_softmax(0) * w).sum()).backward()
    return {"x_grad": x.grad}


@case
def float64_matmul_and_mean_grads(t):
    a = t.tensor([[0.1, 0.2], [0.3, 0.4]], dtype=t.float64, requires_grad=True)
    b = t.tensor([[1.5], [-2.5]], dtype=t.float64, requires_grad=True)
    ((a @ b).tanh().mean()).backward()
    return {"a_grad": a.grad, "b_grad": b.grad}


def _second_derivative_case(op_name, f):
    """Register ``second_derivative_of_<op_name>``.

    In float64, at x = [0.5, 1.5]: g1 = grad of sum(f(x)), g2 = grad of g1[0] + 2 * g1[1].
    """

    def run(t):
        x = t.tensor([0.5, 1.5], dtype=t.float64, requires_grad=True)
        (g1,) = t.autograd.grad(f(t, x).sum(), x, create_graph=True)
        (g2,) = t.autograd.grad((g1 * t.tensor([1.0, 2.0], dtype=t.float64)).sum(), x)
        return {"g1": g1.detach(), "g2": g2}

    run.__name__ = run.__qualname__ = f"second_derivative_of_{op_name}"
    return case(run)


_second_derivative_case("exp", lambda t, x: x.exp())
_second_derivative_case("log", lambda t, x: x.log())
_second_derivative_case("sin", lambda t, x: x.sin())
_second_derivative_case("cos", lambda t, x: x.cos())
_second_derivative_case("tanh", lambda t, x: x.tanh())
_second_derivative_case("sigmoid", lambda t, x: x.sigmoid())
_second_derivative_case("sqrt", lambda t, x: x.sqrt())
_second_derivative_case("pow_cube", lambda t, x: x**3)
_second_derivative_case("pow_half", lambda t, x: x**0.5)
_second_derivative_case("python_base_pow", lambda t, x: 3**x)
_second_derivative_case("pow_tensor_exponent", lambda t, x: x**x)
_second_derivative_case("reciprocal", lambda t, x: 1 / x)
_second_derivative_case("div_by_tensor", lambda t, x: x.exp() / (x + 1))
_second_derivative_case("mul_and_sub", lambda t, x: x * x - 3 * x)
_second_derivative_case("neg_square", lambda t, x: -(x * x))
_second_derivative_case("softmax", lambda t, x: x.softmax(0) * t.tensor([1.0, 3.0], dtype=t.float64))
_second_derivative_case("log_softmax", lambda t, x: x.log_softmax(0) * t.tensor([1.0, 3.0], dtype=t.float64))
_second_derivative_case(
    "matmul_quadratic_form",
    lambda t, x: x @ t.tensor([[1.0, 2.0], [0.0, 3.0]], dtype=t.float64) @ x,
)
_second_derivative_case("mean_of_squares", lambda t, x: (x**2).mean(0, keepdim=True))
_second_derivative_case("max_of_squares", lambda t, x: (x**2).max())
_second_derivative_case("max_dim_of_squares", lambda t, x: (x**2).reshape(1, 2).max(dim=1).values)
_second_derivative_case("index_and_slice", lambda t, x: x[0] * x[1:] ** 2)
_second_derivative_case("transpose_view", lambda t, x: (x.reshape(2, 1).T ** 3).view(2))
_second_derivative_case("clamp_inside_bounds", lambda t, x: x.clamp(0, 10) ** 2)
_second_derivative_case("relu_squared", lambda t, x: x.relu() ** 2)
_second_derivative_case("abs_cubed", lambda t, x: x.abs() ** 3)


@case
def index_none_ellipsis_and_mixed(t):
    x = t.arange(6.0).reshape(2, 3).requires_grad_()
    a = x[None]
    b = x[..., 0]
    c = x[1, 1:]
    (a.sum() + 10 * b.sum() + 100 * c.sum()).backward()
    return {
        "a_shape": tuple(a.shape),
        "a_name": name(a.grad_fn),
        "b": b,
        "c": c,
        "mid_none": tuple(x[:, None].shape),
        "x_grad": x.grad,
    }


@case
def slice_negative_step_raises(t):
    return {"error": raises(lambda: t.arange(4)[::-1])}


@case
def inplace_true_division_of_int_raises(t):
    x = t.tensor([1, 2])

    def idiv():
        nonlocal x
        x /= 2

    return {"error": raises(idiv), "x": x}


@case
def arange_float_step_count(t):
    return {"a": t.arange(0, 1, 0.1), "len": len(t.arange(0, 1, 0.1))}


@case
def max_propagates_nan(t):
    x = t.tensor([[1.0, float("nan"), 3.0]])
    r = x.max(1)
    return {"all": x.max(), "values": r.values, "indices": r.indices}


@case
def softmax_with_minus_inf(t):
    x = t.tensor([0.0, float("-inf")])
    return {"softmax": x.softmax(0), "log_softmax": x.log_softmax(0)}


@case
def overflow_saturates_without_warnings(t):
    return {
        "exp": warns(lambda: t.tensor([100.0]).exp()),
        "sigmoid_neg": warns(lambda: t.tensor([-1000.0]).sigmoid()),
        "sigmoid_pos": warns(lambda: t.tensor([1000.0]).sigmoid()),
        "tanh": warns(lambda: t.tensor([1000.0, -1000.0]).tanh()),
        "pow": warns(lambda: t.tensor([1e30]) ** 2),
    }


@case
def sigmoid_and_tanh_grads_saturate_to_zero(t):
    x = t.tensor([-1000.0, 1000.0], requires_grad=True)
    (x.sigmoid() + x.tanh()).sum().backward()
    return {"x_grad": x.grad}


@case
def reshape_to_scalar_and_back(t):
    x = t.tensor([5.0], requires_grad=True)
    s = x.reshape(())
    s.backward()
    return {"s": s, "flat": t.tensor([[5.0]]).view(-1), "x_grad": x.grad}


@case
def squeeze_of_non_singleton_dim_is_noop_with_grad_fn(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    y = x.squeeze(0)
    return {"y": y, "name": name(y.grad_fn)}


@case
def softmax_3d_middle_dim_grad(t):
    x = t.arange(12.0).reshape(2, 3, 2).requires_grad_()
    w = t.tensor([[[0.0, 1.0], [2.0, 3.0], [4.0, 0.0]], [[1.0, 2.0], [3.0, 4.0], [0.0, 1.0]]])
    s = x.softmax(dim=1)
    (s * w).sum().backward()
    return {"s_sum_dim1": s.sum(1), "x_grad": x.grad}


@case
def max_dim_keepdim_grad_3d(t):
    x = t.tensor([[[1.0, 9.0], [4.0, 2.0]], [[0.0, -1.0], [5.0, 5.0]]], requires_grad=True)
    r = x.max(dim=-2, keepdim=True)
    (r.values * t.tensor([[[1.0, 2.0]], [[3.0, 4.0]]])).sum().backward()
    return {"values": r.values, "indices": r.indices, "x_grad": x.grad}


@case
def sum_and_mean_keepdim_tuple_negative_dims_grad(t):
    x = t.arange(24.0).reshape(2, 3, 4).requires_grad_()
    s = x.sum(dim=(-1, 0), keepdim=True)
    m = x.mean(dim=(0, -2))
    (s * 2).sum().backward(retain_graph=True)
    (m * t.tensor([1.0, 2.0, 3.0, 4.0])).sum().backward()
    return {"s": s, "m": m, "x_grad": x.grad[:, :, 0]}


@case
def pow_tensor_exponent_broadcast_grad(t):
    base = t.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    exp = t.tensor([2.0, 0.5], requires_grad=True)
    y = base**exp
    y.sum().backward()
    return {"y": y, "base_grad": base.grad, "exp_grad": exp.grad}


@case
def pow_tensor_exponent_at_zero_base(t):
    base = t.tensor([0.0, 0.0], requires_grad=True)
    exp = t.tensor([2.0, 0.0], requires_grad=True)
    (base**exp).sum().backward()
    return {"base_grad": base.grad, "exp_grad": exp.grad}


@case
def requires_grad_attribute_setter(t):
    x = t.tensor([1.0, 2.0])
    x.requires_grad = True
    y = x * 2

    def set_on_non_leaf():
        y.requires_grad = False

    def set_on_int():
        t.tensor([1, 2]).requires_grad = True

    return {
        "x": x,
        "is_leaf": x.is_leaf,
        "non_leaf": raises(set_on_non_leaf),
        "int": raises(set_on_int),
    }


@case
def grad_setter_checks_shape(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)

    def assign_wrong_shape():
        x.grad = t.zeros(3)

    x.grad = t.tensor([5.0, 6.0])
    return {"error": raises(assign_wrong_shape), "grad": x.grad}


@case
def int_tensor_negative_power_raises(t):
    return {
        "error": raises(lambda: t.tensor([1, 2]) ** -1),
        "float_exponent": t.tensor([1, 4]) ** 0.5,
    }


@case
def ragged_nested_list_raises(t):
    return {"error": raises(lambda: t.tensor([[1, 2], [3]]))}


@case
def sum_of_empty_is_zero(t):
    return {"sum": t.ones(2, 0).sum(), "dim": t.ones(2, 0).sum(1)}


@case
def item_on_one_element_2d(t):
    return {"item": t.tensor([[1.5]]).item()}


@case
def module_repr_lists_children(t):
    class Affine(t.nn.Module):
        def __init__(self):
            super().__init__()
            self.w = t.nn.Parameter(t.tensor([2.0]))

        def forward(self, x):
            return x * self.w

    class Net(t.nn.Module):
        def __init__(self):
            super().__init__()
            self.first = Affine()
            self.lin = t.nn.Linear(2, 2)
            self.act = t.nn.ReLU()

        def forward(self, x):
            return self.act(self.lin(self.first(x)))

    net = Net()
    return {
        "repr": repr(net),
        "leaf_repr": repr(Affine()),
        "names": [n for n, _ in net.named_parameters()],
    }


@case
def mse_loss_warns_on_broadcasting_target(t):
    pred = t.tensor([1.0, 2.0], requires_grad=True)
    target = t.tensor([[1.0], [3.0]])
    return {"loss": warns(lambda: t.nn.MSELoss()(pred, target))}


@case
def clip_grad_norm_skips_parameters_without_grad(t):
    a = t.nn.Parameter(t.tensor([1.0, 1.0]))
    b = t.nn.Parameter(t.tensor([1.0]))
    b.grad = t.tensor([2.0])
    total = t.nn.utils.clip_grad_norm_([a, b], 1.0)
    return {"total": total, "a_grad": a.grad, "b_grad": b.grad}


@case
def clip_grad_norm_without_any_grad(t):
    p = t.nn.Parameter(t.ones(2))
    return {"total": t.nn.utils.clip_grad_norm_([p], 1.0), "grad": p.grad}


@case
def parameter_stays_parameter_after_inplace_update(t):
    p = t.nn.Parameter(t.tensor([1.0, 2.0]))
    with t.no_grad():
        p.mul_(3)
    return {"repr": repr(p), "type": type(p).__name__, "is_leaf": p.is_leaf}


@case
def custom_function_double_backward(t):
    class Cube(t.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**3

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 3 * x**2 * g

    x = t.tensor(2.0, requires_grad=True)
    (g1,) = t.autograd.grad(Cube.apply(x), x, create_graph=True)
    (g2,) = t.autograd.grad(g1, x)
    return {"g1": g1, "g2": g2}


@case
def hook_on_tensor_used_twice_sees_summed_grad(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    seen = []
    y.register_hook(lambda g: seen.append(g.clone()))
    (y * y + y).sum().backward()
    return {"seen": seen, "x_grad": x.grad}


@case
def hook_does_not_touch_previously_accumulated_grad(t):
    x = t.tensor([1.0], requires_grad=True)
    (x * 2).sum().backward()
    x.register_hook(lambda g: g * 10)
    (x * 3).sum().backward()
    return {"x_grad": x.grad}


@case
def autograd_grad_of_several_outputs_sums(t):
    x = t.tensor(2.0, requires_grad=True)
    (g,) = t.autograd.grad([x * x, x * 3], x)
    return {"g": g}


@case
def inplace_broadcast_add_on_non_leaf_grad(t):
    a = t.zeros(2, 3, requires_grad=True)
    b = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = a * 1
    y += b
    (y * y).sum().backward()
    return {"y": y, "a_grad": a.grad, "b_grad": b.grad}


@case
def backward_inside_no_grad_still_works(t):
    x = t.tensor(3.0, requires_grad=True)
    y = x * x
    with t.no_grad():
        y.backward()
    return {"x_grad": x.grad}


@case
def create_graph_implies_retain_graph(t):
    x = t.tensor(2.0, requires_grad=True)
    y = x**3
    t.autograd.grad(y, x, create_graph=True)
    second = t.autograd.grad(y, x)
    z = x**2
    warns(lambda: z.backward(create_graph=True))
    third = raises(lambda: z.backward())
    return {"second": second, "third": third, "x_grad": x.grad.detach()}


@case
def deep_chain_of_5000_ops_backward(t):
    x = t.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(5000):
        y = y * 1.0001 + 0.0
    y.backward()
    return {"y": y.detach(), "x_grad": x.grad}


# --------------------------------------------------------------------------------------
# Gradients that a mask chooses: exactly 0 where not chosen, whatever arrives
# --------------------------------------------------------------------------------------

_SPECIAL_GRADS = [float("inf"), float("nan"), -2.0, 1.0]


def _grad_through(t, f, values):
    """x.grad after ``f(x).backward(g)`` with inf, nan, -2 and 1 in the incoming gradient g."""
    x = t.tensor(values, requires_grad=True)
    y = f(x)
    n = y.numel()
    g = t.tensor((_SPECIAL_GRADS * n)[:n]).reshape(y.shape)
    y.backward(g)
    return x.grad


@case
def masked_backwards_give_exact_zeros_where_not_chosen(t):
    # PyTorch chooses these gradients (where, masked_fill, scatter) instead of multiplying them
    # by a mask: an inf, nan or negative gradient leaves +0 (not nan, not -0) where not chosen
    rows = [[0.5, -1.5, 2.0, 0.0], [1.0, 0.25, -0.75, 2.0], [2.0, 2.0, -3.0, 1.0]]
    ones = t.ones(3, 4)
    return {
        "clamp": _grad_through(t, lambda x: x.clamp(-1, 1), rows),
        "clamp_min": _grad_through(t, lambda x: x.clamp(min=0.3), rows),
        "max": _grad_through(t, lambda x: x.max(), rows),
        "min": _grad_through(t, lambda x: x.min(), rows),
        "max_dim": _grad_through(t, lambda x: x.max(dim=1)[0], rows),
        "min_dim0": _grad_through(t, lambda x: x.min(dim=0)[0], rows),
        "maximum": _grad_through(t, lambda x: t.maximum(x, ones), rows),
        "minimum": _grad_through(t, lambda x: t.minimum(x, ones), rows),
        "where": _grad_through(t, lambda x: t.where(x > 0.6, x, 2 * x), rows),
        "where_number": _grad_through(t, lambda x: t.where(x > 0.6, x, t.zeros(3, 4)), rows),
        "pow_tensor_zero_exponent": _grad_through(t, lambda x: x ** t.tensor([0.0, 2.0, 0.0, 1.0]), rows),
    }


@case
def nan_inputs_in_max_min_maximum_and_sign(t):
    nan, inf = float("nan"), float("inf")
    rows = [[0.5, nan, 2.0, -0.0], [1.0, 0.0, inf, 2.0], [-inf, 2.0, nan, 1.0]]
    ones = t.ones(3, 4)

    def grad_of_sum(f):
        x = t.tensor(rows, requires_grad=True)
        f(x).sum().backward()
        return x.grad

    signs = t.tensor([nan, -0.0, 0.0, -2.0, 3.0, inf, -inf])
    return {
        "max_grad": grad_of_sum(lambda x: x.max()),  # a nan maximum: the nan elements share it
        "min_grad": grad_of_sum(lambda x: x.min()),
        "row_max_grad": grad_of_sum(lambda x: x[0].max()),
        "maximum_grad": grad_of_sum(lambda x: t.maximum(x, ones)),
        "minimum_grad": grad_of_sum(lambda x: t.minimum(ones, x)),
        "clamp_grad": grad_of_sum(lambda x: x.clamp(-1, 1)),
        "abs_grad": grad_of_sum(lambda x: x.abs()),  # grad · sgn(x), and sgn(nan) = 0
        "sign": signs.sign(),
        "sgn": signs.sgn(),
    }


@case
def relu_and_clamp_keep_negative_zero(t):
    x = t.tensor([-0.0, 0.0, -1.0, 2.0])
    return {
        "relu": x.relu(),
        "clamp_0_1": x.clamp(0, 1),
        "clamp_min_0": x.clamp(min=0),
        "clamp_max_0": t.tensor([0.0, 1.0]).clamp(max=-0.0),
        "signbits": [math.copysign(1.0, v) for v in x.relu().tolist()],
    }


# --------------------------------------------------------------------------------------
# The graph that create_graph records: PyTorch's backward formulas, node for node
# --------------------------------------------------------------------------------------


@case
def linear_double_backward_graph(t):
    # mm's backward for a column-major matrix (the weight's w.t()) is (gradᵀ @ mat1)ᵀ in PyTorch;
    # TBackward0's own backward is grad.t()
    lin = t.nn.Linear(3, 2)
    assign(t, lin.weight, [[0.5, -1.0, 0.25], [1.5, 0.5, -0.5]])
    assign(t, lin.bias, [0.25, -0.5])
    x = t.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    y = (lin(x) ** 2).sum()
    gw, gx = t.autograd.grad(y, (lin.weight, x), create_graph=True)
    ggw, ggx = t.autograd.grad((gw * gw).sum() + (gx * gx).sum(), (lin.weight, x))
    return {
        "gw": gw.detach(),
        "gx": gx.detach(),
        "gw_graph": graph(gw.grad_fn),
        "gx_graph": graph(gx.grad_fn),
        "ggw": ggw,
        "ggx": ggx,
    }


@case
def column_major_matmul_gradients_and_graph(t):
    a = t.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)
    b = t.tensor([[0.5, -1.0, 2.0], [1.0, 0.0, -0.5]], requires_grad=True)
    y = a.t() @ b.t()  # both column-major
    ga, gb = t.autograd.grad((y * y).sum(), (a, b), create_graph=True)
    return {
        "ga": ga.detach(),
        "gb": gb.detach(),
        "ga_graph": graph(ga.grad_fn),
        "gb_graph": graph(gb.grad_fn),
    }


@case
def sigmoid_sqrt_and_pow_double_backward_graphs(t):
    x = t.tensor([0.5, -1.5, 2.0], dtype=t.float64, requires_grad=True)
    result = {}
    for name, f in (
        ("sigmoid", lambda v: v.sigmoid()),
        ("sqrt", lambda v: (v * v + 1).sqrt()),
        ("pow3", lambda v: v**3),
        ("abs", lambda v: v.abs() * v),
    ):
        (g,) = t.autograd.grad(f(x).sum(), x, create_graph=True)
        (gg,) = t.autograd.grad(g.sum(), x)
        result[name] = {"g": g.detach(), "graph": graph(g.grad_fn), "gg": gg}
    return result


@case
def pow_gradients_at_a_zero_base_and_in_mixed_precision(t):
    inf, nan = float("inf"), float("nan")
    x = t.tensor([inf, 0.0, -0.0, 1.0, 0.5, -1.0, nan], requires_grad=True)
    (0.0**x).sum().backward()  # 0ᵃ is flat where a ≥ 0: exactly 0 there, not 0 · ln 0
    e = t.tensor([0.5, -1.5, 2.0], dtype=t.float64, requires_grad=True)
    base = t.full((3,), 2.0)  # float32 base, float64 exponent: ln 2 in float64, as the result
    (base**e).sum().backward()
    y = t.tensor([0.5, 2.0], requires_grad=True)
    (3.0**y).sum().backward()
    return {"zero_base_grad": x.grad, "mixed_grad": e.grad, "three_to_y_grad": y.grad}


# --------------------------------------------------------------------------------------
# Bad input: PyTorch's exception types and messages
# --------------------------------------------------------------------------------------


@case
def matmul_dtype_mismatch_messages(t):
    def mixed(a, b):
        return raises(lambda: t.ones(*a) @ t.ones(*b, dtype=t.float64))

    return {
        "mm": mixed((2, 3), (3, 2)),
        "mm_int": raises(lambda: t.ones(2, 3) @ t.ones(3, 2, dtype=t.int64)),
        "mv": mixed((2, 3), (3,)),
        "mv_int_matrix": raises(lambda: t.ones(2, 3, dtype=t.int64) @ t.ones(3)),
        "dot": mixed((3,), (3,)),
        "dot_bool": raises(lambda: t.ones(3, dtype=t.bool) @ t.ones(3)),
        "vm": mixed((3,), (3, 2)),
        "batched_by_matrix": mixed((2, 2, 3), (3, 2)),
        "batched_by_vector": mixed((2, 2, 3), (3,)),
        "batched_by_batched": mixed((2, 2, 3), (2, 3, 2)),
        "matrix_by_batched": mixed((2, 3), (2, 3, 2)),
    }


@case
def reshape_view_and_expand_shape_errors(t):
    x = t.ones(2, 3)
    return {
        "view_wrong_size": raises(lambda: x.view(4)),
        "view_wrong_inferred": raises(lambda: x.view(-1, 4)),
        "reshape_wrong_size": raises(lambda: x.reshape(2, 2, -1)),
        "reshape_zero_and_inferred": raises(lambda: x.reshape(0, -1)),
        "reshape_two_inferred": raises(lambda: x.reshape(-1, -1)),
        "reshape_negative": raises(lambda: x.reshape(-2, -3)),
        "reshape_inferred": x.reshape(3, -1),
        "view_of_transpose": raises(lambda: x.t().view(6)),
        "expand_non_singleton": raises(lambda: x.expand(3, 3)),
        "expand_vector": raises(lambda: t.ones(3).expand(2, 4)),
        "expand_too_few_sizes": raises(lambda: t.ones(2, 1, dtype=t.float64).expand(3)),
        "expand_new_leading_minus_one": raises(lambda: t.ones(2, 1).expand(-1, 2, 3)),
        "expand_keep_and_grow": t.ones(2, 1).expand(3, -1, 4),
    }


@case
def tensor_from_data_that_is_not_numbers(t):
    return {
        "ragged": raises(lambda: t.tensor([[1], []])),
        "number_where_a_list_belongs": raises(lambda: t.tensor([[1], 2])),
        "list_where_a_number_belongs": raises(lambda: t.tensor([1, [2]])),
        "deeper_list": raises(lambda: t.tensor([[1, [2]], [3, 4]])),
        "none": raises(lambda: t.tensor(None)),
        "none_inside": raises(lambda: t.tensor([1, None])),
        "dict": raises(lambda: t.tensor({1: 2})),
        "object_inside": raises(lambda: t.tensor([[object()]])),
        "string": raises(lambda: t.tensor("a")),
        "bytes": raises(lambda: t.tensor(b"a")),
        "strings": raises(lambda: t.tensor(["a", "b"])),
        "string_after_a_number": raises(lambda: t.tensor([1, "a", None])),
        "mixed_numbers": t.tensor([1, 2.5, True]),
        "empty_rows": t.tensor([[], []]),
        "tuples": t.tensor(((1, 2), (3, 4))),
        "range": t.tensor(range(3)),
    }


@case
def converting_a_tensor_of_several_numbers_to_a_python_number(t):
    two = t.tensor([1.0, 2.0])
    return {
        "float": raises(lambda: float(two)),
        "int": raises(lambda: int(t.ones(2, 2))),
        "float_of_empty": raises(lambda: float(t.zeros(0))),
        "item": raises(lambda: two.item()),
        "bool": raises(lambda: bool(two)),
        "float_of_one": float(t.tensor([2.5])),
        "int_of_one": int(t.tensor([[2.7]])),
    }


@case
def integer_and_bool_tensors_where_pytorch_refuses_them(t):
    ints, bools = t.tensor([[1, 2, 3]]), t.tensor([True, False])
    return {
        "softmax_last_dim": raises(lambda: ints.softmax(dim=1)),
        "softmax_other_dim": raises(lambda: ints.softmax(dim=0)),
        "log_softmax_last_dim": raises(lambda: ints.log_softmax(dim=-1)),
        "log_softmax_other_dim": raises(lambda: ints.log_softmax(dim=-2)),
        "softmax_bool": raises(lambda: bools.softmax(dim=0)),
        "mse_ints": raises(lambda: t.nn.functional.mse_loss(ints, ints)),
        "mse_bools": raises(lambda: t.nn.functional.mse_loss(bools, bools)),
        "mse_int_and_float": t.nn.functional.mse_loss(ints, ints * 1.0),
        "abs_bool": raises(lambda: bools.abs()),
        "relu_bool": raises(lambda: bools.relu()),
        "sign_bool": bools.sign(),
        "sign_int": t.tensor([-3, 0, 2]).sign(),
        "neg_bool": raises(lambda: -bools),
        "sub_bools": raises(lambda: bools - bools),
        "sub_bool_and_int": raises(lambda: bools - 1),
        "rsub_bool": raises(lambda: 1 - bools),
        "sub_float_and_bool": raises(lambda: t.tensor([1.5]) - True),
        "pow_bools": raises(lambda: bools**bools),
        "relu_int": t.tensor([-3, 2]).relu(),
        "abs_int": t.tensor([-3, 2]).abs(),
    }


@case
def integer_powers(t):
    e = t.tensor([-1, 0, 3])
    return {
        "two_to_ints": 2 ** t.tensor([1, 2]),
        "two_to_a_0d_int": 2 ** t.tensor(3),
        "two_to_bools": 2 ** t.tensor([True, False]),
        "float_to_ints": 2.0 ** t.tensor([1, 2]),
        "int_to_floats": 2 ** t.tensor([1.5]),
        "three_to_negative": 3**e,
        "one_to_negative": 1**e,
        "minus_one_to_negative": (-1) ** t.tensor([-1, -2, 3]),
        "zero_to_negative": 0**e,
        "ints_to_ints": t.tensor([1, 2, -1, 5]) ** t.tensor([-1, 2, -3, -2]),
        "ints_to_number": t.tensor([2, 3]) ** 2,
        "ints_to_negative_number": raises(lambda: t.tensor([2, 3]) ** -1),
        "ints_to_floats": t.tensor([2, 3]) ** t.tensor([0.5, 2.0]),
    }


# --------------------------------------------------------------------------------------
# nn and optim: what a training loop touches
# --------------------------------------------------------------------------------------


def _small_model(t):
    nn = t.nn
    model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
    assign(t, model[0].weight, [[0.5, -1.0], [0.25, 0.75], [-0.5, 0.1]])
    assign(t, model[0].bias, [0.1, -0.2, 0.3])
    assign(t, model[2].weight, [[1.0, -0.5, 0.25]])
    assign(t, model[2].bias, [0.05])
    return model


@case
def module_names_and_state_dict(t):
    model = _small_model(t)
    saved = model.state_dict()
    with t.no_grad():
        model[0].weight.mul_(0.0)
    loaded = model.load_state_dict({k: v.clone() for k, v in saved.items()})
    missing = dict(saved)
    del missing["0.bias"]
    missing["x.y"] = t.ones(1)
    wrong_shape = dict(saved)
    wrong_shape["0.weight"] = t.ones(2, 2)
    return {
        "module_names": [name for name, _ in model.named_modules()],
        "module_types": [type(m).__name__ for m in model.modules()],
        "keys": list(saved),
        "saved_requires_grad": saved["0.weight"].requires_grad,
        # state_dict shares the parameters' storage: the in-place change above shows in it too
        "saved_weight_after_the_change": saved["0.weight"],
        "loaded": repr(loaded),
        "weight_after_load": model[0].weight.detach(),
        "missing_and_unexpected": raises(lambda: model.load_state_dict(missing)),
        "not_strict": repr(model.load_state_dict(missing, strict=False)),
        "size_mismatch": raises(lambda: model.load_state_dict(wrong_shape)),
    }


@case
def sgd_repr_groups_and_errors(t):
    model = _small_model(t)
    groups = [{"params": model[0].parameters()}, {"params": model[2].parameters(), "lr": 0.01}]
    return {
        "repr": repr(t.optim.SGD(model.parameters(), lr=0.1)),
        "repr_momentum": repr(t.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)),
        "repr_groups": repr(t.optim.SGD(groups, lr=0.1)),
        "group_keys": sorted(t.optim.SGD(model.parameters(), lr=0.1).param_groups[0]),
        "empty": raises(lambda: t.optim.SGD([], lr=0.1)),
        "a_tensor": raises(lambda: t.optim.SGD(model[0].weight, lr=0.1)),
        "negative_lr": raises(lambda: t.optim.SGD(model.parameters(), lr=-1)),
        "negative_momentum": raises(lambda: t.optim.SGD(model.parameters(), lr=0.1, momentum=-1)),
        "negative_weight_decay": raises(lambda: t.optim.SGD(model.parameters(), lr=0.1, weight_decay=-1)),
        "nesterov_without_momentum": raises(lambda: t.optim.SGD(model.parameters(), lr=0.1, nesterov=True)),
    }


@case
def sgd_variants_over_three_steps(t):
    x = t.tensor([[0.5, -1.0], [1.5, 0.25], [-0.5, 2.0]])
    y = t.tensor([[1.0], [-1.0], [0.5]])
    results = {}
    variants = {
        "plain": {},
        "momentum": {"momentum": 0.9},
        "dampening": {"momentum": 0.9, "dampening": 0.5},
        "nesterov": {"momentum": 0.9, "nesterov": True},
        "weight_decay": {"weight_decay": 0.1, "momentum": 0.5},
        "maximize": {"maximize": True, "momentum": 0.5},
    }
    for name, options in variants.items():
        model = _small_model(t)
        opt = t.optim.SGD(model.parameters(), lr=0.1, **options)
        losses = []
        for _ in range(3):
            opt.zero_grad()
            loss = t.nn.functional.mse_loss(model(x), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        results[name] = {"losses": losses, "weight": model[0].weight.detach(), "bias": model[2].bias.detach()}
    model = _small_model(t)
    opt = t.optim.SGD(
        [{"params": model[0].parameters()}, {"params": model[2].parameters(), "lr": 0.01}],
        lr=0.1,
        momentum=0.9,
    )
    for _ in range(2):
        opt.zero_grad()
        t.nn.functional.mse_loss(model(x), y).backward()
        opt.step()
    results["groups"] = {"first": model[0].weight.detach(), "second": model[2].weight.detach()}
    results["momentum_buffer"] = opt.state[model[2].weight]["momentum_buffer"]
    return results


@case
def cross_entropy_values_grads_graph_and_errors(t):
    F = t.nn.functional
    logits = [[1.0, 2.0, 0.5], [0.1, -1.0, 2.0]]

    def grad_of(target, reduction="mean", g=None):
        x = t.tensor(logits, requires_grad=True)
        loss = F.cross_entropy(x, target, reduction=reduction)
        loss.backward(g)
        return {"loss": loss.detach(), "grad": x.grad, "graph": graph(loss.grad_fn)}

    x = t.tensor(logits, requires_grad=True)
    return {
        "mean": grad_of(t.tensor([1, 2])),
        "sum": grad_of(t.tensor([1, 2]), "sum"),
        "none": grad_of(t.tensor([1, 2]), "none", t.tensor([1.0, float("inf")])),
        "probabilities": F.cross_entropy(x, t.tensor([[0.2, 0.8, 0.0], [0.0, 0.0, 1.0]])).detach(),
        "probabilities_none": F.cross_entropy(
            x, t.tensor([[0.2, 0.8, 0.0], [0.0, 0.0, 1.0]]), reduction="none"
        ),
        "one_sample": F.cross_entropy(t.tensor([1.0, 2.0, 0.5]), t.tensor(1)),
        "module": t.nn.CrossEntropyLoss()(x, t.tensor([0, 1])).detach(),
        "out_of_bounds": raises(lambda: F.cross_entropy(x, t.tensor([1, 3]))),
        "negative": raises(lambda: F.cross_entropy(x, t.tensor([1, -1]))),
        "batch_mismatch": raises(lambda: F.cross_entropy(x, t.tensor([1, 2, 0]))),
        "float_classes": raises(lambda: F.cross_entropy(x, t.tensor([1.0, 2.0]))),
        "bool_classes": raises(lambda: F.cross_entropy(x, t.tensor([True, False]))),
        "two_d_classes": raises(lambda: F.cross_entropy(x, t.tensor([[1], [2]]))),
        "int_logits": raises(lambda: F.cross_entropy(t.zeros(2, 3, dtype=t.int64), t.tensor([1, 2]))),
    }


@case
def negative_zero_as_a_python_number(t):
    x = t.tensor([0.5, -1.0])
    first = x * -0.0
    second = x * 0.0  # (a cache of wrapped numbers must not hand back -0.0 for 0.0)
    return {
        "times_minus_zero": first,
        "times_zero": second,
        "plus_minus_zero": t.tensor([0.0]) + -0.0,
        "plus_zero": t.tensor([-0.0]) + 0.0,
    }


@case
def autograd_error_messages_in_full(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    y.add_(1)
    modified = raises(lambda: y.sum().backward())
    with t.inference_mode():
        inf = x * 2
    leaf = t.tensor([1.0, 2.0], requires_grad=True)
    plain = t.tensor([1.0, 2.0])

    def nan_backward(check_nan):
        z = t.tensor([0.0], requires_grad=True)
        with t.autograd.detect_anomaly(check_nan=check_nan):
            (z.sqrt() * 0).sum().backward()  # 0 · inf = nan in sqrt's backward
        return z.grad

    return {
        "modified_in_place": modified,
        "requires_grad_on_inference_tensor": raises(lambda: inf.requires_grad_()),
        "inference_tensor_saved": raises(lambda: (inf * x).sum().backward()),
        "in_place_on_a_view_of_a_leaf": raises(lambda: leaf[0].add_(1)),
        "grad_of_an_output_without_grad": raises(lambda: t.autograd.grad(plain.sum(), plain)),
        "anomaly_without_nan_check": nan_backward(False),
        "anomaly_with_nan_check": raises(lambda: nan_backward(True), upto="\n"),
    }


@case
def detect_anomaly_warns_that_it_is_slow(t):
    def enter():
        with t.autograd.detect_anomaly():
            pass

    def set_mode():
        t.autograd.set_detect_anomaly(True)
        t.autograd.set_detect_anomaly(False)

    return {"detect_anomaly": warns(enter), "set_detect_anomaly": warns(set_mode)}


@case
def indexing_errors(t):
    x = t.ones(2, 3)
    y = t.ones(2, 3, 4)
    return {
        "second_index": raises(lambda: x[0, 3]),
        "negative": raises(lambda: x[1, -4]),
        "after_none": raises(lambda: x[None, 0, 7]),
        "after_ellipsis": raises(lambda: y[0, ..., 9]),
        "after_slice_and_none": raises(lambda: y[:, None, 7]),
        "list": raises(lambda: x[[0, 2]]),
        "two_lists": raises(lambda: x[[0, 1], [0, 3]]),
        "tensor_of_positions": raises(lambda: x[t.tensor([[0], [2]])]),
        "float": raises(lambda: x[None, 1.5]),
        "float_tensor": raises(lambda: x[t.tensor([0.5])]),
        "mask_too_long": raises(lambda: x[t.tensor([True, False, True])]),
        "mask_on_second_dim": raises(lambda: x[:, t.tensor([True, False])]),
        "mask_then_positions": raises(lambda: x[t.tensor([True, False]), t.tensor([0, 5])]),
        "mask_2d": x[t.tensor([[True, False, True], [True, True, False]])],
        "0d_index_tensor": x[t.tensor(1)],
        "mask_after_ellipsis": x[..., t.tensor([True, False, True])],
        "mask_after_ellipsis_too_long": raises(lambda: y[..., t.tensor([True, False])]),
        "mask_before_ellipsis": y[t.tensor([True, False]), ...],
    }


@case
def cat_and_stack_sizes(t):
    a = t.ones(2, 3, requires_grad=True)
    b = t.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    wide = t.cat([a, b], dim=1)
    (wide * t.arange(5.0)).sum().backward()
    return {
        "wide": wide,
        "a_grad": a.grad,
        "b_grad": b.grad,
        "last_dim": t.stack([t.ones(2), t.zeros(2)], dim=-1),
        "mixed_dtypes": t.cat([t.ones(2), t.tensor([1, 2])]),
        "cat_dims_differ": raises(lambda: t.cat([t.ones(2, 3), t.ones(3)])),
        "cat_sizes_differ": raises(lambda: t.cat([t.ones(2, 3), t.ones(2, 4)], dim=0)),
        "cat_empty": raises(lambda: t.cat([])),
        "cat_dim_out_of_range": raises(lambda: t.cat([t.ones(2, 3)], dim=2)),
        "stack_sizes_differ": raises(lambda: t.stack([t.ones(2, 3), t.ones(3, 2)])),
        "stack_empty": raises(lambda: t.stack([])),
        "stack_dim_out_of_range": raises(lambda: t.stack([t.ones(2, 3)], dim=3)),
    }


@case
def norm_values_gradients_and_node(t):
    def grad(values, **options):
        x = t.tensor(values, requires_grad=True)
        n = x.norm(**options)
        n.sum().backward()
        return {"norm": n, "grad": x.grad}

    return {
        "euclidean": grad([3.0, 4.0]),
        "at_zero": grad([0.0, 0.0, 0.0]),
        "p1": grad([3.0, -4.0], p=1),
        "p3": grad([3.0, -4.0], p=3),
        "p3_at_zero": grad([0.0, 0.0], p=3),
        "inf_with_a_tie": grad([3.0, -4.0, 4.0], p=float("inf")),
        "rows": grad([[3.0, -4.0], [0.0, 0.0]], dim=1),
        "columns_keepdim": grad([[3.0, -4.0], [1.0, 2.0]], p=3, dim=0, keepdim=True),
        "int_tensor": raises(lambda: t.tensor([1, 2]).norm()),
    }


@case
def setitem_gradient_is_exactly_zero_where_overwritten(t):
    x = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x.clone()
    y[0] = 5.0
    y.backward(t.tensor([float("inf"), -2.0, float("nan")]))
    return {"y": y.detach(), "x_grad": x.grad}


@case
def strides_of_views(t):
    x = t.zeros(2, 3)
    return {
        "contiguous": x.stride(),
        "transposed": x.t().stride(),
        "column": x[:, 1].stride(),
        "last": x.stride(-1),
        "scalar": t.zeros(()).stride(),
        "every_other": t.zeros(4)[::2].stride(),
        "expanded": t.zeros(1, 3).expand(2, 3).stride(),
    }


@case
def in_place_methods_and_their_nodes(t):
    def chain(op):
        x = t.tensor([1.0, -2.0, 3.0], requires_grad=True)
        y = x * 1
        returned = op(y)
        (y * y).sum().backward()
        return {
            "y": y.detach(),
            "node": type(y.grad_fn).__name__,
            "version": y._version,
            "x_grad": x.grad,
            "returns_self": returned is y,
        }

    return {
        "neg_": chain(lambda y: y.neg_()),
        "pow_": chain(lambda y: y.pow_(2)),
        "sigmoid_": chain(lambda y: y.sigmoid_()),
        "tanh_": chain(lambda y: y.tanh_()),
        "abs_": chain(lambda y: y.abs_()),
        "clamp_min_": chain(lambda y: y.clamp_min_(0)),
        "clamp_max_": chain(lambda y: y.clamp_max_(0)),
        "fill_number": chain(lambda y: y.fill_(2.0)),
        "fill_tensor": chain(lambda y: y.fill_(t.tensor(2.0))),
        "copy_": chain(lambda y: y.copy_(t.ones(3))),
        "copy_name": (t.tensor([1.0], requires_grad=True) * 1).copy_(t.ones(1)).grad_fn.name(),
        "clamp_min": t.tensor([1.0, -2.0], requires_grad=True).clamp_min(0),
    }


@case
def factory_errors_and_new_tensors(t):
    x = t.ones(2, dtype=t.float64)
    return {
        "zeros_negative": raises(lambda: t.zeros(2, -1)),
        "ones_negative": raises(lambda: t.ones(2, -1)),
        "randn_negative": raises(lambda: t.randn(-1)),
        "full_negative": raises(lambda: t.full((2, -1), 1.0)),
        "eye_negative": raises(lambda: t.eye(-1)),
        "linspace_negative": raises(lambda: t.linspace(0, 1, -1)),
        "arange_zero_step": raises(lambda: t.arange(0, 5, 0)),
        "arange_wrong_direction": raises(lambda: t.arange(5, 0)),
        "arange_down": t.arange(5, 0, -1.5),
        "new_zeros": x.new_zeros(3),
        "new_ones_int": x.new_ones(2, dtype=t.int64),
        "new_full": x.new_full((2,), 3),
        "new_tensor": x.new_tensor([1, 2]),
        "new_tensor_of_int": t.tensor([1, 2]).new_tensor([1.5]),
        "new_zeros_requires_grad": t.ones(2, requires_grad=True).new_zeros(2).requires_grad,
    }


class _Dirty:
    """A custom Function that doubles its input in place and says so (``ctx.mark_dirty``)."""

    @staticmethod
    def make(t):
        class Dirty(t.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                x.mul_(2)
                ctx.mark_dirty(x)
                return x

            @staticmethod
            def backward(ctx, g):
                return g * 2

        class ForgetsToReturn(t.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                x.mul_(2)
                ctx.mark_dirty(x)
                return x * 1

            @staticmethod
            def backward(ctx, g):
                return g * 2

        return Dirty, ForgetsToReturn


@case
def custom_function_mark_dirty_and_legacy_call(t):
    Dirty, ForgetsToReturn = _Dirty.make(t)
    leaf = t.tensor([1.0, 2.0], requires_grad=True)
    x = leaf * 1
    version_before = x._version
    y = Dirty.apply(x)
    y.sum().backward()
    return {
        "same_object": y is x,
        "y": y.detach(),
        "node": type(y.grad_fn).__name__,
        "node_repr_prefix": repr(y.grad_fn).split(" object")[0],
        "version_moved": x._version > version_before,
        "leaf_grad": leaf.grad,
        "on_a_leaf": raises(lambda: Dirty.apply(t.tensor([1.0], requires_grad=True))),
        "not_returned": raises(lambda: ForgetsToReturn.apply(t.tensor([1.0], requires_grad=True) * 1)),
        "legacy_call": raises(lambda: Dirty()(leaf), upto=" (Example"),
    }


@case
def hooks_that_change_the_gradient_wrongly(t):
    def run(hook, on_leaf=True):
        x = t.tensor([1.0, 2.0], requires_grad=True)
        y = x if on_leaf else x * 1
        handle = y.register_hook(hook)
        return raises(lambda: (y * 2).sum().backward()), repr(handle).split(" object")[0]

    def named(g):
        return g.sum()

    return {
        "size": run(named),
        "size_non_leaf": run(lambda g: g[:1], on_leaf=False),
        "dtype": run(lambda g: g.double()),
        "dtype_non_leaf": run(lambda g: g.long(), on_leaf=False),
        "not_a_tensor": run(lambda g: 3),
        "no_grad_tensor": raises(lambda: t.ones(2).register_hook(lambda g: g)),
    }


@case
def gradcheck_messages(t):
    class Wrong(t.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 3

    class Forgetful(t.autograd.Function):  # gives every element's derivative to every output
        @staticmethod
        def forward(ctx, x):
            y = x.sigmoid()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return y * (1 - y)

    class FirstTwo(t.autograd.Function):  # 3 inputs, 2 outputs: the layout shows
        @staticmethod
        def forward(ctx, x):
            return x[:2] * 2

        @staticmethod
        def backward(ctx, g):
            grad = t.zeros(3, dtype=g.dtype)
            grad[:2] = g * 3
            return grad

    class ScalarOut(t.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return (x * x).sum()

        @staticmethod
        def backward(ctx, g):
            return g * 3 * t.ones(3, dtype=g.dtype)

    x64 = t.tensor([1.0, 2.0], dtype=t.float64, requires_grad=True)
    x32 = t.tensor([1.0, 2.0], requires_grad=True)
    x3 = t.tensor([0.5, -1.2, 2.0], dtype=t.float64, requires_grad=True)
    zero_dim = t.tensor(0.5, dtype=t.float64, requires_grad=True)
    # (each Jacobian is printed input × output: one row per input element)
    return {
        "not_diagonal": raises(lambda: t.autograd.gradcheck(Forgetful.apply, (x3,))),
        "three_inputs_two_outputs": raises(lambda: t.autograd.gradcheck(FirstTwo.apply, (x3,))),
        "scalar_output": raises(lambda: t.autograd.gradcheck(ScalarOut.apply, (x3,))),
        "zero_dim": raises(lambda: t.autograd.gradcheck(Wrong.apply, (zero_dim,))),
        "float64": raises(lambda: t.autograd.gradcheck(Wrong.apply, (x64,))),
        "float32": raises(lambda: t.autograd.gradcheck(Wrong.apply, (x32,), eps=1e-3, atol=1e-2)),
        "no_input_requires_grad": raises(lambda: t.autograd.gradcheck(Wrong.apply, (x64.detach(),))),
        "no_raise": t.autograd.gradcheck(Wrong.apply, (x64,), raise_exception=False),
    }


@case
def assigning_grad_and_data(t):
    def set_grad(value):
        x = t.tensor([1.0, 2.0], requires_grad=True)
        x.grad = value
        return x.grad

    def set_data(value):
        x = t.tensor([1.0, 2.0], requires_grad=True)
        x.data = value
        return x

    return {
        "grad_ok": set_grad(t.ones(2)),
        "grad_size": raises(lambda: set_grad(t.ones(3))),
        "grad_dtype": raises(lambda: set_grad(t.ones(2, dtype=t.float64)), upto=" You can set"),
        "grad_int": raises(lambda: set_grad(t.ones(2, dtype=t.int64)), upto=" You can set"),
        "grad_list": raises(lambda: set_grad([1.0, 2.0])),
        "data_other_shape": set_data(t.ones(3)),
        "data_int": raises(lambda: set_data(t.ones(2, dtype=t.int64))),
        "data_list": raises(lambda: set_data([1.0])),
        "mT_of_a_vector": raises(lambda: t.ones(2).mT),
        "mT": t.ones(2, 3).mT.shape,
    }


@case
def grad_mode_objects_print_and_exit_quietly(t):
    switch = t.set_grad_enabled(False)
    shown = repr(switch)
    t.set_grad_enabled(True)
    block = t.set_grad_enabled(False)
    entered = block.__enter__()
    inside = t.is_grad_enabled()
    exited = block.__exit__(None, None, None)
    return {
        "repr": shown,
        "entered": entered,
        "inside": inside,
        "exited": exited,
        "after": t.is_grad_enabled(),
    }


@case
def node_hooks_order_and_replacement(t):
    log = []

    def values(grads):
        return [None if g is None else g.tolist() for g in grads]

    x = t.tensor([1.0, 2.0], requires_grad=True)
    c = t.tensor([3.0, 4.0])
    y = x * c
    z = y.sum()
    y.register_hook(lambda g: log.append(("tensor hook", g.tolist())))
    y.retain_grad()
    handles = [
        y.grad_fn.register_prehook(lambda go: log.append(("pre-hook", values(go)))),
        y.grad_fn.register_hook(lambda gi, go: log.append(("hook", values(gi), values(go)))),
    ]
    z.backward(retain_graph=True)
    first = {"log": list(log), "x_grad": x.grad.clone(), "y_grad": y.grad.clone()}
    log.clear()
    handles.append(y.grad_fn.register_prehook(lambda go: (go[0] * 10,)))
    handles.append(y.grad_fn.register_hook(lambda gi, go: (gi[0] + 1, None)))
    x.grad = None
    z.backward(retain_graph=True)
    replaced = {"log": list(log), "x_grad": x.grad.clone(), "y_grad": y.grad.clone()}
    for h in handles:
        h.remove()
    log.clear()
    x.grad = None
    z.backward(retain_graph=True)
    removed = {"log": list(log), "x_grad": x.grad.clone()}
    leaf_node = y.grad_fn.next_functions[0][0]
    leaf_node.register_hook(lambda gi, go: log.append(("leaf hook", values(gi), values(go))))
    leaf_node.register_prehook(lambda go: log.append(("leaf pre-hook", values(go))))
    x.register_hook(lambda g: log.append(("leaf tensor hook", g.tolist())))
    log.clear()
    x.grad = None
    z.backward(retain_graph=True)
    leaf = {"log": list(log), "x_grad": x.grad.clone()}
    y.grad_fn.register_prehook(lambda go: (go[0], go[0]))
    wrong_count = raises(lambda: z.backward(retain_graph=True))
    w = t.tensor([1.0, 2.0], requires_grad=True)
    q = (w * 2).sum()
    q.grad_fn.register_prehook(lambda go: (go[0] * 0 + 5,))
    (g,) = t.autograd.grad(q, w)
    return {
        "first": first,
        "replaced": replaced,
        "removed": removed,
        "leaf": leaf,
        "wrong_count": wrong_count,
        "in_autograd_grad": g,
    }


@case
def post_accumulate_grad_hooks(t):
    log = []
    x = t.tensor([1.0, 2.0], requires_grad=True)
    handle = x.register_post_accumulate_grad_hook(lambda p: log.append(("after", p.grad.tolist(), p is x)))
    x.register_hook(lambda g: log.append(("before", g.tolist())))
    (x * 3).sum().backward()
    (x * 3).sum().backward()
    twice = list(log)
    log.clear()
    handle.remove()
    x.grad = None
    (x * 3).sum().backward()
    removed = list(log)
    y = t.tensor([1.0], requires_grad=True)
    y.register_post_accumulate_grad_hook(lambda p: log.append("called"))
    log.clear()
    t.autograd.grad((y * 2).sum(), y)
    in_grad = list(log)
    z = t.tensor([1.0], requires_grad=True)

    def zero_it(p):
        p.grad.mul_(0)

    z.register_post_accumulate_grad_hook(zero_it)
    (z * 2).sum().backward()
    w = t.tensor([1.0], requires_grad=True)
    w.register_post_accumulate_grad_hook(lambda p: p.grad)
    return {
        "twice": twice,
        "removed": removed,
        "in_autograd_grad": in_grad,
        "zeroed_by_hook": z.grad,
        "returns_a_value": raises(lambda: (w * 2).sum().backward()),
        "non_leaf": raises(lambda: (x * 2).register_post_accumulate_grad_hook(lambda p: None)),
        "no_grad": raises(lambda: t.ones(2).register_post_accumulate_grad_hook(lambda p: None)),
    }


@case
def bitwise_and_logical_operators(t):
    ints = t.tensor([5, 6])
    mask = t.tensor([True, False])
    return {
        "int_and_int": ints & t.tensor([3, 3]),
        "int_or_int": t.tensor([1, 2]) | t.tensor([2, 1]),
        "int_xor_bool": t.tensor([1, 2]) ^ True,
        "number_and_int": 3 & ints,
        "mask_and_int": mask & t.tensor([1, 3]),
        "mask_or_number": mask | False,
        "invert_int": ~t.tensor([1, 2]),
        "invert_mask": ~mask,
        "float_and": raises(lambda: t.ones(2) & t.ones(2)),
        "float_or_number": raises(lambda: t.ones(2) | 1),
        "int_xor_float_number": raises(lambda: t.tensor([1, 2]) ^ 1.5),
        "invert_float": raises(lambda: ~t.ones(2)),
        "logical_and": t.tensor([1, 2]).logical_and(t.tensor([0, 3])),
        "logical_or_floats": t.tensor([1.5, 0.0]).logical_or(t.tensor([0.0, 0.0])),
        "logical_not": t.tensor([0.0, 2.0]).logical_not(),
        "unary_plus": +t.tensor([1.0]),
        "format_of_a_vector": raises(lambda: f"{t.tensor([1.0]):.2f}"),
        "format_of_a_number": f"{t.tensor(2.5):.2f}",
    }


@case
def backward_and_grad_argument_errors(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    return {
        "fewer_grad_outputs": raises(
            lambda: t.autograd.grad([x.sum(), (x * x).sum()], [x], grad_outputs=[t.tensor(1.0)])
        ),
        "empty_inputs": raises(lambda: t.autograd.grad(x.sum(), [])),
        "backward_input_without_grad": raises(lambda: x.sum().backward(inputs=[t.ones(2)])),
        "gradient_as_a_list_of_numbers": raises(lambda: (x * 1).backward([1.0, 1.0])),
        "only_inputs": warns(lambda: t.autograd.grad(x.sum(), x, only_inputs=False)),
        "only_inputs_default": t.autograd.grad(x.sum(), x, only_inputs=True),
    }


@case
def double_backward_graphs_of_reductions_division_and_indexing(t):
    def graph_of_grad(f, values=((1.0, 2.0), (3.0, 4.0), (5.0, 6.0))):
        x = t.tensor([list(v) for v in values], dtype=t.float64, requires_grad=True)
        (g,) = t.autograd.grad(f(x).sum(), x, create_graph=True)
        (gg,) = t.autograd.grad(g.sum(), x, allow_unused=True)
        return {"graph": graph(g.grad_fn), "gg": gg}

    x = t.tensor([1.0, 2.0], requires_grad=True)
    y = t.tensor([3.0, 4.0], requires_grad=True)
    return {
        "sum_dim": graph_of_grad(lambda v: v.sum(0) * v.sum(0)),
        "mean": graph_of_grad(lambda v: v.mean() * v),
        "div": graph_of_grad(lambda v: v / (v * v + 1)),
        "reciprocal": graph_of_grad(lambda v: 1 / (v * v + 1)),
        "select": graph_of_grad(lambda v: v[1] * v[1]),
        "slice": graph_of_grad(lambda v: v[1:] * v[1:]),
        "select_then_slice": graph_of_grad(lambda v: v[0, 1:] * v[0, 1:]),
        "advanced_index": graph_of_grad(lambda v: v[[0, 2]] * v[[0, 2]]),
        "clamp": graph_of_grad(lambda v: v.clamp(2, 5) * v),
        "where_edges": graph(t.where(x > 1, x, y).grad_fn),
        "where_with_a_number": graph(t.where(x > 1, x, 0.0).grad_fn),
        "where_not_bool": raises(lambda: t.where(t.ones(2), x, y)),
    }


@case
def softmax_and_log_softmax_double_backward(t):
    def second(f):
        x = t.tensor([[0.5, -1.5, 2.0], [1.0, 0.25, -0.75]], dtype=t.float64, requires_grad=True)
        (g,) = t.autograd.grad(f(x).sum(), x, create_graph=True)
        (gg,) = t.autograd.grad((g * g).sum(), x)
        return {"g": g.detach(), "graph": graph(g.grad_fn), "gg": gg}

    return {
        "softmax": second(lambda v: t.softmax(v, dim=1) * v),
        "log_softmax": second(lambda v: t.log_softmax(v, dim=1) * v),
        "log_softmax_dim0": second(lambda v: t.log_softmax(v, dim=0) ** 2),
    }


@case
def module_buffers_children_conversion_and_helpers(t):
    nn = t.nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(2, 2)
            self.scale = nn.Parameter(t.ones(1))
            self.register_buffer("running", t.zeros(2))

        def forward(self, x):
            return self.fc(x) * self.scale

    net = Net()
    seen = []
    net.apply(lambda m: seen.append(type(m).__name__))
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    frozen = [p.requires_grad for p in model.requires_grad_(False).parameters()]
    model.requires_grad_(True)
    return {
        "state_dict_keys": list(net.state_dict()),
        "buffer_names": [name for name, _ in net.named_buffers()],
        "parameter_names": [name for name, _ in net.named_parameters()],
        "children": [name for name, _ in net.named_children()],
        "apply_order": seen,
        "double": [str(p.dtype) for p in net.double().parameters()] + [str(net.running.dtype)],
        "float": [str(p.dtype) for p in net.float().parameters()],
        "to_cpu_is_self": net.to("cpu") is net,
        "frozen": frozen,
        "slice": repr(model[1:]),
        "slice_len": len(model[1:]),
        "int_parameter": raises(lambda: nn.Parameter(t.ones(2, dtype=t.int64))),
        "int_parameter_no_grad": nn.Parameter(t.ones(2, dtype=t.int64), requires_grad=False).requires_grad,
        "identity": nn.Identity()(t.ones(1)),
        "flatten": nn.Flatten()(t.ones(2, 3, 4)).shape,
        "flatten_repr": repr(nn.Flatten()),
        "softmax": nn.Softmax(dim=1)(t.tensor([[1.0, 2.0]])),
        "softmax_repr": repr(nn.Softmax(dim=1)),
        "log_softmax": nn.LogSoftmax(dim=1)(t.tensor([[1.0, 2.0]])),
    }


@case
def masked_fill_values_gradients_nodes_and_errors(t):
    x = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
    mask = t.tensor([True, False, True])
    v = t.tensor(2.0, requires_grad=True)
    y = x.masked_fill(mask, v)
    y.backward(t.tensor([float("inf"), 3.0, 1.0]))
    z = x.detach().clone()
    z.masked_fill_(mask, -1.0)
    w = x * 1
    w.masked_fill_(mask, 0.0)
    return {
        "number": x.masked_fill(mask, 0.5),
        "number_graph": graph(x.masked_fill(mask, 0.5).grad_fn),
        "tensor_graph": graph(y.grad_fn),
        "x_grad": x.grad,
        "v_grad": v.grad,
        "in_place": z,
        "in_place_node": type(w.grad_fn).__name__,
        "int_tensor": t.tensor([1, 2]).masked_fill(t.tensor([True, False]), 2.5),
        "0d_mask": x.masked_fill(t.tensor(True), 0.0),
        "functional": t.masked_fill(x, mask, 1.0),
        "int_mask": raises(lambda: x.masked_fill(t.tensor([1, 0, 1]), 0.0)),
        "vector_value": raises(lambda: x.masked_fill(mask, t.tensor([1.0, 2.0]))),
        "wrong_shape": raises(lambda: x.masked_fill(t.tensor([True, False]), 0.0)),
        "max_double_backward": graph(t.autograd.grad(x.max() * x.sum(), x, create_graph=True)[0].grad_fn),
    }


@case
def gather_and_scatter(t):
    def make():
        return t.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)

    index = t.tensor([[0, 2], [1, 0]])
    x = make()
    picked = x.gather(0, index)
    (picked * picked).sum().backward()
    gather_grad = x.grad
    x, src = make(), t.tensor([[10.0, 20.0], [30.0, 40.0]], requires_grad=True)
    scattered = x.scatter(0, index, src)
    scattered.backward(t.tensor([[1.0, float("inf")], [2.0, 3.0], [4.0, 5.0]]))
    x2 = make()
    filled = x2.scatter(0, index, 7.0)
    filled.sum().backward()
    x3, src3 = make(), t.tensor([[10.0, 20.0], [30.0, 40.0]], requires_grad=True)
    added = x3.scatter_add(0, index, src3)
    (added * added).sum().backward()
    x4 = make()
    (g,) = t.autograd.grad(x4.gather(0, index).pow(2).sum(), x4, create_graph=True)
    z = t.zeros(3, 2)
    z.scatter_(1, t.tensor([[1], [0], [1]]), 9.0)
    x5 = make()
    return {
        "gather": picked.detach(),
        "gather_graph": graph(picked.grad_fn),
        "gather_grad": gather_grad,
        "gather_columns": make().gather(1, t.tensor([[1], [0], [1]])).detach(),
        "scatter": scattered.detach(),
        "scatter_graph": graph(scattered.grad_fn),
        "scatter_grads": (x.grad, src.grad),
        "scatter_value": filled.detach(),
        "scatter_value_graph": graph(filled.grad_fn),
        "scatter_value_grad": x2.grad,
        "scatter_add": added.detach(),
        "scatter_add_grads": (x3.grad, src3.grad),
        "gather_double_backward": graph(g.grad_fn),
        "scatter_in_place": z,
        "max_dim_double_backward": graph(
            t.autograd.grad(x5.max(dim=1)[0].pow(2).sum(), x5, create_graph=True)[0].grad_fn
        ),
        "float_index": raises(lambda: make().gather(0, index.float())),
        "index_of_other_rank": raises(lambda: make().gather(0, t.tensor([0, 1]))),
        "index_out_of_range": raises(lambda: make().gather(0, t.tensor([[5, 0]]))),
        "negative_index": raises(lambda: make().gather(0, t.tensor([[-1, 0]]))),
        "index_too_wide": raises(lambda: make().gather(0, t.tensor([[0, 1, 0]]))),
        "dim_out_of_range": raises(lambda: make().gather(2, index)),
        "src_too_small": raises(lambda: t.zeros(3, 2).scatter(0, index, t.ones(1, 1))),
        "src_of_other_dtype": raises(lambda: t.zeros(3, 2).scatter(0, index, t.ones(2, 2, dtype=t.float64))),
        "int_scatter_value": t.tensor([1, 2]).scatter(0, t.tensor([0]), 2.5),
    }


@case
def autograd_functional_jacobians_hessians_and_products(t):
    F = t.autograd.functional
    x = t.tensor([1.0, 2.0])
    y = t.tensor([3.0, 4.0])

    def square3(a):
        return a**2 * 3

    def cube_sum(a):
        return (a**3).sum()

    return {
        "jacobian": F.jacobian(square3, x),
        "jacobian_two_inputs": F.jacobian(lambda a, b: a * b, (x, y)),
        "jacobian_two_outputs": F.jacobian(lambda a: (a * 2, a.sum()), x),
        "jacobian_of_a_number": F.jacobian(lambda a: a.sum(), x),
        "jacobian_create_graph": F.jacobian(
            lambda a: (a**2).sum(), t.tensor([1.0, 2.0], requires_grad=True), create_graph=True
        ),
        "jacobian_shape": F.jacobian(square3, t.tensor([[1.0, 2.0], [3.0, 4.0]])).shape,
        "jacobian_matmul": F.jacobian(lambda a, b: a @ b, (t.tensor([[1.0, 2.0]]), t.tensor([[3.0], [4.0]]))),
        "jacobian_constant": F.jacobian(lambda a: t.ones(2), x),
        "hessian": F.hessian(cube_sum, x),
        "hessian_two_inputs": F.hessian(lambda a, b: (a * b).sum(), (x, y)),
        "hessian_float64": F.hessian(lambda a: (a.exp() * a).sum(), t.tensor([0.5, -1.0], dtype=t.float64)),
        "vjp": F.vjp(square3, x, t.ones(2)),
        "vjp_of_a_number": F.vjp(lambda a: a.sum(), x),
        "jvp": F.jvp(square3, x, t.ones(2)),
        "jvp_two_inputs": F.jvp(lambda a, b: a * b, (x, y), (t.ones(2), t.ones(2))),
        "hvp": F.hvp(cube_sum, x, t.ones(2)),
        "vhp": F.vhp(cube_sum, x, t.tensor([1.0, 0.0])),
        "vjp_without_v": raises(lambda: F.vjp(square3, x)),
        "vjp_wrong_v": raises(lambda: F.vjp(square3, x, t.ones(3))),
        "hessian_of_a_vector": raises(lambda: F.hessian(lambda a: a**3, x)),
        "strict_constant": raises(lambda: F.jacobian(lambda a: t.ones(2), x, strict=True)),
        "list_input": raises(lambda: F.jacobian(square3, [1.0])),
        "number_output": raises(lambda: F.jacobian(lambda a: 3.0, x)),
    }


@case
def a_python_float_with_a_bool_tensor_gives_the_default_dtype(t):
    mask = t.tensor([True, False])
    return {
        "pow": 2.5**mask,
        "where_number_first": t.where(t.tensor([True, False]), 2.5, mask),
        "where_number_second": t.where(t.tensor([True, False]), mask, 2.5),
        "mul": 2.5 * mask,
        "add": mask + 2.5,
    }


@case
def module_forward_and_backward_hooks(t):
    nn = t.nn
    log = []

    def values(grads):
        return [None if g is None else g.tolist() for g in grads]

    layer = nn.Linear(2, 2)
    with t.no_grad():
        layer.weight.copy_(t.tensor([[1.0, 2.0], [3.0, 4.0]]))
        layer.bias.copy_(t.tensor([0.5, -0.5]))
    handles = [
        layer.register_full_backward_hook(lambda m, gi, go: log.append(("backward", values(gi), values(go)))),
        layer.register_full_backward_pre_hook(lambda m, go: log.append(("backward pre", values(go)))),
        layer.register_forward_hook(lambda m, args, out: log.append(("forward", values(args), out.tolist()))),
        layer.register_forward_pre_hook(lambda m, args: log.append(("forward pre", values(args)))),
        layer.register_forward_pre_hook(lambda m, args: log.append("prepended"), prepend=True),
    ]
    x = t.tensor([[1.0, 1.0]], requires_grad=True)
    y = layer(x)
    (y * t.tensor([[1.0, 10.0]])).sum().backward()
    plain = {"log": list(log), "x_grad": x.grad.clone(), "graph": graph(y.grad_fn), "repr": repr(y)}
    log.clear()
    no_input_grad = warns(lambda: layer(t.tensor([[1.0, 1.0]])).sum().backward())
    no_input_grad = {"log": list(log), "warnings": no_input_grad}
    log.clear()
    with t.no_grad():
        quiet = layer(x)
    no_grad_mode = {"log": list(log), "grad_fn": quiet.grad_fn is None}
    for h in handles:
        h.remove()
    log.clear()
    x.grad = None
    layer(x).sum().backward()
    removed = {"log": list(log), "x_grad": x.grad.clone(), "grad_fn": layer(x).grad_fn.name()}

    # Replacing: inputs (one value or a tuple), outputs, grad_output and grad_input.
    double = nn.Linear(2, 2)
    with t.no_grad():
        double.weight.copy_(t.tensor([[1.0, -1.0], [0.5, 2.0]]))
    double.register_forward_pre_hook(lambda m, args: args[0] * 2)
    double.register_forward_hook(lambda m, args, out: out + 100)
    double.register_full_backward_pre_hook(lambda m, go: (go[0] * 3,))
    double.register_full_backward_hook(lambda m, gi, go: (gi[0] + 1,))
    x.grad = None
    out = double(x)
    out.sum().backward()
    replaced = {
        "out_minus_plain": out - (double.forward(x * 2) + 100),
        "x_grad": x.grad.clone(),
        "weight_grad": double.weight.grad,
        "graph": graph(out.grad_fn),
    }
    wrong = nn.Linear(2, 2)
    wrong.register_full_backward_hook(lambda m, gi, go: (gi[0], gi[0]))
    wrong_pre = nn.Linear(2, 2)
    wrong_pre.register_full_backward_pre_hook(lambda m, go: ())
    returns_grad = nn.Linear(2, 2)
    returns_grad.register_full_backward_hook(lambda m, gi, go: (t.ones(1, 2),))
    none_tuple = nn.Linear(2, 2)
    none_tuple.register_full_backward_hook(lambda m, gi, go: (None,))
    bad_pre = nn.Linear(2, 2)
    bad_pre.register_forward_pre_hook(lambda m, args, kwargs: 5, with_kwargs=True)
    errors = {
        "grad_input_count": raises(lambda: wrong(x).sum().backward()),
        "grad_output_count": raises(lambda: wrong_pre(x).sum().backward()),
        "no_input_grad_returns": warns(
            lambda: raises(lambda: returns_grad(t.ones(1, 2)).sum().backward())
        ).value,
        "no_input_grad_returns_nones": warns(lambda: none_tuple(t.ones(1, 2)).sum().backward()).caught,
        "pre_hook_with_kwargs": raises(lambda: bad_pre(x)),
    }

    # Several inputs and outputs, one of them not a tensor; kwargs; always_call.
    class Pair(nn.Module):
        def forward(self, a, scale, b, shift=0.0):
            return a * scale + shift, (a * b).sum()

    pair = Pair()
    pair.register_full_backward_hook(lambda m, gi, go: log.append(("pair", values(gi), values(go))))
    pair.register_forward_pre_hook(
        lambda m, args, kwargs: (args, {"shift": kwargs["shift"] * 10}), with_kwargs=True
    )
    pair.register_forward_hook(
        lambda m, args, kwargs, out: log.append(("pair forward", kwargs["shift"])), with_kwargs=True
    )
    a = t.tensor([1.0, 2.0], requires_grad=True)
    b = t.tensor([3.0, 4.0])
    log.clear()
    first, second = pair(a, 2.0, b, shift=1.0)
    (first.sum() + second * 10).backward()
    custom = {}

    class Scale(t.autograd.Function):
        @staticmethod
        def forward(ctx, u, v):
            return u * v

        @staticmethod
        def backward(ctx, g):
            return g * 2, g * 3

    u = t.tensor([1.0], requires_grad=True)
    su = Scale.apply(u, t.tensor([2.0]))
    su.grad_fn.register_hook(lambda gi, go: custom.update(custom=values(gi)))
    mu = u * t.tensor([2.0])
    mu.grad_fn.register_hook(lambda gi, go: custom.update(built_in=values(gi)))
    (su + mu).sum().backward()
    several = {
        "log": list(log),
        "first": first,
        "a_grad": a.grad,
        "graph": graph(second.grad_fn),
        "node_hooks_see": custom,
    }

    class Fails(nn.Module):
        def forward(self, v):
            raise ValueError("forward failed")

    fails = Fails()
    fails.register_forward_hook(lambda m, args, out: log.append(("always", out)), always_call=True)
    fails.register_forward_hook(lambda m, args, out: log.append("not always"))
    log.clear()
    always = {"raised": raises(lambda: fails(x)), "log": list(log)}

    # Hooks on the layers of a Sequential, and tensor hooks on the way.
    model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
    order = []
    for name, m in model.named_children():
        m.register_full_backward_hook(lambda m, gi, go, name=name: order.append(("backward", name)))
        m.register_full_backward_pre_hook(lambda m, go, name=name: order.append(("pre", name)))
        m.register_forward_hook(lambda m, args, out, name=name: order.append(("forward", name)))
    z = model(x)
    z.register_hook(lambda g: order.append("output tensor hook"))
    x.register_hook(lambda g: order.append("input tensor hook"))
    z.sum().backward()
    return {
        "plain": plain,
        "no_input_grad": no_input_grad,
        "no_grad_mode": no_grad_mode,
        "removed": removed,
        "replaced": replaced,
        "errors": errors,
        "several": several,
        "always": always,
        "sequential_order": order,
    }


@case
def floor_division_remainder_and_fmod(t):
    inf, nan = math.inf, math.nan
    a = t.tensor([5.0, -7.0, 3.5, -0.5, 0.0, -6.0, 6.0, inf, -inf, nan, 0.3, 1.0, -1.0])
    b = t.tensor([2.0, 2.0, -1.5, 1.0, -3.0, 3.0, -3.0, 2.0, 2.0, 2.0, 0.1, inf, inf])
    i = t.tensor([5, -7, 7, 0])
    j = t.tensor([2, 2, -3, 3])
    mask = t.tensor([True, False])
    values = {
        "float_floordiv": a // b,
        "float_remainder": a % b,
        "float_fmod": t.fmod(a, b),
        "float_trunc": t.div(a, b, rounding_mode="trunc"),
        "float_floor": t.div(a, b, rounding_mode="floor"),
        "by_zero": [a // 0, a % 0, t.fmod(a, 0), t.div(a, 0.0, rounding_mode="trunc")],
        "int": [
            i // j,
            i % j,
            t.fmod(i, j),
            t.div(i, j, rounding_mode="trunc"),
            t.div(i, j, rounding_mode="floor"),
        ],
        "int_and_number": [
            i // 2,
            i % -3,
            7 // j,
            7 % j,
            7.5 % j,
            2.5 // j,
            i // 2.5,
            i % 2.5,
            t.fmod(i, 2.5),
        ],
        "reversed": [7 % t.tensor([2.0, -3.0]), 7.5 // t.tensor([2, -3]), t.remainder(7, t.tensor([2, -3]))],
        "zero_dim": t.tensor(7) // t.tensor(2),
        "dtypes": [str((t.tensor(7.0) // 2).dtype), str((t.tensor([7]) // 2.0).dtype), str((mask % 2).dtype)],
        "bool_and_int": [mask // 2, mask % 2],
        "float64": t.tensor([0.3, -0.3], dtype=t.float64) % 0.1,
    }
    errors = {
        "int_floordiv_zero": raises(lambda: i // 0),
        "int_remainder_zero": raises(lambda: i % t.tensor([0, 1, 1, 1])),
        "int_fmod_zero": raises(lambda: t.fmod(i, 0)),
        "int_reversed_zero": raises(lambda: 5 % mask),
        "int_trunc_zero": raises(lambda: t.div(i, 0, rounding_mode="trunc")),
        "bool_floordiv": raises(lambda: mask // mask),
        "bool_remainder": raises(lambda: mask % mask),
        "bool_fmod": raises(lambda: t.fmod(mask, mask)),
        "bool_trunc": raises(lambda: t.div(mask, mask, rounding_mode="trunc")),
        "rounding_mode": raises(lambda: t.div(a, b, rounding_mode="round")),
        "fmod_number_first": raises(lambda: t.fmod(7, i)),
        "in_place_int_by_float": raises(lambda: t.tensor([5, -7]).__ifloordiv__(2.5)),
        "in_place_int_true_div": raises(lambda: t.tensor([5, -7]).div_(2)),
    }

    x = t.tensor([5.0, -7.0, 3.5], requires_grad=True)
    y = t.tensor([2.0, 2.0, -1.5], requires_grad=True)
    nodes = {
        "tensor_tensor": [graph((x % y).grad_fn), graph(t.fmod(x, y).grad_fn), graph((x // y).grad_fn)],
        "tensor_number": [graph((x % 2).grad_fn), graph(t.fmod(x, 2).grad_fn), graph((x // 2).grad_fn)],
        "number_tensor": [graph((7 % x).grad_fn), graph((7 // x).grad_fn)],
        "zero_dim_tensor": graph((x % t.tensor(2.0)).grad_fn),
        "div_modes": [
            graph(t.div(x, y, rounding_mode="floor").grad_fn),
            graph(t.div(x, 2, rounding_mode="trunc").grad_fn),
            graph(x.div(y, rounding_mode=None).grad_fn),
            graph(x.div(y).grad_fn),
        ],
        "repr": repr(x // y),
    }
    grads = {}
    gx, gy = t.autograd.grad((x % y).sum(), [x, y])
    grads["remainder"] = [gx, gy]
    gx, gy = t.autograd.grad(t.fmod(x, y).sum(), [x, y])
    grads["fmod"] = [gx, gy]
    grads["remainder_number"] = t.autograd.grad((x % 2).sum(), [x])[0]
    grads["fmod_number"] = t.autograd.grad(t.fmod(x, 2).sum(), [x])[0]
    grads["floor_mode"] = t.autograd.grad(t.div(x, y, rounding_mode="floor").sum(), [x, y])
    grads["no_mode"] = t.autograd.grad(t.div(x, y, rounding_mode=None).sum(), [x, y])
    grads["floordiv"] = raises(lambda: (x // y).sum().backward())
    grads["reversed_remainder"] = raises(lambda: (7 % x).sum().backward())
    rows = t.tensor([[1.0], [2.0]], requires_grad=True)
    cols = t.tensor([3.0, -4.0, 5.0], requires_grad=True)
    grads["broadcast"] = t.autograd.grad((rows * 7 % cols).sum(), [rows, cols])
    gx, gy = t.autograd.grad((x % y).sum(), [x, y], create_graph=True)
    grads["create_graph"] = {"x": gx.grad_fn is None, "y": gy, "y_graph": graph(gy.grad_fn)}

    q = t.tensor([5.0, -7.0])
    q //= 2
    q_floor = q.clone()
    q %= 3
    k = t.tensor([5, -7])
    k.div_(2, rounding_mode="trunc")
    k_trunc = k.clone()
    k.fmod_(2)
    k_fmod = k.clone()
    k.remainder_(2)
    k_rem = k.clone()
    k.floor_divide_(2)
    w = t.tensor([1.0, 2.0], requires_grad=True) * 1
    w %= 2
    v = t.tensor([1.0, 2.0], requires_grad=True) * 1
    v.div_(2, rounding_mode="floor")
    in_place = {
        "float": [q_floor, q],
        "int": [k_trunc, k_fmod, k_rem, k],
        "recorded": [w, w.grad_fn.name(), v, v.grad_fn.name()],
        "leaf": raises(lambda: x.fmod_(2)),
    }
    return {"values": values, "errors": errors, "nodes": nodes, "grads": grads, "in_place": in_place}


@case
def dtype_argument_of_sum_mean_and_softmax(t):
    F = t.nn.functional
    x = t.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    i = t.tensor([[1, 2], [3, 4]])
    mask = t.tensor([True, False, True])
    results = {
        "sum": [
            x.sum(dtype=t.float64),
            x.sum(1, dtype=t.float64),
            x.sum(dim=0, keepdim=True, dtype=t.float64),
        ],
        "mean": [x.mean(dtype=t.float64), x.mean(0, dtype=t.float64)],
        "softmax": [
            x.softmax(1, dtype=t.float64),
            t.softmax(x, 1, dtype=t.float64),
            F.softmax(x, dim=1, dtype=t.float64),
        ],
        "log_softmax": [x.log_softmax(1, dtype=t.float64), F.log_softmax(x, 0, dtype=t.float64)],
        "same_dtype": [x.sum(dtype=t.float32), x.softmax(1, dtype=t.float32)],
        "narrower": [x.double().sum(dtype=t.float32), x.double().softmax(1, dtype=t.float32)],
        "integers": [
            i.sum(dtype=t.float32),
            i.mean(dtype=t.float32),
            i.softmax(1, dtype=t.float32),
            i.sum(0, dtype=t.float32),
        ],
        "functional": [t.sum(i, dtype=t.float64), t.mean(i, 1, dtype=t.float64)],
        "bools": [mask.sum(dtype=t.bool), mask.sum(dtype=t.float64), i.sum(dtype=t.bool)],
        "no_grad_to_int": x.detach().sum(dtype=t.int64),
        "accumulated_in_float64": t.tensor([0.1] * 10).sum(dtype=t.float64).item(),
    }
    graphs = {
        "sum": graph(x.sum(1, dtype=t.float64).grad_fn),
        "softmax": graph(x.softmax(1, dtype=t.float64).grad_fn),
        "softmax_same_dtype": graph(x.softmax(1, dtype=t.float32).grad_fn),
        "narrower": graph(x.double().sum(dtype=t.float32).grad_fn),
    }
    errors = {
        "sum_to_int_with_grad": raises(lambda: x.sum(dtype=t.int64)),
        "mean_to_int": raises(lambda: x.mean(dtype=t.int64)),
        "softmax_to_int": raises(lambda: x.softmax(1, dtype=t.int64)),
        "integer_mean": raises(lambda: i.mean()),
    }
    x.sum(dtype=t.float64).backward()
    grads = {"sum": x.grad.clone()}
    x.grad = None
    x.softmax(1, dtype=t.float64)[:, 0].sum().backward()
    grads["softmax"] = x.grad.clone()
    (gx,) = t.autograd.grad(x.mean(0, dtype=t.float64).sum(), x, create_graph=True)
    grads["mean_create_graph"] = gx
    return {"results": results, "graphs": graphs, "errors": errors, "grads": grads}


@case
def custom_function_inputs_returned_as_is(t):
    class PassBoth(t.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            ctx.mark_non_differentiable(b)
            return a, b

        @staticmethod
        def backward(ctx, grad_a, grad_b):
            return grad_a * 2, None

    x = t.ones(2, requires_grad=True)
    c = t.ones(2)
    a, b = PassBoth.apply(x * 1, c)
    result = {
        "requires_grad": [a.requires_grad, b.requires_grad],
        "same_object": [a is x, b is c],
        "in_place_on_output": raises(lambda: a.add_(1)),
        "in_place_non_differentiable": raises(lambda: b.add_(1)),
        "in_place_with_grad_input": raises(lambda: a.mul_(t.ones(2, requires_grad=True))),
        "in_place_after_detach": raises(lambda: a.detach().add_(1)),
    }
    with t.no_grad():
        result["in_place_without_grad"] = raises(lambda: a.add_(1))
    a2, _ = PassBoth.apply(x, c)
    result["leaf_input"] = raises(lambda: a2.add_(1))
    a3, _ = PassBoth.apply(x, c)
    a3.sum().backward()
    result["grad"] = x.grad
    layer = t.nn.Linear(2, 2)
    layer.register_full_backward_hook(lambda m, gi, go: None)
    hooked = layer(t.ones(1, 2, requires_grad=True))
    result["module_output"] = raises(lambda: hooked.add_(1))
    return result


@case
def cross_entropy_weights_ignore_index_label_smoothing_and_more_dimensions(t):
    F = t.nn.functional
    logits = [[0.5, -1.0, 2.0], [1.5, 0.2, -0.3], [-0.7, 0.9, 0.1], [2.2, -0.4, 0.6]]
    x = t.tensor(logits, requires_grad=True)
    y = t.tensor([0, 2, 1, 2])
    w = t.tensor([1.0, 2.0, 0.5])
    p = t.tensor([[0.2, 0.3, 0.5], [0.6, 0.1, 0.3], [0.1, 0.1, 0.8], [0.3, 0.4, 0.3]])
    x3 = t.tensor(
        [
            [[0.1, -0.2, 0.3, 1.0], [0.5, 0.4, -1.0, 0.2], [-0.3, 0.8, 0.6, -0.5]],
            [[1.2, 0.0, -0.4, 0.3], [-0.6, 0.7, 0.2, 0.9], [0.4, -0.1, 1.1, -0.8]],
        ],
        requires_grad=True,
    )
    p3 = (x3.detach() * 2).softmax(1)
    y3 = t.tensor([[0, 1, 2, 0], [1, 1, 1, 2]])
    x4 = x3.detach().reshape(2, 3, 2, 2).requires_grad_()
    y4 = t.tensor([[[0, 1], [2, 0]], [[1, 1], [1, 2]]])
    losses = {
        "weight": F.cross_entropy(x, y, weight=w),
        "weight_sum": F.cross_entropy(x, y, weight=w, reduction="sum"),
        "weight_none": F.cross_entropy(x, y, weight=w, reduction="none"),
        "ignore_default": F.cross_entropy(x, t.tensor([0, -100, 1, 2])),
        "ignore_with_weight": F.cross_entropy(x, t.tensor([0, 1, 1, 2]), weight=w, ignore_index=1),
        "ignore_none": F.cross_entropy(x, t.tensor([0, -100, 1, 2]), reduction="none"),
        "all_ignored": F.cross_entropy(x, t.tensor([-100] * 4)),
        "smoothing": F.cross_entropy(x, y, label_smoothing=0.1),
        "smoothing_sum": F.cross_entropy(x, y, label_smoothing=0.2, reduction="sum"),
        "smoothing_none": F.cross_entropy(x, y, label_smoothing=0.2, reduction="none"),
        "smoothing_weight": F.cross_entropy(x, y, weight=w, label_smoothing=0.1),
        "smoothing_weight_ignore": F.cross_entropy(
            x, t.tensor([0, 1, 1, 2]), weight=w, label_smoothing=0.1, ignore_index=1
        ),
        "smoothing_ignore": F.cross_entropy(x, t.tensor([0, -100, 1, 2]), label_smoothing=0.1),
        "negative_smoothing": F.cross_entropy(x, y, label_smoothing=-0.5),
        "probabilities": F.cross_entropy(x, p),
        "probabilities_sum": F.cross_entropy(x, p, reduction="sum"),
        "probabilities_none": F.cross_entropy(x, p, reduction="none"),
        "probabilities_weight": F.cross_entropy(x, p, weight=w),
        "probabilities_smoothing": F.cross_entropy(x, p, label_smoothing=0.1),
        "one_sample": F.cross_entropy(x[0], y[0], weight=w),
        "one_sample_probabilities": F.cross_entropy(x[0], p[0]),
        "nll_weight_ignore": F.nll_loss(x.log_softmax(1), y, weight=w, ignore_index=2),
        "module": t.nn.CrossEntropyLoss(weight=w, label_smoothing=0.1)(x, y),
        "module_ignore": t.nn.CrossEntropyLoss(ignore_index=2, reduction="sum")(x, y),
        "nll_module": t.nn.NLLLoss(weight=w)(x.log_softmax(1), y),
        "3d_probabilities": F.cross_entropy(x3, p3),
        "3d_probabilities_weight_none": F.cross_entropy(x3, p3, weight=w, reduction="none"),
        "3d": F.cross_entropy(x3, y3),
        "3d_none": F.cross_entropy(x3, y3, reduction="none"),
        "3d_weight": F.cross_entropy(x3, y3, weight=w),
        "3d_smoothing": F.cross_entropy(x3, y3, label_smoothing=0.1),
        "4d": F.cross_entropy(x4, y4),
        "4d_weight_none": F.cross_entropy(x4, y4, weight=w, reduction="none"),
    }
    results = {}
    for name, loss in losses.items():
        source = x4 if name.startswith("4d") else (x3 if name.startswith("3d") else x)
        (grad,) = t.autograd.grad(loss.sum(), source)
        results[name] = {"loss": loss, "graph": graph(loss.grad_fn), "grad": grad}
    errors = {
        "weight_shape": raises(lambda: F.cross_entropy(x, y, weight=t.ones(2))),
        "probabilities_weight_shape": raises(lambda: F.cross_entropy(x, p, weight=t.ones(2))),
        "smoothing_too_large": raises(lambda: F.cross_entropy(x, y, label_smoothing=1.5)),
        "probabilities_smoothing_too_large": raises(lambda: F.cross_entropy(x, p, label_smoothing=1.5)),
        "probabilities_ignore_index": raises(lambda: F.cross_entropy(x, p, ignore_index=1)),
        "integer_probabilities": raises(lambda: F.cross_entropy(x, t.tensor([[0, 1, 0]] * 4))),
        "3d_target_shape": raises(lambda: F.cross_entropy(x3, y3[:, :3])),
        "target_out_of_range": raises(lambda: F.cross_entropy(x, t.tensor([0, 3, 1, 2]))),
        "3d_target_out_of_range": raises(lambda: F.cross_entropy(x3, t.tensor([[0, 1, 5, 0], [1, 1, 1, 2]]))),
        "reduction": raises(lambda: F.cross_entropy(x, p, reduction="average")),
    }
    legacy = warns(lambda: F.cross_entropy(x, y, size_average=False))
    module = t.nn.CrossEntropyLoss(weight=w)
    return {
        "results": results,
        "errors": errors,
        "legacy": legacy,
        "module_state": repr(module.state_dict()),
        "no_weight_state": repr(t.nn.CrossEntropyLoss().state_dict()),
        "no_weight_buffers": list(t.nn.CrossEntropyLoss().named_buffers()),
        "module_double": str(module.double().weight.dtype),
    }


@case
def return_types_of_max_and_min_along_a_dimension(t):
    x = t.tensor([[1.0, 5.0], [7.0, 2.0]])
    result = x.max(1)
    values, indices = x.min(0)
    return {
        "repr": repr(result),
        "type": [type(result).__name__, type(result).__module__, type(x.min(1)).__name__],
        "missing_attribute": raises(lambda: result.foo),
        "parts": [result[0], result.values, result.indices, len(result), values, indices],
        "functional": repr(t.max(x, 1)),
        "is_tuple": isinstance(result, tuple),
    }


@case
def index_errors_name_the_index_array_and_check_broadcasting(t):
    x = t.zeros(2, 3)
    y = t.zeros(2, 3, 4)
    mask = t.tensor([[True, False, True], [True, True, True]])

    def assign(key):
        y[key] = 1.0

    reads = {
        "after_ellipsis": raises(lambda: x[..., [0, 3]]),
        "after_slice": raises(lambda: x[:, [0, 5]]),
        "second_array": raises(lambda: y[[0, 1], :, [0, 9]]),
        "third_array": raises(lambda: y[[0, 1], [0, 1], [0, 9]]),
        "after_none": raises(lambda: y[None, :, [0, 5]]),
        "after_select": raises(lambda: y[1, :, [0, 9]]),
        "number_among_arrays": raises(lambda: y[0, 5, [0, 1]]),
        "number_after_array": raises(lambda: y[:, [0, 1], 7]),
        "negative": raises(lambda: x[..., [0, -4]]),
        "tensor_index": raises(lambda: x[..., t.tensor([0, 3])]),
        "not_broadcastable": raises(lambda: y[[0, 1], [0, 1, 2]]),
        "not_broadcastable_around_slice": raises(lambda: y[[0, 1], :, [0, 1, 2]]),
        "mask_and_array": raises(lambda: y[mask, [0, 9]]),
        "broadcast_ok": y[[[0], [1]], [0, 1, 2]].shape,
    }
    writes = {
        "array": raises(lambda: assign([0, 5])),
        "not_broadcastable": raises(lambda: assign(([0, 1], [0, 1, 2]))),
        "after_slice": raises(lambda: assign((slice(None), [0, 5]))),
        "number": raises(lambda: assign((0, 7))),
        "mask": raises(lambda: assign((t.tensor([True, False, True]),))),
        "after_ellipsis": raises(lambda: assign((Ellipsis, [0, 9]))),
    }
    # (a failed write may have changed part of y in PyTorch, which writes until it meets the bad
    # index: not copied; the successful write is checked on a fresh tensor)
    y = t.zeros(2, 3, 4)
    assign((Ellipsis, [0, 3]))
    return {"reads": reads, "writes": writes, "written": y.sum()}


@case
def sizes_and_dims_are_checked_as_pytorch_checks_them(t):
    x = t.ones(2, 3, requires_grad=True)
    z = t.ones(2, 3, 4)
    o = t.ones

    def shape_and_node(v):
        return [list(v.shape), v.grad_fn.name() if v.grad_fn is not None else None]

    reductions = {
        "sum_none": shape_and_node(x.sum(None)),
        "sum_none_keepdim": shape_and_node(x.sum(dim=None, keepdim=True)),
        "mean_none_keepdim": shape_and_node(x.mean(None, True)),
        "sum_empty_list": shape_and_node(x.sum(dim=[])),
        "sum_empty_list_keepdim": shape_and_node(x.sum(dim=[], keepdim=True)),
        "mean_empty_tuple": shape_and_node(x.mean(dim=())),
        "sum_none_dtype": shape_and_node(x.sum(None, dtype=t.float64)),
        "argmax_none_keepdim": list(x.argmax(None, True).shape),
        "argmin_none": list(x.argmin(dim=None).shape),
        "functional": [shape_and_node(t.sum(x, 1)), shape_and_node(t.sum(x))],
        "duplicate_dims": raises(lambda: x.sum(dim=(0, 0))),
        "duplicate_after_normalising": raises(lambda: x.mean(dim=(0, -2))),
        "duplicate_of_three": raises(lambda: z.sum(dim=(0, 2, 0))),
        "norm_duplicate": raises(lambda: x.norm(dim=(0, 0))),
        "keepdim_without_dim": raises(lambda: x.sum(keepdim=True)),
        "mean_keepdim_without_dim": raises(lambda: x.mean(keepdim=False)),
        "max_dim_none": raises(lambda: x.max(dim=None)),
        "min_dim_none_keepdim": raises(lambda: x.min(None, True)),
    }
    shapes = {
        "permute_too_few": raises(lambda: x.permute(0)),
        "permute_too_many": raises(lambda: x.permute(0, 1, 2)),
        "permute_twice": raises(lambda: x.permute(0, 0)),
        "permute_twice_3d": raises(lambda: z.permute(2, 0, 0)),
        "permute_out_of_range": raises(lambda: x.permute(0, 5)),
        "permute_negative": list(x.permute(1, -2).shape),
        "expand_leading_minus_one": raises(lambda: x.expand(-1, 3, 3)),
        "expand_checked_from_the_right": raises(lambda: x.expand(2, 3, 1)),
        "expand_minus_one": raises(lambda: x.expand(3, -1)),
        "expand_ok": list(x.expand(2, -1, 3).shape),
        "ones_float": raises(lambda: t.ones(2.5)),
        "zeros_string": raises(lambda: t.zeros("a")),
        "ones_second_string": raises(lambda: t.ones(2, "a")),
        "ones_tuple_float": raises(lambda: t.ones((2, 3.0))),
        "randn_second_string": raises(lambda: t.randn(2, "x")),
        "rand_tuple_float": raises(lambda: t.rand((2, 3.0))),
        "ones_bool": raises(lambda: t.ones(True)),
        "ones_none_inside": raises(lambda: t.ones([2, None])),
        "empty_float": raises(lambda: t.empty(2.5)),
        "full_tuple_float": raises(lambda: t.full((2.0,), 1.0)),
        "full_string_value": raises(lambda: t.full((2,), "a")),
        "sizes_from_tensors": [list(t.zeros(t.tensor(2)).shape), list(t.ones(2, t.tensor(3)).shape)],
        "size_keyword": [list(t.ones(size=(2, 3)).shape), list(t.zeros(size=(2,)).shape)],
        "ones_float_tensor_size": raises(lambda: t.ones(2, t.tensor(3.0))),
        "reshape_second_string": raises(lambda: x.reshape(2, "a")),
        "reshape_tuple_float": raises(lambda: x.reshape((2.0, 3))),
        "reshape_float": raises(lambda: x.reshape(2.0)),
        "reshape_first_float": raises(lambda: x.reshape(2.0, 3)),
        "reshape_none": raises(lambda: x.reshape(None)),
        "view_float": raises(lambda: x.view(6.0)),
        "view_tuple_float": raises(lambda: x.view((2, 3.0))),
        "view_tensor": list(x.view(t.tensor(6)).shape),
        "expand_first_float": raises(lambda: x.expand(2.0, 3)),
        "expand_tuple_float": raises(lambda: x.expand((2, 3.0))),
        "permute_first_float": raises(lambda: x.permute(0.0, 1)),
    }
    products = {}
    for a, b in [
        ((2, 3), (4,)),
        ((2, 3, 4), (3, 4)),
        ((2, 3, 4), (2, 3, 4)),
        ((2, 3, 4), (3,)),
        ((4,), (2, 3, 4)),
        ((2, 3, 4), (3, 4, 5)),
        ((2, 2, 3, 4), (2, 3, 4)),
        ((2, 3, 4), (5,)),
        ((2, 3), (2, 4, 5)),
        ((6,), (2, 3, 4, 5)),
        ((3,), (2, 3, 4)),
        ((2, 1, 3, 4), (5, 4, 2)),
    ]:
        products[f"{a} @ {b}"] = raises(lambda a=a, b=b: o(*a) @ o(*b))
    return {"reductions": reductions, "shapes": shapes, "products": products}


@case
def variance_std_amax_amin_cumsum_flip_log1p_expm1(t):
    x = t.tensor([[1.0, 2.0, 4.0], [3.0, -1.0, 0.5]], requires_grad=True)
    ties = t.tensor([[1.0, 5.0], [5.0, 2.0]], requires_grad=True)
    ops = {
        "var": lambda: x.var(),
        "var_dim": lambda: x.var(1),
        "var_keepdim": lambda: x.var(dim=1, keepdim=True),
        "var_correction_0": lambda: x.var(correction=0),
        "var_biased": lambda: x.var(unbiased=False),
        "var_flag_first": lambda: x.var(False),
        "var_positional": lambda: x.var(1, False, True),
        "var_two_dims": lambda: x.var((0, 1)),
        "var_functional": lambda: t.var(x, 1),
        "std": lambda: x.std(),
        "std_dim": lambda: x.std(0),
        "std_biased_keepdim": lambda: t.std(x, 1, keepdim=True, correction=0),
        "log1p": lambda: x.log1p(),
        "expm1": lambda: x.expm1(),
        "cumsum": lambda: x.cumsum(1),
        "cumsum_rows": lambda: t.cumsum(x, 0),
        "flip": lambda: x.flip(0),
        "flip_both": lambda: x.flip((0, 1)),
        "flip_args": lambda: x.flip(1, 0),
        "amax": lambda: x.amax(1),
        "amin_all": lambda: x.amin(),
        "amax_dims": lambda: x.amax(dim=(0, 1)),
        "amin_keepdim": lambda: x.amin(0, True),
        "amax_ties": lambda: ties.amax(1),
        "amax_all_ties": lambda: ties.amax(),
    }
    results = {}
    for name, op in ops.items():
        y = op()
        source = ties if "ties" in name else x
        (grad,) = t.autograd.grad((y * y).sum(), source, create_graph=True)
        results[name] = {
            "value": y,
            "grad": grad,
            "graph": graph(y.grad_fn),
            "grad_graph": graph(grad.grad_fn),
        }

    warning_of = value_and_warnings

    i = t.tensor([1, 2, 3])
    edge = {
        "one_element": warning_of(lambda: t.ones(1).var()),
        "correction_2_of_2": warning_of(lambda: t.ones(2).var(correction=2)),
        "correction_5_of_3": warning_of(lambda: t.ones(3).var(correction=5)),
        "spread_correction_3": warning_of(lambda: t.tensor([1.0, 3.0]).var(correction=3)),
        "std_one_element": warning_of(lambda: t.ones(1).std()),
        "zero_dim": warning_of(lambda: t.tensor(3.0).var()),
        "zero_dim_biased": t.tensor(3.0).var(correction=0),
        "integer_var": raises(lambda: i.var()),
        "integer_std": raises(lambda: i.std()),
        "integer_amax": i.amax(),
        "integer_cumsum": i.cumsum(0),
        "bool_cumsum": t.tensor([True, False]).cumsum(0),
        "cumsum_dtype": i.cumsum(0, dtype=t.float32),
        "integer_flip": i.flip(0),
        "flip_twice": raises(lambda: x.flip(0, 0)),
        "flip_out_of_range": raises(lambda: x.flip(5)),
        "empty_amax": raises(lambda: t.ones(0).amax()),
        "amax_out_of_range": raises(lambda: x.amax(5)),
        "amax_duplicate": raises(lambda: x.amax((0, 0))),
        "integer_log1p": i.log1p(),
        "integer_expm1": i.expm1(),
    }
    constant = t.ones(3, requires_grad=True)  # std 0: its gradient is 0, not nan (PyTorch's rule)
    (edge["std_of_constant_grad"],) = t.autograd.grad(constant.std(), constant)
    return {"results": results, "edge": edge}


@case
def split_chunk_unbind_index_select_repeat_narrow_and_triangles(t):
    def build():
        return t.arange(10.0).reshape(2, 5).requires_grad_()

    ops = {
        "split": lambda x: x.split(2, 1),
        "split_sizes": lambda x: x.split([1, 4], 1),
        "split_tuple": lambda x: x.split((1, 4), 1),
        "split_larger": lambda x: x.split(7, 1),
        "chunk": lambda x: x.chunk(2, 1),
        "chunk_rows": lambda x: x.chunk(3),
        "chunk_many": lambda x: x.chunk(7, 1),
        "split_functional": lambda x: t.split(x, 3, dim=1),
        "unbind": lambda x: x.unbind(0),
        "unbind_columns": lambda x: t.unbind(x, 1),
        "index_select": lambda x: x.index_select(1, t.tensor([0, 3, 3])),
        "index_select_zero_dim": lambda x: x.index_select(0, t.tensor(1)),
        "repeat": lambda x: x.repeat(2, 1),
        "repeat_new_dim": lambda x: x.repeat(1, 2, 1),
        "repeat_both": lambda x: x.repeat(2, 3),
        "repeat_once": lambda x: x.repeat(1, 1),
        "tril": lambda x: x.tril(),
        "triu": lambda x: x.triu(1),
        "tril_below": lambda x: x.tril(-1),
        "narrow": lambda x: x.narrow(1, 1, 2),
        "narrow_negative": lambda x: t.narrow(x, 0, -1, 1),
    }
    results = {}
    for name, op in ops.items():
        x = build()
        z = op(x)
        first = z[0] if isinstance(z, tuple) else z
        weights = t.arange(1.0, 1.0 + first.numel()).reshape(first.shape)
        loss = (first * weights).sum() * 2 + (z[-1].sum() if isinstance(z, tuple) else 0)
        (grad,) = t.autograd.grad(loss, x, create_graph=True)
        y = build()
        w = op(y)
        w = w[0] if isinstance(w, tuple) else w
        (grad2,) = t.autograd.grad((w * w).sum(), y, create_graph=True)
        results[name] = {
            "value": list(z) if isinstance(z, tuple) else z,
            "nodes": [
                [p.grad_fn.name(), p.output_nr, p._base is not None]
                for p in (z if isinstance(z, tuple) else (z,))
            ],
            "grad": grad,
            "grad_of_square_graph": graph(grad2.grad_fn),
        }
    x = t.arange(10.0).reshape(2, 5)
    errors = {
        "split_sizes_sum": raises(lambda: x.split([1, 3], 1)),
        "split_zero": raises(lambda: x.split(0, 1)),
        "split_negative": raises(lambda: x.split(-1)),
        "chunk_zero": raises(lambda: x.chunk(0)),
        "chunk_negative": raises(lambda: x.chunk(-1)),
        "chunk_dim": raises(lambda: x.chunk(2, 5)),
        "unbind_dim": raises(lambda: x.unbind(5)),
        "unbind_empty": len(t.ones(0).unbind()),
        "index_out_of_range": raises(lambda: x.index_select(1, t.tensor([0, 7]))),
        "index_out_of_range_rows": raises(lambda: x.index_select(0, t.tensor([2]))),
        "index_negative_rows": raises(lambda: x.index_select(0, t.tensor([-1]))),
        "index_out_of_range_3d": [
            raises(lambda d=d: t.ones(2, 3, 4).index_select(d, t.tensor([5]))) for d in range(3)
        ],
        "index_matrix": raises(lambda: x.index_select(1, t.tensor([[0, 1]]))),
        "index_float": raises(lambda: x.index_select(1, t.tensor([0.0]))),
        "index_list": raises(lambda: x.index_select(1, [0])),
        "repeat_too_few": raises(lambda: x.repeat(2)),
        "repeat_negative": raises(lambda: x.repeat(-1, 1)),
        "repeat_zero": x.repeat(0, 2),
        "repeat_integers": t.tensor([1, 2]).repeat(2),
        "narrow_too_long": raises(lambda: x.narrow(1, 4, 2)),
        "narrow_dim": raises(lambda: x.narrow(5, 0, 1)),
        "narrow_negative_length": raises(lambda: x.narrow(1, 0, -1)),
        "tril_vector": raises(lambda: t.ones(3).tril()),
        "triu_far": x.triu(10),
    }
    view = t.arange(10.0).reshape(2, 5)
    view.split(2, 1)[0].add_(1)  # (the pieces are views: the base changes)
    errors["pieces_are_views"] = view
    return {"results": results, "errors": errors}


@case
def functions_with_setup_context_and_once_differentiable(t):
    if t.__name__ == "torch":
        from torch.autograd.function import once_differentiable
    else:
        from minigrad.autograd.function import once_differentiable
    calls = []

    class Scale(t.autograd.Function):
        @staticmethod
        def forward(x, k=2.0):
            calls.append(["forward", t.is_grad_enabled()])
            return x * k

        @staticmethod
        def setup_context(ctx, inputs, output):
            calls.append(["setup", len(inputs), inputs[1], output.requires_grad, t.is_grad_enabled()])
            ctx.k = inputs[1]

        @staticmethod
        def backward(ctx, g):
            return g * ctx.k, None

    x = t.tensor([3.0], requires_grad=True)
    runs = {}
    runs["positional"] = [Scale.apply(x, 3.0), list(calls)]
    calls.clear()
    with t.no_grad():
        runs["no_grad"] = [Scale.apply(x, 3.0), list(calls)]
    calls.clear()
    runs["keyword"] = [Scale.apply(x, k=4.0), list(calls)]
    calls.clear()
    y = Scale.apply(x)
    y.backward()
    runs["default"] = [y, x.grad.clone(), list(calls)]

    class Pair(t.autograd.Function):
        @staticmethod
        def forward(a, b):
            return a * b, a + b

        @staticmethod
        def setup_context(ctx, inputs, output):
            a, b = inputs
            ctx.save_for_backward(a, b)
            ctx.mark_non_differentiable(output[1])

        @staticmethod
        def backward(ctx, grad_product, grad_sum):
            a, b = ctx.saved_tensors
            return grad_product * b, grad_product * a

    a = t.tensor([2.0], requires_grad=True)
    b = t.tensor([5.0], requires_grad=True)
    product, total = Pair.apply(a, b)
    product.backward()
    runs["pair"] = [product, total, total.requires_grad, a.grad, b.grad, graph(product.grad_fn)]

    class Both(t.autograd.Function):
        @staticmethod
        def forward(ctx, v):
            return v * 2

        @staticmethod
        def setup_context(ctx, inputs, output):
            pass

        @staticmethod
        def backward(ctx, g):
            return g

    class Cube(t.autograd.Function):
        @staticmethod
        def forward(ctx, v):
            ctx.save_for_backward(v)
            return v**3

        @staticmethod
        @once_differentiable
        def backward(ctx, g):
            (v,) = ctx.saved_tensors
            calls.append(["backward records", t.is_grad_enabled()])
            return 3 * v**2 * g

    calls.clear()
    c = t.tensor([2.0], requires_grad=True)
    (g,) = t.autograd.grad(Cube.apply(c), c, grad_outputs=t.ones(1, requires_grad=True), create_graph=True)
    once = {
        "grad": g,
        "graph": graph(g.grad_fn),
        "calls": list(calls),
        "twice": raises(lambda: g.backward()),
        "name_kept": Cube.backward.__name__,
    }
    (plain,) = t.autograd.grad(Cube.apply(c), c, create_graph=True)
    once["without_graph_to_it"] = [plain, plain.requires_grad]
    return {"runs": runs, "both_styles": raises(lambda: Both.apply(x)), "once_differentiable": once}


@case
def saved_tensors_by_pytorch_names(t):
    F = t.nn.functional
    x = t.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    w = t.tensor([[1.0, 0.5], [2.0, 1.0]], requires_grad=True)
    b = t.tensor([0.5, 1.0], requires_grad=True)
    ops = {
        "mul": lambda: x * w,
        "mul_number": lambda: x * 2,
        "mul_constant": lambda: x * w.detach(),
        "div": lambda: x / w,
        "div_constant": lambda: x / w.detach(),
        "pow": lambda: x**2,
        "pow_tensor": lambda: x**w,
        "number_pow": lambda: 2**x,
        "exp": lambda: x.exp(),
        "log": lambda: x.log(),
        "log1p": lambda: x.log1p(),
        "expm1": lambda: x.expm1(),
        "sin": lambda: x.sin(),
        "cos": lambda: x.cos(),
        "tanh": lambda: x.tanh(),
        "sigmoid": lambda: x.sigmoid(),
        "relu": lambda: x.relu(),
        "sqrt": lambda: x.sqrt(),
        "abs": lambda: x.abs(),
        "clamp": lambda: x.clamp(0, 2),
        "maximum": lambda: t.maximum(x, w),
        "mm": lambda: x @ w,
        "mm_constant": lambda: x @ w.detach(),
        "linear": lambda: F.linear(x, w, b),
        "max": lambda: x.max(),
        "max_dim": lambda: x.max(1).values,
        "min_dim": lambda: x.min(0).values,
        "norm": lambda: x.norm(),
        "var": lambda: x.var(),
        "std": lambda: x.std(),
        "amax": lambda: x.amax(1),
        "softmax": lambda: x.softmax(1),
        "log_softmax": lambda: x.log_softmax(1),
        "mse": lambda: F.mse_loss(x, w),
        "mv": lambda: x @ b,
        "dot": lambda: b @ b,
        "reciprocal": lambda: x.reciprocal(),
        "remainder": lambda: x % w,
        "fmod": lambda: t.fmod(x, w),
        "div_mode": lambda: x.div(w, rounding_mode=None),
    }
    names = ["self", "other", "result", "exponent", "mat1", "mat2", "vec", "tensor", "target", "indices"]
    seen = {}
    for op_name, op in ops.items():
        y = op()
        found = {}
        for name in names:
            if hasattr(y.grad_fn, "_saved_" + name):
                v = getattr(y.grad_fn, "_saved_" + name)
                if isinstance(v, t.Tensor):
                    which = [k for k, c in (("x", x), ("w", w), ("b", b), ("y", y)) if v is c]
                    found[name] = [v, which[0] if which else "new", v.requires_grad]
                else:
                    found[name] = v
        seen[op_name] = [y.grad_fn.name(), found]
    seen["softmax_dim"] = x.softmax(1).grad_fn._saved_dim  # (PyTorch gives 2**64 - 1 for dim=-1: a quirk)
    y = (x * w).sum()
    node = y.grad_fn.next_functions[0][0]
    y.backward()
    (gx,) = t.autograd.grad(x.tanh().sum(), x, create_graph=True)
    return {
        "saved": seen,
        "after_backward": raises(lambda: node._saved_self),
        "unknown_name": raises(lambda: x.exp().grad_fn._saved_foo),
        "double_backward_node": [gx.grad_fn.name(), gx.grad_fn._saved_grad_output, gx.grad_fn._saved_output],
        "exponent_after_backward": (lambda p: (p.sum().backward(), p.grad_fn._saved_exponent)[1])(x**3),
    }


@case
def saved_tensors_hooks_pack_and_unpack(t):
    log = []

    def pack(x):
        log.append(
            ["pack", list(x.shape), x.requires_grad, x.grad_fn.name() if x.grad_fn is not None else None]
        )
        return ["packed", x.detach().clone()]

    def unpack(p):
        log.append(["unpack", p[0]])
        return p[1]

    hooks = t.autograd.graph.saved_tensors_hooks
    a = t.tensor([1.0, 2.0], requires_grad=True)
    with hooks(pack, unpack):
        y = a.exp()
        z = (a * y).sum()
    result = {"packed_at_forward": sorted(log, key=str)}
    log.clear()
    z.backward()
    result["unpacked_at_backward"] = [list(log), a.grad.clone()]
    log.clear()
    with hooks(pack, unpack):
        y = a.exp()
    result["saved_result"] = [y.grad_fn._saved_result, list(log)]
    log.clear()
    b = t.tensor([1.0, 2.0], requires_grad=True) * 1
    with hooks(pack, unpack):
        c = b.exp()
        b * 2  # (a Python number is not packed)
        b / 2
    b.add_(1)  # (no version check with hooks: the node holds the packed copy)
    c.sum().backward()
    result["no_version_check"] = [list(log)]
    log.clear()

    def pack2(x):
        log.append("inner pack")
        return x

    with hooks(pack, unpack):
        with hooks(pack2, lambda x: x):
            a.exp()
    result["innermost_wins"] = list(log)
    log.clear()
    with hooks(pack, unpack):
        with t.no_grad():
            a.exp()
    result["nothing_saved_without_grad"] = list(log)

    def bad_pack(x):
        x.mul_(2)
        return x

    def in_place_pack():
        with hooks(bad_pack, lambda x: x):
            (a * 1).exp()

    def wrong_shape():
        with hooks(lambda x: x, lambda x: t.ones(3)):
            s = a.sin()
        s.sum().backward()

    def not_a_tensor():
        with hooks(lambda x: x, lambda x: 5):
            s = a.sin()
        s.sum().backward()

    result["errors"] = [raises(in_place_pack), raises(wrong_shape), raises(not_a_tensor)]

    class Double(t.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * 2

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 2

    log.clear()
    a.grad = None
    with hooks(pack, unpack):
        d = Double.apply(a)
    d.sum().backward()
    result["custom_function"] = [list(log), a.grad]
    # a second derivative through unpacked tensors still reaches the leaf
    x = t.tensor([0.5, 1.5], requires_grad=True)
    with hooks(lambda v: v.detach().clone(), lambda v: v):
        (g,) = t.autograd.grad((x**3).sum(), x, create_graph=True)
    g.sum().backward()
    result["second_derivative"] = [g, x.grad]
    with t.autograd.graph.save_on_cpu():
        s = a.sin()
    s.sum().backward()
    result["save_on_cpu"] = a.grad
    result["node_class"] = [
        isinstance(a.exp().grad_fn, t.autograd.graph.Node),
        isinstance(d.grad_fn, t.autograd.graph.Node),
    ]
    return result


@case
def module_registration_lists_dicts_and_tied_weights(t):
    nn = t.nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Linear(2, 2)
            self.b = nn.Sequential(nn.Linear(2, 1), nn.Tanh())
            self.w = nn.Parameter(t.ones(1))

    m = Net()
    names = lambda pairs: [n for n, _ in pairs]  # noqa: E731
    r = {
        "named": names(m.named_parameters()),
        "not_recursive": names(m.named_parameters(recurse=False)),
        "not_recursive_count": len(list(m.parameters(recurse=False))),
        "prefix": names(m.named_parameters(prefix="net")),
    }
    m.add_module("c", nn.ReLU())
    m.register_parameter("v", nn.Parameter(t.zeros(2)))
    m.register_module("d", nn.Identity())
    m.register_buffer("buf", t.ones(1))
    m.register_buffer("scratch", t.ones(1), persistent=False)
    r["registered"] = [
        names(m.named_children()),
        names(m.named_parameters()),
        names(m.named_buffers()),
        list(m.state_dict()),
    ]
    r["state_after_double"] = list(m.double().state_dict())  # (scratch stays out)
    m.float()
    r["get"] = [list(m.get_parameter("a.weight").shape), repr(m.get_submodule("b.0"))]
    r["get_errors"] = [
        raises(lambda: m.get_submodule("b.nope")),
        raises(lambda: m.get_parameter("a.in_features")),
        raises(lambda: m.get_parameter("a.nope")),
    ]
    r["register_errors"] = [
        raises(lambda: m.register_parameter("bad", t.ones(1))),
        raises(lambda: m.add_module("x", 5)),
        raises(lambda: setattr(m.a, "weight", t.ones(2, 2))),
        raises(lambda: setattr(m, "b", 5)),
    ]
    del m.w
    r["deleted"] = names(m.named_parameters())
    m.a.bias = None
    r["bias_none"] = [names(m.a.named_parameters()), list(m.a.state_dict()), list(m.a(t.ones(1, 2)).shape)]
    r["training"] = [m.training, m.eval().training, m.b[0].training, m.train().b[0].training]
    t.manual_seed(0)
    layer = nn.Linear(3, 2)
    before = layer.weight.detach().clone()
    layer.reset_parameters()
    r["reset_changes_weights"] = bool((layer.weight.detach() != before).any())

    layers = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2), nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 3)])
    lists = {
        "repr": repr(layers),
        "len": len(layers),
        "last": repr(layers[-1]),
        "slice": repr(layers[1:3]),
        "out_of_range": raises(lambda: layers[7]),
        "names": names(layers.named_parameters())[:4],
        "empty": repr(nn.ModuleList()),
        "extend_error": raises(lambda: layers.extend(5)),
    }
    layers.append(nn.Tanh())
    layers.extend([nn.ReLU()])
    layers.insert(0, nn.Identity())
    lists["after_append_extend_insert"] = [type(x).__name__ for x in layers]
    heads = nn.ModuleDict({"a": nn.ReLU(), "b": nn.Linear(1, 1)})
    dicts = {
        "repr": repr(heads),
        "keys": list(heads.keys()),
        "contains": ["a" in heads, "z" in heads],
        "names": names(heads.named_parameters()),
        "popped": repr(heads.pop("a")),
        "after_pop": list(heads),
    }
    from collections import OrderedDict

    named = nn.Sequential(OrderedDict([("fc", nn.Linear(1, 2)), ("act", nn.ReLU())]))
    sequential = {
        "ordered_dict": repr(named),
        "append": repr(nn.Sequential(nn.Linear(1, 1)).append(nn.ReLU())),
    }

    first, second = nn.Linear(2, 2), nn.Linear(2, 2)
    second.weight = first.weight
    tied = nn.Sequential(first, second)
    shared = nn.Linear(1, 1)
    twice = nn.Sequential(shared, shared)
    ties = {
        "named": names(tied.named_parameters()),
        "state_dict": list(tied.state_dict()),
        "optimizer_params": len(t.optim.SGD(tied.parameters(), lr=1.0).param_groups[0]["params"]),
        "shared_modules": names(twice.named_modules()),
        "shared_params": names(twice.named_parameters()),
        "shared_state": list(twice.state_dict()),
        "shared_children": len(list(twice.children())),
    }

    class EarlyModule(nn.Module):
        def __init__(self):
            self.fc = nn.Linear(1, 1)
            super().__init__()

    class EarlyParameter(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(t.ones(1))
            super().__init__()

    class EarlyBuffer(nn.Module):
        def __init__(self):
            self.register_buffer("b", t.ones(1))

    before_init = [raises(EarlyModule), raises(EarlyParameter), raises(EarlyBuffer)]
    return {
        "module": r,
        "module_list": lists,
        "module_dict": dicts,
        "sequential": sequential,
        "tied": ties,
        "before_init": before_init,
    }


@case
def optimizer_with_a_parameter_twice(t):
    p = t.nn.Parameter(t.ones(2))
    twice = warns(lambda: len(t.optim.SGD([p, p], lr=0.1).param_groups[0]["params"]))
    two_groups = raises(lambda: t.optim.SGD([{"params": [p]}, {"params": [p]}], lr=0.1))
    return {"same_group": twice, "two_groups": two_groups}


@case
def zero_dim_tensors_take_dim_0_and_minus_1(t):
    """A 0-dim tensor accepts dim 0 or -1 wherever a dimension is asked for: reductions and views
    of it are the number itself (with the op's node); ops that cut a dimension refuse."""
    out = {}
    x = t.tensor(1.5, requires_grad=True)
    results = {
        "sum0": x.sum(0),
        "sum_keep": x.sum(-1, keepdim=True),
        "sum_tuple": x.sum((0,)),
        "mean0": x.mean(0),
        "amax": x.amax(0),
        "amin": x.amin(-1),
        "var0": x.var(0, correction=0),
        "std_keep": x.std(0, correction=0, keepdim=True),
        "norm": x.norm(dim=0),
        "cumsum": x.cumsum(0),
        "t": x.t(),
        "transpose": x.transpose(0, -1),
        "squeeze0": x.squeeze(0),
        "flip": x.flip(0),
        "index_select": x.index_select(0, t.tensor([0])),
        "gather": x.gather(0, t.tensor(0)),
        "scatter": x.scatter(0, t.tensor(0), 2.0),
        "scatter_add": x.scatter_add(0, t.tensor(0), t.tensor(2.0)),
        "ellipsis": x[...],
        "empty_key": x[()],
        "softmax_sum": x.softmax(0).sum(0),
    }
    for name, y in results.items():
        out[name] = y
        out[name + "_node"] = y.grad_fn.name()
        (g,) = t.autograd.grad(y * 3, x)
        out[name + "_grad"] = g
    vector = t.tensor([1.0, 2.0], requires_grad=True)
    out["vector_ellipsis_node"] = vector[...].grad_fn.name()
    out["vector_slice_node"] = vector[:].grad_fn.name()
    out["vector_ellipsis_none_node"] = vector[..., None].grad_fn.name()
    out["errors"] = [
        raises(lambda: x.sum((0, -1))),
        raises(lambda: x.sum(1)),
        raises(lambda: x.flip(0, 0)),
        raises(lambda: x.index_select(0, t.tensor([0, 0]))),
        raises(lambda: x.index_select(0, t.tensor([1]))),
        raises(lambda: x.gather(0, t.tensor(1))),
        raises(lambda: x.narrow(0, 0, 1)),
        raises(lambda: x.split(1, 0)),
        raises(lambda: x.chunk(1, 0)),
        raises(lambda: x.unbind(0)),
        raises(lambda: x.select(0, 0)),
        raises(lambda: x.size(0)),
        raises(lambda: x.size(-1)),
        raises(lambda: x.stride(0)),
        raises(lambda: t.cat([x, x])),
        raises(lambda: t.cat([t.ones(2), x])),
        raises(lambda: x.transpose(1, 0)),
    ]
    return out


@case
def sizes_are_required(t):
    """Factories and shape methods called without their sizes: PyTorch's TypeErrors."""
    x = t.ones(2, 3)
    return {
        "errors": [
            raises(lambda: t.zeros()),
            raises(lambda: t.ones()),
            raises(lambda: t.empty()),
            raises(lambda: t.randn()),
            raises(lambda: t.rand()),
            raises(lambda: x.new_zeros()),
            raises(lambda: x.new_ones()),
            raises(lambda: x.permute()),
            raises(lambda: t.permute(x)),
            raises(lambda: x.view()),
            raises(lambda: x.reshape()),
            raises(lambda: x.expand()),
            raises(lambda: x.repeat()),
            raises(lambda: x.flip()),
        ],
        "empty_tuple_is_a_size": [t.zeros(()), x.new_zeros(()), t.zeros(size=())],
    }


@case
def zero_gradient_is_zeros_not_grad_times_zero(t):
    """sign, fill_, zero_ and copy_ send zeros_like(grad) back, not grad * 0: an inf or nan
    gradient arriving there leaves zeros, not nan, and the zeros are in no graph."""
    x = t.tensor([-2.0, 0.0, 3.0], requires_grad=True)
    s = x.sign()
    (g_sign,) = t.autograd.grad((s + 1).log().sum(), x, create_graph=True)  # log(0): inf gradient
    sgn = t.autograd.grad((x.sgn() * float("inf")).sum(), x)[0]
    out = {"sign": g_sign, "sign_grad_requires_grad": g_sign.requires_grad, "sgn": sgn}
    for name, change in {
        "fill_": lambda y: y.fill_(1.0),
        "zero_": lambda y: y.zero_(),
        "copy_": lambda y: y.copy_(t.tensor(1.0)),
    }.items():
        y = x * 1
        change(y)
        (g,) = t.autograd.grad((y * float("inf")).sum() + (x * 2).sum(), x)
        out[name] = g
    return out


@case
def transpose_properties_of_tensors_that_are_not_matrices(t):
    """``x.T`` of a tensor that is not a matrix reverses its dimensions, and ``x.mT`` of a 0-dim one
    is the tensor itself. (Both are deprecated there: PyTorch warns once per process, so which call
    warns depends on what ran before; tests/test_tensor_basics.py checks the warnings.)"""
    x = t.tensor(1.5, requires_grad=True)
    v = t.tensor([1.0, 2.0], requires_grad=True)
    cube = t.ones(2, 3, 4, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {
            "T_0d": x.T,
            "T_0d_node": x.T.grad_fn.name(),
            "T_1d": v.T,
            "T_1d_node": v.T.grad_fn.name(),
            "T_3d_shape": list(cube.T.shape),
            "T_3d_node": cube.T.grad_fn.name(),
            "mT_0d_is_itself": x.mT is x,
            "mT_1d": raises(lambda: v.mT),
        }


@case
def norm_backward_in_pytorchs_order(t):
    """The p-norm's gradient as PyTorch's norm_backward computes it (grad · (x / ‖x‖) with 0 where
    the norm is 0, for p = 2; PyTorch's other forms for p < 1, 1 < p < 2 and p > 2): the same
    graph for create_graph, and the same nan for the second derivative of a norm that is 0."""
    out = {}
    x = t.tensor([[0.0, 0.0], [3.0, -4.0], [0.5, 0.0]], dtype=t.float64, requires_grad=True)
    w = t.tensor([2.0, -1.0, 0.5], dtype=t.float64)
    for p in (2, 3, 1.5, 0.5, 1, math.inf):
        n = x.norm(p=p, dim=1)
        (g,) = t.autograd.grad((n * w).sum(), x, create_graph=True)
        (g2,) = t.autograd.grad((g * g).sum(), x)
        out[f"p{p}"] = [n, g, g2, graph(g.grad_fn)]
    column = t.tensor([[0.0], [2.0]], dtype=t.float64, requires_grad=True)
    (g,) = t.autograd.grad(column.norm(dim=1).sum(), column, create_graph=True)
    out["single_element_at_0"] = [g, t.autograd.grad((g * g).sum(), column)[0]]
    count = x.norm(p=0, dim=1)
    out["p0"] = [count, raises(lambda: t.autograd.grad(x.norm(p=0), x))]
    out["p0_allow_unused"] = t.autograd.grad(x.norm(p=0), x, allow_unused=True)
    return out


@case
def flatten_of_what_is_flat_already_is_the_tensor(t):
    """``flatten`` returns the tensor itself (no new node) when the dimensions to merge are one
    already; a 0-dim tensor becomes 1-dim; start after end is an error."""
    v = t.ones(3, requires_grad=True) * 2
    m = t.ones(2, 3, requires_grad=True) * 2
    s = t.tensor(2.0, requires_grad=True) * 2
    return {
        "vector_is_itself": v.flatten() is v,
        "one_dim_range_is_itself": [m.flatten(1) is m, m.flatten(0, 0) is m, m.flatten(-1, 1) is m],
        "matrix": [m.flatten(), m.flatten().grad_fn.name()],
        "number": [s.flatten(), s.flatten().grad_fn.name(), s.flatten(0, -1).shape],
        "errors": [raises(lambda: m.flatten(1, 0)), raises(lambda: s.flatten(1))],
    }


@case
def too_many_indices_in_an_advanced_key(t):
    z = t.ones(2)
    s = t.tensor(1.0)
    return {
        "list_on_vector": z[[0, 0, 1, 0]],
        "errors": [
            raises(lambda: z[0, [0]]),
            raises(lambda: z[[0], [0]]),
            raises(lambda: z[t.tensor([True, False]), 0]),
            raises(lambda: s[[0, 0, 1]]),
            raises(lambda: s[t.tensor([0])]),
            raises(lambda: s[[True]]),
        ],
        "bool_and_none_on_a_number": [s[t.tensor(True)], s[None]],
    }


@case
def indexing_a_zero_dim_tensor(t):
    """What PyTorch says to each way of indexing a 0-dim tensor: three different messages."""
    x = t.tensor(1.0)
    keys = [slice(1, None), slice(None), (slice(None),), (None, slice(None)), (Ellipsis, 0), 0, (0,), -1, 2]
    out = {"errors": [raises(lambda k=k: x[k]) for k in keys]}
    out["setitem_errors"] = [raises(lambda k=k: x.__setitem__(k, 2.0)) for k in (0, slice(None), (0,))]
    out["fine"] = [x[None], x[...], x[None, ...], x[()]]
    return out


@case
def cumsum_starts_from_zero(t):
    """PyTorch's running sums start from 0, so a leading -0.0 becomes 0.0 (and 1 / it is +inf)."""
    x = t.tensor([-0.0, -0.0, 1.0], dtype=t.float64, requires_grad=True)
    c = x.cumsum(0)
    (g,) = t.autograd.grad(c.log().sum(), x)
    return {"cumsum": c, "reciprocal": 1 / c.detach(), "grad_of_log": g, "number": t.tensor(-0.0).cumsum(0)}


@case
def known_zero_gradients_pass_through_without_nan(t):
    """The zero gradient of sgn is PyTorch's ZeroTensor: the nodes below it pass zeros on without
    computing, so log's 0 / 0 at x = 0 adds nothing (not nan) to the -inf that the other path
    brings; the second derivative of |log x| at 0 (abs's backward uses sgn) is PyTorch's -inf too.
    sign, zero_, fill_ and copy_ send ordinary zeros (so below them 0 / 0 is nan, as in PyTorch)."""
    x = t.tensor([0.0, -1.0, 0.5, 2.0], dtype=t.float64, requires_grad=True)
    (two_logs,) = t.autograd.grad((x.log().sgn() * x.log()).sum(), x)
    positive = t.tensor([0.0, 0.5, 2.0], dtype=t.float64, requires_grad=True)
    (g,) = t.autograd.grad(positive.log().abs().sum(), positive, create_graph=True)
    (g2,) = t.autograd.grad((g * g).sum(), positive)
    y = x * 1
    y.zero_()
    (through_zero_,) = t.autograd.grad((y.log() + x).sum(), x)
    (sign_only,) = t.autograd.grad(x.log().sign().sum(), x)
    (sgn_only,) = t.autograd.grad(x.log().sgn().sum(), x)
    immutable = raises(lambda: sgn_only.add_(1))  # (as PyTorch's ZeroTensor)
    materialized = sgn_only.clone().add_(1)
    return {
        "two_logs": two_logs,
        "abs_log": [g, g2],
        "through_zero_": through_zero_,
        "sign_only": sign_only,
        "sgn_only": [sgn_only, immutable, materialized],
    }


@case
def losses_of_a_zero_dim_input(t):
    """cross_entropy and nll_loss need a class dimension: PyTorch's errors for a 0-dim input."""
    f = t.nn.functional
    x = t.tensor(1.5)
    targets = [t.tensor(0), t.tensor(0.3), t.tensor([0]), t.tensor([0.3])]
    return {
        "cross_entropy": [raises(lambda y=y: f.cross_entropy(x, y)) for y in targets],
        "nll_loss": [raises(lambda y=y: f.nll_loss(x, y)) for y in targets],
    }


@case
def which_ops_pass_known_zeros_on(t):
    """Which backward formulas keep PyTorch's ZeroTensor (the zero gradient of sgn) a ZeroTensor,
    and which make ordinary zeros of it: for each op f, is the gradient that reaches x from
    ``f(x).sgn().sum()`` known zeros? (Below the ones that are not, 0 / 0 gives nan again.)"""
    ops = {
        "exp": lambda x: x.exp(),
        "log": lambda x: x.log(),
        "sin": lambda x: x.sin(),
        "cos": lambda x: x.cos(),
        "tanh": lambda x: x.tanh(),
        "sigmoid": lambda x: x.sigmoid(),
        "relu": lambda x: x.relu(),
        "sqrt": lambda x: x.sqrt(),
        "abs": lambda x: x.abs(),
        "neg": lambda x: -x,
        "mul_t": lambda x: x * t.tensor([2.0, 3.0]),
        "mul_s": lambda x: x * 2,
        "div_t": lambda x: x / t.tensor([2.0, 3.0]),
        "rdiv": lambda x: 1 / x,
        "add_t": lambda x: x + t.tensor([1.0, 1.0]),
        "add_s": lambda x: x + 1,
        "sub": lambda x: x - 1,
        "pow2": lambda x: x**2,
        "pow3": lambda x: x**3,
        "powh": lambda x: x**0.5,
        "square": lambda x: x.square(),
        "reciprocal": lambda x: x.reciprocal(),
        "log1p": lambda x: x.log1p(),
        "expm1": lambda x: x.expm1(),
        "clamp": lambda x: x.clamp(0, 1),
        "clamp_min": lambda x: x.clamp(min=0),
        "view": lambda x: x.view(2, 1),
        "reshape": lambda x: x.reshape(1, 2),
        "unsqueeze": lambda x: x.unsqueeze(0),
        "expand": lambda x: x.unsqueeze(0).expand(3, 2),
        "t": lambda x: x.unsqueeze(0).t(),
        "transpose": lambda x: x.unsqueeze(0).transpose(0, 1),
        "select": lambda x: x[0],
        "slice": lambda x: x[1:],
        "index": lambda x: x[[0, 1, 0]],
        "flip": lambda x: x.flip(0),
        "cumsum": lambda x: x.cumsum(0),
        "sum": lambda x: x.sum(),
        "mean": lambda x: x.mean(),
        "sumdim": lambda x: x.unsqueeze(0).sum(0),
        "max": lambda x: x.max(),
        "amax": lambda x: x.amax(0),
        "softmax": lambda x: x.softmax(0),
        "log_softmax": lambda x: x.log_softmax(0),
        "where": lambda x: t.where(x > 0, x, 0.0),
        "maximum": lambda x: t.maximum(x, t.tensor([0.5, 0.5])),
        "mm": lambda x: x.unsqueeze(0) @ t.ones(2, 2),
        "matmul_vec": lambda x: x @ t.ones(2),
        "clone": lambda x: x.clone(),
        "masked_fill": lambda x: x.masked_fill(t.tensor([True, False]), 0.0),
        "var": lambda x: x.var(),
        "norm": lambda x: x.norm(),
        "cat": lambda x: t.cat([x, x]),
        "stack": lambda x: t.stack([x, x]),
        "gather": lambda x: x.gather(0, t.tensor([1])),
        "repeat": lambda x: x.repeat(2),
        "permute": lambda x: x.unsqueeze(0).permute(1, 0),
        "squeeze": lambda x: x.unsqueeze(0).squeeze(0),
        "tril": lambda x: x.unsqueeze(0).expand(2, 2).tril(),
        "split": lambda x: x.split(1)[0],
        "sgn": lambda x: x.sgn(),
        "mse": lambda x: t.nn.functional.mse_loss(x, t.zeros(2)),
        "min": lambda x: x.min(),
        "mul_self": lambda x: x * x,
        "index_select": lambda x: x.index_select(0, t.tensor([0])),
        "narrow": lambda x: x.narrow(0, 0, 1),
        "unbind": lambda x: x.unbind(0)[0],
        "flatten": lambda x: x.unsqueeze(0).flatten(),
        "sub_t": lambda x: t.tensor([1.0, 2.0]) - x,
        "div_self": lambda x: x / x,
        "add_other": lambda x: t.tensor([1.0, 1.0]) + x,
        "mul_other": lambda x: t.tensor([2.0, 3.0]) * x,
        "div_other": lambda x: t.tensor([2.0, 3.0]) / x,
        "pow_tensor_exp": lambda x: t.tensor([2.0, 3.0]) ** x,
        "pow_base_tensor": lambda x: x ** t.tensor([2.0, 3.0]),
        "sub_alpha": lambda x: t.sub(x, 1, alpha=2),
        "rsub_s": lambda x: 1 - x,
        "div_s": lambda x: x / 2,
        "mul_bcast": lambda x: x * t.ones(3, 2),
        "add_bcast": lambda x: x + t.ones(3, 2),
        "dot": lambda x: x.dot(t.ones(2)),
        "mv": lambda x: t.ones(3, 2) @ x,
        "mm_other": lambda x: t.ones(2, 2) @ x.unsqueeze(1),
        "addmm": lambda x: t.nn.functional.linear(x.unsqueeze(0), t.ones(3, 2)),
        "linear_w": lambda x: t.nn.functional.linear(t.ones(1, 2), x.unsqueeze(0)),
        "sum_keep": lambda x: x.sum(0, keepdim=True),
        "mean_dim": lambda x: x.mean(0),
        "exp2": lambda x: x.exp().exp(),
        "square_m": lambda x: t.square(x),
        "view_as": lambda x: x.view_as(x),
        "unsqueeze_view": lambda x: x[None],
        "ellipsis": lambda x: x[...],
        "alias_T": lambda x: x.unsqueeze(0).T,
        "mT": lambda x: x.unsqueeze(0).mT,
        "amin": lambda x: x.amin(0),
        "logsumexp": lambda x: x.logsumexp(0),
        "cos2": lambda x: x.cos().sin(),
        "sign": lambda x: x.sign(),
        "fmod": lambda x: x.fmod(0.7),
        "remainder": lambda x: x.remainder(0.7),
        "detach_like": lambda x: x * 1,
        "chunk": lambda x: x.chunk(2)[0],
        "expand_as": lambda x: x.unsqueeze(0).expand(1, 2),
    }
    out = {}
    for name, f in ops.items():
        x = t.tensor([0.5, 2.0], requires_grad=True)
        seen = []
        x.register_hook(lambda g, seen=seen: seen.append(g._is_zerotensor()))
        f(x).sgn().sum().backward()
        out[name] = seen
    return out


@case
def logsumexp_without_overflow(t):
    """log Σ exp(x) along dims: m + log Σ exp(x − m), so 1000 does not overflow; ±inf and an
    all −inf row as PyTorch; its gradient is the softmax, recorded as grad · exp(x − result)."""
    inf = float("inf")
    x = t.tensor(
        [[1.0, 2.0, 3.0], [-inf, -inf, 0.0], [inf, 1.0, 2.0], [1000.0, 1000.0, -1000.0]], requires_grad=True
    )
    y = x.logsumexp(1)
    (g,) = t.autograd.grad(y.sum(), x, create_graph=True)
    (g2,) = t.autograd.grad((g[0] * g[0]).sum(), x)
    all_minus_inf = t.tensor([[-inf, -inf]], requires_grad=True)
    return {
        "rows": y,
        "grad": g,
        "grad_graph": graph(g.grad_fn),
        "second": g2,
        "columns_keepdim": x.logsumexp(0, keepdim=True),
        "all": t.logsumexp(x.detach(), (0, 1)),
        "number": t.tensor(2.0, requires_grad=True).logsumexp(0),
        "integers": t.tensor([1, 2]).logsumexp(0),
        "bools": t.tensor([True, False]).logsumexp(0),
        "empty": [t.zeros(0, 3).logsumexp(0), t.zeros(2, 0).logsumexp(1)],
        "all_minus_inf_grad": t.autograd.grad(all_minus_inf.logsumexp(1).sum(), all_minus_inf),
        "float64": x.double().logsumexp(1),
        "errors": [
            raises(lambda: x.logsumexp()),
            raises(lambda: t.logsumexp(x, None)),
            raises(lambda: x.logsumexp(dim=[])),
            raises(lambda: x.logsumexp((1, 1))),
            raises(lambda: x.logsumexp(2)),
        ],
    }


@case
def argmax_and_argmin_refuse_bools(t):
    b = t.tensor([True, False, True])
    return {
        "errors": [raises(lambda: b.argmax()), raises(lambda: b.argmin()), raises(lambda: b.argmax(0))],
        "max_of_bools": [b.max(), b.max(0), b.min(0)],
    }


@case
def reshape_names_its_node_by_the_layout(t):
    """``reshape`` is a view (ViewBackward0) of a contiguous tensor, PyTorch's ``_reshape_alias``
    (ReshapeAliasBackward0) of a non-contiguous one that can still be viewed, and a copy
    (UnsafeViewBackward0) otherwise; ``flatten`` is a reshape."""
    x = t.ones(3, 4, requires_grad=True) * 1
    tensors = {
        "contiguous": x,
        "narrow_last": x.narrow(-1, 1, 1),
        "narrow_first": x.narrow(0, 1, 2),
        "every_other_column": x[:, ::2],
        "transposed": x.t(),
        "one_column": x[:, 1],
        "expanded": x[:1].expand(3, 4),
        "unsqueezed": x.unsqueeze(1),
        "number": x[1, 1],
    }
    out = {}
    for name, v in tensors.items():
        flat = v.reshape(-1)
        (g,) = t.autograd.grad((flat * t.arange(flat.numel(), dtype=t.float32)).sum(), x)
        out[name] = [
            flat.grad_fn.name(),
            v.reshape(v.numel(), 1).grad_fn.name(),
            v.flatten().grad_fn.name(),
            g,
        ]
    return out


@case
def matmul_errors_name_the_product_pytorch_folds_to(t):
    """A batch times a matrix or vector (either side) is computed as one folded matrix product when
    the smaller operand requires grad, or when the batch is on the left and lies in memory as one;
    otherwise as a batched product. The error for mismatched sizes names the product computed."""
    shapes = [
        ((4, 4, 4), (3, 1)),
        ((2, 4, 4), (3,)),
        ((3,), (2, 4, 4)),
        ((4, 3), (1, 2, 5)),
        ((3,), (1, 4, 3)),
        ((2, 1), (4, 2, 1)),
        ((4, 3), (2, 4, 5)),
        ((2, 3, 4), (5,)),
        ((2, 3, 4), (5, 2)),
        ((5,), (2, 3, 4)),
        ((2, 3), (2, 4, 4)),
        ((0, 3, 4), (5, 2)),
    ]
    out = []
    for a, b in shapes:
        for ra, rb in ((False, False), (True, False), (False, True)):
            x, y = t.ones(*a, requires_grad=ra), t.ones(*b, requires_grad=rb)
            out.append(raises(lambda x=x, y=y: x @ y))
    permuted = t.ones(3, 4, 2).permute(1, 0, 2)  # (a batch that is not one block of memory)
    out.append(raises(lambda: permuted @ t.ones(5, 3)))
    out.append(raises(lambda: permuted @ t.ones(5, 3, requires_grad=True)))
    return {"errors": out}


@case
def std_of_equal_numbers_is_exactly_zero(t):
    """The variance of equal numbers is exactly 0 in minigrad (even where their computed mean is a
    unit in the last place off), so std's gradient there is 0, not a large number. For these
    values PyTorch's gradient is 0 too (its variance: 0 or ~1e-34); for some others (three float32
    tanh(-1)) PyTorch's variance is a rounding-level 5e-15 and its gradient an O(1) artefact: a
    difference README.md lists."""
    out = {}
    for dtype in (t.float32, t.float64):
        x = t.tensor(
            [[0.1] * 3, [1 / 3] * 3, [2.2, 2.2, 2.2], [1e10 + 0.3] * 3], dtype=dtype, requires_grad=True
        )
        s = x.std(1)
        (g,) = t.autograd.grad((s * t.tensor([1.0, 2.0, 3.0, 4.0], dtype=dtype)).sum(), x)
        out[str(dtype).split(".")[-1]] = [s, x.var(1), g, x.var(1, correction=0)]
    broadcast = t.tensor([[0.7], [1.3]], dtype=t.float64, requires_grad=True)
    copies = broadcast * t.ones(2, 5, dtype=t.float64)
    out["broadcast_copies"] = t.autograd.grad(copies.std(1, keepdim=True).sum(), broadcast)
    return out


@case
def var_backward_without_degrees_of_freedom(t):
    """Corrections of N or more: along a dim, PyTorch's 2/(N − correction) (negative or inf); over
    the whole tensor, ±inf with the gradient's sign (nan at the mean), x itself not in the graph."""
    out = []
    for kw in (
        {"dim": 1, "correction": 5},
        {"correction": 5},
        {"dim": 1, "correction": 2},
        {"correction": 4},
        {"dim": 1, "correction": 1},
        {"correction": 3},
    ):
        x = t.tensor([[1.0, 2.0], [3.0, 3.0]], requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            (g,) = t.autograd.grad((x.var(**kw) * t.tensor(2.0)).sum(), x, create_graph=True)
        out.append([g.detach(), g.requires_grad])
    w = t.tensor(3.0, requires_grad=True)
    x = t.tensor([1.0, 2.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (g,) = t.autograd.grad(x.var(correction=2) * w, x, create_graph=True)
    return {"cases": out, "gradient_keeps_its_graph": [g.detach(), g.requires_grad]}


# --------------------------------------------------------------------------------------
# The engine's order: which node runs when several are ready
# --------------------------------------------------------------------------------------
# PyTorch's ready queue is a std::priority_queue (a binary heap) ordered by sequence number;
# every AccumulateGrad has the same one (UINT64_MAX), so ready leaves leave in the heap's own
# order of ties. Each case logs the hooks in the order they fire.


def _logged(log, name, tensor):
    tensor.register_hook(lambda g: log.append(name))
    return tensor


@case
def engine_order_two_leaves_created_a_then_b(t):
    log = []
    a = _logged(log, "a", t.tensor(2.0, requires_grad=True))
    b = _logged(log, "b", t.tensor(3.0, requires_grad=True))
    ((a * b + 1) ** 2).backward()
    return {"order": log}


@case
def engine_order_two_leaves_created_b_then_a(t):
    log = []
    b = _logged(log, "b", t.tensor(3.0, requires_grad=True))
    a = _logged(log, "a", t.tensor(2.0, requires_grad=True))
    ((a * b + 1) ** 2).backward()
    return {"order": log}


@case
def engine_order_chain_of_products(t):
    log = []
    xs = [_logged(log, i, t.tensor(float(i + 1), requires_grad=True)) for i in range(9)]
    y = xs[0] * xs[1]
    for x in xs[2:]:
        y = y * x
    y.backward()
    return {"order": log}


@case
def engine_order_fork_with_non_leaf_hooks(t):
    log = []
    a = _logged(log, "a", t.tensor(2.0, requires_grad=True))
    b = _logged(log, "b", t.tensor(3.0, requires_grad=True))
    u = _logged(log, "u", a * b)
    v = _logged(log, "v", u.exp())
    w = _logged(log, "w", u.sin())
    (v + w * a).backward()
    return {"order": log}


@case
def engine_order_leaves_used_several_times(t):
    log = []
    a, b, c = (_logged(log, n, t.tensor(v, requires_grad=True)) for n, v in zip("abc", (2.0, 3.0, 5.0)))
    (a * b + b * c + c * a + a).backward()
    return {"order": log, "grads": [a.grad, b.grad, c.grad]}


@case
def engine_order_several_outputs_with_grad_tensors(t):
    log = []
    a, b, c = (_logged(log, n, t.tensor(v, requires_grad=True)) for n, v in zip("abc", (2.0, 3.0, 1.0)))
    t.autograd.backward([a * b, b * c, c + a], [t.tensor(1.0), t.tensor(2.0), t.tensor(3.0)])
    return {"order": log, "grads": [a.grad, b.grad, c.grad]}


@case
def engine_order_leaves_as_roots_repeated(t):
    """Roots join the queue when their last root edge has delivered (PyTorch's GraphRoot sends
    along its edges in order)."""
    log = []
    a, b, c = (_logged(log, n, t.tensor(v, requires_grad=True)) for n, v in zip("abc", (2.0, 3.0, 1.0)))
    t.autograd.backward([a, b, c, a], [t.tensor(1.0), t.tensor(2.0), t.tensor(3.0), t.tensor(4.0)])
    return {"order": log, "grads": [a.grad, b.grad, c.grad]}


@case
def engine_order_with_retain_grad(t):
    log = []
    a = _logged(log, "a", t.tensor(2.0, requires_grad=True))
    b = _logged(log, "b", t.tensor(3.0, requires_grad=True))
    u = a * b
    u.retain_grad()
    _logged(log, "u", u)
    (u * u + a).backward()
    return {"order": log, "u_grad": u.grad}


@case
def engine_order_autograd_grad_with_inputs(t):
    """Only nodes on a path to ``inputs`` (and captured ones) enter the queue: b's hook never fires."""
    log = []
    a, b, c = (_logged(log, n, t.tensor(v, requires_grad=True)) for n, v in zip("abc", (2.0, 3.0, 5.0)))
    u = _logged(log, "u", a * b)
    v = _logged(log, "v", b * c)
    grads = t.autograd.grad(u * v, inputs=[c, a])
    return {"order": log, "grads": list(grads)}


@case
def engine_order_backward_with_inputs(t):
    log = []
    a, b, c = (_logged(log, n, t.tensor(v, requires_grad=True)) for n, v in zip("abc", (2.0, 3.0, 5.0)))
    u = _logged(log, "u", a * b)
    v = _logged(log, "v", b * c)
    (u * v).backward(inputs=[c, a])
    return {"order": log, "grads": [a.grad, b.grad, c.grad]}


@case
def engine_order_many_leaves_ready_at_once(t):
    """Twelve AccumulateGrad nodes become ready in one step: the heap's order of ties decides."""
    log = []
    xs = [_logged(log, i, t.tensor(float(i + 1), requires_grad=True)) for i in range(12)]
    t.stack(xs).sum().backward()
    return {"order": log}


@case
def engine_order_many_leaves_ready_over_several_steps(t):
    log = []
    xs = [_logged(log, i, t.tensor(float(i + 1), requires_grad=True)) for i in range(12)]
    total = xs[0] * xs[3]
    for i in range(1, 12):
        total = total + xs[i] * xs[(i * 5 + 3) % 12]
    total.backward()
    return {"order": log}


@case
def engine_order_of_node_hooks(t):
    log = []
    a = t.tensor(2.0, requires_grad=True)
    b = t.tensor(3.0, requires_grad=True)
    u, v, w = a.exp(), b.exp(), a.sin()
    for name, x in (("u", u), ("v", v), ("w", w)):
        x.grad_fn.register_hook(lambda gi, go, name=name: log.append(name))
    for name, x in (("a", a), ("b", b)):
        x.register_post_accumulate_grad_hook(lambda p, name=name: log.append(name + " stored"))
    (u + v + w).backward()
    return {"order": log}


@case
def create_graph_accumulation_trap(t):
    # lesson 10's graded trap: backward(create_graph=True), then x.grad.backward() adds the second
    # derivative (12) into x.grad (12), in place: 24, seen through the name dy_dx too
    x = t.tensor(2.0, requires_grad=True)
    y = x**3
    bw = warns(lambda: t.autograd.backward(y, create_graph=True))
    dy_dx = x.grad
    before = dy_dx.detach().clone()
    dy_dx.backward()
    return {
        "backward": bw,
        "dy_dx_before": before,
        "x_grad_after": x.grad.detach(),
        "dy_dx_after": dy_dx.detach(),
        "same_tensor": x.grad is dy_dx,
        "grad_fn_name": name(x.grad.grad_fn),
    }


def _forward_frames(caught):
    """The frames of this file in anomaly mode's "Traceback of forward call" warnings (the paths of
    the library's own frames differ between PyTorch and minigrad): its first line, then
    ``[function, code]`` per frame (no line numbers: cases added above would move them)."""
    import os
    import re

    out = []
    for w in caught:
        text = str(w.message).split(" (Triggered internally")[0]
        frames = re.findall(r'  File "([^"]+)", line (\d+), in (\S+)\n    (.*)\n', text)
        mine = [[fn, code] for path, _, fn, code in frames if os.path.basename(path) == "cases.py"]
        out.append([text.split("\n")[0], mine])
    return out


@case
def anomaly_mode_warns_with_the_forward_call_behind_a_failing_backward(t):
    """Lesson 11: the error says which node failed; a warning before it shows where that node's
    forward op was called (for NaN gradients, and for any other error, e.g. a tensor modified in
    place, with check_nan=False). Inference tensors keep no version counter."""

    def forward(x):
        return x.sqrt()

    result = {}
    for check_nan in (True, False):
        x = t.tensor([4.0, 0.0], requires_grad=True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with t.autograd.set_detect_anomaly(True, check_nan=check_nan):
                y = forward(x)
                loss = (y * x).sum()  # at x = 0: 0 * sqrt'(0) = 0 * inf = nan
                if not check_nan:
                    x.detach().mul_(2)  # and now x, which y * x saved, is modified in place
                error = raises(loss.backward)
        result[f"check_nan={check_nan}"] = {
            "error": error,
            "warnings": _forward_frames(caught),
            "x_grad": x.grad,
        }
    with t.inference_mode():
        inference = t.ones(2) * 2
    result["version_of_an_inference_tensor"] = raises(lambda: inference._version)
    return result


# ======================================================================================
# Optimizers beyond SGD: Adam, AdamW, RMSprop, step for step (lesson 12)
# ======================================================================================


def _optimizer_steps(t, make_optimizer, dtype_name, steps=6):
    """Train ``_small_model`` with the optimizer ``make_optimizer(model)`` builds; record the loss
    and every parameter after every step, and the optimizer's state for the first weight."""
    dtype = getattr(t, dtype_name)
    x = t.tensor([[0.5, -1.0], [1.5, 0.25], [-0.5, 2.0]], dtype=dtype)
    y = t.tensor([[1.0], [-1.0], [0.5]], dtype=dtype)
    model = _small_model(t).to(dtype)
    opt = make_optimizer(model)
    losses, params = [], []
    for _ in range(steps):
        opt.zero_grad()
        loss = t.nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
        params.append([p.detach().clone() for p in model.parameters()])
    state = opt.state[model[0].weight]
    return {"losses": losses, "params": params, "state": {k: state[k] for k in sorted(state)}}


ADAM_VARIANTS = {
    "plain": {},
    "amsgrad": {"amsgrad": True},
    "weight_decay": {"weight_decay": 0.1},
    "decoupled_weight_decay": {"weight_decay": 0.1, "decoupled_weight_decay": True},
    "maximize_amsgrad": {"maximize": True, "amsgrad": True},
    "betas_eps": {"betas": (0.5, 0.9), "eps": 1e-3, "amsgrad": True},
    "weight_decay_amsgrad": {"weight_decay": 0.3, "amsgrad": True},
    "foreach": {"foreach": True},
    "fused": {"fused": True, "weight_decay": 0.1},
}


@case
def adam_variants_step_by_step(t):
    results = {}
    for dtype in ("float32", "float64"):
        for name, options in ADAM_VARIANTS.items():
            results[f"{dtype}_{name}"] = _optimizer_steps(
                t, lambda model, o=options: t.optim.Adam(model.parameters(), lr=0.07, **o), dtype
            )
    return results


ADAMW_VARIANTS = {
    "default_decay": {},
    "strong_decay_amsgrad": {"weight_decay": 0.5, "amsgrad": True},
    "maximize": {"maximize": True},
    "no_decay": {"weight_decay": 0},
}


@case
def adamw_variants_step_by_step(t):
    results = {}
    for dtype in ("float32", "float64"):
        for name, options in ADAMW_VARIANTS.items():
            results[f"{dtype}_{name}"] = _optimizer_steps(
                t, lambda model, o=options: t.optim.AdamW(model.parameters(), lr=0.07, **o), dtype
            )
    return results


RMSPROP_VARIANTS = {
    "plain": {},
    "momentum": {"momentum": 0.9},
    "centered": {"centered": True},
    "centered_momentum": {"centered": True, "momentum": 0.5},
    "weight_decay": {"weight_decay": 0.1, "momentum": 0.5},
    "maximize": {"maximize": True, "centered": True},
    "alpha_eps": {"alpha": 0.9, "eps": 1e-3},
    "foreach": {"foreach": True, "momentum": 0.9},
}


@case
def rmsprop_variants_step_by_step(t):
    results = {}
    for dtype in ("float32", "float64"):
        for name, options in RMSPROP_VARIANTS.items():
            results[f"{dtype}_{name}"] = _optimizer_steps(
                t, lambda model, o=options: t.optim.RMSprop(model.parameters(), lr=0.004, **o), dtype
            )
    return results


@case
def adam_and_rmsprop_parameter_groups_and_missing_gradients(t):
    def groups(model):
        return [{"params": model[0].parameters()}, {"params": model[2].parameters(), "lr": 0.01}]

    def frozen_first_layer(make):
        def build(model):
            model[0].weight.requires_grad_(False)  # no gradient: the optimizer skips it, no state
            return make(model)

        return build

    def run(make):  # (learning rates that do not land a parameter on 0, where only rounding noise is left)
        return _optimizer_steps(t, make, "float32", steps=3)

    adam_frozen = run(frozen_first_layer(lambda m: t.optim.Adam(m.parameters(), lr=0.07)))
    return {
        "adam_groups": run(lambda m: t.optim.Adam(groups(m), lr=0.07, amsgrad=True)),
        "adamw_groups": run(lambda m: t.optim.AdamW(groups(m), lr=0.07, weight_decay=0.2)),
        "rmsprop_groups": run(lambda m: t.optim.RMSprop(groups(m), lr=0.03, momentum=0.9, centered=True)),
        "adam_frozen_params": adam_frozen["params"],
        "adam_frozen_state": adam_frozen["state"],
    }


@case
def adam_adamw_rmsprop_reprs_defaults_and_errors(t):
    model = _small_model(t)
    O = t.optim

    def opt(cls, **kw):
        return lambda: cls(model.parameters(), **kw)

    def step_raises(cls, **kw):
        def run():
            o = cls(model.parameters(), **kw)
            t.nn.functional.mse_loss(model(t.ones(1, 2)), t.ones(1, 1)).backward()
            o.step()

        return raises(run)

    return {
        "adam": repr(O.Adam(model.parameters())),
        "adamw": repr(O.AdamW(model.parameters())),
        "rmsprop": repr(O.RMSprop(model.parameters())),
        "adam_groups": repr(
            O.Adam([{"params": model[0].parameters()}, {"params": model[2].parameters(), "lr": 1}])
        ),
        "adam_keys": sorted(O.Adam(model.parameters()).param_groups[0]),
        "rmsprop_keys": sorted(O.RMSprop(model.parameters()).param_groups[0]),
        "adam_negative_lr": raises(opt(O.Adam, lr=-1)),
        "adam_negative_eps": raises(opt(O.Adam, eps=-1e-8)),
        "adam_beta1_one": raises(opt(O.Adam, betas=(1.0, 0.999))),
        "adam_beta0_negative": raises(opt(O.Adam, betas=(-0.5, 0.999))),
        "adam_beta2_one": raises(opt(O.Adam, betas=(0.9, 1.0))),
        "adam_beta_int": raises(opt(O.Adam, betas=(0, 0.999))),
        "adam_negative_weight_decay": raises(opt(O.Adam, weight_decay=-0.1)),
        "adam_fused_and_foreach": raises(opt(O.Adam, fused=True, foreach=True)),
        "adamw_fused_and_foreach": raises(opt(O.AdamW, fused=True, foreach=True)),
        "adamw_negative_lr": raises(opt(O.AdamW, lr=-0.5)),
        "adamw_beta2": raises(opt(O.AdamW, betas=(0.9, 2.0))),
        "rmsprop_negative_lr": raises(opt(O.RMSprop, lr=-1)),
        "rmsprop_negative_eps": raises(opt(O.RMSprop, eps=-1)),
        "rmsprop_negative_momentum": raises(opt(O.RMSprop, momentum=-0.9)),
        "rmsprop_negative_weight_decay": raises(opt(O.RMSprop, weight_decay=-1)),
        "rmsprop_negative_alpha": raises(opt(O.RMSprop, alpha=-0.5)),
        "adam_empty": raises(lambda: O.Adam([])),
        "rmsprop_a_tensor": raises(lambda: O.RMSprop(model[0].weight)),
        "adam_capturable_step_on_cpu": step_raises(O.Adam, capturable=True),
        "rmsprop_capturable_step_on_cpu": step_raises(O.RMSprop, capturable=True),
    }


@case
def engine_order_lone_root_off_the_path_to_inputs(t):
    """A lone root goes into the ready queue unchecked (PyTorch's graph root): when it is not on a
    path to ``inputs`` its tensor hooks still fire, its backward does not run (so a freed graph does
    not raise), and nothing is accumulated."""
    log = []
    x = _logged(log, "x", t.tensor([1.0, 2.0], requires_grad=True))
    z = t.tensor(3.0, requires_grad=True)
    unrelated = z * 2
    from_leaf = t.autograd.grad(x, inputs=(unrelated,), grad_outputs=t.ones(2), allow_unused=True)
    y = _logged(log, "y", x * x)
    y.sum().backward(retain_graph=False)
    log.append("backward done")
    freed = raises(lambda: t.autograd.grad(y, inputs=(unrelated,), grad_outputs=t.ones(2), allow_unused=True))
    return {"from_leaf": list(from_leaf), "order": log, "freed_graph": freed, "x_grad": x.grad}


@case
def engine_order_several_roots_off_the_path_to_inputs(t):
    """Several roots hang below PyTorch's GraphRoot: one that is not on a path to ``inputs`` never
    enters the queue, and its hooks do not fire."""
    log = []
    a = t.tensor(2.0, requires_grad=True)
    b = t.tensor(3.0, requires_grad=True)
    u = _logged(log, "u", a * 2)
    v = _logged(log, "v", b * 3)
    grads = t.autograd.grad([u, v], inputs=(a,), allow_unused=True)
    return {"grads": list(grads), "order": log}
