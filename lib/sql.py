"""Small pieces of SQL the ORM does not write for us."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from typing import Any

from django.db import connection
from django.db.models import Aggregate, Q, TextField
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


class JoinedIds(Aggregate):
    """The group's ids (an integer column) as one text, "3,1,2" in no particular order: a
    group of thousands of rows crosses from the database as one value (`string_agg` on
    PostgreSQL, `group_concat` on SQLite). `split_ids` reads it back."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s::text, ',')"
    output_field = TextField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            function="GROUP_CONCAT",
            template="%(function)s(%(expressions)s, ',')",
            **extra_context,
        )


def split_ids(joined: str | None) -> set[int]:
    """The ids of a `JoinedIds` text."""
    return set(map(int, joined.split(","))) if joined else set()
