"""Adam, AdamW and RMSprop: the properties a learner relies on. (Their numbers, step for step
against PyTorch, are golden cases: adam_variants_step_by_step and its neighbours.)"""

import warnings

import numpy as np
import pytest

import minigrad as mg
from minigrad import nn, optim


def parameter_with_gradient(values, grad):
    p = nn.Parameter(mg.tensor(values))
    p.grad = mg.tensor(grad)
    return p


def test_adams_first_step_moves_every_parameter_by_lr_against_its_gradient():
    # m̂ = g and v̂ = g² after one step, so the update is lr·g/|g| whatever the gradient's size
    p = parameter_with_gradient([1.0, 1.0, 1.0], [1e-3, -50.0, 2.0])
    optim.Adam([p], lr=0.1).step()
    assert p.tolist() == pytest.approx([0.9, 1.1, 0.9], abs=1e-6)


def test_adam_one_step_equals_the_update_written_out_by_hand():
    rng = np.random.default_rng(1)
    start, grads = rng.standard_normal(5), rng.standard_normal((3, 5))
    p = nn.Parameter(mg.tensor(start, dtype=mg.float64))
    opt = optim.Adam([p], lr=0.01, betas=(0.8, 0.9), eps=1e-6)
    m = v = np.zeros(5)
    expected = start.copy()
    for t, g in enumerate(grads, start=1):
        p.grad = mg.tensor(g, dtype=mg.float64)
        opt.step()
        m, v = 0.8 * m + 0.2 * g, 0.9 * v + 0.1 * g * g
        expected -= 0.01 * (m / (1 - 0.8**t)) / (np.sqrt(v / (1 - 0.9**t)) + 1e-6)
    assert np.allclose(p.detach().numpy(), expected, rtol=1e-12, atol=0)
    assert opt.state[p]["step"].item() == 3.0


def test_adamw_is_adam_with_decoupled_weight_decay():
    a = parameter_with_gradient([1.0, -2.0], [0.5, 0.25])
    b = parameter_with_gradient([1.0, -2.0], [0.5, 0.25])
    optim.AdamW([a], lr=0.1, weight_decay=0.5).step()
    optim.Adam([b], lr=0.1, weight_decay=0.5, decoupled_weight_decay=True).step()
    assert a.tolist() == b.tolist()
    # decoupled: p·(1 − lr·λ) first, then the Adam step of the gradient alone
    assert a.tolist() == pytest.approx([1.0 * 0.95 - 0.1, -2.0 * 0.95 - 0.1], abs=1e-6)


def test_adam_weight_decay_goes_through_the_averages():
    # coupled: the gradient becomes g + λp, and the first step still moves by lr·sign(g + λp)
    p = parameter_with_gradient([1.0], [-0.1])
    optim.Adam([p], lr=0.1, weight_decay=0.5).step()
    assert p.item() == pytest.approx(0.9)  # g + λp = 0.4 > 0, so p goes down although g < 0


def test_amsgrad_divides_by_the_largest_second_moment_seen():
    p = parameter_with_gradient([0.0], [10.0])
    opt = optim.Adam([p], lr=0.1, amsgrad=True)
    opt.step()
    p.grad = mg.tensor([0.01])
    opt.step()
    state = opt.state[p]
    assert state["max_exp_avg_sq"].item() > state["exp_avg_sq"].item()
    assert state["max_exp_avg_sq"].item() == pytest.approx(0.001 * 100.0)


def test_maximize_climbs():
    p = parameter_with_gradient([0.0], [1.0])
    optim.Adam([p], lr=0.1, maximize=True).step()
    q = parameter_with_gradient([0.0], [1.0])
    optim.RMSprop([q], lr=0.01, maximize=True).step()
    assert p.item() > 0 and q.item() > 0


def test_rmsprop_first_step_is_lr_over_the_square_root_of_one_minus_alpha():
    p = parameter_with_gradient([0.0, 0.0], [3.0, -0.02])
    optim.RMSprop([p], lr=0.01, alpha=0.99).step()
    assert p.tolist() == pytest.approx([-0.1, 0.1], rel=1e-5)  # 0.01 / √0.01 = 0.1, no bias correction


