"""Run every benchmark cell in its own process, then print the side-by-side table.

    python bench/driver.py [--torch-python PATH] [--quick] [--full] [--libs ...] [--workloads ...]

Each (library, workload) cell runs `bench/worker.py` in a fresh subprocess: minigrad, numpy and
micrograd with this interpreter (minigrad imported from the repository via PYTHONPATH), PyTorch
with the interpreter given by --torch-python / $BENCH_TORCH_PYTHON, if any. A fresh process per
cell makes each peak RSS that cell's own. Results go to bench/results.json and bench/results.md;
the markdown is also printed, ready to paste into the README.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
LIBS = ("minigrad", "torch", "numpy", "micrograd")
LIB_TITLES = {
    "minigrad": "minigrad",
    "torch": "PyTorch",
    "numpy": "numpy by hand",
    "micrograd": "micrograd",
}
CHAIN_LINKS = (10_000, 100_000, 1_000_000)
CONST_CHAIN_LINKS = (10_000, 100_000)  # (f): the chain with Python-number constants
CHAINS = ("chain", "chain_const")
WORKLOADS = ("moons", "chain", "mlp", "train", "moons_loop", "chain_const", "mlp_loop")
THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
TARGETS = {"moons": 1.0, "chain": 1.0, "mlp": 1.5, "moons_loop": 1.0, "chain_const": 1.0, "mlp_loop": 1.1}
LINEAR_TOLERANCE = 1.3  # t(1e6) / t(1e4) / 100 up to this counts as linear
CHAIN_BIG_LIMIT_S = 600  # skip the largest chain (unless --full) if it would take longer
FLAT_TOLERANCE = 2 * 2**20  # RSS growth from step 1,000 to step 10,000 up to this counts as flat
TORCH_HOWTO = (
    "PyTorch is not installed: the PyTorch column is left out.\n"
    "  To add it, make a separate venv with the CPU-only wheel (plain `pip install torch` pulls\n"
    "  several GB of CUDA packages on Linux) and point the benchmarks at it:\n"
    "    python3 -m venv .venv-bench\n"
    "    .venv-bench/bin/pip install numpy torch --index-url https://download.pytorch.org/whl/cpu\n"
    "    make bench            # picks up .venv-bench by itself\n"
    "  or use any python that has torch: BENCH_TORCH_PYTHON=/path/to/python make bench"
)


# ----------------------------------------------------------------------------- running cells


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def run_cell(python: str, lib: str, workload: str, extra: list[str], timeout: float) -> dict:
    env = dict(os.environ)
    for var in THREAD_VARS:
        env[var] = "1"
    env["PYTHONHASHSEED"] = "0"
    if lib == "minigrad":
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
        out = Path(tmp.name)
    cmd = [python, str(BENCH / "worker.py"), lib, workload, *extra, "--out", str(out)]
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, env=env, cwd=BENCH, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        out.unlink(missing_ok=True)
        return {"lib": lib, "workload": workload, "error": f"timeout after {timeout:.0f} s"}
    wall = time.perf_counter() - t0
    try:
        if proc.returncode != 0:
            lines = [ln for ln in proc.stderr.strip().splitlines() if ln.strip()]
            if proc.returncode < 0:
                why = f"crashed (signal {-proc.returncode})"
            else:
                why = lines[-1] if lines else f"exit status {proc.returncode}"
            return {
                "lib": lib,
                "workload": workload,
                "error": why,
                "stderr_tail": lines[-15:],
                "wall_s": wall,
            }
        result = json.loads(out.read_text())
        result["wall_s"] = wall
        return result
    finally:
        out.unlink(missing_ok=True)


def _time_of(cell: dict) -> float | None:
    """The time a cell is judged by: its median step, or its backward per link."""
    return cell.get("median_s") if cell.get("workload") not in CHAINS else cell.get("backward_us_per_link")


def median_of_rounds(cells: list[dict]) -> list[dict]:
    """Merge the rounds of each (library, workload, links) into one cell: the round whose time is
    the median of the rounds (an odd count gives a real process; an even one the slower middle),
    with every round's time kept in ``round_times``. Failed rounds count as the slowest."""
    groups: dict[tuple, list[dict]] = {}
    for c in cells:
        groups.setdefault((c.get("lib"), c.get("workload"), c.get("links")), []).append(c)
    merged = []
    for group in groups.values():
        if len(group) == 1:
            merged.append(group[0])
            continue
        ordered = sorted(group, key=lambda c: (_time_of(c) is None, _time_of(c) or 0.0))
        chosen = dict(ordered[len(ordered) // 2])
        chosen["round_times"] = [_time_of(c) for c in group]
        merged.append(chosen)
    return merged


def round_notes(cells: list[dict]) -> list[str]:
    """One line per workload that ran in rounds: each library's time in every round."""
    titles = {
        "moons": "(a) two moons",
        "mlp": "(c) MLP",
        "chain": "(b) chain",
        "moons_loop": "(e) two moons by hand",
        "chain_const": "(f) chain with constants",
        "mlp_loop": "(g) MLP by hand",
    }
    lines = []
    for workload in titles:
        parts = []
        links = None
        for c in cells:
            if c.get("workload") == workload and c.get("round_times"):
                links = c.get("links")
                unit = 1e6 if workload not in CHAINS else 1.0  # (the chains' times are µs per link)
                times = ", ".join("failed" if t is None else f"{t * unit:,.1f}" for t in c["round_times"])
                parts.append(f"{LIB_TITLES[c['lib']]} {times}")
        if parts:
            what = titles[workload] + (f", {links:,} links, backward per link" if links else ", one step")
            lines.append(f"{what}, in µs, round by round: " + "; ".join(parts) + ".")
    return lines


def importable(python: str, module: str, pythonpath: str | None = None) -> tuple[bool, str]:
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    try:
        proc = subprocess.run(
            [python, "-c", f"import {module}"],
            env=env,
            cwd=BENCH,
            capture_output=True,
            text=True,
            timeout=120,
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        return False, str(e)
    lines = proc.stderr.strip().splitlines()
    return proc.returncode == 0, (lines[-1] if lines else "")


# ----------------------------------------------------------------------------- formatting


def fmt_time(s: float | None) -> str:
    if s is None:
        return "—"
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.2f} ms"
    return f"{s * 1e6:.1f} µs"


def fmt_us(us: float | None) -> str:
    return "—" if us is None else (f"{us:.2f} µs" if us < 10 else f"{us:.1f} µs")


def fmt_bytes(b: float | None) -> str:
    if b is None:
        return "—"
    sign = "-" if b < 0 else ""
    b = abs(b)
    for unit, size in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if b >= size:
            return f"{sign}{b / size:.2f} {unit}" if unit == "GB" else f"{sign}{b / size:.1f} {unit}"
    return f"{sign}{b:.0f} B"


def fmt_ratio(r: float | None) -> str:
    if r is None:
        return "—"
    if r >= 100:
        return f"{r:,.0f}×"
    if r >= 0.1:
        return f"{r:.2f}×"
    return f"1/{1 / r:,.0f}×"


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("**yes**" if ok else "**NO**")


# ----------------------------------------------------------------------------- the report


class Report:
    def __init__(self, cells: list[dict], libs: list[str], meta: dict, absent: dict):
        self.absent = absent
        self.cells = cells
        self.libs = libs
        self.meta = meta

    def get(self, lib: str, workload: str, links: int | None = None) -> dict | None:
        for c in self.cells:
            if c.get("lib") == lib and c.get("workload") == workload:
                if links is None or c.get("links") == links:
                    return c
        return None

    def cell_text(self, c: dict | None, value: str, lib: str | None = None) -> str:
        if c is None:
            return self.absent.get(lib, "not run")
        if "skipped" in c:
            return c["skipped"]
        if "error" in c:
            return c["error"].replace("|", "\\|")
        return value

    def loop_text(self, lib, workload, value, links=None):
        """A cell of (e)-(g): a library that has no such program (micrograd; numpy but for (e)) gets
        a dash."""
        c = self.get(lib, workload, links)
        if c is None and lib in ("numpy", "micrograd"):
            return "—"
        return self.cell_text(c, value, lib)

    def step_time(self, lib, workload):
        c = self.get(lib, workload)
        return c.get("median_s") if c and "error" not in c and "skipped" not in c else None

    def chain_value(self, lib, links, key="backward_us_per_link", workload="chain"):
        c = self.get(lib, workload, links)
        return c.get(key) if c and "error" not in c else None

    def cpu_ratio(self, workload, key, links=None):
        vals = []
        for lib in ("minigrad", "torch"):
            c = self.get(lib, workload, links)
            vals.append(c.get(key) if c and "error" not in c else None)
        return ratio(*vals)

    def linearity(self, lib, key="backward_s"):
        small = self.chain_value(lib, CHAIN_LINKS[0], key)
        big = self.chain_value(lib, CHAIN_LINKS[-1], key)
        if small is None or big is None:
            return None
        return big / small / (CHAIN_LINKS[-1] / CHAIN_LINKS[0])

    def ratio_cols(self, values: dict) -> list[str]:
        mg = values.get("minigrad")
        return [fmt_ratio(ratio(mg, values.get(other))) for other in ("torch", "numpy", "micrograd")]

    def time_table(self) -> tuple[list[str], dict]:
        cols = [LIB_TITLES[lib] for lib in LIBS]
        head = ["workload", *cols, "minigrad / PyTorch", "minigrad / numpy", "minigrad / micrograd"]
        head.append("target met")
        rows = []
        verdicts = {}

        def row(label, values, texts, target_key, target_ok):
            rows.append([label, *texts, *self.ratio_cols(values), target_key])
            return target_ok

        # (a)
        vals = {lib: self.step_time(lib, "moons") for lib in LIBS}
        texts = [self.cell_text(self.get(lib, "moons"), fmt_time(vals[lib]), lib) for lib in LIBS]
        r = ratio(vals["minigrad"], vals["torch"])
        ok = None if r is None else r <= TARGETS["moons"]
        verdicts["a"] = {
            "ratio_vs_torch": r,
            "cpu_ratio_vs_torch": self.cpu_ratio("moons", "cpu_median_s"),
            "target": TARGETS["moons"],
            "met": ok,
        }
        row(
            "(a) two moons, 2-16-16-1 tanh MLP, 100 points: one SGD step",
            vals,
            texts,
            f"≤ 1.0× PyTorch: {verdict(ok)}",
            ok,
        )
        # (b)
        chain_ok = []
        for n in CHAIN_LINKS:
            vals = {lib: self.chain_value(lib, n) for lib in LIBS}
            texts = [self.cell_text(self.get(lib, "chain", n), fmt_us(vals[lib]), lib) for lib in LIBS]
            r = ratio(vals["minigrad"], vals["torch"])
            ok = None if r is None else r <= TARGETS["chain"]
            chain_ok.append(ok)
            verdicts[f"b_{n}"] = {
                "ratio_vs_torch": r,
                "cpu_ratio_vs_torch": self.cpu_ratio("chain", "backward_cpu_s", n),
                "target": TARGETS["chain"],
                "met": ok,
            }
            row(
                f"(b) chain of mul/add/relu, {n:,} links: backward per link",
                vals,
                texts,
                f"≤ 1.0× PyTorch: {verdict(ok)}",
                ok,
            )
        lin = {lib: self.linearity(lib) for lib in LIBS}
        lin_texts = []
        for lib in LIBS:
            c = self.get(lib, "chain", CHAIN_LINKS[-1]) or self.get(lib, "chain", CHAIN_LINKS[0])
            lin_texts.append(self.cell_text(c, "—" if lin[lib] is None else f"{lin[lib]:.2f}", lib))
        ok = None if lin["minigrad"] is None else lin["minigrad"] <= LINEAR_TOLERANCE
        verdicts["b_linear"] = {
            "linearity": lin["minigrad"],
            "cpu_linearity": self.linearity("minigrad", "backward_cpu_s"),
            "torch_linearity": lin["torch"],
            "tolerance": LINEAR_TOLERANCE,
            "met": ok,
        }
        rows.append(
            [
                f"(b) linearity: backward t({CHAIN_LINKS[-1]:,}) / t({CHAIN_LINKS[0]:,}) / "
                f"{CHAIN_LINKS[-1] // CHAIN_LINKS[0]} (1.00 = linear)",
                *lin_texts,
                "",
                "",
                "",
                f"≤ {LINEAR_TOLERANCE}: {verdict(ok)}",
            ]
        )
        # (c)
        vals = {lib: self.step_time(lib, "mlp") for lib in LIBS}
        texts = [self.cell_text(self.get(lib, "mlp"), fmt_time(vals[lib]), lib) for lib in LIBS]
        r = ratio(vals["minigrad"], vals["torch"])
        ok = None if r is None else r <= TARGETS["mlp"]
        verdicts["c"] = {
            "ratio_vs_torch": r,
            "cpu_ratio_vs_torch": self.cpu_ratio("mlp", "cpu_median_s"),
            "target": TARGETS["mlp"],
            "met": ok,
        }
        row(
            "(c) MLP 784-128-10 ReLU, batch 256: one SGD step",
            vals,
            texts,
            f"≤ 1.5× PyTorch: {verdict(ok)}",
            ok,
        )
        # (e)-(g): the training loop written by hand, as the lessons write it
        for key, workload, label in (
            (
                "e",
                "moons_loop",
                "(e) (a) by hand: raw tensors, `p -= lr * p.grad`, `p.grad.zero_()`: one step",
            ),
            ("g", "mlp_loop", "(g) (c) by hand, softmax cross-entropy written out: one step"),
        ):
            vals = {lib: self.step_time(lib, workload) for lib in LIBS}
            texts = [self.loop_text(lib, workload, fmt_time(vals[lib])) for lib in LIBS]
            r = ratio(vals["minigrad"], vals["torch"])
            ok = None if r is None else r <= TARGETS[workload]
            verdicts[key] = {
                "ratio_vs_torch": r,
                "cpu_ratio_vs_torch": self.cpu_ratio(workload, "cpu_median_s"),
                "target": TARGETS[workload],
                "met": ok,
            }
            rows.append(
                [label, *texts, *self.ratio_cols(vals), f"≤ {TARGETS[workload]}× PyTorch: {verdict(ok)}"]
            )
            if key == "e":  # (f) between them, as in the table
                for n in CONST_CHAIN_LINKS:
                    vals = {lib: self.chain_value(lib, n, workload="chain_const") for lib in LIBS}
                    texts = [self.loop_text(lib, "chain_const", fmt_us(vals[lib]), n) for lib in LIBS]
                    r = ratio(vals["minigrad"], vals["torch"])
                    ok = None if r is None else r <= TARGETS["chain_const"]
                    verdicts[f"f_{n}"] = {
                        "ratio_vs_torch": r,
                        "cpu_ratio_vs_torch": self.cpu_ratio("chain_const", "backward_cpu_s", n),
                        "target": TARGETS["chain_const"],
                        "met": ok,
                    }
                    rows.append(
                        [
                            f"(f) chain `y = (y * 0.9999 + 0.1).relu()`, {n:,} links: backward per link",
                            *texts,
                            *self.ratio_cols(vals),
                            f"≤ 1.0× PyTorch: {verdict(ok)}",
                        ]
                    )
        return [head, *rows], verdicts

    def memory_table(self) -> tuple[list[str], dict]:
        head = ["measure", *(LIB_TITLES[lib] for lib in LIBS), "minigrad / PyTorch", "flat"]
        rows = []
        verdicts = {}
        n = CHAIN_LINKS[-1]
        peak = {}
        texts = []
        for lib in LIBS:
            c = self.get(lib, "chain", n)
            if c and "peak_rss" in c:
                peak[lib] = c["peak_rss"]
                text = fmt_bytes(c["peak_rss"])
                if "error" in c:
                    text += f" (then {c['error']})"
            else:
                text = self.cell_text(c, "—", lib)
            texts.append(text)
        r = ratio(peak.get("minigrad"), peak.get("torch"))
        rows.append([f"(d) peak RSS, {n:,}-link chain (whole process)", *texts, fmt_ratio(r), ""])
        per_link = {}
        texts = []
        for lib in LIBS:
            c = self.get(lib, "chain", n)
            if c and "peak_rss" in c and "baseline_rss" in c:
                per_link[lib] = (c["peak_rss"] - c["baseline_rss"]) / n
                texts.append(f"{per_link[lib]:,.0f} B")
            else:
                texts.append(self.cell_text(c, "—", lib))
        r = ratio(per_link.get("minigrad"), per_link.get("torch"))
        rows.append(["(d) graph memory per link: (peak − RSS before) / links", *texts, fmt_ratio(r), ""])
        verdicts["d_peak"] = {
            "peak_rss": peak,
            "bytes_per_link": per_link,
            "ratio_vs_torch": ratio(peak.get("minigrad"), peak.get("torch")),
        }
        # flat RSS over training
        texts, growth = [], {}
        steps_label = "10,000"
        for lib in LIBS:
            c = self.get(lib, "train")
            if c and "rss_first" in c:
                steps_label = f"{c['steps']:,}"
                g = c["rss_growth"]
                growth[lib] = g
                texts.append(
                    f"{fmt_bytes(c['rss_first'])} → {fmt_bytes(c['rss_last'])} "
                    f"({'+' if g >= 0 else ''}{fmt_bytes(g)})"
                )
            else:
                texts.append(self.cell_text(c, "—", lib))
        ok = growth["minigrad"] <= FLAT_TOLERANCE if "minigrad" in growth else None
        verdicts["d_flat"] = {"rss_growth": growth, "tolerance": FLAT_TOLERANCE, "met": ok}
        rows.append(
            [
                f"(d) RSS training (a) for {steps_label} steps: step 1,000 → last",
                *texts,
                "",
                f"growth ≤ 2 MB: {verdict(ok)}",
            ]
        )
        texts = []
        for lib in LIBS:
            c = self.get(lib, "train")
            if c and "gc_cyclic_objects_per_step" in c:
                texts.append(f"{c['gc_cyclic_objects_per_step']:g}")
            else:
                texts.append(self.cell_text(c, "—", lib))
        rows.append(
            [
                "(d) objects per step left in reference cycles (freed only by gc)",
                *texts,
                "",
                "",
            ]
        )
        texts = []
        for lib in LIBS:
            c = self.get(lib, "train")
            if c and c.get("kept_graph_bytes_per_step") is not None:
                texts.append(fmt_bytes(c["kept_graph_bytes_per_step"]))
            else:
                texts.append(self.cell_text(c, "—", lib))
        kept = {
            lib: c["kept_graph_bytes_per_step"]
            for lib in LIBS
            if (c := self.get(lib, "train")) and c.get("kept_graph_bytes_per_step") is not None
        }
        rows.append(
            [
                "(d) memory a step's graph keeps after backward while its loss is kept (1,000 steps)",
                *texts,
                fmt_ratio(ratio(kept.get("minigrad"), kept.get("torch"))),
                "",
            ]
        )
        return [head, *rows], verdicts

    def chain_detail(self) -> list[list[str]]:
        head = ["links", "library", "forward / link", "backward / link", "teardown", "peak RSS"]
        head.append("dw, db (exact: 2, 2)")
        rows = [head]
        for n in CHAIN_LINKS:
            for lib in LIBS:
                c = self.get(lib, "chain", n)
                if c is None:
                    continue
                if "skipped" in c:
                    rows.append([f"{n:,}", LIB_TITLES[lib], c["skipped"], "", "", "", ""])
                    continue
                if "error" in c and "forward_us_per_link" not in c:
                    rows.append([f"{n:,}", LIB_TITLES[lib], c["error"], "", "", "", ""])
                    continue
                grads = f"{c['grad_w']:.6g}, {c['grad_b']:.6g}" if c.get("grad_w") is not None else ""
                rows.append(
                    [
                        f"{n:,}",
                        LIB_TITLES[lib],
                        fmt_us(c.get("forward_us_per_link")),
                        c.get("error") or fmt_us(c.get("backward_us_per_link")),
                        fmt_time(c.get("teardown_s")),
                        fmt_bytes(c.get("peak_rss")),
                        grads,
                    ]
                )
        return rows

    def markdown(self) -> tuple[str, dict]:
        m = self.meta
        time_rows, v1 = self.time_table()
        mem_rows, v2 = self.memory_table()
        verdicts = {**v1, **v2}
        out = [
            f"Measured {m['date']} on {m['cpu']} ({m['cpus']} CPUs, load average "
            f"{m['loadavg']:.2f} at start), Python {m['python']}, numpy {m['numpy']}, "
            f"{m['versions_line']}.",
            "",
            "One thread everywhere: `torch.set_num_threads(1)` for PyTorch and "
            + ", ".join(f"`{v}=1`" for v in THREAD_VARS)
            + " for numpy's BLAS. Each cell runs in a fresh process. Times are medians of "
            "repeats after warm-up (`time.perf_counter`); "
            + (
                f"(a), (c), (e), (g) and the {CHAIN_LINKS[0]:,}-link chains ran {m['rounds']} times "
                "each, the libraries taking turns, and the process with the median time is shown; "
                if m.get("rounds", 1) > 1
                else ""
            )
            + "ratios are minigrad's time divided by the other column's (below 1 = minigrad is "
            "faster).",
            "",
            table(time_rows),
            "",
            table(mem_rows),
            "",
            "Chain (b) in detail (each link is `x = (x * w + b).relu()` on 0-dim tensors):",
            "",
            table(self.chain_detail()),
        ]
        notes = list(self.meta.get("notes") or [])
        for c in self.cells:
            if c.get("why") and c["why"] not in notes:
                notes.append(c["why"])
        if notes:
            out += ["", *[f"- {n}" for n in notes]]
        return "\n".join(out) + "\n", verdicts


def table(rows: list[list[str]]) -> str:
    head, *body = rows
    lines = ["| " + " | ".join(head) + " |"]
    lines.append("|" + "|".join(["---"] + ["---:"] * (len(head) - 2) + ["---"]) + "|")
    lines += ["| " + " | ".join(r) + " |" for r in body]
    return "\n".join(lines)


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


# ----------------------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--torch-python", default=os.environ.get("BENCH_TORCH_PYTHON", ""))
    ap.add_argument("--libs", nargs="+", default=list(LIBS), choices=LIBS)
    ap.add_argument(
        "--workloads", nargs="+", default=[*WORKLOADS],
        choices=WORKLOADS,
    )  # fmt: skip
    ap.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke test")
    ap.add_argument(
        "--full",
        action="store_true",
        help="also build micrograd's 1e5 and 1e6 chains (they fail like 1e4, after ~35 s)",
    )
    ap.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="processes per short timing cell (two moons, MLP, the smallest chain), the libraries "
        "taking turns; the cell reported is the one with the median time",
    )
    ap.add_argument("--out", default=str(BENCH / "results.json"))
    args = ap.parse_args()

    global CHAIN_LINKS, CONST_CHAIN_LINKS
    steps, every, budget = 10_000, 1_000, 1.5
    if args.quick:
        CHAIN_LINKS = (1_000, 10_000, 100_000)
        CONST_CHAIN_LINKS = (1_000, 10_000)
        steps, every, budget = 2_000, 200, 0.3

    started = time.perf_counter()
    python = sys.executable
    notes: list[str] = []
    absent: dict[str, str] = {}  # library -> why its column is empty
    pythons = {"minigrad": python, "numpy": python, "micrograd": python}
    libs = list(args.libs)

    if "torch" in libs:
        tp = args.torch_python
        ok, why = importable(tp, "torch") if tp else (False, "")
        if ok:
            pythons["torch"] = tp
            log(f"bench: PyTorch from {tp}")
        else:
            if tp:
                log(f"bench: {tp} cannot import torch ({why})")
            log("bench: " + TORCH_HOWTO)
            notes.append("PyTorch is not installed here: its column is empty (see bench/README.md).")
            absent["torch"] = "not installed"
            libs.remove("torch")
    if "minigrad" in libs:
        ok, why = importable(python, "minigrad", str(REPO))
        if not ok:
            log(f"bench: minigrad is not importable ({why}); its column is left out")
            notes.append(f"minigrad could not be imported: {why}")
            absent["minigrad"] = "not importable"
            libs.remove("minigrad")

    # Short timing cells run in several rounds, the libraries taking turns (minigrad, PyTorch, ...,
    # then again): one process can be 20-40 % slower than the next on a shared machine, and turns
    # keep a slow spell from falling on one library only. micrograd's cells are long and run once.
    rounds = max(1, args.rounds)
    jobs: list[tuple[str, str, list[str], float]] = []
    b = ["--budget", str(budget)]
    for r in range(rounds):
        for lib in libs:
            if "moons" in args.workloads and (r == 0 or lib != "micrograd"):
                jobs.append((lib, "moons", b, 300))
    for n in CHAIN_LINKS if "chain" in args.workloads else ():
        for r in range(rounds if n == CHAIN_LINKS[0] else 1):
            for lib in libs:
                if lib == "micrograd" and ((n > CHAIN_LINKS[0] and not args.full) or r > 0):
                    continue
                jobs.append((lib, "chain", ["--links", str(n)], 900))
    for _ in range(rounds):
        for lib in libs:
            if "mlp" in args.workloads and lib != "micrograd":
                jobs.append((lib, "mlp", b, 300))
    # (e)-(g), the loops written by hand: numpy by hand only where it has the same program ((e)),
    # micrograd nowhere (no tensors to write them with)
    for _ in range(rounds):
        for lib in libs:
            if "moons_loop" in args.workloads and lib != "micrograd":
                jobs.append((lib, "moons_loop", b, 300))
    for n in CONST_CHAIN_LINKS if "chain_const" in args.workloads else ():
        for _ in range(rounds if n == CONST_CHAIN_LINKS[0] else 1):
            for lib in libs:
                if lib in ("minigrad", "torch"):
                    jobs.append((lib, "chain_const", ["--links", str(n)], 900))
    for _ in range(rounds):
        for lib in libs:
            if "mlp_loop" in args.workloads and lib in ("minigrad", "torch"):
                jobs.append((lib, "mlp_loop", b, 300))
    for lib in libs:
        if "train" in args.workloads and lib != "micrograd":
            jobs.append((lib, "train", ["--steps", str(steps), "--every", str(every)], 900))

    cells: list[dict] = []
    for i, (lib, workload, extra, timeout) in enumerate(jobs, 1):
        label = f"{lib} {workload}" + (f" {int(extra[1]):,} links" if workload in CHAINS else "")
        log(f"bench: [{i:2}/{len(jobs)}] {label} ...")
        if workload == "chain" and int(extra[1]) == CHAIN_LINKS[-1] and lib != "torch":
            skip = too_slow(cells, lib, args.full)
            if skip:
                cells.append({"lib": lib, "workload": "chain", "links": CHAIN_LINKS[-1], **skip})
                log(f"bench:        {label}: {skip['why']}")
                continue
        res = run_cell(pythons[lib], lib, workload, extra, timeout)
        if "links" not in res and workload in CHAINS:
            res["links"] = int(extra[1])
        cells.append(res)
        status = res.get("error") or f"{res.get('wall_s', 0):.1f} s"
        log(f"bench:        {label}: {status}")
    cells = median_of_rounds(cells)
    notes.extend(round_notes(cells))

    # Cells that are not run, stated rather than left blank.
    if "micrograd" in libs:
        if "mlp" in args.workloads:
            cells.append({"lib": "micrograd", "workload": "mlp", "skipped": "n/a: scalar engine"})
        if "train" in args.workloads:
            mg = [c for c in cells if c["lib"] == "micrograd" and c["workload"] == "moons"]
            per_step = mg[0].get("median_s") if mg else None
            hours = f"≈ {per_step * steps / 3600:.1f} h" if per_step else "hours"
            why = (
                f"micrograd is not trained for {steps:,} steps in (d): "
                + (f"at {per_step:.1f} s a step, " if per_step else "")
                + f"that would take {hours}."
            )
            cells.append({"lib": "micrograd", "workload": "train", "skipped": f"n/a ({hours})", "why": why})
        if "chain" in args.workloads and not args.full:
            why = (
                f"micrograd's chains of {CHAIN_LINKS[1]:,} links and more are not built: its "
                f"backward already fails at {CHAIN_LINKS[0]:,} links, and the recursion is the "
                "same (`--full` builds them)."
            )
            for n in CHAIN_LINKS[1:]:
                cells.append(
                    {
                        "lib": "micrograd",
                        "workload": "chain",
                        "links": n,
                        "skipped": "RecursionError (not re-run)",
                        "why": why,
                    }
                )
    # Fill lib versions for the header.
    versions = {}
    for c in cells:
        if c.get("lib_version"):
            versions[c["lib"]] = c["lib_version"]
    parts = [
        f"{LIB_TITLES[lib]} {versions[lib]}" if lib in versions else f"{LIB_TITLES[lib]}: {why}"
        for lib, why in (
            ("torch", absent.get("torch", "not run")),
            ("micrograd", "not run"),
            ("minigrad", absent.get("minigrad", "not run")),
        )
    ]
    versions_line = ", ".join(parts)
    meta = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu_name(),
        "cpus": os.cpu_count(),
        "loadavg": os.getloadavg()[0],
        "python": platform.python_version(),
        "numpy": __import__("numpy").__version__,
        "versions": versions,
        "versions_line": versions_line,
        "torch_python": pythons.get("torch"),
        "threads": {var: "1" for var in THREAD_VARS} | {"torch.set_num_threads": 1},
        "quick": args.quick,
        "rounds": rounds,
        "notes": notes,
    }
    if args.quick:
        notes.append("--quick run: smaller chains and fewer steps than the real benchmark.")
    report = Report(cells, libs, meta, absent)
    md, verdicts = report.markdown()
    meta["total_s"] = time.perf_counter() - started

    Path(args.out).write_text(
        json.dumps({"meta": meta, "verdicts": verdicts, "cells": cells}, indent=1) + "\n"
    )
    md_path = Path(args.out).with_suffix(".md")
    md_path.write_text(md)
    print()
    print(md)
    print(summary(verdicts))
    log(f"bench: wrote {args.out} and {md_path} in {meta['total_s']:.0f} s")


