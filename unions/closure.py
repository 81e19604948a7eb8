"""Derives the dated closure table from the parent links.

For each affected unit the ancestor paths are computed in memory from all links (one query),
then the unit's closure rows are replaced in bulk. Intervals are half-open; None is "open".

Data derived from the closure elsewhere (the roll-up totals of `targets`, which this app must
not import) follows it through listeners: each is called with the affected units before their
rows are replaced (None: all of them) and may return a callable run once the new rows are in,
in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from functools import cache

from django.db import transaction

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
) -> dict[int, list[Span]]:
    """Ancestor spans of every unit, from lifetimes and (child, parent, from, to) links."""
    parents: dict[int, list[tuple[int, dt.date, dt.date]]] = defaultdict(list)
    for child, parent, start, end in links:
        parents[child].append((parent, start, end))

    @cache
    def spans_of(unit_id: int) -> tuple[Span, ...]:
        start, end = lifetimes[unit_id]
        result: list[Span] = [(unit_id, 0, start, end)]
        for parent, link_start, link_end in parents.get(unit_id, ()):
            for ancestor, depth, a_start, a_end in spans_of(parent):
                lo, hi = max(link_start, a_start), min(link_end, a_end)
                if lo < hi:
                    result.append((ancestor, depth + 1, lo, hi))
        return tuple(_merge(result))

    return {unit_id: list(spans_of(unit_id)) for unit_id in lifetimes}


def affected_units(unit_ids: Iterable[int]) -> set[int]:
    """The units and everything that was ever below them (their closure rows may change)."""
    ids = set(unit_ids)
    below = UnitClosure.objects.filter(ancestor_id__in=ids).values_list("descendant_id", flat=True)
    return ids | set(below)


def lifetimes_read() -> dict[int, tuple[dt.date, dt.date]]:
    """Every unit's lifetime, OPEN for one still existing (one query)."""
    return {
        pk: (start, end or OPEN)
        for pk, start, end in Unit.objects.values_list("id", "valid_from", "valid_to")
    }


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
    """Rewrites the closure rows of the given units and their descendants (all if None)."""
    lifetimes = lifetimes_read()
    links = [
        (c, p, s, e or OPEN)
        for c, p, s, e in UnitLink.objects.values_list(
            "child_id", "parent_id", "valid_from", "valid_to"
        )
    ]
    if unit_ids is None:
        targets = set(lifetimes)
        followers = _notify(None)
        UnitClosure.objects.all().delete()
    else:
        # Units newly linked under an affected unit are found through the links as well.
        targets = affected_units(unit_ids)
        targets |= _link_descendants(targets, links)
        followers = _notify(frozenset(targets))
        UnitClosure.objects.filter(descendant_id__in=targets).delete()
    spans = compute_spans(lifetimes, links)
    rows = list(closure_objects(spans, targets))
    UnitClosure.objects.bulk_create(rows, batch_size=2000)
    for follow in followers:
        follow()
    return len(rows)


def _notify(unit_ids: frozenset[int] | None) -> list[Callable[[], None]]:
    """Calls every listener before the change; returns what each wants run after it."""
    return [follow for listener in list(listeners) if (follow := listener(unit_ids)) is not None]


def _link_descendants(roots: set[int], links: list[tuple[int, int, dt.date, dt.date]]) -> set[int]:
    children: dict[int, set[int]] = defaultdict(set)
    for child, parent, _start, _end in links:
        children[parent].add(child)
    found: set[int] = set()
    stack = list(roots)
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in found and child not in roots:
                found.add(child)
                stack.append(child)
    return found
