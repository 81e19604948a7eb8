"""Small pieces of SQL the ORM does not write for us."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL


def ids_q(path: str, ids: Collection[int]) -> Q:
    """Rows whose `path` is among `ids`: on PostgreSQL one array parameter (thousands of ids
    nationally, each a parameter for Django and the driver to bind otherwise)."""
    if connection.vendor == "postgresql":
        return Q(**{f"{path}__in": RawSQL("SELECT UNNEST(%s::bigint[])", [list(ids)])})
    return Q(**{f"{path}__in": list(ids)})


def chunks(ids: Iterable[int], size: int = 2000) -> Iterator[list[int]]:
    """`ids`, distinct and sorted, in lists of at most `size`: short enough for an `IN (...)`
    list on either database (SQLite binds at most 32,766 parameters a statement)."""
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]
