# ruff: noqa: N803, N806  (networkx convention: G for a graph, A for its adjacency matrix)
"""QAP correlation and MRQAP regression between relations over one actor set (permutation
tests that respect the dependence of dyads; seeded).

Relations can be given as networkx graphs or as square DataFrames (index = columns = actors),
e.g. a dyadic covariate from :func:`dyadic_covariate`. Only off-diagonal cells are used.

Examples
--------
>>> import networkx as nx
>>> from clusterlab.networks import qap_correlation
>>> G = nx.gnp_random_graph(10, 0.3, seed=4, directed=True)
>>> r = qap_correlation(G, G, permutations=99, seed=1)
>>> r.statistic, r.p_value <= 0.05
(1.0, True)
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from clusterlab._validation import check_choice, problem_frame
from clusterlab.errors import DataValidationError, ParameterError
from clusterlab.networks._common import adjacency, check_graph, node_values, rng_from

__all__ = ["QAPResult", "qap_correlation", "mrqap", "dyadic_covariate"]


@dataclass
class QAPResult:
    """Observed statistic and permutation p-values (two-sided ``p_value``; ``p_greater``:
    share of permutations at least as large; ``p_less``: at most as large).

    Examples
    --------
    >>> import networkx as nx
    >>> from clusterlab.networks import qap_correlation
    >>> G = nx.path_graph(4)
    >>> qap_correlation(G, G, permutations=99, seed=1).summary()[["statistic", "p_value"]]
       statistic  p_value
    0        1.0      0.2
    """

    statistic: float
    p_value: float
    p_greater: float
    p_less: float
    permutations: int
    null_mean: float
    null_sd: float

    def summary(self) -> pd.DataFrame:
        return pd.DataFrame([self.__dict__])


def _matrix(obj, nodes, name, weight):
    if isinstance(obj, (nx.Graph, nx.DiGraph)):
        check_graph(obj, name=name, weight=weight)
        missing = [v for v in nodes if v not in obj]
        if missing:
            raise DataValidationError(
                f"{name}: {len(missing)} actor(s) of the first relation are missing",
                problem_frame(
                    [
                        {
                            "file": name,
                            "row": str(v),
                            "column": "node",
                            "expected": "the same actor set",
                            "found": "missing",
                        }
                        for v in missing[:50]
                    ]
                ),
            )
        return adjacency(obj, weight=weight, nodelist=nodes)[1]
    if isinstance(obj, pd.DataFrame):
        missing = [v for v in nodes if v not in obj.index or v not in obj.columns]
        if missing:
            raise DataValidationError(
                f"{name}: {len(missing)} actor(s) missing from the matrix's index/columns",
                problem_frame(
                    [
                        {
                            "file": name,
                            "row": str(v),
                            "column": "node",
                            "expected": "a row and a column per actor",
                            "found": "missing",
                        }
                        for v in missing[:50]
                    ]
                ),
            )
        M = obj.loc[nodes, nodes].to_numpy(dtype=float)
        if np.isnan(M[~np.eye(len(nodes), dtype=bool)]).any():
            raise DataValidationError(
                f"{name}: matrix has missing values",
                problem_frame([{"file": name, "expected": "numbers", "found": "missing"}]),
            )
        return M
    raise DataValidationError(
        f"{name}: expected a networkx graph or a square DataFrame, got {type(obj).__name__}",
        problem_frame(
            [{"file": name, "expected": "Graph or DataFrame", "found": type(obj).__name__}]
        ),
    )


def _nodes_of(obj):
    if isinstance(obj, (nx.Graph, nx.DiGraph)):
        return list(obj.nodes)
    if isinstance(obj, pd.DataFrame):
        return list(obj.index)
    raise DataValidationError(
        f"expected a networkx graph or a square DataFrame, got {type(obj).__name__}"
    )


def _check_perms(permutations):
    if not isinstance(permutations, (int, np.integer)) or permutations < 1:
        raise ParameterError("permutations: expected a positive integer")


def qap_correlation(
    G1, G2, *, permutations: int = 1000, seed: int | None = 0, weight: str | None = None, nodes=None
) -> QAPResult:
    """Pearson correlation between two relations with a QAP permutation test.

    The rows and columns of the second matrix are permuted together (the same random
    relabelling of actors), which keeps each network's structure intact (Krackhardt 1987).
    p-values are :math:`(1 + \\#\\{|r_\\pi| \\ge |r|\\})/(1 + P)`.

    Parameters
    ----------
    G1, G2 : networkx graph or square DataFrame
        Two relations over the same actors.
    permutations : int, default 1000
        Number of random relabellings :math:`P`.
    seed : int, optional
        Seed of the permutations (default 0: reproducible).
    weight : str, optional
        Use tie values (else 0/1) for graph inputs.
    nodes : list, optional
        The actors and their order (default: G1's actors).

    Returns
    -------
    QAPResult
        ``statistic`` (the correlation), ``p_value`` (two-sided), ``p_greater``, ``p_less``,
        ``permutations``, ``null_mean``, ``null_sd``; ``.summary()`` gives them as a one-row
        DataFrame.

    References
    ----------
    Krackhardt, D. (1987). QAP partialling as a test of spuriousness. *Social Networks* 9,
    171-186. Hubert, L. J. (1987). *Assignment Methods in Combinatorial Data Analysis*.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.barbell_graph(4, 0)
    >>> r = qap_correlation(G, G, permutations=99, seed=1)
    >>> r.statistic, r.p_value <= 0.05   # a relation correlates perfectly with itself
    (1.0, True)
    """
    _check_perms(permutations)
    nodes = list(nodes) if nodes is not None else _nodes_of(G1)
    X = _matrix(G1, nodes, "G1", weight)
    Y = _matrix(G2, nodes, "G2", weight)
    n = len(nodes)
    if n < 3:
        raise ParameterError("qap_correlation needs at least 3 actors")
    off = ~np.eye(n, dtype=bool)
    x = X[off]
    if x.std() == 0 or Y[off].std() == 0:
        raise DataValidationError(
            "qap_correlation: one relation is constant (no variance)",
            problem_frame(
                [{"file": "G1/G2", "expected": "ties varying across pairs", "found": "constant"}]
            ),
        )
    obs = float(np.corrcoef(x, Y[off])[0, 1])
    rng = rng_from(seed)
    null = np.empty(permutations)
    for k in range(permutations):
        p = rng.permutation(n)
        null[k] = np.corrcoef(x, Y[np.ix_(p, p)][off])[0, 1]
    tol = 1e-12
    return QAPResult(
        obs,
        float((1 + np.sum(np.abs(null) >= abs(obs) - tol)) / (1 + permutations)),
        float((1 + np.sum(null >= obs - tol)) / (1 + permutations)),
        float((1 + np.sum(null <= obs + tol)) / (1 + permutations)),
        permutations,
        float(null.mean()),
        float(null.std(ddof=1)),
    )


def _ols(y, X):
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    resid = y - X @ beta
    dof = len(y) - X.shape[1]
    s2 = resid @ resid / dof if dof > 0 else np.nan
    cov = s2 * np.linalg.pinv(X.T @ X)
    se = np.sqrt(np.diag(cov))
    with np.errstate(divide="ignore", invalid="ignore"):
        t = beta / se
    return beta, se, t, resid


def mrqap(
    y,
    X: dict,
    *,
    permutations: int = 1000,
    seed: int | None = 0,
    method: str = "dsp",
    weight: str | None = None,
    nodes=None,
) -> pd.DataFrame:
    """Multiple regression QAP: OLS of one relation on several, with permutation p-values.

    Parameters
    ----------
    y : networkx graph or square DataFrame
        The dependent relation (e.g. knowledge ties).
    X : dict
        ``{name: relation}``: predictors (e.g. ``{"trade": G_trade, "same_size":
        dyadic_covariate(...)}``).
    method : {"dsp", "y"}
        Dekker, Krackhardt & Snijders' (2007) double semi-partialling (default; robust to
        collinear predictors) or Krackhardt's (1988) permutation of the dependent matrix.
    permutations : int, default 1000
        Number of permutations :math:`P` per predictor.
    seed : int, optional
        Seed of the permutations (default 0: reproducible).
    weight : str, optional
        Use tie values (else 0/1) for graph inputs.
    nodes : list, optional
        The actors and their order (default: those of ``y``).

    Returns
    -------
    pandas.DataFrame
        ``term, estimate, std_error, t, p_value, n, r_squared`` (``term = "intercept"``
        first; ``r_squared`` is the model's :math:`R^2`, the same on every row and kept in
        ``attrs["r_squared"]`` for one release, deprecated). The p-value is that of the *t*
        statistic, two-sided, :math:`(1 + \\#\\{|t_\\pi| \\ge |t|\\})/(1 + P)`;
        the intercept has none.

    References
    ----------
    Krackhardt, D. (1988). Predicting with networks: nonparametric multiple regression analysis
    of dyadic data. *Social Networks* 10, 359-381. Dekker, D., Krackhardt, D. & Snijders,
    T. A. B. (2007). Sensitivity of MRQAP tests to collinearity and autocorrelation conditions.
    *Psychometrika* 72, 563-581.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.gnp_random_graph(12, 0.3, seed=2, directed=True)
    >>> res = mrqap(G, {"same": G}, permutations=49, seed=3)
    >>> round(float(res.loc[1, "estimate"]), 6), float(res.loc[1, "p_value"]) < 0.05
    (1.0, True)
    """
    _check_perms(permutations)
    check_choice(method, ["dsp", "y"], argument="method")
    if not isinstance(X, dict) or not X:
        raise ParameterError("X: expected a non-empty dict {name: relation}")
    nodes = list(nodes) if nodes is not None else _nodes_of(y)
    n = len(nodes)
    if n < 3:
        raise ParameterError("mrqap needs at least 3 actors")
    off = ~np.eye(n, dtype=bool)
    Y = _matrix(y, nodes, "y", weight)
    Xm = {k: _matrix(v, nodes, str(k), weight) for k, v in X.items()}
    names = list(Xm)
    D = np.column_stack([np.ones(off.sum())] + [Xm[k][off] for k in names])
    if np.linalg.matrix_rank(D) < D.shape[1]:
        raise DataValidationError(
            "mrqap: predictors are perfectly collinear (or constant)",
            problem_frame(
                [
                    {
                        "file": "X",
                        "column": ",".join(map(str, names)),
                        "expected": "linearly independent predictors",
                        "found": "collinear",
                    }
                ]
            ),
        )
    beta, se, t, _ = _ols(Y[off], D)
    rng = rng_from(seed)
    exceed = np.zeros(len(names))
    for k, name in enumerate(names):
        if method == "dsp":
            others = np.delete(D, k + 1, axis=1)
            _, _, _, res = _ols(Xm[name][off], others)
            R = np.zeros((n, n))
            R[off] = res
        for _ in range(permutations):
            p = rng.permutation(n)
            if method == "dsp":
                Dp = D.copy()
                Dp[:, k + 1] = R[np.ix_(p, p)][off]
                tp = _ols(Y[off], Dp)[2][k + 1]
            else:
                tp = _ols(Y[np.ix_(p, p)][off], D)[2][k + 1]
            exceed[k] += abs(tp) >= abs(t[k + 1]) - 1e-12
    yv = Y[off]
    fitted = D @ beta
    r2 = 1 - np.sum((yv - fitted) ** 2) / np.sum((yv - yv.mean()) ** 2)
    out = pd.DataFrame(
        {
            "term": ["intercept"] + names,
            "estimate": beta,
            "std_error": se,
            "t": t,
            "p_value": [np.nan] + list((1 + exceed) / (1 + permutations)),
            "n": int(off.sum()),
            "r_squared": float(r2),
        }
    )
    # deprecated: attrs kept for one release for code that read them; use the column
    out.attrs.update(r_squared=float(r2), method=method, permutations=permutations, seed=seed)
    return out


def dyadic_covariate(G: nx.Graph, attribute: str, kind: str = "same") -> pd.DataFrame:
    """Actor × actor matrix built from a node attribute, for :func:`mrqap`.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network.
    attribute : str
        Node attribute, present for every actor (numeric unless ``kind="same"``).
    kind : {"same", "absdiff", "sender", "receiver", "product"}, default "same"
        ``"same"`` (1 if equal), ``"absdiff"`` (:math:`|x_i - x_j|`), ``"sender"``
        (:math:`x_i`), ``"receiver"`` (:math:`x_j`), ``"product"`` (:math:`x_i x_j`).

    Returns
    -------
    pandas.DataFrame
        Square, index = columns = actors, diagonal 0.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph(); G.add_nodes_from([("a", {"s": 1}), ("b", {"s": 3})])
    >>> dyadic_covariate(G, "s", "absdiff").loc["a", "b"]
    np.float64(2.0)
    """
    check_graph(G)
    check_choice(kind, ["same", "absdiff", "sender", "receiver", "product"], argument="kind")
    vals = node_values(G, attribute)
    nodes = list(G.nodes)
    v = np.array([vals[x] for x in nodes], dtype=object)
    if kind == "same":
        M = (v[:, None] == v[None, :]).astype(float)
    else:
        try:
            f = v.astype(float)
        except (TypeError, ValueError) as exc:
            raise DataValidationError(
                f"attribute {attribute!r} is not numeric (needed for kind={kind!r})",
                problem_frame(
                    [
                        {
                            "file": "G",
                            "column": attribute,
                            "expected": "numbers",
                            "found": str(v[:3].tolist()),
                        }
                    ]
                ),
            ) from exc
        M = {
            "absdiff": np.abs(f[:, None] - f[None, :]),
            "sender": np.repeat(f[:, None], len(f), 1),
            "receiver": np.repeat(f[None, :], len(f), 0),
            "product": np.outer(f, f),
        }[kind]
    np.fill_diagonal(M, 0.0)
    return pd.DataFrame(M, index=nodes, columns=nodes)
