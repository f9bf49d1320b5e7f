"""The grad-mode flags that every layer reads: is recording on, is inference mode on.

They are switched by :mod:`minigrad.autograd.grad_mode` (``no_grad``, ``inference_mode``, ...), but
read by the tensor itself (a tensor made in inference mode is an inference tensor), so they live
at the bottom, below the tensor, as PyTorch keeps its ``GradMode`` in c10, its lowest library.
The dict is changed in place, never replaced: modules keep a reference to it.
"""

grad_state = {"enabled": True, "inference": False}
