"""The history tables partitioned by year on PostgreSQL (zhidao/core/partitions.py, fieldwork
0006, audit 0008): the partitions, the task that makes them ahead, pruning, and the guarantees
the plain tables gave (client_uuid unique, the audit log append-only, deletes that cascade).

The PostgreSQL tests run on PostgreSQL only (CI runs the suite there too); the behaviour both
engines share runs on both."""

import json
import uuid
from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from zhidao.celery import app
from zhidao.core import partitions
from zhidao.core.tasks import create_partitions_ahead
from zhidao.fieldwork.models import (
    ConfirmationCode,
    Duty,
    OnSiteDay,
    OnSiteDayPhoto,
    WorkRecord,
    WorkRecordAttachment,
)
from zhidao.fieldwork.onsite.selectors import on_site_day_export, on_site_day_list
from zhidao.fieldwork.records.selectors import work_record_list

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="partitions exist on PostgreSQL only"
)
SHANGHAI = ZoneInfo("Asia/Shanghai")
TABLES = ["fieldwork_onsiteday", "fieldwork_workrecord", "auditlog_logentry"]


def make_day(world, on: date, *, client_uuid=None, side="mine") -> OnSiteDay:
    assignment = world[side]["assignment"]
    return OnSiteDay.objects.create(
        client_uuid=client_uuid or uuid.uuid4(),
        assignment=assignment,
        organization=world[side]["organization"],
        instructor=assignment.instructor,
        on_date=on,
        checked_in_at=datetime(on.year, on.month, on.day, 9, tzinfo=SHANGHAI),
    )


def make_record(world, on: date, *, client_uuid=None, day=None) -> WorkRecord:
    assignment = world["mine"]["assignment"]
    return WorkRecord.objects.create(
        client_uuid=client_uuid or uuid.uuid4(),
        assignment=assignment,
        organization=world["mine"]["organization"],
        instructor=assignment.instructor,
        on_site_day=day,
        duty=Duty.GUIDANCE,
        worked_on=on,
        content="指导建立职代会制度",
        recorded_on=on,
    )


def partition_of(table: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def relations_read(queryset) -> set[str]:
    """The tables (partitions) a query's plan reads, from EXPLAIN (FORMAT JSON)."""
    plan = json.loads(queryset.explain(format="json"))
    found: set[str] = set()

    def walk(node):
        if "Relation Name" in node:
            found.add(node["Relation Name"])
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    return found


# ----- the partitions -----


@postgres_only
@pytest.mark.django_db
def test_the_three_history_tables_are_partitioned_by_range_of_their_date():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT partrelid::regclass::text, partstrat, a.attname FROM pg_partitioned_table p "
            "JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0] "
            "ORDER BY 1"
        )
        rows = cursor.fetchall()
    assert rows == [
        ("auditlog_logentry", "r", "timestamp"),
        ("fieldwork_onsiteday", "r", "on_date"),
        ("fieldwork_workrecord", "r", "worked_on"),
    ]


@postgres_only
@pytest.mark.django_db
def test_this_year_next_year_and_a_default_partition_exist_after_migrating():
    # The test database was migrated today (real time): the migration made these.
    year = date.today().year
    for table in TABLES:
        with connection.cursor() as cursor:
            names = {part.name for part in partitions.partitions(cursor, table)}
        assert {f"{table}_y{year}", f"{table}_y{year + 1}", f"{table}_default"} <= names


@postgres_only
@pytest.mark.django_db
def test_the_audit_log_years_start_at_midnight_in_shanghai():
    year = date.today().year
    with connection.cursor() as cursor:
        bounds = {p.name: p.bounds for p in partitions.partitions(cursor, "auditlog_logentry")}
    assert bounds[f"auditlog_logentry_y{year}"] == (
        f"FOR VALUES FROM ('{year - 1}-12-31 16:00:00+00') TO ('{year}-12-31 16:00:00+00')"
    )


@postgres_only
@pytest.mark.django_db
def test_the_task_makes_next_years_partitions_after_a_clock_move_and_only_once():
    created = create_partitions_ahead(today="2040-06-01")
    assert sorted(created) == sorted(
        [f"{table}_y{year}" for table in TABLES for year in (2040, 2041)]
    )
    assert create_partitions_ahead(today="2040-06-01") == []
    assert create_partitions_ahead(today="2040-12-31") == []
    assert create_partitions_ahead(today="2041-01-01") == [f"{table}_y2042" for table in TABLES]


