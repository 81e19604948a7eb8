from django.db import migrations, models


def fill_search_keys(apps, schema_editor):
    """Folds the code and name of every existing unit (the function the model uses, so the
    keys written now and later are the same)."""
    from unions.models import search_key

    Unit = apps.get_model("unions", "Unit")
    batch = []
    for unit in Unit.objects.only("pk", "code", "name").iterator(chunk_size=2000):
        unit.search_key = search_key(unit.code, unit.name)
        batch.append(unit)
        if len(batch) == 2000:
            Unit.objects.bulk_update(batch, ["search_key"])
            batch = []
    Unit.objects.bulk_update(batch, ["search_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("unions", "0002_closure_pair_dates_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="search_key",
            field=models.CharField(default="", editable=False, max_length=240),
        ),
        migrations.RunPython(fill_search_keys, migrations.RunPython.noop, elidable=True),
    ]
