"""The Standing Committee workbook, read back with openpyxl and checked against the roll-up."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from dashboards.templatetags.figures import status_word
from dashboards.workbook import workbook_write
from dashboards.workbook_data import WorkbookError, WorkbookRequest
from reports.assignments import assignments_apply_proposal
from rollup.engine import PeriodSpec, progress
from tests.conftest import approved
from unions.services import unit_update

TODAY = dt.date(2026, 2, 1)
EVIL_NAME = '=HYPERLINK("http://x","y")'


@pytest.fixture
def committee_data(small_tree, programme):
    t = small_tree
    assignments_apply_proposal()
    unit_update(t.d2, name=EVIL_NAME, sector=t.d2.sector, budget_paid=t.d2.budget_paid)
    approved(t.d1, programme, "2025Q2", members=100, workers_union_units=120, informed_ytd=60)
    approved(t.d2, programme, "2025Q2", members=200, workers_union_units=220, informed_ytd=100)
    approved(t.d2, programme, "2025Q3", court_cases=2, court_cases_supported=1)
    approved(t.ward, programme, "2025Q4", members=90, workers_union_units=100, informed_ytd=100)
    approved(
        t.d2, programme, "2025Q4",
        narratives={"3.1": ("+1+1", "@SUM(A1)", "-2")},
        members=210, workers_union_units=230, informed_ytd=220,
    )  # fmt: skip
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


def rows_by_code(ws):
    return {row[0].value: row for row in ws.iter_rows(min_row=4) if row[0].value}


def test_workbook_has_the_committees_sheets_in_order(committee_data, programme):
    book = build(programme)
    names = book.sheetnames
    assert names[:2] == ["Tóm tắt", "Tổng hợp"]
    assert names[-3:] == ["Thuyết minh", "Đoàn viên", "Thông tin chung"]
    assert "ĐV, NLĐ theo đơn vị" in names and "Văn hóa theo đơn vị" in names


def test_summary_figures_equal_the_roll_up_for_the_year(committee_data, programme):
    province = committee_data.province
    annual = progress(programme, province, PeriodSpec("year", 2025), today=TODAY)
    term = progress(programme, province, PeriodSpec("term"), today=TODAY)
    rows = rows_by_code(build(programme)["Tổng hợp"])
    expected = [r for r in annual.results if r.indicator.kind == "annual"]
    expected += [r for r in term.results if r.indicator.kind == "term"]
    assert expected
    for result in expected:
        row = rows[result.code]
        value, numerator, denominator = row[3], row[4], row[5]
        assert numerator.value == result.numerator, result.code
        if result.indicator.display == "count":
            assert value.value == result.numerator
        else:
            assert denominator.value == result.denominator, result.code
        if result.value is not None and result.indicator.display == "percent":
            assert value.value == pytest.approx(float(result.value / 100))
            assert value.number_format == "0.0%"
        with translation.override("vi"):
            assert status_word(result.status) in row[6].value


def test_a01_is_stored_as_a_fraction_with_its_counts(committee_data, programme):
    row = rows_by_code(build(programme)["Tổng hợp"])["A01"]
    # Q4: ward 100/100 + D2 220/230, never D1's June figures on top.
    assert (row[4].value, row[5].value) == (320, 330)
    # The figure every page shows (97,0%), rounded once by the engine, kept as a fraction.
    assert row[3].value == pytest.approx(0.970)
    assert row[3].data_type == "n"
    assert row[4].number_format == "#,##0"
    assert row[2].value == pytest.approx(0.98) and "≥" in row[2].number_format


def test_summary_for_a_quarter_equals_the_roll_up_for_that_quarter(committee_data, programme):
    province = committee_data.province
    spec = PeriodSpec("quarter", 2025, 2)
    annual = progress(programme, province, spec, today=TODAY)
    rows = rows_by_code(build(programme, quarter=2)["Tổng hợp"])
    a01 = next(r for r in annual.results if r.code == "A01")
    assert (rows["A01"][4].value, rows["A01"][5].value) == (a01.numerator, a01.denominator)
    assert rows["T01"][4].value == 300  # members at the end of June: D1 100 + D2 200


def test_a_quarter_not_yet_ended_is_refused(committee_data, programme):
    with pytest.raises(WorkbookError):
        build(programme, year=2026, quarter=4)


def test_every_sheet_prints_on_a4_landscape_fitted_to_width(committee_data, programme):
    for ws in build(programme).worksheets:
        setup = ws.page_setup
        assert (setup.orientation, int(setup.paperSize)) == ("landscape", 9), ws.title
        # The briefing is one page whatever its length; the other sheets run on in length.
        pages = 1 if ws.title == "Tóm tắt" else 0
        assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, pages), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    book = build(programme)
    assert book["Tổng hợp"].freeze_panes == "C4"
    assert book["Tổng hợp"].print_title_rows == "$3:$3"
    assert book["ĐV, NLĐ theo đơn vị"].print_title_rows == "$3:$4"


def test_text_from_users_is_never_a_formula(committee_data, programme):
    book = build(programme)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    evil = [c for c in cells if c.value == EVIL_NAME]
    assert evil and all(c.data_type == "s" for c in evil)
    narrative = [c.value for c in book["Thuyết minh"]["C"] if c.data_type == "s"]
    assert "+1+1" in narrative and "@SUM(A1)" in narrative


def test_narratives_come_from_the_reports_of_the_last_quarter(committee_data, programme):
    ws = build(programme)["Thuyết minh"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4) if row[2].value]
    assert [r[0] for r in rows] == ["3.1", "3.1", "3.1"]
    assert [r[2] for r in rows] == ["+1+1", "@SUM(A1)", "-2"]
    assert {r[3] for r in rows} == {EVIL_NAME}


def test_breakdown_sheet_rows_are_the_indicator_pages_rows(committee_data, programme):
    ws = build(programme)["ĐV, NLĐ theo đơn vị"]
    names = {row[0].value: row for row in ws.iter_rows(min_row=5) if row[0].value}
    assert (names[EVIL_NAME][3].value, names[EVIL_NAME][4].value) == (220, 230)
    assert names[EVIL_NAME][2].value == pytest.approx(0.957)  # 95,7%, as on the page
    assert "%" in names[EVIL_NAME][2].number_format


def test_members_sheet_has_a_line_chart(committee_data, programme):
    ws = build(programme)["Đoàn viên"]
    assert len(ws._charts) == 1
    assert ws._charts[0].tagname == "lineChart"
    quarters = {row[0].value: row[2].value for row in ws.iter_rows(min_row=4) if row[0].value}
    assert quarters["Quý 2/2025"] == 300 and quarters["Quý 4/2025"] == 300


def test_cover_names_programme_period_data_and_author(committee_data, programme):
    ws = build(programme, provisional=True)["Thông tin chung"]
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert programme.number in text and "Người lập" in text
    assert "31/12/2028" in text


def test_members_sheet_says_which_quarter_still_lacks_reports(committee_data, programme):
    from tests.conftest import make_unit
    from unions.models import UnitKind

    make_unit("LATE", UnitKind.DISTRICT, committee_data.province, start=dt.date(2025, 10, 1))
    assignments_apply_proposal()
    ws = build(programme)["Đoàn viên"]
    notes = {row[0].value: row[6].value or "" for row in ws.iter_rows(min_row=4) if row[0].value}
    assert (
        "nhận 2/3 báo cáo: không tính vào xu hướng" in notes["Quý 4/2025"]
    )  # the workbook is Vietnamese
    assert "xu hướng" not in notes["Quý 2/2025"]


def test_the_workbook_names_quarters_as_the_pages_do(committee_data, programme):
    """Every sheet says "Quý 2/2025", never the code 2025Q2 of URLs and files."""
    import re

    book = build(programme, quarter=4)
    texts = [
        str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value
    ]
    assert not [t for t in texts if re.search(r"\b\d{4}Q[1-4]\b", t)]
    members = [row[0].value for row in book["Đoàn viên"].iter_rows(min_row=4) if row[0].value]
    assert members[:3] == ["Quý 4/2023", "Quý 1/2024", "Quý 2/2024"]


def test_a_unit_whose_reports_gave_0_of_0_reads_nothing_to_measure(committee_data, programme):
    """Its value cell says so in words (an empty cell would read "not reported"), beside its
    counts of 0; the province total is the sum of the counts, as without it."""
    from tests.conftest import make_unit
    from unions.models import UnitKind

    commune = make_unit("W0", UnitKind.COMMUNE, committee_data.province, name="Empty commune")
    assignments_apply_proposal()
    approved(commune, programme, "2025Q4", members=0, workers_union_units=0, informed_ytd=0)
    book = build(programme)
    ws = book["ĐV, NLĐ theo đơn vị"]
    heads = [str(c.value or "") for c in next(ws.iter_rows(min_row=3, max_row=3))]
    a01 = next(i for i, head in enumerate(heads) if head.startswith("A01."))
    rows = {row[0].value: row for row in ws.iter_rows(min_row=5) if row[0].value}
    value, numerator, denominator = rows["Empty commune"][a01 : a01 + 3]
    assert (value.value, value.data_type) == ("không có đối tượng", "s")
    assert (numerator.value, denominator.value) == (0, 0)
    total = rows[committee_data.province.name][a01 : a01 + 3]
    assert (total[1].value, total[2].value) == (320, 330)
    summary = rows_by_code(book["Tổng hợp"])["A01"]
    assert (summary[4].value, summary[5].value) == (320, 330)
    assert "không có đối tượng" not in summary[6].value
    notes = [str(c.value) for row in ws.iter_rows() for c in row if c.value]
    assert any("∅ không có đối tượng" in n and "– chưa có số liệu" in n for n in notes)


def test_a_breakdown_sheet_says_which_figures_are_not_added_to_the_province(
    committee_data, programme
):
    """As the indicator page: a unit's figure of another quarter is named, not summed."""
    ws = build(programme)["ĐV, NLĐ theo đơn vị"]
    names = [row[0].value for row in ws.iter_rows(min_row=5) if row[0].value]
    apart = [n for n in names if "— không cộng vào tổng" in n]
    assert apart == [
        "Unit D1 (đến 30/06/2025) — không cộng vào tổng: A01 (Quý 2/2025), T01 (Quý 2/2025)"
    ]
