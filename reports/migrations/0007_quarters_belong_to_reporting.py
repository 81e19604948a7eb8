"""Quarters, the calendar and assignments belong to the federation's reporting, not to a
programme (DOMAIN.md §8): one period per quarter, one calendar, assignments for every
programme in force. A unit's reports of one quarter under two programmes become one report.

Forward: where two programmes had a period for the same quarter, the oldest period is kept
and everything pointing at the others is moved to it. Where a unit had a report for that
quarter under both, the kept report takes every value and narrative it lacks from the other
(its latest revision into the kept latest, its in-force revision into the kept in-force), the
other's history moves to it, and where both gave different figures for one field the kept
figure stays and a history entry names the other figure, so nothing reported is lost.
Backward: every quarter, assignment and the calendar go to the programme whose reporting
covers it (the oldest such, else the oldest programme); with one programme, as it was.
"""

from django.db import migrations, models
import django.db.models.deletion


def _quarter_covered(programme, year, quarter):
    def q(day):
        return day.year, (day.month - 1) // 3 + 1

    first = q(max(programme.term_start, programme.issued_on))
    return first <= (year, quarter) <= q(programme.term_end)


def _merge_reports(apps, kept, other, programme_number):
    Value = apps.get_model("reports", "Value")
    Narrative = apps.get_model("reports", "Narrative")
    ReportEvent = apps.get_model("reports", "ReportEvent")
    Report = apps.get_model("reports", "Report")
    pairs = [
        (kept.filter(is_latest=True).first(), other.filter(is_latest=True).first()),
        (kept.filter(in_force=True).first(), other.filter(in_force=True).first()),
    ]
    notes = []
    for target, source in pairs:
        if target is None or source is None:
            continue
        have = {v.field_id: v for v in Value.objects.filter(report=target)}
        for value in Value.objects.filter(report=source):
            mine = have.get(value.field_id)
            if mine is None:
                Value.objects.create(
                    report=target,
                    field_id=value.field_id,
                    state=value.state,
                    number=value.number,
                    warning_confirmed=value.warning_confirmed,
                )
            elif (mine.state, mine.number) != (value.state, value.number):
                shown = value.number if value.state == "number" else value.state
                notes.append(
                    {"field": value.field.code, "old": str(shown), "new": str(mine.number)}
                )
        groups = set(Narrative.objects.filter(report=target).values_list("task_group_id", flat=True))
        for narrative in Narrative.objects.filter(report=source).exclude(task_group_id__in=groups):
            narrative.pk = None
            narrative.report = target
            narrative.save()
    latest = kept.filter(is_latest=True).first()
    ReportEvent.objects.filter(report__in=list(other)).update(report=latest)
    if notes:
        ReportEvent.objects.create(
            report=latest,
            action="import",
            reason=(
                "Merged with the report of programme %s for the same quarter; where the two "
                "differed, this report's figure was kept ('new'), the other's is 'old'."
            )
            % programme_number,
            version=latest.version,
            changes=notes,
        )
    Report.objects.filter(pk__in=[r.pk for r in other]).delete()


def quarters_shared(apps, schema_editor):
    Period = apps.get_model("reports", "ReportingPeriod")
    Report = apps.get_model("reports", "Report")
    Assignment = apps.get_model("reports", "Assignment")
    Reminder = apps.get_model("reports", "Reminder")
    Calendar = apps.get_model("reports", "ReportingCalendar")
    calendars = list(Calendar.objects.order_by("pk"))
    Calendar.objects.filter(pk__in=[c.pk for c in calendars[1:]]).delete()
    by_quarter = {}
    for period in Period.objects.order_by("pk"):
        by_quarter.setdefault((period.year, period.quarter), []).append(period)
    for periods in by_quarter.values():
        keep, others = periods[0], periods[1:]
        for dup in others:
            Assignment.objects.filter(first_period=dup).update(first_period=keep)
            Assignment.objects.filter(last_period=dup).update(last_period=keep)
            for reminder in Reminder.objects.filter(period=dup):
                twin = Reminder.objects.filter(
                    report_unit_id=reminder.report_unit_id,
                    period=keep,
                    kind=reminder.kind,
                    sent_on=reminder.sent_on,
                    recipient=reminder.recipient,
                )
                if twin.exists():
                    reminder.delete()
                else:
                    reminder.period = keep
                    reminder.save()
            units = set(Report.objects.filter(period=dup).values_list("unit_id", flat=True))
            for unit_id in units:
                other = Report.objects.filter(period=dup, unit_id=unit_id)
                kept = Report.objects.filter(period=keep, unit_id=unit_id)
                if kept.exists():
                    _merge_reports(apps, kept, other, dup.programme.number)
                else:
                    other.update(period=keep)
            dup.delete()
    seen = set()
    for assignment in Assignment.objects.order_by("pk"):
        key = (
            assignment.unit_id,
            assignment.scope,
            assignment.first_period_id,
            assignment.last_period_id,
        )
        if key in seen:
            assignment.delete()
        seen.add(key)


def quarters_per_programme(apps, schema_editor):
    Programme = apps.get_model("targets", "Programme")
    Period = apps.get_model("reports", "ReportingPeriod")
    Assignment = apps.get_model("reports", "Assignment")
    Calendar = apps.get_model("reports", "ReportingCalendar")
    programmes = list(Programme.objects.order_by("term_start", "pk"))
    if not programmes:
        return
    first = programmes[0]
    for period in Period.objects.all():
        covering = [p for p in programmes if _quarter_covered(p, period.year, period.quarter)]
        period.programme = covering[0] if covering else first
        period.save(update_fields=["programme"])
    Assignment.objects.update(programme=first)
    calendar = Calendar.objects.order_by("pk").first()
    if calendar is not None:
        calendar.programme = first
        calendar.save(update_fields=["programme"])
        for programme in programmes[1:]:
            Calendar.objects.create(
                programme=programme, cutoff_rule=calendar.cutoff_rule, due_days=calendar.due_days
            )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0006_reopen_recorded_once"),
        ("targets", "0006_rollup_totals_move_to_rollup_app"),
    ]

    operations = [
        migrations.AlterField(
            model_name="reportingperiod",
            name="programme",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="periods",
                to="targets.programme",
                verbose_name="programme",
            ),
        ),
        migrations.AlterField(
            model_name="assignment",
            name="programme",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="assignments",
                to="targets.programme",
                verbose_name="programme",
            ),
        ),
        migrations.AlterField(
            model_name="reportingcalendar",
            name="programme",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="calendar",
                to="targets.programme",
                verbose_name="programme",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="reportingperiod",
            name="reports_reportingperiod_unique",
        ),
        migrations.RunPython(quarters_shared, quarters_per_programme),
        migrations.RemoveField(model_name="assignment", name="programme"),
        migrations.RemoveField(model_name="reportingcalendar", name="programme"),
        migrations.RemoveField(model_name="reportingperiod", name="programme"),
        migrations.AddConstraint(
            model_name="reportingperiod",
            constraint=models.UniqueConstraint(
                fields=("year", "quarter"), name="reports_reportingperiod_one_per_quarter"
            ),
        ),
        migrations.AlterModelOptions(
            name="assignment",
            options={
                "ordering": ["unit__code", "first_period__year", "first_period__quarter"],
                "verbose_name": "reporting assignment",
                "verbose_name_plural": "reporting assignments",
            },
        ),
        migrations.AlterModelOptions(
            name="reportingperiod",
            options={
                "ordering": ["year", "quarter"],
                "verbose_name": "reporting period",
                "verbose_name_plural": "reporting periods",
            },
        ),
    ]
