"""The tracking grid's filter by status at national size: the units with a cell in a status.

A cell's state depends only on its quarter, whether its unit is expected there, and its
working revision's status, whether an approved revision is in force and the day of the
quarter's first sending. The database groups the working revisions of every unit by these
(a few hundred groups instead of 17,000 rows of 4 national quarters), each group's units
in one text, the few approved revisions in force beside another working one in groups of
their own. The grid's rules (`tracking_grid.cell_state`, `matches`) weigh each group once,
expected or not, and the cells without a report once per quarter, expected or not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence

from django.db.models import Q

from lib.sql import JoinedIds, split_ids

from .models import Report
from .tracking_grid import Found, QuarterUnits, cell_state, first_day, matches


def units_matching(
    quarters: Sequence[QuarterUnits], units: Iterable[int], status: str, today: dt.date
) -> set[int]:
    """Those of `units` (the grid's rows) with a cell in `status` ("late": late or overdue),
    as `matches` keeps a row: any of its cells in that status."""
    every = set(units)
    by_period = {q.period.pk: q for q in quarters}
    reported: dict[int, set[int]] = {pk: set() for pk in by_period}
    kept: set[int] = set()
    for period_id, ids, found in _found(by_period):
        reported[period_id] |= ids
        kept |= _kept(by_period[period_id], ids, found, status, today)
    for q in quarters:
        # A cell without a working revision: not started (maybe overdue) or not expected.
        kept |= _kept(q, every - reported[q.period.pk], None, status, today)
    return kept & every


def _found(by_period: dict[int, QuarterUnits]) -> Iterator[tuple[int, set[int], Found]]:
    """The working revisions of the quarters as (period, units, revision) where the units'
    cells have one state, as `working_revisions` reads them: one query."""
    groups = _groups(list(by_period))
    # An approved revision in force while another is the working one (reopened, corrected).
    elsewhere: dict[int, set[int]] = {pk: set() for pk in by_period}
    for period_id, _status, _in_force, is_latest, _day, joined in groups:
        if not is_latest:
            elsewhere[period_id] |= split_ids(joined)
    for period_id, status, in_force, is_latest, day, joined in groups:
        if not is_latest:
            continue
        ids = split_ids(joined)
        also = set() if in_force else ids & elsewhere[period_id]
        yield period_id, ids - also, Found(0, status, in_force, day, False)
        if also:
            yield period_id, also, Found(0, status, True, day, False)


def _groups(periods: list[int]) -> list[tuple[int, str, bool, bool, dt.date | None, str]]:
    """The working revisions of `periods` and the approved ones in force, grouped by what
    their cells' state depends on, their units' ids joined."""
    rows = (
        Report.objects.filter(Q(is_latest=True) | Q(in_force=True), period_id__in=periods)
        .annotate(day=first_day())
        .order_by()
        .values("period_id", "status", "in_force", "is_latest", "day")
        .annotate(ids=JoinedIds("unit_id"))
        .values_list("period_id", "status", "in_force", "is_latest", "day", "ids")
    )
    return list(rows)


def _kept(
    q: QuarterUnits, ids: set[int], found: Found | None, status: str, today: dt.date
) -> set[int]:
    """Those of `ids` whose cell in quarter `q` (working revision `found`) is in `status`."""
    kept: set[int] = set()
    for expected in (True, False):
        state, when, _days = cell_state(expected, q.period, found, today)
        if matches([(state, when)], status):
            kept |= ids & q.expected if expected else ids - q.expected
    return kept
