"""Autograd semantics that must match PyTorch: leaves, .grad, accumulation, graph lifetime,
higher order, autograd.grad, inputs=, errors, in-place checks, hooks, grad modes."""

import warnings

import numpy as np
import pytest

import minigrad as mg
from minigrad import autograd


def scalar(v=2.0):
    return mg.tensor(v, requires_grad=True)


# --- leaves and requires_grad ---------------------------------------------------------------------
def test_tensor_without_requires_grad_is_a_leaf():
    assert mg.tensor(1.0).is_leaf


def test_user_created_tensor_requiring_grad_is_a_leaf():
    assert scalar().is_leaf and scalar().grad_fn is None


def test_op_output_requires_grad_iff_an_input_does():
    x, c = scalar(), mg.tensor(3.0)
    assert (x * c).requires_grad and not (c * c).requires_grad


def test_op_output_of_grad_inputs_is_not_a_leaf():
    y = scalar() * 2
    assert not y.is_leaf and y.grad_fn.name() == "MulBackward0"


def test_output_of_no_grad_inputs_is_a_leaf():
    c = mg.tensor(3.0)
    assert (c * 2).is_leaf


def test_scaled_tensor_is_not_a_leaf_classic_bug():
    w = mg.tensor([1.0, 2.0], requires_grad=True) * 0.01
    (w.sum()).backward()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert w.grad is None


def test_requires_grad_on_integer_tensor_raises():
    with pytest.raises(RuntimeError, match="Only Tensors of floating point and complex dtype can require"):
        mg.tensor([1, 2], requires_grad=True)


def test_requires_grad_setter_on_integer_tensor_raises():
    with pytest.raises(RuntimeError, match="only Tensors of floating point dtype can require gradients"):
        mg.tensor([1, 2]).requires_grad_()


def test_requires_grad_flag_of_non_leaf_cannot_be_changed():
    y = scalar() * 2
    with pytest.raises(RuntimeError, match="you can only change requires_grad flags of leaf variables"):
        y.requires_grad = False


def test_requires_grad_underscore_returns_self():
    x = mg.tensor(1.0)
    assert x.requires_grad_() is x and x.requires_grad


# --- .grad on leaves and non-leaves ---------------------------------------------------------------
def test_backward_fills_leaf_grad():
    x = scalar(3.0)
    (x * x).backward()
    assert x.grad.item() == 6.0


def test_non_leaf_grad_is_none_and_warns():
    x = scalar()
    y = x * 3
    (y * y).backward()
    with pytest.warns(UserWarning, match="is not a leaf Tensor is being accessed"):
        assert y.grad is None


def test_retain_grad_keeps_non_leaf_gradient():
    x = scalar(1.0)
    y = x * 3
    z = y * y
    y.retain_grad()
    z.backward()
    assert y.retains_grad and y.grad.item() == 6.0


def test_retain_grad_on_leaf_is_a_no_op():
    x = scalar()
    x.retain_grad()
    assert not x.retains_grad


def test_retain_grad_without_requires_grad_raises():
    with pytest.raises(RuntimeError, match="can't retain_grad on Tensor that has requires_grad=False"):
        mg.tensor(1.0).retain_grad()


def test_loss_grad_stays_none_after_backward():
    x = scalar()
    loss = x * x
    loss.backward()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert loss.grad is None


def test_gradients_accumulate_across_backward_calls():
    x = scalar(2.0)
    (x**2).backward()
    first = x.grad
    (x**3).backward()
    assert x.grad.item() == 4.0 + 12.0
    assert first is x.grad  # added in place, as PyTorch does


def test_zero_then_accumulate_again():
    x = scalar(2.0)
    (x**2).backward()
    (x**2 * 3).backward()
    assert x.grad.item() == 16.0
    x.grad.zero_()
    assert x.grad.item() == 0.0
    (x**2 * 3).backward()
    assert x.grad.item() == 12.0


def test_grad_assignment_checks_shape():
    x = mg.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="attempting to assign a gradient of size"):
        x.grad = mg.tensor([1.0])


