"""The audit log's hash chain: every change-log entry and access event, in one chain.

How an entry is sealed. The audit records stay as their writers made them (django-auditlog's
LogEntry, AccessEvent); a ChainLink row per record holds its place in the chain:

    hash = HMAC(AUDIT_CHAIN_KEY, previous hash ‖ position ‖ the record's canonical content)

The record is sealed right after the transaction that wrote it commits (`transaction.on_commit`),
in a short transaction of its own that locks the single ChainHead row (`select_for_update`; on
SQLite every write transaction is IMMEDIATE and holds the database's write lock). Concurrent
writers therefore append one after the other, each reading the head the previous one left: the
chain cannot fork (the position is also unique), and the seal never holds a lock inside the
writer's own transaction, so it cannot take part in a deadlock with the writer's row locks. A
record whose writer rolled back is never sealed, because it does not exist.

Sealing after the commit leaves a record unsealed when the process dies between the commit and
the seal: the verifier lists unsealed records, and `audit_chain seal` seals them after review.

What the verifier proves: every link's record still exists with the content it had when sealed,
no link is missing or reordered, and the head agrees with the last link. A change made behind
the application's back (on PostgreSQL the trigger of migration 0005 refuses it for every role
that does not set the archive switch) breaks the chain at that record.

The key comes from the environment (AUDIT_CHAIN_KEY), never from the database; the algorithm
(HMAC-SHA256, or HMAC-SM3 for 密评) is recorded on each link, so a switch keeps old links
verifiable.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import partial
from itertools import islice
from uuid import UUID

from auditlog.models import LogEntry
from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from .models import AccessEvent, AuditArchive, ChainHead, ChainLink

LOG_ENTRY = "logentry"
ACCESS_EVENT = "accessevent"
RECORD_MODELS: dict[str, type[models.Model]] = {LOG_ENTRY: LogEntry, ACCESS_EVENT: AccessEvent}
# The field of each record that names its actor (SET NULL when the account is deleted).
ACTOR_FIELDS = {LOG_ENTRY: "actor_id", ACCESS_EVENT: "user_id"}
CHUNK = 500


def chain_key() -> bytes:
    return settings.AUDIT_CHAIN_KEY.encode()


def chain_algorithm() -> str:
    """The algorithm for new links: AUDIT_CHAIN_ALGORITHM when set, else the CRYPTO_SUITE's
    (HMAC-SM3 for 国密). Old links keep the one they recorded."""
    if settings.AUDIT_CHAIN_ALGORITHM:
        return settings.AUDIT_CHAIN_ALGORITHM
    return "sm3" if settings.CRYPTO_SUITE == "gm" else "sha256"


def _plain(value):
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = value.astimezone(UTC)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return value


def canonical_content(record_type: str, record: models.Model, *, actor_id=None) -> bytes:
    """Every stored column of the record, as sorted JSON. A NULL actor is read as the actor
    the link recorded (the account was deleted later)."""
    values = {
        field.attname: _plain(getattr(record, field.attname))
        for field in record._meta.concrete_fields
    }
    actor_field = ACTOR_FIELDS[record_type]
    if values.get(actor_field) is None and actor_id is not None:
        values[actor_field] = actor_id
    return json.dumps(
        {"type": record_type, "fields": values},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    ).encode()


def link_hash(*, algorithm: str, prev_hash: str, seq: int, content: bytes) -> str:
    message = prev_hash.encode() + b"\n" + str(seq).encode() + b"\n" + content
    return hmac.new(chain_key(), message, algorithm).hexdigest()


def _head_for_update() -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head = ChainHead.objects.create(pk=1)
    return head


def seal(record_type: str, record_ids: Iterable[int]) -> int:
    """Append the records (those not sealed yet) to the chain, in id order; returns how many."""
    ids = sorted(set(record_ids))
    if not ids:
        return 0
    model = RECORD_MODELS[record_type]
    algorithm = chain_algorithm()
    with transaction.atomic():
        head = _head_for_update()
        sealed = set(
            ChainLink.objects.filter(record_type=record_type, record_id__in=ids).values_list(
                "record_id", flat=True
            )
        )
        records = model._default_manager.in_bulk([pk for pk in ids if pk not in sealed])
        links = []
        seq, prev = head.seq, head.hash
        for pk in sorted(records):
            record = records[pk]
            seq += 1
            digest = link_hash(
                algorithm=algorithm,
                prev_hash=prev,
                seq=seq,
                content=canonical_content(record_type, record),
            )
            links.append(
                ChainLink(
                    seq=seq,
                    record_type=record_type,
                    record_id=pk,
                    actor_id=getattr(record, ACTOR_FIELDS[record_type]),
                    algorithm=algorithm,
                    prev_hash=prev,
                    hash=digest,
                )
            )
            prev = digest
        if links:
            ChainLink.objects.bulk_create(links)
            ChainHead.objects.filter(pk=head.pk).update(seq=seq, hash=prev)
    return len(links)


def seal_on_commit(record_type: str, record_id: int) -> None:
    # robust: a failed seal is logged, not raised into the request whose write has committed;
    # the record then shows as unsealed in the verifier.
    transaction.on_commit(partial(seal, record_type, [record_id]), robust=True)


def unsealed(record_type: str, *, older_than: timedelta | None = None) -> models.QuerySet:
    model = RECORD_MODELS[record_type]
    linked = ChainLink.objects.filter(record_type=record_type, record_id=OuterRef("pk"))
    records = model._default_manager.filter(~Exists(linked))
    if older_than is not None:
        time_field = "timestamp" if record_type == LOG_ENTRY else "created_at"
        records = records.filter(**{f"{time_field}__lt": timezone.now() - older_than})
    return records.order_by("pk")


def seal_pending() -> int:
    """Seal every record that has no link (a seal lost to a crash), oldest first."""
    total = 0
    for record_type in RECORD_MODELS:
        ids = unsealed(record_type).values_list("pk", flat=True).iterator(chunk_size=CHUNK)
        while chunk := list(islice(ids, CHUNK)):
            total += seal(record_type, chunk)
    return total


@dataclass(frozen=True)
class Break:
    """The first broken link: where, which record, and what is wrong."""

    seq: int
    record_type: str
    record_id: int | None
    reason: str

    def __str__(self) -> str:
        where = f"#{self.seq}"
        if self.record_id is not None:
            where += f" ({self.record_type} {self.record_id})"
        return f"{where}: {self.reason}"


@dataclass
class Verification:
    checked: int = 0
    first_break: Break | None = None
    unsealed: int = 0

    @property
    def ok(self) -> bool:
        return self.first_break is None


def _start() -> tuple[int, str]:
    archive = AuditArchive.objects.order_by("-last_seq").first()
    if archive is None:
        return 0, ""
    return archive.last_seq, archive.last_hash


def _links_in_chunks() -> Iterator[list[ChainLink]]:
    stream = ChainLink.objects.order_by("seq").iterator(chunk_size=CHUNK)
    while chunk := list(islice(stream, CHUNK)):
        yield chunk


def _check_link(link: ChainLink, record, *, seq: int, prev: str) -> str:
    if link.seq != seq:
        return f"link #{seq} is missing (the next one is #{link.seq})"
    if link.prev_hash != prev:
        return "its previous hash does not match the link before it"
    if record is None:
        return "the record it seals has been deleted"
    content = canonical_content(link.record_type, record, actor_id=link.actor_id)
    expected = link_hash(algorithm=link.algorithm, prev_hash=prev, seq=seq, content=content)
    if not hmac.compare_digest(expected, link.hash):
        return "the record was changed after it was sealed"
    return ""


def verify(*, unsealed_grace: timedelta = timedelta(minutes=10)) -> Verification:
    """Walk the chain from the last archive on; stop at the first broken link."""
    result = Verification()
    seq, prev = _start()
    for chunk in _links_in_chunks():
        by_type: dict[str, list[int]] = {}
        for link in chunk:
            by_type.setdefault(link.record_type, []).append(link.record_id)
        records = {
            record_type: RECORD_MODELS[record_type]._default_manager.in_bulk(ids)
            for record_type, ids in by_type.items()
            if record_type in RECORD_MODELS
        }
        for link in chunk:
            record = records.get(link.record_type, {}).get(link.record_id)
            reason = _check_link(link, record, seq=seq + 1, prev=prev)
            if reason:
                result.first_break = Break(link.seq, link.record_type, link.record_id, reason)
                return result
            seq, prev = link.seq, link.hash
            result.checked += 1
    head = ChainHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, "")
    if (head_seq, head_hash) != (seq, prev):
        result.first_break = Break(
            seq + 1, "", None, f"the chain head says #{head_seq}: links after #{seq} are missing"
        )
        return result
    result.unsealed = sum(
        unsealed(record_type, older_than=unsealed_grace).count() for record_type in RECORD_MODELS
    )
    return result
