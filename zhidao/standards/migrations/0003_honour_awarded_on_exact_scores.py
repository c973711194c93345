"""Honours get the day they were awarded, and scores are kept unrounded (six places).

Existing honours: the day they were entered when that falls in their year, else the last day of
their year. Existing scores keep their two-place values (they were computed that way)."""

import datetime

from django.db import migrations, models
from django.utils import timezone


def backfill_awarded_on(apps, schema_editor):
    Honour = apps.get_model("standards", "Honour")
    for honour in Honour.objects.only("pk", "year", "created_at").iterator(chunk_size=2000):
        entered = timezone.localdate(honour.created_at)
        awarded = entered if entered.year == honour.year else datetime.date(honour.year, 12, 31)
        Honour.objects.filter(pk=honour.pk).update(awarded_on=awarded)


class Migration(migrations.Migration):
    dependencies = [("standards", "0002_default_indicator_set")]

    operations = [
        migrations.AddField(
            model_name="honour",
            name="awarded_on",
            field=models.DateField(null=True, verbose_name="date awarded"),
        ),
        migrations.RunPython(backfill_awarded_on, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="honour",
            name="awarded_on",
            field=models.DateField(verbose_name="date awarded"),
        ),
        migrations.AddIndex(
            model_name="honour",
            index=models.Index(fields=["awarded_on"], name="honour_awarded_on"),
        ),
        migrations.AlterField(
            model_name="assessment",
            name="total_score",
            field=models.DecimalField(decimal_places=6, max_digits=12, verbose_name="total score"),
        ),
        migrations.AlterField(
            model_name="assessmentanswer",
            name="points",
            field=models.DecimalField(decimal_places=6, max_digits=12, verbose_name="points"),
        ),
    ]
