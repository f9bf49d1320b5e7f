"""Backward formulas compute in PyTorch's order, so float32 gradients are PyTorch's to the last bit.

Rounding makes ``(g·y)·(1−y)`` and ``(g·(1−y))·y`` differ in about a third of float32 elements;
PyTorch's kernels fix one order, and minigrad follows it. Each test states the formula as numpy
computes it (the golden cases check the same against recorded PyTorch bits)."""

import numpy as np
import pytest

import minigrad as mg

rng = np.random.default_rng(7)
X = rng.standard_normal(2000).astype(np.float32)
G = rng.standard_normal(2000).astype(np.float32)


def grad_of(fn, x=X, g=G):
    t = mg.tensor(x, requires_grad=True)
    y = fn(t)
    (gx,) = mg.autograd.grad(y, t, mg.tensor(g))
    return y.detach().numpy(), gx.numpy()


def test_sigmoid_backward_is_grad_times_one_minus_y_times_y():
    y, gx = grad_of(lambda t: t.sigmoid())
    np.testing.assert_array_equal(gx, G * (1 - y) * y)
    assert not np.array_equal(gx, G * y * (1 - y))  # (the other order really is different)


def test_tanh_backward_rounds_one_minus_y_squared_once():
    y, gx = grad_of(lambda t: t.tanh())
    once = (1.0 - y.astype(np.float64) ** 2).astype(np.float32)
    np.testing.assert_array_equal(gx, G * once)
    assert not np.array_equal(gx, G * (1 - y * y))


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_mse_backward_is_norm_times_difference_times_grad(reduction):
    target = rng.standard_normal(X.size).astype(np.float32)
    x = mg.tensor(X, requires_grad=True)
    loss = mg.nn.functional.mse_loss(x, mg.tensor(target), reduction=reduction)
    (gx,) = mg.autograd.grad(loss, x, mg.tensor(0.7))
    norm = np.float32(2.0 / X.size if reduction == "mean" else 2.0)
    expected = norm * (X - target) * np.float32(0.7)
    np.testing.assert_array_equal(gx.numpy(), expected)
    if reduction == "mean":
        assert not np.array_equal(gx.numpy(), np.float32(0.7) * (X - target) * norm)


