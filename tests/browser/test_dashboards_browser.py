"""The dashboards and the static site in a real browser (headless Debian Chromium).

Checks: the cluster dashboard renders, the dropdown updates the page through the kernel,
missing tables say "not available", no demo firm name or id reaches a public page, no request
leaves the machine except Voila's two FontAwesome CSS links, the analyst mode is announced; the
static site renders from file:// with no request at all. Render times are printed (benchmark,
not an assertion).
"""

from __future__ import annotations

import time
from urllib.parse import urlparse

import pytest

from .conftest import ALLOWED_EXTERNAL

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGE = ".cl-cluster-page .cl-page"


def _watch(page):
    """Record every request and every failed request of a page."""
    log = {"requests": [], "failed": []}
    page.on("request", lambda r: log["requests"].append(r.url))
    page.on("requestfailed", lambda r: log["failed"].append(r.url))
    return log


def _outside(urls, *, host):
    bad = []
    for url in urls:
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob", "about", "file") or parsed.netloc == host:
            continue
        if url.startswith(ALLOWED_EXTERNAL):
            continue
        bad.append(url)
    return bad


def _assert_no_firm(content, firm_names):
    names, ids = firm_names
    leaked = [n for n in names if n in content] + [i for i in ids if f">{i}<" in content]
    assert not leaked, f"firm names/ids on a public page: {leaked[:5]}"


def test_cluster_dashboard_public(chromium, voila_public, firm_names, shots):
    page = chromium.new_page(viewport={"width": 1280, "height": 1600})
    log = _watch(page)
    t0 = time.perf_counter()
    page.goto(voila_public.url + "/voila/render/cluster.ipynb", timeout=60_000)
    page.wait_for_selector(f'{PAGE}[data-cluster="eastshire_medtech"]', timeout=60_000)
    first = time.perf_counter() - t0
    page.wait_for_selector(f"{PAGE} svg", timeout=10_000)
    print(f"\n[bench] cluster dashboard first paint (preheated): {first:.2f} s")
    page.screenshot(path=str(shots / "cluster_public_first.png"), full_page=True)

    # the first cluster (alphabetical) lacks two tables: the page says so
    text = page.inner_text(".cl-cluster-page")
    assert "Eastshire Medtech" in text
    assert text.count("not available for this cluster") == 1  # member effects
    assert "Disclosure control" in page.inner_text("body")
    assert "ANALYST MODE" not in page.content()
    _assert_no_firm(page.content(), firm_names)

    # choose another cluster: the kernel re-renders the page
    t1 = time.perf_counter()
    page.select_option(".cl-cluster-select select", label="Northport Maritime")
    page.wait_for_selector(f'{PAGE}[data-cluster="northport_maritime"]', timeout=30_000)
    print(f"[bench] dropdown change to a new cluster: {time.perf_counter() - t1:.2f} s")
    text = page.inner_text(".cl-cluster-page")
    assert "Northport Maritime" in text and "Eastshire Medtech" not in text
    assert "not available for this cluster" not in text
    assert page.locator(f"{PAGE} .cl-figure svg").count() >= 5
    assert "Member vs non-member estimates" in page.content()
    # suppressed cells (2 raters for 'funding', single agency in the network) show as x
    assert page.locator(f"{PAGE} td.cl-x").count() > 0
    _assert_no_firm(page.content(), firm_names)
    page.screenshot(path=str(shots / "cluster_public_northport.png"), full_page=True)

    bad = _outside(log["requests"], host=urlparse(voila_public.url).netloc)
    print(f"[net] {len(log['requests'])} requests, failed: {log['failed']}")
    assert not bad, f"requests leaving the machine: {bad}"
    assert all(u.startswith(ALLOWED_EXTERNAL) for u in log["failed"]), log["failed"]
    page.close()


