"""`manage.py import_values`: good files, every kind of bad line, all-or-nothing, dry runs."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.importing import values_import
from reports.importing_file import ImportLine
from reports.models import EventAction, Report, ReportEvent, ReportStatus, ValueState

DATA = Path(__file__).parent / "data"


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_values", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(path, *args):
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import_values", str(path), *args, stdout=io.StringIO(), stderr=err)
    return str(exc.value), err.getvalue().splitlines()


def stored(unit, period_code):
    year, quarter = period_code.split("Q")
    report = Report.objects.get(
        unit__code=unit, period__year=year, period__quarter=quarter, is_latest=True
    )
    # The fields the file does not give are marked "not in the imported file": left out here.
    values = {
        v.field.code: (v.state, v.number)
        for v in report.values.select_related("field")
        if not (v.state == ValueState.BLANK and v.reason == "not in the imported file")
    }
    return report, values


@pytest.mark.parametrize("name", ["values_good.csv", "values_good.xlsx"])
def test_a_good_file_is_loaded_as_approved_history(programme, name):
    out, _ = run(DATA / name)
    report, values = stored("D2", "2024Q3")
    assert report.status == ReportStatus.APPROVED and report.in_force
    assert values["members"] == (ValueState.NUMBER, 1250)
    assert values["workers_union_units"] == (ValueState.NUMBER, 2000)
    assert values["informed_ytd"] == (ValueState.NOT_APPLICABLE, None)
    assert report.values.get(field__code="enterprise_workers").state == ValueState.BLANK
    annual, values = stored("D2", "2024Q4")
    assert values == {"grassroots_state_good": (ValueState.NUMBER, 1)}
    assert annual.status == ReportStatus.APPROVED
    unsaid = annual.values.filter(state=ValueState.BLANK).values_list("reason", flat=True)
    assert set(unsaid) == {"not in the imported file"}
    _, values = stored("P", "2024Q4")
    assert values["upper_units"] == (ValueState.NUMBER, 2)  # the registry knows 2
    draft, values = stored("C11", "2025Q3")
    assert draft.status == ReportStatus.DRAFT and values["members"] == (ValueState.NUMBER, 80)
    assert "wrote D2 2024Q3: 4 values" in out


def test_imported_history_is_recorded_as_an_import_without_an_actor(programme):
    run(DATA / "values_good.csv")
    report, _ = stored("D2", "2024Q3")
    events = list(ReportEvent.objects.filter(report=report).order_by("pk"))
    assert [e.action for e in events] == [
        EventAction.CREATE,
        EventAction.IMPORT,
        EventAction.SUBMIT,
        EventAction.APPROVE,
    ]
    assert all(e.actor is None and e.reason == "import" for e in events)
    assert {"field": "members", "old": "", "new": "1250"} in events[1].changes


def test_an_import_writes_each_history_entry_once_with_its_reason(programme):
    """The history is append-only in fact: the reason goes in with the event, and nothing
    updates or deletes a history entry afterwards."""
    with CaptureQueriesContext(connection) as queries:
        run(DATA / "values_good.csv")
    statements = [q["sql"].upper() for q in queries.captured_queries]
    assert any(s.startswith("INSERT") and "REPORTS_REPORTEVENT" in s for s in statements)
    rewrites = [
        s for s in statements if s.startswith(("UPDATE", "DELETE")) and "REPORTS_REPORTEVENT" in s
    ]
    assert rewrites == []
    assert set(ReportEvent.objects.values_list("reason", flat=True)) == {"import"}


def test_a_semicolon_csv_without_bom_and_a_status_column_is_read(programme):
    run(DATA / "values_semicolon.csv")
    report, values = stored("D2", "2024Q3")
    assert report.status == ReportStatus.SUBMITTED
    assert values == {
        "members": (ValueState.NUMBER, 1250),
        "court_cases": (ValueState.NUMBER, 3),
    }


def test_every_bad_line_is_reported_with_its_number_and_nothing_is_written(programme):
    message, lines = refused(DATA / "values_bad.csv")
    assert "nothing was imported" in message
    by_line = {}
    for text in lines:
        number, _, reason = text.partition(": ")
        by_line.setdefault(int(number.split()[-1]), []).append(reason)
    assert set(by_line) == {3, 4, 5, 6, 7, 8, 9, 10, 11, 13}
    assert "unknown unit" in by_line[3][0]
    assert "unknown field" in by_line[4][0]
    assert "unknown period" in by_line[5][0]
    assert "not a whole number" in by_line[6][0]
    assert "once a year" in by_line[7][0]
    assert "every quarter" in by_line[8][0]
    assert "did not exist on 30/09/2024" in by_line[9][0]
    assert "repeats line 2" in by_line[10][0]
    assert "denominator" in by_line[11][0]
    assert "D1 did not exist on 30/09/2025" in by_line[13][0]
    assert not Report.objects.exists()


def test_an_unknown_status_is_refused(programme):
    _, lines = refused(DATA / "values_bad_status.csv")
    assert lines == ["line 2: unknown status “finished” (use approved, submitted or draft)."]


def test_a_formula_cell_is_refused_by_line(programme):
    _, lines = refused(DATA / "values_formula.xlsx")
    assert lines == ["line 3: a formula; type the value itself"]
    assert not Report.objects.exists()


def test_one_bad_line_leaves_the_database_as_it_was(programme, tmp_path):
    good = (DATA / "values_good.csv").read_text(encoding="utf-8-sig")
    bad = tmp_path / "one-bad.csv"
    bad.write_text(good + "D2,2024Q3,members_committed,-5,\r\n", encoding="utf-8")
    _, lines = refused(bad)
    assert len(lines) == 1 and lines[0].startswith("line 9: ")
    assert not Report.objects.exists()
    assert not ReportEvent.objects.exists()


def test_a_dry_run_prints_what_would_be_written_and_writes_nothing(programme):
    out, _ = run(DATA / "values_good.csv", "--dry-run")
    assert "would write D2 2024Q3: 4 values → approved (created)" in out
    assert "nothing saved" in out
    assert not Report.objects.exists()


def test_an_approved_report_with_other_values_is_refused_and_the_same_values_pass(
    programme, tmp_path
):
    run(DATA / "values_good.csv")
    again = run(DATA / "values_good.csv")[0]
    assert "(unchanged)" in again
    changed = tmp_path / "changed.csv"
    changed.write_text("unit,period,field,value\nD2,2024Q3,members,1300\n", encoding="utf-8")
    _, lines = refused(changed)
    assert lines[0].startswith("line 2: ") and "already approved with 1250" in lines[0]
    _, values = stored("D2", "2024Q3")
    assert values["members"] == (ValueState.NUMBER, 1250)


def test_a_draft_report_is_updated_by_an_import(programme, tmp_path):
    run(DATA / "values_good.csv")
    update = tmp_path / "update.csv"
    update.write_text("unit,period,field,value,status\nC11,2025Q3,members,85,draft\n")
    run(update)
    report, values = stored("C11", "2025Q3")
    assert values["members"] == (ValueState.NUMBER, 85) and report.revision == 1


def test_a_year_to_date_count_that_falls_within_the_year_is_refused(programme):
    lines = [
        ImportLine(2, "D2", "2024Q2", "informed_ytd", "500"),
        ImportLine(3, "D2", "2024Q3", "informed_ytd", "400"),
    ]
    result = values_import(lines)
    assert [e.line for e in result.errors] == [3]
    assert "1 January" in result.errors[0].message
    assert not Report.objects.exists()


def test_a_file_without_the_required_columns_is_refused(programme, tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("don_vi,ky,chi_tieu,gia_tri\nD2,2024Q3,members,5\n")
    message, _ = refused(path)
    assert "unit, period, field, value" in message


def test_a_zip_bomb_posing_as_xlsx_is_refused(programme, tmp_path):
    path = tmp_path / "bomb.xlsx"
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w") as member,
    ):
        for _ in range(60):
            member.write(b"\0" * (1024 * 1024))
    message, _ = refused(path)
    assert "MB" in message


def test_the_command_needs_no_programme_any_more(programme):
    """A report belongs to a unit and a quarter: one file loads every programme's values."""
    with pytest.raises(CommandError, match="unrecognized arguments"):
        call_command("import_values", str(DATA / "values_good.csv"), "--programme", "x")
