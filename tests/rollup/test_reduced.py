"""A unit's reduced totals (`rollup.reduced`) give the figures its full table gives: a national
breakdown's rows are figured from the one, their results from the other."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rollup.reduced import Reduced, as_table
from rollup.totals import FIELD, PAIR, Table
from targets.models import Display, Field, Indicator, TimeKind

NUMERATOR, DENOMINATOR, INDICATOR = 7, 8, 3
quarters = st.sampled_from([(0, 0), (2025, 4), (2026, 1), (2026, 3)])
sums = st.tuples(st.integers(1, 50), st.integers(0, 10**6), st.integers(0, 10**6))


def _indicator(time_kind: str, display: str, ratio: bool) -> Indicator:
    numerator = Field(pk=NUMERATOR, code="n", time_kind=time_kind)
    return Indicator(
        pk=INDICATOR,
        code="X01",
        numerator=numerator,
        denominator_id=DENOMINATOR if ratio else None,
        display=display,
    )


@given(
    time_kind=st.sampled_from(list(TimeKind.values)),
    display=st.sampled_from(list(Display.values)),
    ratio=st.booleans(),
    rows=st.lists(
        st.tuples(
            st.sampled_from([(FIELD, NUMERATOR), (FIELD, 99), (PAIR, INDICATOR), (PAIR, 98)]),
            quarters,
            sums,
        ),
        max_size=3,
        unique_by=lambda r: r[0],  # one row per item, as the database reduces them
    ),
)
def test_reduced_figures_are_the_tables(
    time_kind: str,
    display: str,
    ratio: bool,
    rows: list[tuple[tuple[str, int], tuple[int, int], tuple[int, int, int]]],
) -> None:
    indicator = _indicator(time_kind, display, ratio)
    reduced = Reduced()
    for (kind, item), quarter, (n, t, d) in rows:
        reduced.append((kind, item, quarter, n, t, d))
    assert reduced.figures(indicator) == reduced.table().figures(indicator)
    assert as_table(reduced).figures(indicator) == reduced.table().figures(indicator)


def test_no_sums_figure_as_an_empty_table() -> None:
    for ratio in (False, True):
        indicator = _indicator(TimeKind.STOCK, Display.PERCENT, ratio)
        assert Reduced().figures(indicator) == Table().figures(indicator)
        assert as_table(None).figures(indicator) == Table().figures(indicator)
