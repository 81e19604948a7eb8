"""Small pieces of SQL the ORM does not write for us."""

from __future__ import annotations

from collections.abc import Collection

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL


def ids_q(path: str, ids: Collection[int]) -> Q:
    """Rows whose `path` is among `ids`: on PostgreSQL one array parameter (thousands of ids
    nationally, each a parameter for Django and the driver to bind otherwise)."""
    if connection.vendor == "postgresql":
        return Q(**{f"{path}__in": RawSQL("SELECT UNNEST(%s::bigint[])", [list(ids)])})
    return Q(**{f"{path}__in": list(ids)})
