"""Figures are written the reader's way: 85,3% (512/600) in Vietnamese, 85.3% in English."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation

from dashboards.templatetags.figures import change, coverage, figure, num, pct, target
from targets.arithmetic import Status
from targets.rollup import Coverage


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
