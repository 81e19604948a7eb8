"""Figures are written the reader's way: 85,3% (512/600) in Vietnamese, 85.3% in English."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import translation
from django.utils.formats import number_format

from dashboards.templatetags.figures import change, coverage, figure, num, pct, target
from rollup.arithmetic import Status
from rollup.engine import Coverage


@dataclass
class FakeIndicator:
    display: str
    comparison: str = "gte"


@dataclass
class FakeResult:
    indicator: FakeIndicator
    value: Decimal | None
    numerator: int | None = None
    denominator: int | None = None
    target: Decimal | None = None
    status: Status = Status.NO_DATA


def test_percentage_with_counts_is_written_the_vietnamese_way():
    result = FakeResult(FakeIndicator("percent"), Decimal("85.3333"), 512, 600)
    with translation.override("vi"):
        assert figure(result) == "85,3% (512/600)"
    with translation.override("en"):
        assert figure(result) == "85.3% (512/600)"


def test_counts_are_grouped_by_thousands():
    with translation.override("vi"):
        assert num(24500) == "24.500"
        assert figure(FakeResult(FakeIndicator("count"), Decimal(24500), 24500)) == "24.500"
    with translation.override("en"):
        assert num(Decimal("24500.0000")) == "24,500"


def test_targets_show_their_comparison_without_trailing_zeros():
    with translation.override("vi"):
        assert target(FakeResult(FakeIndicator("percent"), None, target=Decimal("98.0000"))) == (
            "≥ 98%"
        )
        strict = FakeResult(FakeIndicator("percent", "gt"), None, target=Decimal("90"))
        assert target(strict) == "> 90%"
        assert target(FakeResult(FakeIndicator("ratio"), None, target=Decimal("1.0000"))) == (
            "≥ 1,0"
        )
        assert target(FakeResult(FakeIndicator("count"), None, target=Decimal("24500"))) == (
            "24.500"
        )


def test_missing_values_show_a_dash_not_zero():
    assert figure(FakeResult(FakeIndicator("percent"), None)) == "–"
    assert pct(None) == "–" and num(None) == "–"
    assert change(None, "percent") == "–"


def test_changes_carry_a_sign_and_points_for_percentages():
    with translation.override("en"):
        assert change(Decimal("1.25"), "percent") == "+1.3 pt"
        assert change(Decimal(-120), "count") == "−120"
        assert change(Decimal(0), "count") == "±0"
        assert change(Decimal("-0.01"), "percent") == "±0.0 pt"  # no sign on a rounded zero


def test_coverage_reads_reported_out_of_expected():
    with translation.override("vi"):
        assert coverage(Coverage(12, 1300)).startswith("12/1.300")


@pytest.mark.parametrize("language", ["vi", "en", "de"])
def test_figures_are_written_exactly_as_djangos_number_format_writes_them(language):
    """The quick path (Python's grouping, then the language's marks) agrees with Django's
    number_format, half-up rounding first, over signs, zeros, sizes and decimal places."""
    values = [0, 1, -1, 7, 999, 1000, -1000, 24500, 1234567, 98765432109, Decimal("-0.04")]
    values += [Decimal("85.25"), Decimal("85.35"), Decimal("0.005"), Decimal("-1234.5678")]
    values += [Decimal("999.95"), Decimal("-999.95"), 12.345, Decimal("1E+3"), Decimal("0E-7")]
    with translation.override(language):
        for value in values:
            for places in (0, 1, 2, 3):
                rounded = Decimal(str(value)).quantize(
                    Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
                )
                expected = number_format(
                    rounded, decimal_pos=places, use_l10n=True, force_grouping=True
                )
                assert num(value, places) == expected, (value, places)
    with translation.override("vi"):
        assert num(Decimal("1234567.891"), 2) == "1.234.567,89"


def test_a_missing_figure_does_not_say_which_quarter_it_is_from():
    from dashboards.templatetags.figures import as_of

    stale = FakeResult(FakeIndicator("percent"), Decimal("90"), 9, 10)
    stale.quarter = (2026, 2)
    empty = FakeResult(FakeIndicator("percent"), None, 0, 0)
    empty.quarter = (2026, 2)
    with translation.override("en"):
        assert as_of(stale, (2026, 3)) == ' <span class="as-of">(figures of Quarter 2/2026)</span>'
        assert as_of(stale, (2026, 2)) == ""
        assert as_of(empty, (2026, 3)) == ""


def test_a_share_of_0_of_0_says_so_in_words_not_with_a_dash():
    empty = FakeResult(FakeIndicator("percent"), None, 0, 0, status=Status.NOTHING_TO_MEASURE)
    with translation.override("vi"):
        assert figure(empty) == "0/0 — không có đối tượng"
    with translation.override("en"):
        assert figure(empty) == "0/0 — nothing to measure"
        assert figure(FakeResult(FakeIndicator("percent"), None)) == "–"  # not reported
