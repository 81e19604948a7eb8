"""Every entry gets a hash chained to the previous one (audit.chain); existing entries are
chained in the order they were written. The triggers are dropped for that one rewrite and put
back with the new check on INSERT."""

from django.db import migrations, models

from audit import triggers
from audit.chain import CONTENT, GENESIS, entry_digest


def chain_existing(apps, schema_editor):
    entry_model = apps.get_model("audit", "AuditEntry")
    triggers.drop(schema_editor.connection)
    previous = GENESIS
    for row in entry_model.objects.order_by("pk").values("pk", *CONTENT).iterator():
        digest = entry_digest(previous, row)
        entry_model.objects.filter(pk=row["pk"]).update(prev_hash=previous, chain_hash=digest)
        previous = digest


# On SQLite adding a column or a constraint rebuilds the table without its triggers: they are
# created once the table has its final shape.
def triggers_create(apps, schema_editor):
    triggers.create(schema_editor.connection)


def triggers_drop(apps, schema_editor):
    triggers.drop(schema_editor.connection)


def append_only_again(apps, schema_editor):
    triggers.create(schema_editor.connection, insert_check=False)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, append_only_again),
        migrations.AddField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(
                blank=True, editable=False, max_length=64, verbose_name="previous hash"
            ),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="chain_hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="hash"),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.UniqueConstraint(
                fields=("prev_hash",), name="audit_auditentry_one_successor"
            ),
        ),
        migrations.RunPython(triggers_create, triggers_drop),
    ]