@postgres_only
def test_rows_in_the_default_partition_move_into_their_new_year(world):
    day = make_day(world, date(2035, 5, 6))
    record = make_record(world, date(2035, 5, 7), day=day)
    entry = LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(OnSiteDay),
        object_pk=str(day.pk),
        object_repr="day",
        action=LogEntry.Action.CREATE,
        timestamp=datetime(2035, 1, 1, 0, 30, tzinfo=SHANGHAI),  # 2034-12-31 16:30 UTC
    )
    stays = make_day(world, date(2036, 2, 2))
    assert partition_of("fieldwork_onsiteday", day.pk) == "fieldwork_onsiteday_default"

    created = partitions.create_partitions_ahead(ahead=0, today=date(2035, 3, 1))

    assert set(created) == {f"{table}_y2035" for table in TABLES} | {
        "fieldwork_onsiteday_y2036"  # a year found in DEFAULT gets its partition too
    }
    assert partition_of("fieldwork_onsiteday", day.pk) == "fieldwork_onsiteday_y2035"
    assert partition_of("fieldwork_onsiteday", stays.pk) == "fieldwork_onsiteday_y2036"
    assert partition_of("fieldwork_workrecord", record.pk) == "fieldwork_workrecord_y2035"
    assert partition_of("auditlog_logentry", entry.pk) == "auditlog_logentry_y2035"
    assert OnSiteDay.objects.unscoped().filter(pk__in=[day.pk, stays.pk]).count() == 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM fieldwork_onsiteday_default")
        assert cursor.fetchone()[0] == 0
    # The moved day's client_uuid is still taken.
    with pytest.raises(IntegrityError), transaction.atomic():
        make_day(world, date(2026, 3, 2), client_uuid=day.client_uuid, side="other")


# ----- pruning -----


@postgres_only
def test_the_term_day_list_and_record_list_read_only_the_terms_partitions(world):
    this_year = date.today().year
    partitions.create_partitions_ahead(since=this_year - 2)
    for year in (this_year - 2, this_year - 1, this_year):
        day = make_day(world, date(year, 3, 4))
        make_record(world, date(year, 3, 4), day=day)
    user = world["mine"]["instructor_user"]
    term_from, term_to = date(this_year, 3, 1), date(this_year + 1, 2, 28)

    days = on_site_day_list(user).filter(on_date__gte=term_from, on_date__lte=term_to)
    records = work_record_list(user).filter(worked_on__gte=term_from, worked_on__lte=term_to)

    day_tables = {name for name in relations_read(days) if name.startswith("fieldwork_onsiteday")}
    record_tables = {
        name for name in relations_read(records) if name.startswith("fieldwork_workrecord")
    }
    assert day_tables == {
        f"fieldwork_onsiteday_y{this_year}",
        f"fieldwork_onsiteday_y{this_year + 1}",
    }
    assert record_tables == {
        f"fieldwork_workrecord_y{this_year}",
        f"fieldwork_workrecord_y{this_year + 1}",
    }
    assert [day.on_date for day in days] == [date(this_year, 3, 4)]
    assert [record.worked_on for record in records] == [date(this_year, 3, 4)]


# ----- the guarantees of the plain tables -----


@postgres_only
def test_a_client_uuid_is_refused_again_in_another_year(world):
    key = uuid.uuid4()
    make_day(world, date(2026, 3, 2), client_uuid=key)
    refused = pytest.raises(IntegrityError, match="fieldwork_onsiteday_client_uuid_key")
    with refused, transaction.atomic():
        make_day(world, date(2025, 3, 3), client_uuid=key)
    record_key = uuid.uuid4()
    make_record(world, date(2026, 3, 2), client_uuid=record_key)
    refused = pytest.raises(IntegrityError, match="fieldwork_workrecord_client_uuid_key")
    with refused, transaction.atomic():
        make_record(world, date(2025, 3, 3), client_uuid=record_key)
    assert OnSiteDay.objects.unscoped().filter(client_uuid=key).count() == 1


@postgres_only
def test_a_day_moved_to_another_year_keeps_its_key_and_a_deleted_day_frees_it(world):
    key = uuid.uuid4()
    day = make_day(world, date(2026, 3, 2), client_uuid=key)
    day.on_date = date(2025, 12, 30)  # crosses into last year's partition
    day.save()
    assert partition_of("fieldwork_onsiteday", day.pk) == "fieldwork_onsiteday_default"
    with pytest.raises(IntegrityError), transaction.atomic():
        make_day(world, date(2026, 3, 9), client_uuid=key, side="other")
    day.delete()
    again = make_day(world, date(2026, 3, 9), client_uuid=key)
    assert again.client_uuid == key


@postgres_only
def test_a_partition_of_the_audit_log_still_refuses_update_and_delete(world):
    entry = LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(OnSiteDay),
        object_pk="1",
        object_repr="day",
        action=LogEntry.Action.CREATE,
    )
    partition = partition_of("auditlog_logentry", entry.pk)
    assert partition.startswith("auditlog_logentry_y")
    for statement in (
        f"UPDATE {partition} SET object_repr = 'x' WHERE id = %s",
        f"DELETE FROM {partition} WHERE id = %s",
        "DELETE FROM auditlog_logentry WHERE id = %s",
    ):
        refused = pytest.raises(DatabaseError, match="append-only")
        with refused, transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [entry.pk])
    assert LogEntry.objects.filter(pk=entry.pk).exists()