def test_rmsprop_centered_divides_by_the_gradients_spread():
    # with the same gradient every step, the centred estimate v − ḡ² is smaller than v: larger steps
    plain = parameter_with_gradient([0.0], [1.0])
    centered = parameter_with_gradient([0.0], [1.0])
    optim.RMSprop([plain], lr=0.01).step()
    optim.RMSprop([centered], lr=0.01, centered=True).step()
    assert abs(centered.item()) > abs(plain.item())


def test_state_names_are_pytorchs():
    p = parameter_with_gradient([1.0], [1.0])
    adam = optim.Adam([p], amsgrad=True)
    adam.step()
    rms = optim.RMSprop([p], momentum=0.9, centered=True)
    rms.step()
    assert list(adam.state[p]) == ["step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"]
    assert list(rms.state[p]) == ["step", "square_avg", "momentum_buffer", "grad_avg"]
    assert repr(adam.state[p]["step"]) == "tensor(1.)"


@pytest.mark.parametrize("make", [optim.Adam, optim.AdamW, optim.RMSprop])
def test_parameters_without_gradient_are_skipped_and_get_no_state(make):
    p = parameter_with_gradient([1.0], [1.0])
    frozen = nn.Parameter(mg.tensor([2.0]))
    opt = make([p, frozen])
    opt.step()
    assert frozen.item() == 2.0 and opt.state[frozen] == {}


@pytest.mark.parametrize("make", [optim.Adam, optim.AdamW, optim.RMSprop])
def test_step_moves_the_version_so_a_saved_parameter_is_caught(make):
    w = nn.Parameter(mg.tensor([1.0, 2.0]))
    opt = make([w], lr=0.1)
    (w * w).sum().backward()
    loss = (w * w).sum()
    opt.step()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()


@pytest.mark.parametrize("make", [optim.Adam, optim.RMSprop])
def test_step_with_inf_and_nan_gradients_gives_no_numpy_warning(make):
    p = parameter_with_gradient([1.0, 1.0], [float("inf"), float("nan")])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        make([p], lr=0.1).step()
    assert np.isnan(p.tolist()).all()


@pytest.mark.parametrize("make", [optim.Adam, optim.AdamW, optim.RMSprop])
def test_differentiable_is_refused_clearly(make):
    with pytest.raises(NotImplementedError, match="differentiable=True"):
        make([nn.Parameter(mg.ones(1))], differentiable=True)


def test_tensor_hyperparameters_are_refused_clearly():
    with pytest.raises(NotImplementedError, match="lr as a Python number"):
        optim.Adam([nn.Parameter(mg.ones(1))], lr=mg.tensor(0.1))
    with pytest.raises(NotImplementedError, match="betas as Python numbers"):
        optim.Adam([nn.Parameter(mg.ones(1))], betas=(mg.tensor(0.9), mg.tensor(0.99)))


@pytest.mark.parametrize("make", [optim.Adam, optim.AdamW, optim.RMSprop])
def test_zero_grad_is_the_optimizers(make):
    p = parameter_with_gradient([1.0], [1.0])
    make([p]).zero_grad()
    assert p.grad is None


@pytest.mark.parametrize(
    ("make", "lr"), [(optim.Adam, 0.05), (optim.AdamW, 0.05), (optim.RMSprop, 0.01), (optim.SGD, 0.1)]
)
def test_each_optimizer_fits_a_small_network(make, lr):
    mg.manual_seed(0)
    x = mg.linspace(-2, 2, 32).reshape(32, 1)
    y = x.tanh() * 2
    model = nn.Sequential(nn.Linear(1, 8), nn.Tanh(), nn.Linear(8, 1))
    opt = make(model.parameters(), lr=lr)
    first = None
    for _ in range(150):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        first = first if first is not None else loss.item()
    assert loss.item() < 0.05 * first
