"""On PostgreSQL the audit tables refuse UPDATE and DELETE, whoever sends them (migration 0005).

These run only on PostgreSQL (CI runs the suite there too); SQLite has no such trigger."""

import pytest
from auditlog.models import LogEntry
from django.db import DatabaseError, connection, transaction

from tests.factories import OrganizationFactory, UserFactory
from zhidao.audit import chain
from zhidao.audit.models import AccessEvent, AccessEventKind, ChainHead, ChainLink

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


def sql(statement: str, params=(), *, archive_switch: bool = False) -> int:
    with transaction.atomic(), connection.cursor() as cursor:
        if archive_switch:
            cursor.execute("SET LOCAL zhidao.audit_archive = 'on'")
        cursor.execute(statement, params)
        count = cursor.rowcount
        if archive_switch:
            # SET LOCAL outlives a savepoint: off again, as the archive command does.
            cursor.execute("SET LOCAL zhidao.audit_archive = 'off'")
        return count


@pytest.fixture
def entry(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        OrganizationFactory(name="甲公司")
    return LogEntry.objects.order_by("pk").last()


@pytest.fixture
def event(db):
    user = UserFactory(username="zhouba")
    return AccessEvent.objects.create(kind=AccessEventKind.LOGIN, user=user, username="zhouba")


def test_an_update_of_the_change_log_is_refused_by_postgresql(entry):
    with pytest.raises(DatabaseError, match="append-only"):
        sql("UPDATE auditlog_logentry SET object_repr = %s WHERE id = %s", ["乙公司", entry.pk])
    entry.refresh_from_db()
    assert entry.object_repr == "甲公司"


def test_a_delete_from_the_change_log_is_refused(entry):
    with pytest.raises(DatabaseError, match="append-only"):
        sql("DELETE FROM auditlog_logentry WHERE id = %s", [entry.pk])
    # Also through the ORM, which auditlog's own model does not forbid.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).delete()
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_access_events_refuse_update_and_delete_in_the_database(event):
    with pytest.raises(DatabaseError, match="append-only"):
        sql("UPDATE audit_accessevent SET username = 'x' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        sql("DELETE FROM audit_accessevent WHERE id = %s", [event.pk])


def test_the_chain_links_cannot_be_rewritten(entry):
    link = ChainLink.objects.get(record_type="logentry", record_id=entry.pk)
    with pytest.raises(DatabaseError, match="append-only"):
        sql("UPDATE audit_chainlink SET hash = 'x' WHERE id = %s", [link.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        sql("DELETE FROM audit_chainlink WHERE id = %s", [link.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        sql("DELETE FROM audit_chainhead")
    assert ChainHead.objects.get().seq == link.seq


def test_only_the_actor_may_be_set_to_null_when_an_account_goes(event):
    other = UserFactory(username="lisi")
    with pytest.raises(DatabaseError, match="append-only"):
        sql("UPDATE audit_accessevent SET user_id = %s WHERE id = %s", [other.pk, event.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        sql("UPDATE audit_accessevent SET user_id = NULL, username = 'x' WHERE id = %s", [event.pk])
    assert sql("UPDATE audit_accessevent SET user_id = NULL WHERE id = %s", [event.pk]) == 1


def test_the_archive_switch_is_the_documented_way_round(entry):
    deleted = sql("DELETE FROM auditlog_logentry WHERE id = %s", [entry.pk], archive_switch=True)

    assert deleted == 1
    with pytest.raises(DatabaseError, match="append-only"):
        sql("DELETE FROM audit_chainlink")
    assert "deleted" in chain.verify().first_break.reason


def test_the_switch_is_for_the_archiver_role_once_that_role_exists(entry):
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("CREATE ROLE zhidao_audit_archiver NOLOGIN")
            cursor.execute("CREATE ROLE zhidao_app_test NOLOGIN")
            cursor.execute(
                "GRANT SELECT, INSERT, UPDATE, DELETE ON auditlog_logentry TO zhidao_app_test"
            )
            cursor.execute("SET LOCAL ROLE zhidao_app_test")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            sql("DELETE FROM auditlog_logentry WHERE id = %s", [entry.pk], archive_switch=True)
        # Roles are cluster-wide: the outer transaction is rolled back below, with them.
        transaction.set_rollback(True)
    assert LogEntry.objects.filter(pk=entry.pk).exists()
