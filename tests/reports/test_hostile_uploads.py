"""The template upload page answers every hostile workbook with a 400 form error, never a 500."""

from __future__ import annotations

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import hostile_files as hostile
from tests.fileread.test_reader import REFUSALS
from tests.reports.test_excel import q3, refused, report, upload, values_of

__all__ = ["q3", "report"]  # fixtures


@pytest.mark.parametrize("build", sorted(hostile.XLSX_CORPUS))
def test_a_hostile_workbook_gets_a_400_with_the_reason(client, report, district_reporter, build):
    client.force_login(district_reporter)
    before = values_of(report)
    name, data = hostile.XLSX_CORPUS[build]()
    response = upload(client, report, SimpleUploadedFile(name, data))
    assert response.status_code == 400
    assert REFUSALS[build] in html.unescape(response.content.decode())
    refused(response, report, before)


def test_a_hostile_workbook_is_refused_in_vietnamese_by_default(client, report, district_reporter):
    client.force_login(district_reporter)
    name, data = hostile.xxe()
    client.cookies.pop("django_language", None)
    response = upload(client, report, SimpleUploadedFile(name, data))
    assert response.status_code == 400
    assert "khai báo XML" in html.unescape(response.content.decode())
