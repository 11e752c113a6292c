"""Renamed public arguments and choices keep working for one release, with a warning.

The house style (``docs/contributing.md`` §1) renames arguments that drifted across subpackages.
A renamed argument keeps its old name for one release: the call works, and a
:class:`~clusterlab.errors.ClusterlabFutureWarning` names the new spelling. Giving both names is
an error, never a silent choice.
"""

from __future__ import annotations

import functools
import inspect
import warnings

from clusterlab.errors import ClusterlabFutureWarning, ParameterError

__all__ = ["renamed_arguments", "renamed_choice"]


def renamed_arguments(*, since: str = "0.2", **renames: str | tuple):
    """Decorator: accept the old keyword names given in ``renames`` (``old="new"``).

    ``old=("new", convert)`` also converts the old value (e.g. ``ci=0.95`` → ``alpha=0.05``
    with ``convert=lambda ci: 1 - ci``).

    Examples
    --------
    >>> import warnings
    >>> @renamed_arguments(ci=("alpha", lambda ci: round(1 - ci, 10)))
    ... def interval(x, *, alpha=0.05):
    ...     return alpha
    >>> interval(1, alpha=0.1)
    0.1
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     interval(1, ci=0.9)
    0.1
    >>> str(caught[0].message)
    'interval(ci=...) is renamed: use alpha= (ci=0.9 is alpha=0.1); the old name goes after 0.2'
    """
    table = {
        old: (new, None) if isinstance(new, str) else tuple(new) for old, new in renames.items()
    }

    def decorate(func):
        params = inspect.signature(func).parameters
        for old, (new, _) in table.items():
            if new not in params:
                raise TypeError(
                    f"{func.__qualname__}: renamed argument {old!r} -> {new!r}, "
                    f"but {new!r} is not an argument"
                )

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for old, (new, convert) in table.items():
                if old not in kwargs:
                    continue
                if new in kwargs:
                    raise ParameterError(
                        f"{func.__name__}() got both {old}= (old name) and {new}=: give only {new}="
                    )
                value = kwargs.pop(old)
                converted = convert(value) if convert is not None else value
                how = f" ({old}={value!r} is {new}={converted!r})" if convert is not None else ""
                warnings.warn(
                    f"{func.__name__}({old}=...) is renamed: use {new}={how}; the old "
                    f"name goes after {since}",
                    ClusterlabFutureWarning,
                    stacklevel=2,
                )
                kwargs[new] = converted
            return func(*args, **kwargs)

        # read by the docs and tests: which old names this function still takes
        vars(wrapper)["__renamed_arguments__"] = {old: new for old, (new, _) in table.items()}
        return wrapper

    return decorate


def renamed_choice(value, renames: dict, *, argument: str, since: str = "0.2", stacklevel=3):
    """Map an old spelling of a choice to the new one with a warning (``"error"`` → ``"raise"``).

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     renamed_choice("error", {"error": "raise"}, argument="errors")
    'raise'
    >>> renamed_choice("warn", {"error": "raise"}, argument="errors")
    'warn'
    """
    if isinstance(value, str) and value in renames:
        new = renames[value]
        warnings.warn(
            f"{argument}={value!r} is renamed: use {argument}={new!r}; the old "
            f"spelling goes after {since}",
            ClusterlabFutureWarning,
            stacklevel=stacklevel,
        )
        return new
    return value
