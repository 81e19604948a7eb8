"""Derives the dated closure table from the parent links.

A reorganisation changes the closure of the units it touches and of everything ever below them,
nothing else. Those units' ancestor paths are computed in memory from their own links; where a
link leads to a unit outside that set, the stored closure rows of that unit are its paths (they
cannot have changed). So a rebuild reads and writes rows in proportion to the units affected,
not to the tree: moving 1,000 CĐCS of a national tree reads their links and the rows of their
few parents, not 215,000 links. Intervals are half-open; None is "open".

Data derived from the closure elsewhere (the roll-up totals of `targets`, which this app must
not import) follows it through listeners: each is called with the affected units before their
rows are replaced (None: all of them) and may return a callable run once the new rows are in,
in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from functools import cache

from django.core.cache import cache as shared_cache
from django.db import connection, transaction

from .models import Unit, UnitClosure, UnitLink

OPEN = dt.date.max
Span = tuple[int, int, dt.date, dt.date]  # ancestor id, depth, from, to (OPEN for none)

# Told the units whose closure rows are about to be replaced (None: every unit) while the old
# rows are still there; what it returns (if anything) is called after the new rows are written.
ClosureListener = Callable[[frozenset[int] | None], Callable[[], None] | None]
listeners: list[ClosureListener] = []


def closure_listen(listener: ClosureListener) -> None:
    """Registers `listener` for every later closure_rebuild (once, however often called)."""
    if listener not in listeners:
        listeners.append(listener)


def _merge(spans: list[Span]) -> list[Span]:
    """Joins touching intervals of the same ancestor at the same depth."""
    merged: list[Span] = []
    for span in sorted(spans):
        if merged and merged[-1][:2] == span[:2] and merged[-1][3] >= span[2]:
            last = merged[-1]
            merged[-1] = (last[0], last[1], last[2], max(last[3], span[3]))
        else:
            merged.append(span)
    return merged


def compute_spans(
    lifetimes: dict[int, tuple[dt.date, dt.date]],
    links: Iterable[tuple[int, int, dt.date, dt.date]],
    known: dict[int, list[Span]] | None = None,
) -> dict[int, list[Span]]:
    """Ancestor spans of every unit of `lifetimes`, from (child, parent, from, to) links.

    A parent missing from `lifetimes` takes its spans from `known` (its stored closure rows):
    only the units being rebuilt need their lifetimes and links.
    """
    parents: dict[int, list[tuple[int, dt.date, dt.date]]] = defaultdict(list)
    for child, parent, start, end in links:
        parents[child].append((parent, start, end))
    outside = known or {}

    @cache
    def spans_of(unit_id: int) -> tuple[Span, ...]:
        if unit_id not in lifetimes:
            return tuple(outside.get(unit_id, ()))
        start, end = lifetimes[unit_id]
        result: list[Span] = [(unit_id, 0, start, end)]
        for parent, link_start, link_end in parents.get(unit_id, ()):
            for ancestor, depth, a_start, a_end in spans_of(parent):
                lo, hi = max(link_start, a_start), min(link_end, a_end)
                if lo < hi:
                    result.append((ancestor, depth + 1, lo, hi))
        return tuple(_merge(result))

    return {unit_id: list(spans_of(unit_id)) for unit_id in lifetimes}


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    """`ids` in lists short enough for one IN (SQLite allows 999 parameters a statement)."""
    size = 900 if connection.vendor == "sqlite" else 20_000
    items = sorted(ids)
    for i in range(0, len(items), size):
        yield items[i : i + size]


def affected_units(unit_ids: Iterable[int]) -> set[int]:
    """The units and everything that was ever below them, by the closure or by the links (a
    unit just linked under one of them has no closure row below it yet)."""
    found = set(unit_ids)
    for chunk in _chunks(found.copy()):
        found.update(
            UnitClosure.objects.filter(ancestor_id__in=chunk).values_list(
                "descendant_id", flat=True
            )
        )
    frontier = found.copy()
    while frontier:
        children: set[int] = set()
        for chunk in _chunks(frontier):
            children.update(
                UnitLink.objects.filter(parent_id__in=chunk).values_list("child_id", flat=True)
            )
        frontier = children - found
        found |= frontier
    return found


def lifetimes_read(unit_ids: Iterable[int] | None = None) -> dict[int, tuple[dt.date, dt.date]]:
    """The units' lifetimes (every unit's if None), OPEN for one still existing."""
    rows = Unit.objects.values_list("id", "valid_from", "valid_to")
    chunks = [rows] if unit_ids is None else [rows.filter(pk__in=c) for c in _chunks(unit_ids)]
    return {pk: (start, end or OPEN) for chunk in chunks for pk, start, end in chunk}


def links_read(
    child_ids: Iterable[int] | None = None,
) -> list[tuple[int, int, dt.date, dt.date]]:
    """(child, parent, from, to) of the units' parent links (every link if None)."""
    rows = UnitLink.objects.values_list("child_id", "parent_id", "valid_from", "valid_to")
    chunks = (
        [rows] if child_ids is None else [rows.filter(child_id__in=c) for c in _chunks(child_ids)]
    )
    return [(c, p, s, e or OPEN) for chunk in chunks for c, p, s, e in chunk]


