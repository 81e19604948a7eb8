"""Counts the registry knows for a reporting unit's subtree on a date.

Which counts there are, and what each counts, is data (`targets.RegistryCount`): the units of
the subtree are counted once by kind and sector, and every count is summed from that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count

from targets.models import RegistryCount
from unions.models import Unit, UnitClosure, active_on_q


def registry_counts(
    unit: Unit, on: dt.date, counts: Sequence[RegistryCount] | None = None
) -> dict[str, int]:
    """Keys are `targets.RegistryCount` codes (of `counts` when the caller has read them
    already, for their labels). A CĐCS reporting for itself counts itself."""
    if counts is None:
        counts = list(RegistryCount.objects.all())
    rows = (
        UnitClosure.objects.filter(active_on_q(on), ancestor=unit)
        .filter(active_on_q(on, "descendant__"))
        .values("descendant__kind", "descendant__sector")
        .annotate(n=Count("id"))
    )
    found = {count.code: 0 for count in counts}
    for row in rows:
        kind, sector, n = row["descendant__kind"], row["descendant__sector"], row["n"]
        for count in counts:
            if count.counts(kind, sector):
                found[count.code] += n
    return found
