"""How numbers and tensors are written in drawings and panels.

One rule everywhere: scalars with :data:`DIGITS` significant digits (``42``, ``0.3333``,
``1.234e+04``), small tensors elementwise (``[1, 2, 3]``), larger ones by their shape. The same
function formats a path sum and the engine's gradient, so "they agree to the last digit shown"
means their strings are equal.
"""

import numpy as np

from .i18n import text as tr

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
    a = np.asarray(a.detach().numpy() if hasattr(a, "detach") else a)
    if a.ndim == 0 or a.size == 1 and a.ndim == 0:
        return number(a.item(), digits)
    if a.size > max_elements:
        return tr("format.shape_only", shape=shape(a.shape))
    return _nested(a, digits)


def _nested(a, digits):
    if a.ndim == 0:
        return number(a.item(), digits)
    return "[" + ", ".join(_nested(row, digits) for row in a) + "]"


def is_scalar(a):
    """One element (any number of dimensions)."""
    return int(np.asarray(a.detach().numpy() if hasattr(a, "detach") else a).size) == 1


def agreeing(a, b, scale=None, rtol=1e-9, digits=DIGITS):
    """Texts for two results of the same computation summed in different orders (a sum over paths and
    the engine's gradient), written so that equal results *look* equal.

    Floating-point sums depend on their order, so the two may differ in the last bits: ``8`` and
    ``8.000001``, or ``0`` and ``-5.6e-17`` (``x - x`` summed two ways). When they agree within
    ``rtol`` (relative to ``scale``, the largest term), values below the rounding noise are written
    as 0 and both are written with the most significant digits (at most ``digits``) at which their
    texts are the same — every digit shown is then true of both. Otherwise both are written in full.
    """
    a64 = np.asarray(a, dtype=np.float64)
    b64 = np.asarray(b, dtype=np.float64)
    if a64.shape != b64.shape:
        return array(a, digits), array(b, digits)
    scale = float(np.max(np.abs(a64))) if scale is None else float(scale)
    tol = max(scale, float(np.max(np.abs(b64))) if b64.size else 0.0) * rtol
    if not np.all(np.abs(a64 - b64) <= tol):
        return array(a, digits), array(b, digits)
    a64 = np.where(np.abs(a64) <= tol, 0.0, a64)
    b64 = np.where(np.abs(b64) <= tol, 0.0, b64)
    for d in range(digits, 2, -1):
        ta, tb = array(a64, d), array(b64, d)
        if ta == tb:
            return ta, tb
    return array(a64, digits), array(b64, digits)
