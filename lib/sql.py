"""Small pieces of SQL the ORM does not write for us."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL


def ids_q(path: str, ids: Collection[int]) -> Q:
    """Rows whose `path` is among `ids`: on PostgreSQL one array parameter (thousands of ids
    nationally, each a parameter for Django and the driver to bind otherwise), written as
    one text ("{1,2,3}") that the database casts: the driver dumps a list item by item and
    Django hashes every item of an expression's parameters, a few ms per 4,000 ids each."""
    if connection.vendor == "postgresql":
        text = "{" + ",".join(str(int(i)) for i in ids) + "}"
        return Q(**{f"{path}__in": RawSQL("SELECT UNNEST(%s::bigint[])", [text])})
    return Q(**{f"{path}__in": list(ids)})


def chunks(ids: Iterable[int], size: int = 2000) -> Iterator[list[int]]:
    """`ids`, distinct and sorted, in lists of at most `size`: short enough for an `IN (...)`
    list on either database (SQLite binds at most 32,766 parameters a statement)."""
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]
