"""Just enough nn and optim for the training-loop lessons."""

import warnings

import numpy as np
import pytest

import minigrad as mg
from minigrad import nn, optim


def test_parameter_is_a_leaf_requiring_grad():
    p = nn.Parameter(mg.tensor([1.0, 2.0]))
    assert p.is_leaf and p.requires_grad
    assert repr(p) == "Parameter containing:\ntensor([1., 2.], requires_grad=True)"


def test_module_collects_parameters_recursively():
    model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
    names = [n for n, _ in model.named_parameters()]
    assert names == ["0.weight", "0.bias", "2.weight", "2.bias"]


def test_linear_computes_x_w_transpose_plus_b():
    layer = nn.Linear(2, 1)
    with mg.no_grad():
        layer.weight.copy_(mg.tensor([[2.0, -1.0]]))
        layer.bias.copy_(mg.tensor([0.5]))
    y = layer(mg.tensor([[1.0, 3.0]]))
    assert y.tolist() == [[-0.5]] and y.grad_fn.name() == "AddmmBackward0"


def test_linear_gradients():
    layer = nn.Linear(2, 1)
    x = mg.tensor([[1.0, 3.0], [2.0, 0.0]])
    layer(x).sum().backward()
    assert layer.weight.grad.tolist() == [[3.0, 3.0]] and layer.bias.grad.tolist() == [2.0]


def test_mse_loss():
    loss = nn.MSELoss()(mg.tensor([1.0, 2.0], requires_grad=True), mg.tensor([0.0, 0.0]))
    assert loss.item() == 2.5 and loss.grad_fn.name() == "MseLossBackward0"


def test_sgd_step_and_zero_grad():
    w = nn.Parameter(mg.tensor([1.0, 2.0]))
    opt = optim.SGD([w], lr=0.1)
    (w * w).sum().backward()
    opt.step()
    assert [round(v, 6) for v in w.tolist()] == [0.8, 1.6]
    opt.zero_grad()
    assert w.grad is None


def test_sgd_zero_grad_to_zeros():
    w = nn.Parameter(mg.tensor([1.0]))
    opt = optim.SGD([w], lr=0.1)
    (w * 3).sum().backward()
    opt.zero_grad(set_to_none=False)
    assert w.grad.tolist() == [0.0]


def test_sgd_momentum():
    w = nn.Parameter(mg.tensor([0.0]))
    opt = optim.SGD([w], lr=1.0, momentum=0.9)
    for _ in range(2):
        opt.zero_grad()
        (w * 1.0).sum().backward()
        opt.step()
    assert w.item() == pytest.approx(-(1.0 + 1.9))


@pytest.mark.parametrize("dtype", [mg.float32, mg.float64])
@pytest.mark.parametrize("shape", [(), (3,), (16, 2)])
def test_sgd_step_gives_exactly_the_numbers_of_add_(dtype, shape):
    # step() writes into the storage directly; it must match p.add_(grad, alpha=-lr) bit for bit
    rng = np.random.default_rng(0)
    start = rng.standard_normal(shape)
    grad = rng.standard_normal(shape) * 1e3
    p = nn.Parameter(mg.tensor(start, dtype=dtype))
    p.grad = mg.tensor(grad, dtype=dtype)
    optim.SGD([p], lr=0.1).step()
    expected = mg.tensor(start, dtype=dtype)
    with mg.no_grad():
        expected.add_(mg.tensor(grad, dtype=dtype), alpha=-0.1)
    assert p.dtype is dtype and p.shape == expected.shape
    assert np.array_equal(p.detach().numpy(), expected.numpy())


def test_sgd_step_moves_the_version_so_a_saved_parameter_is_caught():
    w = nn.Parameter(mg.tensor([1.0, 2.0]))
    opt = optim.SGD([w], lr=0.1)
    (w * w).sum().backward()
    loss = (w * w).sum()  # saves w at version 0
    opt.step()
    assert w._version == 1
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()


