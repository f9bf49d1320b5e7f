"""Fixtures for end-to-end tests in a real browser (marker ``browser``).

- ``jupyter_server`` (session): one JupyterLab server for all browser tests
  (:class:`harness.JupyterServer`); ``jupyter_server.add(path_or_dict)`` copies a notebook in.
- ``browser`` (module): Debian's Chromium, headless, launched by Playwright (closed after each test
  module, so that Playwright's event loop never leaks into other tests).
- ``lab`` (function): a fresh page with a :class:`harness.Lab` helper; on failure a screenshot named
  after the test is saved in ``test-artifacts/``; afterwards the test's kernels are shut down.
- ``exported`` (session): ``exported("09")`` is a folder holding ``make export`` of lesson 09; each
  lesson is exported once per session, whichever test modules ask for it.
- ``offline`` (function): ``offline(viewport)`` opens a :class:`harness.Offline` page (every request
  that is not a local file aborted and recorded), closed after the test.

Every test in this folder is marked ``browser`` automatically; the whole folder is skipped with a clear
reason when Playwright or Chromium is missing.
"""

import os
import shutil
from pathlib import Path

import pytest

from .harness import CHROMIUM, CHROMIUM_ARGS, JupyterServer, Lab, Offline, export_lessons


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


def _skip_or_fail(reason):
    """Skip where the browser is not installed, but never in CI: there the set-up installs it, so a
    missing browser is a broken set-up, not a reason to run fewer tests."""
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(reason)


def _skip_reason():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -r requirements.txt)"
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        return f"Chromium not found at {CHROMIUM} (scripts/setup.sh installs it)"
    return None


@pytest.fixture(scope="session")
def jupyter_server(tmp_path_factory):
    reason = _skip_reason()
    if reason:
        _skip_or_fail(reason)
    with JupyterServer(tmp_path_factory.mktemp("jupyter")) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    # Module scope, not session: while Playwright's sync API is active it keeps an asyncio loop
    # running in the main thread, and any later test that calls asyncio.run() would fail.
    reason = _skip_reason()
    if reason:
        _skip_or_fail(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def lab(request, jupyter_server, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(30_000)
    helper = Lab(jupyter_server, page)
    yield helper
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        helper.screenshot(f"FAILED-{request.node.name}")
    context.close()
    jupyter_server.shutdown_sessions()


@pytest.fixture(scope="session")
def exported(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    sites = {}

    def export(lesson):
        if lesson not in sites:
            sites[lesson] = export_lessons(root / lesson, lesson)
        return sites[lesson]

    return export


@pytest.fixture
def offline(browser):
    pages = []

    def make(viewport):
        pages.append(Offline(browser, viewport))
        return pages[-1]

    yield make
    for p in pages:
        p.close()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)
