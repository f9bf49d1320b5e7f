"""Every built-in op against central differences (gradcheck, float64), and the twice-differentiable
ones again for second derivatives (gradgradcheck)."""

import numpy as np
import pytest

import minigrad as mg
from minigrad.autograd import gradcheck, gradgradcheck
from minigrad.ops import arithmetic as ar
from minigrad.ops import elementwise as el
from minigrad.ops import losses
from minigrad.ops import shape as shape_ops
from minigrad.ops import softmax as sm

rng = np.random.default_rng(0)


def t(*shape, low=-2.0, high=2.0, positive=False, away_from_zero=False):
    values = rng.uniform(0.5 if positive else low, high, size=shape)
    if away_from_zero:
        values = np.sign(values) * (np.abs(values) + 0.3)
    return mg.tensor(values, dtype=mg.float64, requires_grad=True)


PROBABILITIES_3D = mg.tensor(rng.uniform(0, 1, (2, 3, 2)), dtype=mg.float64).softmax(1)

# (name, function, input factory, twice differentiable?)
OPS = [
    ("add", lambda a, b: a + b, lambda: (t(2, 3), t(3)), True),
    ("sub", lambda a, b: a - b, lambda: (t(2, 3), t(2, 1)), True),
    ("rsub", lambda a: 2.0 - a, lambda: (t(3),), True),
    ("mul", lambda a, b: a * b, lambda: (t(2, 3), t(3)), True),
    ("div", lambda a, b: a / b, lambda: (t(2, 3), t(3, away_from_zero=True)), True),
    ("rdiv", lambda a: 2.0 / a, lambda: (t(3, away_from_zero=True),), True),
    # rounding division: a step function (zero gradients); remainders: ∂/∂a = 1, ∂/∂b = −quotient
    (
        "div_floor",
        lambda a, b: a.div(b, rounding_mode="floor"),
        lambda: (t(2, 3, low=-5, high=5), t(3)),
        True,
    ),
    (
        "div_trunc",
        lambda a, b: a.div(b, rounding_mode="trunc"),
        lambda: (t(2, 3, low=-5, high=5), t(3)),
        True,
    ),
    ("remainder", lambda a, b: a % b, lambda: (t(2, 3, low=-5, high=5), t(3, away_from_zero=True)), True),
    ("remainder_number", lambda a: a % 1.5, lambda: (t(2, 3, low=-5, high=5),), True),
    ("fmod", lambda a, b: mg.fmod(a, b), lambda: (t(2, 3, low=-5, high=5), t(3, away_from_zero=True)), True),
    ("fmod_number", lambda a: mg.fmod(a, -1.5), lambda: (t(2, 3, low=-5, high=5),), True),
    ("neg", lambda a: -a, lambda: (t(4),), True),
    ("pow_scalar", lambda a: a**3, lambda: (t(4),), True),
    ("pow_fractional", lambda a: a**1.5, lambda: (t(4, positive=True),), True),
    ("pow_tensor", lambda a, b: a**b, lambda: (t(3, positive=True), t(3)), True),
    ("rpow", lambda a: 2.0**a, lambda: (t(3),), True),
    ("exp", lambda a: a.exp(), lambda: (t(2, 2),), True),
    ("log", lambda a: a.log(), lambda: (t(3, positive=True),), True),
    ("sin", lambda a: a.sin(), lambda: (t(3),), True),
    ("cos", lambda a: a.cos(), lambda: (t(3),), True),
    ("tanh", lambda a: a.tanh(), lambda: (t(3),), True),
    ("sigmoid", lambda a: a.sigmoid(), lambda: (t(3),), True),
    ("relu", lambda a: a.relu(), lambda: (t(5, away_from_zero=True),), False),
    ("sqrt", lambda a: a.sqrt(), lambda: (t(3, positive=True),), True),
    ("abs", lambda a: a.abs(), lambda: (t(4, away_from_zero=True),), False),
    ("sgn", lambda a: a.sgn() * a, lambda: (t(4, away_from_zero=True),), True),
    ("clamp", lambda a: a.clamp(-0.5, 0.5), lambda: (t(6, away_from_zero=True),), False),
    ("maximum", lambda a, b: mg.maximum(a, b), lambda: (t(4), t(4) + 0.1), False),
    ("minimum", lambda a, b: mg.minimum(a, b), lambda: (t(4), t(4) + 0.1), False),
    ("log1p", lambda a: a.log1p(), lambda: (t(3, positive=True),), True),
    ("expm1", lambda a: a.expm1(), lambda: (t(3),), True),
    ("var", lambda a: a.var(), lambda: (t(2, 3),), True),
    ("var_dim_biased", lambda a: a.var(1, correction=0, keepdim=True), lambda: (t(2, 3),), True),
    ("std", lambda a: a.std(), lambda: (t(2, 3),), True),
    ("std_dim", lambda a: a.std(0), lambda: (t(3, 2),), True),
    ("amax", lambda a: a.amax(1), lambda: (t(3, 4),), False),
    ("amin_all", lambda a: a.amin(), lambda: (t(5),), False),
    ("cumsum", lambda a: a.cumsum(1), lambda: (t(2, 4),), True),
    ("flip", lambda a: a.flip(0, 1), lambda: (t(2, 3),), True),
    ("split", lambda a: a.split(2, 1)[0] * 2 + a.split(2, 1)[1], lambda: (t(2, 5),), True),
    ("split_sizes_unused_piece", lambda a: a.split([1, 3], 0)[1], lambda: (t(4, 2),), True),
    ("chunk", lambda a: a.chunk(2)[1], lambda: (t(3, 2),), True),
    ("unbind", lambda a: a.unbind(1)[0] * a.unbind(1)[2], lambda: (t(2, 3),), True),
    ("index_select", lambda a: a.index_select(0, mg.tensor([2, 0, 2])), lambda: (t(3, 2),), True),
    ("repeat", lambda a: a.repeat(2, 1, 3), lambda: (t(2, 3),), True),
    ("narrow", lambda a: a.narrow(1, 1, 2), lambda: (t(2, 4),), True),
    ("tril", lambda a: a.tril(), lambda: (t(3, 3),), True),
    ("triu", lambda a: a.triu(1), lambda: (t(3, 4),), True),
    ("sum", lambda a: a.sum(), lambda: (t(2, 3),), True),
    ("sum_dim_keepdim", lambda a: a.sum(dim=1, keepdim=True), lambda: (t(2, 3),), True),
    ("sum_dims", lambda a: a.sum(dim=(0, 2)), lambda: (t(2, 3, 2),), True),
    ("mean", lambda a: a.mean(), lambda: (t(2, 3),), True),
    ("mean_dim", lambda a: a.mean(dim=-1), lambda: (t(2, 3),), True),
    ("max_all", lambda a: a.max(), lambda: (t(5),), False),
    ("max_dim", lambda a: a.max(dim=1).values, lambda: (t(3, 4),), False),
    ("min_dim", lambda a: a.min(dim=0, keepdim=True).values, lambda: (t(3, 4),), False),
    ("matmul_mm", lambda a, b: a @ b, lambda: (t(2, 3), t(3, 4)), True),
    # column-major matrices take PyTorch's other formulas, (mat2 @ gradᵀ)ᵀ and (gradᵀ @ mat1)ᵀ
    ("matmul_mm_column_major", lambda a, b: a.t() @ b.t(), lambda: (t(3, 2), t(4, 3)), True),
    ("matmul_mv", lambda a, b: a @ b, lambda: (t(2, 3), t(3)), True),
    ("matmul_dot", lambda a, b: a @ b, lambda: (t(3), t(3)), True),
    ("matmul_vm", lambda a, b: a @ b, lambda: (t(3), t(3, 2)), True),
    ("matmul_batched", lambda a, b: a @ b, lambda: (t(2, 2, 3), t(3, 2)), True),
    ("reshape", lambda a: a.reshape(3, 2), lambda: (t(2, 3),), True),
    ("reshape_of_transpose", lambda a: a.t().reshape(6), lambda: (t(2, 3),), True),
    ("transpose", lambda a: a.transpose(0, 1), lambda: (t(2, 3),), True),
    ("T", lambda a: a.T, lambda: (t(2, 3),), True),
    ("permute", lambda a: a.permute(2, 0, 1), lambda: (t(2, 3, 2),), True),
    ("unsqueeze", lambda a: a.unsqueeze(1), lambda: (t(3),), True),
    ("squeeze", lambda a: a.squeeze(), lambda: (t(1, 3, 1),), True),
    ("squeeze_dim", lambda a: a.squeeze(0), lambda: (t(1, 3),), True),
    ("expand", lambda a: a.expand(2, 3), lambda: (t(1, 3),), True),
    ("select", lambda a: a[1], lambda: (t(3, 2),), True),
    ("slice", lambda a: a[:, 1:3], lambda: (t(2, 4),), True),
    ("index_list_with_repeat", lambda a: a[[0, 2, 0]], lambda: (t(3, 2),), True),
    ("index_mask", lambda a: a[a > 0], lambda: (t(6, away_from_zero=True),), True),
    ("softmax", lambda a: a.softmax(dim=1), lambda: (t(2, 3),), True),
    ("log_softmax", lambda a: a.log_softmax(dim=0), lambda: (t(3, 2),), True),
    ("stack", lambda a, b: mg.stack([a, b], dim=1), lambda: (t(3), t(3)), True),
    ("cat", lambda a, b: mg.cat([a, b], dim=0), lambda: (t(2, 2), t(1, 2)), True),
    ("where", lambda a, b: mg.where(a > 0, a, b), lambda: (t(4, away_from_zero=True), t(4)), True),
    ("clone", lambda a: a.clone(), lambda: (t(3),), True),
    ("norm", lambda a: a.norm(), lambda: (t(3, away_from_zero=True),), True),
    ("norm_p3_dim", lambda a: a.norm(p=3, dim=1), lambda: (t(2, 3, away_from_zero=True),), True),
    ("norm_p1_5", lambda a: a.norm(p=1.5, dim=0), lambda: (t(3, 2, away_from_zero=True),), True),
    ("norm_p0_5", lambda a: a.norm(p=0.5), lambda: (t(4, away_from_zero=True),), True),
    ("logsumexp", lambda a: a.logsumexp(1), lambda: (t(2, 3),), True),
    ("logsumexp_keepdim_all", lambda a: a.logsumexp((0, 1), keepdim=True), lambda: (t(2, 3),), True),
    ("dot", lambda a, b: a.dot(b), lambda: (t(3), t(3)), True),
    ("linear", lambda x, w, b: mg.nn.functional.linear(x, w, b), lambda: (t(4, 3), t(2, 3), t(2)), True),
    ("mse_loss", lambda a, b: mg.nn.functional.mse_loss(a, b), lambda: (t(2, 3), t(2, 3)), True),
    (
        "mse_loss_sum",
        lambda a, b: mg.nn.functional.mse_loss(a, b, reduction="sum"),
        lambda: (t(3), t(3)),
        True,
    ),
    (
        "mse_loss_none",
        lambda a, b: mg.nn.functional.mse_loss(a, b, reduction="none"),
        lambda: (t(3), t(3)),
        True,
    ),
    # the backward ops themselves (what create_graph records), so gradgradcheck checks third derivatives
    (
        "tanh_backward",
        lambda g, y: el.TanhBackward.apply(g, y),
        lambda: (t(3), t(3, low=-0.9, high=0.9)),
        True,
    ),
    (
        "sigmoid_backward",
        lambda g, y: el.SigmoidBackward.apply(g, y),
        lambda: (t(3), t(3, low=0.1, high=0.9)),
        True,
    ),
    ("mul_scalar", lambda a: ar.MulScalar.apply(a, 2.5), lambda: (t(3),), True),
    ("gather", lambda a: a.gather(0, mg.tensor([[0, 2], [1, 0], [0, 0]])), lambda: (t(3, 2),), True),
    ("scatter", lambda a, s: a.scatter(1, mg.tensor([[1], [0], [1]]), s), lambda: (t(3, 2), t(3, 1)), True),
    ("scatter_value", lambda a: a.scatter(0, mg.tensor([[2, 0]]), 7.0), lambda: (t(3, 2),), True),
    (
        "scatter_add",
        lambda a, s: a.scatter_add(0, mg.tensor([[0, 0], [2, 0]]), s),
        lambda: (t(3, 2), t(2, 2)),
        True,
    ),
    (
        "scatter_larger_src",
        lambda a, s: a.scatter(0, mg.tensor([[2, 0]]), s),
        lambda: (t(3, 2), t(2, 3)),
        True,
    ),
    ("masked_fill", lambda a: a.masked_fill(mg.tensor([True, False, True]), 0.5), lambda: (t(3),), True),
    (
        "masked_fill_tensor",
        lambda a, v: a.masked_fill(mg.tensor([[True, False], [False, True]]), v),
        lambda: (t(2, 2), t()),
        True,
    ),
    (
        "softmax_backward_data",
        lambda g, y: sm.SoftmaxBackwardData.apply(g, y, 1),
        lambda: (t(2, 3), t(2, 3, low=0.1, high=0.9)),
        True,
    ),
    (
        "log_softmax_backward_data",
        lambda g, y: sm.LogSoftmaxBackwardData.apply(g, y, 0),
        lambda: (t(3, 2), t(3, 2, low=-2.0, high=-0.1)),
        True,
    ),
    ("div_scalar", lambda a: ar.DivScalar.apply(a, 2.5), lambda: (t(3),), True),
    (
        "index_put_accumulate",
        lambda base, v: shape_ops.IndexPutAccumulate.apply(base, v, (np.array([0, 2, 0]),)),
        lambda: (t(3, 2), t(3, 2)),
        True,
    ),
    (
        "select_backward",
        lambda g: shape_ops.SelectBackward.apply(g, (3, 2), (slice(None), 1)),
        lambda: (t(3),),
        True,
    ),
    (
        "threshold_backward",
        lambda g, y: el.ThresholdBackward.apply(g, y),
        lambda: (t(4), t(4, away_from_zero=True)),
        True,
    ),
    *[
        (
            f"mse_loss_backward_{reduction}",
            lambda g, a, b, r=reduction: losses.MseLossBackward.apply(g, a, b, r),
            (lambda shape=shape: (t(*shape), t(2, 3), t(2, 3))),
            True,
        )
        for reduction, shape in (("mean", ()), ("sum", ()), ("none", (2, 3)))
    ],
    (
        "mse_loss_backward_broadcast",
        lambda g, a, b: losses.MseLossBackward.apply(g, a, b, "mean"),
        lambda: (t(), t(2, 3), t(3)),
        True,
    ),
    (
        "cross_entropy",
        lambda a: mg.nn.functional.cross_entropy(a, mg.tensor([0, 2])),
        lambda: (t(2, 3),),
        True,
    ),
    (
        "cross_entropy_weight_ignore_index",
        lambda a: mg.nn.functional.cross_entropy(
            a, mg.tensor([0, 2, 1]), weight=mg.tensor([1.0, 2.0, 0.5], dtype=mg.float64), ignore_index=1
        ),
        lambda: (t(3, 3),),
        True,
    ),
    (
        "cross_entropy_label_smoothing",
        lambda a: mg.nn.functional.cross_entropy(a, mg.tensor([0, 2]), label_smoothing=0.2),
        lambda: (t(2, 3),),
        True,
    ),
    (
        "cross_entropy_probabilities_3d",
        lambda a: mg.nn.functional.cross_entropy(a, PROBABILITIES_3D, reduction="sum"),
        lambda: (t(2, 3, 2),),
        True,
    ),
    (
        "cross_entropy_indices_3d",
        lambda a: mg.nn.functional.cross_entropy(a, mg.tensor([[0, 2], [1, 1]]), reduction="none"),
        lambda: (t(2, 3, 2),),
        True,
    ),
]


