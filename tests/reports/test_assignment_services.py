"""Assignments change through services, each in one transaction with its audit entry; the
admin shows workflow data but does not change it."""

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from reports.assignments import assignment_add, assignment_end, assignments_apply_proposal
from reports.models import Assignment, AssignmentScope
from tests.conftest import period

pytestmark = pytest.mark.django_db


def _entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(model="assignment", action=action))


def test_adding_an_assignment_writes_it_with_its_audit_entry(small_tree, programme):
    added = assignment_add(small_tree.c21, AssignmentScope.SELF, period(programme, "2024Q1"), None)
    assert Assignment.objects.get() == added and added.last_period is None
    [entry] = _entries("create")
    assert entry.object_pk == str(added.pk)


def test_an_assignment_ending_before_it_starts_is_refused_and_nothing_written(
    small_tree, programme
):
    with pytest.raises(ValidationError):
        assignment_add(
            small_tree.c21,
            AssignmentScope.SELF,
            period(programme, "2024Q3"),
            period(programme, "2024Q1"),
        )
    assert not Assignment.objects.exists() and not _entries("create")


def test_ending_an_assignment_records_its_last_quarter(small_tree, programme):
    assignments_apply_proposal()
    d2 = Assignment.objects.get(unit=small_tree.d2)
    ended = assignment_end(d2, period(programme, "2026Q2"))
    assert ended.last_period.code == "2026Q2"
    [entry] = _entries("update")
    assert entry.after == {"last_period": "2026Q2"}
    later = assignment_add(small_tree.c21, AssignmentScope.SELF, period(programme, "2025Q1"), None)
    with pytest.raises(ValidationError):
        assignment_end(later, period(programme, "2024Q4"))
    later.refresh_from_db()
    assert later.last_period is None


@pytest.mark.parametrize("model", ["assignment", "reportingperiod", "reportingcalendar"])
def test_the_admin_shows_workflow_data_but_does_not_change_it(
    client, admin_user, small_tree, programme, model
):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    assignments_apply_proposal()
    assert client.get(f"/admin/reports/{model}/").status_code == 200
    assert client.get(f"/admin/reports/{model}/add/").status_code == 403
    assert not client.get(f"/admin/reports/{model}/").context["has_add_permission"]
