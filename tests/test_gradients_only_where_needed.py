"""Add and Sub compute a gradient only for the inputs that need one, as PyTorch's formulas do
(``x + 0.1``, ``out - target``): backward returns None for the other input."""

import minigrad as torch


def test_add_returns_no_gradient_for_an_input_that_needs_none():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    node = (x + torch.tensor([3.0, 4.0])).grad_fn
    grad_x, grad_other, grad_alpha = node.call_backward([torch.ones(2)])
    assert grad_x.tolist() == [1.0, 1.0] and grad_other is None and grad_alpha is None


def test_sub_returns_no_gradient_for_the_target():
    out = torch.tensor([1.0, 2.0], requires_grad=True)
    node = (out - torch.tensor([3.0, 4.0])).grad_fn
    grad_out, grad_target, _ = node.call_backward([torch.ones(2)])
    assert grad_out.tolist() == [1.0, 1.0] and grad_target is None


def test_sub_still_negates_the_gradient_of_a_second_input_that_needs_one():
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    (a - 2 * b).sum().backward()  # (sub with a recorded second operand)
    assert a.grad.tolist() == [1.0, 1.0] and b.grad.tolist() == [-2.0, -2.0]


def test_add_with_alpha_scales_the_gradient_of_the_second_input():
    a = torch.tensor([1.0], requires_grad=True)
    b = torch.tensor([3.0], requires_grad=True)
    a.add(b, alpha=3).sum().backward()
    assert a.grad.tolist() == [1.0] and b.grad.tolist() == [3.0]