def too_slow(cells: list[dict], lib: str, full: bool) -> dict | None:
    """Skip the largest chain for `lib` if, extrapolated linearly from the previous size, it
    would take more than CHAIN_BIG_LIMIT_S (never PyTorch's: it is the reference; never --full)."""
    if full:
        return None
    prev = next(
        (
            c
            for c in cells
            if c["lib"] == lib
            and c["workload"] == "chain"
            and c.get("links") == CHAIN_LINKS[-2]
            and "backward_s" in c
        ),
        None,
    )
    if prev is None:
        return None
    factor = CHAIN_LINKS[-1] / CHAIN_LINKS[-2]
    est = factor * (prev["forward_s"] + prev["backward_s"] + prev["teardown_s"])
    if est <= CHAIN_BIG_LIMIT_S:
        return None
    return {
        "skipped": f"skipped (~{est:.0f} s)",
        "why": (
            f"{LIB_TITLES[lib]}'s {CHAIN_LINKS[-1]:,}-link chain is skipped: about {est:.0f} s "
            f"expected ({factor:.0f}× its {CHAIN_LINKS[-2]:,}-link run), over the "
            f"{CHAIN_BIG_LIMIT_S} s limit that keeps `make bench` near 5 minutes "
            "(`bash bench/run.sh --full` runs it)."
        ),
    }


