"""Figures written the way the reader's language writes them: 85,3% (512/600), 24.500.

Every number on a dashboard goes through these filters, so Vietnamese pages show 24.500 and
85,3% while English pages show 24,500 and 85.3%.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lib.formats import DASH as DASH
from lib.formats import num as num
from lib.formats import pct as pct
from lib.formats import quarter_label
from rollup.arithmetic import Status

register = template.Library()

COMPARISON = {"gte": "≥", "gt": ">"}
STATUS_SYMBOL = {
    Status.ACHIEVED: "✓",
    Status.ON_TRACK: "↗",
    Status.AT_RISK: "!",
    Status.NOT_ACHIEVED: "✗",
    Status.NOT_YET_DUE: "…",
    Status.NO_TARGET: "–",
    Status.NOTHING_TO_MEASURE: "∅",
    Status.NO_DATA: "–",
}


# Marked for translation here, translated when written (one lookup per status shown).
STATUS_WORD = {
    Status.ACHIEVED: gettext_noop("achieved"),
    Status.ON_TRACK: gettext_noop("on track"),
    Status.AT_RISK: gettext_noop("at risk"),
    Status.NOT_ACHIEVED: gettext_noop("not achieved"),
    Status.NOT_YET_DUE: gettext_noop("not yet due"),
    Status.NO_TARGET: gettext_noop("no target"),
    Status.NOTHING_TO_MEASURE: gettext_noop("nothing to measure"),
    Status.NO_DATA: gettext_noop("no data"),
}


def status_word(status: str) -> str:
    word = STATUS_WORD.get(status)  # type: ignore[call-overload]
    return _(word) if word is not None else str(status)


register.filter("num", num)
register.filter("pct", pct)


def in_unit(value: Decimal | None, display: str) -> str:
    """A value in an indicator's display unit: percent, ratio per CĐCS, or a count."""
    if value is None:
        return DASH
    if display == "percent":
        return pct(value)
    if display == "ratio":
        return num(value, 2)
    return num(value)


def nothing_to_measure(numerator: int | None, denominator: int | None) -> str:
    """A share whose reports said 0 of 0, in words: 0/0 — không có đối tượng."""
    words = status_word(Status.NOTHING_TO_MEASURE)
    return f"{num(numerator)}/{num(denominator)} — {words}"


@register.filter
def figure(result: Any) -> str:
    """The value with its counts: 85,3% (512/600); a count alone: 24.500; a share of
    nothing: 0/0 — nothing to measure (never a dash that reads as "not reported")."""
    if result.value is None and result.denominator == 0:
        return nothing_to_measure(result.numerator, result.denominator)
    shown = in_unit(result.value, result.indicator.display)
    if result.denominator is None or result.value is None:
        return shown
    return f"{shown} ({num(result.numerator)}/{num(result.denominator)})"


@register.filter
def as_of(result: Any, latest: tuple[int, int] | None) -> str:
    """Which quarter a figure is from, when that is not the period's latest: a unit whose
    last report is not in (or not approved) shows its previous quarter's stock, and says so."""
    quarter = getattr(result, "quarter", None)
    if result.value is None or not quarter or not latest or tuple(quarter) >= tuple(latest):
        return ""  # no figure (a 0/0 share), or this quarter's
    label = quarter_label(*quarter)
    return format_html(
        ' <span class="as-of">({})</span>', _("figures of %(quarter)s") % {"quarter": label}
    )


@register.filter(name="quarter")
def quarter_words(value: tuple[int, int] | None) -> str:
    """A (year, quarter) in the reader's words: Quý 3/2026, Quarter 3/2026."""
    return quarter_label(*value) if value else DASH


def _trimmed(value: Decimal) -> int:
    """Decimal places worth showing for a target (98.0000 → 0, 85.5 → 1)."""
    exponent = Decimal(value).normalize().as_tuple().exponent
    return max(0, -int(exponent)) if isinstance(exponent, int) else 0


@register.filter
def target(result: Any) -> str:
    """The target with its comparison: ≥ 98%, > 90%, ≥ 1,0, 24.500."""
    value = result.target
    if value is None:
        return DASH
    indicator = result.indicator
    if indicator.display == "count":
        return num(value)
    places = _trimmed(value)
    text = num(value, max(1, places)) if indicator.display == "ratio" else pct(value, places)
    return f"{COMPARISON.get(indicator.comparison, '')} {text}"


@register.filter
def change(delta: Decimal | None, display: str) -> str:
    """A signed change: +1,2 points for percentages, +120 for counts."""
    if delta is None:
        return DASH
    places = {"percent": 1, "ratio": 2}.get(display, 0)
    shown = Decimal(str(delta)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "+" if shown > 0 else ("−" if shown < 0 else "±")
    size = abs(shown)
    if display == "percent":
        return _("%(sign)s%(size)s pt") % {"sign": sign, "size": num(size, 1)}
    return sign + (num(size, 2) if display == "ratio" else num(size))


@register.filter
def symbol(status: str) -> str:
    return STATUS_SYMBOL.get(Status(status), "")


@register.filter
def word(status: str) -> str:
    return status_word(status)


@register.filter
def coverage(cov: Any) -> str:
    return _("%(reported)s/%(expected)s reports") % {
        "reported": num(cov.reported),
        "expected": num(cov.expected),
    }


# Written in Python rather than included per row: a dashboard has dozens of each, and an
# {% include %} costs more than the markup it writes.


@register.filter
def badge(status: str) -> SafeString:
    """A status as its symbol and word, coloured by the stylesheet."""
    return format_html(
        '<span class="st st-{}"><span aria-hidden="true">{}</span> {}</span>',
        status,
        symbol(status),
        status_word(status),
    )


@register.simple_tag
def spark(item: dict[str, Any]) -> SafeString:
    """A row's sparkline (`charts.sparkline`) as inline SVG, its figures as the label."""
    line = item.get("spark")
    if not line:
        return format_html('<span class="muted">{}</span>', DASH)
    return format_html(
        '<svg class="spark" width="{}" height="{}" viewBox="0 0 {} {}" role="img" '
        'aria-label="{}"><title>{}</title><polyline points="{}"/>'
        '<circle cx="{}" cy="{}" r="2"/></svg>',
        *(str(v) for v in (line.width, line.height, line.width, line.height)),
        item["trend"],
        item["trend"],
        str(line.points),
        str(line.last_x),
        str(line.last_y),
    )