def stored_spans(unit_ids: Iterable[int]) -> dict[int, list[Span]]:
    """The closure rows of the units, as spans."""
    spans: dict[int, list[Span]] = defaultdict(list)
    for chunk in _chunks(unit_ids):
        rows = UnitClosure.objects.filter(descendant_id__in=chunk).values_list(
            "descendant_id", "ancestor_id", "depth", "valid_from", "valid_to"
        )
        for unit_id, ancestor, depth, start, end in rows:
            spans[unit_id].append((ancestor, depth, start, end or OPEN))
    return spans


def closure_objects(
    spans: dict[int, list[Span]], unit_ids: Iterable[int] | None = None
) -> Iterator[UnitClosure]:
    """Closure rows (unsaved) for the units' spans (all of them if None)."""
    for unit_id in spans if unit_ids is None else unit_ids:
        for ancestor, depth, start, end in spans[unit_id]:
            yield UnitClosure(
                ancestor_id=ancestor,
                descendant_id=unit_id,
                depth=depth,
                valid_from=start,
                valid_to=None if end == OPEN else end,
            )


@transaction.atomic
def closure_rebuild(unit_ids: Iterable[int] | None = None) -> int:
    """Rewrites the closure rows of the given units and their descendants (all if None).

    Reads and writes in proportion to those units: their lifetimes and links, and the stored
    rows of the parents outside them.
    """
    if unit_ids is None:
        targets = None
        lifetimes, links, known = lifetimes_read(), links_read(), None
        followers = _notify(None)
        UnitClosure.objects.all().delete()
    else:
        targets = affected_units(unit_ids)
        lifetimes, links = lifetimes_read(targets), links_read(targets)
        known = stored_spans({parent for _c, parent, _s, _e in links} - targets)
        followers = _notify(frozenset(targets))
        for chunk in _chunks(targets):
            UnitClosure.objects.filter(descendant_id__in=chunk).delete()
    spans = compute_spans(lifetimes, links, known)
    rows = list(closure_objects(spans, targets))
    UnitClosure.objects.bulk_create(rows, batch_size=2000)
    for follow in followers:
        follow()
    closure_changed()
    return len(rows)


# What is cached about the tree (the counts of a level of /units/) is keyed by this version.
CLOSURE_VERSION_KEY = "unions:closure-version"


def closure_version() -> str:
    """The version of the closure that cached reads were computed against."""
    version = shared_cache.get(CLOSURE_VERSION_KEY)
    if version is None:
        shared_cache.add(CLOSURE_VERSION_KEY, uuid.uuid4().hex, None)
        version = shared_cache.get(CLOSURE_VERSION_KEY) or ""
    return str(version)


def closure_changed() -> None:
    """A new version now (this transaction's reads must not meet older entries) and again at
    commit (entries other processes cached in between read the closure before this change)."""
    shared_cache.set(CLOSURE_VERSION_KEY, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: shared_cache.set(CLOSURE_VERSION_KEY, uuid.uuid4().hex, None))


def _notify(unit_ids: frozenset[int] | None) -> list[Callable[[], None]]:
    """Calls every listener before the change; returns what each wants run after it."""
    return [follow for listener in list(listeners) if (follow := listener(unit_ids)) is not None]
