"""What the audit log records: every change, by whom, through which door, before and after."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core import serializers
from django.urls import reverse
from django.utils import translation

from accounts.models import Role, User
from audit.context import audit_as
from audit.models import AuditAction, AuditEntry, AuditVia
from reports.assignments import assignments_apply_proposal
from reports.models import (
    Assignment,
    Report,
    ReportEvent,
    ReportingCalendar,
    ReportingPeriod,
)
from reports.numbers import Entry
from reports.services import (
    ReportInput,
    report_approve,
    report_reopen,
    report_save,
    report_submit,
)
from targets.models import Field, Indicator, Programme, Target, TaskGroup
from tests.audit.conftest import entries, form_data, last
from tests.conftest import make_unit, make_user, opened, period
from unions.models import Sector, Unit, UnitKind, UnitLink

PASSWORD = "pw-for-tests-123"
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


# Through the web: the actor is the logged-in user --------------------------------------------


def test_editing_a_unit_in_its_page_records_who_changed_which_fields(
    client, office_user, small_tree
):
    client.force_login(office_user)
    data = {"name": "CĐCS renamed", "sector": "coop", "budget_paid": "", "note": ""}
    response = client.post(reverse("unions:edit", args=["C21"]), data)
    assert response.status_code == 302
    entry = last("unit", small_tree.c21.pk)
    assert entry.action == AuditAction.UPDATE
    assert (entry.actor_id, entry.actor_username) == (office_user.pk, "office")
    assert entry.via == AuditVia.WEB and entry.via_detail == "POST /units/C21/edit/"
    assert entry.before == {"name": "Unit C21", "sector": "dnnn"}
    assert entry.after == {"name": "CĐCS renamed", "sector": "coop"}
    assert entry.object_repr == "CĐCS renamed (C21)"


def test_saving_a_report_form_records_its_changed_values_once_in_its_event(
    client, small_tree, programme, district_reporter
):
    assignments_apply_proposal()
    draft = opened(small_tree.d2, period(programme, "2024Q3"), district_reporter)
    report_save(draft, ReportInput(values={"members": Entry.of(1000)}), version=1, actor=None)
    client.force_login(district_reporter)
    edit = reverse("reports:edit", args=[draft.pk])
    data = form_data(client.get(edit), v_members="1,500", save="1")
    data["n_3_1_results"] = "Held 3 meetings"
    assert client.post(edit, data).status_code == 302

    event = ReportEvent.objects.filter(report=draft).latest("pk")
    assert {"field": "members", "old": "1000", "new": "1500"} in event.changes
    entry = last("reportevent", event.pk)
    assert (entry.actor_username, entry.via, entry.action) == ("reporter_d2", "web", "create")
    assert entry.object_repr == "D2 2024Q3 r1 · save" and "changes" not in entry.after
    assert not entries("value")  # no entry per value: the event is their record
    members = Field.objects.get(code="members")
    with translation.override("en"):
        shown = [row for row in entry.changes() if row[0].endswith("(members)")]
    assert shown == [(f"{members.label_en} (members)", "1,000", "1,500")]
    narrative = last("narrative", action="create")
    assert narrative.actor_username == "reporter_d2"
    assert narrative.after["results"] == "Held 3 meetings"
    assert last("report", draft.pk).after == {"version": "3"}


def test_a_reporter_opening_a_report_is_named_on_its_creation(
    client, small_tree, programme, district_reporter
):
    assignments_apply_proposal()
    client.force_login(district_reporter)
    client.post(reverse("reports:open"), {"unit": "D2", "period": "2024Q3"})
    report = Report.objects.get(unit=small_tree.d2, period__year=2024, period__quarter=3)
    entry = last("report", report.pk, AuditAction.CREATE)
    assert (entry.actor_id, entry.actor_username) == (district_reporter.pk, "reporter_d2")
    assert entry.after["status"] == "draft" and entry.after["unit"] == "D2"


def test_reading_pages_writes_nothing_and_logging_in_is_not_a_change(client, office_user):
    before = AuditEntry.objects.count()
    assert (
        client.post(
            reverse("accounts:login"), {"username": "office", "password": PASSWORD}
        ).status_code
        == 302
    )
    client.get(reverse("unions:tree"))
    client.get(reverse("unions:detail", args=["D2"]))
    assert AuditEntry.objects.count() == before


# Through services: no actor, the channel says where it came from -----------------------------


def test_service_writes_outside_a_request_have_no_actor_and_say_test(small_tree):
    unit = make_unit("N1", UnitKind.GRASSROOTS, small_tree.d2, sector=Sector.PRIVATE)
    entry = last("unit", unit.pk, AuditAction.CREATE)
    assert (entry.actor_id, entry.actor_username, entry.via) == (None, "", AuditVia.TEST)
    assert entry.after["code"] == "N1" and entry.after["valid_from"] == "01/01/2020"
    link = last("unitlink", action=AuditAction.CREATE)
    assert link.object_repr == "N1 → D2 01/01/2020"


def test_a_command_names_itself_and_a_named_actor_is_recorded(small_tree, office_user):
    with audit_as(via=AuditVia.COMMAND, detail="import_units"):
        unit = make_unit("N2", UnitKind.GRASSROOTS, small_tree.d2)
    entry = last("unit", unit.pk)
    assert (entry.via, entry.via_detail, entry.actor_id) == ("command", "import_units", None)
    with audit_as(via=AuditVia.API, user=office_user):
        unit.name = "via API"
        unit.save()
    assert last("unit", unit.pk).actor_username == "office"


def test_units_and_links_create_update_and_delete_are_all_recorded(small_tree):
    unit = make_unit("N3", UnitKind.GRASSROOTS, small_tree.d2)
    link = UnitLink.objects.get(child=unit)
    unit.budget_paid = True
    unit.save(update_fields=["budget_paid"])
    assert last("unit", unit.pk).after == {"budget_paid": "true"}
    link.valid_to = dt.date(2030, 1, 1)
    link.save()
    assert last("unitlink", link.pk).before == {"valid_to": ""}
    pk, link_pk = unit.pk, link.pk
    unit.delete()
    deleted = last("unit", pk, AuditAction.DELETE)
    assert deleted.before["code"] == "N3" and deleted.after == {}
    assert last("unitlink", link_pk, AuditAction.DELETE).before["parent"] == "D2"


def test_saving_without_a_change_writes_no_entry(small_tree):
    before = AuditEntry.objects.count()
    small_tree.d2.save()
    assert AuditEntry.objects.count() == before


def test_programme_data_is_recorded_and_a_target_change_shows_old_and_new(programme):
    for model, cls in [
        ("programme", Programme),
        ("field", Field),
        ("indicator", Indicator),
        ("target", Target),
        ("taskgroup", TaskGroup),
        ("reportingcalendar", ReportingCalendar),
        ("reportingperiod", ReportingPeriod),
    ]:
        assert len(entries(model, action="create")) == cls.objects.count(), model
    target = Target.objects.select_related("indicator").first()
    old = target.value
    target.value = old + Decimal("1.5")
    target.save()
    entry = last("target", target.pk)
    assert entry.before == {"value": format(old.normalize(), "f")}
    assert entry.after == {"value": format((old + Decimal("1.5")).normalize(), "f")}
    indicator = Indicator.objects.get(programme=programme, code="A01")
    indicator.name_en = "renamed"
    indicator.save()
    assert last("indicator", indicator.pk).after == {"name_en": "renamed"}
    pk = target.pk
    target.delete()
    assert last("target", pk, AuditAction.DELETE).object_repr.startswith(target.indicator.code)


def test_assignments_written_in_bulk_are_each_recorded(programme):
    count = assignments_apply_proposal()
    created = entries("assignment", action=AuditAction.CREATE)
    assert len(created) == count == Assignment.objects.count()
    assert {e.object_pk for e in created} == {
        str(pk) for pk in Assignment.objects.values_list("pk", flat=True)
    }
    assignments_apply_proposal()
    assert len(entries("assignment", action=AuditAction.DELETE)) == count


def test_the_workflow_and_a_reopen_are_recorded_with_the_copied_values_counted(
    small_tree, programme, office_user
):
    q2 = opened(small_tree.d2, period(programme, "2024Q2"), office_user)
    values = {"members": Entry.of(1000), "enterprise_workers": Entry.na()}
    q2 = report_save(q2, ReportInput(values=values), version=1, actor=office_user)
    q2 = report_submit(q2, version=q2.version, actor=office_user)
    # Four eyes: the account that changed the figures does not approve them.
    colleague = make_user("office2", Role.OFFICE, small_tree.province)
    q2 = report_approve(q2, actor=colleague)
    assert last("report", q2.pk).after["status"] == "approved"
    new = report_reopen(q2, reason="typo", actor=office_user)
    created = last("report", new.pk, AuditAction.CREATE)
    assert created.after["revision"] == "2"
    copied = last("report", new.pk, AuditAction.UPDATE)
    count = q2.values.count()  # the two saved and the fields marked not reported
    assert copied.after == {"values": f"{count} copied from r1", "narratives": "0 copied from r1"}
    saved = ReportEvent.objects.get(report=q2, action="save")
    assert {"field": "enterprise_workers", "old": "", "new": "NA"} in saved.changes
    assert last("reportevent", saved.pk).object_repr == "D2 2024Q2 r1 · save"


def test_accounts_role_unit_and_deactivation_are_recorded_but_never_a_password(small_tree):
    user = make_user("clerk", Role.REPORTER, small_tree.d2)
    created = last("user", user.pk, AuditAction.CREATE)
    assert created.after["password"] == "password set" and created.after["unit"] == "D2"
    user.role, user.unit = Role.OFFICE, small_tree.province
    user.save()
    assert last("user", user.pk).after == {"role": "office", "unit": "P"}
    assert last("user", user.pk).before == {"role": "reporter", "unit": "D2"}
    user.is_active = False
    user.save()
    assert last("user", user.pk).after == {"is_active": "false"}
    user.set_password("a-new-secret-4711")
    user.save()
    changed = last("user", user.pk)
    assert (changed.before, changed.after) == ({"password": ""}, {"password": "password changed"})
    log = json.dumps(list(AuditEntry.objects.values("before", "after")))
    user.refresh_from_db()
    for secret in (user.password, user.password.split("$")[-1], "a-new-secret-4711", PASSWORD):
        assert secret not in log
    assert "pbkdf2" not in log and "argon2" not in log


def test_entries_survive_the_deletion_of_the_user_and_the_object(client, small_tree):
    clerk = make_user("clerk", Role.OFFICE, small_tree.province)
    client.force_login(clerk)
    client.post(reverse("unions:edit", args=["C22"]), {"name": "Soon gone", "sector": "coop"})
    unit = Unit.objects.get(code="C22")
    edited = last("unit", unit.pk)
    clerk_pk = clerk.pk
    client.logout()
    clerk.delete()
    unit_pk = unit.pk
    unit.delete()
    edited.refresh_from_db()
    assert (edited.actor_id, edited.actor_username) == (clerk_pk, "clerk")
    assert not User.objects.filter(pk=clerk_pk).exists()
    assert last("user", clerk_pk, AuditAction.DELETE).object_repr == "clerk"
    assert last("unit", unit_pk, AuditAction.DELETE).before["name"] == "Soon gone"


def test_fixture_loading_raw_saves_is_not_recorded(small_tree):
    data = serializers.serialize("json", [small_tree.d2])
    before = AuditEntry.objects.count()
    for obj in serializers.deserialize("json", data.replace('"Unit D2"', '"Raw"')):
        obj.save()
    assert Unit.objects.get(code="D2").name == "Raw"
    assert AuditEntry.objects.count() == before
