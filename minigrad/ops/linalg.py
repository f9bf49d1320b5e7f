"""Matrix products. For C = A @ B:  ∂L/∂A = ∂L/∂C @ Bᵀ  and  ∂L/∂B = Aᵀ @ ∂L/∂C — the only
arrangement of the three matrices whose shapes fit."""

import numpy as np

from ..autograd.function import Function
from ._util import check_broadcastable, out, promoted, sum_to_shape
from .shape import SqueezeDims


def _check_dtypes(a, b):
    if a._dtype is not b._dtype:
        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {a._dtype.cpp_name} != {b._dtype.cpp_name}"
        )


def _check_mv_dtypes(matrix, vector):
    """PyTorch computes a matrix × vector product as ``addmv``: its message, naming the vector's
    dtype (the result's) first."""
    if matrix._dtype is not vector._dtype:
        m, v = matrix._dtype.scalar_name, vector._dtype.scalar_name
        raise RuntimeError(f"addmv input tensors must have the same dtype, but got {v}, {m}, and {v}")


def _check_mm_shapes(a, b):
    (n, k), (k2, m) = a._data.shape, b._data.shape
    if k != k2:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({n}x{k} and {k2}x{m})")


def _check_mv_shapes(rows, k, n):
    if k != n:
        raise RuntimeError(f"size mismatch, got input ({rows}), mat ({rows}x{k}), vec ({n})")


def _folds(a, b):
    """Whether PyTorch computes ``a @ b`` as one matrix product, the batch of the operand with 3 or
    more dimensions folded into its rows, when the other has 1 or 2 (instead of a batched product).
    It does when the smaller operand requires grad (its gradient then needs no batch sum), and
    otherwise when the larger one is ``a`` and its batch dimensions lie in memory as one."""
    a_larger = a._data.ndim >= b._data.ndim
    big, small = (a, b) if a_larger else (b, a)
    if big._data.ndim < 3 or small._data.ndim > 2:
        return False
    if small._requires_grad:
        return True
    if a._data.ndim == 2:
        return False
    if big._data.size == 0:
        return True
    array = big._data if a_larger else big._data.swapaxes(-1, -2)
    shape, strides = array.shape, array.strides
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(array.ndim - 2))


def _check_matmul_shapes(a, b):
    """PyTorch's errors for the shapes of a matmul that is neither matrix × matrix nor a product of
    vectors. They name the product PyTorch computes: folded (see ``_folds``) into one matrix product,
    (batch·n × k) @ (k × m) — or, when ``b`` is the larger, ``bᵀ`` folded times ``aᵀ`` — or else a
    batched product, the batch dimensions broadcast and then flattened into one."""
    a_shape, b_shape = a._data.shape, b._data.shape
    if _folds(a, b):
        if len(a_shape) >= 3:  # a's rows folded
            rows, k, small = int(np.prod(a_shape[:-1])), a_shape[-1], b_shape
        else:  # bᵀ's rows folded, times aᵀ
            rows, k, small = int(np.prod(b_shape[:-2])) * b_shape[-1], b_shape[-2], a_shape[::-1]
        if len(small) == 2 and k != small[0]:
            raise RuntimeError(
                f"mat1 and mat2 shapes cannot be multiplied ({rows}x{k} and {small[0]}x{small[1]})"
            )
        if len(small) == 1:
            _check_mv_shapes(rows, k, small[0])
        return
    a2 = a_shape if len(a_shape) >= 2 else (1,) + a_shape
    b2 = b_shape if len(b_shape) >= 2 else b_shape + (1,)
    check_broadcastable(a2[:-2], b2[:-2])
    batch = int(np.prod(np.broadcast_shapes(a2[:-2], b2[:-2])))
    if a2[-1] != b2[-2]:
        raise RuntimeError(
            "Expected size for first two dimensions of batch2 tensor to be: "
            f"[{batch}, {a2[-1]}] but got: [{batch}, {b2[-2]}]."
        )