def test_fork_sums_contributions_a_plus_a():
    a = scalar(3.0)
    (a + a).backward()
    assert a.grad.item() == 2.0


def test_x_times_x_has_two_edges_to_the_same_leaf():
    x = scalar(3.0)
    y = x * x
    (n0, i0), (n1, i1) = y.grad_fn.next_functions
    assert n0 is n1 and (i0, i1) == (0, 0)
    y.backward()
    assert x.grad.item() == 6.0


def test_reused_non_leaf_b_plus_b():
    a = scalar(1.0)
    b = a + a
    c = b + b
    c.backward()
    assert a.grad.item() == 4.0


def test_curriculum_chain_rule_values():
    a, b = scalar(2.0), scalar(3.0)
    ((a * b + 1) ** 2).backward()
    assert (a.grad.item(), b.grad.item()) == (42.0, 28.0)


def test_pytorch_tutorial_external_gradient():
    a = mg.tensor([2.0, 3.0], requires_grad=True)
    b = mg.tensor([6.0, 4.0], requires_grad=True)
    q = 3 * a**3 - b**2
    q.backward(gradient=mg.tensor([1.0, 1.0]))
    assert a.grad.tolist() == [36.0, 81.0] and b.grad.tolist() == [-12.0, -8.0]


# --- graph objects --------------------------------------------------------------------------------
def test_next_functions_of_scalar_mul_include_none_for_the_constant():
    y = scalar() * 2
    (acc, nr), (none, nr2) = y.grad_fn.next_functions
    assert type(acc).__name__ == "AccumulateGrad" and none is None and (nr, nr2) == (0, 0)


def test_accumulate_grad_variable_is_the_leaf():
    x = scalar()
    acc = (x * 2).grad_fn.next_functions[0][0]
    assert acc.variable is x


def test_next_functions_chain_names():
    x = scalar()
    y = (x.exp() + 1).sum()
    names = []
    node = y.grad_fn
    while node is not None and node.next_functions:
        names.append(node.name())
        node = node.next_functions[0][0]
    assert names == ["SumBackward0", "AddBackward0", "ExpBackward0"]


def test_node_repr_has_no_memory_address():
    assert repr((scalar() * 2).grad_fn) == "<MulBackward0 object>"


# --- non-scalar outputs and gradient shapes -------------------------------------------------------
def test_non_scalar_backward_needs_a_gradient():
    y = mg.tensor([1.0, 2.0], requires_grad=True) * 2
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar outputs"):
        y.backward()


def test_gradient_of_wrong_shape_raises():
    y = mg.tensor([1.0, 2.0], requires_grad=True) * 2
    with pytest.raises(RuntimeError, match=r"Mismatch in shape: grad_output\[0\] has a shape of"):
        y.backward(mg.tensor([1.0, 1.0, 1.0]))


def test_backward_on_tensor_without_grad_raises():
    with pytest.raises(RuntimeError, match="element 0 of tensors does not require grad"):
        mg.tensor(1.0).backward()


def test_vector_jacobian_product():
    x = mg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x**2
    y.backward(mg.tensor([1.0, 0.1, 0.01]))
    assert [round(v, 6) for v in x.grad.tolist()] == [2.0, 0.4, 0.06]


# --- graph lifetime -------------------------------------------------------------------------------
def test_second_backward_raises_after_graph_is_freed():
    x = scalar()
    y = x.exp()
    y.backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        y.backward()


def test_retain_graph_allows_a_second_backward():
    x = scalar(0.0)
    y = x.exp()
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.item() == 2.0


def test_graph_that_saved_nothing_can_run_twice():
    x = scalar()
    y = (x + 1).sum()
    y.backward()
    y.backward()
    assert x.grad.item() == 2.0


def test_saved_tensors_unavailable_after_backward():
    x = scalar()
    y = x.exp()
    y.backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        _ = y.grad_fn.saved_tensors


