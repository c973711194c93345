"""Trigram indexes for "name contains …" search on PostgreSQL (a province holds 100,000
organizations; a plain btree cannot serve an infix match). SQLite has no such index: there the
scan stays within the demo's size."""

from django.db import migrations

INDEXES = [
    ("orgs_organization", "name", "org_name_trgm"),
    ("orgs_organization", "name_initials", "org_initials_trgm"),
    ("orgs_union", "name", "union_name_trgm"),
    ("orgs_union", "name_initials", "union_initials_trgm"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, column, name in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, _column, name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
