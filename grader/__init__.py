"""Course tooling for graded exercises.

Learners only meet :class:`Task` (imported at the top of every exercise notebook): it prints
✓ with the points, or what is wrong and a hint.  Teachers use ``python -m grader`` (see
``docs/grading.md``); ``python -m grader.generate`` builds ``exercises/`` from ``solutions/``.

Importing this package is cheap and imports nothing from Jupyter, so check cells stay fast.
"""

from .checks import Task

__all__ = ["Task"]
