"""The audit log's hash chain: every record is sealed after its commit, and the verifier names
the first record changed, deleted or dropped from the chain behind the application's back."""

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from tests.factories import OrganizationFactory, UserFactory
from zhidao.audit import chain
from zhidao.audit.models import AccessEvent, AccessEventKind, ChainHead, ChainLink
from zhidao.orgs import services as org_services


def raw(sql: str, params=()) -> None:
    """A write behind the application's back, through the maintenance switch on PostgreSQL
    (whose trigger would refuse it otherwise: test_trigger.py)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL zhidao.audit_archive = 'on'")
        cursor.execute(sql, params)


@pytest.fixture
def user(db):
    return UserFactory(username="zhouba")


@pytest.fixture
def records(user, django_capture_on_commit_callbacks):
    """Three access events, then the change-log entries of an organization created and renamed
    twice, each sealed on commit."""
    before = set(LogEntry.objects.values_list("pk", flat=True))  # the user's, not committed
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            AccessEvent.objects.create(kind=AccessEventKind.LOGIN, user=user, username="zhouba")
        organization = OrganizationFactory(name="甲公司")
        with set_actor(user, remote_addr="10.1.0.1"):
            org_services.update_organization(organization=organization, name="乙公司")
            org_services.update_organization(organization=organization, name="丙公司")
    return LogEntry.objects.exclude(pk__in=before).count()


def test_each_record_is_sealed_once_in_commit_order(records):
    entries = records
    assert entries >= 3  # the organization's creation and its two renames
    links = list(ChainLink.objects.order_by("seq"))

    assert [link.seq for link in links] == list(range(1, 3 + entries + 1))
    assert [link.record_type for link in links[:3]] == ["accessevent"] * 3
    assert {link.record_type for link in links[3:]} == {"logentry"}
    assert all(b.prev_hash == a.hash for a, b in zip(links, links[1:], strict=False))
    head = ChainHead.objects.get()
    assert (head.seq, head.hash) == (links[-1].seq, links[-1].hash)


def test_a_record_is_sealed_only_after_its_transaction_commits(user):
    with transaction.atomic():
        event = AccessEvent.objects.create(kind=AccessEventKind.LOGIN, user=user)
        assert not ChainLink.objects.filter(record_id=event.pk).exists()
    # The test's own transaction never commits: the seal waits, and the record shows as unsealed.
    assert chain.unsealed(chain.ACCESS_EVENT).filter(pk=event.pk).exists()


def test_sealing_twice_adds_nothing(records):
    count = ChainLink.objects.count()
    assert chain.seal(chain.ACCESS_EVENT, AccessEvent.objects.values_list("pk", flat=True)) == 0
    # The user's creation (the fixture's, never committed) is the only one pending.
    pending = LogEntry.objects.count() - records
    assert pending > 0
    assert chain.seal_pending() == pending
    assert chain.seal_pending() == 0
    assert ChainLink.objects.count() == count + pending
    assert chain.verify().ok


def test_the_verifier_passes_an_untouched_chain(records):
    result = chain.verify()

    assert result.ok
    assert result.checked == 3 + records
    call_command("verify_audit_log")


def test_the_verifier_names_an_entry_changed_behind_its_back(records):
    entry = LogEntry.objects.order_by("pk").last()
    link = ChainLink.objects.get(record_type="logentry", record_id=entry.pk)
    raw("UPDATE auditlog_logentry SET object_repr = %s WHERE id = %s", ["丁公司", entry.pk])

    result = chain.verify()

    assert result.first_break is not None
    assert (result.first_break.seq, result.first_break.record_id) == (link.seq, entry.pk)
    assert "changed" in result.first_break.reason
    assert result.checked == link.seq - 1
    with pytest.raises(
        CommandError, match=f"First broken link: #{link.seq} \\(logentry {entry.pk}\\)"
    ):
        call_command("verify_audit_log")


def test_the_verifier_names_a_deleted_record(records):
    event = AccessEvent.objects.order_by("pk")[1]
    link = ChainLink.objects.get(record_type="accessevent", record_id=event.pk)
    raw("DELETE FROM audit_accessevent WHERE id = %s", [event.pk])

    result = chain.verify()

    assert result.first_break.seq == link.seq == 2
    assert "deleted" in result.first_break.reason


def test_the_verifier_notices_a_link_removed_with_its_record(records):
    event = AccessEvent.objects.order_by("pk")[1]
    raw("DELETE FROM audit_accessevent WHERE id = %s", [event.pk])
    raw(
        "DELETE FROM audit_chainlink WHERE record_type = 'accessevent' AND record_id = %s",
        [event.pk],
    )

    result = chain.verify()

    assert result.first_break.seq == 3
    assert "#2 is missing" in result.first_break.reason


def test_the_verifier_notices_the_last_links_removed(records):
    last = ChainLink.objects.order_by("seq").last()
    raw("DELETE FROM audit_chainlink WHERE seq = %s", [last.seq])

    result = chain.verify()

    assert result.first_break.seq == last.seq
    assert "head" in result.first_break.reason


def test_deleting_an_account_keeps_the_chain_intact(records, user):
    user.delete()

    assert AccessEvent.objects.filter(user__isnull=True).count() == 3
    assert chain.verify().ok


def test_the_verifier_counts_old_unsealed_records(records, user):
    event = AccessEvent.objects.create(kind=AccessEventKind.LOGIN, user=user)  # never committed
    raw(
        "UPDATE audit_accessevent SET created_at = %s WHERE id = %s",
        ["2020-01-01 00:00:00", event.pk],
    )

    result = chain.verify()

    assert result.ok and result.unsealed == 1
    with pytest.raises(CommandError, match="1 audit records"):
        call_command("verify_audit_log")
    call_command("seal_audit_log")
    assert chain.verify().unsealed == 0


def test_hmac_sm3_links_verify_next_to_sha256_ones(
    records, settings, user, django_capture_on_commit_callbacks
):
    settings.AUDIT_CHAIN_ALGORITHM = "sm3"
    with django_capture_on_commit_callbacks(execute=True):
        AccessEvent.objects.create(kind=AccessEventKind.LOGOUT, user=user)

    assert ChainLink.objects.order_by("seq").last().algorithm == "sm3"
    assert set(ChainLink.objects.values_list("algorithm", flat=True)) == {"sha256", "sm3"}
    assert chain.verify().ok


def test_another_key_does_not_verify(records, settings):
    settings.AUDIT_CHAIN_KEY = "not-the-key"

    assert chain.verify().first_break.seq == 1
