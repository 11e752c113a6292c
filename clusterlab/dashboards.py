"""Voila dashboards: the safe server launcher and the widgets the dashboard notebooks show.

``clusterlab serve`` calls :func:`serve`, which runs Voila *in this process* on the
``notebooks/dashboards/`` folder only, bound to 127.0.0.1, with tracebacks hidden, template
and theme overrides from the URL refused, and one preheated kernel per dashboard. Idle
kernels are culled after 90 s (also with the tab open), at most 8 kernels run at once
(:class:`PublicKernelManager`; more visitors get "busy, try again"), and Voila's kernel
shutdown endpoint answers 403, so that a visitor cannot stop other visitors' kernels. The mode
and the results folder reach the kernels through environment variables
(``CLUSTERLAB_ANALYST``, ``CLUSTERLAB_RESULTS_ROOT``), because preheated kernels cannot see
request parameters.

The notebooks themselves only call :func:`cluster_dashboard` / :func:`benchmark_dashboard`,
which read the results tables (never run an analysis), pass every table through
:func:`clusterlab.publish.views.prepare` (public mode: :func:`clusterlab.publish.protect`) and
show figures as inline SVG.

Examples
--------
>>> cmd = voila_argv(port=8899, open_browser=False)
>>> "--Voila.ip=127.0.0.1" in cmd and "--show_tracebacks=False" in cmd
True
"""

from __future__ import annotations

import html
import os
import sys
import threading
import time
from pathlib import Path

from clusterlab.errors import ParameterError
from clusterlab.publish.identifiers import scan_text
from clusterlab.publish.publication import contributor_names
from clusterlab.publish.sources import ENV_RESULTS_ROOT, load_results
from clusterlab.publish.views import (
    ANALYST_BANNER,
    PUBLIC_NOTE,
    benchmark_sections,
    cluster_sections,
    clusters_in,
    pretty,
)

__all__ = ["serve", "voila_argv", "dashboard_dir", "analyst_mode", "results_root",
           "cluster_dashboard", "benchmark_dashboard", "ENV_ANALYST", "ENV_RESULTS_ROOT",
           "DASHBOARD_CSS"]

ENV_ANALYST = "CLUSTERLAB_ANALYST"
#: Jupyter data folder holding the "clusterlab" Voila template (see its index.html.j2)
TEMPLATE_ROOT = Path(__file__).resolve().parent / "share" / "jupyter"

DASHBOARD_CSS = """<style>
.cl-banner{background:#c62828;color:#fff;padding:0.5rem 1rem;font-weight:600}
.cl-note{color:#555;font-size:0.9rem}
.cl-section{border-top:1px solid #ddd;padding-top:0.4rem;margin-top:0.8rem}
.cl-figure svg{max-width:100%;height:auto}
.cl-table{border-collapse:collapse;font-size:0.85rem;margin:0.4rem 0}
.cl-table th,.cl-table td{border:1px solid #ddd;padding:2px 6px;text-align:right}
.cl-table th{background:#f3f5f8}.cl-x{color:#999;text-align:center}
.cl-missing{color:#777;font-style:italic}.cl-caption{font-weight:600;margin-bottom:0}
.cl-status-on_track{background:#e8f5e9}.cl-status-at_risk{background:#fff8e1}
.cl-status-off_track{background:#ffebee}
</style>"""


def dashboard_dir() -> Path:
    """The ``notebooks/dashboards`` folder of this checkout."""
    return Path(__file__).resolve().parents[1] / "notebooks" / "dashboards"


def analyst_mode() -> bool:
    """True when ``CLUSTERLAB_ANALYST`` is set to 1/true/yes (set by ``serve(analyst=True)``)."""
    return os.environ.get(ENV_ANALYST, "").strip().lower() in ("1", "true", "yes")


def results_root() -> Path:
    """Results folder for the dashboards: ``$CLUSTERLAB_RESULTS_ROOT`` or ``./outputs``."""
    return Path(os.environ.get(ENV_RESULTS_ROOT) or "outputs")


#: Seconds between checks for idle kernels, and idle time after which a kernel is shut down.
CULL_INTERVAL = 15
CULL_IDLE_TIMEOUT = 90
#: Most kernels running at once (each page view holds one; the preheated pool counts too).
MAX_KERNELS = 8


def _public_kernel_manager():
    from jupyter_server.services.kernels.kernelmanager import MappingKernelManager
    from tornado import web
    from traitlets import Integer

    class PublicKernelManager(MappingKernelManager):
        """Kernel manager of the public dashboards: refuses a kernel beyond ``max_kernels``
        (HTTP 503, "try again shortly") instead of letting page views exhaust memory."""

        max_kernels = Integer(MAX_KERNELS, config=True,
                              help="Most kernels running at once.")

        async def start_kernel(self, *args, **kwargs):
            if len(self.list_kernels()) >= self.max_kernels:
                raise web.HTTPError(503, "the dashboards are busy; please try again shortly")
            return await super().start_kernel(*args, **kwargs)

    PublicKernelManager.__module__ = __name__
    return PublicKernelManager