def test_sgd_step_keeps_add_errors_for_integer_and_inference_tensors():
    p = mg.tensor([1, 2])
    p.grad = mg.tensor([1, 1])
    with pytest.raises(RuntimeError, match="argument alpha must not be a floating point number"):
        optim.SGD([p], lr=0.5).step()
    with mg.inference_mode():
        q = mg.ones(2)
    q.grad = mg.ones(2)
    with pytest.raises(RuntimeError, match="Inplace update to inference tensor outside InferenceMode"):
        optim.SGD([q], lr=0.5).step()


def test_sgd_step_with_inf_and_nan_gradients_gives_no_numpy_warning():
    p = nn.Parameter(mg.tensor([1.0, 1.0, 3e38]))
    p.grad = mg.tensor([float("inf"), float("nan"), -1e38])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        optim.SGD([p], lr=10.0).step()
    assert p.tolist()[0] == float("-inf") and np.isnan(p.tolist()[1]) and p.tolist()[2] == float("inf")


def test_training_loop_fits_a_line():
    mg.manual_seed(0)
    x = mg.linspace(-1, 1, 20).reshape(20, 1)
    y = 3 * x + 0.5
    model = nn.Linear(1, 1)
    opt = optim.SGD(model.parameters(), lr=0.5)
    for _ in range(200):
        opt.zero_grad()
        loss = nn.MSELoss()(model(x), y)
        loss.backward()
        opt.step()
    assert loss.item() < 1e-6
    assert model.weight.item() == pytest.approx(3.0, abs=1e-3)


def test_clip_grad_norm_scales_and_returns_total_norm():
    p = nn.Parameter(mg.tensor([0.0, 0.0]))
    p.grad = mg.tensor([3.0, 4.0])
    total = nn.utils.clip_grad_norm_([p], max_norm=1.0)
    assert total.item() == 5.0
    assert [round(v, 4) for v in p.grad.tolist()] == [0.6, 0.8]


def test_clip_grad_norm_leaves_small_gradients_alone():
    p = nn.Parameter(mg.tensor([0.0, 0.0]))
    p.grad = mg.tensor([0.3, 0.4])
    nn.utils.clip_grad_norm_([p], max_norm=1.0)
    assert p.grad.tolist() == pytest.approx([0.3, 0.4])


def test_clip_grad_value():
    p = nn.Parameter(mg.tensor([0.0, 0.0, 0.0]))
    p.grad = mg.tensor([-5.0, 0.5, 2.0])
    nn.utils.clip_grad_value_([p], 1.0)
    assert p.grad.tolist() == [-1.0, 0.5, 1.0]


def test_cross_entropy_loss():
    logits = mg.tensor([[2.0, 0.0, -1.0]], requires_grad=True)
    loss = nn.CrossEntropyLoss()(logits, mg.tensor([0]))
    loss.backward()
    probs = logits.detach().softmax(dim=1)
    assert loss.item() == pytest.approx(-probs[0, 0].log().item(), rel=1e-6)
    assert logits.grad.tolist()[0][0] == pytest.approx(probs[0, 0].item() - 1, rel=1e-5)


LOGITS = [[2.0, 0.0, -1.0], [0.5, 1.5, -0.5]]


def per_sample_nll(logits, targets):
    log_probs = np.log(np.exp(logits) / np.exp(logits).sum(1, keepdims=True))
    return -log_probs[np.arange(len(targets)), targets]


def test_cross_entropy_weights_average_over_the_weights_of_the_targets():
    w = [1.0, 3.0, 0.5]
    loss = nn.CrossEntropyLoss(weight=mg.tensor(w))(mg.tensor(LOGITS), mg.tensor([0, 1]))
    nll = per_sample_nll(np.array(LOGITS), [0, 1])
    assert loss.item() == pytest.approx((1.0 * nll[0] + 3.0 * nll[1]) / (1.0 + 3.0), rel=1e-6)


