"""Random and hostile input for what people type and upload: a clear error or a correct save.

Hypothesis feeds the number parser, the two import parsers (units; report values) and the
report form. Nothing may crash, and whenever the answer is an error, nothing was written.
Each example runs in a savepoint that is rolled back, so examples do not see each other.
"""

from __future__ import annotations

import datetime as dt
import io
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from reports.importing import values_import
from reports.importing_file import ImportFileError as ValuesFileError
from reports.importing_file import lines_read
from reports.models import Report, ReportEvent, Value
from reports.numbers import FILES, Entry, NumberError, parse_entry
from unions.importing import COLUMNS as UNIT_COLUMNS
from unions.importing import ImportFileError as UnitsFileError
from unions.importing import units_import
from unions.models import Unit, UnitClosure, UnitLink

BOUNDED = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text as people paste it: Vietnamese, digits of other scripts, odd spaces, control characters.
VIETNAMESE = "ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵĐ"
SPACES = " \t\n\r\u00a0\u202f\u2009\u3000\u200b"
DIGITS = "0123456789.,-+eE" + "²³¹½٣४߁൬"
hostile_text = st.text(
    alphabet=st.sampled_from(VIETNAMESE + SPACES + DIGITS + "NAna/\x00\x07\x1b\ufeff\u202e;\"'=@")
    | st.characters(blacklist_categories=["Cs"]),  # lone surrogates cannot be written
    max_size=40,
)


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# --- numbers ---------------------------------------------------------------------------------


@BOUNDED
@given(
    st.one_of(hostile_text, st.integers(), st.floats(), st.none(), st.booleans()),
    st.sampled_from(["vi", "en"]),
)
@example("²", "vi")
@example("1.234.567.890.123.456", "vi")
@example("1,234,567,890,123,456", "en")
@example("9" * 5000, "en")
def test_parse_entry_gives_an_entry_or_a_number_error(text, language):
    try:
        entry = parse_entry(text, language)
    except NumberError:
        return
    assert isinstance(entry, Entry)
    if entry.number is not None:
        assert 0 <= entry.number <= 10**12


@BOUNDED
@given(
    st.integers(min_value=0, max_value=10**12),
    st.sampled_from([("vi", "."), ("en", ",")]),
    st.sampled_from(["mark", " ", "\u00a0", ""]),
)
def test_a_whole_number_written_the_readers_way_reads_back(number, language_mark, separator):
    language, mark = language_mark
    written = f"{number:,}".replace(",", mark if separator == "mark" else separator)
    assert parse_entry(written, language) == Entry.of(number)


# --- files -----------------------------------------------------------------------------------

cell = st.one_of(
    st.none(),
    hostile_text,
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.booleans(),
    st.just("=1+1"),
    st.just('=HYPERLINK("http://example.invalid")'),
)