def __getattr__(name):  # the class needs jupyter_server: built on first use
    if name == "PublicKernelManager":
        cls = _public_kernel_manager()
        globals()[name] = cls
        return cls
    raise AttributeError(name)


def _forbid_remote_shutdown() -> None:
    """Voila's ``/voila/api/shutdown/<kernel>`` lets any visitor stop any kernel by id: serve
    a 403 instead (idle kernels are culled by the server)."""
    import tornado.web
    import voila.app

    class NoShutdown(tornado.web.RequestHandler):
        def post(self, kernel_id):
            raise tornado.web.HTTPError(403)

    voila.app.VoilaShutdownKernelHandler = NoShutdown


def voila_argv(*, port: int = 8866, open_browser: bool = True,
               notebook_dir: str | os.PathLike | None = None,
               max_kernels: int = MAX_KERNELS) -> list[str]:
    """The Voila command-line arguments :func:`serve` uses (safe defaults, see module doc)."""
    if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
        raise ParameterError(f"port must be an integer in 1..65535, got {port!r}")
    if not isinstance(max_kernels, int) or isinstance(max_kernels, bool) or max_kernels < 2:
        raise ParameterError(f"max_kernels must be an integer >= 2, got {max_kernels!r}")
    folder = Path(notebook_dir) if notebook_dir is not None else dashboard_dir()
    if not folder.is_dir():
        raise ParameterError(f"dashboard folder not found: {folder}")
    argv = [
        str(folder),
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        "--show_tracebacks=False",
        "--template=clusterlab",
        "--VoilaConfiguration.allow_template_override=NO",
        "--VoilaConfiguration.allow_theme_override=NO",
        "--preheat_kernel=True",
        "--pool_size=1",
        "--VoilaExecutor.timeout=120",
        # public mode: a page view holds a ~340 MB kernel; cull it soon after the visitor is
        # idle (also while the tab stays open), and cap the kernels running at once
        f"--VoilaConfiguration.multi_kernel_manager_class={__name__}.PublicKernelManager",
        f"--MappingKernelManager.cull_interval={CULL_INTERVAL}",
        f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_TIMEOUT}",
        "--MappingKernelManager.cull_connected=True",
        f"--PublicKernelManager.max_kernels={max_kernels}",
    ]
    if not open_browser:
        argv.append("--no-browser")
    return argv


def serve(*, port: int = 8866, open_browser: bool = True, analyst: bool = False,
          results_root: str | os.PathLike = "outputs", max_kernels: int = MAX_KERNELS) -> int:
    """Serve the dashboards with Voila until interrupted; returns the exit status (0 = ok).

    Parameters
    ----------
    port : int
        Port on 127.0.0.1 (no fallback to another port: a busy port is an error).
    open_browser : bool
        Open the default browser on the tree page.
    analyst : bool
        Show unprotected tables (every page says so). Default: public mode, every table
        through :func:`clusterlab.publish.protect`.
    results_root : path-like
        Folder holding ``<run_id>/<cluster>/tables/*.parquet``.
    max_kernels : int
        Most kernels running at once (each page view holds one until it is culled).
    """
    root = Path(results_root).resolve()
    argv = voila_argv(port=port, open_browser=open_browser, max_kernels=max_kernels)
    os.environ[ENV_ANALYST] = "1" if analyst else "0"
    os.environ[ENV_RESULTS_ROOT] = str(root)
    os.environ.setdefault("MPLBACKEND", "Agg")
    # the "clusterlab" Voila template (lab without CDN stylesheets) ships inside the package
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(TEMPLATE_ROOT), os.environ.get("JUPYTER_PATH", "")) if p)
    if not root.is_dir():
        print(f"clusterlab serve: no results folder {root}; run `clusterlab run` first "
              "(the dashboards will say that nothing is available)", file=sys.stderr)
    mode = "ANALYST mode (unprotected tables)" if analyst else "public mode (disclosure control on)"
    print(f"clusterlab serve: http://127.0.0.1:{port}/ — {mode}; results from {root}",
          file=sys.stderr)
    from voila.app import Voila

    _forbid_remote_shutdown()
    try:
        Voila.launch_instance(argv=argv)
    except SystemExit as exc:  # Voila exits through traitlets' Application.exit
        code = exc.code
        return int(code) if isinstance(code, int) else (0 if code is None else 1)
    except KeyboardInterrupt:
        return 0
    finally:
        Voila.clear_instance()
    return 0


