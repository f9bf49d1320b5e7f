"""Module hooks: forward pre-hooks and hooks, full backward pre-hooks and hooks (minigrad/nn/hooks.py)."""

import warnings

import pytest

import minigrad as mg
from minigrad import nn


def fixed_linear():
    """y = x Wᵀ + b with W = [[1, 2], [3, 4]], b = [0.5, -0.5]."""
    layer = nn.Linear(2, 2)
    with mg.no_grad():
        layer.weight.copy_(mg.tensor([[1.0, 2.0], [3.0, 4.0]]))
        layer.bias.copy_(mg.tensor([0.5, -0.5]))
    return layer


def test_a_module_without_hooks_just_runs_forward():
    layer = fixed_linear()
    y = layer(mg.tensor([[1.0, 1.0]], requires_grad=True))
    assert layer._hooks is None and y.grad_fn.name() == "AddmmBackward0"


def test_forward_pre_hook_sees_the_arguments_and_may_replace_them():
    layer = fixed_linear()
    seen = []
    layer.register_forward_pre_hook(lambda m, args: seen.append((m, args[0].tolist())))
    layer.register_forward_pre_hook(lambda m, args: args[0] * 0)  # one value: becomes (value,)
    assert layer(mg.tensor([[1.0, 1.0]])).tolist() == [[0.5, -0.5]]
    assert seen == [(layer, [[1.0, 1.0]])]


def test_forward_hook_may_replace_the_output_and_remove_takes_it_off():
    layer = fixed_linear()
    handle = layer.register_forward_hook(lambda m, args, out: out * 10)
    x = mg.tensor([[1.0, 0.0]])
    assert layer(x).tolist() == [[15.0, 25.0]]
    handle.remove()
    assert layer(x).tolist() == [[1.5, 2.5]]


def test_prepend_puts_a_hook_first():
    layer = fixed_linear()
    order = []
    layer.register_forward_hook(lambda m, a, o: order.append("second"))
    layer.register_forward_hook(lambda m, a, o: order.append("first"), prepend=True)
    layer(mg.ones(1, 2))
    assert order == ["first", "second"]


def test_hooks_with_kwargs_see_and_replace_keyword_arguments():
    class Shift(nn.Module):
        def forward(self, x, shift=0.0):
            return x + shift

    m = Shift()
    m.register_forward_pre_hook(lambda m, args, kwargs: (args, {"shift": 5.0}), with_kwargs=True)
    seen = []
    m.register_forward_hook(lambda m, args, kwargs, out: seen.append(kwargs), with_kwargs=True)
    assert m(mg.zeros(1), shift=1.0).tolist() == [5.0] and seen == [{"shift": 5.0}]


def test_a_kwargs_pre_hook_must_return_args_and_kwargs():
    layer = fixed_linear()
    layer.register_forward_pre_hook(lambda m, args, kwargs: 5, with_kwargs=True)
    with pytest.raises(
        RuntimeError, match=r"must return None or a tuple of \(new_args, new_kwargs\), but got 5"
    ):
        layer(mg.ones(1, 2))


def test_always_call_hook_runs_when_forward_raises_and_the_error_stays():
    class Fails(nn.Module):
        def forward(self, x):
            raise ValueError("forward failed")

    m = Fails()
    seen = []
    m.register_forward_hook(lambda m, a, out: seen.append(out), always_call=True)
    m.register_forward_hook(lambda m, a, out: seen.append("not always"))
    with pytest.raises(ValueError, match="forward failed"):
        m(mg.ones(1))
    assert seen == [None]


def test_an_always_call_hook_that_raises_too_becomes_a_warning():
    class Fails(nn.Module):
        def forward(self, x):
            raise ValueError("forward failed")

    m = Fails()
    m.register_forward_hook(lambda m, a, out: 1 / 0, always_call=True)
    with pytest.warns(UserWarning, match="raised an exception that was silenced.*division by zero"):
        with pytest.raises(ValueError):
            m(mg.ones(1))


def test_full_backward_hook_gets_the_gradients_of_inputs_and_outputs():
    layer = fixed_linear()
    seen = []
    layer.register_full_backward_hook(lambda m, gi, go: seen.append((gi[0].tolist(), go[0].tolist())))
    x = mg.tensor([[1.0, 1.0]], requires_grad=True)
    (layer(x) * mg.tensor([[1.0, 10.0]])).sum().backward()
    # grad_output = [1, 10]; grad_input = grad_output @ W = [1 + 30, 2 + 40]
    assert seen == [([[31.0, 42.0]], [[1.0, 10.0]])]
    assert x.grad.tolist() == [[31.0, 42.0]]


