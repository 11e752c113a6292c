# ruff: noqa: N803, N806  (networkx convention: A for an adjacency matrix)
"""Betweenness on large networks with the optional, MIT-licensed ``networkit`` C++ library
(internal module; the public entry point is :func:`clusterlab.networks.betweenness`).

* exact: Brandes's algorithm, parallel over the cores;
* sampled, undirected: KADABRA (Borassi & Natale 2019) — adaptive sampling of shortest paths
  with the guarantee that, with probability at least :math:`1-\\delta`, *every* actor's
  normalised betweenness is within :math:`\\varepsilon` of the exact value (stated
  conservatively on our scale as :math:`\\varepsilon\\,n/(n-2)`);
* sampled, any network: source sampling (Brandes & Pich 2007), as networkx's ``k``.

networkx stays the reference: the values equal networkx's (tests).
"""

from __future__ import annotations

import contextlib
import math

import numpy as np

__all__ = [
    "networkit",
    "to_networkit",
    "exact_raw",
    "kadabra_norm",
    "sampled_raw",
    "hoeffding_bound",
]


def networkit():
    """The networkit module, or None when it is not installed."""
    try:
        import networkit as nk  # noqa: PLC0415
    except ImportError:  # pragma: no cover - networkit is in the networks/test extras
        return None
    return nk


def to_networkit(A, directed: bool):
    """networkit graph of a binary CSR adjacency matrix (row i → column j), nodes 0..n-1."""
    nk = networkit()
    C = A.tocoo()
    rows, cols = C.row.astype(np.uint64), C.col.astype(np.uint64)
    if not directed:
        keep = rows < cols
        rows, cols = rows[keep], cols[keep]
    g = nk.Graph(A.shape[0], weighted=False, directed=directed)
    if len(rows):
        g.addEdges((rows, cols))
    return g


@contextlib.contextmanager
def _threads(nk, n: int | None):
    old = nk.getMaxNumberOfThreads()
    if n is not None:
        nk.setNumberOfThreads(n)
    try:
        yield
    finally:
        nk.setNumberOfThreads(old)


def exact_raw(A, directed: bool) -> np.ndarray:
    """Freeman betweenness, raw, networkx's scale (unordered pairs when undirected)."""
    nk = networkit()
    b = nk.centrality.Betweenness(to_networkit(A, directed), False)
    b.run()
    raw = np.asarray(b.scores(), dtype=float)
    return raw if directed else raw / 2.0  # networkit counts ordered pairs


def kadabra_norm(A, epsilon: float, delta: float, seed: int) -> np.ndarray:
    """KADABRA estimate of normalised betweenness of an undirected network (our scale,
    :math:`(n-1)(n-2)/2` unordered pairs); seeded and single-threaded, hence reproducible."""
    nk = networkit()
    g = to_networkit(A, False)
    with _threads(nk, 1):
        nk.setSeed(int(seed), False)
        k = nk.centrality.KadabraBetweenness(g, float(epsilon), float(delta))
        k.run()
        # networkit's KADABRA scores are twice the normalised Freeman betweenness (checked
        # against exact values); its epsilon is stated on our scale as epsilon * n / (n - 2)
        return np.asarray(k.scores(), dtype=float) / 2.0


def sampled_raw(A, directed: bool, k: int, seed: int) -> np.ndarray:
    """Source-sampled (Brandes-Pich) raw betweenness scaled to all n sources."""
    nk = networkit()
    with _threads(nk, 1):
        nk.setSeed(int(seed), False)
        e = nk.centrality.EstimateBetweenness(to_networkit(A, directed), int(k), False, False)
        e.run()
        raw = np.asarray(e.scores(), dtype=float)
    # networkit already extrapolates the k samples to all n sources (ordered pairs)
    return raw if directed else raw / 2.0


def hoeffding_bound(n: int, k: int, delta: float) -> float:
    """Half-width :math:`t` such that, with probability at least :math:`1-\\delta`, every
    actor's source-sampled normalised betweenness is within :math:`t` of the exact value.

    Each sampled source *s* contributes the dependency :math:`\\delta_s(v)/(n-2) \\in [0, 1]`;
    Hoeffding's inequality with a union bound over the *n* actors gives
    :math:`t = \\frac{n}{n-1}\\sqrt{\\ln(2n/\\delta)/(2k)}`.
    """
    if n < 3 or k < 1:
        return 0.0
    return n / (n - 1) * math.sqrt(math.log(2 * n / delta) / (2 * k))
