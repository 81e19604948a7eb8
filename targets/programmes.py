"""Which programmes are in force, and which one a page shows when nobody chose.

A programme is a lens over the federation's quarterly figures (DOMAIN.md §8): the reports
belong to a unit and a quarter and ask, once, for the fields of every programme in force that
quarter. These are the only rules that decide it; every screen, file, command and the API ask
here instead of choosing a programme their own way.

Drafts and checked programmes are seen only on the programme screens of the office: every
other screen, file and the API read programmes through `programmes_shown` (published and
closed ones), so nothing changes for anyone until a programme is published.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from .models import SHOWN_STATUSES, Field, Programme, TaskGroup

Quarter = tuple[int, int]


def quarter_of(day: dt.date) -> Quarter:
    return day.year, (day.month - 1) // 3 + 1


def programmes_shown() -> QuerySet[Programme]:
    """The programmes every screen, file and the API may show: published or closed."""
    return Programme.objects.filter(status__in=SHOWN_STATUSES)


def first_day(programme: Programme) -> dt.date:
    """The first day reports ask for the programme: the later of its term's start, its issue
    and its publication."""
    days = [programme.term_start, programme.issued_on]
    if programme.published_from is not None:
        days.append(programme.published_from)
    return max(days)


def last_day(programme: Programme) -> dt.date:
    """The last day of its term, or the day before it was closed early."""
    if programme.closed_from is not None:
        return min(programme.term_end, programme.closed_from - dt.timedelta(days=1))
    return programme.term_end


def reporting_quarters(programme: Programme) -> tuple[Quarter, Quarter]:
    """The first and last quarter the programme's reports cover: reporting begins with the
    quarter it was issued and published in (never before its term), and ends with its term's
    last quarter, or the quarter before it was closed early."""
    return quarter_of(first_day(programme)), quarter_of(last_day(programme))


def covers(programme: Programme, year: int, quarter: int) -> bool:
    """Whether the quarter's reports ask for the programme's fields (never for a draft)."""
    if not programme.is_shown:
        return False
    first, last = reporting_quarters(programme)
    return first <= (year, quarter) <= last


def quarter_days(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    month = quarter * 3
    start = dt.date(year, month - 2, 1)
    return start, dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def in_force_q(year: int, quarter: int, prefix: str = "") -> Q:
    """`covers` as a filter on programmes (or, with `prefix`, on rows related to them): the
    programme is published (or closed), was issued, published and its term had begun by the
    quarter's end, and its term had not ended nor was it closed before the quarter began."""
    start, end = quarter_days(year, quarter)
    published = Q(**{f"{prefix}published_from__isnull": True}) | Q(
        **{f"{prefix}published_from__lte": end}
    )
    still_open = Q(**{f"{prefix}closed_from__isnull": True}) | Q(
        **{f"{prefix}closed_from__gt": start}
    )
    return (
        Q(
            **{
                f"{prefix}status__in": SHOWN_STATUSES,
                f"{prefix}term_start__lte": end,
                f"{prefix}issued_on__lte": end,
                f"{prefix}term_end__gte": start,
            }
        )
        & published
        & still_open
    )


def programmes_in_force(year: int, quarter: int) -> list[Programme]:
    """The programmes whose reports cover the quarter, oldest first (one query)."""
    found = Programme.objects.filter(in_force_q(year, quarter))
    return list(found.order_by("term_start", "pk"))


def fields_in_force(year: int, quarter: int) -> list[Field]:
    """The data fields the programmes in force in the quarter read, in form order (one
    query): what the quarter's reports ask for."""
    q = in_force_q(year, quarter, "numerator_of__programme__") | in_force_q(
        year, quarter, "denominator_of__programme__"
    )
    return list(Field.objects.filter(q).distinct().order_by("order", "code"))


def programme_default(today: dt.date) -> Programme | None:
    """The programme in force on the date (the most recently started one when terms overlap),
    else the last one that ended, else the first one still to come."""
    every = list(programmes_shown().order_by("term_start", "pk"))
    running = [p for p in every if p.term_start <= today <= last_day(p)]
    if running:
        return running[-1]
    ended = sorted((p for p in every if last_day(p) < today), key=lambda p: (last_day(p), p.pk))
    if ended:
        return ended[-1]
    return every[0] if every else None


def programme_chosen(code: str | None, today: dt.date) -> Programme | None:
    """The programme a request names by code, else the default for the date."""
    if code:
        named = programmes_shown().filter(code=code).first()
        if named is not None:
            return named
    return programme_default(today)


def task_groups_of(programmes: Iterable[Programme]) -> list[TaskGroup]:
    """The programmes' task groups, keyed for the quarter (`task_group_keys`)."""
    ids = [p.pk for p in programmes]
    groups = TaskGroup.objects.filter(programme_id__in=ids).select_related("programme")
    return list(task_group_keys(groups.order_by("programme__term_start", "order")).values())


def reporting_span() -> tuple[Quarter, Quarter] | None:
    """From the first programme's first reporting quarter to the last programme's last."""
    spans = [reporting_quarters(p) for p in programmes_shown()]
    if not spans:
        return None
    return min(s[0] for s in spans), max(s[1] for s in spans)


def task_group_keys(groups: Iterable[TaskGroup]) -> dict[str, TaskGroup]:
    """How a quarter's narratives are named in forms and files: by the group's code ("3.1"),
    prefixed with its programme's code where two programmes in force share that code."""
    chosen = list(groups)
    counts = Counter(g.code for g in chosen)
    for g in chosen:
        g.narrative_key = "" if counts[g.code] == 1 else f"{g.programme.code}-{g.code}"
    return {g.key: g for g in chosen}