# --- higher order ---------------------------------------------------------------------------------
def test_second_and_third_derivatives_of_cube():
    x = scalar(2.0)
    (g,) = autograd.grad(x**3, x, create_graph=True)
    (g2,) = autograd.grad(g, x, create_graph=True)
    (g3,) = autograd.grad(g2, x)
    assert (g.item(), g2.item(), g3.item()) == (12.0, 12.0, 6.0)


def test_backward_create_graph_warns_about_the_reference_cycle():
    x = scalar(2.0)
    with pytest.warns(UserWarning, match="create a reference cycle"):
        (x**3).backward(create_graph=True)


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")
def test_backward_create_graph_leaves_differentiable_grad():
    x = scalar(2.0)
    (x**3).backward(create_graph=True)
    assert x.grad.grad_fn is not None and x.grad.item() == 12.0


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")
def test_create_graph_accumulation_trap():
    x = scalar(2.0)
    (x**3).backward(create_graph=True)
    x.grad.backward()
    assert x.grad.item() == 24.0


def test_hessian_vector_product():
    x = mg.tensor([1.0, 2.0], requires_grad=True)
    f = (x**2).sum() * x.sum()  # Hessian: 2*sum(x)*I + 2*(x 1ᵀ + 1 xᵀ)
    (g,) = autograd.grad(f, x, create_graph=True)
    v = mg.tensor([1.0, 0.0])
    (hv,) = autograd.grad(g, x, grad_outputs=v)
    # H = [[2*3 + 4*1, 2*(1+2)], [2*(2+1), 2*3 + 4*2]] = [[10, 6], [6, 14]]
    assert hv.tolist() == [10.0, 6.0]


# --- autograd.grad --------------------------------------------------------------------------------
def test_grad_returns_tuple_and_leaves_dot_grad_alone():
    x = scalar(3.0)
    result = autograd.grad(x * x, x)
    assert isinstance(result, tuple) and result[0].item() == 6.0 and x.grad is None


def test_grad_unused_input_raises():
    x, y = scalar(), scalar()
    with pytest.raises(RuntimeError, match="appears to not have been used in the graph"):
        autograd.grad(x * 2, [x, y])


def test_grad_allow_unused_gives_none():
    x, y = scalar(), scalar()
    gx, gy = autograd.grad(x * 2, [x, y], allow_unused=True)
    assert gx.item() == 2.0 and gy is None


def test_grad_of_input_not_requiring_grad_raises():
    with pytest.raises(RuntimeError, match="One of the differentiated Tensors does not require grad"):
        autograd.grad(scalar() * 2, mg.tensor(1.0))


def test_grad_with_respect_to_non_leaf():
    x = scalar(2.0)
    y = x * 3
    (g,) = autograd.grad(y * y, y)
    assert g.item() == 12.0


# --- backward(inputs=...) -------------------------------------------------------------------------
def test_inputs_restricts_accumulation():
    x, y = scalar(2.0), scalar(3.0)
    (x * y).backward(inputs=[x])
    assert x.grad.item() == 3.0 and y.grad is None


def test_inputs_with_non_leaf_retains_its_grad():
    x = scalar(2.0)
    y = x * 3
    (y * y).backward(inputs=[y])
    assert y.grad.item() == 12.0 and x.grad is None


def test_autograd_backward_with_several_roots():
    x = scalar(2.0)
    autograd.backward([x * 2, x * 3], [mg.tensor(1.0), mg.tensor(10.0)])
    assert x.grad.item() == 32.0


def test_empty_inputs_raises():
    with pytest.raises(RuntimeError, match="`inputs` argument to `backward\\(\\)` cannot be empty"):
        (scalar() * 2).backward(inputs=[])


# --- in-place -------------------------------------------------------------------------------------
def test_in_place_on_leaf_requiring_grad_raises():
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place"):
        scalar().add_(1)


def test_in_place_on_leaf_allowed_under_no_grad():
    x = scalar(2.0)
    with mg.no_grad():
        x -= 0.5
    assert x.item() == 1.5 and x.is_leaf and x.requires_grad


