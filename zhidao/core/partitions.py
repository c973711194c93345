"""Yearly partitions of the history tables on PostgreSQL (PERFORMANCE.md, docs/partitioning.md).

On-site days, work records and the audit log grow by a year of rows every year; partitioned by
the year of their date, a list of the current term reads only the term's one or two yearly
partitions and their indexes, whatever the number of years behind them. SQLite keeps plain tables:
everything here does nothing there.

- `partition_table` / `unpartition_table`: the migrations' conversion of an existing table
  (fieldwork 0006, audit 0008) and back. Columns, defaults, checks, foreign keys out of the
  table, indexes (same names) and triggers are read from the catalogue and re-created, so the
  conversion follows the table as the migrations before it left it.
- A partitioned table's unique indexes must contain the partition key, so `client_uuid` alone
  cannot be unique there; the offline queue's idempotency needs it unique across years. A small
  unpartitioned key table per such column, filled by a trigger, keeps it: a second row with the
  same value fails with unique_violation (Django's IntegrityError) under the column's old
  constraint name, as before.
- `create_partitions_ahead`: the monthly task's work (core.create_partitions_ahead): it makes
  next year's partitions before the first row of that year arrives, and moves rows that reached
  the DEFAULT partition in the meantime into their own year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone


@dataclass(frozen=True)
class PartitionedTable:
    table: str
    key: str
    # A timestamptz key: a year starts at local midnight of 1 January (settings.TIME_ZONE).
    timestamp: bool = False
    # Columns unique over the whole table (kept through a key table, see the module's doc).
    unique_columns: tuple[str, ...] = ()


PARTITIONED_TABLES: tuple[PartitionedTable, ...] = (
    PartitionedTable("fieldwork_onsiteday", "on_date", unique_columns=("client_uuid",)),
    PartitionedTable("fieldwork_workrecord", "worked_on", unique_columns=("client_uuid",)),
    PartitionedTable("auditlog_logentry", "timestamp", timestamp=True),
)

BY_TABLE = {spec.table: spec for spec in PARTITIONED_TABLES}


@dataclass(frozen=True)
class Partition:
    name: str
    bounds: str  # as PostgreSQL prints it: FOR VALUES FROM (...) TO (...) / DEFAULT
    rows: int


# --- names -----------------------------------------------------------------------------------


def partition_name(table: str, year: int) -> str:
    return f"{table}_y{year}"


def default_partition_name(table: str) -> str:
    return f"{table}_default"


def sequence_name(table: str) -> str:
    return f"{table}_id_seq"


def keys_table_name(table: str, column: str) -> str:
    return f"{table}_{column}_keys"


def _unique_constraint_name(cursor, table: str, column: str) -> str:
    """The name Django gave the column's unique constraint (kept for the key table's error)."""
    cursor.execute(
        "SELECT c.conname FROM pg_constraint c JOIN pg_attribute a "
        "ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey) "
        "WHERE c.conrelid = %s::regclass AND c.contype = 'u' AND a.attname = %s "
        "ORDER BY array_length(c.conkey, 1) LIMIT 1",
        [table, column],
    )
    row = cursor.fetchone()
    return row[0] if row else f"{table}_{column}_key"


# --- the year's bounds ---------------------------------------------------------------------


def _bound(spec: PartitionedTable, year: int) -> str:
    if spec.timestamp:
        start = dt.datetime(year, 1, 1, tzinfo=ZoneInfo(settings.TIME_ZONE))
        return start.isoformat(sep=" ")
    return dt.date(year, 1, 1).isoformat()


def _key_year_sql(spec: PartitionedTable) -> str:
    if spec.timestamp:
        # Names and the zone come from code and settings, not from input.
        return f"extract(year FROM {spec.key} AT TIME ZONE '{settings.TIME_ZONE}')::int"
    return f"extract(year FROM {spec.key})::int"


def _create_year_sql(spec: PartitionedTable, year: int) -> str:
    return (
        f"CREATE TABLE {partition_name(spec.table, year)} PARTITION OF {spec.table} "
        f"FOR VALUES FROM ('{_bound(spec, year)}') TO ('{_bound(spec, year + 1)}')"
    )


# --- reading the catalogue ---------------------------------------------------------------------


@dataclass
class _Shape:
    constraints: list[tuple[str, str, str, list[str]]]  # name, type, definition, columns
    indexes: list[str]  # CREATE INDEX statements of the indexes no constraint owns
    triggers: list[str]  # CREATE TRIGGER statements (ours for the key tables excluded)
    referenced_by: list[str]  # foreign keys of other tables that point at this one


def _shape(cursor, table: str) -> _Shape:
    cursor.execute(
        "SELECT c.conname, c.contype, pg_get_constraintdef(c.oid), "
        "ARRAY(SELECT a.attname::text FROM unnest(c.conkey) k "
        "      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k) "
        "FROM pg_constraint c WHERE c.conrelid = %s::regclass AND c.contype IN ('p','u','f','c') "
        "ORDER BY c.contype, c.conname",
        [table],
    )
    constraints = [(name, kind, definition, list(cols)) for name, kind, definition, cols in cursor]
    cursor.execute(
        "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid = %s::regclass "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
        "ORDER BY i.indexrelid::regclass::text",
        [table],
    )
    indexes = [row[0] for row in cursor]
    cursor.execute(
        "SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t WHERE t.tgrelid = %s::regclass "
        "AND NOT t.tgisinternal AND t.tgparentid = 0 AND t.tgname NOT LIKE 'zhidao_unique_%%' "
        "ORDER BY t.tgname",
        [table],
    )
    triggers = [row[0] for row in cursor]
    cursor.execute(
        "SELECT conrelid::regclass::text || '.' || conname FROM pg_constraint "
        "WHERE confrelid = %s::regclass AND contype = 'f' AND conparentid = 0",
        [table],
    )
    referenced_by = [row[0] for row in cursor]
    return _Shape(constraints, indexes, triggers, referenced_by)


def _refuse_references(table: str, shape: _Shape) -> None:
    if shape.referenced_by:
        raise RuntimeError(
            f"{table} is the target of foreign keys {shape.referenced_by}: give them "
            "db_constraint=False first (a partitioned table's id alone is not unique)."
        )


def _release_sequence(cursor, old: str, table: str) -> None:
    """Detach the id default from `old` before it is dropped: an identity sequence goes with
    its table (a new one is made), a plain sequence (after a reverse) is kept and reused."""
    cursor.execute(f"ALTER TABLE {table} ALTER COLUMN id DROP DEFAULT")
    cursor.execute(
        "SELECT attidentity FROM pg_attribute WHERE attrelid = %s::regclass AND attname = 'id'",
        [old],
    )
    if cursor.fetchone()[0] == "":
        cursor.execute(f"ALTER TABLE {old} ALTER COLUMN id DROP DEFAULT")
        cursor.execute(f"ALTER SEQUENCE IF EXISTS {sequence_name(table)} OWNED BY NONE")


def _move_sequence(cursor, table: str) -> None:
    sequence = sequence_name(table)
    cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {sequence}")
    cursor.execute(f"ALTER SEQUENCE {sequence} OWNED BY {table}.id")
    cursor.execute(f"ALTER TABLE {table} ALTER COLUMN id SET DEFAULT nextval('{sequence}')")
    # Past every id there is (the next one handed out is max + 1).
    cursor.execute(
        f"SELECT setval('{sequence}', coalesce(max(id), 0) + 1, false) FROM {table}"  # noqa: S608  # nosec B608  # names from PARTITIONED_TABLES
    )


def _recreate(cursor, table: str, shape: _Shape, *, key: str | None, unique: tuple[str, ...]):
    """Constraints, indexes and triggers of the old table on the new one (same names); with a
    key, the primary key and the globally unique columns' constraints also carry the key."""
    for name, kind, definition, columns in shape.constraints:
        if kind == "p":
            columns_sql = f"id, {key}" if key else "id"
            definition = f"PRIMARY KEY ({columns_sql})"
        elif kind == "u" and key and key not in columns:
            if len(columns) != 1 or columns[0] not in unique:
                raise RuntimeError(f"{table}.{name} does not contain the key {key}")
            definition = f"UNIQUE ({columns[0]}, {key})"
        elif kind == "u" and not key and columns[0] in unique and len(columns) == 2:
            # Back on a plain table: the column alone is unique again.
            definition = f"UNIQUE ({columns[0]})"
        cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
    for statement in shape.indexes:
        cursor.execute(statement)
    for statement in shape.triggers:
        cursor.execute(statement)


