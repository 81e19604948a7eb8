"""A worker's memory of large breakdowns, good while the figures' version stays the same.

A national indicator page sorts and adds up 4,240 reporting units to show 100 of them; their
numbers change only when something a figure depends on is written, and every such write
raises the figures' version in its own transaction (`rollup.models.FiguresVersion`, kept by
the database's triggers). What a breakdown read is kept under the version read before it, so
an entry is never used once a later write is visible: a read that starts after the write
commits reads the new version and misses.

Nothing is kept or used inside a transaction (a write there may still be rolled back and its
version given again to another write), nor for breakdowns under BREAKDOWN_KEPT_MIN_ROWS rows
(cheap to make again). Entries of older versions are dropped when a newer one is kept; at
most BREAKDOWN_KEPT_MAX_ROWS rows are kept in all, the least recently used dropped first (a
national root's breakdown is 4,240 rows and about 4.5 MB).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, router

from unions.models import Unit

from .models import FiguresVersion, RollupTotal

V = TypeVar("V")


Version = tuple[tuple[str, int], ...]  # (database alias, its figures' version), by alias


def figures_version() -> Version | None:
    """The figures' version on each database a breakdown reads from: the totals always from
    the primary, units and reports from a read replica when one is current enough
    (`config.routers`), so an entry is used only where both hold what they held when it was
    read. None when nothing may be kept (inside a transaction, or no version was ever set)."""
    aliases = sorted(
        {
            DEFAULT_DB_ALIAS,
            *(router.db_for_read(m) or DEFAULT_DB_ALIAS for m in (RollupTotal, Unit)),
        }
    )
    if any(connections[alias].in_atomic_block for alias in aliases):
        return None
    found = []
    for alias in aliases:
        number = FiguresVersion.objects.using(alias).filter(pk=1).values_list("number", flat=True)
        value = next(iter(number), None)
        if value is None:
            return None
        found.append((alias, value))
    return tuple(found)


def earlier(a: Version, b: Version) -> bool:
    """Whether `a` is an earlier state than `b` of the same databases."""
    same = [alias for alias, _ in a] == [alias for alias, _ in b]
    return a != b and same and all(m <= n for (_, m), (_, n) in zip(a, b, strict=True))


class Kept(Generic[V]):
    """Values kept by (version, key), each with its number of rows."""

    def __init__(self) -> None:
        self._entries: OrderedDict[tuple[Version, Hashable], tuple[V, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], tuple[V, int]]) -> V:
        """The value kept for `key` at the current version, else `make()`'s (value, rows),
        kept when large enough."""
        least = settings.BREAKDOWN_KEPT_MIN_ROWS
        version = figures_version() if least > 0 else None
        if version is None:
            return make()[0]
        with self._lock:
            found = self._entries.get((version, key))
            if found is not None:
                self._entries.move_to_end((version, key))
                return found[0]
        value, rows = make()
        if rows >= least:
            self._keep((version, key), value, rows)
        return value

    def _keep(self, key: tuple[Version, Hashable], value: V, rows: int) -> None:
        version = key[0]
        with self._lock:
            if any(earlier(version, k[0]) for k in self._entries):
                return  # read before a write another request has already read past
            for old in [k for k in self._entries if earlier(k[0], version)]:
                del self._entries[old]  # a later version is visible: never asked again
            self._entries[key] = (value, rows)
            while sum(r for _, r in self._entries.values()) > settings.BREAKDOWN_KEPT_MAX_ROWS:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
