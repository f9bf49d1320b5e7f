"""Run a notebook to the end, whatever its cells do.

:func:`run_notebook` executes every code cell in a fresh sandboxed kernel and returns what
happened to each cell.  It survives what a hostile or broken notebook can throw at it:

* an exception: recorded, and the next cell runs (like "Run All" past ``raises-exception``);
* an endless loop: after the per-cell time limit the kernel is interrupted; if it does not
  come back, it is killed, and the notebook is **replayed in a new kernel without that cell**;
* a dying kernel (``os._exit``, a crash): the same — replay without the fatal cell;
* an output flood: each cell keeps at most ``max_output_chars`` of output, the rest is dropped;
* a per-notebook time limit bounds the whole thing, replays included.

The check records (see :mod:`grader.checks`) emitted by each cell are collected separately,
so a learner's ``clear_output()`` cannot erase them and the output cap cannot truncate them.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from . import sandbox as sb
from .checks import RECORD_MIME

MAX_RECORDS_PER_CELL = 500
MAX_RECORD_CHARS_PER_CELL = 5_000_000


@dataclass
class CellResult:
    """What happened to one code cell: ``status`` is ok, error, timeout, died, skipped or not run."""

    status: str = "not run"
    ename: str = ""
    evalue: str = ""
    records: list[dict] = field(default_factory=list)


@dataclass
class RunResult:
    """Per-cell results, and ``nb``: the executed copy of the last pass (with its outputs)."""

    cells: dict[int, CellResult]
    nb: nbformat.NotebookNode | None = None
    kernel_starts: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


@dataclass
class RunOptions:
    cell_timeout: float = 30.0
    notebook_timeout: float = 300.0
    max_output_chars: int = 100_000
    sandbox: str = "bwrap"  # or "none"
    limits: sb.Limits = field(default_factory=sb.Limits)
    records: bool = True  # ask check cells for machine-readable records
    max_replays: int = 4


class _CappedClient(NotebookClient):
    """An nbclient that caps each cell's output and collects check records on the side."""

    def __init__(self, *args, max_output_chars: int, records: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self._cap = max_output_chars
        self._used: dict[int, int] = {}
        self._records = records
        self._record_chars: dict[int, int] = {}

    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        data = content.get("data") or {}
        if msg.get("msg_type") == "display_data" and RECORD_MIME in data:
            bucket = self._records.setdefault(cell_index, [])
            text = data[RECORD_MIME]
            size = len(text) if isinstance(text, str) else 0
            budget = self._record_chars.get(cell_index, 0) + size
            self._record_chars[cell_index] = budget
            if 0 < size and budget <= MAX_RECORD_CHARS_PER_CELL and len(bucket) < MAX_RECORDS_PER_CELL:
                try:
                    record = json.loads(text)
                except Exception:  # invalid, or nested deeply enough to exhaust recursion
                    record = None
                if isinstance(record, dict):
                    bucket.append(record)
            return None
        size = len(json.dumps(content, default=str)) if content else 0
        used = self._used.get(cell_index, 0)
        self._used[cell_index] = used + size
        if used + size > self._cap:
            if used <= self._cap:
                note = nbformat.v4.new_output(
                    "stream", name="stderr", text="[grader: output limit reached; rest dropped]\n"
                )
                outs.append(note)
            return None
        return super().output(outs, msg, display_id, cell_index)


class _SandboxKernelManager(AsyncKernelManager):
    """Hands the connection file to ``nobody`` when the sandbox runs as that user."""

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        if self.kernel_spec.argv[:1] == ["setpriv"]:
            os.chown(self.connection_file, sb.NOBODY, sb.NOBODY)
        return await super()._async_launch_kernel(kernel_cmd, **kw)


def _kernel_manager(options: RunOptions, runtime: Path) -> AsyncKernelManager:
    # Unix-socket transport: the sandbox has no network, and nothing else can connect.
    km = _SandboxKernelManager(transport="ipc", ip=str(runtime / "k"))
    km.connection_file = str(runtime / "kernel.json")
    km._kernel_spec = KernelSpec(
        argv=sb.kernel_argv(options.sandbox, runtime, options.limits),
        display_name="grader sandbox",
        language="python",
        interrupt_mode="message",
    )
    return km


async def _kernel_responds(client: NotebookClient, timeout: float) -> bool:
    """After an interrupt: is the kernel free again (does a trivial request get a reply)?"""
    kc = client.kc
    try:
        msg_id = kc.execute("", store_history=False)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            reply = await kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            if reply.get("parent_header", {}).get("msg_id") == msg_id:
                return True
    except Exception:
        return False
    return False


async def _run_once(
    nb, options: RunOptions, skip: set[int], deadline: float, results: dict, env_extra: dict
) -> tuple[str, int | None]:
    """One pass over the notebook in one kernel.

    Returns ``("done", None)``, ``("replay", i)`` when cell ``i`` must be skipped in a new
    kernel, or ``("deadline", i)`` when the notebook ran out of time at cell ``i``.
    """
    records: dict[int, list] = {}
    with tempfile.TemporaryDirectory(prefix="grader-kernel-") as tmp:
        runtime = Path(tmp) / "rt"
        sb.prepare_runtime_dir(runtime)
        km = _kernel_manager(options, runtime)
        client = _CappedClient(
            nb,
            km=km,
            timeout=options.cell_timeout,
            startup_timeout=60,
            allow_errors=True,
            interrupt_on_timeout=False,
            record_timing=False,
            shutdown_kernel="immediate",
            max_output_chars=options.max_output_chars,
            records=records,
        )
        home = sb.WORK_DIR if options.sandbox != "none" else tmp
        env = sb.kernel_env(options.limits, home, env_extra)
        if options.sandbox == "none":
            env["PYTHONPATH"] = str(Path(sb.repo_packages()["grader"]).parent)
        log = os.environ.get("GRADER_KERNEL_LOG")  # for debugging the sandbox itself
        stderr = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115
        outcome: tuple[str, int | None] = ("done", None)
        try:
            async with client.async_setup_kernel(env=env, cwd=tmp, stdout=subprocess.DEVNULL, stderr=stderr):
                for index, cell in enumerate(nb.cells):
                    if cell.cell_type != "code" or index in skip:
                        continue
                    remaining = deadline - time.monotonic()
                    if remaining <= 1:
                        outcome = ("deadline", index)
                        break
                    client.timeout = max(1, int(min(options.cell_timeout, remaining)))
                    result = results.setdefault(index, CellResult())
                    try:
                        await client.async_execute_cell(cell, index)
                    except CellTimeoutError:
                        result.status, result.ename = "timeout", "Timeout"
                        result.evalue = f"still running after {client.timeout} s"
                        await km.interrupt_kernel()
                        if not await _kernel_responds(client, 5):
                            outcome = ("replay", index)
                            break
                        result.records = records.get(index, [])
                        continue
                    except DeadKernelError:
                        result.status, result.ename = "died", "DeadKernelError"
                        result.evalue = "the kernel died while running this cell"
                        outcome = ("replay", index)
                        break
                    result.records = records.get(index, [])
                    errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
                    if errors:
                        result.status = "error"
                        result.ename = str(errors[0].get("ename", ""))[:200]
                        result.evalue = str(errors[0].get("evalue", ""))[:500]
                    else:
                        result.status = "ok"
        except DeadKernelError:
            outcome = ("replay", None)
        except RuntimeError as exc:  # kernel failed to start
            raise RuntimeError(f"could not start a kernel: {exc}") from exc
        finally:
            try:
                await km.shutdown_kernel(now=True)
            except Exception:
                pass
    return outcome


def run_notebook(nb, options: RunOptions, env_extra: dict | None = None) -> RunResult:
    """Execute a copy of ``nb`` robustly; see the module docstring."""
    env_extra = dict(env_extra or {})
    if options.records:
        env_extra["MINIGRAD_GRADER_RECORDS"] = "1"
    start = time.monotonic()
    deadline = start + options.notebook_timeout
    skip: set[int] = set()
    kernel_starts = 0
    notes: list[str] = []
    results: dict[int, CellResult] = {}
    while True:
        work = nbformat.from_dict(nb)
        kept = {i: r for i, r in results.items() if i in skip}
        results.clear()
        results.update(kept)
        kernel_starts += 1
        outcome, index = asyncio.run(_run_once(work, options, skip, deadline, results, env_extra))
        if outcome == "done":
            break
        if outcome == "deadline":
            notes.append(f"notebook time limit ({options.notebook_timeout:g} s) reached")
            for i, cell in enumerate(nb.cells):
                if cell.cell_type == "code" and i >= index and i not in skip:
                    results[i] = CellResult("timeout", "Timeout", "notebook time limit reached")
            break
        if index is None or len(skip) >= options.max_replays:
            notes.append("the kernel kept dying; the remaining cells were not run")
            break
        skip.add(index)
        notes.append(f"cell {index} {results[index].status}; replayed the notebook without it")
    return RunResult(results, work, kernel_starts, time.monotonic() - start, notes)
