"""The synthetic benchmark dataset, and the pre-summed roll-up totals it (and every approval)
keeps: the roll-up must give exactly the same results from totals as from raw values."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from bench.synthetic import generate
from reports.assignments import assignments_apply_proposal
from reports.models import Assignment, Report, ReportEvent, Value
from reports.numbers import Entry
from reports.services import (
    ReportInput,
    report_approve,
    report_reopen,
    report_save,
    report_submit,
)
from rollup import totals
from rollup.engine import AS_NOW, AS_WAS, PeriodSpec, progress
from rollup.models import RollupTotal, RollupTotalsState
from targets.models import Programme
from tests.conftest import approved, period
from unions.models import Unit, UnitClosure, UnitKind, folded

TODAY = dt.date(2026, 11, 25)
SPECS = ["2024Q2", "2024", "2025Q2", "2025Q3", "2025", "2026Q1", "2026Q3", "2026", "term"]


def raw_and_totals(programme, unit, spec, today=TODAY, tree=AS_WAS):
    """The same roll-up read from totals and from raw values (totals switched off)."""
    fast = progress(programme, unit, PeriodSpec.parse(spec), tree=tree, today=today)
    state = RollupTotalsState.objects.get()
    state.closure_mark, real = -1, state.closure_mark
    state.save()
    try:
        raw = progress(programme, unit, PeriodSpec.parse(spec), tree=tree, today=today)
    finally:
        state.closure_mark = real
        state.save()
    return fast, raw


def assert_same(fast, raw):
    assert fast.received_reports == raw.received_reports
    assert fast.expected_reports == raw.expected_reports
    assert [vars(r) for r in fast.results] == [vars(r) for r in raw.results]


@pytest.fixture
def province(db):
    return generate("province", seed=7, today=TODAY)


def test_generator_builds_the_province_with_the_2025_reorganisation(province):
    assert province.root.kind == UnitKind.PROVINCE
    assert Unit.objects.filter(kind=UnitKind.GRASSROOTS).count() == 400
    assert (
        Unit.objects.filter(kind__in=["district", "sector"], valid_to=dt.date(2025, 7, 1)).count()
        == 12
    )
    assert Unit.objects.filter(kind=UnitKind.COMMUNE).count() == 38
    assert Report.objects.filter(in_force=True).count() == Report.objects.count()
    assert ReportEvent.objects.count() == Report.objects.count()
    assert Value.objects.filter(state="blank").exists()
    # Every unit is its own ancestor once; CĐCS moved in 2025 have two parents over time.
    assert UnitClosure.objects.filter(depth=0).count() == Unit.objects.count()
    programme = Programme.objects.get()
    assert programme.issuer == province.root
    assert Assignment.objects.filter(unit__kind=UnitKind.COMMUNE, last_period=None).count() == 38
    # Bulk-created units are searchable like saved ones (bulk_create skips save()).
    assert not Unit.objects.filter(search_key="").exists()
    sample = Unit.objects.filter(kind=UnitKind.COMMUNE).order_by("code").first()
    assert Unit.objects.search(folded(sample.name)).filter(pk=sample.pk).exists()


def test_generator_refuses_to_replace_data_unless_forced(province):
    with pytest.raises(CommandError, match="--force"):
        call_command("generate_data", scale="province")
    call_command("generate_data", scale="province", seed=3, force=True)
    assert Unit.objects.filter(kind=UnitKind.GRASSROOTS).count() == 400


@pytest.mark.parametrize("spec", SPECS)
def test_totals_give_the_raw_roll_up_for_the_generated_province(province, spec):
    programme = Programme.objects.get()
    units = [
        province.root,
        Unit.objects.filter(kind="district").order_by("code").first(),
        Unit.objects.filter(kind=UnitKind.COMMUNE).order_by("code").last(),
        Unit.objects.filter(kind=UnitKind.GRASSROOTS, valid_to=None).order_by("code").first(),
    ]
    for unit in units:
        fast, raw = raw_and_totals(programme, unit, spec)
        assert_same(fast, raw)


def test_the_province_is_read_from_a_few_totals_rows_not_from_values(province):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    programme = Programme.objects.get()
    with CaptureQueriesContext(connection) as ctx:
        progress(programme, province.root, PeriodSpec.parse("2026"), today=TODAY)
    assert not any("reports_value" in q["sql"] for q in ctx.captured_queries)


def test_as_now_and_provisional_are_read_from_raw_values(province):
    programme = Programme.objects.get()
    fast, raw = raw_and_totals(programme, province.root, "2025", tree=AS_NOW)
    assert_same(fast, raw)


# Incremental totals along small_tree, through the report services --------------------------


def stored():
    return sorted(
        RollupTotal.objects.exclude(numbers=0, blanks=0, not_applicable=0, total=0).values_list(
            "ancestor_id", "period_id", "kind", "item", "numbers", "blanks", "not_applicable",
            "total", "denominator",
        )
    )  # fmt: skip


def test_approvals_keep_the_totals_equal_to_a_full_rebuild(small_tree, programme):
    t = small_tree
    assignments_apply_proposal()
    totals.totals_rebuild()  # empty; from here on approvals keep it
    approved(t.d1, programme, "2025Q2", members=100, workers_union_units=120, informed_ytd=60)
    approved(t.d2, programme, "2025Q2", members=200, workers_union_units=220,
             informed_ytd=Entry.blank())  # fmt: skip
    approved(t.ward, programme, "2025Q4", members=90, workers_union_units=100, informed_ytd=100)
    first = approved(t.d2, programme, "2025Q4", members=210, workers_union_units=230,
                     informed_ytd=Entry.na(), court_cases=2, court_cases_supported=1)  # fmt: skip
    approved(t.d2, programme, "2025Q1", court_cases=1, court_cases_supported=1)
    # A correction: reopened, changed and approved again; the first revision stops counting.
    draft = report_reopen(first, reason="sửa số liệu", actor=None)
    data = ReportInput(values={"members": Entry.of(215), "informed_ytd": Entry.of(200)},
                       confirmed_warnings={"members", "informed_ytd"})  # fmt: skip
    draft = report_save(draft, data, version=draft.version, actor=None)
    draft = report_submit(draft, version=draft.version, actor=None)
    report_approve(draft, actor=None)
    incremental = stored()
    totals.totals_rebuild()
    assert stored() == incremental
    for unit in (t.province, t.d1, t.d2, t.ward, t.c11):
        for spec in ("2025Q2", "2025Q4", "2025", "term"):
            fast, raw = raw_and_totals(programme, unit, spec, today=dt.date(2026, 2, 1))
            assert_same(fast, raw)
    members = next(r for r in fast.results if r.code == "T01")
    assert members.numerator is None  # c11 reports nothing itself


def test_a_reorganisation_keeps_the_totals_trusted_and_exact(small_tree, programme):
    from tests.conftest import make_unit

    approved(small_tree.d2, programme, "2025Q2", members=200)
    totals.totals_rebuild()
    make_unit("NEW", UnitKind.GRASSROOTS, small_tree.d2)
    assert totals.totals_read(small_tree.province, []) is not None
    kept = stored()
    totals.totals_rebuild()
    assert stored() == kept


def test_a_calendar_change_rebuilds_the_quarters_whose_cut_off_moved(small_tree, programme):
    from reports.assignments import calendar_get, periods_ensure

    approved(small_tree.d2, programme, "2025Q2", members=200)
    totals.totals_rebuild()
    calendar = calendar_get()
    calendar.cutoff_rule = "day14" if calendar.cutoff_rule != "day14" else "quarter_end"
    calendar.save()
    periods_ensure()
    q2 = period(programme, "2025Q2")
    assert totals.totals_read(small_tree.province, [q2]) is not None
    fast, raw = raw_and_totals(programme, small_tree.province, "2025Q2")
    assert_same(fast, raw)


def test_dashboard_series_from_totals_are_the_raw_series(province):
    from dashboards.selectors import indicator_series

    programme = Programme.objects.get()
    unit = Unit.objects.filter(kind=UnitKind.COMMUNE).order_by("code").first()
    for root in (province.root, unit):
        fast = indicator_series(programme, root, today=TODAY)
        RollupTotalsState.objects.update(closure_mark=-1)
        raw = indicator_series(programme, root, today=TODAY)
        RollupTotalsState.objects.update(closure_mark=totals.closure_mark())
        assert fast == raw


def expected_in_python(unit, periods):
    """The roll-up's former reading of expected reports (every closure row into Python)."""
    from collections import defaultdict

    from reports.models import AssignmentScope

    counts = defaultdict(int)
    assignments = Assignment.objects.select_related("unit", "first_period", "last_period")
    spans = defaultdict(list)
    for d, start, end in UnitClosure.objects.filter(ancestor=unit).values_list(
        "descendant_id", "valid_from", "valid_to"
    ):
        spans[d].append((start, end))
    for p in periods:
        key = (p.year, p.quarter)
        for a in assignments:
            first = (a.first_period.year, a.first_period.quarter)
            last = (a.last_period.year, a.last_period.quarter) if a.last_period else (9999, 4)
            on = p.cutoff
            below = any(s <= on and (e is None or on < e) for s, e in spans.get(a.unit_id, []))
            if first <= key <= last and a.unit.is_active_on(on) and below:
                counts[(*key, a.scope == AssignmentScope.PROVINCE)] += 1
    return dict(counts)