# --------------------------------------------------------------------------- widgets
def _header(analyst: bool) -> str:
    if analyst:
        return DASHBOARD_CSS + f'<div class="cl-banner">{html.escape(ANALYST_BANNER)}</div>'
    return DASHBOARD_CSS + f'<p class="cl-note">{html.escape(PUBLIC_NOTE)}</p>'


def _sections_html(sections) -> str:
    return "".join(f'<div class="cl-section" data-section="{s.key}"><h3>{html.escape(s.title)}'
                   f"</h3>{s.html}</div>" for s in sections)


def cluster_dashboard(root: str | os.PathLike | None = None, *, analyst: bool | None = None,
                      prerender: bool = True):
    """The cluster dashboard widget: a dropdown of clusters and the selected cluster's page.

    The first cluster's page is drawn at once; with ``prerender`` the others are drawn in a
    background thread; every page is cached. Returns an ``ipywidgets.VBox`` whose ``.dropdown``
    and ``.page`` (an ``HTML`` widget) attributes are exposed for tests.
    """
    import ipywidgets as widgets

    started = time.perf_counter()

    analyst = analyst_mode() if analyst is None else bool(analyst)
    root = results_root() if root is None else Path(root)
    tables = load_results(root)
    clusters = clusters_in(tables)
    header = widgets.HTML(_header(analyst))
    if not clusters:
        where = f" in {html.escape(str(root))}" if analyst else ""  # no server paths
        page = widgets.HTML(f'<p class="cl-missing">No results found{where}: '
                            "run the analysis notebooks first (clusterlab run).</p>")
        box = widgets.VBox([header, page])
        box.dropdown, box.page = None, page
        return box
    cache: dict[str, str] = {}
    lock = threading.Lock()  # pyplot is not thread-safe: one page is drawn at a time
    names = set() if analyst else contributor_names(tables)

    def render(cluster: str) -> str:
        with lock:
            if cluster not in cache:
                body = _sections_html(cluster_sections(tables, cluster, analyst=analyst))
                body = body if analyst else _scanned(body, names)
                cache[cluster] = (f'<div class="cl-page" data-cluster="{html.escape(cluster)}">'
                                  f"<h2>{html.escape(pretty(cluster))}</h2>{body}</div>")
            return cache[cluster]

    dropdown = widgets.Dropdown(options=[(pretty(c), c) for c in clusters], value=clusters[0],
                                description="Cluster:")
    dropdown.add_class("cl-cluster-select")
    page = widgets.HTML(render(clusters[0]))
    page.add_class("cl-cluster-page")

    def on_change(change):
        page.value = render(change["new"])

    dropdown.observe(on_change, names="value")
    box = widgets.VBox([header, dropdown, page])
    box.dropdown, box.page = dropdown, page
    _log_ready("cluster", started, len(clusters))
    if prerender and len(clusters) > 1:
        # draw the other clusters' pages in the background so that a change is instant
        threading.Thread(target=lambda: [render(c) for c in clusters[1:]], daemon=True).start()
    return box


def _scanned(body: str, names) -> str:
    """The page, or a notice in its place when it names a non-consenting contributor (the
    last check before anything reaches the browser: fail closed)."""
    if scan_text(html.unescape(body), names):
        return ('<p class="cl-missing">This page is withheld: it failed the final '
                "disclosure check.</p>")
    return body


def _log_ready(which: str, started: float, n: int) -> None:
    """One line on the server's log (the kernel's real stderr), e.g. when a kernel is preheated."""
    preheat = " (preheated kernel)" if os.environ.get("VOILA_PREHEAT") == "True" else ""
    stream = sys.__stderr__
    if stream is not None and os.environ.get("VOILA_APP_PORT"):
        print(f"clusterlab: {which} dashboard ready in {time.perf_counter() - started:.2f} s, "
              f"{n} cluster(s){preheat}", file=stream, flush=True)


def benchmark_dashboard(root: str | os.PathLike | None = None, *, analyst: bool | None = None):
    """The benchmark dashboard widget: all initiatives side by side (static, no inputs)."""
    import ipywidgets as widgets

    started = time.perf_counter()
    analyst = analyst_mode() if analyst is None else bool(analyst)
    root = results_root() if root is None else Path(root)
    tables = load_results(root)
    where = f" in {html.escape(str(root))}" if analyst else ""  # no server paths in public
    body = _sections_html(benchmark_sections(tables, analyst=analyst)) if tables else \
        f'<p class="cl-missing">No results found{where}.</p>'
    if not analyst:
        body = _scanned(body, contributor_names(tables))
    page = widgets.HTML(f'<div class="cl-page" data-cluster="benchmark">{body}</div>')
    page.add_class("cl-benchmark-page")
    box = widgets.VBox([widgets.HTML(_header(analyst)), page])
    box.page = page
    _log_ready("benchmark", started, len(clusters_in(tables)))
    return box
