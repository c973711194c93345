"""Bulk writes for the province-tier generator: COPY on PostgreSQL, executemany elsewhere.

The generator makes millions of rows; `Model.save()`, `bulk_create` with RETURNING and the
signals (django-auditlog's entries, the figures' refresh on commit) would cost it the 15 minutes
PERFORMANCE.md allows. So rows are written as plain rows:

- primary keys are handed out here (from the table's current maximum), so that rows can point at
  each other before they are written (a work record at its on-site day) without RETURNING; the
  sequences are moved past them at the end (`finish`);
- every concrete column is written from the instance's attribute through the field's own
  `get_db_prep_save` where the value needs converting (encrypted fields, and on SQLite every
  type), so the stored values are those the ORM would store;
- `auto_now` / `auto_now_add` timestamps are taken from the instance when it has them (history
  keeps its own dates) and are "now" otherwise.

What the skipped services and signals would have done, the generator does itself: it fills the
pinyin initials, keeps the domain rules (see province.py) and rebuilds the summary rows once at
the end. Instances are buffered and flushed in chunks, so memory stays bounded by the chunk.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from django.core.management.color import no_style
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.utils import timezone

from zhidao.core import partitions
from zhidao.core.crypto import EncryptedCharField

CHUNK = 20_000
M = TypeVar("M", bound=models.Model)


class BulkWriter:
    def __init__(self, *, chunk: int = CHUNK):
        self.chunk = chunk
        self.postgres = connection.vendor == "postgresql"
        self.now = timezone.now()
        self._next_id: dict[type[models.Model], int] = {}
        self._buffers: dict[type[models.Model], list[list]] = {}
        self._plans: dict[type[models.Model], _Plan] = {}
        self.written: dict[type[models.Model], int] = {}
        self.checks_skipped = False

    def skip_row_checks(self) -> bool:
        """On PostgreSQL, stop checking foreign keys row by row until `finish`, which checks
        them set-based instead.

        Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: each row written queues one
        check per key, run at COMMIT — for the province tier some ten million single-row
        lookups, which take longer than writing the rows. `session_replication_role = replica`
        (a superuser's setting) skips them, and `finish` then checks every key of every table
        written with one anti-join each. It also skips the triggers that fill the partitioned
        history's client_uuid key tables (core/partitions.py), which `finish` fills set-based.
        Without the privilege nothing changes: the checks run at COMMIT as usual."""
        if not self.postgres:
            return False
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        except DatabaseError:
            return False
        self.checks_skipped = True
        return True

    def next_id(self, model: type[models.Model]) -> int:
        """A fresh primary key for a row of `model` that this writer will write."""
        if model not in self._next_id:
            last = model._base_manager.aggregate(last=models.Max("pk"))["last"] or 0
            self._next_id[model] = last + 1
        pk = self._next_id[model]
        self._next_id[model] = pk + 1
        return pk

    def add(self, obj: M) -> M:
        """Queue the unsaved instance `obj` (given a pk if it has none)."""
        model = type(obj)
        if obj.pk is None:
            obj.pk = self.next_id(model)
        plan = self._plan(model)
        row = [getattr(obj, attname) for attname in plan.attnames]
        for index in plan.stamped:
            if row[index] is None:
                row[index] = self.now
        self._queue(model, row)
        return obj

    def add_row(self, model: type[models.Model], values: dict) -> int:
        """Queue a row given as {attname: value}: the other columns get the fields' defaults.
        Cheaper than an instance (no __init__, no init signals) for the millions of history
        rows. Returns the row's pk."""
        plan = self._plan(model)
        row = plan.template[:]
        for index, make in plan.per_row_defaults:
            row[index] = make()
        position = plan.position
        for attname, value in values.items():
            row[position[attname]] = value
        if row[plan.pk_index] is None:
            row[plan.pk_index] = self.next_id(model)
        self._queue(model, row)
        return row[plan.pk_index]

    def flush(self, model: type[models.Model] | None = None) -> None:
        """Write the queued rows (of `model`, or of every model)."""
        for each in [model] if model else list(self._buffers):
            rows = self._buffers.get(each)
            if rows:
                self._write(each, rows)
                self._buffers[each] = []

    def finish(
        self, also_check: Sequence[type[models.Model]] = ()
    ) -> dict[type[models.Model], int]:
        """Flush everything, move the id sequences past the rows written and check the
        foreign keys of the tables written (and of `also_check`) if `skip_row_checks` did not."""
        self.flush()
        statements = connection.ops.sequence_reset_sql(no_style(), list(self._next_id))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
            if self.checks_skipped:
                self._check_foreign_keys(cursor, [*self.written, *also_check])
                # The key tables of the partitioned history (client_uuid unique across years)
                # are filled by triggers, which replica mode skipped too.
                partitions.fill_unique_keys(cursor)
                cursor.execute("SET LOCAL session_replication_role = DEFAULT")
                self.checks_skipped = False
        return self.written

    def _check_foreign_keys(self, cursor, tables: list[type[models.Model]]) -> None:
        """Every key of every row points at a row (what the skipped checks ensure)."""
        quote = connection.ops.quote_name
        for model in dict.fromkeys(tables):
            for field in model._meta.concrete_fields:
                # Keys without a database constraint (those at the partitioned history tables)
                # are checked too: no constraint checks them at COMMIT either.
                if not isinstance(field, models.ForeignKey):
                    continue
                target = field.target_field
                child, parent = quote(model._meta.db_table), quote(target.model._meta.db_table)
                column, key = quote(str(field.column)), quote(str(target.column))
                cursor.execute(
                    # Names come from the models, quoted: no outside input.
                    f"SELECT count(*) FROM {child} c WHERE c.{column} IS NOT NULL AND NOT EXISTS "  # noqa: S608  # nosec B608  # quoted model names, no outside input
                    f"(SELECT 1 FROM {parent} p WHERE p.{key} = c.{column})"
                )
                (orphans,) = cursor.fetchone()
                if orphans:
                    raise IntegrityError(
                        f"{orphans} rows of {model._meta.label} point at no {field.name}."
                    )

    # --- internals ------------------------------------------------------------------------

    def _queue(self, model: type[models.Model], row: list) -> None:
        buffer = self._buffers.setdefault(model, [])
        buffer.append(row)
        if len(buffer) >= self.chunk:
            self.flush(model)

    def _plan(self, model: type[models.Model]) -> _Plan:
        plan = self._plans.get(model)
        if plan is None:
            plan = self._plans[model] = _Plan(model, postgres=self.postgres, now=self.now)
        return plan

    def _write(self, model: type[models.Model], rows: list[list]) -> None:
        plan = self._plan(model)
        converters = plan.converters
        if converters:
            for row in rows:
                for index, convert in converters:
                    row[index] = convert(row[index])
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(column) for column in plan.columns)
        with connection.cursor() as cursor:
            if self.postgres:
                raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
                with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(plan.columns))
                # Table and columns come from the model, quoted: no outside input.
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608  # nosec B608  # quoted model names, %s values
        self.written[model] = self.written.get(model, 0) + len(rows)


