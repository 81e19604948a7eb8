"""Times reorganisations on a generated dataset; each runs in a transaction rolled back after.

python bench/reorg.py     (DATABASE_URL set; prints JSON on stdout)

- move 1,000 CĐCS of one province under one of its commune unions;
- dissolve a commune union, its CĐCS going to a neighbouring commune (the successor);
- merge two provinces (the largest reorganisation the forms allow: the whole subtree of one
  province moves under the other).

Each figure includes what the reorganisation keeps current in its transaction (the closure,
the roll-up totals, the audit log), and its number of SQL queries.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from unions.models import Unit, UnitKind, UnitLink, active_on_q  # noqa: E402
from unions.services import unit_dissolve, unit_merge, unit_move  # noqa: E402


def _timed(action: Callable[[], int]) -> dict[str, Any]:
    """Runs `action` in a transaction that is rolled back; its time, queries and size."""
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        units = action()
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return {"seconds": round(seconds, 2), "queries": len(queries), "units": units}


def _children(parent: Unit, on: dt.date) -> list[Unit]:
    links = UnitLink.objects.filter(active_on_q(on), parent=parent).order_by("child__code")
    return [link.child for link in links.select_related("child")]


def _communes(province: Unit, on: dt.date) -> list[Unit]:
    return [u for u in _children(province, on) if u.kind == UnitKind.COMMUNE]


def run(count: int = 1000) -> dict[str, Any]:
    on = timezone.localdate()
    provinces = list(Unit.objects.active_on(on).filter(kind=UnitKind.PROVINCE).order_by("code"))
    # A province with a parent (below the national root), and a second one to merge it into.
    linked = set(UnitLink.objects.filter(active_on_q(on)).values_list("child_id", flat=True))
    province, other = [p for p in provinces if p.pk in linked][:2]
    communes = _communes(province, on)
    target, *rest = communes
    grassroots = [u for c in rest for u in _children(c, on)][:count]
    below = {c.pk: len(_children(c, on)) for c in rest}
    dissolved = max(rest, key=lambda c: below[c.pk])
    results = {
        "move_cdcs": _timed(lambda: unit_move(grassroots, target, on) or len(grassroots)),
        "dissolve_commune": _timed(
            lambda: unit_dissolve(dissolved, on, successor=target) or below[dissolved.pk]
        ),
        "merge_provinces": _timed(lambda: unit_merge([province], other, on) or len(communes)),
    }
    return {"province": province.code, "on": on.isoformat(), **results}


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
