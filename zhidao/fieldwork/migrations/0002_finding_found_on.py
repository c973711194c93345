"""Findings get the day they were found (FIGURES.md): existing ones were found the day they were
entered, so the backfill takes the local date of created_at."""

import django.utils.timezone
from django.db import migrations, models
from django.utils import timezone


def backfill_found_on(apps, schema_editor):
    Finding = apps.get_model("fieldwork", "Finding")
    for finding in Finding.objects.only("pk", "created_at").iterator(chunk_size=2000):
        Finding.objects.filter(pk=finding.pk).update(
            found_on=timezone.localdate(finding.created_at)
        )


class Migration(migrations.Migration):
    dependencies = [("fieldwork", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="finding",
            name="found_on",
            field=models.DateField(null=True, verbose_name="found on"),
        ),
        migrations.RunPython(backfill_found_on, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="finding",
            name="found_on",
            field=models.DateField(
                default=django.utils.timezone.localdate, verbose_name="found on"
            ),
        ),
        migrations.AddIndex(
            model_name="finding",
            index=models.Index(fields=["assignment", "found_on"], name="finding_assignment_found"),
        ),
        migrations.AddIndex(
            model_name="finding",
            index=models.Index(fields=["found_on"], name="finding_found_on"),
        ),
    ]
