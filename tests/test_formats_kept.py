"""Dates kept in text (the audit log, an Excel form's fixed cells) and dates in messages come
from `lib.formats`, day first in both languages."""

import datetime as dt
import zoneinfo

from django.utils import translation

from audit.recording import text
from lib.formats import day, day_kept, moment_kept


def test_a_kept_date_reads_day_first_whatever_the_language():
    for language in ("vi", "en"):
        with translation.override(language):
            assert day_kept(dt.date(2023, 12, 5)) == "05/12/2023"
            assert day(dt.date(2023, 12, 5)) == "05/12/2023"


def test_a_kept_moment_is_in_the_portals_time_zone():
    utc = dt.datetime(2023, 12, 5, 20, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))
    with translation.override("en"):
        assert moment_kept(utc) == "06/12/2023 03:30"  # Asia/Ho_Chi_Minh, UTC+7
        assert moment_kept(dt.datetime(2023, 12, 5, 9, 5)) == "05/12/2023 09:05"


def test_the_audit_log_keeps_dates_as_before():
    assert text(dt.date(2024, 1, 31)) == "31/01/2024"
    assert text(dt.datetime(2024, 1, 31, 8, 0, tzinfo=zoneinfo.ZoneInfo("UTC"))) == (
        "31/01/2024 15:00"
    )
