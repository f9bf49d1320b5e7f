"""How numbers and tensors are written in drawings and panels.

One rule everywhere: scalars with :data:`DIGITS` significant digits (``42``, ``0.3333``,
``1.234e+04``), small tensors elementwise (``[1, 2, 3]``), larger ones by their shape. The same
function formats a path sum and the engine's gradient, so "they agree to the last digit shown"
means their strings are equal.
"""

import numpy as np

DIGITS = 6  # significant digits in panels (arithmetic, sums)
GRAPH_DIGITS = 4  # significant digits on graph labels (short)
MAX_ELEMENTS = 6  # tensors with more elements are shown by shape only


def number(x, digits=DIGITS):
    """``42.0`` → ``'42'``, ``1/3`` → ``'0.333333'``, ``-0.0`` → ``'0'``, ``True`` → ``'True'``."""
    if isinstance(x, bool | np.bool_):
        return str(bool(x))
    x = float(x)
    if x == 0:
        return "0"
    if np.isnan(x):
        return "nan"
    if np.isinf(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:.{digits}g}"


def shape(s):
    """``(2, 3)`` → ``'(2, 3)'``; ``()`` → ``'()'``, ``(3,)`` → ``'(3,)'``."""
    return str(tuple(int(d) for d in s))


def array(a, digits=DIGITS, max_elements=MAX_ELEMENTS):
    """A numpy array (or Tensor) as text: a number, a nested list, or ``tensor of shape (4, 5)``."""
    a = np.asarray(getattr(a, "_data", a))
    if a.ndim == 0 or a.size == 1 and a.ndim == 0:
        return number(a.item(), digits)
    if a.size > max_elements:
        return f"⟨shape {shape(a.shape)}⟩"
    return _nested(a, digits)


def _nested(a, digits):
    if a.ndim == 0:
        return number(a.item(), digits)
    return "[" + ", ".join(_nested(row, digits) for row in a) + "]"


def is_scalar(a):
    """One element (any number of dimensions)."""
    return int(np.asarray(getattr(a, "_data", a)).size) == 1
