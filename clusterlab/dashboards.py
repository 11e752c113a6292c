"""Voila dashboards: the safe server launcher and the widgets the dashboard notebooks show.

``clusterlab serve`` calls :func:`serve`, which runs Voila *in this process* on the
``notebooks/dashboards/`` folder only, bound to 127.0.0.1, with tracebacks hidden, template
and theme overrides from the URL refused, and one preheated kernel per dashboard. Idle
kernels are culled after 90 s (also with the tab open; a preheated kernel's idle time starts
when a visitor gets it), at most 8 kernels run at once
(:class:`PublicKernelManager`; more visitors get "busy, try again"), and Voila's kernel
shutdown endpoint answers 403, so that a visitor cannot stop other visitors' kernels. The mode
and the results folder reach the kernels through environment variables
(``CLUSTERLAB_ANALYST``, ``CLUSTERLAB_RESULTS_ROOT``), because a preheated kernel has drawn
its page before anyone asks for it; it learns the address it was opened with (``?cluster=``)
only afterwards, from Voila's request-info websocket.

The notebooks themselves only call :func:`landing_page` (``index.ipynb``, where the server's
root leads), :func:`cluster_dashboard` and :func:`benchmark_dashboard`, which read the results
tables of successful runs (never run an analysis), pass every table through
:func:`clusterlab.publish.views.prepare` (public mode: :func:`clusterlab.publish.protect`) and
show figures as inline SVG with alternative text. A cluster page opens with headline cards,
carries the map, download links for every protected table (CSV and Excel as ``data:`` links:
nothing is fetched from the server or elsewhere) and a footer with run id, run date, parameter
hash and package version. ``cluster.ipynb?cluster=<name>`` opens that cluster.

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
from clusterlab.publish.sources import ENV_RESULTS_ROOT, load_results, run_notes
from clusterlab.publish.style import CSS
from clusterlab.publish.views import (
    ANALYST_BANNER,
    PUBLIC_NOTE,
    clusters_in,
)

__all__ = [
    "serve",
    "voila_argv",
    "dashboard_dir",
    "analyst_mode",
    "results_root",
    "cluster_dashboard",
    "benchmark_dashboard",
    "landing_page",
    "ENV_ANALYST",
    "ENV_RESULTS_ROOT",
    "DASHBOARD_CSS",
]

ENV_ANALYST = "CLUSTERLAB_ANALYST"
#: Jupyter data folder holding the "clusterlab" Voila template (see its index.html.j2)
TEMPLATE_ROOT = Path(__file__).resolve().parent / "share" / "jupyter"

#: The dashboards' stylesheet: the content part of the static site's one stylesheet.
DASHBOARD_CSS = f"<style>{CSS}</style>"


def dashboard_dir() -> Path:
    """Locate the ``notebooks/dashboards`` folder of this checkout.

    Returns
    -------
    pathlib.Path
        The folder holding the dashboard notebooks Voila serves.

    Examples
    --------
    >>> from clusterlab.dashboards import dashboard_dir
    >>> dashboard_dir().parts[-2:]
    ('notebooks', 'dashboards')
    """
    return Path(__file__).resolve().parents[1] / "notebooks" / "dashboards"


def analyst_mode() -> bool:
    """Tell whether the dashboards run in analyst mode.

    Returns
    -------
    bool
        True when ``CLUSTERLAB_ANALYST`` is set to 1/true/yes (set by ``serve(analyst=True)``);
        then unprotected tables are shown, and every page says so.

    Examples
    --------
    >>> import os
    >>> from clusterlab.dashboards import analyst_mode
    >>> saved = os.environ.pop("CLUSTERLAB_ANALYST", None)  # as when not set
    >>> analyst_mode()
    False
    >>> if saved is not None:
    ...     os.environ["CLUSTERLAB_ANALYST"] = saved
    """
    return os.environ.get(ENV_ANALYST, "").strip().lower() in ("1", "true", "yes")


def results_root() -> Path:
    """Name the results folder the dashboards read.

    Returns
    -------
    pathlib.Path
        ``$CLUSTERLAB_RESULTS_ROOT`` when set (set by :func:`serve`), else ``./outputs``.

    Examples
    --------
    >>> import os
    >>> from clusterlab.dashboards import results_root
    >>> saved = os.environ.pop("CLUSTERLAB_RESULTS_ROOT", None)  # as when not set
    >>> results_root().as_posix()
    'outputs'
    >>> if saved is not None:
    ...     os.environ["CLUSTERLAB_RESULTS_ROOT"] = saved
    """
    return Path(os.environ.get(ENV_RESULTS_ROOT) or "outputs")


#: Seconds between checks for idle kernels, and idle time after which a kernel is shut down
#: (also with the tab open). A kernel's idle time starts when it leaves the preheated pool.
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

        max_kernels = Integer(MAX_KERNELS, config=True, help="Most kernels running at once.")

        # jupyter_client types MultiKernelManager.start_kernel as synchronous; jupyter_server's
        # MappingKernelManager (the parent here) has a coroutine, as here
        async def start_kernel(self, *args, **kwargs):  # type: ignore[override]
            if len(self.list_kernels()) >= self.max_kernels:
                raise web.HTTPError(503, "the dashboards are busy; please try again shortly")
            return await super().start_kernel(*args, **kwargs)

        async def cull_kernel_if_idle(self, kernel_id):
            # Voila's pool manager (a subclass) never passes a kernel still waiting in the
            # preheated pool to this method. The first time one arrives here it has just been
            # handed to a visitor, but its idle time still counts from its prerender (minutes
            # ago): its idle time starts now, or it would be culled before the page connects.
            seen = self.__dict__.setdefault("_cl_seen", set())
            if kernel_id not in seen:
                seen.add(kernel_id)
                kernel = self._kernels.get(kernel_id)
                if kernel is not None:
                    from jupyter_server._tz import utcnow

                    kernel.last_activity = utcnow()
                return None
            return await super().cull_kernel_if_idle(kernel_id)

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


#: Request infos kept for kernels that have not confirmed them (oldest dropped first).
_REQUEST_CACHE_SIZE = 1024


def _deliver_request_info_reliably() -> None:
    """Make Voila hand every preheated kernel the request it was opened with, even when the
    kernel's ``/voila/query`` connection dropped at that moment.

    Voila 0.5's ``RequestInfoSocketHandler`` keeps a request for a kernel only while no
    connection of that kernel is registered: a message written to a connection that is
    already closing is lost (the kernel reconnects and waits for ever, so a link
    ``cluster.ipynb?cluster=…`` shows the first cluster), and closing an old connection
    after its kernel reconnected removes another kernel's registration. Here every request
    is kept (bounded: the last ``_REQUEST_CACHE_SIZE``) and sent again on each reconnect,
    and a closing connection removes only itself. The kernel side (:func:`_request_info`)
    reconnects when nothing arrives within a few seconds.
    """
    import logging

    from voila.request_info_handler import RequestInfoSocketHandler as Handler

    if getattr(Handler, "_clusterlab_reliable", False):
        return

    def send_updates(cls, msg: dict) -> None:
        kernel_id, payload = msg["kernel_id"], msg["payload"]
        cls._cache.pop(kernel_id, None)
        cls._cache[kernel_id] = payload  # sent again whenever the kernel reconnects
        while len(cls._cache) > _REQUEST_CACHE_SIZE:
            cls._cache.pop(next(iter(cls._cache)))
        waiter = cls._waiters.get(kernel_id)
        if waiter is not None:
            try:
                waiter.write_message(payload)
            except Exception:  # noqa: BLE001 - closed connection: the kernel reconnects
                logging.getLogger("clusterlab.dashboards").debug(
                    "request info for kernel %s not sent; kept for its reconnect", kernel_id
                )

    def on_close(self) -> None:
        for kernel_id, waiter in list(Handler._waiters.items()):
            if waiter is self:
                del Handler._waiters[kernel_id]

    Handler.send_updates = classmethod(send_updates)  # type: ignore[method-assign,assignment]
    Handler.on_close = on_close  # type: ignore[method-assign]
    Handler._clusterlab_reliable = True  # type: ignore[attr-defined]


def voila_argv(
    *,
    port: int = 8866,
    open_browser: bool = True,
    notebook_dir: str | os.PathLike | None = None,
    max_kernels: int = MAX_KERNELS,
) -> list[str]:
    """Build the Voila command-line arguments :func:`serve` uses (safe defaults, see module doc).

    Parameters
    ----------
    port : int, default 8866
        Port on 127.0.0.1 (no fallback to another port).
    open_browser : bool, default True
        Open the default browser on the tree page.
    notebook_dir : str or path-like, optional
        Folder of the dashboard notebooks. Default ``None``: :func:`dashboard_dir`.
    max_kernels : int, default MAX_KERNELS
        Most kernels running at once.

    Returns
    -------
    list of str
        The arguments after ``voila``: the notebook folder first, then the options.

    Examples
    --------
    >>> from clusterlab.dashboards import voila_argv
    >>> argv = voila_argv(port=8900, open_browser=False)
    >>> argv[1:4]
    ['--port=8900', '--Voila.ip=127.0.0.1', '--Voila.port_retries=0']
    """
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


def serve(
    *,
    port: int = 8866,
    open_browser: bool = True,
    analyst: bool = False,
    results_root: str | os.PathLike = "outputs",
    max_kernels: int = MAX_KERNELS,
) -> int:
    """Serve the dashboards with Voila until interrupted; returns the exit status (0 = ok).

    Parameters
    ----------
    port : int, default 8866
        Port on 127.0.0.1 (no fallback to another port: a busy port is an error).
    open_browser : bool, default True
        Open the default browser on the tree page.
    analyst : bool, default False
        Show unprotected tables (every page says so). Default: public mode, every table
        through :func:`clusterlab.publish.protect`.
    results_root : str or path-like, default "outputs"
        Folder holding ``<run_id>/<cluster>/tables/*.parquet``.
    max_kernels : int, default MAX_KERNELS
        Most kernels running at once (each page view holds one until it is culled).

    Returns
    -------
    int
        The exit status of the Voila process (0 = ok; non-zero when e.g. the port is busy).

    Examples
    --------
    The command it runs is built by :func:`voila_argv`; starting the server itself blocks
    until interrupted, so it is not run here:

    >>> from clusterlab.dashboards import serve, voila_argv
    >>> voila_argv(port=8866, open_browser=False)[1]
    '--port=8866'
    >>> # starts a Voila server and blocks until interrupted, hence skipped:
    >>> serve(port=8866, open_browser=False)  # doctest: +SKIP
    """
    root = Path(results_root).resolve()
    argv = voila_argv(port=port, open_browser=open_browser, max_kernels=max_kernels)
    os.environ[ENV_ANALYST] = "1" if analyst else "0"
    os.environ[ENV_RESULTS_ROOT] = str(root)
    os.environ.setdefault("MPLBACKEND", "Agg")
    # the "clusterlab" Voila template (lab without CDN stylesheets) ships inside the package
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(TEMPLATE_ROOT), os.environ.get("JUPYTER_PATH", "")) if p
    )
    if not root.is_dir():
        print(
            f"clusterlab serve: no results folder {root}; run `clusterlab run` first "
            "(the dashboards will say that nothing is available)",
            file=sys.stderr,
        )
    mode = "ANALYST mode (unprotected tables)" if analyst else "public mode (disclosure control on)"
    print(
        f"clusterlab serve: http://127.0.0.1:{port}/ — {mode}; results from {root}", file=sys.stderr
    )
    from voila.app import Voila

    _forbid_remote_shutdown()
    _deliver_request_info_reliably()
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


def _sections_html(sections, heading: int = 3) -> str:
    h = heading
    return "".join(
        f'<section class="cl-section" data-section="{s.key}" id="{s.key}">'
        f"<h{h}>{html.escape(s.title)}</h{h}>{s.html}</section>"
        for s in sections
    )


class _Publication:
    """What every page of one server needs: tables of successful runs, run info, names, map."""

    def __init__(self, root: Path):
        from clusterlab.publish.runs import (
            boundaries_for,
            latest_runs,
            page_names,
            run_info,
            successful_runs,
        )

        self.root = root
        self.info = run_info(root)
        self.tables = load_results(root, runs=successful_runs(root))
        self.clusters = clusters_in(self.tables)
        self.names = page_names(self.info, self.tables)
        self.boundaries = boundaries_for(self.info) if self.clusters else None
        self.latest = latest_runs(self.info, self.tables) if not self.info.empty else None
        self.notes = run_notes(root)  # clusters whose latest run failed or did not finish

    def run(self, cluster: str):
        if self.latest is not None and cluster in self.latest.index:
            return self.latest.loc[cluster]
        return None


def _data_link(data: bytes, filename: str, mime: str, text: str) -> str:
    import base64

    b64 = base64.b64encode(data).decode("ascii")
    return (
        f'<a download="{html.escape(filename)}" href="data:{mime};base64,{b64}" '
        f'data-download="{html.escape(filename)}">{html.escape(text)}</a>'
    )


def downloads_html(prepared: dict, cluster: str, *, analyst: bool) -> str:
    """Download links (CSV per table with a header row of labels, one Excel workbook with a
    notes sheet) for every table that passed :func:`~clusterlab.publish.views.prepare`; the
    files are embedded as ``data:`` links, so nothing is served from disk."""
    import tempfile

    from clusterlab.labels import table_label
    from clusterlab.publish.export import to_csv, to_excel
    from clusterlab.publish.guide import GUIDE

    ready = {n: p for n, (p, _) in sorted(prepared.items()) if p is not None}
    if not ready:
        return '<p class="cl-missing">No table of this cluster can be downloaded.</p>'
    links = []
    with tempfile.TemporaryDirectory() as tmp:
        book = to_excel(ready, Path(tmp) / f"{cluster}.xlsx", analyst=analyst, labels=True)
        links.append(
            _data_link(
                book.read_bytes(),
                book.name,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "All tables (Excel workbook)",
            )
        )
        for name, p in ready.items():
            path = to_csv(p, Path(tmp) / f"{name}.csv", analyst=analyst, labels=True)
            links.append(
                _data_link(
                    path.read_bytes(),
                    f"{cluster}-{name}.csv",
                    "text/csv",
                    f"{table_label(name)} (CSV)",
                )
            )
    return (
        f'<p class="cl-intro">{html.escape(GUIDE["downloads"].intro)}</p>'
        f'<p class="cl-downloads">{" ".join(links)}</p>'
    )


def _run_note(note: str | None) -> str:
    """The visible note of a cluster whose latest run did not succeed (run id and date)."""
    if not note:
        return ""
    return f'<p class="cl-run-note" role="status">{html.escape(note)}</p>'


def _cluster_page(pub: _Publication, cluster: str, *, analyst: bool) -> str:
    from clusterlab.publish.guide import GUIDE
    from clusterlab.publish.sections import cluster_sections, prepare_cluster
    from clusterlab.publish.site import footer_html
    from clusterlab.publish.views import Section

    prepared = prepare_cluster(pub.tables, cluster, analyst=analyst)
    sections = cluster_sections(
        pub.tables,
        cluster,
        analyst=analyst,
        names=pub.names,
        boundaries=pub.boundaries,
        heading=3,
        prepared=prepared,
    )
    sections.append(
        Section(
            "downloads",
            GUIDE["downloads"].title,
            downloads_html(prepared, cluster, analyst=analyst),
        )
    )
    run = pub.run(cluster)
    names = pub.names
    region = names.region(names.home[cluster]) if cluster in names.home else ""
    when = ""
    if run is not None and run.get("finished") is not None and str(run.get("finished")) != "NaT":
        when = f"last successful run {str(run['finished'])[:10]}"
    sub = " · ".join(x for x in (f"Region: {region}" if region else "", when) if x)
    return (
        f'<div class="cl-page" data-cluster="{html.escape(cluster)}">'
        f"<h2>{html.escape(names.initiative(cluster))}</h2>"
        f'<p class="cl-subtitle">{html.escape(sub)}</p>{_run_note(pub.notes.get(cluster))}'
        f"{_sections_html(sections)}"
        f"{footer_html(run, generated=False)}</div>"
    )


def cluster_dashboard(
    root: str | os.PathLike | None = None, *, analyst: bool | None = None, prerender: bool = True
):
    """Build the cluster dashboard widget: a cluster list and the selected cluster's page.

    The first cluster's page (or the one named by ``?cluster=`` in the address) is drawn at
    once; with ``prerender`` the others are drawn too — before the page is asked for in a
    preheated Voila kernel, in a background thread otherwise; every page is cached.

    Parameters
    ----------
    root : str or path-like, optional
        Results folder. Default ``None``: :func:`results_root`.
    analyst : bool, optional
        Show unprotected tables. Default ``None``: :func:`analyst_mode`.
    prerender : bool, default True
        Draw the pages of the other clusters ahead of being asked for.

    Returns
    -------
    ipywidgets.VBox
        The dashboard; its ``.dropdown`` and ``.page`` (an ``HTML`` widget) attributes are
        exposed for tests.

    Examples
    --------
    >>> import tempfile
    >>> from clusterlab.dashboards import cluster_dashboard
    >>> with tempfile.TemporaryDirectory() as tmp:  # no results yet: an empty list
    ...     widget = cluster_dashboard(tmp, prerender=False)
    >>> type(widget).__name__
    'VBox'
    """
    import ipywidgets as widgets

    started = time.perf_counter()

    analyst = analyst_mode() if analyst is None else bool(analyst)
    root = results_root() if root is None else Path(root)
    pub = _Publication(root)
    clusters = pub.clusters
    header = widgets.HTML(_header(analyst))
    if not clusters:
        where = f" in {html.escape(str(root))}" if analyst else ""  # no server paths
        page = widgets.HTML(
            f'<p class="cl-missing">No results found{where}: '
            "run the analysis notebooks first (clusterlab run).</p>"
        )
        box = widgets.VBox([header, page])
        box.dropdown, box.page = None, page
        return box
    cache: dict[str, str] = {}
    lock = threading.Lock()  # pyplot is not thread-safe: one page is drawn at a time
    withheld = set() if analyst else contributor_names(pub.tables)

    def render(cluster: str) -> str:
        with lock:
            if cluster not in cache:
                page = _cluster_page(pub, cluster, analyst=analyst)
                cache[cluster] = page if analyst else _scanned(page, withheld)
            return cache[cluster]

    first = _requested_cluster(clusters) or clusters[0]
    dropdown = widgets.Dropdown(
        options=[(pub.names.initiative(c), c) for c in clusters],
        value=first,
        description="Cluster:",
    )
    dropdown.add_class("cl-cluster-select")
    page = widgets.HTML(render(first))
    page.add_class("cl-cluster-page")

    def on_change(change):
        page.value = render(change["new"])

    dropdown.observe(on_change, names="value")
    box = widgets.VBox([header, dropdown, page])
    box.dropdown, box.page = dropdown, page
    preheated = os.environ.get("VOILA_PREHEAT") == "True"
    if preheated and prerender:
        # a preheated kernel draws every cluster before anyone opens the page, so that a
        # change of cluster (or a link to one) is instant
        for c in clusters:
            render(c)
    _log_ready("cluster", started, len(clusters))
    if preheated:
        # a preheated kernel learns the page's address only when someone opens it
        threading.Thread(target=_follow_request, args=(dropdown, clusters), daemon=True).start()
    elif prerender and len(clusters) > 1:
        # draw the other clusters' pages in the background so that a change is quick
        threading.Thread(
            target=lambda: [render(c) for c in clusters if c != first], daemon=True
        ).start()
    return box


def _requested_cluster(clusters) -> str | None:
    """The ``cluster`` of the page's query string (Voila puts it in ``QUERY_STRING``)."""
    from urllib.parse import parse_qs

    wanted = parse_qs(os.environ.get("QUERY_STRING", "")).get("cluster", [None])[0]
    return wanted if wanted in clusters else None


def _request_info(*, retry: float = 2.0, quiet: float = 15.0) -> dict:
    """The request that a preheated kernel was handed to (``QUERY_STRING`` …), as Voila sends
    it on ``/voila/query/<kernel id>``.

    Like :func:`voila.utils.wait_for_request`, but the connection has no keep-alive pings (a
    kernel busy drawing pages misses them and the server closes the connection, after which
    Voila's own helper returns nothing) and is opened again when it closes or has been quiet
    for ``quiet`` seconds (a connection can die without either side noticing): the server
    keeps the request and sends it again on every reconnect
    (:func:`_deliver_request_info_reliably`).
    """
    import asyncio
    import json

    import websockets

    port = os.environ.get("VOILA_APP_PORT", "8866")
    base = os.environ.get("VOILA_WS_BASE_URL") or os.environ.get("VOILA_SERVER_URL") or "/"
    url = (
        f"{os.environ.get('VOILA_WS_PROTOCOL', 'ws')}://"
        f"{os.environ.get('VOILA_APP_IP', '127.0.0.1')}:{port}{base}voila/query/"
        f"{os.environ.get('VOILA_KERNEL_ID', '')}"
    )

    async def receive() -> str | bytes:  # a text frame, or a binary one
        while True:
            try:
                async with websockets.connect(url, open_timeout=10, ping_interval=None) as ws:
                    return await asyncio.wait_for(ws.recv(), timeout=quiet)
            except (TimeoutError, OSError, websockets.exceptions.WebSocketException):
                await asyncio.sleep(retry)

    loop = asyncio.new_event_loop()
    try:
        return json.loads(loop.run_until_complete(receive()))
    finally:
        loop.close()


def _follow_request(dropdown, clusters) -> None:
    """Switch a preheated kernel's page to the ``?cluster=`` it was opened with."""
    try:
        info = _request_info()
    except Exception:  # noqa: BLE001 - without the request the first cluster stays
        return
    os.environ.update({k: str(v) for k, v in info.items()})
    wanted = _requested_cluster(clusters)
    if wanted is not None and wanted != dropdown.value:
        dropdown.value = wanted


def _scanned(body: str, names) -> str:
    """The page, or a notice in its place when it names a non-consenting contributor (the
    last check before anything reaches the browser: fail closed)."""
    if scan_text(html.unescape(body), names):
        return (
            '<p class="cl-missing">This page is withheld: it failed the final disclosure check.</p>'
        )
    return body


def _log_ready(which: str, started: float, n: int) -> None:
    """One line on the server's log (the kernel's real stderr), e.g. when a kernel is preheated."""
    preheat = " (preheated kernel)" if os.environ.get("VOILA_PREHEAT") == "True" else ""
    stream = sys.__stderr__
    if stream is not None and os.environ.get("VOILA_APP_PORT"):
        print(
            f"clusterlab: {which} dashboard ready in {time.perf_counter() - started:.2f} s, "
            f"{n} cluster(s){preheat}",
            file=stream,
            flush=True,
        )


def benchmark_dashboard(root: str | os.PathLike | None = None, *, analyst: bool | None = None):
    """Build the benchmark dashboard widget: all initiatives side by side (static, no inputs).

    Parameters
    ----------
    root : str or path-like, optional
        Results folder. Default ``None``: :func:`results_root`.
    analyst : bool, optional
        Show unprotected tables. Default ``None``: :func:`analyst_mode`.

    Returns
    -------
    ipywidgets.VBox
        The dashboard.

    Examples
    --------
    >>> import tempfile
    >>> from clusterlab.dashboards import benchmark_dashboard
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     widget = benchmark_dashboard(tmp)
    >>> type(widget).__name__
    'VBox'
    """
    import ipywidgets as widgets

    from clusterlab.publish.sections import benchmark_sections
    from clusterlab.publish.site import footer_html

    started = time.perf_counter()
    analyst = analyst_mode() if analyst is None else bool(analyst)
    root = results_root() if root is None else Path(root)
    pub = _Publication(root)
    where = f" in {html.escape(str(root))}" if analyst else ""  # no server paths in public
    body = (
        _sections_html(benchmark_sections(pub.tables, analyst=analyst, names=pub.names))
        if pub.tables
        else f'<p class="cl-missing">No results found{where}.</p>'
    )
    if not analyst:
        body = _scanned(body, contributor_names(pub.tables))
    page = widgets.HTML(
        f'<div class="cl-page" data-cluster="benchmark">'
        f"<h2>All initiatives side by side</h2>{body}"
        f"{footer_html(None, generated=False)}</div>"
    )
    page.add_class("cl-benchmark-page")
    box = widgets.VBox([widgets.HTML(_header(analyst)), page])
    box.page = page
    _log_ready("benchmark", started, len(pub.clusters))
    return box


def landing_page(root: str | os.PathLike | None = None, *, analyst: bool | None = None):
    """Build the landing page widget: every cluster, with links to its dashboard.

    Each cluster is listed with its full name, region, last successful run and three headline
    figures, linking to its dashboard (``cluster.ipynb?cluster=<name>``) and to the benchmark.

    Parameters
    ----------
    root : str or path-like, optional
        Results folder. Default ``None``: :func:`results_root`.
    analyst : bool, optional
        Show unprotected tables. Default ``None``: :func:`analyst_mode`.

    Returns
    -------
    ipywidgets.VBox
        The page.

    Examples
    --------
    >>> import tempfile
    >>> from clusterlab.dashboards import landing_page
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     widget = landing_page(tmp)
    >>> type(widget).__name__
    'VBox'
    """
    import ipywidgets as widgets

    from clusterlab.publish.sections import landing_html, landing_rows

    started = time.perf_counter()
    analyst = analyst_mode() if analyst is None else bool(analyst)
    root = results_root() if root is None else Path(root)
    pub = _Publication(root)
    rows = landing_rows(pub.tables, pub.info, names=pub.names, analyst=analyst)
    body = landing_html(
        rows,
        link=lambda c: f"cluster.ipynb?cluster={c}",
        benchmark_href="benchmark.ipynb",
        heading=1,
    )
    if not rows:
        body = (
            f'<p class="cl-missing">No results found in {html.escape(str(root))}: run the '
            "analysis notebooks first (clusterlab run).</p>"
        )
    page = widgets.HTML(f'<div class="cl-page" data-cluster="landing">{body}</div>')
    page.add_class("cl-landing-page")
    box = widgets.VBox([widgets.HTML(_header(analyst)), page])
    box.page = page
    _log_ready("landing", started, len(rows))
    return box
