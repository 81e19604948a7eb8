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
