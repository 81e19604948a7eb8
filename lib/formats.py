"""The one formatter: numbers, dates and quarters the way the reader's language writes them.

Vietnamese pages show 24.500, 85,3% and 05/12/2023; English pages 24,500, 85.3% and
12/05/2023. The marks come from Django's locale formats (`config/formats/<lang>/formats.py`);
nothing else in the portal picks a separator or a date pattern.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

DASH = "–"
# Day first, as the province writes dates (Django's date_format letters).
KEPT_DAY = "d/m/Y"

_SEPARATORS: dict[str | None, dict[int, str] | None] = {}


def _separators(language: str | None) -> dict[int, str] | None:
    """The translation of Python's "," and "." into the language's marks, when the language
    groups digits by three (None otherwise: number_format does the uncommon groupings)."""
    if language not in _SEPARATORS:
        grouping = formats.get_format("NUMBER_GROUPING", language, use_l10n=True)
        decimal = formats.get_format("DECIMAL_SEPARATOR", language, use_l10n=True)
        thousand = formats.get_format("THOUSAND_SEPARATOR", language, use_l10n=True)
        _SEPARATORS[language] = (
            str.maketrans({",": thousand, ".": decimal}) if grouping == 3 else None
        )
    return _SEPARATORS[language]


def _fmt(value: Any, places: int) -> str:
    # Half up, as on paper (85,25 → 85,3), not the banker's rounding of Decimal.
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    separators = _separators(get_language())
    if separators is None:
        return formats.number_format(
            rounded, decimal_pos=places, use_l10n=True, force_grouping=True
        )
    if not rounded:
        rounded = abs(rounded)  # −0,0 is written 0,0
    # A page writes a few hundred figures: Python's own grouping, then the language's marks,
    # gives what number_format gives (a test compares them) at a tenth of the cost.
    return f"{rounded:,f}".translate(separators)


def num(value: Any, places: int = 0) -> str:
    """A whole number or a decimal with grouping: 24.500 (vi), 24,500 (en); a dash for none."""
    if value is None or value == "":
        return DASH
    return _fmt(value, int(places))


def pct(value: Any, places: int = 1) -> str:
    """A percentage already scaled to 0–100: 85,3%."""
    if value is None:
        return DASH
    return f"{_fmt(value, int(places))}%"


def day(value: dt.date) -> str:
    """A date as the language writes it in short: 05/12/2023 (vi)."""
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def day_kept(value: dt.date) -> str:
    """A date as the portal keeps it in text (the audit log, a form's fixed cells):
    05/12/2023 in every language, so the text reads the same whoever wrote it."""
    return formats.date_format(value, KEPT_DAY)


def moment_kept(value: dt.datetime) -> str:
    """A moment kept in text, in the portal's time zone: 05/12/2023 14:30 in every language."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, f"{KEPT_DAY} H:i")


def quarter_label(year: int, quarter: int) -> str:
    """A quarter in the reader's words: "Quý 3/2024", "Quarter 3/2024"."""
    return _("Quarter %(q)s/%(y)s") % {"q": quarter, "y": year}


def quarter_short(year: int, quarter: int) -> str:
    """The same where space is tight (a chart's axis): "Q3/2024"."""
    return pgettext("quarter, short", "Q%(q)s/%(y)s") % {"q": quarter, "y": year}


def day_time(value: dt.datetime) -> str:
    """A date and the time of day, as a document stamps when it was made: 05/12/2023 14:30
    (vi). The value is shown as given: the caller converts it to local time."""
    return f"{day(value)} {formats.time_format(value, 'H:i')}"
