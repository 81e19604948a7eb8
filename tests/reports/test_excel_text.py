"""The report template writes every user-supplied text as text, the unit code (C3) included."""

from __future__ import annotations

from tests.reports.test_excel import download, q3, report
from unions.models import Unit

__all__ = ["q3", "report"]  # fixtures


def test_a_unit_code_starting_with_equals_is_text_in_cell_c3(
    client, small_tree, report, district_reporter
):
    # No such code can be created any more; one from before the rule still must not run.
    Unit.objects.filter(pk=small_tree.d2.pk).update(code='=HYPERLINK("http://x","y")')
    client.force_login(district_reporter)
    sheet = download(client, report).worksheets[0]
    assert sheet["C3"].data_type == "s"
    assert sheet["C3"].value == '=HYPERLINK("http://x","y")'
    formulas = [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert not formulas


def test_control_characters_in_user_text_do_not_break_the_template(
    client, small_tree, report, district_reporter
):
    Unit.objects.filter(pk=small_tree.d2.pk).update(name="Huyện\x0bmới\x01")
    client.force_login(district_reporter)
    sheet = download(client, report).worksheets[0]
    assert sheet["D3"].value == "Huyệnmới"
