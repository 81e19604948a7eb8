"""The workbook and the annual report as LibreOffice prints them (skipped without soffice)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from dashboards.workbook import workbook_write
from dashboards.workbook_data import WorkbookRequest
from printing.annual_report import annual_report, annual_report_write
from tests.briefing.test_annual_report import year_data  # noqa: F401 - the same reports

SOFFICE, PDFTOTEXT, PDFINFO = (shutil.which(n) or "" for n in ("soffice", "pdftotext", "pdfinfo"))
pytestmark = pytest.mark.skipif(
    not (SOFFICE and PDFTOTEXT and PDFINFO),
    reason="LibreOffice and poppler-utils are not installed",
)
CODES = [f"A{i:02}" for i in range(1, 15)] + [f"T{i:02}" for i in range(1, 8)]


def to_pdf(source: Path, tmp_path: Path) -> Path:
    # A profile of its own: another LibreOffice running on the machine would take the job.
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(  # noqa: S603 - fixed arguments
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    return source.with_suffix(".pdf")


def pages(pdf: Path) -> int:
    info = subprocess.run([PDFINFO, str(pdf)], check=True, capture_output=True, text=True)  # noqa: S603
    return int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))


def page_text(pdf: Path, first: int, last: int | None = None) -> str:
    out = subprocess.run(  # noqa: S603
        [PDFTOTEXT, "-f", str(first), "-l", str(last or first), "-layout", str(pdf), "-"],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return out.stdout


def test_the_workbooks_first_printed_page_is_the_briefing(year_data, programme, tmp_path):  # noqa: F811
    source = tmp_path / "workbook.xlsx"
    request = WorkbookRequest(programme, 2025, today=dt.date.today(), author="Người lập")
    with source.open("wb") as stream:
        workbook_write(request, stream)
    pdf = to_pdf(source, tmp_path)
    first = page_text(pdf, 1)
    assert "TÓM TẮT TIẾN ĐỘ CHỈ TIÊU" in first
    assert "Các chỉ tiêu có nguy cơ nhất:" in first
    assert [c for c in CODES if c not in first] == []  # every target on the first page
    assert "97,0% (320/330)" in first  # A01 as the API gives it
    assert "Trang 1 /" in first
    assert "Thông tin chung" in page_text(pdf, pages(pdf))  # the cover's details come last


def test_the_annual_report_prints_in_the_administrative_layout(year_data, programme, tmp_path):  # noqa: F811
    source = tmp_path / "annual.docx"
    with source.open("wb") as stream:
        annual_report_write(annual_report(programme, 2025, dt.date.today()), stream)
    pdf = to_pdf(source, tmp_path)
    assert pages(pdf) >= 2
    first = page_text(pdf, 1)
    for words in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA", "Độc lập - Tự do - Hạnh phúc", "Lai Châu, ngày",
                  "BÁO CÁO", "Kết quả thực hiện Chương trình hành động năm 2025",
                  "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"):  # fmt: skip
        assert words in first, words
    everything = page_text(pdf, 1, pages(pdf))
    assert "Nơi nhận:" in everything and "CHỦ TỊCH" in everything
    assert re.search(r"A01\s.*97,0%\s+320\s+330", everything.replace("\n", " "))
