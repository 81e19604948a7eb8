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
national root's breakdown is 4,240 rows and about 3 MB).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, router

from .models import FiguresVersion, RollupTotal

V = TypeVar("V")


def figures_version() -> tuple[str, int] | None:
    """Where the totals are read from and their figures' version there; None when nothing
    may be kept (inside a transaction, or the version was never set)."""
    alias = router.db_for_read(RollupTotal) or DEFAULT_DB_ALIAS
    if connections[alias].in_atomic_block or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return None
    number = FiguresVersion.objects.using(alias).filter(pk=1).values_list("number", flat=True)
    found = next(iter(number), None)
    return None if found is None else (alias, found)


class Kept(Generic[V]):
    """Values kept by (version, key), each with its number of rows."""

    def __init__(self) -> None:
        self._entries: OrderedDict[tuple[tuple[str, int], Hashable], tuple[V, int]] = OrderedDict()
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

    def _keep(self, key: tuple[tuple[str, int], Hashable], value: V, rows: int) -> None:
        (alias, number), _ = key
        with self._lock:
            if any(k[0][0] == alias and k[0][1] > number for k in self._entries):
                return  # read before a write another request has already read past
            for old in [k for k in self._entries if k[0][0] == alias and k[0][1] < number]:
                del self._entries[old]  # a later version is visible: never asked again
            self._entries[key] = (value, rows)
            while sum(r for _, r in self._entries.values()) > settings.BREAKDOWN_KEPT_MAX_ROWS:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
