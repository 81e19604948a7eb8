"""A save that meets a newer version is merged, not refused wholesale nor overwritten.

Each input the form carries (a figure, a narrative part) is compared three ways: what the
person started from (sent back in hidden `o_` inputs), what they sent, and what is stored now.
What they did not touch takes the stored value; what only they changed keeps theirs; what both
changed differently is a clash, shown side by side until the person chooses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from lib.identifiers import plain_number

from .numbers import Entry

NA = "NA"


def canonical(entry: Entry | None) -> str:
    """A figure as the hidden inputs carry it, whatever the reader's language: "" for blank,
    "NA" for not applicable, digits for a number."""
    if entry is None or entry.state == "blank":
        return ""
    if entry.state == "na":
        return NA
    return str(entry.number)


def entry_of(text: str) -> Entry:
    text = (text or "").strip()
    if text == NA:
        return Entry.na()
    number = plain_number(text)
    if number is not None:
        return Entry.of(number)
    return Entry.blank()


@dataclass
class Outcome:
    """Which inputs take the stored value, and which clash."""

    theirs: set[str] = field(default_factory=set)
    clashes: list[str] = field(default_factory=list)


def merge_cells(
    original: Mapping[str, str | None], mine: Mapping[str, str], theirs: Mapping[str, str]
) -> Outcome:
    """Three-way comparison of every input; an input whose start is unknown (a form sent
    before the form carried it) counts as changed by the person."""
    outcome = Outcome()
    for key in sorted(set(mine) | set(theirs)):
        start, me, them = original.get(key), mine.get(key, ""), theirs.get(key, "")
        if me == them or (start is not None and them == start):
            continue
        if start is not None and me == start:
            outcome.theirs.add(key)
        else:
            outcome.clashes.append(key)
    return outcome


@dataclass(frozen=True)
class Clash:
    """One input both people changed: the form shows the three values and a choice."""

    key: str
    label: str
    mine: str
    theirs: str
    original: str
    figure: bool = True
