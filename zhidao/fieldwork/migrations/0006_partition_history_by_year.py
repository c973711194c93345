"""On PostgreSQL, on-site days and work records become tables partitioned by the year of their
date (on_date, worked_on): PERFORMANCE.md, docs/partitioning.md. SQLite keeps plain tables.

The rows are copied into the new table (INSERT ... SELECT) while the migration holds the old
one: on a large production table, run it in a maintenance window. Reversible: the reverse copies
the rows back into a plain table with the same indexes and constraints."""

from django.db import migrations

from zhidao.core import partitions

TABLES = ["fieldwork_onsiteday", "fieldwork_workrecord"]


def forward(apps, schema_editor):
    for table in TABLES:
        partitions.partition_table(schema_editor, table)


def backward(apps, schema_editor):
    for table in TABLES:
        partitions.unpartition_table(schema_editor, table)


class Migration(migrations.Migration):
    dependencies = [
        ("fieldwork", "0005_fk_without_db_constraint"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
