"""After the retention (at least 180 days) the audit log goes to an archive file, with its chain
links, and only then out of the database; the chain goes on verifying from the archive."""

import gzip
import json
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from tests.factories import OrganizationFactory, UserFactory
from zhidao.audit import chain
from zhidao.audit.archive import ArchiveRefused, archive_before, read_archive, verify_archive_file
from zhidao.audit.models import AccessEvent, AccessEventKind, AuditArchive, ChainHead, ChainLink


@pytest.fixture
def user(db):
    return UserFactory(username="zhouba")


@pytest.fixture
def sealed(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            AccessEvent.objects.create(kind=AccessEventKind.LOGIN, user=user, username="zhouba")
        OrganizationFactory(name="甲公司")
    chain.seal_pending()  # the user's own entries, created before the fixture committed anything
    return LogEntry.objects.count(), AccessEvent.objects.count()


def later(days: int):
    return timezone.now() + timedelta(days=days)


def test_records_past_the_retention_go_to_a_file_then_out_of_the_database(sealed, tmp_path):
    entries, events = sealed
    last = ChainLink.objects.order_by("seq").last()

    result = archive_before(now=later(181), directory=tmp_path)

    assert result.count == entries + events
    assert (LogEntry.objects.count(), AccessEvent.objects.count(), ChainLink.objects.count()) == (
        0,
        0,
        0,
    )
    archive = AuditArchive.objects.get()
    assert (archive.first_seq, archive.last_seq, archive.last_hash) == (1, last.seq, last.hash)
    assert (archive.log_entries, archive.access_events) == (entries, events)
    header, lines = read_archive(result.path)
    assert header["count"] == len(lines) == entries + events
    assert [line["link"]["seq"] for line in lines] == list(range(1, last.seq + 1))
    assert {
        line["record"]["fields"]["username"]
        for line in lines
        if line["record"]["type"] == "accessevent"
    } == {"zhouba"}
    assert verify_archive_file(result.path) == ""
    call_command("verify_audit_log", archive=result.path)


def test_the_chain_continues_from_the_archive(
    sealed, tmp_path, user, django_capture_on_commit_callbacks
):
    archive_before(now=later(181), directory=tmp_path)
    archive = AuditArchive.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        event = AccessEvent.objects.create(kind=AccessEventKind.LOGOUT, user=user)

    link = ChainLink.objects.get(record_id=event.pk, record_type="accessevent")
    assert (link.seq, link.prev_hash) == (archive.last_seq + 1, archive.last_hash)
    result = chain.verify()
    assert result.ok and result.checked == 1
    assert ChainHead.objects.get().seq == link.seq


def test_nothing_younger_than_the_retention_is_archived(sealed, tmp_path):
    entries, events = sealed

    result = archive_before(now=later(179), directory=tmp_path)

    assert result.archive is None
    assert (LogEntry.objects.count(), AccessEvent.objects.count()) == (entries, events)
    assert list(tmp_path.iterdir()) == []


def test_a_retention_below_180_days_is_refused(sealed, tmp_path):
    with pytest.raises(ArchiveRefused, match="at least 180 days"):
        archive_before(days=90, now=later(365), directory=tmp_path)
    with pytest.raises(CommandError, match="at least 180 days"):
        call_command("archive_audit_log", days=179, dir=tmp_path)
    assert AccessEvent.objects.count() == sealed[1]


def test_a_broken_chain_is_not_archived(sealed, tmp_path):
    event = AccessEvent.objects.order_by("pk").first()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL zhidao.audit_archive = 'on'")
        cursor.execute("UPDATE audit_accessevent SET username = 'x' WHERE id = %s", [event.pk])
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL zhidao.audit_archive = 'off'")

    with pytest.raises(ArchiveRefused, match="broken at #1"):
        archive_before(now=later(181), directory=tmp_path)
    assert AccessEvent.objects.count() == sealed[1]
    assert list(tmp_path.iterdir()) == []


def test_a_changed_archive_file_does_not_verify(sealed, tmp_path):
    path = archive_before(now=later(181), directory=tmp_path).path
    header, lines = read_archive(path)
    lines[0]["record"]["fields"]["username"] = "someone-else"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for line in [header, *lines]:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")

    assert verify_archive_file(path) == "#1: does not match its hash"
    with pytest.raises(CommandError, match="#1"):
        call_command("verify_audit_log", archive=path)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_after_archiving_the_trigger_guards_again(sealed, tmp_path, user):
    archive_before(now=later(181), directory=tmp_path)
    event = AccessEvent.objects.create(kind=AccessEventKind.LOGOUT, user=user)

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_accessevent WHERE id = %s", [event.pk])
