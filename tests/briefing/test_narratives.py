"""The narratives of a task group and quarter read as one, and the office's synthesis."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from audit.models import AuditEntry
from briefing.models import Synthesis
from briefing.selectors import grouped, unit_narratives
from dashboards.workbook import workbook_write
from dashboards.workbook_data import WorkbookRequest
from reports.assignments import assignments_apply_proposal
from reports.models import ReportingPeriod
from targets.models import TaskGroup
from tests.conftest import approved

URL = "/briefing/narratives/"
SAME = ("Đã tổ chức tuyên truyền đầy đủ.", "Một số CĐCS gửi chậm.", "Tiếp tục đôn đốc.")


@pytest.fixture
def written(small_tree, programme):
    t = small_tree
    assignments_apply_proposal()
    approved(t.d2, programme, "2025Q4", narratives={"3.1": SAME, "3.2": ("Riêng D2", "", "")})
    approved(t.ward, programme, "2025Q4", narratives={"3.1": SAME})
    approved(t.d2, programme, "2025Q3", narratives={"3.1": ("Quý ba", "", "")})
    t.refresh()
    return t


@pytest.fixture
def query(programme):
    def build(**kw):
        return {"programme": programme.code, "period": "2025Q4", "group": "3.1", **kw}

    return build


def test_the_office_reads_every_units_text_and_saves_a_synthesis(
    written, client, office_user, query
):
    client.force_login(office_user)
    page = client.get(URL, query())
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('class="unit-text"') == 2
    assert SAME[0] in html and "Riêng D2" not in html and "Quý ba" not in html
    before = AuditEntry.objects.count()
    texts = {"results": "Toàn tỉnh: 2 đơn vị đạt.", "shortfalls": "Còn chậm.", "next_steps": ""}
    saved = client.post(URL + "?" + "&".join(f"{k}={v}" for k, v in query().items()), texts)
    assert saved.status_code == 302
    synthesis = Synthesis.objects.get(task_group__code="3.1", period__year=2025, period__quarter=4)
    assert (synthesis.results, synthesis.updated_by) == (texts["results"], office_user)
    entry = AuditEntry.objects.order_by("-pk").first()
    assert AuditEntry.objects.count() == before + 1
    assert (entry.model, entry.actor_username) == ("synthesis", office_user.username)
    again = client.get(URL, query()).content.decode()
    assert "Toàn tỉnh: 2 đơn vị đạt." in again  # the draft comes back into the form


def test_the_committee_reads_but_does_not_write(written, client, committee_user, query):
    client.force_login(committee_user)
    page = client.get(URL, query())
    assert page.status_code == 200 and page.content.decode().count('class="unit-text"') == 2
    assert "<textarea" not in page.content.decode()
    refused = client.post(URL + "?group=3.1&period=2025Q4", {"results": "x"})
    assert refused.status_code == 403
    assert not Synthesis.objects.exists()


def test_a_reporter_reads_its_own_units_texts_only(
    written, client, ward_reporter, office_user, query
):
    Synthesis.objects.create(
        task_group=TaskGroup.objects.get(code="3.1"),
        period=ReportingPeriod.objects.get(year=2025, quarter=4),
        results="Bản tổng hợp của tỉnh",
    )
    client.force_login(ward_reporter)
    html = client.get(URL, query()).content.decode()
    assert html.count('class="unit-text"') == 1
    assert f'data-unit="{written.ward.code}"' in html
    assert f'data-unit="{written.d2.code}"' not in html
    assert "Bản tổng hợp của tỉnh" not in html  # the province's synthesis is not theirs
    assert client.get(URL, query(unit=written.d2.code)).status_code == 404
    assert client.post(URL + "?group=3.1&period=2025Q4", {"results": "x"}).status_code == 403


def test_search_and_the_unit_filter(written, client, office_user, query):
    client.force_login(office_user)
    one = client.get(URL, query(unit=written.d2.code)).content.decode()
    assert one.count('class="unit-text"') == 1 and f'data-unit="{written.d2.code}"' in one
    assert client.get(URL, query(q="đôn ĐỐC")).content.decode().count('class="unit-text"') == 2
    none = client.get(URL, query(q="không có chữ này")).content.decode()
    assert 'class="unit-text"' not in none
    assert client.get(URL, query(group="9.9")).status_code == 404
    assert client.get(URL, query(period="2099Q1")).status_code == 404


def test_identical_texts_are_grouped_with_the_units_named_once(written):
    period = ReportingPeriod.objects.get(year=2025, quarter=4)
    groups = grouped(unit_narratives(period))
    first = next(g for g in groups if g.code == "3.1")
    assert [(t.part, len(t.units)) for t in first.texts] == [
        ("results", 2),
        ("shortfalls", 2),
        ("next_steps", 2),
    ]


def test_the_page_can_show_identical_texts_once_with_their_units(
    written, client, office_user, query
):
    client.force_login(office_user)
    by_unit = client.get(URL, query()).content.decode()
    assert by_unit.count(SAME[0]) == 2
    page = client.get(URL, query(view="shared")).content.decode()
    assert page.count(SAME[0]) == 1 and page.count(SAME[2]) == 1
    assert "2 units:" in page
    assert written.d2.name in page and written.ward.name in page
    # the unit filter and the search still choose the texts shown
    one = client.get(URL, query(view="shared", unit=written.ward.code)).content.decode()
    assert "1 unit:" in one and written.d2.name not in one.split('id="units-h"')[1]
    assert "view=units" in page and "view=shared" in by_unit


def test_the_workbooks_narrative_sheet_carries_the_synthesis_and_no_repeats(written, programme):
    Synthesis.objects.create(
        task_group=TaskGroup.objects.get(code="3.1"),
        period=ReportingPeriod.objects.get(year=2025, quarter=4),
        results="Bản tổng hợp của tỉnh",
    )
    stream = io.BytesIO()
    workbook_write(WorkbookRequest(programme, 2025, today=dt.date(2026, 2, 1)), stream)
    stream.seek(0)
    ws = load_workbook(stream)["Thuyết minh"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4) if row[2].value]
    assert rows[0][2] == "Bản tổng hợp của tỉnh" and "tổng hợp" in rows[0][1].lower()
    texts = [r[2] for r in rows]
    assert texts.count(SAME[0]) == 1  # written by two units, shown once
    shared = next(r for r in rows if r[2] == SAME[0])
    assert shared[3].startswith("2 đơn vị:")
    assert written.d2.name in shared[3] and written.ward.name in shared[3]
    assert "Riêng D2" in texts


def test_years_are_written_without_a_thousands_mark(written, client, office_user, query):
    client.cookies["django_language"] = "vi"
    client.force_login(office_user)
    html = client.get(URL, query()).content.decode()
    assert "2.025" not in html and "Quý 4/2025" in html and "year=2025" in html
