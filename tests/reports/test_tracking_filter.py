"""The status filter of the tracking grid groups the working revisions in the database and
weighs each group once (`reports.tracking_filter`); here it is compared, on generated
revisions of every kind, with the plain filter: every cell's state by `cell_state`, from
`working_revisions`, kept by `matches`."""

import datetime as dt
import random

from reports.assignments import assignments_apply_proposal
from reports.models import Report, ReportStatus
from reports.tracking import PageAsk, tracking_grid, tracking_page
from reports.tracking_filter import units_matching
from reports.tracking_grid import Asked, cell_state, matches, quarters_read, working_revisions
from reports.tracking_rules import CellStatus
from tests.conftest import REFORM, make_unit, period
from unions.models import Unit, UnitKind

STATUSES = [*(s.value for s in CellStatus), "late"]
D, S, R, A = (
    ReportStatus.DRAFT,
    ReportStatus.SUBMITTED,
    ReportStatus.RETURNED,
    ReportStatus.APPROVED,
)
# Revisions of a quarter, oldest first: (status, in force); the last one is the working one.
HISTORIES = [
    [],
    [(D, False)],
    [(S, False)],
    [(R, False)],
    [(A, True)],
    [(A, True), (D, False)],  # reopened
    [(A, True), (S, False)],  # a correction sent after an approval
    [(A, True), (R, False)],
    [(A, False), (A, True)],
    [(R, False), (S, False)],
]


def _units(province, d2):
    """Districts (expected), some created in the middle of the year (not expected before),
    CĐCS under the province (expected) and under a district (not expected)."""
    for n in range(16):
        start = REFORM if n % 4 == 0 else dt.date(2020, 1, 1)
        make_unit(f"X{n:02}", UnitKind.DISTRICT, province, start=start)
    for n in range(8):
        make_unit(f"G{n:02}", UnitKind.GRASSROOTS, province)
        make_unit(f"H{n:02}", UnitKind.GRASSROOTS, d2)


def _moment(rng: random.Random, due: dt.date) -> dt.datetime:
    """Around the due date, often either side of midnight in Vietnam (17:00 UTC)."""
    day = due + dt.timedelta(days=rng.randint(-3, 3))
    return dt.datetime.combine(day, dt.time(rng.choice([2, 16, 17, 23]), 30), tzinfo=dt.UTC)


def _revisions(rng: random.Random, unit: Unit, p, diligent: bool) -> list[Report]:
    history = [(A, True)] if diligent else rng.choice(HISTORIES)
    first = None if rng.random() < 0.15 else _moment(rng, p.due)
    if diligent:  # approved, sent on time
        first = dt.datetime.combine(p.due, dt.time(2, 30), tzinfo=dt.UTC)
    made = []
    for revision, (status, in_force) in enumerate(history, start=1):
        sent = first if status != D and first is not None else None
        if sent is not None and revision > 1 and rng.random() < 0.5:
            sent += dt.timedelta(days=rng.randint(1, 40))
        made.append(
            Report(
                unit=unit, period=p, revision=revision, status=status, in_force=in_force,
                is_latest=revision == len(history), submitted_at=sent,
                first_submitted_at=first if status != D or revision > 1 else None,
            )
        )  # fmt: skip
    return made


def _plain(quarters, units, status, today) -> set[int]:
    found = working_revisions([q.period for q in quarters])
    return {
        u
        for u in units
        if matches(
            [cell_state(u in q.expected, q.period, found.get((u, q.period.pk)), today)[:2]
             for q in quarters],
            status,
        )
    }  # fmt: skip


def test_the_grouped_filter_keeps_the_units_the_plain_one_does(small_tree, programme):
    _units(small_tree.province, small_tree.d2)
    assignments_apply_proposal()
    periods = [period(programme, c) for c in ("2025Q1", "2025Q2", "2025Q3", "2025Q4")]
    rng = random.Random(14)
    units = list(Unit.objects.all())
    diligent = {u.pk: rng.random() < 0.2 for u in units}
    made = [r for u in units for p in periods for r in _revisions(rng, u, p, diligent[u.pk])]
    Report.objects.bulk_create(made)
    quarters, _ids = quarters_read(periods, Asked())
    every = {u.pk for u in units}
    for today in (periods[-1].due - dt.timedelta(days=1), periods[-1].due + dt.timedelta(days=5)):
        for status in STATUSES:
            plain = _plain(quarters, every, status, today)
            assert units_matching(quarters, every, status, today) == plain, (status, today)
            # Neither every unit nor none: the data tells the filter's groups apart.
            assert 0 < len(plain) < len(every), (status, today)
            if status == CellStatus.NOT_EXPECTED:
                continue  # not offered by the page
            # The page keeps the whole grid's rows, in its order.
            whole = [r.unit.code for r in tracking_grid(periods, today, status).rows]
            _grid, page = tracking_page(periods, today, PageAsk(status=status, size=1000))
            assert [r.unit.code for r in page.object_list] == whole, (status, today)
