"""The roll-up engine against the brute-force reference of `tests/rollup/reference.py`.

Hypothesis builds small trees (a province, 2–3 districts, a few CĐCS, commune unions created
on the way), reorganises them at random dates (moves, dissolutions with and without a
successor), and fills random reports for every expected unit and quarter: numbers, zeros,
blanks, "not applicable", missing reports, submitted, returned, approved and reopened
revisions. Every indicator is then compared, for several units and periods, along both
trees, with and without provisional figures, from raw values and from the pre-summed totals.
Each example runs in a savepoint that is rolled back.

Engine defects found this way were pinned by deterministic `xfail(strict=True)` tests at
the end; the comparison leaves out only the part of a figure such a defect spoils, through
`ENGINE_DEFECTS`, so that fixing the engine turns those tests into failures to clean up.
"""

from __future__ import annotations

import datetime as dt
import random
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from reports.assignments import (
    assignments_apply_proposal,
    assignments_for,
    calendar_get,
    calendar_save,
    periods_ensure,
)
from reports.models import Report, ReportingPeriod, Value
from rollup.engine import AS_NOW, AS_WAS, PeriodSpec, progress, reads_for
from rollup.totals import totals_rebuild
from targets.models import Field, Indicator, Programme
from targets.services import programme_03_load
from tests.conftest import approved, make_unit, period
from unions.models import Unit, UnitKind
from unions.services import ReorgError, unit_dissolve, unit_move

from .reference import NOW, WAS, Figure, reference, snapshot

TODAY = dt.date(2027, 1, 20)
TREES = {AS_WAS: WAS, AS_NOW: NOW}

# Parts of figures a known engine defect spoils (each pinned by an xfail test below); the
# comparison skips exactly these and nothing else.
ENGINE_DEFECTS: set[str] = set()  # both found (expected along today's tree, annual fields
# outside the fourth quarter) are fixed; their tests below now pin the fixes

