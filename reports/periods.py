"""Pure date arithmetic of the reporting calendar (no database), and how a quarter is named.

A quarter has a code, `2024Q3`, for URLs, files, imports and the API, and a label in the
reader's words, "Quý 3/2024" / "Quarter 3/2024", for everything a person reads.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

# How a quarter is named lives with the other formats; imported from here by older code.
from lib.formats import quarter_label as quarter_label
from lib.formats import quarter_short as quarter_short

PERIOD_RE = re.compile(r"^(?P<year>\d{4})(?:Q(?P<quarter>[1-4]))?$")


def quarter_end(year: int, quarter: int) -> dt.date:
    month = quarter * 3
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def cutoff_date(year: int, quarter: int, rule: str) -> dt.date:
    """Quarter end, or the 14th of the quarter's last month (Decree 09/2019/NĐ-CP)."""
    if rule == "day14":
        return dt.date(year, quarter * 3, 14)
    return quarter_end(year, quarter)


def due_date(cutoff: dt.date, due_days: int) -> dt.date:
    return cutoff + dt.timedelta(days=due_days)


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def parse_period(text: str) -> tuple[int, int | None]:
    """`2024Q3` → (2024, 3); `2024` → (2024, None). ValueError otherwise."""
    match = PERIOD_RE.match(text.strip().upper())
    if not match:
        raise ValueError(text)
    quarter = match.group("quarter")
    return int(match.group("year")), int(quarter) if quarter else None


_TYPED_CODE = re.compile(r"(\d{4})\s*-?\s*Q\s*([1-4])", re.IGNORECASE)
_TYPED_WORDS = re.compile(r"(?:QUÝ|QUY|QUARTER|Q)?\s*([1-4])\s*[/.-]\s*(\d{4})", re.IGNORECASE)


def parse_quarter_typed(text: str) -> tuple[int, int] | None:
    """A quarter as a person types it: "Quý 3/2025", "quy 3/2025", "Quarter 3/2025", "Q3/2025",
    "3/2025", or the code "2025Q3"; None for anything else (a year alone is not a quarter)."""
    text = " ".join(text.split())
    for pattern, year_group in ((_TYPED_CODE, 1), (_TYPED_WORDS, 2)):
        match = pattern.fullmatch(text)
        if match:
            return int(match.group(year_group)), int(match.group(3 - year_group))
    return None


def quarters_between(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    year, quarter = first
    out = []
    while (year, quarter) <= last:
        out.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return out
