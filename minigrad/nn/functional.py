"""Functional forms of the layers and losses."""

import warnings

from .. import _dtypes
from ..ops.linalg import Addmm
from ..ops.losses import MseLoss, NllLoss


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


def softmax(x, dim, dtype=None):
    return x.softmax(dim, dtype=dtype)


def log_softmax(x, dim, dtype=None):
    return x.log_softmax(dim, dtype=dtype)


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
    """Softmax cross-entropy of logits ``input`` (N, C) or (C,): against class indices (``target``
    of shape (N,) or (), int64) as ``nll_loss(log_softmax(input))``, or against class
    probabilities (``target`` of the input's shape, floating point)."""
    log_probs = input.log_softmax(dim=-1)
    if target.dtype.is_floating_point and target.shape == input.shape:
        return _reduce(-(target * log_probs).sum(-1), reduction)
    return nll_loss(log_probs, target, reduction=reduction)


def nll_loss(input, target, reduction="mean"):
    """−log_probs of the target classes: ``input`` holds log-probabilities (N, C) or (C,)."""
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if target.dtype is not _dtypes.int64:
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {target.dtype.scalar_name}")
    if target.ndim > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    batch = input.shape[0] if input.ndim > 1 else 1
    if target.numel() != batch:
        raise ValueError(
            f"Expected input batch_size ({batch}) to match target batch_size ({target.numel()})."
        )
    n_classes = input.shape[-1]
    for value in target.reshape(-1).tolist():
        if not 0 <= value < n_classes:
            raise IndexError(f"Target {value} is out of bounds.")
    # the classes go in as numbers, not as a tensor: the target is not differentiable, so (as in
    # PyTorch) the node has no edge for it
    return NllLoss.apply(input, target._data, reduction)