BOUNDED = settings(
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def programme03(db):
    programme = programme_03_load()
    periods_ensure()
    return programme


# --- generated data ---------------------------------------------------------------------------

# Reorganisation dates: quarter ends (a cut-off), the day after, and days inside quarters.
DATES = [
    dt.date(2024, 1, 1),
    dt.date(2024, 3, 31),
    dt.date(2024, 4, 1),
    dt.date(2024, 8, 15),
    dt.date(2024, 12, 31),
    dt.date(2025, 2, 10),
    dt.date(2025, 6, 20),
    dt.date(2025, 6, 30),
    dt.date(2025, 7, 1),
    dt.date(2025, 11, 3),
    dt.date(2026, 1, 1),
    dt.date(2026, 6, 30),
    dt.date(2026, 9, 14),
]

SPECS = [
    ("term", None, None),
    ("year", 2024, None),
    ("year", 2025, None),
    ("year", 2026, None),
    ("quarter", 2024, 1),
    ("quarter", 2025, 2),
    ("quarter", 2025, 3),
    ("quarter", 2026, 2),
]


@dataclass(frozen=True)
class Scenario:
    districts: int
    cdcs_parents: list[int]  # 0: the province, i: district i
    communes: list[dt.date]  # commune unions created on these dates
    events: list[tuple[dt.date, str, int, int]]  # (date, what, unit index, other index)
    seed: int
    cutoff_rule: str  # quarter ends, or the 14th of the quarter's last month
    late_move: tuple[dt.date, int, int]  # a move made after the totals were built


@st.composite
def scenarios(draw) -> Scenario:
    districts = draw(st.integers(2, 3))
    return Scenario(
        districts=districts,
        cdcs_parents=draw(st.lists(st.integers(0, districts), min_size=2, max_size=5)),
        communes=draw(st.lists(st.sampled_from(DATES), max_size=2)),
        events=draw(
            st.lists(
                st.tuples(
                    st.sampled_from(DATES),
                    st.sampled_from(["move", "dissolve", "succeed"]),
                    st.integers(0, 30),
                    st.integers(0, 30),
                ),
                min_size=1,
                max_size=5,
            )
        ),
        seed=draw(st.integers(0, 2**31)),
        cutoff_rule=draw(st.sampled_from(["quarter_end", "day14"])),
        late_move=draw(st.tuples(st.sampled_from(DATES), st.integers(0, 30), st.integers(0, 30))),
    )


def late_move(units: list[Unit], move: tuple[dt.date, int, int]) -> bool:
    """A CĐCS moved under another upper unit (or the province); False if refused."""
    day, a, b = move
    cdcs = [u for u in units if u.kind == UnitKind.GRASSROOTS]
    uppers = [u for u in units if u.kind != UnitKind.GRASSROOTS]
    try:
        unit_move([cdcs[a % len(cdcs)]], uppers[b % len(uppers)], day)
    except ReorgError:
        return False
    return True


def build_tree(s: Scenario) -> list[Unit]:
    """The units made and reorganised as the scenario says; moves that the services refuse
    (a parent that does not exist yet, a dissolution that would orphan units) are skipped."""
    province = make_unit("P", UnitKind.PROVINCE, None, start=dt.date(2004, 1, 1))
    districts = [make_unit(f"D{i}", UnitKind.DISTRICT, province) for i in range(s.districts)]
    parents = [province, *districts]
    cdcs = [
        make_unit(f"C{i}", UnitKind.GRASSROOTS, parents[p]) for i, p in enumerate(s.cdcs_parents)
    ]
    steps: list[tuple[dt.date, int, str, int, int]] = [
        (day, 0, "create", i, 0) for i, day in enumerate(s.communes)
    ]
    steps += [(day, 1, what, a, b) for day, what, a, b in s.events]
    communes: list[Unit] = []
    applied = 0
    for day, _order, what, a, b in sorted(steps):
        everyone = [*districts, *communes, *cdcs]
        try:
            if what == "create":
                communes.append(make_unit(f"W{a}", UnitKind.COMMUNE, province, start=day))
            elif what == "move":
                uppers = [province, *districts, *communes]
                unit_move([cdcs[a % len(cdcs)]], uppers[b % len(uppers)], day)
            elif what == "dissolve":
                unit_dissolve(everyone[a % len(everyone)], day)
            else:
                successors = [province, *everyone]
                unit_dissolve(everyone[a % len(everyone)], day, successors[b % len(successors)])
        except ReorgError:
            continue
        applied += what != "create"
    event(f"reorganisations applied: {applied}")
    units = [province, *districts, *communes, *cdcs]
    for unit in units:
        unit.refresh_from_db()
    return units


def _entry(rng: random.Random) -> tuple[str, int | None] | None:
    roll = rng.random()
    if roll < 0.08:
        return None  # no value row at all
    if roll < 0.22:
        return ("blank", None)
    if roll < 0.32:
        return ("na", None)
    if roll < 0.42:
        return ("number", 0)
    return ("number", rng.randint(1, 40))


def fill_reports(seed: int) -> None:
    """Reports for the expected units of every quarter that ended, written as rows: some
    missing, some drafts, returned or submitted, most approved, some reopened."""
    rng = random.Random(seed)
    fields = list(Field.objects.values_list("id", "frequency", "province_only"))
    reports: list[Report] = []
    values: list[tuple[int, dict[int, tuple[str, int | None]]]] = []
    for quarter in ReportingPeriod.objects.filter(cutoff__lte=TODAY).order_by("year", "quarter"):
        for assignment in assignments_for(quarter):
            if rng.random() < 0.15:
                continue  # missing
            province = assignment.scope == "province"
            stray = "annual_outside_q4" not in ENGINE_DEFECTS and rng.random() < 0.1
            asked = [
                f
                for f, frequency, province_only in fields
                if province_only == province
                and (frequency != "annual" or quarter.quarter == 4 or stray)
            ]

            def made(revision, status, latest, in_force, asked=asked, a=assignment, q=quarter):
                reports.append(
                    Report(
                        unit=a.unit,
                        period=q,
                        revision=revision,
                        status=status,
                        is_latest=latest,
                        in_force=in_force,
                    )
                )
                entries = {f: _entry(rng) for f in asked}
                values.append((len(reports) - 1, {f: e for f, e in entries.items() if e}))

            roll = rng.random()
            if roll < 0.6:
                made(1, "approved", True, True)
            elif roll < 0.7:
                made(1, "submitted", True, False)
            elif roll < 0.78:
                made(1, rng.choice(["draft", "returned"]), True, False)
            elif roll < 0.9:  # reopened: the approved revision keeps counting
                made(1, "approved", False, True)
                made(2, rng.choice(["submitted", "draft"]), True, False)
            else:  # approved again: only the second revision is in force
                made(1, "approved", False, False)
                made(2, "approved", True, True)
    created = Report.objects.bulk_create(reports)
    Value.objects.bulk_create(
        Value(report=created[i], field_id=f, state=state, number=number)
        for i, entries in values
        for f, (state, number) in entries.items()
    )


# --- comparing --------------------------------------------------------------------------------


def engine_figures(programme, unit, spec, tree, provisional) -> dict[str, Figure]:
    kind, year, quarter = spec
    prog = progress(
        programme,
        unit,
        PeriodSpec(kind, year, quarter),
        tree=tree,
        provisional=provisional,
        today=TODAY,
    )
    return {
        r.code: Figure(
            r.numerator,
            r.denominator,
            r.value,
            r.quarter,
            r.coverage.reported,
            r.coverage.expected,
        )
        for r in prog.results
    }


def _comparable(figure: Figure, tree: str) -> Figure:
    if tree == AS_NOW and "as_now_expected" in ENGINE_DEFECTS:
        return _without(figure)
    return figure


def _without(figure: Figure) -> Figure:
    return Figure(
        figure.numerator, figure.denominator, figure.value, figure.quarter, figure.reported, -1
    )


def compare(programme, snap, unit, spec, tree, provisional) -> list[str]:
    """Every indicator on which the engine and the reference differ, described."""
    ours = reference(snap, unit.pk, spec, tree=TREES[tree], provisional=provisional, today=TODAY)
    theirs = engine_figures(programme, unit, spec, tree, provisional)
    differences = []
    for code, expected in ours.items():
        got = theirs[code]
        if _comparable(got, tree) != _comparable(expected, tree):
            differences.append(
                f"{unit.code} {spec} {tree} provisional={provisional} {code}: "
                f"engine {got} reference {expected}"
            )
    return differences


def assert_totals_read(programme, unit, spec) -> None:
    kind, year, quarter = spec
    reads = reads_for(
        programme,
        unit,
        tree=AS_WAS,
        provisional=False,
        today=TODAY,
        spec=PeriodSpec(kind, year, quarter),
    )
    assert reads.table is not None, "the figures did not come from the pre-summed totals"


@BOUNDED
@given(scenario=scenarios())
def test_engine_agrees_with_the_reference_on_generated_data(programme03, scenario):
    with rolled_back():
        if scenario.cutoff_rule != "quarter_end":
            calendar = calendar_get()
            calendar.cutoff_rule = scenario.cutoff_rule
            calendar_save(calendar)
        units = build_tree(scenario)
        assignments_apply_proposal()
        fill_reports(scenario.seed)
        rng = random.Random(scenario.seed)
        chosen = [units[0], *rng.sample(units[1:], k=2)]
        specs = rng.sample(SPECS, k=2)
        snap = snapshot(programme03)
        differences = []
        for unit in chosen:
            for spec in specs:
                # Both trees, and provisional figures along one of them.
                for tree, provisional in (
                    (AS_WAS, False),
                    (AS_NOW, False),
                    (rng.choice([AS_WAS, AS_NOW]), True),
                ):
                    differences += compare(programme03, snap, unit, spec, tree, provisional)
        # DOMAIN §4.8: the province total is the same along either tree.
        for spec in specs:
            was, now = (engine_figures(programme03, units[0], spec, t, False) for t in TREES)
            differences += [
                f"province {spec} {code}: as it was {was[code]}, along today's tree {now[code]}"
                for code in was
                if _without(was[code]) != _without(now[code])
            ]
        # The same figures from the pre-summed totals (approved, along the tree as it was).
        totals_rebuild()
        for unit in chosen:
            for spec in specs:
                assert_totals_read(programme03, unit, spec)
                differences += [
                    f"(totals) {d}" for d in compare(programme03, snap, unit, spec, AS_WAS, False)
                ]
        # A reorganisation after the totals were built: they follow it (`follow_closure`).
        if late_move(units, scenario.late_move):
            event("late move applied")
            snap = snapshot(programme03)
            for unit in chosen:
                for spec in specs:
                    assert_totals_read(programme03, unit, spec)
                    differences += [
                        f"(totals after a move) {d}"
                        for d in compare(programme03, snap, unit, spec, AS_WAS, False)
                    ]
        assert not differences, "\n".join(differences[:20])


# --- deterministic ------------------------------------------------------------------------


def _result(prog, code):
    return next(r for r in prog.results if r.code == code)


def test_the_reference_itself_on_the_small_tree(small_tree, programme):
    """The reference on hand-made figures (the numbers of tests/rollup/test_engine.py)."""
    t = small_tree
    assignments_apply_proposal()
    approved(t.d1, programme, "2025Q2", members=100, workers_union_units=120, informed_ytd=60)
    approved(t.d2, programme, "2025Q2", members=200, workers_union_units=220, informed_ytd=100)
    approved(t.ward, programme, "2025Q4", members=90, workers_union_units=100, informed_ytd=100)
    approved(t.d2, programme, "2025Q4", members=210, workers_union_units=230, informed_ytd=220)
    approved(t.d2, programme, "2025Q3", court_cases=2, court_cases_supported=1)
    approved(t.d2, programme, "2025Q1", court_cases=1, court_cases_supported=1)
    snap = snapshot(programme)
    year = ("year", 2025, None)
    province = reference(snap, t.province.pk, year, tree=WAS, provisional=False, today=TODAY)
    assert province["T01"] == Figure(300, None, Decimal(300), (2025, 4), 2, 2)
    assert (province["A01"].numerator, province["A01"].denominator) == (320, 330)
    assert (province["T02"].numerator, province["T02"].denominator) == (2, 3)
    assert province["T02"].quarter is None and province["T02"].expected == 4 * 2
    d1 = reference(snap, t.d1.pk, year, tree=WAS, provisional=False, today=TODAY)
    assert d1["T01"].numerator == 100 and d1["T01"].quarter == (2025, 2)
    q2 = ("quarter", 2025, 2)
    assert (
        reference(snap, t.ward.pk, q2, tree=WAS, provisional=False, today=TODAY)["T01"].numerator
        is None
    )
    ward_now = reference(snap, t.ward.pk, q2, tree=NOW, provisional=False, today=TODAY)
    assert ward_now["T01"] == Figure(100, None, Decimal(100), (2025, 2), 1, 1)


def test_two_programmes_read_the_same_members(small_tree, programme):
    """A second programme that counts members reads the very values programme 03 reads; a
    quarter in force for both asks for the field once."""
    from reports.services import report_fields

    t = small_tree
    second = Programme.objects.create(
        code="ctr-2026",
        number="01/CTr-2026",
        title_vi="Chương trình 2026–2030",
        title_en="Programme 2026–2030",
        issued_on=dt.date(2026, 1, 1),
        term_start=dt.date(2026, 1, 1),
        term_end=dt.date(2030, 12, 31),
        status="published",
        published_from=dt.date(2026, 1, 1),
    )
    members = Field.objects.get(code="members")
    Indicator.objects.create(
        programme=second,
        code="M01",
        name_vi="Đoàn viên",
        name_en="Members",
        text_vi="Đoàn viên",
        text_en="Members",
        kind="term",
        numerator=members,
        display="count",
    )
    periods_ensure()
    assignments_apply_proposal()
    q = period(programme, "2026Q2")
    asked = [f.code for f in report_fields(q)]
    assert asked.count("members") == 1
    approved(t.ward, programme, "2026Q2", members=95)
    approved(t.d2, programme, "2026Q2", members=230)
    approved(t.d2, programme, "2025Q4", members=210)
    spec = PeriodSpec.parse("2026Q2")
    for tree in (AS_WAS, AS_NOW):
        old = _result(progress(programme, t.province, spec, tree=tree, today=TODAY), "T01")
        new = _result(progress(second, t.province, spec, tree=tree, today=TODAY), "M01")
        assert old.numerator == new.numerator == 325
        assert old.quarter == new.quarter == (2026, 2)
    for prog in (programme, second):
        snap = snapshot(prog)
        for unit in (t.province, t.ward, t.d2):
            for spec_ in (("quarter", 2026, 2), ("term", None, None)):
                for tree in (AS_WAS, AS_NOW):
                    assert not compare(prog, snap, unit, spec_, tree, False)
    # The pre-summed totals serve both programmes from the same values.
    totals_rebuild()
    for prog, code in ((programme, "T01"), (second, "M01")):
        assert_totals_read(prog, t.province, ("quarter", 2026, 2))
        figure = _result(progress(prog, t.province, spec, today=TODAY), code)
        assert (figure.numerator, figure.quarter) == (325, (2026, 2))
    # The new programme's term starts in 2026: 2025's members are not its figure.
    term = _result(progress(second, t.province, PeriodSpec("term"), today=TODAY), "M01")
    assert term.numerator == 325 and term.quarter == (2026, 2)


@pytest.fixture
def reform_reports(small_tree, programme):
    t = small_tree
    assignments_apply_proposal()
    for code in ("2024Q4", "2025Q2"):
        approved(t.d1, programme, code, members=100, court_cases=2, court_cases_supported=1)
        approved(t.d2, programme, code, members=200, court_cases=1, court_cases_supported=1)
    for code in ("2025Q3", "2025Q4"):
        approved(t.ward, programme, code, members=90, court_cases=1, court_cases_supported=1)
        approved(t.d2, programme, code, members=210, court_cases=0, court_cases_supported=0)
    return t


def test_completeness_never_exceeds_100_percent_on_either_tree(reform_reports, programme):
    t = reform_reports
    over = []
    for unit in (t.province, t.d1, t.d2, t.ward, t.c11):
        for spec in ("2024", "2025Q2", "2025", "term"):
            for tree in (AS_WAS, AS_NOW):
                prog = progress(programme, unit, PeriodSpec.parse(spec), tree=tree, today=TODAY)
                over += [
                    f"{unit.code} {spec} {tree} {r.code} {r.coverage}"
                    for r in prog.results
                    if r.coverage.reported > r.coverage.expected
                ]
    assert not over, over


def test_expected_reports_along_todays_tree_follow_todays_tree(reform_reports, programme):
    t = reform_reports
    year = _result(
        progress(programme, t.ward, PeriodSpec.parse("2024"), tree=AS_NOW, today=TODAY), "T01"
    )
    assert (year.numerator, year.quarter) == (100, (2024, 4))  # D1's figure follows the ward
    assert (year.coverage.reported, year.coverage.expected) == (1, 1)


def test_an_annual_figure_in_a_second_quarter_report_does_not_count(small_tree, programme):
    from reports.models import Report, Value
    from reports.numbers import Entry
    from reports.services import ReportInput, ReportInvalid, report_reopen, report_save
    from rollup.totals import totals_rebuild
    from targets.models import Field

    t = small_tree
    assignments_apply_proposal()
    report = approved(t.d2, programme, "2024Q2", members=5)
    # The report service refuses it now: the quarter does not ask for it ...
    draft = report_reopen(report, reason="x", actor=None)
    with pytest.raises(ReportInvalid) as refused:
        report_save(
            draft,
            ReportInput(values={"grassroots_state_good": Entry.of(2)}),
            version=draft.version,
            actor=None,
        )
    assert "grassroots_state_good" in refused.value.findings.errors
    # ... and a figure written before that (data from earlier) is not counted, from raw
    # values or from the totals.
    ratings = {"grassroots_state_all": 3, "grassroots_state_good": 2}
    in_force = Report.objects.get(unit=t.d2, period__year=2024, period__quarter=2, in_force=True)
    Value.objects.filter(report=in_force, field__code__in=ratings).delete()
    Value.objects.bulk_create(
        Value(report=in_force, field=Field.objects.get(code=c), state="number", number=n)
        for c, n in ratings.items()
    )
    for built in (False, True):
        if built:
            totals_rebuild()
        for spec in ("2024", "2024Q3"):
            a06 = _result(
                progress(programme, t.province, PeriodSpec.parse(spec), today=TODAY), "A06"
            )
            assert (a06.numerator, a06.denominator, a06.quarter) == (None, None, None), spec
