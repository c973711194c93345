"""On PostgreSQL, django-auditlog's change log (auditlog_logentry) becomes a table partitioned
by the year of its timestamp, the years starting at midnight in settings.TIME_ZONE
(docs/partitioning.md). The append-only trigger of 0005 and the list-order index of 0007 are
re-created on it (every partition inherits both). SQLite keeps the plain table.

Reversible: the reverse copies the rows back into a plain table."""

from django.db import migrations

from zhidao.core import partitions


def forward(apps, schema_editor):
    partitions.partition_table(schema_editor, "auditlog_logentry")


def backward(apps, schema_editor):
    partitions.unpartition_table(schema_editor, "auditlog_logentry")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0007_logentry_list_order_index"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
