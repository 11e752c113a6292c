# ruff: noqa: N803, N806  (networkx convention: G for a graph, A for its adjacency matrix)
"""Brokerage: Gould-Fernandez roles by group (raw counts, expected counts, z-scores) and Burt's
structural-hole measures (effective size, efficiency, constraint).

Gould & Fernandez classify every *open* two-path :math:`a \\to b \\to c` (no tie
:math:`a \\to c`, :math:`a \\ne c`) by the groups of :math:`a`, the broker :math:`b` and
:math:`c`. Under the package's direction convention (:math:`i \\to j`: *i* turns to *j*) the
broker is the one whom *a* turns to and who turns to *c*.

Examples
--------
>>> import networkx as nx
>>> from clusterlab.networks import brokerage
>>> G = nx.DiGraph([("a", "b"), ("b", "c")])
>>> nx.set_node_attributes(G, {"a": "x", "b": "y", "c": "y"}, "group")
>>> brokerage(G, "group").set_index("node").loc["b", "gatekeeper"]
np.float64(1.0)
"""

from __future__ import annotations

from math import comb

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from clusterlab._validation import check_choice
from clusterlab.networks._common import check_graph, node_values

__all__ = ["ROLES", "brokerage", "brokerage_totals", "gould_fernandez", "burt"]

#: Gould-Fernandez roles; sna names: w_I, w_O, b_IO, b_OI, b_O (itinerant = UCINET consultant).
ROLES = ["coordinator", "itinerant", "representative", "gatekeeper", "liaison"]


def gould_fernandez(G: nx.Graph, attribute: str, *, credit: str = "full"):
    """Raw Gould-Fernandez counts: ``(nodes, groups, counts[n, 5], A)``.

    An undirected network counts each open two-path in both directions (as ``sna`` does on a
    symmetric matrix). ``credit="partial"`` gives each of the :math:`k` brokers of the pair
    :math:`(a, c)` a credit of :math:`1/k` (UCINET's option).
    """
    check_graph(G)
    check_choice(credit, ["full", "partial"], argument="credit")
    vals = node_values(G, attribute)
    nodes = list(G.nodes)
    A = nx.to_scipy_sparse_array(G, nodelist=nodes, weight=None, dtype=float, format="csr")
    A.setdiag(0)
    A.eliminate_zeros()
    A.data[:] = 1.0
    A = sp.csr_array(A)
    AT = A.T.tocsr()
    lab = [vals[v] for v in nodes]
    codes = {g: i for i, g in enumerate(dict.fromkeys(lab))}
    g = np.array([codes[x] for x in lab])
    n = len(nodes)
    counts = np.zeros((n, 5))
    for b in range(n):
        P = AT.indices[AT.indptr[b] : AT.indptr[b + 1]]
        S = A.indices[A.indptr[b] : A.indptr[b + 1]]
        if not len(P) or not len(S):
            continue
        closed = A[P][:, S].toarray()
        open_ = 1.0 - closed
        open_[P[:, None] == S[None, :]] = 0.0
        if credit == "partial":
            # k = number of brokers of the pair (a, c) = (A @ A)[a, c]
            k2 = (A[P] @ AT[S].T).toarray()
            with np.errstate(divide="ignore", invalid="ignore"):
                open_ = np.where(open_ > 0, 1.0 / k2, 0.0)
        ga, gc, gb = g[P][:, None], g[S][None, :], g[b]
        same_ac = ga == gc
        counts[b, 0] = open_[same_ac & (ga == gb)].sum()
        counts[b, 1] = open_[same_ac & (ga != gb)].sum()
        counts[b, 2] = open_[(ga == gb) & (gc != gb)].sum()
        counts[b, 3] = open_[(gc == gb) & (ga != gb)].sum()
        counts[b, 4] = open_[~same_ac & (ga != gb) & (gc != gb)].sum()
    return nodes, lab, counts, A


