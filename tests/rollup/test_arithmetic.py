"""The indicator arithmetic, without a database."""

import datetime as dt
from decimal import Decimal

import pytest

from rollup.arithmetic import (
    BLANK,
    NA,
    NUMBER,
    Cell,
    Goal,
    Status,
    display_value,
    field_total,
    judge,
    path_value,
    projection,
    ratio_total,
)

Q1, Q2, Q3, Q4 = (2025, 1), (2025, 2), (2025, 3), (2025, 4)


def n(report, quarter, number):
    return Cell(report, quarter, NUMBER, number)


def test_stock_takes_the_latest_quarter_summed_over_its_reports():
    cells = [n(1, Q1, 100), n(2, Q1, 50), n(1, Q2, 110), n(2, Q2, 60)]
    total = field_total(cells, "stock")
    assert (total.value, total.quarter, total.numbers) == (170, Q2, 2)


def test_a_dissolved_units_june_figure_is_not_added_to_december_figures():
    # District federation 9 reported 500 members in Q2; after the reform its CĐCS (3, 4)
    # report for themselves. The year's stock is Q4's, never Q2's 500 plus Q4's figures.
    cells = [n(9, Q2, 500), n(3, Q4, 240), n(4, Q4, 250)]
    assert field_total(cells, "stock").value == 490


def test_flow_is_summed_over_all_quarters():
    cells = [n(1, Q1, 2), n(1, Q2, 3), n(2, Q2, 1), Cell(2, Q3, BLANK)]
    total = field_total(cells, "flow")
    assert (total.value, total.numbers, total.blanks) == (6, 3, 1)


def test_blank_and_not_applicable_are_not_zero():
    total = field_total([Cell(1, Q1, BLANK), Cell(2, Q1, NA)], "stock")
    assert total.value is None
    assert (total.blanks, total.not_applicable) == (1, 1)
    zero = field_total([n(1, Q1, 0)], "stock")
    assert zero.value == 0 and zero.numbers == 1


def test_empty_subtree_has_no_value():
    assert field_total([], "stock").value is None
    assert ratio_total([], [], "stock").value is None


def test_ratio_sums_numerators_and_denominators_then_divides():
    num = [n(1, Q4, 9), n(2, Q4, 1)]
    den = [n(1, Q4, 10), n(2, Q4, 90)]
    ratio = ratio_total(num, den, "stock")
    assert (ratio.numerator, ratio.denominator, ratio.reports) == (10, 100, 2)
    assert ratio.value == Decimal("0.1")  # not the 50% an average of 90% and 1.1% would give


def test_a_report_with_a_blank_numerator_is_left_out_of_both_sums():
    num = [n(1, Q4, 9), Cell(2, Q4, BLANK)]
    den = [n(1, Q4, 10), n(2, Q4, 90)]
    ratio = ratio_total(num, den, "stock")
    assert (ratio.numerator, ratio.denominator, ratio.reports) == (9, 10, 1)


def test_zero_denominator_gives_no_value_not_an_error():
    ratio = ratio_total([n(1, Q4, 0)], [n(1, Q4, 0)], "stock")
    assert ratio.value is None and ratio.denominator == 0


def test_ratio_of_stocks_uses_the_latest_quarter_only():
    num = [n(1, Q1, 5), n(1, Q2, 8)]
    den = [n(1, Q1, 10), n(1, Q2, 10)]
    assert ratio_total(num, den, "ytd").value == Decimal("0.8")


def test_flow_ratio_sums_every_quarter():
    num = [n(1, Q1, 1), n(1, Q3, 2)]
    den = [n(1, Q1, 1), n(1, Q3, 3)]
    assert ratio_total(num, den, "flow").value == Decimal("0.75")


def test_units_moved_mid_year_count_once_in_each_quarter():
    # CĐCS 5 reported through district 9 until Q2 and for itself from Q3.
    num = [n(9, Q2, 40), n(5, Q3, 45), n(6, Q3, 10)]
    den = [n(9, Q2, 50), n(5, Q3, 50), n(6, Q3, 20)]
    ratio = ratio_total(num, den, "stock")
    assert (ratio.numerator, ratio.denominator) == (55, 70)


def test_display_value_scales_percent_but_not_a_ratio_per_cdcs():
    assert display_value(Decimal("0.853"), "percent") == Decimal("85.3")
    assert display_value(Decimal("1.2"), "ratio") == Decimal("1.2")
    assert display_value(None, "percent") is None