def _storable(value: object) -> object:
    """openpyxl refuses control characters (Excel cannot hold them either)."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return str(value)
    return value


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append([_storable(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list[object]], delimiter: str) -> bytes:
    def quoted(value: object) -> str:
        text = "" if value is None else str(value)
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in '",;\n') else text

    return "\n".join(delimiter.join(quoted(v) for v in row) for row in rows).encode()


def unit_counts() -> tuple[int, int, int]:
    return Unit.objects.count(), UnitLink.objects.count(), UnitClosure.objects.count()


unit_row = st.fixed_dictionaries(
    {
        "code": st.sampled_from(["N1", "N2", "D2", "", "n1 ", "P"]) | hostile_text,
        "name": hostile_text,
        "kind": st.sampled_from(["cđcs", "LĐLĐ huyện", "district", "grassroots", "?"]),
        "parent": st.sampled_from(["P", "D2", "N1", "", "ZZ"]),
        "valid_from": st.sampled_from(["01/01/2024", "2024-01-01", "31/02/2024", ""])
        | st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 1, 1)),
        "valid_to": st.sampled_from(["", "01/07/2025", "2019-01-01"]),
        "sector": st.sampled_from(["", "private", "tư nhân", "administrative", "x"]),
        "budget_paid": st.sampled_from(["", "có", "không", "maybe", "1"]),
        "successor": st.sampled_from(["", "D2", "N2"]),
    }
)


def _units_file(rows: list[dict[str, object]], as_xlsx: bool, delimiter: str) -> bytes:
    table = [list(UNIT_COLUMNS[:-1])] + [list(row.values()) for row in rows]
    return xlsx(table) if as_xlsx else csv_bytes(table, delimiter)


def _check_units_import(path: Path) -> None:
    before = unit_counts()
    try:
        result = units_import(path)
    except UnitsFileError as refused:
        event("file refused")
        assert str(refused)
        assert unit_counts() == before
        return
    if result.errors:
        event("lines refused")
        assert all(str(e) for e in result.errors)
        assert unit_counts() == before, "errors were returned but units were written"
    else:
        event("loaded")
        assert unit_counts()[0] == before[0] + len(result.created)
        for row in result.created:
            assert Unit.objects.filter(code=row.code, name=row.name).exists()


@BOUNDED
@given(st.binary(max_size=2000) | hostile_text.map(str.encode))
@example(b"PK\x03\x04garbage")
@example(b"\xd0\xcf\x11\xe0old excel")
@example(b'code,name\n"' + b"x" * 200_000 + b'"\n')
def test_a_units_file_of_random_bytes_is_refused_cleanly(small_tree, tmp_path, data):
    path = tmp_path / "units.csv"
    path.write_bytes(data)
    with rolled_back():
        _check_units_import(path)


@BOUNDED
@given(st.lists(unit_row, max_size=6), st.booleans(), st.sampled_from([",", ";"]))
def test_a_units_file_loads_whole_or_not_at_all(small_tree, tmp_path, rows, as_xlsx, delimiter):
    path = tmp_path / ("units.xlsx" if as_xlsx else "units.csv")
    path.write_bytes(_units_file(rows, as_xlsx, delimiter))
    with rolled_back():
        _check_units_import(path)


@BOUNDED
@given(st.lists(st.lists(cell, max_size=6), max_size=6))
def test_a_units_workbook_of_random_cells_is_refused_cleanly(small_tree, tmp_path, rows):
    path = tmp_path / "units.xlsx"
    path.write_bytes(xlsx(rows))
    with rolled_back():
        _check_units_import(path)


# --- report values ---------------------------------------------------------------------------

value_line = st.fixed_dictionaries(
    {
        "unit": st.sampled_from(["D2", "C21", "W1", "D1", "ZZ", "d2"]),
        "period": st.sampled_from(["2025Q1", "2025Q3", "2025", "2031Q1", "2025Q5", "x"]),
        "field": st.sampled_from(["members", "workers_union_units", "informed_ytd", "nope"]),
        "value": st.one_of(hostile_text, st.integers(-5, 10**13), st.sampled_from(["NA", ""])),
        "status": st.sampled_from(["", "approved", "draft", "submitted", "lost"]),
    }
)


def report_counts() -> tuple[int, int, int]:
    return Report.objects.count(), Value.objects.count(), ReportEvent.objects.count()


def _check_values_import(path: Path, programme) -> None:  # type: ignore[no-untyped-def]
    before = report_counts()
    try:
        lines, read_errors = lines_read(path)
    except ValuesFileError as refused:
        event("file refused")
        assert str(refused)
        assert report_counts() == before
        return
    result = values_import(lines, read_errors=read_errors)
    if not result.ok:
        event("lines refused")
        assert all(str(e) for e in result.errors)
        assert report_counts() == before, "errors were returned but reports were written"
        return
    event("loaded")
    for line in lines:
        stored = Value.objects.get(
            report__unit__code=line.unit,
            report__is_latest=True,
            report__period__year=int(line.period[:4]),
            report__period__quarter=int(line.period[5:] or 4),
            field__code=line.field,
        )
        assert Entry(stored.state, stored.number) == parse_entry(line.value, FILES)


@BOUNDED
@given(st.binary(max_size=2000) | hostile_text.map(str.encode))
@example(b"unit,period,field,value\n" + b'"' + b"1" * 200_000 + b'"')
@example(b"PK\x03\x04garbage")
def test_a_values_file_of_random_bytes_is_refused_cleanly(programme, tmp_path, data):
    path = tmp_path / "values.csv"
    path.write_bytes(data)
    with rolled_back():
        _check_values_import(path, programme)


@BOUNDED
@given(st.lists(value_line, max_size=6), st.booleans(), st.sampled_from([",", ";"]))
def test_a_values_file_loads_whole_or_not_at_all(programme, tmp_path, rows, as_xlsx, delimiter):
    table = [["unit", "period", "field", "value", "status"]] + [list(r.values()) for r in rows]
    path = tmp_path / ("values.xlsx" if as_xlsx else "values.csv")
    path.write_bytes(xlsx(table) if as_xlsx else csv_bytes(table, delimiter))
    with rolled_back():
        _check_values_import(path, programme)


@BOUNDED
@given(st.lists(st.lists(cell, max_size=6), max_size=6))
def test_a_values_workbook_of_random_cells_is_refused_cleanly(programme, tmp_path, rows):
    path = tmp_path / "values.xlsx"
    path.write_bytes(xlsx([["unit", "period", "field", "value"], *rows]))
    with rolled_back():
        _check_values_import(path, programme)


# --- the report form -------------------------------------------------------------------------

FORM_FIELDS = ["members", "workers_union_units", "informed_ytd", "court_cases", "nope"]
form_key = st.one_of(
    st.sampled_from(FORM_FIELDS).flatmap(
        lambda code: st.sampled_from([f"v_{code}", f"na_{code}", f"confirm_{code}"])
    ),
    st.sampled_from(["n_3_1_results", "n_3_8_next_steps", "n_9_9_results", "version", "submit"]),
    hostile_text,
)
form_value = st.one_of(hostile_text, st.integers(-10, 10**14).map(str), st.just("on"))


@pytest.fixture
def form_page(draft, client, district_reporter):
    client.force_login(district_reporter)
    return draft, client, reverse("reports:edit", args=[draft.pk])


@BOUNDED
@given(st.dictionaries(form_key, form_value, max_size=8), st.booleans())
@example({"v_members": "²"}, True)
@example({"v_members": "1" * 41}, True)
@example({"v_members": "\x00"}, True)
def test_the_report_form_saves_or_explains_but_never_fails(form_page, data, right_version):
    report, client, url = form_page
    if right_version:
        data = {**data, "version": str(report.version)}
    data.pop("submit", None)
    with rolled_back():
        before = (report_counts(), _numbers(report))
        response = client.post(url, data)  # an exception in the view fails the test here
        hostile = any("\x00" in f"{key}{value}" for key, value in data.items())
        # A NUL byte is refused before the view (config/hardening.py): 400, nothing written.
        assert response.status_code in ((400,) if hostile else (200, 302, 409)), (
            response.status_code
        )
        event(f"answered {response.status_code}")
        if response.status_code != 302:
            assert (report_counts(), _numbers(report)) == before, "refused, yet written"
            return
        saved = Report.objects.get(pk=report.pk)
        assert saved.version == report.version + 1
        stored = _numbers(report)
        for code in ("members", "workers_union_units", "informed_ytd"):
            text = data.get(f"v_{code}")
            if text is not None and not data.get(f"na_{code}"):
                assert stored.get(code) == parse_entry(text.strip(), "en"), code  # its client


def _numbers(report: Report) -> dict[str, Entry]:
    rows = Value.objects.filter(report=report).values_list("field__code", "state", "number")
    return {code: Entry(state, number) for code, state, number in rows}
