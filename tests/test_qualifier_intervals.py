"""The interval a qualified figure implies (events.qualifiers) always holds the figure itself."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from events.qualifiers import interval, intervals

FIGURES = st.one_of(st.integers(0, 10**15), st.floats(0, 1e15, allow_nan=False, allow_infinity=False))


@given(st.sampled_from(sorted(intervals())), FIGURES)
def test_the_figure_is_inside_its_interval(qualifier, value):
    low, high = interval(qualifier, value)
    assert low is None or low <= value
    assert high is None or value <= high


def test_an_exact_figure_is_its_own_interval_to_the_last_decimal():
    assert interval("exact", 1234.5678) == (1234.5678, 1234.5678)
    assert interval("exact", 1e-9) == (1e-9, 1e-9)
    assert interval("about", 800) == (720, 880)  # the table's ends, rounded to 3 decimals as before
