"""Printing tensors exactly as PyTorch prints them: ``tensor([0.2000, 0.4000], requires_grad=True)``.

The rules follow PyTorch's ``_tensor_str``: 4 digits after the point; floats that are all whole
numbers print as ``4.``; scientific notation when the magnitudes span more than 1000× or go above 1e8
or (for non-whole numbers) below 1e-4; every element padded to the widest; lines wrapped at 80
characters; more than 1000 elements summarised with ``...`` keeping 3 at each edge.
"""

import math

import numpy as np

PRECISION = 4
THRESHOLD = 1000
EDGEITEMS = 3
LINEWIDTH = 80


class _Formatter:
    """Chooses one number format for a whole tensor, so that its columns line up."""

    def __init__(self, values, is_float):
        self.is_float = is_float
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1
        flat = values.reshape(-1)
        if not is_float:
            for v in flat.tolist():
                self.max_width = max(self.max_width, len(str(v)))
            return
        finite = flat[np.isfinite(flat) & (flat != 0)].astype(np.float64)
        if finite.size == 0:
            return
        absvals = np.abs(finite)
        vmin, vmax = absvals.min(), absvals.max()
        self.int_mode = bool(np.all(finite == np.ceil(finite)))
        if self.int_mode:
            if vmax / vmin > 1000.0 or vmax > 1.0e8:
                self.sci_mode = True
                widths = [len(f"{v:.{PRECISION}e}") for v in finite.tolist()]
            else:
                widths = [len(f"{v:.0f}") + 1 for v in finite.tolist()]
        else:
            if vmax / vmin > 1000.0 or vmax > 1.0e8 or vmin < 1.0e-4:
                self.sci_mode = True
                widths = [len(f"{v:.{PRECISION}e}") for v in finite.tolist()]
            else:
                widths = [len(f"{v:.{PRECISION}f}") for v in finite.tolist()]
        self.max_width = max([self.max_width, *widths])

    def format(self, value):
        if self.is_float:
            value = float(value)
            if self.sci_mode:
                text = f"{value:{self.max_width}.{PRECISION}e}"
            elif self.int_mode:
                text = f"{value:.0f}"
                if not (math.isinf(value) or math.isnan(value)):
                    text += "."
            else:
                text = f"{value:.{PRECISION}f}"
        else:
            text = str(value)
        return " " * (self.max_width - len(text)) + text


def _summarized(values):
    """The part of a big array that gets printed: EDGEITEMS at each end of every dimension."""
    if values.ndim == 0:
        return values
    if values.shape[0] > 2 * EDGEITEMS:
        values = np.concatenate([values[:EDGEITEMS], values[-EDGEITEMS:]])
    return np.stack([_summarized(v) for v in values]) if values.ndim > 1 else values


def _vector_str(values, indent, summarize, fmt):
    element_length = fmt.max_width + 2
    per_line = max(1, int(math.floor((LINEWIDTH - indent) / element_length)))
    if summarize and values.shape[0] > 2 * EDGEITEMS:
        data = (
            [fmt.format(v) for v in values[:EDGEITEMS].tolist()]
            + [" ..."]
            + [fmt.format(v) for v in values[-EDGEITEMS:].tolist()]
        )
    else:
        data = [fmt.format(v) for v in values.tolist()]
    lines = [", ".join(data[i : i + per_line]) for i in range(0, len(data), per_line)]
    return "[" + ("," + "\n" + " " * (indent + 1)).join(lines) + "]"


def _tensor_str(values, indent, summarize, fmt):
    if values.ndim == 0:
        return fmt.format(values.item())
    if values.ndim == 1:
        return _vector_str(values, indent, summarize, fmt)
    n = values.shape[0]
    if summarize and n > 2 * EDGEITEMS:
        rows = (
            [_tensor_str(values[i], indent + 1, summarize, fmt) for i in range(EDGEITEMS)]
            + ["..."]
            + [_tensor_str(values[i], indent + 1, summarize, fmt) for i in range(n - EDGEITEMS, n)]
        )
    else:
        rows = [_tensor_str(values[i], indent + 1, summarize, fmt) for i in range(n)]
    return "[" + ("," + "\n" * (values.ndim - 1) + " " * (indent + 1)).join(rows) + "]"


def _add_suffixes(text, suffixes, indent):
    """``text`` with ``, dtype=...``, ``, grad_fn=...`` added, each on a new line where it would not
    fit. Their lengths count as PyTorch's own would (``torch.float64``, not ``minigrad.float64``), so
    that the lines break where PyTorch breaks them: only the names differ."""
    parts = [text]
    last_line_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        length = len(suffix.replace("minigrad.", "torch."))
        if last_line_len + length + 2 > LINEWIDTH:
            parts.append(",\n" + " " * indent + suffix)
            last_line_len = indent + length
        else:
            parts.append(", " + suffix)
            last_line_len += length + 2
    parts.append(")")
    return "".join(parts)


def format_values(values, dtype, indent):
    """The bracketed numbers of a tensor, without ``tensor(`` and suffixes."""
    if values.size == 0:
        return "[]"
    summarize = values.size > THRESHOLD
    fmt = _Formatter(_summarized(values) if summarize else values, dtype.is_floating_point)
    return _tensor_str(values, indent, summarize, fmt)


def tensor_repr(t, prefix="tensor("):
    from . import _dtypes

    indent = len(prefix)
    values = t._data
    suffixes = []
    body = format_values(values, t.dtype, indent)
    if values.size == 0 and values.shape != (0,):
        suffixes.append("size=" + str(tuple(values.shape)))
    default = {True: _dtypes.float32, False: _dtypes.int64}[t.dtype.is_floating_point]
    if values.size == 0:
        if t.dtype is not _dtypes.float32:
            suffixes.append(f"dtype={t.dtype!r}")
    elif t.dtype is not default and t.dtype is not _dtypes.bool:
        suffixes.append(f"dtype={t.dtype!r}")
    if t.grad_fn is not None:
        suffixes.append(f"grad_fn=<{type(t.grad_fn).__name__}>")
    elif t.requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(prefix + body, suffixes, indent)
