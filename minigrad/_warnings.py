"""Warnings that point at your line.

PyTorch's warnings name the line of your code that caused them, however deep inside the library
they are raised. ``warn`` does the same for minigrad: it walks up the call stack to the first
frame outside the minigrad package and gives Python the ``stacklevel`` of that frame."""

import os
import sys
import warnings

NON_LEAF_GRAD = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute "
    "won't be populated during autograd.backward(). If you indeed want the .grad field to be populated "
    "for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf "
    "Tensor by mistake, make sure you access the leaf Tensor instead. See "
    "github.com/pytorch/pytorch/pull/30531 for more information."
)


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def warn(message, category=UserWarning):
    """``warnings.warn(message, category)``, pointing at the first line outside minigrad."""
    frame, level = sys._getframe(1), 2  # (the caller of warn: stacklevel 2)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGE_DIR):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)
