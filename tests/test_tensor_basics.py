"""Tensors: creation, dtypes, attributes, conversion, printing."""

import subprocess
import sys
import textwrap

import numpy as np
import pytest

import minigrad as mg


def test_python_floats_default_to_float32():
    assert mg.tensor([1.0, 2.0]).dtype is mg.float32


def test_python_ints_default_to_int64():
    assert mg.tensor([1, 2]).dtype is mg.int64


def test_python_bools_make_bool_tensors():
    assert mg.tensor([True, False]).dtype is mg.bool


def test_numpy_float64_array_keeps_float64():
    assert mg.tensor(np.array([1.0])).dtype is mg.float64


def test_explicit_dtype_wins():
    assert mg.tensor([1, 2], dtype=mg.float64).dtype is mg.float64


def test_tensor_copies_its_data():
    a = np.array([1.0, 2.0])
    t = mg.tensor(a)
    a[0] = 5
    assert t.tolist() == [1.0, 2.0]


def test_from_numpy_shares_memory():
    a = np.array([1.0, 2.0])
    t = mg.from_numpy(a)
    a[0] = 5
    assert t.tolist() == [5.0, 2.0]


def test_shape_size_ndim():
    t = mg.zeros(2, 3)
    assert t.shape == (2, 3) and t.size() == (2, 3) and t.size(1) == 3 and t.ndim == 2
    assert repr(t.shape) == "minigrad.Size([2, 3])"


def test_size_with_bad_dim_raises_index_error():
    with pytest.raises(IndexError, match="Dimension out of range"):
        mg.zeros(2, 3).size(2)


def test_factories_shapes_and_values():
    assert mg.ones(2).tolist() == [1.0, 1.0]
    assert mg.full((2,), 7.0).tolist() == [7.0, 7.0]
    assert mg.arange(4).tolist() == [0, 1, 2, 3] and mg.arange(4).dtype is mg.int64
    assert mg.arange(0, 1, 0.5).dtype is mg.float32
    assert mg.linspace(0, 1, 3).tolist() == [0.0, 0.5, 1.0]
    assert mg.eye(2).tolist() == [[1.0, 0.0], [0.0, 1.0]]
    assert mg.zeros_like(mg.ones(2, dtype=mg.float64)).dtype is mg.float64


def test_manual_seed_repeats_random_numbers():
    mg.manual_seed(3)
    a = mg.randn(4)
    mg.manual_seed(3)
    assert a.tolist() == mg.randn(4).tolist()


def test_rand_is_in_unit_interval():
    x = mg.rand(1000)
    assert (x >= 0).all() and (x < 1).all()


def test_item_of_single_element():
    assert mg.tensor([3.5]).item() == 3.5


def test_item_of_many_elements_raises():
    with pytest.raises(RuntimeError, match="a Tensor with 2 elements cannot be converted to Scalar"):
        mg.tensor([1.0, 2.0]).item()


def test_numpy_refused_while_requiring_grad():
    with pytest.raises(RuntimeError, match="Can't call numpy\\(\\) on Tensor that requires grad"):
        mg.tensor([1.0], requires_grad=True).numpy()


def test_numpy_after_detach_shares_memory():
    x = mg.tensor([1.0, 2.0], requires_grad=True)
    x.detach().numpy()[0] = 9
    assert x.tolist() == [9.0, 2.0]


def test_bool_of_multi_element_tensor_is_ambiguous():
    with pytest.raises(RuntimeError, match="ambiguous"):
        bool(mg.tensor([1.0, 2.0]))


def test_equality_is_elementwise_and_hash_is_identity():
    a, b = mg.tensor([1.0, 2.0]), mg.tensor([1.0, 3.0])
    assert (a == b).tolist() == [True, False]
    assert len({a, b}) == 2


def test_data_shares_storage_but_not_the_graph():
    x = mg.tensor([1.0], requires_grad=True)
    d = x.data
    assert not d.requires_grad and d.is_leaf
    d[0] = 5.0
    assert x.item() == 5.0


