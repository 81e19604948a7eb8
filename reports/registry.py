"""Counts the registry knows for a reporting unit's subtree on a date (one query)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Count

from unions.models import (
    ENTERPRISE_SECTORS,
    GRASSROOTS_KINDS,
    STATE_SECTORS,
    UPPER_KINDS,
    Unit,
    UnitClosure,
    active_on_q,
)


def registry_counts(unit: Unit, on: dt.date) -> dict[str, int]:
    """Keys are `targets.RegistryCount` values. A CĐCS reporting for itself counts itself."""
    rows = (
        UnitClosure.objects.filter(active_on_q(on), ancestor=unit)
        .filter(active_on_q(on, "descendant__"))
        .values("descendant__kind", "descendant__sector")
        .annotate(n=Count("id"))
    )
    by_kind: Counter[str] = Counter()
    for row in rows:
        kind, sector, n = row["descendant__kind"], row["descendant__sector"], row["n"]
        if kind in GRASSROOTS_KINDS:
            by_kind["grassroots_all"] += n
            if sector in STATE_SECTORS:
                by_kind["grassroots_state"] += n
            else:
                by_kind["grassroots_non_state"] += n
            if sector in ENTERPRISE_SECTORS:
                by_kind["grassroots_enterprise"] += n
        elif kind in UPPER_KINDS:
            by_kind["upper_units"] += n
    keys = [
        "grassroots_all",
        "grassroots_state",
        "grassroots_non_state",
        "grassroots_enterprise",
        "upper_units",
    ]
    return {key: by_kind[key] for key in keys}
