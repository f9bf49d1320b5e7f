"""Division that rounds: //, %, fmod and div(..., rounding_mode=) (minigrad/ops/division.py)."""

import pytest

import minigrad as mg


def test_floor_division_rounds_down_and_remainder_takes_the_sign_of_the_divisor():
    a, b = mg.tensor([7.0, -7.0, 7.0, -7.0]), mg.tensor([2.0, 2.0, -2.0, -2.0])
    assert (a // b).tolist() == [3.0, -4.0, -4.0, 3.0]
    assert (a % b).tolist() == [1.0, 1.0, -1.0, -1.0]
    assert ((a // b) * b + a % b).tolist() == a.tolist()  # a = q·b + r


def test_trunc_rounds_toward_zero_and_fmod_takes_the_sign_of_the_dividend():
    a, b = mg.tensor([7, -7, 7, -7]), mg.tensor([2, 2, -2, -2])
    q = mg.div(a, b, rounding_mode="trunc")
    assert q.tolist() == [3, -3, -3, 3] and q.dtype is mg.int64
    assert mg.fmod(a, b).tolist() == [1, -1, 1, -1]
    assert (q * b + mg.fmod(a, b)).tolist() == a.tolist()


def test_a_zero_remainder_is_positive_zero_when_the_divisor_is_negative():
    # PyTorch's formula, fmod corrected where the signs differ (numpy's remainder would give -0.0)
    r = mg.tensor([6.0, -6.0]) % mg.tensor([-3.0, 3.0])
    assert repr(r) == "tensor([0., -0.])"


def test_integer_division_by_zero_raises_and_float_division_by_zero_does_not():
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        mg.tensor([1, 2]) // 0
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        mg.tensor([1, 2]) % mg.tensor([1, 0])
    assert repr(mg.tensor([1.0, -1.0, 0.0]) // 0) == "tensor([inf, -inf, nan])"


def test_bool_tensors_cannot_be_floor_divided():
    mask = mg.tensor([True, False])
    with pytest.raises(NotImplementedError, match="\"div_floor_cpu\" not implemented for 'Bool'"):
        mask // mask


def test_floor_division_has_no_derivative():
    x = mg.tensor([5.0, -7.0], requires_grad=True)
    y = x // 2
    assert y.grad_fn.name() == "minigrad::autograd::NotImplemented"
    assert repr(y) == "tensor([ 2., -4.], grad_fn=<NotImplemented>)"
    assert len(y.grad_fn.next_functions) == 1  # the number 2 is no input of the graph
    with pytest.raises(RuntimeError, match="derivative for aten::floor_divide is not implemented"):
        y.sum().backward()


def test_remainder_gradients_are_one_and_minus_the_quotient():
    x = mg.tensor([5.0, -7.0, 3.5], requires_grad=True)
    y = mg.tensor([2.0, 2.0, -1.5], requires_grad=True)
    (x % y).sum().backward()
    assert x.grad.tolist() == [1.0, 1.0, 1.0]
    assert y.grad.tolist() == (-(x // y)).tolist() == [-2.0, 4.0, 3.0]


def test_a_number_divided_with_remainder_by_a_tensor_has_no_derivative():
    x = mg.tensor([2.0, 3.0], requires_grad=True)
    y = 7 % x
    assert y.tolist() == [1.0, 1.0] and y.grad_fn.name() == "minigrad::autograd::NotImplemented"
    with pytest.raises(RuntimeError, match="derivative for aten::remainder is not implemented"):
        y.sum().backward()


def test_division_with_a_rounding_mode_passes_zeros_back():
    x = mg.tensor([5.0, -7.0], requires_grad=True)
    y = mg.div(x, 2, rounding_mode="floor")
    assert y.grad_fn.name() == "DivBackward2" and y.tolist() == [2.0, -4.0]
    y.sum().backward()
    assert x.grad.tolist() == [0.0, 0.0]


def test_an_explicit_rounding_mode_none_divides_exactly_in_the_other_node():
    x = mg.tensor([1.0, 3.0], requires_grad=True)
    y = x.div(2, rounding_mode=None)
    assert y.grad_fn.name() == "DivBackward2" and x.div(2).grad_fn.name() == "DivBackward0"
    y.sum().backward()
    assert x.grad.tolist() == [0.5, 0.5]


def test_an_unknown_rounding_mode_raises():
    with pytest.raises(
        RuntimeError, match="rounding_mode to be one of None, 'trunc', or 'floor' but found 'round'"
    ):
        mg.div(mg.ones(1), 2, rounding_mode="round")


def test_in_place_floor_division_and_remainder():
    k = mg.tensor([5, -7])
    k //= 2
    assert k.tolist() == [2, -4]
    k %= 3
    assert k.tolist() == [2, 2]
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
        k //= 2.5


def test_fmod_wants_a_tensor_first():
    with pytest.raises(
        TypeError, match=r"fmod\(\) received an invalid combination of arguments - got \(int, Tensor\)"
    ):
        mg.fmod(7, mg.tensor([2]))
