"""Indexes for a search text of one or two characters (吉利, jl), which the trigram indexes of
0002 and 0006 cannot serve: PostgreSQL read all 100,000 organizations of a province for each such
condition (zhidao/core/lookups.py). A GIN index on the distinct characters and character pairs of
the upper-cased column, for each column the search compares with "contains". PostgreSQL only;
SQLite scans, within the demo's size."""

from django.db import migrations

# Every character, then every pair of neighbouring characters, of the text (GIN keeps each key
# once). PL/pgSQL: 4 µs a name, where a SQL function over generate_series took 20 µs, and
# PostgreSQL runs it again on each row a bitmap scan must recheck.
GRAMS_FUNCTION = """
CREATE OR REPLACE FUNCTION zhidao_grams(value text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    grams text[] := string_to_array(value, NULL);
    length integer := char_length(value);
BEGIN
    FOR position IN 1 .. length - 1 LOOP
        grams[length + position] := substr(value, position, 2);
    END LOOP;
    RETURN grams;
END
$$
"""

INDEXES = [
    ("orgs_organization", "name", "org_name_grams"),
    ("orgs_organization", "name_pinyin", "org_pinyin_grams"),
    ("orgs_organization", "name_initials", "org_initials_grams"),
    ("orgs_union", "name", "union_name_grams"),
    ("orgs_union", "name_pinyin", "union_pinyin_grams"),
    ("orgs_union", "name_initials", "union_initials_grams"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(GRAMS_FUNCTION)
    for table, column, name in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin (zhidao_grams(UPPER({column}::text)))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, _column, name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS zhidao_grams(text)")


class Migration(migrations.Migration):
    dependencies = [("orgs", "0006_pinyin_trigram_indexes")]

    operations = [migrations.RunPython(create, drop)]