def summary(v: dict) -> str:
    lines = [
        "Targets (minigrad vs PyTorch CPU, one thread). Ratios of wall-time medians decide;",
        "in brackets the ratio of CPU-time medians, which other load on the machine affects less:",
    ]

    def r(x):
        return fmt_ratio(x) if x is not None else "not measured"

    def cpu(d):
        x = d.get("cpu_ratio_vs_torch")
        return "" if x is None else f" (CPU time: {fmt_ratio(x)})"

    a = v.get("a", {})
    lines.append(f"  (a) one SGD step ≤ 1.0×: {r(a.get('ratio_vs_torch'))}{cpu(a)} → {verdict(a.get('met'))}")
    for key in sorted(k for k in v if k.startswith("b_") and k[2:].isdigit()):
        b = v[key]
        lines.append(
            f"  (b) backward per link ≤ 1.0× at {int(key[2:]):,} links: "
            f"{r(b.get('ratio_vs_torch'))}{cpu(b)} → {verdict(b.get('met'))}"
        )
    lin = v.get("b_linear", {})
    lt = lin.get("linearity")
    tl = lin.get("torch_linearity")
    lines.append(
        f"  (b) linear in length, t({CHAIN_LINKS[-1]:,}) / t({CHAIN_LINKS[0]:,}) / "
        f"{CHAIN_LINKS[-1] // CHAIN_LINKS[0]} ≤ {LINEAR_TOLERANCE}: "
        + ("not measured" if lt is None else f"{lt:.2f}")
        + ("" if lin.get("cpu_linearity") is None else f" (CPU time: {lin['cpu_linearity']:.2f})")
        + ("" if tl is None else f" (PyTorch: {tl:.2f})")
        + f" → {verdict(lin.get('met'))}"
    )
    c = v.get("c", {})
    lines.append(f"  (c) one SGD step ≤ 1.5×: {r(c.get('ratio_vs_torch'))}{cpu(c)} → {verdict(c.get('met'))}")
    e = v.get("e", {})
    lines.append(
        f"  (e) one step by hand ≤ 1.0×: {r(e.get('ratio_vs_torch'))}{cpu(e)} → {verdict(e.get('met'))}"
    )
    for key in sorted((k for k in v if k.startswith("f_")), key=lambda k: int(k[2:])):
        f = v[key]
        lines.append(
            f"  (f) backward per link ≤ 1.0× at {int(key[2:]):,} links: "
            f"{r(f.get('ratio_vs_torch'))}{cpu(f)} → {verdict(f.get('met'))}"
        )
    g_ = v.get("g", {})
    lines.append(
        f"  (g) one step by hand ≤ 1.1×: {r(g_.get('ratio_vs_torch'))}{cpu(g_)} → {verdict(g_.get('met'))}"
    )
    d = v.get("d_flat", {})
    g = d.get("rss_growth", {}).get("minigrad")
    lines.append(
        "  (d) RSS flat over the training steps (growth ≤ 2 MB): "
        + ("not measured" if g is None else fmt_bytes(g))
        + f" → {verdict(d.get('met'))}"
    )
    return "\n".join(lines).replace("**", "")


if __name__ == "__main__":
    main()