def column_major(t):
    """True for a matrix stored column by column, such as ``w.t()`` of a contiguous ``w`` (what
    ``nn.Linear`` multiplies by). Its strides, in elements, are (1, rows): PyTorch's test."""
    a = t._data
    return a.ndim == 2 and a.strides == (a.itemsize, a.itemsize * a.shape[0])


def mm_mat1_backward(grad, mat2, mat1_column_major):
    """∂L/∂mat1 = grad @ mat2ᵀ. For a column-major mat1, PyTorch computes it as (mat2 @ gradᵀ)ᵀ:
    the same numbers, laid out as mat1 is (and the graph of the backward shows those ops)."""
    if mat1_column_major:
        return (mat2 @ grad.t()).t()
    return grad @ mat2.t()


def mm_mat2_backward(grad, mat1, mat2_column_major):
    """∂L/∂mat2 = mat1ᵀ @ grad, or (gradᵀ @ mat1)ᵀ for a column-major mat2, as in PyTorch. For
    ``nn.Linear``'s ``w.t()`` this makes the gradient that reaches ``w`` (through TBackward0) a
    contiguous array, which ``AccumulateGrad`` copies much faster than a transposed one."""
    if mat2_column_major:
        return (grad.t() @ mat1).t()
    return mat1.t() @ grad


class Mm(Function):
    """Matrix × matrix, (n×k) @ (k×m) → (n×m)."""

    node_name = "MmBackward0"
    saved_names = ("self", "mat2")

    @staticmethod
    def forward(ctx, a, b):
        _check_dtypes(a, b)
        _check_mm_shapes(a, b)
        ctx.save_for_backward(a if ctx.needs_input_grad[1] else None, b if ctx.needs_input_grad[0] else None)
        needs = ctx.needs_input_grad  # (the layouts matter only for the gradients that are wanted)
        ctx.column_major = (needs[0] and column_major(a), needs[1] and column_major(b))
        return out(a._data @ b._data, a._dtype)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        a_column_major, b_column_major = ctx.column_major
        grad_a = mm_mat1_backward(grad, b, a_column_major) if ctx.needs_input_grad[0] else None
        grad_b = mm_mat2_backward(grad, a, b_column_major) if ctx.needs_input_grad[1] else None
        return grad_a, grad_b


class Mv(Function):
    """Matrix × vector, (n×k) @ (k) → (n)."""

    node_name = "MvBackward0"
    saved_names = ("self", "vec")

    @staticmethod
    def forward(ctx, a, v):
        _check_mv_dtypes(a, v)
        _check_mv_shapes(*a._data.shape, *v._data.shape)
        ctx.save_for_backward(a, v)
        return out(a._data @ v._data, a.dtype)

    @staticmethod
    def backward(ctx, grad):
        a, v = ctx.saved_tensors
        grad_a = grad.unsqueeze(1) @ v.unsqueeze(0) if ctx.needs_input_grad[0] else None
        grad_v = a.t() @ grad if ctx.needs_input_grad[1] else None
        return grad_a, grad_v


class Dot(Function):
    """Vector · vector → scalar.   ∂/∂a = grad · b,  ∂/∂b = grad · a."""

    node_name = "DotBackward0"
    known_zeros_pass = True
    saved_names = ("self", "tensor")

    @staticmethod
    def forward(ctx, a, b):
        if a._dtype is not b._dtype:
            raise RuntimeError(
                "dot : expected both vectors to have same dtype, but found "
                f"{a._dtype.scalar_name} and {b._dtype.scalar_name}"
            )
        if a.shape != b.shape:
            n, m = a.shape[0], b.shape[0]
            raise RuntimeError(
                f"inconsistent tensor size, expected tensor [{n}] and src [{m}] to have "
                f"the same number of elements, but got {n} and {m} elements respectively"
            )
        ctx.save_for_backward(a, b)
        return out(np.dot(a._data, b._data), a.dtype)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return grad * b, grad * a


