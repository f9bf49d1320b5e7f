"""Local derivatives: the numbers the chain rule multiplies at each node.

For a node of an *elementwise* operation (``+``, ``*``, ``exp``, ``x**2``, ... or any op on scalars),
output element ``j`` depends on one element of each input, so the local derivative ``∂out_j/∂in`` is
one number per output element. We ask the node's own ``backward`` for it: run ``node.apply`` with a
gradient that is 1 at element ``j`` and 0 elsewhere; what it returns for input ``i`` is exactly
``∂out_j/∂in_i`` (broadcasting sums it into the one input element ``j`` came from). No formula is
re-implemented here, so the numbers shown are the ones the engine multiplies by.

For other nodes (``matmul``, ``sum``, custom Functions on tensors) the local derivative is a Jacobian;
the panels then show the vector–Jacobian product that ``backward`` computes instead.
"""

import numpy as np

from .._factories import tensor
from ..autograd import grad_mode

#: Nodes whose output element j depends only on element j of each (broadcast) input.
ELEMENTWISE = frozenset(
    "AddBackward0 SubBackward0 RsubBackward1 MulBackward0 DivBackward0 NegBackward0 ReciprocalBackward0 "
    "PowBackward0 PowBackward1 PowBackward2 ExpBackward0 LogBackward0 SinBackward0 CosBackward0 "
    "TanhBackward0 SigmoidBackward0 ReluBackward0 SqrtBackward0 AbsBackward0 SignBackward0 ClampBackward1 "
    "MaximumBackward0 MinimumBackward0 WhereBackward0 ToCopyBackward0 CloneBackward0 "
    "ThresholdBackwardBackward0 TanhBackwardBackward0 MseLossBackwardBackward0".split()
)

#: Above this many output elements we do not compute elementwise local derivatives.
MAX_ELEMENTS = 6


def is_elementwise(fn):
    """True when local derivatives are one number per output element: a known elementwise op, or
    any single-output node whose output and inputs are all single numbers (custom Functions too)."""
    if len(fn.output_meta) != 1:
        return False
    if fn.name() in ELEMENTWISE:
        return True
    sizes = [int(np.prod(shape)) for shape, _ in (*fn.output_meta, *fn.input_meta)]
    return all(s == 1 for s in sizes)


def local_derivatives(fn):
    """``{edge index: array of the output's shape}`` holding ∂out_j/∂input for every output element j,
    or None when the node is not elementwise, is too large, or its saved tensors were freed."""
    if not is_elementwise(fn):
        return None
    shape, dtype = fn.output_meta[0]
    size = int(np.prod(shape))
    if dtype is None or size > MAX_ELEMENTS:
        return None
    result = {}
    try:
        with grad_mode.no_grad(), np.errstate(all="ignore"):
            for j in range(size):
                onehot = np.zeros(size, dtype=dtype.numpy)
                onehot[j] = 1
                grads = fn.apply([tensor(onehot.reshape(shape), dtype=dtype)])
                for index, g in enumerate(grads):
                    if g is None:
                        continue
                    local = result.setdefault(index, np.zeros(shape, dtype=np.float64))
                    local.reshape(-1)[j] = float(np.sum(g.detach().numpy()))
    except RuntimeError:  # saved tensors freed, or a backward that cannot run twice
        return None
    return result