@pytest.mark.parametrize(
    ("value", "comparison", "final", "expected"),
    [
        ("90", "gte", True, Status.ACHIEVED),
        ("90", "gt", True, Status.NOT_ACHIEVED),  # T05: strictly more than 90%
        ("90.1", "gt", True, Status.ACHIEVED),
        ("89", "gte", True, Status.NOT_ACHIEVED),
        ("89", "gte", False, Status.ON_TRACK),
        ("80", "gte", False, Status.AT_RISK),
    ],
)
def test_judge_against_the_target(value, comparison, final, expected):
    assert judge(Decimal(value), Goal(Decimal("90"), comparison), final=final) == expected


def test_not_yet_due_and_no_data_are_their_own_statuses():
    assert judge(None, Goal(Decimal("90"), "gte"), final=False, due=False) == Status.NOT_YET_DUE
    assert judge(None, Goal(Decimal("90"), "gte"), final=True) == Status.NO_DATA


def test_a_figure_without_a_target_is_not_said_to_have_no_data():
    assert judge(Decimal("57"), Goal(None, "gte"), final=True) == Status.NO_TARGET
    assert judge(None, Goal(None, "gte"), final=True) == Status.NO_DATA


def test_ratio_per_cdcs_target_is_judged_as_a_ratio():
    assert judge(Decimal("1.0"), Goal(Decimal("1"), "gte"), final=True) == Status.ACHIEVED
    assert judge(Decimal("0.6"), Goal(Decimal("1"), "gte"), final=True) == Status.NOT_ACHIEVED


def test_a_term_count_is_judged_against_the_path_from_its_baseline():
    start, end = dt.date(2024, 1, 1), dt.date(2028, 1, 1)
    halfway = dt.date(2026, 1, 1)  # 731 of 1461 days
    expected = path_value(Decimal(20000), start, Decimal(24500), end, halfway)
    assert abs(expected - Decimal(22250)) < 2
    assert (
        judge(Decimal(22300), Goal(Decimal(24500), "gte", expected), final=False) == Status.ON_TRACK
    )
    assert (
        judge(Decimal(20500), Goal(Decimal(24500), "gte", expected), final=False) == Status.AT_RISK
    )


def test_path_is_flat_before_the_baseline_and_capped_at_the_target():
    start, end = dt.date(2024, 1, 1), dt.date(2028, 1, 1)
    assert path_value(Decimal(10), start, Decimal(20), end, dt.date(2020, 1, 1)) == Decimal(10)
    assert path_value(Decimal(10), start, Decimal(20), end, dt.date(2030, 1, 1)) == Decimal(20)


def test_projection_extends_the_trend():
    points = [(dt.date(2024, 1, 1), 100), (dt.date(2025, 1, 1), 200)]
    assert abs(projection(points, dt.date(2026, 1, 1)) - 300) < 1
    assert projection(points[:1], dt.date(2026, 1, 1)) is None


def test_a_share_of_0_of_0_has_nothing_to_measure_rather_than_no_data():
    """A commune union without CĐCS reports 0 of 0: a report came in and measured nothing.
    That is neither "no data" nor achieved or missed."""
    assert judge(None, Goal(Decimal("98"), "gte"), final=True, denominator=0) == (
        Status.NOTHING_TO_MEASURE
    )
    assert judge(None, Goal(Decimal("98"), "gte"), final=False, denominator=0) == (
        Status.NOTHING_TO_MEASURE
    )
    assert judge(None, Goal(None, "gte"), final=True, denominator=0) == Status.NOTHING_TO_MEASURE
    # No report gave a number: still no data; before it is due: still not yet due.
    assert judge(None, Goal(Decimal("98"), "gte"), final=True, denominator=None) == Status.NO_DATA
    assert judge(None, Goal(Decimal("98"), "gte"), final=True, due=False, denominator=0) == (
        Status.NOT_YET_DUE
    )


def test_units_with_0_of_0_leave_a_total_with_figures_as_it_is():
    num = [n(1, Q4, 0), n(2, Q4, 0), n(3, Q4, 97)]
    den = [n(1, Q4, 0), n(2, Q4, 0), n(3, Q4, 100)]
    ratio = ratio_total(num, den, "ytd")
    assert (ratio.numerator, ratio.denominator, ratio.reports) == (97, 100, 3)
    value = display_value(ratio.value, "percent")
    assert value == Decimal(97)
    assert judge(value, Goal(Decimal(98), "gte"), final=True, denominator=ratio.denominator) == (
        Status.NOT_ACHIEVED
    )
    alone = ratio_total(num[:2], den[:2], "ytd")
    assert (alone.numerator, alone.denominator, alone.reports, alone.value) == (0, 0, 2, None)
