"""Parsing what people type into a report: whole numbers, blanks and "not applicable".

How digits are grouped depends on the language they are read in: Vietnamese writes 1.234,
English 1,234; a space groups thousands in both. The form reads them in the reader's language;
files (the Excel template, `manage.py import_values`) in `FILES`, whoever uploads them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .models import ValueState

NA_WORDS = frozenset({"na", "n/a", "kad", "không áp dụng", "khong ap dung", "-"})
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
FILES = "vi"  # the language files are read in, whoever uploads them


@dataclass(frozen=True)
class Entry:
    """One value as entered: a whole number, blank (not reported) or not applicable."""

    state: str
    number: int | None = None

    @classmethod
    def blank(cls) -> Entry:
        return cls(ValueState.BLANK)

    @classmethod
    def na(cls) -> Entry:
        return cls(ValueState.NOT_APPLICABLE)

    @classmethod
    def of(cls, number: int) -> Entry:
        return cls(ValueState.NUMBER, number)

    def display(self) -> str:
        """As stored in history and shown in diffs: the number, "" (blank) or "NA"."""
        if self.state == ValueState.NUMBER:
            return str(self.number)
        return "NA" if self.state == ValueState.NOT_APPLICABLE else ""


class NumberError(ValueError):
    pass


def thousands_mark(language: str | None) -> str:
    """The mark that groups thousands: a comma in English ("en", "en-us"), a dot in
    Vietnamese and any other language; the other of the two is the decimal mark."""
    return "," if (language or "").lower().split("-")[0] == "en" else "."


def grouped(number: int, language: str | None) -> str:
    """A whole number as an input shows it: 1.133 in Vietnamese, 1,133 in English."""
    return f"{number:,}".replace(",", thousands_mark(language))


def parse_entry(text: object, language: str | None) -> Entry:
    """Reads "1.234" (Vietnamese) or "1,234" (English), "1 234", "1234", "" and "NA";
    refuses fractions and negatives.

    The language's thousands mark or a space groups digits, by exactly three after the first
    one to three; the other mark is a decimal one, so "12,5" (Vietnamese) and "1.234"
    (English) are refused as not whole, and so is a wrong grouping such as "2,60" (English).
    """
    if text is None:
        return Entry.blank()
    if isinstance(text, bool):
        raise NumberError("not a number")
    if isinstance(text, int):
        return _checked(text)
    if isinstance(text, float):
        if not text.is_integer():
            raise NumberError("not a whole number")
        return _checked(int(text))
    mark = thousands_mark(language)
    raw = _SPACES.sub("", str(text)).strip()
    if raw == "":
        return Entry.blank()
    if raw.lower() in NA_WORDS or str(text).strip().lower() in NA_WORDS:
        return Entry.na()
    if raw.startswith("-") and raw[1:].replace(mark, "").isdigit():
        raise NumberError("negative")
    if re.fullmatch(r"[0-9]{1,3}(" + re.escape(mark) + r"[0-9]{3})+", raw):
        raw = raw.replace(mark, "")
    if not (raw.isascii() and raw.isdigit()):  # "²".isdigit() is true, int("²") fails
        raise NumberError("not a whole number")
    if len(raw.lstrip("0")) > 13:  # before int(): Python refuses to read 4300+ digits
        raise NumberError("too large")
    return _checked(int(raw))


def _checked(number: int) -> Entry:
    if number < 0:
        raise NumberError("negative")
    if number > 10**12:
        raise NumberError("too large")
    return Entry.of(number)
