"""Where a submission's code runs: a kernel in a throwaway sandbox.

With bubblewrap (``bwrap``, Debian package ``bubblewrap``) the kernel runs in new user, mount,
PID, network, IPC and UTS namespaces, and sees only:

* ``/usr``, ``/etc`` and the Python environment, read-only;
* the course's ``minigrad`` and ``grader`` packages, read-only, at ``/opt/course``;
* an empty, size-limited, private ``/home/learner`` (its working and home folder) and ``/tmp``;
* one private folder holding its connection file and IPC sockets (no network at all: the
  grader talks to it over Unix sockets).

So it cannot read or write the solutions, other submissions, the grader's output files, or
anything else of the host's; everything it writes vanishes with it.  Inside, the kernel is
uid 65534 with no capabilities.  As root, bwrap itself is started as ``nobody`` when ``nobody``
can reach the Python installation; otherwise (e.g. a pyenv Python under ``/root``) bwrap runs
as root and maps the kernel to uid 65534 in the new user namespace.  Resource limits (address
space, file size, CPU time) are set by :mod:`grader._kernel_launcher` before the kernel starts.

Without bwrap (``--sandbox none``, e.g. on macOS) the kernel runs as an ordinary process with
the same resource limits, a temporary working folder, and *no* file-system isolation.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import grader

#: Where the course packages appear inside the sandbox.
COURSE_DIR = "/opt/course"
#: The kernel's private, size-limited working and home folder inside the sandbox.
WORK_DIR = "/home/learner"
NOBODY = 65534


@dataclass
class Limits:
    """Resource limits for one kernel."""

    memory_mb: int = 2048  # address space: a memory bomb gets MemoryError, not the machine
    file_mb: int = 64  # largest file it may write (and size of its /work)
    cpu_s: int = 600  # CPU seconds for the kernel's whole life


def repo_packages() -> dict[str, Path]:
    """The source folders of the packages a kernel needs: minigrad and grader."""
    import minigrad

    return {
        "minigrad": Path(minigrad.__file__).resolve().parent,
        "grader": Path(grader.__file__).resolve().parent,
    }


@cache
def bwrap_works() -> bool:
    """True when bubblewrap is installed and can create namespaces here."""
    exe = shutil.which("bwrap")
    if not exe:
        return False
    return _probe([exe, "--unshare-all", "--ro-bind", "/", "/", "true"])


def _probe(cmd: list[str]) -> bool:
    try:
        return subprocess.run(cmd, capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@cache
def _drop_privileges() -> tuple[str, ...]:
    """As root, start the sandbox as ``nobody`` so that even an escape holds no privileges.

    That works only when ``nobody`` can reach the Python installation (not the case for a
    pyenv Python under ``/root``); otherwise bwrap runs as root and maps the sandboxed user to
    uid 65534 in a new user namespace with every capability dropped.
    """
    if os.geteuid() != 0 or not shutil.which("setpriv") or not shutil.which("bwrap"):
        return ()
    prefix = (
        "setpriv",
        f"--reuid={NOBODY}",
        f"--regid={NOBODY}",
        "--clear-groups",
        "--inh-caps=-all",
    )
    binds = [a for root in _python_roots() for a in ("--ro-bind", root, root)]
    for path in repo_packages().values():
        binds += ["--ro-bind", str(path), str(path)]
    probe = [*prefix, shutil.which("bwrap"), "--unshare-all", "--ro-bind", "/usr", "/usr"]
    probe += ["--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64"]
    probe += [*binds, "--", sys.executable, "-c", "import encodings"]
    return prefix if _probe(probe) else ()


def _python_roots() -> list[str]:
    """Folders the Python interpreter and the virtual environment live in."""
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    real = {str(Path(r).resolve()) for r in roots}
    return sorted(r for r in roots | real if not r.startswith("/usr"))


def kernel_env(limits: Limits, home: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """A minimal environment: nothing of the grader's own environment leaks in."""
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "IPYTHONDIR": f"{home}/.ipython",
        "MPLCONFIGDIR": f"{home}/.matplotlib",
        "MPLBACKEND": "agg",
        "LANG": "C.UTF-8",
        "PYTHONHASHSEED": "0",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "GRADER_LIMITS": f"{limits.memory_mb},{limits.file_mb},{limits.cpu_s}",
    }
    env.update(extra or {})
    return env


def kernel_argv(mode: str, runtime_dir: Path, limits: Limits) -> list[str]:
    """The command line that starts a kernel (``{connection_file}`` is filled in by Jupyter)."""
    launch = [sys.executable, "-m", "grader._kernel_launcher", "-f", "{connection_file}"]
    if mode == "none":
        return launch
    packages = repo_packages()
    drop = _drop_privileges()
    argv = [*drop, shutil.which("bwrap") or "bwrap"]
    argv += ["--unshare-all", "--die-with-parent", "--cap-drop", "ALL"]
    argv += ["--unshare-user", "--uid", str(NOBODY), "--gid", str(NOBODY), "--disable-userns"]
    size = str(limits.file_mb * 1024 * 1024)
    argv += ["--size", size, "--perms", "0777", "--tmpfs", "/tmp"]
    argv += ["--size", size, "--perms", "0777", "--tmpfs", WORK_DIR]
    argv += ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        target = Path("/") / name
        if target.is_symlink():
            argv += ["--symlink", os.readlink(target), str(target)]
        elif target.is_dir():
            argv += ["--ro-bind", str(target), str(target)]
    argv += ["--ro-bind", "/etc", "/etc"]
    for root in _python_roots():
        argv += ["--ro-bind", root, root]
    for name, path in packages.items():
        argv += ["--ro-bind", str(path), f"{COURSE_DIR}/{name}"]
    argv += ["--proc", "/proc", "--dev", "/dev"]
    argv += ["--bind", str(runtime_dir), str(runtime_dir), "--chdir", WORK_DIR]
    argv += ["--setenv", "PYTHONPATH", COURSE_DIR, "--setenv", "GRADER_SANDBOXED", "1"]
    return argv + ["--", *launch]


def prepare_runtime_dir(path: Path) -> None:
    """The folder shared with the sandbox: connection file and IPC sockets only."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.geteuid() == 0 and _drop_privileges():
        os.chown(path, NOBODY, NOBODY)
        path.parent.chmod(0o711)  # nobody may pass through, not list
