"""Start JupyterLab on one lesson, ready to present (``make present LESSON=05``).

What it does, in order:

1. Copies the lesson into ``build/present/notebooks/`` (a fresh copy every time: what you change while
   presenting never touches ``notebooks/``; ``build/present/exercises`` links to the real exercises so
   the lesson's links work).
2. Starts ``jupyter lab`` on 127.0.0.1 with that folder as its root and ``MINIGRAD_PRESENTER=1`` in the
   environment, and creates the lesson's kernel session.
3. Warms the kernel: turns on presenter size for the widgets (large fonts, thick lines) and runs every
   cell of the lesson in that kernel, saving the outputs into the copy. When the browser opens the
   lesson it joins the same kernel and takes the live widgets from it (ipywidgets 8 restores them from
   the kernel), so the stepper works at once, kernel-backed buttons included, without running anything.
4. Prints the URL (first cell active: the slideshow starts where the active cell is) and the keys, opens
   a browser when there is a display, and keeps serving until Ctrl+C, which stops the server.

The JupyterLab settings that make widget clicks work on slides (jupyterlab-slideshow's
``showCodeCellPrompt``) are written by ``scripts/setup.sh`` into ``.venv/share/jupyter/lab/settings``.
"""

import argparse
import asyncio
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import webbrowser
from pathlib import Path

import nbformat
from nbformat.sign import NotebookNotary

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"

#: Run silently in the kernel before the lesson's cells: presenter size for every widget the lesson makes.
#: minigrad.viz reads MINIGRAD_PRESENTER itself when its widgets' ``presenter`` default is ``None``;
#: until then (default ``False``) the default is switched to ``True`` here. An explicit argument wins.
PRESENTER_PREAMBLE = r"""
def _minigrad_presenter_on():
    import functools, inspect, os
    os.environ["MINIGRAD_PRESENTER"] = "1"
    from minigrad.viz import render, widgets

    def switch(owner, name):
        func = getattr(owner, name)
        params = list(inspect.signature(func).parameters)
        if "presenter" not in params or getattr(func, "_minigrad_presenter", False):
            return
        if inspect.signature(func).parameters["presenter"].default is None:
            return  # minigrad.viz reads MINIGRAD_PRESENTER itself
        where = params.index("presenter") - (1 if inspect.isclass(owner) else 0)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            given = len(args) - (1 if inspect.isclass(owner) else 0)
            if given <= where and "presenter" not in kwargs:
                kwargs["presenter"] = True
            return func(*args, **kwargs)

        wrapper._minigrad_presenter = True
        setattr(owner, name, wrapper)

    switch(widgets.BackwardStepper, "__init__")
    switch(widgets.PathExplorer, "__init__")
    switch(render, "draw")
    import minigrad.viz as viz
    viz.__dict__.pop("draw", None)  # the lazy attribute is looked up again, now wrapped


_minigrad_presenter_on()
del _minigrad_presenter_on
"""

KEYS = """\
Present:
  1. Open the URL above (a browser opens by itself when there is a display). The lesson's first cell
     is active and every cell has run; the kernel is warm.
  2. Start the slideshow: the deck button (🃏) at the right end of the notebook toolbar
     (or Command Palette, Ctrl+Shift+C, "Start Deck"). F11 for full screen.
  Keys while presenting (if they stop working, click on the slide's text):
     Space           next, in reading order: fragment, subslide or slide (the one key you need)
     Shift+Space     back, in reading order
     → / ←           next / previous fragment or slide (skips subslides)
     ↓ / ↑           next / previous fragment or subslide
     Esc             stop the slideshow (back to the notebook)
  Widgets: click Play (▶) or drag the step slider; click the slider's handle, then ← → step it,
  Home / End jump to the first / last step (Space still moves the slides).
  Teacher notes are not on the slides: Esc shows the notebook (notes included), 🃏 resumes.
Stop: Ctrl+C here."""


def find_lesson(lesson):
    """``05`` / ``5`` / ``05_engine`` / ``tour`` / a path → the notebook's path; ``zh/05`` → the Chinese
    twin (``notebooks/zh/05_engine.ipynb``)."""
    path = Path(lesson)
    if path.suffix == ".ipynb" and path.exists():
        return path.resolve()
    folder = NOTEBOOKS
    if lesson.startswith("zh/"):
        folder, lesson = NOTEBOOKS / "zh", lesson[3:]
    candidates = sorted(folder.glob("*.ipynb"))
    for p in candidates:
        if p.stem == lesson or (lesson.isdigit() and p.stem.split("_")[0] == lesson.zfill(2)):
            return p
    names = ", ".join(p.stem for p in candidates)
    raise SystemExit(f"present: no lesson {lesson!r} in {folder} (choose one of: {names})")