def test_data_assignment_replaces_values():
    x = mg.tensor([1.0], requires_grad=True)
    x.data = mg.tensor([4.0])
    assert x.item() == 4.0 and x.requires_grad


def test_clone_copies_storage():
    x = mg.tensor([1.0])
    y = x.clone()
    y[0] = 3.0
    assert x.item() == 1.0


def test_to_converts_dtype():
    assert mg.tensor([1.5]).to(mg.float64).dtype is mg.float64
    assert mg.tensor([1.5]).double().dtype is mg.float64
    assert mg.tensor([1.5]).long().tolist() == [1]


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: mg.tensor([4.0]), "tensor([4.])"),
        (lambda: mg.tensor([2.0], requires_grad=True), "tensor([2.], requires_grad=True)"),
        (lambda: mg.tensor([0.2, 0.4]), "tensor([0.2000, 0.4000])"),
        (lambda: mg.tensor(3.0), "tensor(3.)"),
        (lambda: mg.tensor([1, 2, 3]), "tensor([1, 2, 3])"),
        (lambda: mg.tensor([True, False]), "tensor([ True, False])"),
        (lambda: mg.tensor([1.0, 2.0], dtype=mg.float64), "tensor([1., 2.], dtype=minigrad.float64)"),
        (lambda: mg.tensor([1e-5, 1.0]), "tensor([1.0000e-05, 1.0000e+00])"),
        (lambda: mg.tensor([-1.5, 2.25]), "tensor([-1.5000,  2.2500])"),
        (lambda: mg.tensor([[1.0, 2.0], [3.0, 4.0]]), "tensor([[1., 2.],\n        [3., 4.]])"),
        (lambda: mg.tensor([float("nan"), float("inf"), 1.0]), "tensor([nan, inf, 1.])"),
    ],
)
def test_repr_matches_pytorch(make, expected):
    assert repr(make()) == expected


def test_repr_shows_grad_fn():
    x = mg.tensor(6.0, requires_grad=True)
    assert repr(x**2 + 6) == "tensor(42., grad_fn=<AddBackward0>)"


def test_repr_summarises_large_tensors():
    assert repr(mg.arange(2000)) == "tensor([   0,    1,    2,  ..., 1997, 1998, 1999])"


def test_functional_forms_match_methods():
    x = mg.tensor([0.5, -1.0])
    assert mg.exp(x).tolist() == x.exp().tolist()
    assert mg.relu(x).tolist() == [0.5, 0.0]


def test_dtypes_minigrad_does_not_have_are_a_clear_error():
    for method in ("int", "half"):
        with pytest.raises(TypeError, match="its dtypes are float32 .*, float64, int64 and bool"):
            getattr(mg.ones(2), method)()


T_WARNINGS = textwrap.dedent("""
    import warnings
    import minigrad
    warnings.simplefilter("always")
    x, v, cube = minigrad.tensor(1.5), minigrad.ones(2), minigrad.ones(2, 3, 4)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(2):
            x.T, x.mT, v.T, cube.T, minigrad.ones(2, 2).T
    for w in caught:
        print(w.category.__name__, w.filename.endswith("<string>"), w.message)
""")


def test_T_of_a_tensor_that_is_not_a_matrix_warns_once_per_process_as_pytorch():
    """PyTorch 2.13 (checked by hand: its C++ warnings are given once per process, so a golden case
    recorded among others could not show them): `.T` of a 0-dim tensor, `.mT` of one, `.T` of a
    tensor of 1 or 3+ dimensions warn, each once, pointing at the line that used them."""
    out = subprocess.run([sys.executable, "-c", T_WARNINGS], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == [
        "UserWarning True Tensor.T is deprecated on 0-D tensors. This function is the identity in these cases.",
        "UserWarning True Tensor.mT is deprecated on 0-D tensors. This function is the identity in these cases.",
        "UserWarning True The use of `x.T` on tensors of dimension other than 2 to reverse their shape is "
        "deprecated and it will throw an error in a future release. Consider `x.mT` to transpose batches of "
        "matrices or `x.permute(*minigrad.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a tensor.",
    ]