# --- the key tables of globally unique columns ---------------------------------------------------


# Names from PARTITIONED_TABLES and the catalogue, no outside input.
_UNIQUE_FUNCTION = """
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE {keys};
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND NEW.{column} IS DISTINCT FROM OLD.{column}) THEN
        DELETE FROM {keys} WHERE value = OLD.{column} AND row_id = OLD.id;
    END IF;
    IF (TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.{column} IS DISTINCT FROM OLD.{column}))
       AND NEW.{column} IS NOT NULL THEN
        INSERT INTO {keys} (value, row_id) VALUES (NEW.{column}, NEW.id)
            ON CONFLICT (value) DO NOTHING;
        IF NOT FOUND AND NOT EXISTS (
            SELECT 1 FROM {keys} WHERE value = NEW.{column} AND row_id = NEW.id
        ) THEN
            RAISE EXCEPTION 'duplicate key value violates unique constraint "{constraint}"'
                USING ERRCODE = 'unique_violation', CONSTRAINT = '{constraint}',
                      TABLE = '{table}',
                      DETAIL = format('Key ({column})=(%s) already exists.', NEW.{column});
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql"""  # noqa: S608  # nosec B608


def _install_unique_keys(cursor, spec: PartitionedTable) -> None:
    for column in spec.unique_columns:
        keys = keys_table_name(spec.table, column)
        function = f"zhidao_unique_{spec.table}_{column}"
        constraint = _unique_constraint_name(cursor, spec.table, column)
        cursor.execute(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
            "WHERE attrelid = %s::regclass AND attname = %s",
            [spec.table, column],
        )
        (column_type,) = cursor.fetchone()
        cursor.execute(
            f"CREATE TABLE {keys} (value {column_type} PRIMARY KEY, row_id bigint NOT NULL)"
        )
        cursor.execute(
            f"INSERT INTO {keys} (value, row_id) SELECT {column}, id FROM {spec.table} "  # noqa: S608  # nosec B608  # names from PARTITIONED_TABLES
            f"WHERE {column} IS NOT NULL"
        )
        # A row that moves to another year's partition is deleted from one and inserted into
        # the other, with BEFORE DELETE and BEFORE INSERT triggers: its own key (same row id)
        # is taken back, not refused. The error keeps Django's constraint name and SQLSTATE.
        function_sql = _UNIQUE_FUNCTION.format(
            function=function, keys=keys, column=column, constraint=constraint, table=spec.table
        )
        cursor.execute(function_sql)
        cursor.execute(
            f"CREATE TRIGGER {function} BEFORE INSERT OR UPDATE OR DELETE ON {spec.table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
        cursor.execute(
            f"CREATE TRIGGER {function}_truncate BEFORE TRUNCATE ON {spec.table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )


def _remove_unique_keys(cursor, spec: PartitionedTable) -> None:
    for column in spec.unique_columns:
        function = f"zhidao_unique_{spec.table}_{column}"
        cursor.execute(f"DROP TRIGGER IF EXISTS {function} ON {spec.table}")
        cursor.execute(f"DROP TRIGGER IF EXISTS {function}_truncate ON {spec.table}")
        cursor.execute(f"DROP FUNCTION IF EXISTS {function}()")
        cursor.execute(f"DROP TABLE IF EXISTS {keys_table_name(spec.table, column)}")


def fill_unique_keys(cursor) -> int:
    """Key rows for rows written with the triggers off (the province generator's
    session_replication_role = replica); a value already taken fails with unique_violation."""
    added = 0
    for spec in PARTITIONED_TABLES:
        for column in spec.unique_columns:
            if not is_partitioned(cursor, spec.table):
                continue
            keys = keys_table_name(spec.table, column)
            cursor.execute(
                f"INSERT INTO {keys} (value, row_id) SELECT t.{column}, t.id FROM {spec.table} t "  # noqa: S608  # nosec B608  # names from PARTITIONED_TABLES
                f"WHERE t.{column} IS NOT NULL AND NOT EXISTS "
                f"(SELECT 1 FROM {keys} k WHERE k.value = t.{column} AND k.row_id = t.id)"
            )
            added += cursor.rowcount
    return added


# --- conversion (the migrations) -----------------------------------------------------------------


def is_partitioned(cursor, table: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(%s)", [table])
    return cursor.fetchone() is not None


def _run_pending_key_checks(cursor) -> None:
    """Foreign-key checks still pending on rows written earlier in this transaction forbid
    altering or dropping their table: run them now. Django's keys are all INITIALLY DEFERRED,
    so `SET CONSTRAINTS ALL DEFERRED` afterwards restores the transaction's mode."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _replace(cursor, spec: PartitionedTable, *, partitioned: bool) -> None:
    """Re-create `spec.table` (partitioned or plain) from the catalogue and copy its rows."""
    table = spec.table
    shape = _shape(cursor, table)
    _refuse_references(table, shape)
    _run_pending_key_checks(cursor)
    old = f"{table}__old"
    cursor.execute(f"ALTER TABLE {table} RENAME TO {old}")
    by_range = f" PARTITION BY RANGE ({spec.key})" if partitioned else ""
    cursor.execute(
        f"CREATE TABLE {table} (LIKE {old} INCLUDING DEFAULTS INCLUDING STORAGE "
        f"INCLUDING COMMENTS){by_range}"
    )
    if partitioned:
        cursor.execute(f"SELECT DISTINCT {_key_year_sql(spec)} FROM {old}")  # noqa: S608  # nosec B608  # names from PARTITIONED_TABLES
        this_year = timezone.localdate().year
        for year in sorted({row[0] for row in cursor} | {this_year, this_year + 1}):
            cursor.execute(_create_year_sql(spec, year))
        cursor.execute(f"CREATE TABLE {default_partition_name(table)} PARTITION OF {table} DEFAULT")
    cursor.execute(f"INSERT INTO {table} SELECT * FROM {old}")  # noqa: S608  # nosec B608  # names from PARTITIONED_TABLES
    _release_sequence(cursor, old, table)
    # Dropping the old table (and its partitions) drops its identity sequence, indexes,
    # constraints and triggers: their names are free again for the new table.
    cursor.execute(f"DROP TABLE {old}")
    _move_sequence(cursor, table)
    _recreate(
        cursor, table, shape, key=spec.key if partitioned else None, unique=spec.unique_columns
    )
    if partitioned:
        _install_unique_keys(cursor, spec)
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    cursor.execute(f"ANALYZE {table}")


def partition_table(schema_editor, table: str) -> None:
    """Turn the plain `table` into one partitioned by year (a migration's forward step)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        if not is_partitioned(cursor, table):
            _replace(cursor, BY_TABLE[table], partitioned=True)


def unpartition_table(schema_editor, table: str) -> None:
    """Copy the partitioned `table` back into a plain one (the migration's reverse step)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        if is_partitioned(cursor, table):
            _remove_unique_keys(cursor, BY_TABLE[table])
            _replace(cursor, BY_TABLE[table], partitioned=False)


# --- partitions ahead (the periodic task and the management command) ------------------------------


def partitions(cursor, table: str) -> list[Partition]:
    cursor.execute(
        "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid), "
        "coalesce(s.n_live_tup, 0) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid "
        "WHERE i.inhparent = %s::regclass ORDER BY c.relname",
        [table],
    )
    return [Partition(name, bounds, rows) for name, bounds, rows in cursor]


def create_partitions_ahead(
    *, ahead: int = 1, since: int | None = None, today: dt.date | None = None
) -> list[str]:
    """Make sure every partitioned table has a partition for this year and the `ahead` years
    after it (and, with `since`, for every year from `since` on), and one for every year whose
    rows sit in the DEFAULT partition; such rows are moved into their year's partition in the
    same transaction (PostgreSQL refuses a partition while DEFAULT holds rows of its range).
    Idempotent; on SQLite (plain tables) it does nothing. Returns the partitions created."""
    if connection.vendor != "postgresql":
        return []
    year = (today or timezone.localdate()).year
    wanted = set(range(year if since is None else min(since, year), year + ahead + 1))
    created: list[str] = []
    with connection.cursor() as cursor:
        for spec in PARTITIONED_TABLES:
            if not is_partitioned(cursor, spec.table):
                continue
            default = default_partition_name(spec.table)
            cursor.execute(f"SELECT DISTINCT {_key_year_sql(spec)} FROM {default}")  # noqa: S608  # nosec B608  # names from PARTITIONED_TABLES
            stray_years = {row[0] for row in cursor}
            for each in sorted(wanted | stray_years):
                name = partition_name(spec.table, each)
                cursor.execute("SELECT to_regclass(%s)", [name])
                if cursor.fetchone()[0] is not None:
                    continue
                with transaction.atomic():
                    _create_year_moving_default_rows(cursor, spec, each)
                created.append(name)
    return created


def _create_year_moving_default_rows(cursor, spec: PartitionedTable, year: int) -> None:
    default = default_partition_name(spec.table)
    name = partition_name(spec.table, year)
    # Locks the parent against concurrent writers of the year while its rows move.
    cursor.execute(f"LOCK TABLE {spec.table} IN SHARE ROW EXCLUSIVE MODE")
    within = f"{spec.key} >= '{_bound(spec, year)}' AND {spec.key} < '{_bound(spec, year + 1)}'"
    cursor.execute(f"SELECT count(*) FROM {default} WHERE {within}")  # noqa: S608  # nosec B608  # names and bounds from code
    (stray,) = cursor.fetchone()
    if not stray:
        cursor.execute(_create_year_sql(spec, year))
        return
    # Without deleting a row (the audit log's trigger refuses DELETE, and no trigger should
    # see these rows go): DEFAULT is detached, the year's partition created, DEFAULT's rows
    # copied into the year or into a fresh DEFAULT, and the detached table dropped.
    detached = f"{default}__moving"
    _run_pending_key_checks(cursor)
    cursor.execute(f"ALTER TABLE {spec.table} DETACH PARTITION {default}")
    cursor.execute(f"ALTER TABLE {default} RENAME TO {detached}")
    cursor.execute(_create_year_sql(spec, year))
    cursor.execute(f"CREATE TABLE {default} PARTITION OF {spec.table} DEFAULT")
    cursor.execute(f"INSERT INTO {name} SELECT * FROM {detached} WHERE {within}")  # noqa: S608  # nosec B608  # names and bounds from code
    cursor.execute(f"INSERT INTO {default} SELECT * FROM {detached} WHERE NOT ({within})")  # noqa: S608  # nosec B608  # names and bounds from code
    cursor.execute(f"DROP TABLE {detached}")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def describe() -> dict[str, list[Partition]]:
    """Every partitioned table and its partitions (empty on SQLite)."""
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        return {
            spec.table: partitions(cursor, spec.table)
            for spec in PARTITIONED_TABLES
            if is_partitioned(cursor, spec.table)
        }