def test_in_place_on_saved_tensor_makes_backward_raise():
    x = scalar(1.0)
    y = x.exp()
    z = y * y
    y.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation") as info:
        z.backward()
    # PyTorch names what produces the tensor now: add_ made y the output of an Add
    assert "which is output 0 of Add," in str(info.value)
    assert "is at version 1; expected version 0 instead" in str(info.value)


def test_in_place_on_non_leaf_rebases_grad_fn():
    x = scalar(1.0)
    y = x * 2
    y.add_(1)
    assert y.grad_fn.name() == "AddBackward0"
    (y * 1).backward()
    assert x.grad.item() == 2.0


def test_in_place_mul_by_tensor_requiring_grad_gives_correct_gradients():
    x, w = scalar(3.0), scalar(4.0)
    y = x * 1
    y.mul_(w)
    y.backward()
    assert (x.grad.item(), w.grad.item()) == (4.0, 3.0)


def test_detach_shares_storage_and_version_counter():
    x = scalar(1.0)
    y = x.exp()
    z = y * y
    y.detach().add_(1)  # bumps the shared version counter: backward must notice
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.backward()


def test_detach_result_is_a_leaf_without_grad():
    d = (scalar() * 2).detach()
    assert d.is_leaf and not d.requires_grad


def test_setitem_on_non_leaf_is_differentiable():
    x = mg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    v = scalar(5.0)
    y = x * 1
    y[1] = v
    (y * mg.tensor([1.0, 10.0, 100.0])).sum().backward()
    assert x.grad.tolist() == [1.0, 0.0, 100.0] and v.grad.item() == 10.0


def test_in_place_integer_result_type_check():
    t = mg.tensor([1, 2])
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
        t += 0.5


# --- hooks ----------------------------------------------------------------------------------------
def test_hook_on_non_leaf_can_replace_gradient():
    x = scalar(1.0)
    y = x * 2
    y.register_hook(lambda g: g * 10)
    y.backward()
    assert x.grad.item() == 20.0


def test_hook_on_leaf_replaces_accumulated_gradient():
    x = scalar(1.0)
    x.register_hook(lambda g: g + 100)
    (x * 2).backward()
    assert x.grad.item() == 102.0


def test_hook_returning_none_observes_only():
    seen = []
    x = scalar(1.0)
    x.register_hook(lambda g: seen.append(g.item()))
    (x * 3).backward()
    assert seen == [3.0] and x.grad.item() == 3.0


def test_hook_handle_remove():
    x = scalar(1.0)
    handle = x.register_hook(lambda g: g * 0)
    handle.remove()
    (x * 3).backward()
    assert x.grad.item() == 3.0


def test_hook_on_tensor_without_grad_raises():
    with pytest.raises(
        RuntimeError, match="cannot register a hook on a tensor that doesn't require gradient"
    ):
        mg.tensor(1.0).register_hook(lambda g: g)


# --- grad modes -----------------------------------------------------------------------------------
def test_no_grad_records_nothing():
    x = scalar()
    with mg.no_grad():
        y = x * 2
    assert not y.requires_grad and y.grad_fn is None


def test_grad_modes_nest_and_restore():
    with mg.no_grad():
        assert not mg.is_grad_enabled()
        with mg.enable_grad():
            assert mg.is_grad_enabled()
        assert not mg.is_grad_enabled()
    assert mg.is_grad_enabled()


def test_no_grad_as_decorator():
    @mg.no_grad()
    def f(x):
        return x * 2

    assert not f(scalar()).requires_grad and mg.is_grad_enabled()


def test_set_grad_enabled_as_function_and_context():
    with mg.set_grad_enabled(False):
        assert not mg.is_grad_enabled()
    assert mg.is_grad_enabled()
    mg.set_grad_enabled(False)
    assert not mg.is_grad_enabled()
    mg.set_grad_enabled(True)


def test_enable_grad_decorator_inside_no_grad():
    @mg.enable_grad()
    def f(x):
        return x * 2

    with mg.no_grad():
        assert f(scalar()).requires_grad


