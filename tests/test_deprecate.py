"""Renamed arguments: the old name works with a ClusterlabFutureWarning, both names is an error."""

import warnings

import pytest

from clusterlab._deprecate import renamed_arguments, renamed_choice
from clusterlab.errors import ClusterlabFutureWarning, ClusterlabWarning, ParameterError


@renamed_arguments(ci=("alpha", lambda ci: round(1 - ci, 10)), target="unit")
def _f(table=None, *, unit="item", alpha=0.05):
    return unit, alpha


def test_new_names_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _f(unit="u", alpha=0.1) == ("u", 0.1)


def test_old_names_work_and_warn_with_a_filterable_class():
    with pytest.warns(ClusterlabFutureWarning, match=r"use alpha=.*ci=0\.9 is alpha=0\.1"):
        assert _f(ci=0.9) == ("item", 0.1)
    with pytest.warns(ClusterlabWarning, match="use unit="):
        assert _f(target="u") == ("u", 0.05)
    assert issubclass(ClusterlabFutureWarning, FutureWarning)


def test_old_and_new_name_together_is_an_error():
    with pytest.raises(ParameterError, match="both ci= .* and alpha="):
        _f(ci=0.9, alpha=0.05)


def test_a_rename_to_an_argument_that_does_not_exist_fails_at_definition():
    with pytest.raises(TypeError, match="'nope' is not an argument"):
        renamed_arguments(old="nope")(lambda *, new=1: new)


def test_renamed_choice():
    with pytest.warns(ClusterlabFutureWarning, match="errors='raise'"):
        assert renamed_choice("error", {"error": "raise"}, argument="errors") == "raise"
