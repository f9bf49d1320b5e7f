"""Functional forms of the layers and losses."""

import numpy as np

from .. import _dtypes, _warnings
from .._factories import tensor
from ..ops.arithmetic import DivScalar, MulScalar
from ..ops.linalg import Addmm
from ..ops.losses import MseLoss, NllLoss, NllLoss2d


def linear(x, weight, bias=None):
    """y = x Wᵀ + b. Computed as PyTorch does (one fused ``Addmm`` node for a batch), so the graph
    shows the same nodes."""
    if bias is None:
        return x @ weight.t()
    ndim = x.ndim
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


def mse_loss(input, target, reduction="mean"):
    """Mean (or sum) of squared differences, as one ``MseLoss`` node."""
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if target.shape != input.shape:
        _warnings.warn(
            f"Using a target size ({target.shape!r}) that is different to the input size "
            f"({input.shape!r}). This will likely lead to incorrect results due to "
            "broadcasting. Please ensure they have the same size."
        )
    return MseLoss.apply(input, target, reduction)


def _legacy_reduction(size_average, reduce, reduction):
    """The old ``size_average``/``reduce`` flags, turned into a ``reduction`` as PyTorch does."""
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    new = "none" if not reduce else ("mean" if size_average else "sum")
    _warnings.warn(f"size_average and reduce args will be deprecated, please use reduction='{new}' instead.")
    return new


def _check_weight(weight, n_classes, prefix=""):
    if weight is not None and not (weight.ndim == 1 and weight.numel() == n_classes):
        raise RuntimeError(
            f"{prefix}weight tensor should be defined either for all {n_classes} classes or no classes "
            f"but got weight tensor of shape: {list(weight.shape)}"
        )


def _along_classes(weight, ndim, class_dim=1):
    """``weight`` (C,) viewed so that it broadcasts along the class dimension of an ndim input."""
    if ndim <= 1:
        return weight
    shape = [1] * ndim
    shape[class_dim] = weight.shape[0]
    return weight.view(shape)


