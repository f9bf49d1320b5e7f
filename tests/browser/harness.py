"""A real JupyterLab in a real (headless) Chromium, for end-to-end tests.

Reusable pieces (the fixtures in ``conftest.py`` wrap them):

- :class:`JupyterServer` — starts ``jupyter lab`` from this virtual environment on a free loopback
  port with a random token, in an isolated temporary root (notebooks are *copied* there, so autosave
  never touches the repository) with its own config, runtime, settings and workspace directories;
  waits until ``/api/status`` answers; ``shutdown_sessions()`` stops the kernels a test started;
  stops the server by its PID (SIGTERM, then SIGKILL).
- :class:`Lab` — one Chromium page on that server: ``open(notebook)``, ``run_all()`` (returns once
  every cell has run *and* every widget model the kernel sent exists in the page), ``wait_idle()``,
  ``stop_kernel()``, ``command(id)``, ``click_until(locator, condition)``, ``screenshot(name)`` (PNG
  files go to ``test-artifacts/``).

Reading text: ``shows(locator, *texts)`` waits until the element's rendered text (``innerText``: what
a learner sees, hidden frames left out) contains each text, scrolling it into view (JupyterLab does
not render cells out of view, and there ``innerText`` is empty). Never ``inner_text()`` right after
a box became visible: a widget's box can be visible before its HTML has arrived.

Chromium is Debian's (``/usr/bin/chromium``, installed by ``scripts/setup.sh``); Playwright only
drives it (``playwright install`` is never needed).
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from present import lab_command  # noqa: E402  (the same server command as `make present`)

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = os.environ.get("MINIGRAD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: JupyterLab settings for tests: no news or update pop-ups, slideshow prompt overlay off.
SETTINGS = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "jupyterlab-slideshow:plugin": {"showCodeCellPrompt": True},
}


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class JupyterServer:
    """``jupyter lab`` on 127.0.0.1 (see the module docstring). Use as a context manager."""

    def __init__(self, workdir, port=None, token=None, timeout=60):
        self.workdir = Path(workdir)
        self.root = self.workdir / "root"
        self.port = port or free_port()
        self.token = token or os.urandom(16).hex()
        self.timeout = timeout
        self.process = None
        self.log_path = self.workdir / "jupyter.log"

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.root.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        dirs = {name: self.workdir / name for name in ("config", "runtime", "settings", "workspaces", "data")}
        for d in dirs.values():
            d.mkdir(parents=True, exist_ok=True)
        for plugin_id, values in SETTINGS.items():  # user settings, in this server's own directory
            package, plugin = plugin_id.split(":")
            path = dirs["settings"] / package / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        env.update(
            JUPYTER_CONFIG_DIR=str(dirs["config"]),
            JUPYTER_RUNTIME_DIR=str(dirs["runtime"]),
            JUPYTERLAB_SETTINGS_DIR=str(dirs["settings"]),
            JUPYTERLAB_WORKSPACES_DIR=str(dirs["workspaces"]),
            PYTHONUNBUFFERED="1",
        )
        cmd = lab_command(self.port, self.token, self.root)
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            cmd, cwd=self.root, env=env, stdout=self._log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"jupyter lab did not answer within {self.timeout} s:\n{self.log()}")

    def log(self):
        try:
            return self.log_path.read_text()[-4000:]
        except OSError:
            return ""

    def stop(self):
        """SIGTERM the server by its PID (it shuts its kernels down), SIGKILL if it lingers."""
        if self.process is None or self.process.poll() is not None:
            return
        os.kill(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        self._log.close()

    def shutdown_sessions(self):
        """Shut down every open notebook session and its kernel (after each test: idle kernels of
        earlier tests would otherwise pile up over a whole run)."""
        api = f"{self.url}/api/sessions"
        with urllib.request.urlopen(f"{api}?token={self.token}", timeout=10) as r:
            sessions = json.load(r)
        for session in sessions:
            request = urllib.request.Request(f"{api}/{session['id']}?token={self.token}", method="DELETE")
            urllib.request.urlopen(request, timeout=30).close()
        return len(sessions)

    def add(self, notebook, name=None):
        """Copy ``notebook`` (a path, or a notebook dict) into the server's root; returns its name there."""
        if isinstance(notebook, dict):
            name = name or "notebook.ipynb"
            (self.root / name).write_text(json.dumps(notebook))
        else:
            name = name or Path(notebook).name
            shutil.copy(notebook, self.root / name)
        return name

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class Lab:
    """A Chromium page driving JupyterLab on ``server`` (see the module docstring)."""

    def __init__(self, server, page):
        self.server = server
        self.page = page

    def open(self, name, timeout=60_000):
        """Open notebook ``name`` (already in the server's root) and wait until its kernel is idle."""
        self.page.goto(f"{self.server.url}/lab/tree/{name}?token={self.server.token}&reset")
        self.page.wait_for_function("() => window.jupyterapp !== undefined", timeout=timeout)
        self.page.wait_for_function(
            """(name) => { const w = window.jupyterapp.shell.currentWidget;
                           return w && w.context && w.context.path === name; }""",
            arg=name,
            timeout=timeout,
        )
        self.wait_idle(timeout)
        return self

    def wait_idle(self, timeout=60_000):
        self.page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=timeout)

    def command(self, command_id, args=None):
        """Run a JupyterLab command, e.g. ``notebook:run-all-cells``."""
        return self.page.evaluate(
            "([id, args]) => window.jupyterapp.commands.execute(id, args)", [command_id, args or {}]
        )

    def run_all(self, timeout=120_000):
        """Run every cell of the current notebook once its kernel is ready; returns when all have run
        and every widget model they created exists in the page (see :meth:`wait_widgets`)."""
        self.page.evaluate("""async () => {
            const panel = window.jupyterapp.shell.currentWidget;
            await panel.context.ready;
            await panel.sessionContext.ready;
            await window.jupyterapp.commands.execute('notebook:run-all-cells');
        }""")
        self.wait_idle(timeout)
        self.wait_widgets(timeout)

    def wait_widgets(self, timeout=60_000):
        """Wait until the notebook's widget manager has built every model the kernel announced.

        A model (a ``jslink`` above all) is built asynchronously after its message arrives; the
        kernel can be idle before. ``ManagerBase.get_state()`` resolves once every model promise
        has; the manager is reached through a widget renderer of the notebook's own rendermime."""
        self.page.evaluate(
            """async (ms) => {
                const panel = window.jupyterapp.shell.currentWidget;
                const mime = 'application/vnd.jupyter.widget-view+json';
                const renderer = panel.content.rendermime.createRenderer(mime);
                const late = new Promise((_, reject) => setTimeout(
                    () => reject(new Error(`widget models not all built within ${ms} ms`)), ms));
                const built = renderer._manager.promise.then(manager => manager.get_state());
                await Promise.race([built, late]);
            }""",
            timeout,
        )

    def stop_kernel(self, timeout=30_000):
        """Shut the notebook's kernel down (widgets already built, so only the browser steps them)."""
        self.wait_widgets()
        self.command("kernelmenu:shutdown")
        self.page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='unknown']", timeout=timeout)

    def click_until(self, locator, condition, tries=3, timeout=10_000):
        """Click ``locator`` until the JavaScript ``condition`` (a function's source) holds.

        A click that lands while the page is still settling (a scroll, a re-render) can be lost; a
        learner clicks again, and so does this, ``tries`` times, each waiting ``timeout`` ms. For
        clicks that choose something (a toggle button's option), or whose effect ``condition`` sees
        at once (the deck button: clicked again only while the slideshow has not started); never
        for a button that steps (each click would count)."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        for attempt in range(tries):
            locator.click()
            try:
                self.page.wait_for_function(condition, timeout=timeout)
                return
            except PlaywrightTimeout:
                if attempt == tries - 1:
                    raise

    def screenshot(self, name, **options):
        """Save a PNG into ``test-artifacts/`` and return its path."""
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), **options)
        return path


def shows(locator, *texts, timeout=30_000):
    """Wait until ``locator``'s rendered text contains every one of ``texts`` (whitespace runs count
    as one space); return that text.

    The rendered text (``innerText``) is what a learner sees: hidden frames are left out. JupyterLab
    skips rendering cells out of view (``content-visibility: auto``), and there ``innerText`` is
    empty: so each try scrolls the element into view first."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    wanted = [" ".join(t.split()) for t in texts]
    deadline = time.monotonic() + timeout / 1000
    text = ""
    while True:
        try:
            locator.scroll_into_view_if_needed(timeout=5_000)
            text = locator.inner_text(timeout=5_000)
        except PlaywrightTimeout:
            pass
        seen = " ".join(text.split())
        missing = [t for t in wanted if t not in seen]
        if not missing:
            return text
        if time.monotonic() > deadline:
            raise AssertionError(
                f"{locator} does not show {missing} after {timeout / 1000:g} s; it shows: {text!r}"
            )
        time.sleep(0.2)


def export_lessons(out, *lessons):
    """``make export`` of some lessons into ``out`` (``scripts/setup_export.sh`` first; it is idempotent)."""
    subprocess.run(["bash", str(REPO / "scripts" / "setup_export.sh")], check=True, cwd=REPO, timeout=900)
    command = [sys.executable, str(REPO / "tools" / "export" / "export.py"), "--out", str(out), *lessons]
    subprocess.run(command, check=True, cwd=REPO, timeout=300)
    return out


class Offline:
    """A page in a fresh browser context where every non-``file:`` request is aborted and recorded."""

    def __init__(self, browser, viewport):
        self.context = browser.new_context(viewport=viewport, device_scale_factor=1)
        self.blocked, self.failed, self.errors = [], [], []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)
        self.page.on("requestfailed", lambda r: r.url.startswith("file:") and self.failed.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route):
        if route.request.url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def check_nothing_blocked(self):
        assert self.blocked == [], f"requests to the network: {self.blocked}"
        assert self.failed == [], f"local files that failed to load: {self.failed}"

    def screenshot(self, name):
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"))

    def close(self):
        self.context.close()
