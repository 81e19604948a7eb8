"""Reads of the hierarchy as of a date. Each returns in one query, whatever the tree's size."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q

from .closure import closure_version
from .identifiers import url_key
from .models import (
    GRASSROOTS_KINDS,
    Unit,
    UnitClosure,
    UnitKind,
    UnitLink,
    active_on_q,
    vi_sort_key,
)


def unit_descendants(unit: Unit, on: dt.date, *, include_self: bool = False) -> list[Unit]:
    """Units below `unit` on `on`, nearest first."""
    rows = UnitClosure.objects.filter(active_on_q(on), ancestor=unit)
    if not include_self:
        rows = rows.filter(depth__gt=0)
    return [
        r.descendant
        for r in rows.select_related("descendant").order_by("depth", "descendant__code")
    ]


def unit_children(unit: Unit, on: dt.date) -> list[Unit]:
    links = UnitLink.objects.filter(active_on_q(on), parent=unit).select_related("child")
    return sorted((link.child for link in links), key=lambda u: (u.kind, vi_sort_key(u.name)))


class UnitBrief(NamedTuple):
    """A unit as a list of links needs it: no model instance per row."""

    code: str
    name: str
    kind: str
    pk: int

    @property
    def is_grassroots(self) -> bool:
        return self.kind in GRASSROOTS_KINDS

    @property
    def url_key(self) -> str:
        return url_key(self.code, self.pk)


def briefs(rows: Iterable[tuple[str, str, str, int]]) -> list[UnitBrief]:
    """(code, name, kind, id) rows as briefs, in the order of `unit_children`: kind, then name."""
    return sorted((UnitBrief(*row) for row in rows), key=lambda u: (u.kind, vi_sort_key(u.name)))


def unit_children_brief(unit: Unit, on: dt.date) -> list[UnitBrief]:
    """`unit_children` for a list of links: code, name and kind only."""
    links = UnitLink.objects.filter(active_on_q(on), parent=unit)
    return briefs(links.values_list("child__code", "child__name", "child__kind", "child_id"))


def unit_ancestors(unit: Unit, on: dt.date) -> list[Unit]:
    """From the root down to the unit's parent on `on`."""
    rows = UnitClosure.objects.filter(active_on_q(on), descendant=unit, depth__gt=0)
    return [r.ancestor for r in rows.select_related("ancestor").order_by("-depth")]


def unit_parent_on(unit: Unit, on: dt.date) -> Unit | None:
    link = UnitLink.objects.filter(active_on_q(on), child=unit).select_related("parent").first()
    return link.parent if link else None


def unit_ever_below(ancestor_id: int) -> set[int]:
    """Every unit that was ever in the subtree of `ancestor_id`, itself included."""
    return set(
        UnitClosure.objects.filter(ancestor_id=ancestor_id).values_list("descendant_id", flat=True)
    )


@dataclass(frozen=True)
class LevelRow:
    """A unit of one level of the tree on a day, with what lay below it that day."""

    unit: Unit
    units_below: int = 0
    grassroots_count: int = 0  # CĐCS below it


def unit_level_units(on: dt.date, parent: Unit | None) -> list[Unit]:
    """The units directly under `parent` on `on` (the roots of the tree when None), in the
    order of `unit_children`; one query."""
    if parent is None:
        # Only a provincial federation stands without a parent (the services refuse others).
        linked = UnitLink.objects.filter(active_on_q(on), child=OuterRef("pk"))
        roots = Unit.objects.active_on(on).filter(kind=UnitKind.PROVINCE).filter(~Exists(linked))
        return list(roots.order_by("code"))
    return unit_children(parent, on)


# Counting what lies below the 34 provinces of a national tree reads 94,000 closure rows (about
# 0.2 s); the answer changes only with the closure, whose version is part of the key.
LEVEL_CACHE_SECONDS = 3600


def unit_level_counts(on: dt.date, units: Iterable[Unit]) -> list[LevelRow]:
    """Each unit with the number of units and of CĐCS below it on `on`: one aggregate query
    over the closure rows of that day (a tree on a day: each unit below is counted once),
    cached until the closure changes."""
    units = list(units)
    if not units:
        return []
    ids = sorted(u.pk for u in units)
    digest = hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:24]
    key = f"unions:level:{closure_version()}:{on.isoformat()}:{digest}"
    counts: dict[int, tuple[int, int]] | None = cache.get(key)
    if counts is None:
        counts = _level_counts(on, ids)
        cache.set(key, counts, LEVEL_CACHE_SECONDS)
    return [LevelRow(u, *counts.get(u.pk, (0, 0))) for u in units]


def _level_counts(on: dt.date, ids: list[int]) -> dict[int, tuple[int, int]]:
    rows = (
        UnitClosure.objects.filter(active_on_q(on), ancestor_id__in=ids, depth__gt=0)
        .values("ancestor_id")
        .annotate(
            units=Count("pk"),
            grassroots=Count("pk", filter=Q(descendant__kind__in=GRASSROOTS_KINDS)),
        )
    )
    return {r["ancestor_id"]: (r["units"], r["grassroots"]) for r in rows}


@dataclass(frozen=True)
class HistoryRow:
    parent: Unit
    valid_from: dt.date
    valid_to: dt.date | None


def unit_history(unit: Unit) -> list[HistoryRow]:
    links = UnitLink.objects.filter(child=unit).select_related("parent").order_by("valid_from")
    return [HistoryRow(link.parent, link.valid_from, link.valid_to) for link in links]


def reorganisation_days(limit: int = 2) -> list[tuple[dt.date, int]]:
    """The days on which the most units closed (at least two), oldest first, with how many:
    the reorganisations people compare the tree across, read from the unit history rather
    than written in the code."""
    rows = (
        Unit.objects.filter(valid_to__isnull=False)
        .values("valid_to")
        .annotate(n=Count("id"))
        .filter(n__gte=2)
        .order_by("-n", "-valid_to")[:limit]
    )
    return sorted((row["valid_to"], row["n"]) for row in rows)