def test_expected_reports_counted_in_the_database_match_the_python_count(province):
    from reports.models import ReportingPeriod

    periods = list(ReportingPeriod.objects.order_by("year", "quarter"))
    units = [province.root, *Unit.objects.filter(kind__in=["district", "commune"])[:6]]
    units += list(Unit.objects.filter(kind=UnitKind.GRASSROOTS).order_by("code")[:3])
    for unit in units:
        assert dict(totals.expected_counts(unit, periods)) == expected_in_python(unit, periods)


def test_expected_reports_along_small_tree_match_the_python_count(small_tree, programme):
    from reports.models import ReportingPeriod

    assignments_apply_proposal()
    periods = list(ReportingPeriod.objects.order_by("year", "quarter"))
    for unit in vars(small_tree).values():
        assert dict(totals.expected_counts(unit, periods)) == expected_in_python(unit, periods)


def test_a_changed_cut_off_sends_the_roll_up_back_to_raw_values(small_tree, programme):
    approved(small_tree.d2, programme, "2025Q2", members=200)
    totals.totals_rebuild()
    q2 = period(programme, "2025Q2")
    assert totals.totals_read(small_tree.province, [q2]) is not None
    q2.cutoff = dt.date(2025, 6, 14)
    q2.save()
    assert totals.totals_read(small_tree.province, [q2]) is None
