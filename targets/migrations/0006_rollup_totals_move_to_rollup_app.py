# The pre-summed totals move to the `rollup` app (derived data: its own migration makes new
# tables, and the totals are built again after migrate, see rollup.apps).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('targets', '0005_translatable_field_labels'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='rolluptotalsstate',
            name='programme',
        ),
        migrations.DeleteModel(
            name='RollupTotal',
        ),
        migrations.DeleteModel(
            name='RollupTotalsState',
        ),
    ]
