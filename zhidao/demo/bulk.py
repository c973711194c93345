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

from collections.abc import Callable, Iterable

from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

from zhidao.core.crypto import EncryptedCharField

CHUNK = 20_000


class BulkWriter:
    def __init__(self, *, chunk: int = CHUNK):
        self.chunk = chunk
        self.postgres = connection.vendor == "postgresql"
        self.now = timezone.now()
        self._next_id: dict[type[models.Model], int] = {}
        self._buffers: dict[type[models.Model], list[models.Model]] = {}
        self._columns: dict[type[models.Model], tuple[list[str], list[Callable]]] = {}
        self.written: dict[type[models.Model], int] = {}

    def next_id(self, model: type[models.Model]) -> int:
        """A fresh primary key for a row of `model` that this writer will write."""
        if model not in self._next_id:
            last = model._base_manager.aggregate(last=models.Max("pk"))["last"] or 0
            self._next_id[model] = last + 1
        pk = self._next_id[model]
        self._next_id[model] = pk + 1
        return pk

    def add(self, obj: models.Model) -> models.Model:
        """Queue `obj` (its pk set by `next_id` if it has none); written with the next flush."""
        model = type(obj)
        if obj.pk is None:
            obj.pk = self.next_id(model)
        buffer = self._buffers.setdefault(model, [])
        buffer.append(obj)
        if len(buffer) >= self.chunk:
            self.flush(model)
        return obj

    def add_all(self, objs: Iterable[models.Model]) -> None:
        for obj in objs:
            self.add(obj)

    def flush(self, model: type[models.Model] | None = None) -> None:
        """Write the queued rows (of `model`, or of every model in the order first queued:
        parents are queued before their children)."""
        for each in [model] if model else list(self._buffers):
            rows = self._buffers.get(each)
            if rows:
                self._write(each, rows)
                self._buffers[each] = []

    def finish(self) -> dict[type[models.Model], int]:
        """Flush everything and move the id sequences past the rows written."""
        self.flush()
        statements = connection.ops.sequence_reset_sql(no_style(), list(self._next_id))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
        return self.written

    # --- internals ------------------------------------------------------------------------

    def _plan(self, model: type[models.Model]) -> tuple[list[str], list[Callable]]:
        if model not in self._columns:
            fields = list(model._meta.concrete_fields)
            getters = [self._getter(field) for field in fields]
            self._columns[model] = ([f.column for f in fields], getters)
        return self._columns[model]

    def _getter(self, field: models.Field) -> Callable:
        attname = field.attname
        stamped = isinstance(field, models.DateField) and (
            getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        )
        now = self.now
        if self.postgres and not isinstance(field, EncryptedCharField | models.JSONField):
            # psycopg adapts dates, datetimes, decimals, UUIDs and booleans natively.
            if stamped:
                return lambda obj: getattr(obj, attname) or now
            return lambda obj: getattr(obj, attname)

        def prepared(obj):
            value = getattr(obj, attname)
            if stamped and value is None:
                value = now
            return field.get_db_prep_save(value, connection)

        return prepared

    def _write(self, model: type[models.Model], rows: list[models.Model]) -> None:
        columns, getters = self._plan(model)
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(column) for column in columns)
        with connection.cursor() as cursor:
            if self.postgres:
                raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
                with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for obj in rows:
                        copy.write_row([getter(obj) for getter in getters])
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    # Table and columns come from the model, quoted: no outside input.
                    f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608
                    [[getter(obj) for getter in getters] for obj in rows],
                )
        self.written[model] = self.written.get(model, 0) + len(rows)