def test_inference_mode_tensors_cannot_be_saved_for_backward():
    with mg.inference_mode():
        t = mg.tensor([1.0, 2.0])
    w = mg.tensor([1.0, 1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="Inference tensors cannot be saved for backward"):
        _ = w * t


def test_inference_mode_records_nothing():
    x = scalar()
    with mg.inference_mode():
        y = x * 2
    assert not y.requires_grad and y.is_inference()


# --- anomaly detection ----------------------------------------------------------------------------
def test_detect_anomaly_names_node_and_forward_line():
    x = mg.tensor(0.0, requires_grad=True)
    with autograd.detect_anomaly():
        y = x.sqrt() * 0  # d sqrt / dx at 0 is inf; inf * 0 = nan in backward
        with (
            pytest.warns(UserWarning, match="Error detected in SqrtBackward0") as caught,
            pytest.raises(
                RuntimeError, match="^Function 'SqrtBackward0' returned nan values in its 0th output.$"
            ),
        ):
            y.backward()
    assert any("y = x.sqrt() * 0" in str(w.message) for w in caught)  # PyTorch: in a warning


def test_without_anomaly_mode_nan_passes_silently():
    x = mg.tensor(0.0, requires_grad=True)
    (x.sqrt() * 0).backward()
    assert x.grad.isnan().item()


def test_saved_tensors_by_pytorch_names_inputs_as_they_are_outputs_as_new_tensors():
    # PyTorch's own example (autograd mechanics, "saved tensors")
    x = mg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x.pow(2)
    assert y.grad_fn._saved_self is x and y.grad_fn._saved_exponent == 2
    z = x.exp()
    assert z.grad_fn._saved_result is not z and z.grad_fn._saved_result.equal(z)
    z.sum().backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        _ = z.grad_fn._saved_result


def test_saved_tensors_hooks_pack_in_forward_and_unpack_in_backward():
    calls = []

    def pack(tensor):
        calls.append("pack")
        return tensor.detach().numpy().copy()  # kept as a plain numpy array

    def unpack(array):
        calls.append("unpack")
        return mg.tensor(array)

    x = mg.tensor([1.0, 2.0], requires_grad=True)
    with autograd.graph.saved_tensors_hooks(pack, unpack):
        y = x.sin()
    assert calls == ["pack"]
    y.sum().backward()
    assert calls == ["pack", "unpack"]
    assert x.grad.tolist() == pytest.approx([float(np.cos(1.0)), float(np.cos(2.0))])


WARNING_CASES = {
    "var_degrees_of_freedom": lambda: mg.ones(3).var(correction=5),
    "mse_loss_shapes": lambda: mg.nn.MSELoss()(mg.ones(3, 1), mg.ones(3)),
    "legacy_reduction": lambda: mg.nn.functional.nll_loss(
        mg.zeros(2, 3), mg.tensor([0, 1]), size_average=False
    ),
    "non_leaf_grad": lambda: (mg.ones(2, requires_grad=True) * 2).grad,
    "T_of_a_vector": lambda: mg.ones(2, 3, 4).T,
    "gradcheck_float32": lambda: mg.autograd.gradcheck(
        lambda a: a * 2, (mg.ones(2, requires_grad=True),), eps=1e-3, atol=1e-2
    ),
    "backward_create_graph": lambda: (mg.ones(2, requires_grad=True) ** 2).sum().backward(create_graph=True),
    "only_inputs": lambda: mg.autograd.grad(
        (mg.ones(1, requires_grad=True) * 2).sum(), [], only_inputs=False
    ),
    "duplicate_parameter": lambda: mg.optim.SGD([mg.nn.Parameter(mg.ones(1))] * 2, lr=0.1),
}


@pytest.mark.parametrize("name", list(WARNING_CASES))
def test_warnings_point_at_the_line_that_caused_them(name):
    """As PyTorch's do: the warning names your file and line, not minigrad's internals (a learner
    in a notebook sees their own cell)."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            WARNING_CASES[name]()
        except Exception:  # noqa: BLE001  (only the warning matters here)
            pass
    assert caught, "no warning"
    assert {w.filename for w in caught} == {__file__}, [
        (w.filename, w.lineno, str(w.message)[:40]) for w in caught
    ]
