"""The read API's query parameters: types and patterns that state exactly what is accepted
(ASCII digits only, nothing empty), and the message each refusal gives, in the caller's language.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any

from django.utils.translation import gettext as _
from pydantic import BeforeValidator, WithJsonSchema

from .schemas import PERIOD_PATTERN

# The unit list comes in pages: 124,000 units nationally, which no caller wants in one answer.
UNIT_PAGE_DEFAULT, UNIT_PAGE_MAX = 100, 1000
UNIT_OFFSET_MAX = 999_999_999
_WHOLE = re.compile(r"[0-9]{1,9}")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _whole(value: Any) -> Any:
    """Only ASCII digits make a whole number (not '+3', '1_000', '1.0' or '٣')."""
    if isinstance(value, str) and not _WHOLE.fullmatch(value):
        raise ValueError("not a whole number written in digits 0-9")
    return value


def _day(value: Any) -> Any:
    """Only YYYY-MM-DD makes a date (not 20250101 nor a timestamp)."""
    if isinstance(value, str):
        if not _DAY.fullmatch(value):
            raise ValueError("not a date written YYYY-MM-DD")
        return dt.date.fromisoformat(value)
    return value


WholeNumber = Annotated[int, BeforeValidator(_whole)]
Day = Annotated[
    dt.date,
    BeforeValidator(_day),
    WithJsonSchema(
        {"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
    ),
]


def _period_message(value: str) -> str:
    if not value:
        return _("Give a period: a quarter such as 2024Q3, a year, or 'term'.")
    return _("Period %(text)s is not a quarter such as 2024Q3, a year, or 'term'.") % {
        "text": value
    }


MESSAGES: dict[str, Callable[[str], str]] = {
    "unit": lambda value: _("Give a unit code."),
    "period": _period_message,
    "tree": lambda value: _("tree must be as_was or as_now."),
    "include": lambda value: _("include may only be 'provisional'."),
    "on": lambda value: _("%(name)s must be a date written YYYY-MM-DD.") % {"name": "on"},
    "kind": lambda value: _("Unknown unit kind %(kind)s.") % {"kind": value},
    "limit": lambda value: (
        _("limit must be a whole number from 1 to %(most)d.") % {"most": UNIT_PAGE_MAX}
    ),
    "offset": lambda value: _("offset must be a whole number, 0 or more."),  # and < 10⁹
    "programme": lambda value: _("Unknown programme %(code)s.") % {"code": value},
}


def refusal(name: str, value: str) -> str:
    """The message for a parameter the API cannot read."""
    message = MESSAGES.get(name)
    if message is None:
        return _("The parameter %(name)s is not valid.") % {"name": name}
    return message(value)


__all__ = ["PERIOD_PATTERN", "Day", "WholeNumber", "refusal"]