def _moments(A, lab):
    """sna::brokerage expectations and variances per broker class (Gould & Fernandez 1989)."""
    N = float(A.shape[0])
    m = float(A.sum())
    d = m / (N * (N - 1)) if N > 1 else 0.0
    p, q = d**2 * (1 - d), d**3 * (1 - d) ** 3
    classes = list(dict.fromkeys(lab))
    sizes = np.array([sum(x == c for x in lab) for c in classes], dtype=float)
    E, V = {}, {}
    for i, c in enumerate(classes):
        ni, other = sizes[i], np.delete(sizes, i)
        e = np.zeros(6)
        v = np.zeros(6)
        e[0] = p * (ni - 1) * (ni - 2)
        v[0] = e[0] * (1 - p) + 2 * (ni - 1) * (ni - 2) * (ni - 3) * q
        e[1] = p * np.sum(other * (other - 1))
        v[1] = e[1] * (1 - p) + 2 * np.sum(other * (other - 1) * (other - 2)) * q
        e[2] = p * (N - ni) * (ni - 1)
        v[2] = (
            e[2] * (1 - p)
            + 2 * ((ni - 1) * comb(int(N - ni), 2) + (N - ni) * comb(max(int(ni - 1), 0), 2)) * q
        )
        e[3], v[3] = e[2], v[2]
        e[4] = p * (np.sum(np.outer(other, other)) - np.sum(other**2))
        v[4] = e[4] * (1 - p) + 4 * np.sum(
            other * np.array([comb(max(int(N - o - ni), 0), 2) for o in other]) * q
        )
        e[5] = p * (N - 1) * (N - 2)
        v[5] = e[5] * (1 - p) + 2 * (N - 1) * (N - 2) * (N - 3) * q
        E[c], V[c] = e, v
    return E, V, d


def brokerage(
    G: nx.Graph, attribute: str, *, credit: str = "full", weight: str | None = None
) -> pd.DataFrame:
    """Gould-Fernandez brokerage roles and Burt's structural holes, one row per actor.

    Parameters
    ----------
    G : networkx.DiGraph or Graph
        One relation (ties are taken as binary for Gould-Fernandez).
    attribute : str
        Node attribute defining the groups (department, kind of actor, initiative member …);
        must be present for every actor.
    credit : {"full", "partial"}
        Full credit (``sna::brokerage``) or UCINET's partial credit :math:`1/k` when :math:`k`
        brokers join the same pair.
    weight : str, optional
        Edge attribute for Burt's measures (``None`` = binary).

    Returns
    -------
    pandas.DataFrame
        ``node, group, coordinator, itinerant, representative, gatekeeper, liaison, total``,
        then ``expected_<role>`` and ``z_<role>`` (incl. total), then ``effective_size,
        efficiency, constraint``.

    Notes
    -----
    Roles of broker *b* on the open two-path :math:`a\\to b\\to c` (Gould & Fernandez 1989;
    names as in ``sna``): coordinator :math:`w_I` (all three in one group), itinerant
    :math:`w_O` (UCINET's *consultant*: *a*, *c* in one group, *b* outside), representative
    :math:`b_{IO}` (*a* in *b*'s group, *c* outside), gatekeeper :math:`b_{OI}` (*c* in *b*'s
    group, *a* outside), liaison :math:`b_O` (three different groups). Expected counts under a
    random graph of the same density :math:`d` are :math:`d^2(1-d)` times the number of
    eligible ordered pairs, e.g. :math:`E[w_I] = d^2(1-d)(n_g-1)(n_g-2)`; variances and z-scores
    follow Gould & Fernandez's formulas as implemented in ``sna::brokerage`` (Butts). Burt's
    effective size and constraint are networkx's definitions in sparse-matrix form
    (:func:`burt`); efficiency = effective size / number of distinct contacts.

    References
    ----------
    Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation: a formal approach to
    brokerage in transaction networks. *Sociological Methodology* 19, 89-126.
    Burt, R. S. (1992). *Structural Holes*. Harvard UP.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> nx.set_node_attributes(G, dict(a=1, b=1, c=2, d=2), "dept")
    >>> brokerage(G, "dept").set_index("node").loc["b", ROLES].tolist()
    [0.0, 0.0, 1.0, 0.0, 0.0]
    """
    nodes, lab, counts, A = gould_fernandez(G, attribute, credit=credit)
    df = pd.DataFrame(counts, columns=ROLES)
    df.insert(0, "group", lab)
    df.insert(0, "node", nodes)
    df["total"] = counts.sum(axis=1)
    E, V, _ = _moments(A, lab)
    exp = np.array([E[x] for x in lab]).reshape(len(nodes), 6)
    sd = np.sqrt(np.array([V[x] for x in lab]).reshape(len(nodes), 6))
    obs = df[ROLES + ["total"]].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(sd > 0, (obs - exp) / sd, np.nan)
    for k, r in enumerate(ROLES + ["total"]):
        df[f"expected_{r}"] = exp[:, k]
    for k, r in enumerate(ROLES + ["total"]):
        df[f"z_{r}"] = z[:, k]
    es, eff, con = burt(G, weight=weight, nodelist=nodes)
    df["effective_size"] = es
    df["efficiency"] = eff
    df["constraint"] = con
    return df