def test_cross_entropy_ignore_index_drops_samples_from_the_mean_and_the_gradient():
    x = mg.tensor(LOGITS, requires_grad=True)
    loss = nn.functional.cross_entropy(x, mg.tensor([0, -100]))
    loss.backward()
    assert loss.item() == pytest.approx(per_sample_nll(np.array(LOGITS), [0, 0])[0], rel=1e-6)
    assert x.grad[1].tolist() == [0.0, 0.0, 0.0]


def test_label_smoothing_mixes_the_target_with_the_uniform_distribution():
    x = mg.tensor(LOGITS)
    eps = 0.3
    smoothed = nn.functional.cross_entropy(x, mg.tensor([0, 1]), label_smoothing=eps)
    mixed = mg.tensor([[1 - eps + eps / 3, eps / 3, eps / 3], [eps / 3, 1 - eps + eps / 3, eps / 3]])
    assert smoothed.item() == pytest.approx(nn.functional.cross_entropy(x, mixed).item(), rel=1e-6)


def test_cross_entropy_of_probabilities_takes_the_classes_along_dimension_1():
    # (N, C, d): the classes are dimension 1, not the last one (a softmax over the wrong axis would
    # give another number without any error)
    x = mg.tensor([[[1.0, 0.0], [0.0, 2.0], [-1.0, 1.0]]])  # N=1, C=3, d=2
    p = x.softmax(1)
    by_position = [nn.functional.cross_entropy(x[:, :, j], p[:, :, j]).item() for j in range(2)]
    assert nn.functional.cross_entropy(x, p).item() == pytest.approx(sum(by_position) / 2, rel=1e-6)


def test_cross_entropy_of_class_indices_with_more_dimensions():
    x = mg.tensor([[[1.0, 0.0], [0.0, 2.0], [-1.0, 1.0]]], requires_grad=True)
    loss = nn.functional.cross_entropy(x, mg.tensor([[0, 1]]), reduction="none")
    assert loss.shape == (1, 2) and loss.grad_fn.name() == "ViewBackward0"
    expected = per_sample_nll(np.array(x.tolist())[0].T, [0, 1])  # position j: classes x[0, :, j]
    assert loss.tolist()[0] == pytest.approx(expected.tolist(), rel=1e-6)


def test_nll_loss_module_with_weights():
    log_probs = mg.tensor(LOGITS).log_softmax(1)
    loss = nn.NLLLoss(weight=mg.tensor([1.0, 3.0, 0.5]), reduction="sum")(log_probs, mg.tensor([2, 1]))
    assert loss.item() == pytest.approx(
        -(0.5 * log_probs[0, 2].item() + 3.0 * log_probs[1, 1].item()), rel=1e-6
    )


def test_a_module_list_registers_its_layers():
    class Stack(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])

        def forward(self, x):
            for layer in self.layers:
                x = layer(x)
            return x

    model = Stack()
    assert len(list(model.parameters())) == 6 and model(mg.ones(1, 2)).shape == (1, 2)
    assert repr(model.layers).startswith("ModuleList(\n  (0-2): 3 x Linear(in_features=2")


def test_tied_weights_are_one_parameter_for_the_optimizer():
    first, second = nn.Linear(2, 2), nn.Linear(2, 2)
    second.weight = first.weight
    model = nn.Sequential(first, second)
    assert len(list(model.parameters())) == 3  # (stepping a tied weight twice would be wrong)
    assert list(model.state_dict()) == ["0.weight", "0.bias", "1.weight", "1.bias"]


def test_deleting_or_unsetting_a_parameter_unregisters_it():
    layer = nn.Linear(2, 2)
    layer.bias = None
    assert [n for n, _ in layer.named_parameters()] == ["weight"]
    del layer.weight
    assert list(layer.parameters()) == []