def port_is_free(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def adapt_for_slideshow(nb):
    """Two changes to the working copy's slide metadata, for jupyterlab-slideshow 0.3.4.

    - ``slide_type: "-"`` means "continue the current slide" (RISE, nbconvert) but the slideshow only
      reads a *missing* slide type that way and hides "-" cells: the "-" is dropped.
    - A cell that continues a slide is still a stop of its own for the slideshow (one key press that
      shows nothing new), and the first click into a cell that is not the active one makes it active
      and moves the slide, so that click never reaches the widget: a teacher's first click on Play
      would do nothing. Continuation cells that show a widget become fragments instead: the same key
      press now shows the widget, and its cell is active when it appears, so Play works at once.

    Returns ``(dropped, fragments)``, the number of cells changed each way.
    """
    dropped = fragments = 0
    for index, cell in enumerate(nb.cells):
        slideshow = cell.metadata.get("slideshow")
        if isinstance(slideshow, dict) and slideshow.get("slide_type") == "-":
            del slideshow["slide_type"]
            dropped += 1
        slideshow = cell.metadata.get("slideshow") or {}
        widget = any(WIDGET_VIEW in out.get("data", {}) for out in cell.get("outputs", []))
        if index > 0 and cell.cell_type == "code" and widget and not slideshow.get("slide_type"):
            cell.metadata["slideshow"] = {**slideshow, "slide_type": "fragment"}
            fragments += 1
        elif "slideshow" in cell.metadata and not cell.metadata["slideshow"]:
            del cell.metadata["slideshow"]
    return dropped, fragments


def is_chinese(lesson_path):
    return lesson_path.parent.name == "zh"


def prepare_root(lesson_path, root):
    """A fresh copy of the lesson in ``root/notebooks/`` (a Chinese one in ``root/notebooks/zh/``);
    ``root/exercises`` links to the real exercises."""
    folder = root / "notebooks" / ("zh" if is_chinese(lesson_path) else "")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / lesson_path.name
    nb = nbformat.read(lesson_path, as_version=4)
    nb.metadata.pop("widgets", None)  # saved widget state is stale; the live widgets come from the kernel
    nbformat.write(nb, target)
    link = root / "exercises"
    if not link.exists() and not link.is_symlink() and (REPO / "exercises").is_dir():
        try:
            link.symlink_to(os.path.relpath(REPO / "exercises", root), target_is_directory=True)
        except OSError:
            pass
    return target


def lab_command(port, token, root):
    """The command line of a JupyterLab server on 127.0.0.1 (also used by the browser tests)."""
    return [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--allow-root",
        "--ip",
        "127.0.0.1",
        "--port",
        str(port),
        "--port-retries",
        "0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.open_browser=False",
        "--LabApp.expose_app_in_browser=True",
    ]


class Server:
    """``jupyter lab`` on 127.0.0.1, stopped by its PID."""

    def __init__(self, root, port, token, env):
        self.root, self.port, self.token, self.env = root, port, token, env
        self.url = f"http://127.0.0.1:{port}"
        self.process = None

    def start(self, timeout=60):
        cmd = lab_command(self.port, self.token, self.root)
        self.log_path = self.root / ".jupyter-server.log"  # hidden from the file browser
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            cmd, cwd=self.root, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(
                    f"present: jupyter lab exited ({self.process.returncode}); see {self.log_path}"
                )
            try:
                self.api("GET", "/api/status")
                return
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        self.stop()
        raise SystemExit(f"present: jupyter lab did not answer within {timeout} s; see {self.log_path}")

    def api(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"{self.url}{path}",
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as r:
            return json.loads(r.read() or b"null")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # the server shuts its kernels down
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


async def run_in_kernel(connection_file, nb, presenter, log):
    """Run the preamble and every code cell of ``nb`` in the kernel behind ``connection_file``."""
    from jupyter_client.asynchronous import AsyncKernelClient
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    kc = AsyncKernelClient(connection_file=str(connection_file))
    kc.load_connection_file()
    kc.start_channels()
    try:
        await kc.wait_for_ready(timeout=60)
        if presenter:
            reply = await kc.execute_interactive(
                PRESENTER_PREAMBLE, silent=True, store_history=False, timeout=60, output_hook=lambda msg: None
            )
            if reply["content"]["status"] != "ok":
                log(f"present: presenter size could not be switched on: {reply['content'].get('evalue')}")
        client = NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=False)
        client.kc = kc
        ran = errors = 0
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            try:
                await client.async_execute_cell(cell, index)
            except CellExecutionError as error:
                errors += 1
                log(f"present: cell {index} raised {str(error).strip().splitlines()[-1]}")
            ran += 1
        return ran, errors
    finally:
        kc.stop_channels()


def runtime_dir(env):
    from jupyter_core.paths import jupyter_runtime_dir

    saved = os.environ.get("JUPYTER_RUNTIME_DIR")
    try:
        if env.get("JUPYTER_RUNTIME_DIR"):
            os.environ["JUPYTER_RUNTIME_DIR"] = env["JUPYTER_RUNTIME_DIR"]
        return Path(jupyter_runtime_dir())
    finally:
        if saved is None:
            os.environ.pop("JUPYTER_RUNTIME_DIR", None)
        else:
            os.environ["JUPYTER_RUNTIME_DIR"] = saved


def title_of(nb, fallback):
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("# "):
            return cell.source.splitlines()[0][2:].strip()
    return fallback


def main(argv=None):
    parser = argparse.ArgumentParser(description="Start JupyterLab on one lesson, ready to present.")
    parser.add_argument("lesson", help="lesson number (05), notebook name (05_engine, tour), zh/05 or path")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8888)))
    parser.add_argument("--token", default=None, help="default: a random one (printed in the URL)")
    parser.add_argument(
        "--root", default=str(REPO / "build" / "present"), help="where the copy is served from"
    )
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    parser.add_argument("--no-presenter", action="store_true", help="normal widget size")
    parser.add_argument("--ready-file", help="write the URL into this file once ready (for tests)")
    args = parser.parse_args(argv)
    log = lambda text: print(text, flush=True)  # noqa: E731

    t0 = time.monotonic()
    lesson = find_lesson(args.lesson)
    root = Path(args.root).resolve()
    copy = prepare_root(lesson, root)
    port = args.port
    if not port_is_free(port):
        port = free_port()
        log(f"present: port {args.port} is taken, using {port}")
    token = args.token or secrets.token_hex(16)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    if not args.no_presenter:
        env["MINIGRAD_PRESENTER"] = "1"
    if is_chinese(lesson):  # JupyterLab's interface in Chinese too, as `make lab-zh` has it
        env["JUPYTERLAB_SETTINGS_DIR"] = str(REPO / ".venv/share/jupyter/lab/user-settings-zh")
    server = Server(root, port, token, env)

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        log(f"present: starting JupyterLab for {lesson.name} …")
        server.start()
        rel = copy.relative_to(root).as_posix()
        session = server.api(
            "POST",
            "/api/sessions",
            {"path": rel, "type": "notebook", "name": copy.name, "kernel": {"name": "python3"}},
        )
        connection_file = runtime_dir(env) / f"kernel-{session['kernel']['id']}.json"
        deadline = time.monotonic() + 30
        while not connection_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        nb = nbformat.read(copy, as_version=4)
        log(f"present: running {sum(c.cell_type == 'code' for c in nb.cells)} code cells in the kernel …")
        ran, errors = asyncio.run(run_in_kernel(connection_file, nb, not args.no_presenter, log))
        dropped, fragments = adapt_for_slideshow(nb)
        # Trust what we just ran (as `jupyter trust` would): JupyterLab renders widget outputs only in
        # trusted notebooks, and shows their plain-text fallback otherwise.
        NotebookNotary().sign(nb)
        nbformat.write(nb, copy)
        url = f"{server.url}/lab/tree/{rel}?token={token}&reset"
        title = title_of(nb, lesson.stem)
        size = "off" if args.no_presenter else "on"
        log("")
        log(f"Ready in {time.monotonic() - t0:.0f} s: {title}")
        log(
            f"  kernel warm, {ran} code cells run ({errors} errors), presenter size {size}, first cell active"
        )
        log(f"  working copy: {copy} (notebooks/ is untouched; for the slideshow: {dropped} cells with")
        log(f"  slide type '-' now continue their slide, {fragments} widget cells appear as fragments)")
        log("")
        log(f"Open:  {url}")
        log("")
        log(KEYS)
        if args.ready_file:
            Path(args.ready_file).write_text(url)
        has_display = (
            sys.platform == "darwin" or os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        )
        if not args.no_browser and has_display:
            webbrowser.open(url)
        server.process.wait()
    except KeyboardInterrupt:
        log("\npresent: stopping JupyterLab")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
