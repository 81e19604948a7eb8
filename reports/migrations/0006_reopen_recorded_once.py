"""A reopening was recorded twice, on the approved revision and on the new draft; the report's
history gathers the events of every revision, so it listed it twice. It is now recorded once,
on the new revision: the copy on the revision it reopened goes."""

from django.db import migrations
from django.db.models import Exists, OuterRef


def once(apps, schema_editor):
    ReportEvent = apps.get_model("reports", "ReportEvent")
    on_new_revision = ReportEvent.objects.filter(
        action="reopen",
        report__unit_id=OuterRef("report__unit_id"),
        report__period_id=OuterRef("report__period_id"),
        report__revision=OuterRef("report__revision") + 1,
        reason=OuterRef("reason"),
    )
    ReportEvent.objects.filter(action="reopen").filter(Exists(on_new_revision)).delete()


def twice(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    ReportEvent = apps.get_model("reports", "ReportEvent")
    for event in ReportEvent.objects.filter(action="reopen").select_related("report"):
        reopened = Report.objects.filter(
            unit_id=event.report.unit_id,
            period_id=event.report.period_id,
            revision=event.report.revision - 1,
        ).first()
        if reopened is not None:
            copy = ReportEvent.objects.create(
                report=reopened,
                actor_id=event.actor_id,
                action="reopen",
                reason=event.reason,
                version=reopened.version,
            )
            ReportEvent.objects.filter(pk=copy.pk).update(at=event.at)


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_report_first_submitted_at")]

    operations = [migrations.RunPython(once, twice)]
