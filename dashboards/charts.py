"""Charts drawn on the server as SVG geometry: no script, no library, readable before any JS.

Pure functions: given labels and series of numbers, they return coordinates that the templates
`dashboards/_chart.html` and the `spark` tag (`templatetags/figures.py`) turn into <svg>
elements.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

Number = Decimal | int | float | None


@dataclass(frozen=True)
class Spark:
    points: str
    last_x: float
    last_y: float
    width: int
    height: int


def sparkline(values: Sequence[Number], width: int = 96, height: int = 24) -> Spark | None:
    """A small line through the known values (gaps skipped); None with fewer than two."""
    known = [(i, float(v)) for i, v in enumerate(values) if v is not None]
    if len(known) < 2:
        return None
    low, high = min(v for _, v in known), max(v for _, v in known)
    span_y = (high - low) or 1.0
    span_x = max(len(values) - 1, 1)
    pad = 2.0
    coords = [
        (
            round(pad + (width - 2 * pad) * i / span_x, 1),
            round(height - pad - (height - 2 * pad) * (v - low) / span_y, 1),
        )
        for i, v in known
    ]
    return Spark(" ".join(f"{x},{y}" for x, y in coords), *coords[-1], width, height)


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    label: str  # "Quý 2/2025: 11.807" for the tooltip


@dataclass
class Line:
    css: str  # class name: actual, target, path, projection
    name: str
    points: str
    dots: list[Dot] = field(default_factory=list)


@dataclass(frozen=True)
class Tick:
    pos: float
    text: str


@dataclass(frozen=True)
class Band:
    """A shaded stretch of quarters with a note, e.g. the June 2025 dissolutions."""

    x: float
    width: float
    text: str


@dataclass
class Chart:
    width: int
    height: int
    left: int
    top: int
    right: int
    bottom: int
    lines: list[Line]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    bands: list[Band]

    @property
    def plot_height(self) -> int:
        return self.bottom - self.top

    @property
    def note_y(self) -> int:
        return self.top + 12


def _nice_ticks(values: list[float], count: int = 5) -> list[float]:
    """Round tick values (steps of 1, 2, 2.5 or 5 times a power of ten) spanning the values."""
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1
    if low > 0 and low < (high - low):
        low = 0.0  # close enough to zero: show the axis from zero
    raw = (high - low) / (count - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start, end = math.floor(low / step) * step, math.ceil(high / step) * step
    return [start + step * k for k in range(round((end - start) / step) + 1)]


@dataclass(frozen=True)
class _Plot:
    """Where values land: the plot's edges, its value range and the distance between
    quarters."""

    left: int
    right: int
    top: int
    bottom: int
    low: float
    high: float
    step: float

    def x(self, i: int) -> float:
        return round(self.left + self.step * i, 1)

    def y(self, v: float) -> float:
        return round(
            self.bottom - (self.bottom - self.top) * (v - self.low) / (self.high - self.low), 1
        )


def _lines(
    plot: _Plot,
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[Number]]],
    fmt: Callable[[float], str],
) -> list[Line]:
    lines = []
    for css, name, values in series:
        dots = [
            Dot(plot.x(i), plot.y(float(v)), f"{labels[i]}: {fmt(float(v))}")
            for i, v in enumerate(values)
            if v is not None
        ]
        lines.append(Line(css, name, " ".join(f"{d.x},{d.y}" for d in dots), dots))
    return lines


def _bands(plot: _Plot, labels: Sequence[str], bands: Sequence[tuple[str, str, str]]) -> list[Band]:
    found = []
    for first, last, note in bands:
        if first in labels and last in labels:
            a, b = labels.index(first), labels.index(last)
            found.append(Band(plot.x(a) - plot.step / 2, plot.step * (b - a + 1), note))
    return found


def line_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[Number]]],
    fmt: Callable[[float], str],
    *,
    axis: Sequence[str] | None = None,
    bands: Sequence[tuple[str, str, str]] = (),
    size: tuple[int, int] = (640, 260),
) -> Chart | None:
    """Lines over quarters. `labels` name the quarters in the tooltips ("Quý 3/2025");
    `axis`, when given, in shorter words under the axis ("Q3/2025"); `series`: (css class,
    name, values aligned with labels); `bands`: (first label, last label, note); `size`:
    (width, height)."""
    known = [float(v) for _, _, vs in series for v in vs if v is not None]
    if not known or not labels:
        return None
    width, height = size
    left, right, top, bottom = 64, width - 28, 12, height - 40
    levels = _nice_ticks(known)
    step = (right - left) / max(len(labels) - 1, 1)
    plot = _Plot(left, right, top, bottom, levels[0], levels[-1], step)
    every = max(1, round(len(labels) / 8))
    names = labels if axis is None else axis
    x_ticks = [Tick(plot.x(i), name) for i, name in enumerate(names) if i % every == 0]
    y_ticks = [Tick(plot.y(v), fmt(v)) for v in levels]
    lines, chart_bands = _lines(plot, labels, series, fmt), _bands(plot, labels, bands)
    return Chart(width, height, left, top, right, bottom, lines, x_ticks, y_ticks, chart_bands)
