"""Fixtures for the browser tests: Debian Chromium driven by Playwright (no browser download).

The tests skip — with a message saying how to enable them — when /usr/bin/chromium or the
playwright package is missing. ``make test`` installs Debian's ``chromium`` when it can.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CLUSTERLAB_CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
#: Outside URLs a live Voila page may ask for: none (the "clusterlab" template drops the lab
#: template's FontAwesome CDN links).
ALLOWED_EXTERNAL = ()


def _skip_reason() -> str | None:
    if not CHROMIUM.exists():
        return (
            f"browser tests skipped: {CHROMIUM} not found. Enable them with "
            "`sudo apt-get install chromium` (Debian's package; `make test` does this when "
            "run as root) — never `playwright install`."
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "browser tests skipped: the playwright package is missing (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="session")
def chromium():
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def results_tree(tmp_path_factory):
    """A small synthetic results tree; eastshire_medtech lacks two tables on purpose."""
    from clusterlab.publish.example import write_example_results

    root = tmp_path_factory.mktemp("results") / "outputs"
    return write_example_results(
        root, omit={"eastshire_medtech": ["member_effects", "network_centrality"]}
    )


@pytest.fixture(scope="session")
def firm_names():
    """Every fictional firm name and id of the demo world."""
    from clusterlab.datasets import load_demo

    firms = load_demo("firms")
    nodes = load_demo("nodes")
    names = set(firms["firm_name"]) | set(nodes.loc[nodes["kind"] == "firm", "node_name"])
    return sorted(names), sorted(set(firms["firm"]))


#: The tests open a dozen pages within a few minutes and a closed page's kernel lives until it
#: is culled (about two minutes): above the default cap of 8 (3 of them preheated) the server
#: rightly answers 503. The cap itself is tested in tests/test_publish_publication.py.
MAX_KERNELS = 16


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class VoilaServer:
    def __init__(self, root: Path, workdir: Path, *, analyst: bool):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = workdir / f"voila-{self.port}.log"
        self.views: dict[str, int] = {}  # page views per dashboard (each uses up a kernel)
        code = (
            "import sys; from clusterlab.dashboards import serve; "
            f"sys.exit(serve(port={self.port}, open_browser=False, analyst={analyst!r}, "
            f"results_root={str(root)!r}, max_kernels={MAX_KERNELS}))"
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERLAB_")}
        env["MPLBACKEND"] = "Agg"
        self._fh = open(self.log, "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=workdir,
            env=env,
            stdout=self._fh,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 180.0) -> None:
        """Wait for the HTTP server and for the preheated kernel of each dashboard."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("voila exited early:\n" + self.log.read_text()[-3000:])
            text = self.log.read_text()
            if all(
                f"{page} dashboard ready" in text for page in ("cluster", "benchmark", "landing")
            ):
                try:
                    urllib.request.urlopen(self.url + "/", timeout=2).read()
                    return
                except OSError:
                    pass
            time.sleep(0.3)
        raise RuntimeError("voila did not become ready:\n" + self.log.read_text()[-3000:])

    def wait_warm(self, which: str, *, timeout: float = 240.0) -> None:
        """Wait until the pool holds a preheated kernel that has drawn dashboard ``which``
        (``landing``, ``cluster``, ``benchmark``): Voila refills the pool after each page
        view, and render times are only meaningful on a warm kernel."""
        used = self.views.get(which, 0)
        deadline = time.monotonic() + timeout
        while self.log.read_text().count(f"{which} dashboard ready") <= used:
            if time.monotonic() > deadline:
                raise RuntimeError(f"no preheated {which} kernel after {timeout:.0f} s")
            time.sleep(0.3)

    def viewed(self, which: str) -> None:
        """Count a page view (it uses up the preheated kernel of that dashboard)."""
        self.views[which] = self.views.get(which, 0) + 1

    def open(self, page, which: str, path: str):
        """Open a dashboard on a warm kernel."""
        self.wait_warm(which)
        self.viewed(which)
        return page.goto(self.url + path, timeout=240_000)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)
        self._fh.close()


@pytest.fixture(scope="module")
def voila_public(chromium, results_tree, tmp_path_factory):
    server = VoilaServer(results_tree, tmp_path_factory.mktemp("voila"), analyst=False)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def voila_analyst(chromium, results_tree, tmp_path_factory):
    server = VoilaServer(results_tree, tmp_path_factory.mktemp("voila"), analyst=True)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


@pytest.fixture
def shots(tmp_path):
    folder = tmp_path / "screenshots"
    folder.mkdir()
    keep = os.environ.get("CLUSTERLAB_SCREENSHOTS")
    yield folder
    if keep:
        shutil.copytree(folder, Path(keep), dirs_exist_ok=True)


def pytest_terminal_summary(terminalreporter):
    """Say it loudly at the end of the run when the browser tests could not run."""
    reason = _skip_reason()
    if reason:
        terminalreporter.write_sep("-", "browser tests")
        terminalreporter.write_line(reason, yellow=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed browser test shows the end of its Voila server's log (kernel errors, 503s)."""
    report = yield
    if report.failed and call.when == "call":
        for name in ("voila_public", "voila_analyst"):
            server = item.funcargs.get(name)
            if isinstance(server, VoilaServer) and server.log.exists():
                report.sections.append(
                    (f"{name} log (last 6000 characters)", server.log.read_text()[-6000:])
                )
    return report
