"""Audit lines in words: where an entry came from reads as what the person did."""

from __future__ import annotations

from django.utils import translation

from audit.words import via_words


def test_a_report_approval_reads_as_words_with_the_quarter_and_unit():
    with translation.override("vi"):
        words = via_words("POST /reports/923/approve/", "LDLD-TD 2026Q2 r1")
    assert words == "duyệt báo cáo Quý 2/2026 của LDLD-TD"


def test_a_value_saved_with_the_report_names_the_report_too():
    words = via_words("POST /reports/5/edit/", "D2 2025Q3 r2 · members")
    assert words == "saved the report for Quarter 3/2025 of D2"


def test_a_unit_page_reads_as_its_deed():
    assert via_words("POST /units/C21/edit/", "Unit C21 (C21)") == "edited the unit"


def test_anything_unnamed_keeps_the_recorded_detail():
    assert via_words("import_units", "x") == "import_units"
    assert via_words("POST /nowhere/", "x") == "POST /nowhere/"
    assert via_words("POST /api/v1/tokens/", "x") == "POST /api/v1/tokens/"