@postgres_only
def test_the_id_sequences_are_the_columns_own(db):
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            assert cursor.fetchone()[0] == f"public.{table}_id_seq"


def test_deleting_a_day_deletes_its_photos_and_unlinks_its_records_and_codes(world):
    day = make_day(world, date(2026, 3, 2))
    photo = OnSiteDayPhoto.objects.create(day=day, image="fieldwork/x.jpg")
    record = make_record(world, date(2026, 3, 2), day=day)
    attachment = WorkRecordAttachment.objects.create(
        record=record, file="fieldwork/a.pdf", original_name="a.pdf"
    )
    code = ConfirmationCode.objects.create(
        union=world["mine"]["union"],
        code="123456",
        issued_by=world["mine"]["officer"],
        expires_at=day.checked_in_at + timedelta(hours=1),
        used_for=day,
    )

    day.delete()

    assert not OnSiteDayPhoto.objects.filter(pk=photo.pk).exists()
    record.refresh_from_db()
    code.refresh_from_db()
    assert record.on_site_day_id is None
    assert code.used_for_id is None
    record.delete()
    assert not WorkRecordAttachment.objects.filter(pk=attachment.pk).exists()


def test_the_partitions_command_lists_the_partitions_or_says_there_is_nothing_to_do(db):
    out = StringIO()
    call_command("partitions", "--ahead", "1", stdout=out)
    if connection.vendor == "postgresql":
        assert f"fieldwork_workrecord_y{date.today().year + 1}" in out.getvalue()
        assert "auditlog_logentry_default" in out.getvalue()
    else:
        assert "nothing to do" in out.getvalue()
        assert create_partitions_ahead(today="2040-01-01") == []


def test_a_day_list_with_photo_counts_groups_by_the_whole_row(world):
    # On PostgreSQL the table's primary key is (id, on_date): a GROUP BY id alone is refused
    # there, so the backend (zhidao/core/postgresql) groups these models by every column.
    day = make_day(world, date(2026, 3, 2))
    for name in ("a", "b"):
        OnSiteDayPhoto.objects.create(day=day, image=f"fieldwork/{name}.jpg")
    make_day(world, date(2026, 3, 9))
    rows = on_site_day_export(world["mine"]["instructor_user"])
    assert sorted(row.photo_count for row in rows) == [0, 2]


def test_beat_runs_the_registered_partitions_task_every_month(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["core-create-partitions-ahead"]
    assert entry["task"] in app.tasks
    assert app.tasks[entry["task"]].run is create_partitions_ahead.run
    assert entry["schedule"].day_of_month == {1}


# ----- the migration's conversion, both ways -----


def key_count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}_client_uuid_keys")  # noqa: S608
        return cursor.fetchone()[0]


@postgres_only
def test_the_conversion_back_to_a_plain_table_and_forward_again_keeps_every_row(world):
    kept = {make_record(world, date(year, 5, 6)).pk for year in (2026, 2031)}
    with connection.schema_editor() as editor:
        partitions.unpartition_table(editor, "fieldwork_workrecord")
    with connection.cursor() as cursor:
        assert not partitions.is_partitioned(cursor, "fieldwork_workrecord")
        cursor.execute("SELECT to_regclass('fieldwork_workrecord_client_uuid_keys')")
        assert cursor.fetchone()[0] is None
    assert set(WorkRecord.objects.unscoped().values_list("pk", flat=True)) == kept
    plain = make_record(world, date(2026, 5, 7))  # the sequence goes on from max(id)
    assert plain.pk > max(kept)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_record(world, date(2027, 1, 1), client_uuid=plain.client_uuid)

    with connection.schema_editor() as editor:
        partitions.partition_table(editor, "fieldwork_workrecord")

    assert partition_of("fieldwork_workrecord", plain.pk) == f"fieldwork_workrecord_y{2026}"
    assert WorkRecord.objects.unscoped().count() == 3
    assert key_count("fieldwork_workrecord") == 3
    with pytest.raises(IntegrityError), transaction.atomic():
        make_record(world, date(2027, 1, 1), client_uuid=plain.client_uuid)


@postgres_only
def test_rows_written_with_the_triggers_off_get_their_keys_filled(world):
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            pytest.skip("replica mode (the province generator's) needs a superuser")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        day = make_day(world, date(2026, 3, 2))
        # SET LOCAL outlives a savepoint: back to normal, as BulkWriter.finish does.
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    assert key_count("fieldwork_onsiteday") == 0
    with connection.cursor() as cursor:
        assert partitions.fill_unique_keys(cursor) == 1
        assert partitions.fill_unique_keys(cursor) == 0
    with pytest.raises(IntegrityError), transaction.atomic():
        make_day(world, date(2025, 3, 3), client_uuid=day.client_uuid)
