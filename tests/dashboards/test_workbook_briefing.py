"""The workbook's first page, the briefing: read back with openpyxl and checked against the
API's figures for the same programme, period and tree."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from dashboards.templatetags.figures import num, pct, status_word, symbol
from dashboards.workbook import workbook_write
from dashboards.workbook_data import WorkbookRequest
from reports.assignments import assignments_apply_proposal
from tests.conftest import approved
from unions.models import DEMO_CACHE_KEY, Unit

PROGRESS = "/api/v1/progress/"
TODAY = dt.date.today()


@pytest.fixture
def briefing_data(small_tree, programme):
    t = small_tree
    assignments_apply_proposal()
    approved(t.d1, programme, "2025Q2", members=100, workers_union_units=120, informed_ytd=60)
    approved(t.d2, programme, "2025Q2", members=200, workers_union_units=220, informed_ytd=100)
    approved(t.ward, programme, "2025Q3", members=80, workers_union_units=90, informed_ytd=50)
    approved(t.d2, programme, "2025Q3", members=205, workers_union_units=225, informed_ytd=150)
    approved(t.ward, programme, "2025Q4", members=90, workers_union_units=100, informed_ytd=100)
    approved(t.d2, programme, "2025Q4", members=210, workers_union_units=230, informed_ytd=220)
    t.refresh()
    return t


def build(programme, **kw):
    req = WorkbookRequest(
        programme=programme, today=TODAY, author="Người lập", **{"year": 2025, **kw}
    )
    stream = io.BytesIO()
    workbook_write(req, stream)
    stream.seek(0)
    return load_workbook(stream)


def briefing_rows(ws):
    return {
        row[0].value: [c.value for c in row]
        for row in ws.iter_rows()
        if row[0].value and len(row) > 4 and str(row[0].value)[:1] in "AT" and row[3].value
    }


def written(item):
    """The API's figure as the briefing writes it: 85,3% (512/600), 1,00 (5/5), 24.500."""
    value, display = item["value"], item["display"]
    if value is None:
        return "–"
    shown = {"percent": lambda v: pct(v), "ratio": lambda v: num(v, 2)}.get(display, num)(
        Decimal(str(value))
    )
    if item["denominator"] is None:
        return shown
    return f"{shown} ({num(item['numerator'])}/{num(item['denominator'])})"


def api_indicators(client, user, unit, period, tree="as_was"):
    client.force_login(user)
    response = client.get(PROGRESS, {"unit": unit.code, "period": period, "tree": tree})
    assert response.status_code == 200, response.content
    return {i["code"]: i for i in response.json()["indicators"]}


def test_the_first_sheet_is_the_briefing_on_one_page(briefing_data, programme):
    book = build(programme)
    ws = book.worksheets[0]
    assert ws.title == "Tóm tắt"
    assert ws.page_setup.orientation == "landscape"
    assert (int(ws.page_setup.fitToWidth), int(ws.page_setup.fitToHeight)) == (1, 1)
    assert book.sheetnames[-1] == "Thông tin chung"  # the cover's details moved to the end


def test_every_target_reads_as_the_api_gives_it(briefing_data, programme, client, committee_user):
    """Annual targets against the year's progress, term targets against the term's."""
    province = briefing_data.province
    year = api_indicators(client, committee_user, province, "2025")
    term = api_indicators(client, committee_user, province, "term")
    rows = briefing_rows(build(programme).worksheets[0])
    with translation.override("vi"):
        chosen = [i for i in year.values() if i["kind"] == "annual"]
        chosen += [i for i in term.values() if i["kind"] == "term"]
        assert len(chosen) == 21
        for item in chosen:
            code, row = item["code"], rows[item["code"]]
            if item["value"] is not None or item["denominator"] != 0:
                assert row[3] == written(item), code
            assert row[4] == f"{symbol(item['status'])} {status_word(item['status'])}", code
            coverage = item["coverage"]
            assert row[6] == f"{coverage['reported']}/{coverage['expected']}", code
    assert rows["A01"][3] == "97,0% (320/330)"
    assert rows["T01"][3] == "300"