def test_benchmark_dashboard_public(chromium, voila_public, firm_names, shots):
    page = chromium.new_page(viewport={"width": 1280, "height": 1400})
    log = _watch(page)
    t0 = time.perf_counter()
    page.goto(voila_public.url + "/voila/render/benchmark.ipynb", timeout=60_000)
    page.wait_for_selector('.cl-benchmark-page .cl-page[data-cluster="benchmark"] svg',
                           timeout=60_000)
    print(f"\n[bench] benchmark dashboard first paint: {time.perf_counter() - t0:.2f} s")
    content = page.content()
    for title in ("CIMBT components", "Insight vs execution", "Big-five platform status",
                  "Member effects"):
        assert title in content
    _assert_no_firm(content, firm_names)
    assert not _outside(log["requests"], host=urlparse(voila_public.url).netloc)
    page.screenshot(path=str(shots / "benchmark_public.png"), full_page=True)
    page.close()


def test_voila_refuses_other_files_and_template_override(chromium, voila_public):
    page = chromium.new_page()
    resp = page.goto(voila_public.url + "/voila/files/cluster.ipynb")
    assert resp.status == 403  # notebooks are not downloadable
    resp = page.goto(voila_public.url + "/voila/render/cluster.ipynb?template=classic")
    page.wait_for_selector(PAGE, timeout=60_000)
    hrefs = [link.get_attribute("href") or "" for link in page.locator("link").all()]
    # our template ("clusterlab", based on lab) is served, not the one asked for in the URL
    assert any("/voila/templates/clusterlab/" in h or "/voila/templates/lab/" in h
               for h in hrefs), hrefs
    assert not any("/templates/classic/" in h for h in hrefs), hrefs
    assert not any(h.startswith(("http://", "https://")) and "127.0.0.1" not in h
                   for h in hrefs), hrefs
    page.close()


def test_cluster_dashboard_analyst_mode(chromium, voila_analyst, firm_names, shots):
    page = chromium.new_page(viewport={"width": 1280, "height": 1400})
    page.goto(voila_analyst.url + "/voila/render/cluster.ipynb", timeout=60_000)
    page.wait_for_selector(f"{PAGE} svg", timeout=60_000)
    page.select_option(".cl-cluster-select select", label="Northport Maritime")
    page.wait_for_selector(f'{PAGE}[data-cluster="northport_maritime"]', timeout=30_000)
    content = page.content()
    assert "ANALYST MODE" in content  # the mode reached the preheated kernel and says so
    names, _ = firm_names
    assert any(n in content for n in names)  # unprotected: actor names are shown
    page.screenshot(path=str(shots / "cluster_analyst.png"), full_page=True)
    page.close()


def test_static_site_offline(chromium, results_tree, firm_names, tmp_path, shots):
    from clusterlab.publish import export_site

    t0 = time.perf_counter()
    index = export_site(tmp_path / "site", results_root=results_tree)
    print(f"\n[bench] export_site: {time.perf_counter() - t0:.2f} s")
    page = chromium.new_page(viewport={"width": 1280, "height": 1400})
    log = _watch(page)
    t1 = time.perf_counter()
    page.goto(index.as_uri())
    page.click("text=Valley Foodtech")
    page.wait_for_selector("section#cimbt svg")
    print(f"[bench] static cluster page from file://: {time.perf_counter() - t1:.2f} s")
    assert "Cluster dashboard — Valley Foodtech" in page.inner_text("h1")
    assert page.locator("section .cl-figure svg").count() >= 5
    page.screenshot(path=str(shots / "site_cluster.png"), full_page=True)
    for other in ("benchmark.html", "cluster-eastshire_medtech.html"):
        page.goto((index.parent / other).as_uri())
        _assert_no_firm(page.content(), firm_names)
    assert "not available for this cluster" in page.content()
    assert page.locator("script").count() == 0
    assert all(u.startswith("file://") for u in log["requests"]), log["requests"]
    assert not log["failed"], log["failed"]
    page.close()

