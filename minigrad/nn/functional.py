"""Functional forms of the layers and losses."""

import warnings

from ..ops.linalg import Addmm
from ..ops.losses import MseLoss


def linear(x, weight, bias=None):
    """y = x Wᵀ + b. Computed as PyTorch does (one fused ``Addmm`` node for a batch), so the graph
    shows the same nodes."""
    if bias is None:
        return x @ weight.t()
    ndim = x._data.ndim
    if ndim == 2:
        return Addmm.apply(bias, x, weight.t())
    if ndim == 1:
        return Addmm.apply(bias, x.unsqueeze(0), weight.t()).view(weight.shape[0])
    return x @ weight.t() + bias


def relu(x):
    return x.relu()


def tanh(x):
    return x.tanh()


def sigmoid(x):
    return x.sigmoid()


def softmax(x, dim):
    return x.softmax(dim)


def log_softmax(x, dim):
    return x.log_softmax(dim)


def _reduce(values, reduction):
    if reduction == "mean":
        return values.mean()
    if reduction == "sum":
        return values.sum()
    if reduction == "none":
        return values
    raise ValueError(f"{reduction} is not a valid value for reduction")


def mse_loss(input, target, reduction="mean"):
    """Mean (or sum) of squared differences, as one ``MseLoss`` node."""
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if target._data.shape != input._data.shape:
        warnings.warn(
            f"Using a target size ({target.shape!r}) that is different to the input size "
            f"({input.shape!r}). This will likely lead to incorrect results due to "
            "broadcasting. Please ensure they have the same size.",
            UserWarning,
            stacklevel=2,
        )
    return MseLoss.apply(input, target, reduction)


def cross_entropy(input, target, reduction="mean"):
    from .. import arange

    log_probs = input.log_softmax(dim=-1)
    picked = log_probs[arange(input.shape[0]), target]
    return _reduce(-picked, reduction)
