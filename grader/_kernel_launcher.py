"""Start an IPython kernel under resource limits (run by the grader, inside the sandbox).

``GRADER_LIMITS="memory_mb,file_mb,cpu_s"`` sets RLIMIT_AS (a memory bomb raises MemoryError
instead of exhausting the machine), RLIMIT_FSIZE (no giant files) and RLIMIT_CPU.
Then it is exactly ``python -m ipykernel_launcher``.
"""

import os
import resource
import sys


def _apply_limits() -> None:
    spec = os.environ.get("GRADER_LIMITS")
    if not spec:
        return
    memory_mb, file_mb, cpu_s = (int(v) for v in spec.split(","))
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 2**20, memory_mb * 2**20))
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_mb * 2**20, file_mb * 2**20))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


if __name__ == "__main__":
    _apply_limits()
    if os.environ.get("GRADER_SANDBOXED") == "1":
        # In its own PID namespace the kernel's parent is the namespace's init (pid 1), which
        # ipykernel would take for "my parent died". bwrap --die-with-parent covers that job.
        os.environ.pop("JPY_PARENT_PID", None)
    from ipykernel import kernelapp

    sys.argv[0] = "ipykernel_launcher"
    kernelapp.launch_new_instance()