def test_the_change_is_since_the_last_complete_quarter(
    briefing_data, programme, client, committee_user
):
    """T01 stood at 285 after the third quarter and at 300 after the fourth: +15."""
    province = briefing_data.province
    q3 = api_indicators(client, committee_user, province, "2025Q3")
    q4 = api_indicators(client, committee_user, province, "2025Q4")
    assert (q3["T01"]["value"], q4["T01"]["value"]) == (285, 300)
    rows = briefing_rows(build(programme).worksheets[0])
    assert rows["T01"][5] == "+15 (Q3/2025 → Q4/2025)"


def test_term_targets_have_a_forecast_and_the_risks_are_named(briefing_data, programme):
    ws = build(programme).worksheets[0]
    rows = briefing_rows(ws)
    # Members fell from 300 to 285 and back to 300: nowhere near 24.500 by 2028.
    assert "24.500" in rows["T01"][7] and "không đạt chỉ tiêu" in rows["T01"][7]
    assert rows["A01"][7] in (None, "")  # annual targets end with their year
    texts = [str(c.value) for row in ws.iter_rows(max_row=8) for c in row if c.value]
    start = texts.index("Các chỉ tiêu có nguy cơ nhất:")
    risks = [t for t in texts[start + 1 :] if t.startswith("• ")]
    # Only these two stand behind; nothing else is made up to fill the list.
    assert [r[2:6] for r in risks] == ["A01 ", "T01 "]
    # 2025 is over: A01's 97,0% against 98% is missed, first; T01's forecast falls short.
    assert risks[0].startswith("• A01 ") and "✗ không đạt" in risks[0]
    t01 = [r for r in risks if r.startswith("• T01 ")]
    assert t01 and "dự báo cuối nhiệm kỳ" in t01[0]


def all_texts(ws):
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value]


def test_demo_data_says_so_on_every_sheet(briefing_data, programme):
    from django.core.cache import cache

    words = "DỮ LIỆU MẪU"
    book = build(programme)
    assert not [ws.title for ws in book.worksheets if any(words in t for t in all_texts(ws))]
    Unit.objects.filter(pk=briefing_data.ward.pk).update(is_demo=True)
    cache.delete(DEMO_CACHE_KEY)
    try:
        book = build(programme)
    finally:
        cache.delete(DEMO_CACHE_KEY)
    for ws in book.worksheets:
        assert any(words in t for t in all_texts(ws)[:4]), ws.title
        assert words in ws.oddHeader.center.text, ws.title


def test_the_members_chart_runs_every_quarter_to_the_end_of_the_term(briefing_data, programme):
    ws = build(programme)["Đoàn viên"]
    quarters = [
        row[0].value for row in ws.iter_rows(min_row=4) if str(row[0].value).startswith("Quý")
    ]
    expected = ["Quý 4/2023"] + [f"Quý {q}/{y}" for y in range(2024, 2029) for q in (1, 2, 3, 4)]
    assert quarters == expected
    last = next(row for row in ws.iter_rows(min_row=4) if row[0].value == "Quý 4/2028")
    assert last[4].value == 24500  # the path ends at the target
    assert last[2].value is None  # no members yet for a quarter still ahead
    chart = ws._charts[0]
    assert chart.y_axis.scaling.min == 0


def test_along_todays_tree_too(briefing_data, programme, client, committee_user):
    """The same programme, period and tree as the API: as_now follows the successors."""
    province = briefing_data.province
    year = api_indicators(client, committee_user, province, "2025", tree="as_now")
    term = api_indicators(client, committee_user, province, "term", tree="as_now")
    chosen = [i for i in year.values() if i["kind"] == "annual"]
    chosen += [i for i in term.values() if i["kind"] == "term"]
    rows = briefing_rows(build(programme, tree="as_now").worksheets[0])
    with translation.override("vi"):
        for item in chosen:
            if item["value"] is not None:
                assert rows[item["code"]][3] == written(item), item["code"]
        assert rows["A01"][3] == written(year["A01"]) != "–"


def test_the_summarys_change_column_is_the_briefings(briefing_data, programme):
    """The comparison column is filled wherever two complete quarters allow it."""
    book = build(programme)
    summary = {row[0].value: row for row in book["Tổng hợp"].iter_rows(min_row=4) if row[0].value}
    assert summary["T01"][7].value == 15  # +15 (Q3/2025 → Q4/2025), as on the briefing
    assert summary["T01"][7].number_format == "+#,##0;-#,##0;0"