def burt(G: nx.Graph, *, weight: str | None = None, nodelist=None):
    """Burt's effective size, efficiency and constraint as arrays over ``nodelist``.

    Sparse-matrix form of networkx's ``effective_size`` and ``constraint`` (equal to them; they
    are tested against each other), which keeps memory linear in the number of ties.
    With :math:`W = A + A^T` (mutual tie strength), :math:`p_{ij} = w_{ij}/\\sum_k w_{ik}`,
    :math:`m_{jq} = w_{jq}/\\max_k w_{jk}` and :math:`N(i)` the contacts of *i*:
    effective size :math:`\\sum_{j\\in N(i)} (1 - \\sum_{q\\ne i,j} p_{iq} m_{jq})`, efficiency =
    effective size / :math:`|N(i)|`, constraint
    :math:`\\sum_{j\\in N(i)} (p_{ij} + \\sum_{q\\ne i,j} p_{iq} p_{qj})^2`. Actors without contacts
    get NaN.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network.
    weight : str, optional
        Edge attribute of tie strengths; ``None`` (default): every tie counts 1.
    nodelist : list, optional
        Order of the actors in the returned arrays (default: ``G``'s order).

    Returns
    -------
    tuple of numpy.ndarray
        ``(effective_size, efficiency, constraint)``, one value per actor of ``nodelist``.

    Examples
    --------
    >>> import networkx as nx
    >>> es, eff, con = burt(nx.star_graph(3))
    >>> es.tolist(), con.round(4).tolist()
    ([3.0, 1.0, 1.0, 1.0], [0.3333, 1.0, 1.0, 1.0])
    """
    check_graph(G, weight=weight)
    nodes = list(G.nodes) if nodelist is None else list(nodelist)
    A = nx.to_scipy_sparse_array(G, nodelist=nodes, weight=weight, dtype=float, format="csr")
    A.setdiag(0)
    A.eliminate_zeros()
    W = sp.csr_array(A + A.T)
    N = W.copy()
    N.data[:] = 1.0
    deg = np.asarray(N.sum(axis=1)).ravel()
    tot = np.asarray(W.sum(axis=1)).ravel()
    mx = np.asarray(W.max(axis=1).toarray()).ravel() if W.nnz else np.zeros(len(nodes))
    inv_tot = np.where(tot > 0, 1.0 / np.where(tot > 0, tot, 1.0), 0.0)
    inv_mx = np.where(mx > 0, 1.0 / np.where(mx > 0, mx, 1.0), 0.0)
    P = sp.csr_array(sp.diags_array(inv_tot) @ W)
    M = sp.csr_array(sp.diags_array(inv_mx) @ W)
    redundancy = np.asarray((N * (P @ M.T)).sum(axis=1)).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        es = np.where(deg > 0, deg - redundancy, np.nan)
        eff = np.where(deg > 0, es / np.where(deg > 0, deg, 1), np.nan)
    PP = sp.csr_array(P @ P)
    local = N * (P + PP)
    local.data **= 2
    con = np.where(deg > 0, np.asarray(local.sum(axis=1)).ravel(), np.nan)
    return es, eff, con


def brokerage_totals(G: nx.Graph, attribute: str) -> pd.DataFrame:
    """Whole-network Gould-Fernandez counts with expectations (``sna``'s ``raw.gli``,
    ``exp.gli``).

    Parameters
    ----------
    G : networkx.DiGraph or networkx.Graph
        The network.
    attribute : str
        Node attribute defining the groups; present for every actor.

    Returns
    -------
    pandas.DataFrame
        ``role, observed, expected``: one row per brokerage role and the total.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(G, {"a": 1, "b": 1, "c": 1}, "g")
    >>> brokerage_totals(G, "g").set_index("role").loc["coordinator", "observed"]
    np.float64(1.0)
    """
    nodes, lab, counts, A = gould_fernandez(G, attribute)
    N = float(len(nodes))
    d = float(A.sum()) / (N * (N - 1)) if N > 1 else 0.0
    p = d**2 * (1 - d)
    n = np.array([sum(x == c for x in lab) for c in dict.fromkeys(lab)], dtype=float)
    expected = [
        p * np.sum(n * (n - 1) * (n - 2)),
        p * np.sum(n * (N - n) * (n - 1)),
        p * np.sum(n * (N - n) * (n - 1)),
        p * np.sum(n * (N - n) * (n - 1)),
        p * (np.sum(np.outer(n, n) * (N - n[:, None] - n[None, :])) - np.sum(n * n * (N - 2 * n))),
        p * N * (N - 1) * (N - 2),
    ]
    obs = list(counts.sum(axis=0)) + [counts.sum()]
    return pd.DataFrame({"role": ROLES + ["total"], "observed": obs, "expected": expected})
