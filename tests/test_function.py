"""Custom autograd.Function: the API learners use, and the one every built-in op uses."""

import pytest

import minigrad as mg
from minigrad.autograd import Function


class MyReLU(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * (x > 0)


class ScaleBy(Function):
    """y = x * k for a Python number k: backward returns None for the non-tensor argument."""

    @staticmethod
    def forward(ctx, x, k):
        ctx.k = k
        return x * k

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.k, None


def test_custom_function_node_is_named_after_it():
    y = MyReLU.apply(mg.tensor([1.0], requires_grad=True))
    assert y.grad_fn.name() == "MyReLUBackward" and repr(y).endswith("grad_fn=<MyReLUBackward>)")


def test_custom_relu_gradient():
    x = mg.tensor([-1.0, 2.0, 0.0, 3.0], requires_grad=True)
    MyReLU.apply(x).sum().backward()
    assert x.grad.tolist() == [0.0, 1.0, 0.0, 1.0]


def test_non_tensor_arguments_get_no_edge():
    y = ScaleBy.apply(mg.tensor(2.0, requires_grad=True), 3.0)
    assert len(y.grad_fn.next_functions) == 1


def test_needs_input_grad_per_argument():
    seen = {}

    class Probe(Function):
        @staticmethod
        def forward(ctx, a, b, k):
            seen["needs"] = ctx.needs_input_grad
            return a * b * k

        @staticmethod
        def backward(ctx, grad):
            return grad, None, None

    Probe.apply(mg.tensor(1.0, requires_grad=True), mg.tensor(2.0), 3)
    assert seen["needs"] == (True, False, False)


def test_no_graph_when_no_input_requires_grad():
    y = MyReLU.apply(mg.tensor([1.0]))
    assert y.grad_fn is None and not y.requires_grad


def test_forward_runs_without_recording():
    inside = {}

    class Probe(Function):
        @staticmethod
        def forward(ctx, x):
            inside["enabled"] = mg.is_grad_enabled()
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            return grad * 2

    Probe.apply(mg.tensor(1.0, requires_grad=True))
    assert inside["enabled"] is False


def test_backward_runs_with_grad_mode_of_create_graph():
    modes = []

    class Probe(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            modes.append(mg.is_grad_enabled())
            return grad * 2

    x = mg.tensor(1.0, requires_grad=True)
    Probe.apply(x).backward(retain_graph=True)
    mg.autograd.grad(Probe.apply(x), x, create_graph=True)
    assert modes == [False, True]


def test_wrong_number_of_gradients_raises():
    class TooMany(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1

        @staticmethod
        def backward(ctx, grad):
            return grad, grad

    with pytest.raises(
        RuntimeError, match=r"returned an incorrect number of gradients \(expected 1, got 2\)"
    ):
        TooMany.apply(mg.tensor(1.0, requires_grad=True)).backward()


def test_gradient_of_wrong_shape_raises():
    class BadShape(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1

        @staticmethod
        def backward(ctx, grad):
            return mg.ones(5)

    with pytest.raises(
        RuntimeError, match=r"returned an invalid gradient at index 0 - got \[5\] but expected"
    ):
        BadShape.apply(mg.tensor([1.0, 2.0], requires_grad=True)).sum().backward()


def test_gradient_for_non_tensor_argument_must_be_none():
    class BadNone(Function):
        @staticmethod
        def forward(ctx, x, k):
            return x * k

        @staticmethod
        def backward(ctx, grad):
            return grad, grad

    with pytest.raises(RuntimeError, match="returned a gradient different than None at position 2"):
        BadNone.apply(mg.tensor(1.0, requires_grad=True), 2.0).backward()


def test_saved_tensors_checked_for_in_place_changes():
    x = mg.tensor([1.0, -1.0], requires_grad=True)
    h = x * 1
    y = MyReLU.apply(h)
    h.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_custom_function_twice_differentiable_with_minigrad_ops():
    class Cube(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**3

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * 3 * x**2

    x = mg.tensor(2.0, requires_grad=True)
    (g,) = mg.autograd.grad(Cube.apply(x), x, create_graph=True)
    (g2,) = mg.autograd.grad(g, x)
    assert (g.item(), g2.item()) == (12.0, 12.0)


def test_builtin_ops_are_functions_too():
    from minigrad.ops.elementwise import Sigmoid

    assert issubclass(Sigmoid, Function)
    y = Sigmoid.apply(mg.tensor(0.0, requires_grad=True))
    assert y.grad_fn.name() == "SigmoidBackward0"


def test_mark_non_differentiable_output():
    x = mg.tensor([[1.0, 5.0], [7.0, 2.0]], requires_grad=True)
    values, indices = x.max(dim=1)
    assert values.requires_grad and not indices.requires_grad and indices.tolist() == [1, 0]


class PassThrough(Function):
    """Returns its inputs as they are; those that do not require grad are marked so."""

    @staticmethod
    def forward(ctx, *tensors):
        ctx.mark_non_differentiable(*[t for t in tensors if not t.requires_grad])
        return tensors

    @staticmethod
    def backward(ctx, *grads):
        return grads


def test_an_input_returned_as_is_can_be_marked_non_differentiable():
    a, b = mg.tensor([1.0], requires_grad=True), mg.tensor([2.0], requires_grad=True)
    with mg.no_grad():
        c = mg.tensor([3.0])
    a2, b2, c2 = PassThrough.apply(a, b * 1, c)
    assert a2.requires_grad and b2.requires_grad and not c2.requires_grad
    assert a2 is not a and a2.grad_fn.name() == "PassThroughBackward"


class TwoAndThree(Function):
    @staticmethod
    def forward(ctx, u, v):
        return u * v

    @staticmethod
    def backward(ctx, g):
        return g * 2, g * 3


def test_a_custom_node_hook_sees_every_gradient_its_backward_returned():
    # as in PyTorch: for a Function in Python the hook gets backward's results as they are, even for
    # an input that needs no gradient; a built-in node gives None there
    seen = {}
    u = mg.tensor([1.0], requires_grad=True)
    custom = TwoAndThree.apply(u, mg.tensor([2.0]))
    custom.grad_fn.register_hook(
        lambda gi, go: seen.update(custom=[None if g is None else g.item() for g in gi])
    )
    built_in = u * mg.tensor([2.0])
    built_in.grad_fn.register_hook(
        lambda gi, go: seen.update(built_in=[None if g is None else g.item() for g in gi])
    )
    (custom + built_in).sum().backward()
    assert seen == {"custom": [2.0, 3.0], "built_in": [2.0, None]}
    assert u.grad.item() == 4.0


def test_an_input_returned_as_is_may_not_be_changed_in_place_while_recording():
    # the change would be recorded as an op on top of the custom node, bypassing its backward
    a, b = PassThrough.apply(
        mg.tensor([1.0], requires_grad=True) * 1, mg.tensor([2.0], requires_grad=True) * 1
    )
    with pytest.raises(RuntimeError, match="Output 0 of PassThrough is a view and is being modified inplace"):
        a.add_(1)
    with mg.no_grad():
        b.add_(1)  # without recording, allowed
    assert b.tolist() == [3.0]


class SquareInTwoParts(Function):
    """PyTorch 2's other style: forward without ctx, setup_context saves."""

    @staticmethod
    def forward(x):
        return x * x

    @staticmethod
    def setup_context(ctx, inputs, output):
        (x,) = inputs
        ctx.save_for_backward(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return 2 * x * grad


def test_a_function_with_setup_context_records_and_differentiates():
    x = mg.tensor([3.0], requires_grad=True)
    y = SquareInTwoParts.apply(x)
    assert y.grad_fn.name() == "SquareInTwoPartsBackward"
    y.backward()
    assert x.grad.tolist() == [6.0]
    assert SquareInTwoParts.apply(mg.tensor([2.0])).tolist() == [4.0]  # (no graph: still computed)


def test_once_differentiable_backward_raises_when_differentiated_again():
    from minigrad.autograd.function import once_differentiable

    class Cube(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**3

        @staticmethod
        @once_differentiable
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return 3 * x**2 * grad

    x = mg.tensor([2.0], requires_grad=True)
    (g,) = mg.autograd.grad(Cube.apply(x), x, grad_outputs=mg.ones(1, requires_grad=True), create_graph=True)
    assert g.tolist() == [12.0] and g.grad_fn.name() == "minigrad::autograd::Error"
    with pytest.raises(
        RuntimeError, match="differentiate twice a function that was marked with @once_differentiable"
    ):
        g.backward()