class _Plan:
    """How the rows of one model are laid out and converted."""

    def __init__(self, model: type[models.Model], *, postgres: bool, now):
        fields = list(model._meta.concrete_fields)
        self.columns = [str(field.column) for field in fields]
        self.attnames = [field.attname for field in fields]
        self.position = {attname: index for index, attname in enumerate(self.attnames)}
        self.pk_index = self.position[model._meta.pk.attname]
        self.template: list = []
        self.per_row_defaults: list[tuple[int, Callable]] = []
        self.converters: list[tuple[int, Callable]] = []
        self.stamped: list[int] = []
        for index, field in enumerate(fields):
            stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            if field.primary_key:
                self.template.append(None)
            elif stamped:
                self.template.append(now)
                self.stamped.append(index)
            elif field.has_default() and callable(field.default):
                self.template.append(None)
                self.per_row_defaults.append((index, field.get_default))
            else:
                self.template.append(field.get_default())
            # psycopg adapts dates, datetimes, decimals, UUIDs and booleans natively; the
            # encrypted fields encrypt in get_db_prep_save, and SQLite needs Django's adapters.
            if not postgres or isinstance(field, EncryptedCharField | models.JSONField):
                self.converters.append((index, _converter(field, now if stamped else None)))


def _converter(field: models.Field, stamp) -> Callable:
    def convert(value):
        if value is None and stamp is not None:
            value = stamp
        return field.get_db_prep_save(value, connection)

    return convert
