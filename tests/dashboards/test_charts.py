"""Server-drawn charts: pure geometry from numbers."""

from decimal import Decimal

from dashboards.charts import line_chart, sparkline


def test_sparkline_skips_gaps_and_needs_two_points():
    assert sparkline([None, Decimal(5), None]) is None
    spark = sparkline([Decimal(1), None, Decimal(3)], width=100, height=20)
    assert spark is not None
    assert spark.points == "2.0,18.0 98.0,2.0"
    assert (spark.last_x, spark.last_y) == (98.0, 2.0)


def test_flat_sparkline_does_not_divide_by_zero():
    spark = sparkline([Decimal(4), Decimal(4)])
    assert spark is not None and spark.points.count(",") == 2


def test_line_chart_puts_higher_values_higher_and_keeps_round_ticks():
    chart = line_chart(["2024Q1", "2024Q2"], [("actual", "x", [5, 20])], str)
    assert chart is not None
    (line,) = chart.lines
    assert line.dots[0].y > line.dots[1].y  # SVG y grows downwards
    assert [t.text for t in chart.y_ticks] == ["0", "5", "10", "15", "20"]


def test_line_chart_marks_a_band_of_quarters():
    labels = ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]
    chart = line_chart(
        labels, [("actual", "x", [3, 1, 1, 2])], str, bands=[("2025Q2", "2025Q3", "n")]
    )
    assert chart is not None and len(chart.bands) == 1
    assert chart.bands[0].width > 0


def test_no_chart_without_numbers():
    assert line_chart(["2025Q1"], [("actual", "x", [None])], str) is None


def test_the_axis_may_name_quarters_shorter_than_the_tooltips():
    chart = line_chart(
        ["Quý 1/2025", "Quý 2/2025"], [("actual", "x", [1, 2])], str, axis=["Q1/2025", "Q2/2025"]
    )
    assert chart is not None
    assert [t.text for t in chart.x_ticks] == ["Q1/2025", "Q2/2025"]
    assert [d.label for d in chart.lines[0].dots] == ["Quý 1/2025: 1.0", "Quý 2/2025: 2.0"]