class Matmul(Function):
    """Batched and broadcast matrix products (3-D and more, or a 1-D side against a batch)."""

    node_name = "UnsafeViewBackward0"  # PyTorch computes this case as a bmm followed by a view

    @staticmethod
    def forward(ctx, a, b):
        if a._dtype is not b._dtype:  # (PyTorch's message depends on how it computes the product)
            if b._data.ndim == 1:  # folded into a matrix × vector product
                _check_mv_dtypes(a, b)
            if b._data.ndim == 2:  # folded into a matrix product
                _check_dtypes(a, b)
            raise RuntimeError(
                f"expected scalar type {a._dtype.scalar_name} but found {b._dtype.scalar_name}"
            )
        ctx.save_for_backward(a, b)
        return out(np.matmul(a._data, b._data), a.dtype)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        a2 = a.unsqueeze(0) if a.ndim == 1 else a
        b2 = b.unsqueeze(-1) if b.ndim == 1 else b
        g = grad
        if a.ndim == 1:
            g = g.unsqueeze(-2)
        if b.ndim == 1:
            g = g.unsqueeze(-1)
        grad_a = sum_to_shape(g @ b2.transpose(-1, -2), a2.shape).reshape(a.shape)
        grad_b = sum_to_shape(a2.transpose(-1, -2) @ g, b2.shape).reshape(b.shape)
        return grad_a, grad_b


def matmul(a, b):
    """Pick the product PyTorch would use for these shapes (so the node names match)."""
    a_ndim, b_ndim = a._data.ndim, b._data.ndim
    if a_ndim == 2 and b_ndim == 2:  # (the common case first)
        return Mm.apply(a, b)
    if a_ndim == 0 or b_ndim == 0:
        raise RuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {a_ndim}D and {b_ndim}D"
        )
    if a_ndim == 2 and b_ndim == 1:
        return Mv.apply(a, b)
    if a_ndim == 1 and b_ndim == 1:
        return Dot.apply(a, b)
    if a_ndim == 1 and b_ndim == 2:
        return SqueezeDims.apply(Mm.apply(a.unsqueeze(0), b), (0,))
    _check_matmul_shapes(a, b)
    return Matmul.apply(a, b)


class Addmm(Function):
    """``bias + mat1 @ mat2``, the fused op behind ``nn.Linear`` (edges: bias, input, weightᵀ).
    Backward: bias gets the gradient summed over the batch; the matrices as in ``Mm``."""

    node_name = "AddmmBackward0"
    saved_names = ("mat1", "mat2")

    @staticmethod
    def forward(ctx, bias, mat1, mat2):
        _check_dtypes(mat1, mat2)
        _check_mm_shapes(mat1, mat2)
        ctx.bias_shape = bias._data.shape
        ctx.save_for_backward(
            mat1 if ctx.needs_input_grad[2] else None, mat2 if ctx.needs_input_grad[1] else None
        )
        needs = ctx.needs_input_grad  # (the layouts matter only for the gradients that are wanted)
        ctx.column_major = (needs[1] and column_major(mat1), needs[2] and column_major(mat2))
        product = mat1._data @ mat2._data
        if bias._dtype is mat1._dtype:  # (the usual case)
            check_broadcastable(bias._data.shape, product.shape)
            return out(bias._data + product, bias._dtype)
        dtype, (b, product) = promoted(bias, out(product, mat1._dtype))
        return out(b + product, dtype)

    @staticmethod
    def backward(ctx, grad):
        mat1, mat2 = ctx.saved_tensors
        mat1_column_major, mat2_column_major = ctx.column_major
        grad_bias = sum_to_shape(grad, ctx.bias_shape) if ctx.needs_input_grad[0] else None
        grad_mat1 = mm_mat1_backward(grad, mat2, mat1_column_major) if ctx.needs_input_grad[1] else None
        grad_mat2 = mm_mat2_backward(grad, mat1, mat2_column_major) if ctx.needs_input_grad[2] else None
        return grad_bias, grad_mat1, grad_mat2
