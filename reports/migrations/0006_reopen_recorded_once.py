"""A reopening was recorded twice, on the approved revision and on the new draft; the report's
history gathers the events of every revision, so it listed it twice. It is now recorded once,
on the new revision, and the history skips the older copy on the revision it reopened
(`reports.history.report_history`).

This migration deleted those copies until a report's history was made append-only in fact. It
now deletes nothing, either way: a database that ran the old version has no copies left, one
that runs this one keeps them, and both read the same history. Its name stays, since databases
have it recorded as applied."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_report_first_submitted_at")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