def cross_entropy(
    input,
    target,
    weight=None,
    size_average=None,
    ignore_index=-100,
    reduce=None,
    reduction="mean",
    label_smoothing=0.0,
):
    """Softmax cross-entropy of logits ``input``: (C,), (N, C) or (N, C, d1, ...), the classes along
    dimension 1. ``target`` holds class indices (int64, shape (N,) or (N, d1, ...)): then it is
    ``nll_loss(log_softmax(input))``; or class probabilities (floating point, the input's shape).
    ``weight`` (C,) rescales each class, ``ignore_index`` marks targets that count for nothing, and
    ``label_smoothing`` ε mixes the target with the uniform distribution: (1 − ε)·target + ε/C.
    Each case is the composite of ops PyTorch records (so the graph is PyTorch's)."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    class_dim = 0 if input.ndim == 1 else 1
    if input.ndim == 0:  # (no class dimension: PyTorch's errors, which vary with the target)
        if target.shape == input.shape and not target.dtype.is_floating_point:
            raise RuntimeError(
                "Expected floating point type for target with class probabilities, "
                f"got {target.dtype.scalar_name}"
            )
        if target.shape == input.shape:
            raise IndexError("Dimension specified as 1 but tensor has no dimensions")
        raise IndexError("Dimension out of range (expected to be in range of [-1, 0], but got 1)")
    n_classes = input.shape[class_dim]
    if target.shape == input.shape:  # class probabilities
        if not target.dtype.is_floating_point:
            raise RuntimeError(
                "Expected floating point type for target with class probabilities, "
                f"got {target.dtype.scalar_name}"
            )
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        _check_weight(weight, n_classes, "cross_entropy: ")
        log_probs = input.log_softmax(class_dim)
        if label_smoothing > 0.0:
            _check_label_smoothing(label_smoothing)
            target = target * (1 - label_smoothing) + label_smoothing / n_classes
        products = log_probs * target
        if weight is not None:
            products = products * _along_classes(weight, input.ndim)
        if reduction == "mean":
            return DivScalar.apply(-products.sum(), input.numel() // n_classes)
        if reduction == "sum":
            return -products.sum()
        return -products.sum(class_dim)
    if label_smoothing > 0.0:
        _check_label_smoothing(label_smoothing)
        return _label_smoothed(input, target, weight, ignore_index, reduction, label_smoothing)
    log_probs = input.log_softmax(class_dim)
    return nll_loss(log_probs, target, weight, ignore_index=ignore_index, reduction=reduction)


def _check_label_smoothing(value):
    if value > 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {value}")


def _label_smoothed(input, target, weight, ignore_index, reduction, smoothing):
    """Cross-entropy against (1 − ε)·one-hot + ε/C: (1 − ε)·nll_loss + ε/C · Σ_classes −log_probs."""
    class_dim = 0 if input.ndim == 1 else 1
    n_classes = input.shape[class_dim]
    log_probs = input.log_softmax(class_dim)
    nll = nll_loss(log_probs, target, weight, ignore_index=ignore_index, reduction=reduction)
    if weight is not None:
        smooth = -(log_probs * _along_classes(weight, input.ndim, class_dim)).sum(class_dim)
    else:
        smooth = -log_probs.sum(class_dim)
    ignored = target == ignore_index
    smooth.masked_fill_(ignored, 0.0)
    if reduction == "mean":
        if weight is not None:
            kept = target.detach().numpy()[~ignored.detach().numpy()].reshape(-1)
            total = tensor(np.add.reduce(weight.detach().numpy()[kept]), dtype=weight.dtype)
        else:
            total = (~ignored).sum()
        smooth = smooth.sum() / total
    elif reduction == "sum":
        smooth = smooth.sum()
    # (numbers times tensors as PyTorch's C++ writes them: MulBackward1)
    return MulScalar.apply(nll, 1 - smoothing) + MulScalar.apply(smooth, smoothing / n_classes)


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    """−log_probs of the target classes, weighted (``weight``, one per class) and averaged over the
    samples whose target is not ``ignore_index``. ``input`` holds log-probabilities: (C,), (N, C) or
    (N, C, d1, ...); ``target`` class indices: (), (N,) or (N, d1, ...)."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if input.ndim < 1:  # (checked first, as in PyTorch)
        raise ValueError(f"Expected 1 or more dimensions (got {input.ndim})")
    if target.dtype is not _dtypes.int64:
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {target.dtype.scalar_name}")
    n_classes = input.shape[0 if input.ndim == 1 else 1]
    _check_weight(weight, n_classes)
    weights = None if weight is None else weight.detach().numpy().astype(input.dtype.numpy)
    if input.ndim <= 2:
        if target.ndim > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        batch = input.shape[0] if input.ndim > 1 else 1
        if target.numel() != batch:
            raise ValueError(
                f"Expected input batch_size ({batch}) to match target batch_size ({target.numel()})."
            )
    elif target.ndim == 0 or input.shape[0] != target.shape[0]:
        raise ValueError(
            f"Expected input batch_size ({input.shape[0]}) to match target batch_size "
            f"({target.shape[0] if target.ndim else 0})."
        )
    elif tuple(target.shape[1:]) != tuple(input.shape[2:]):
        raise RuntimeError(
            f"Expected target size {[input.shape[0], *input.shape[2:]]}, got {list(target.shape)}"
        )
    for value in target.reshape(-1).tolist():
        if value != ignore_index and not 0 <= value < n_classes:
            raise IndexError(f"Target {value} is out of bounds.")
    # the classes go in as numbers, not as a tensor: the target is not differentiable, so (as in
    # PyTorch) the node has no edge for it
    if input.ndim <= 2:
        return NllLoss.apply(input, target.detach().numpy(), weights, reduction, ignore_index)
    if input.ndim == 4:
        return NllLoss2d.apply(input, target.detach().numpy(), weights, reduction, ignore_index)
    # 3 or more than 4 dimensions: viewed as (N, C, 1, -1) images, as PyTorch does
    n, c = input.shape[0], input.shape[1]
    flat = NllLoss2d.apply(
        input.contiguous().view(n, c, 1, -1),
        target.detach().numpy().reshape(n, 1, -1),
        weights,
        reduction,
        ignore_index,
    )
    return flat.view(n, *input.shape[2:]) if reduction == "none" else flat
