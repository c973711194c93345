"""Trigram indexes for "pinyin contains …" and "name contains ABC" search on PostgreSQL, beside
those of 0002 (a province holds 100,000 organizations and about as many unions). The btree and
varchar_pattern_ops indexes of the field itself serve the prefix matches. Only where the pg_trgm
extension is installed or may be: without it the search still works, by a scan."""

from django.db import migrations

INDEXES = [
    ("orgs_organization", "name_pinyin", "org_pinyin_trgm"),
    ("orgs_union", "name_pinyin", "union_pinyin_trgm"),
    # A Latin text (ABC, jili) is matched case-blind: Django compares UPPER(name::text).
    ("orgs_organization", "(UPPER(name::text))", "org_name_upper_trgm"),
    ("orgs_union", "(UPPER(name::text))", "union_name_upper_trgm"),
]


def _has_trigrams(schema_editor) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone():
            return True
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        return cursor.fetchone() is not None


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql" or not _has_trigrams(schema_editor):
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
    dependencies = [("orgs", "0005_fill_name_pinyin")]

    operations = [migrations.RunPython(create, drop)]