@pytest.mark.parametrize(("name", "fn", "make", "twice"), OPS, ids=[op[0] for op in OPS])
def test_gradcheck(name, fn, make, twice):
    assert gradcheck(fn, make())


TWICE = [op for op in OPS if op[3]]


@pytest.mark.parametrize(("name", "fn", "make", "twice"), TWICE, ids=[op[0] for op in TWICE])
def test_gradgradcheck(name, fn, make, twice):
    assert gradgradcheck(fn, make())


def test_gradcheck_catches_a_wrong_backward():
    class BadSquare(mg.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * x  # the factor 2 is missing

    with pytest.raises(
        mg.autograd.GradcheckError, match="Jacobian mismatch for output 0 with respect to input 0"
    ):
        gradcheck(BadSquare.apply, (t(3),))


def test_gradcheck_without_raise_returns_false():
    class Wrong(mg.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 3

        @staticmethod
        def backward(ctx, grad):
            return grad * 2

    assert gradcheck(Wrong.apply, (t(2),), raise_exception=False) is False


def test_gradcheck_warns_for_float32_inputs():
    x = mg.tensor([1.0, 2.0], requires_grad=True)
    with pytest.warns(UserWarning, match="not a double precision floating point"):
        gradcheck(lambda a: a * 2, (x,), eps=1e-3, atol=1e-2)


def test_gradcheck_needs_an_input_requiring_grad():
    with pytest.raises(ValueError, match="at least one input tensor to require gradient"):
        gradcheck(lambda a: a * 2, (mg.tensor([1.0], dtype=mg.float64),))


def test_dtype_conversion_passes_gradient_back_in_the_input_dtype():
    x = mg.tensor([1.0, 2.0], requires_grad=True)
    (x.double() * 3).sum().backward()
    assert x.grad.dtype is mg.float32 and x.grad.tolist() == [3.0, 3.0]
