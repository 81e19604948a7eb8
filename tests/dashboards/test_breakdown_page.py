"""The indicator page's breakdown a page at a time: every row is figured (sorting, filters and
the line that adds them up see them all), only the page's rows read their reports expected,
and the page's rows are those a brute-force sort of the whole breakdown puts there."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rollup import totals
from rollup.breakdown import breakdown_sum, indicator_breakdown
from rollup.engine import Mode, PeriodSpec
from targets.models import Indicator

from .conftest import grow


def _full(programme, province, code, provisional=False):
    indicator = Indicator.objects.get(programme=programme, code=code)
    return indicator_breakdown(
        programme, indicator, PeriodSpec.parse("2025"), province,
        Mode(timezone.localdate(), provisional=provisional),
    )  # fmt: skip


def _shown(client, code, **query):
    response = client.get(f"/dashboards/indicator/{code}/", {"period": "2025", **query})
    assert response.status_code == 200
    return [row.record for row in response.context["table"].paginated_rows], response


@pytest.mark.parametrize("with_totals", [True, False])
@pytest.mark.parametrize(("sort", "key"), [("-value", "sort_value"), ("status", "status_rank")])
def test_each_page_holds_the_rows_a_brute_force_sort_puts_there(
    client, office_user, reported, programme, monkeypatch, with_totals, sort, key
):
    from dashboards import views

    grow(reported, programme, 5)
    if with_totals:
        totals.totals_rebuild()
    monkeypatch.setattr(views, "BREAKDOWN_PAGE_SIZE", 2)
    client.force_login(office_user)
    full = _full(programme, reported.province, "T01")
    assert len(full) > 4
    shown = []
    for number in range(1, (len(full) + 1) // 2 + 1):
        rows, _ = _shown(client, "T01", sort=sort, page=number)
        shown += rows
    # The values, in order, are those of the whole breakdown sorted by the same key.
    reverse = sort.startswith("-")
    assert [getattr(r, key) for r in shown] == sorted(
        (getattr(r, key) for r in full), reverse=reverse
    )
    # Each row shown is the row of the whole breakdown, its coverage (reports expected, read
    # for the page only) included.
    by_code = {r.unit.code: r for r in full}
    assert sorted(by_code) == sorted(r.unit.code for r in shown)
    for row in shown:
        assert row.pending is None
        assert vars(row.result) == vars(by_code[row.unit.code].result), row.unit.code


def test_the_page_costs_the_same_queries_whatever_the_number_of_rows(
    client, office_user, reported, programme
):
    totals.totals_rebuild()
    client.force_login(office_user)
    _shown(client, "T01")
    with CaptureQueriesContext(connection) as few:
        _shown(client, "T01")
    grow(reported, programme, 12)
    totals.totals_rebuild()
    _shown(client, "T01")
    with CaptureQueriesContext(connection) as many:
        _rows, response = _shown(client, "T01")
    assert len(many.captured_queries) == len(few.captured_queries)
    # The line that adds the rows up covers every row, not only the page's.
    full = _full(programme, reported.province, "T01")
    assert response.context["row_count"] == len(full)
    assert response.context["summary"] == breakdown_sum(full, response.context["result"])


SORTS = {
    "unit": lambda r: r.name_key,
    "kind": lambda r: r.unit.kind,
    "value": lambda r: r.sort_value,
    "status": lambda r: r.status_rank,
    "coverage": lambda r: r.result.coverage.reported,
}


def _brute_force(full, sort, status="", kind=""):
    """The whole breakdown filtered and sorted as the page promises: a stable sort of the
    rows in their first order (units expected now first, then by name)."""
    kept = [
        r for r in full if (not status or r.status == status) and (not kind or r.unit.kind == kind)
    ]
    if not sort:
        return kept
    return sorted(kept, key=SORTS[sort.lstrip("-")], reverse=sort.startswith("-"))


def _every_page(client, code, query):
    shown, number, response = [], 1, None
    while True:
        rows, response = _shown(client, code, page=number, **query)
        shown += rows
        if not response.context["table"].page.has_next():
            return shown, response
        number += 1


@pytest.mark.parametrize("tree", ["as_was", "as_now"])
@pytest.mark.parametrize("provisional", [False, True])
def test_pages_sorts_filters_and_sum_are_those_of_the_whole_breakdown(
    client, office_user, reported, programme, monkeypatch, tree, provisional
):
    """Whatever is asked (a sort either way, a filter by status or kind, any page, both trees,
    with or without provisional figures), the page's rows are the whole computation's, in its
    order, each with its whole result; the line adding them up covers every row."""
    from dashboards import views
    from rollup.engine import Mode
    from tests.conftest import approved
    from unions.models import Unit, UnitKind

    grow(reported, programme, 6)
    awaiting = Unit.objects.get(code="X001")
    approved(awaiting, programme, "2025Q3", approve=False, members=7, informed_ytd=9)
    approved(
        reported.d2, programme, "2025Q1", approve=False, court_cases=3, court_cases_supported=2
    )
    totals.totals_rebuild()
    monkeypatch.setattr(views, "BREAKDOWN_PAGE_SIZE", 3)
    client.force_login(office_user)
    mode = Mode(timezone.localdate(), tree, provisional)
    base = {"tree": tree, **({"provisional": "on"} if provisional else {})}
    for code in ("T01", "A01", "T02"):
        indicator = Indicator.objects.get(programme=programme, code=code)
        full = indicator_breakdown(
            programme, indicator, PeriodSpec.parse("2025"), reported.province, mode
        )
        statuses = sorted({r.status for r in full})
        asks = [{"sort": s} for s in ["", *SORTS, *(f"-{s}" for s in SORTS)]]
        asks += [{"status": s, "sort": "-value"} for s in statuses]
        asks += [{"kind": UnitKind.DISTRICT, "sort": "status"}, {"kind": UnitKind.COMMUNE}]
        for ask in asks:
            shown, response = _every_page(client, code, {**base, **ask})
            expected = _brute_force(
                full, ask.get("sort", ""), ask.get("status", ""), ask.get("kind", "")
            )
            assert [r.unit.code for r in shown] == [r.unit.code for r in expected], (code, ask)
            for row, whole in zip(shown, expected, strict=True):
                assert vars(row.result) == vars(whole.result), (code, ask, row.unit.code)
            assert response.context["row_count"] == len(full)
            assert response.context["summary"] == breakdown_sum(full, response.context["result"])
            assert [r.in_sum for r in shown] == [r.in_sum for r in expected], (code, ask)


@pytest.mark.parametrize("tree", ["as_was", "as_now"])
def test_a_page_makes_the_units_of_the_rows_it_shows_only(
    client, office_user, reported, programme, monkeypatch, tree
):
    """Every row sorts, filters and adds up from its unit's name and kind; a unit's model
    instance is made for the rows shown only (a national root has 4,240 rows, a page 100), as
    the unit read afresh."""
    from dashboards import views
    from rollup.rows import UnitRow
    from unions.models import Unit, UnitKind

    grow(reported, programme, 6)
    totals.totals_rebuild()
    monkeypatch.setattr(views, "BREAKDOWN_PAGE_SIZE", 2)
    made = []
    real = UnitRow.unit

    def counted(self):
        made.append(self.code)
        return real(self)

    monkeypatch.setattr(UnitRow, "unit", counted)
    client.force_login(office_user)
    for ask in ({}, {"sort": "-value"}, {"sort": "unit", "kind": UnitKind.DISTRICT}):
        made.clear()
        rows, response = _shown(client, "T01", tree=tree, **ask)
        assert response.context["row_count"] > 4
        assert sorted(made) == sorted(r.unit.code for r in rows), ask
        for row in rows:
            fresh = Unit.objects.get(pk=row.unit.pk)
            assert not row.unit._state.adding
            for name in ("code", "name", "kind", "valid_from", "valid_to", "sector"):
                assert getattr(row.unit, name) == getattr(fresh, name), (ask, name)