def test_tanh_gradient_in_float64_is_close_to_exact():
    x = rng.standard_normal(500)
    t = mg.tensor(x, dtype=mg.float64, requires_grad=True)
    (gx,) = mg.autograd.grad(t.tanh().sum(), t)
    np.testing.assert_allclose(gx.numpy(), 1 / np.cosh(x) ** 2, rtol=1e-12, atol=0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_relu_backward_of_an_array_is_the_gradient_where_y_is_positive_bit_for_bit(dtype):
    # PyTorch's threshold_backward: grad where y > 0 (inf, nan and -0 included), +0 where y <= 0,
    # also for y = -0; and where y is nan (not <= 0) the gradient passes
    rng = np.random.default_rng(0)
    special = np.array([1.5, -2.0, np.inf, np.nan, -0.0, 3.0, np.nan, -np.inf, 2.0], dtype)
    y_special = np.array([1.0, 0.0, -1.0, 2.0, 5.0, np.nan, -0.0, 3.0, -np.inf], dtype)
    g = np.concatenate([special, rng.standard_normal(1000).astype(dtype)]).reshape(1, -1)
    y = np.concatenate([y_special, rng.standard_normal(1000).astype(dtype)]).reshape(1, -1)
    grad = mg.tensor(g)
    result = mg.ops.elementwise.ThresholdBackward.apply(grad, mg.tensor(y))
    expected = np.where(y <= 0, dtype(0), g)
    assert result.dtype == grad.dtype
    assert result._data.tobytes() == expected.tobytes()
    assert not np.shares_memory(result._data, grad._data)


def test_relu_backward_of_a_transposed_gradient_keeps_its_layout_and_values():
    grad = mg.tensor(np.arange(12, dtype=np.float32).reshape(3, 4) - 5).t()  # a view
    assert not grad._data.flags.c_contiguous
    y = np.linspace(-1, 1, 12, dtype=np.float32).reshape(4, 3)
    result = mg.ops.elementwise.ThresholdBackward.apply(grad, mg.tensor(y))
    assert result.shape == (4, 3)
    assert result._data.tobytes() == np.where(y <= 0, np.float32(0), grad._data).tobytes()


def test_sum_with_a_dtype_converts_first_and_the_gradient_comes_back_in_the_input_dtype():
    x = mg.tensor([0.1] * 10, requires_grad=True)  # float32 tenths
    s = x.sum(dtype=mg.float64)
    assert s.dtype is mg.float64 and s.item() == float(np.float32(0.1)) * 10  # added in float64
    s.backward()
    assert x.grad.dtype is mg.float32 and x.grad.tolist() == [1.0] * 10


def test_sum_to_an_integer_dtype_cannot_take_part_in_autograd():
    with pytest.raises(RuntimeError, match="Autograd not support dtype: Long"):
        mg.ones(2, requires_grad=True).sum(dtype=mg.int64)
    assert mg.tensor([1.5, 2.5]).sum(dtype=mg.int64).item() == 3  # (without grad: converted, then added)


def test_mean_of_integers_needs_a_floating_dtype():
    i = mg.tensor([1, 2])
    assert i.mean(dtype=mg.float32).item() == 1.5
    with pytest.raises(RuntimeError, match="Optional dtype must be either a floating point"):
        i.mean(dtype=mg.int64)


def test_softmax_with_another_dtype_converts_in_the_graph():
    x = mg.tensor([[1.0, 2.0]], requires_grad=True)
    y = x.softmax(1, dtype=mg.float64)
    assert y.dtype is mg.float64 and y.grad_fn.next_functions[0][0].name() == "ToCopyBackward0"
    same = x.softmax(1, dtype=mg.float32)  # the dtype it has: nothing to convert
    assert same.grad_fn.next_functions[0][0].name() == "minigrad::autograd::AccumulateGrad"
    y[0, 0].backward()
    assert x.grad.dtype is mg.float32


def test_var_divides_by_n_minus_the_correction():
    x = mg.tensor([1.0, 2.0, 6.0])  # mean 3, squared deviations 4 + 1 + 9 = 14
    assert x.var().item() == pytest.approx(14 / 2)
    assert x.var(unbiased=False).item() == pytest.approx(14 / 3)
    assert x.std(correction=0).item() == pytest.approx((14 / 3) ** 0.5)


def test_var_gradient_is_twice_the_deviation_over_the_degrees_of_freedom():
    x = mg.tensor([1.0, 2.0, 6.0], requires_grad=True)
    x.var().backward()
    assert x.grad.tolist() == pytest.approx([2 * (v - 3) / 2 for v in (1.0, 2.0, 6.0)])


def test_amax_shares_the_gradient_among_ties_while_max_gives_it_to_one():
    x = mg.tensor([1.0, 5.0, 5.0], requires_grad=True)
    x.amax().backward()
    assert x.grad.tolist() == [0.0, 0.5, 0.5]
    y = mg.tensor([[1.0, 5.0, 5.0]], requires_grad=True)
    y.max(dim=1).values.sum().backward()
    assert y.grad.tolist() == [[0.0, 1.0, 0.0]]


def test_cumsum_gradient_is_the_running_sum_taken_backwards():
    x = mg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (x.cumsum(0) * mg.tensor([1.0, 10.0, 100.0])).sum().backward()
    assert x.grad.tolist() == [111.0, 110.0, 100.0]


def test_log1p_keeps_the_digits_of_small_numbers():
    tiny = mg.tensor([1e-10], dtype=mg.float64)
    assert tiny.log1p().item() == pytest.approx(1e-10, rel=1e-9, abs=0)
    assert (tiny + 1).log().item() != pytest.approx(1e-10, rel=1e-9, abs=0)  # 1 + x rounds x away