def test_the_outputs_and_inputs_pass_through_identity_nodes():
    layer = fixed_linear()
    layer.register_full_backward_hook(lambda m, gi, go: None)
    y = layer(mg.ones(1, 2, requires_grad=True))
    addmm = y.grad_fn.next_functions[0][0]
    assert y.grad_fn.name() == "BackwardHookFunctionBackward" and addmm.name() == "AddmmBackward0"
    assert addmm.next_functions[1][0].name() == "BackwardHookFunctionBackward"
    assert repr(y.grad_fn) == "<minigrad.autograd.function.BackwardHookFunctionBackward object>"


def test_full_backward_hook_may_replace_grad_input():
    layer = fixed_linear()
    layer.register_full_backward_hook(lambda m, gi, go: (gi[0] * 0 + 7,))
    x = mg.tensor([[1.0, 1.0]], requires_grad=True)
    layer(x).sum().backward()
    assert x.grad.tolist() == [[7.0, 7.0]]
    assert layer.weight.grad.tolist() == [[1.0, 1.0], [1.0, 1.0]]  # the module's own gradients: unchanged


def test_full_backward_pre_hook_may_replace_grad_output_for_everything_below():
    layer = fixed_linear()
    layer.register_full_backward_pre_hook(lambda m, go: (go[0] * 2,))
    x = mg.tensor([[1.0, 1.0]], requires_grad=True)
    layer(x).sum().backward()
    assert x.grad.tolist() == [[8.0, 12.0]] and layer.bias.grad.tolist() == [2.0, 2.0]


def test_backward_hooks_returning_the_wrong_number_of_gradients_raise():
    x = mg.ones(1, 2, requires_grad=True)
    layer = fixed_linear()
    layer.register_full_backward_hook(lambda m, gi, go: (gi[0], gi[0]))
    with pytest.raises(RuntimeError, match="invalid number of grad_input, got 2, but expected 1"):
        layer(x).sum().backward()
    layer = fixed_linear()
    layer.register_full_backward_pre_hook(lambda m, go: ())
    with pytest.raises(RuntimeError, match="invalid number of grad_output, got 0, but expected 1"):
        layer(x).sum().backward()


def test_without_input_gradients_the_hook_fires_at_the_outputs_with_a_warning():
    layer = fixed_linear()
    seen = []
    layer.register_full_backward_hook(lambda m, gi, go: seen.append((gi, go[0].tolist())))
    y = layer(mg.ones(1, 2))  # the input needs no gradient: none will reach it
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        y.sum().backward()  # the warning points at this line
    assert seen == [((None,), [[1.0, 1.0]])]
    assert len(caught) == 1 and "no inputs require gradients" in str(caught[0].message)
    assert caught[0].filename == __file__


def test_without_input_gradients_a_hook_may_not_return_gradients():
    layer = fixed_linear()
    layer.register_full_backward_hook(lambda m, gi, go: (mg.ones(1, 2),))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(RuntimeError, match="should always return None or None for all gradients"):
            layer(mg.ones(1, 2)).sum().backward()


def test_backward_hooks_add_no_nodes_when_grad_is_off():
    layer = fixed_linear()
    layer.register_full_backward_hook(lambda m, gi, go: None)
    with mg.no_grad():
        y = layer(mg.ones(1, 2, requires_grad=True))
    assert y.grad_fn is None


def test_arguments_that_are_not_tensors_get_none_in_grad_input():
    class Scale(nn.Module):
        def forward(self, x, factor, other):
            return x * factor + other

    m = Scale()
    seen = []
    m.register_full_backward_hook(
        lambda m, gi, go: seen.append([None if g is None else g.tolist() for g in gi])
    )
    m(mg.tensor([1.0], requires_grad=True), 3.0, mg.tensor([2.0], requires_grad=True)).sum().backward()
    assert seen == [[[3.0], None, [1.0]]]


def test_sequential_layers_report_from_the_last_to_the_first():
    model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
    order = []
    for name, m in model.named_children():
        m.register_full_backward_hook(lambda m, gi, go, name=name: order.append(name))
    model(mg.ones(4, 2, requires_grad=True)).sum().backward()
    assert order == ["2", "1", "0"]
