"""Changes the services make to rows other than the one they act on are audited too."""

import datetime as dt

from audit.models import AuditAction
from reports.numbers import Entry
from reports.services import (
    ReportInput,
    report_approve,
    report_reopen,
    report_save,
    report_submit,
)
from tests.audit.conftest import last
from tests.conftest import make_unit, opened, period
from unions.models import UnitKind, UnitLink
from unions.services import unit_dissolve


def test_approving_a_correction_records_that_the_earlier_revision_stops_counting(
    small_tree, programme, office_user
):
    first = opened(small_tree.d2, period(programme, "2024Q3"), None)
    first = report_save(first, ReportInput(values={"members": Entry.of(5)}), version=1, actor=None)
    first = report_approve(report_submit(first, version=first.version, actor=None), actor=None)
    second = report_reopen(first, reason="sửa", actor=office_user)
    report_approve(report_submit(second, version=second.version, actor=None), actor=None)
    entry = last("report", first.pk, AuditAction.UPDATE)
    assert "in_force" in str(entry.before) and "in_force" in str(entry.after)


def test_dissolving_a_unit_records_the_end_of_its_parent_link(small_tree):
    unit = make_unit("X1", UnitKind.COMMUNE, small_tree.province)
    unit_dissolve(unit, dt.date(2026, 1, 1))
    link = UnitLink.objects.get(child=unit)
    entry = last("unitlink", link.pk, AuditAction.UPDATE)
    assert "2026" in str(entry.after)
