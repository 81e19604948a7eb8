"""Parsing what people type into a report: Vietnamese numbers, blanks and "not applicable"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .models import ValueState

NA_WORDS = frozenset({"na", "n/a", "kad", "không áp dụng", "khong ap dung", "-"})
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


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


def parse_entry(text: object) -> Entry:
    """Reads "1.234", "1 234", "1234", "" and "NA"; refuses fractions and negatives.

    A dot or a space groups thousands, as Vietnamese reports write them; a comma is a
    decimal separator, so "12,5" is refused as not a whole number.
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
    raw = _SPACES.sub("", str(text)).strip()
    if raw == "":
        return Entry.blank()
    if raw.lower() in NA_WORDS or str(text).strip().lower() in NA_WORDS:
        return Entry.na()
    if raw.startswith("-") and raw[1:].replace(".", "").isdigit():
        raise NumberError("negative")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", raw):
        raw = raw.replace(".", "")
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
