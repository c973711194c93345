"""Archiving the audit log after its retention: to a file first, then out of the database.

The log is kept at least AUDIT_RETENTION_MINIMUM_DAYS (180 days, 网络安全法 art. 21). What is
older than the retention is written, with its chain links, to a gzip'd JSON-lines file in
AUDIT_ARCHIVE_DIR; the file is read back and checked; only then are the rows deleted, in one
transaction, through the maintenance path the PostgreSQL trigger allows
(`SET LOCAL zhidao.audit_archive = 'on'`, migration 0005). An AuditArchive row records the
file, its SHA-256 and the last hash, from which the verifier continues. Nothing is ever dropped
without its file.

The archived stretch is a prefix of the chain: the links sealed before the cutoff (a record is
sealed after it is written, so its own time is earlier still).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import chain
from .models import AuditArchive, ChainLink

AUDIT_RETENTION_MINIMUM_DAYS = 180
FORMAT = "zhidao-audit-archive/1"


class ArchiveRefused(Exception):
    pass


@dataclass
class ArchiveResult:
    archive: AuditArchive | None
    path: Path | None

    @property
    def count(self) -> int:
        if self.archive is None:
            return 0
        return self.archive.log_entries + self.archive.access_events


def _link_dict(link: ChainLink) -> dict:
    return {
        "seq": link.seq,
        "record_type": link.record_type,
        "record_id": link.record_id,
        "actor_id": link.actor_id,
        "algorithm": link.algorithm,
        "prev_hash": link.prev_hash,
        "hash": link.hash,
        "sealed_at": link.sealed_at.isoformat(),
    }


def _archivable_links(cutoff: datetime) -> list[ChainLink]:
    first_young = ChainLink.objects.filter(sealed_at__gte=cutoff).order_by("seq").first()
    links = ChainLink.objects.order_by("seq")
    if first_young is not None:
        links = links.filter(seq__lt=first_young.seq)
    return list(links)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _write(path: Path, header: dict, lines: list[dict]) -> None:
    # "x": never overwrite an earlier archive.
    with gzip.open(path, "xt", encoding="utf-8") as handle:
        handle.write(json.dumps(header, ensure_ascii=False, sort_keys=True) + "\n")
        for line in lines:
            handle.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")


def read_archive(path: Path) -> tuple[dict, list[dict]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        header = json.loads(handle.readline())
        return header, [json.loads(line) for line in handle]


def _delete_rows(table: str, ids: list[int]) -> None:
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), chain.CHUNK):
            chunk = ids[start : start + chain.CHUNK]
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {quoted} WHERE id IN ({placeholders})", chunk)  # noqa: S608  # nosec B608  # quoted model table, %s placeholders


def _maintenance_switch(value: str) -> None:
    """SET LOCAL lasts to the end of the outermost transaction, not of a savepoint: the
    archive switches it off again itself when called inside a larger transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('zhidao.audit_archive', %s, true)", [value])


def archive_before(
    *, days: int | None = None, now: datetime | None = None, directory: Path | None = None
) -> ArchiveResult:
    """Archive the records sealed more than `days` days ago (AUDIT_RETENTION_DAYS)."""
    days = settings.AUDIT_RETENTION_DAYS if days is None else days
    if days < AUDIT_RETENTION_MINIMUM_DAYS:
        raise ArchiveRefused(
            f"the audit log is kept at least {AUDIT_RETENTION_MINIMUM_DAYS} days, not {days}"
        )
    now = now or timezone.now()
    cutoff = now - timedelta(days=days)
    chain.seal_pending()
    verification = chain.verify()
    if not verification.ok:
        raise ArchiveRefused(f"the chain is broken at {verification.first_break}; not archiving")
    links = _archivable_links(cutoff)
    if not links:
        return ArchiveResult(archive=None, path=None)

    by_type: dict[str, list[int]] = {}
    for link in links:
        by_type.setdefault(link.record_type, []).append(link.record_id)
    records = {
        record_type: chain.RECORD_MODELS[record_type]._default_manager.in_bulk(ids)
        for record_type, ids in by_type.items()
    }
    lines = [
        {
            "link": _link_dict(link),
            "record": json.loads(
                chain.canonical_content(link.record_type, records[link.record_type][link.record_id])
            ),
        }
        for link in links
    ]
    header = {
        "format": FORMAT,
        "first_seq": links[0].seq,
        "last_seq": links[-1].seq,
        "prev_hash": links[0].prev_hash,
        "last_hash": links[-1].hash,
        "cutoff": cutoff.isoformat(),
        "written_at": now.isoformat(),
        "count": len(lines),
    }
    directory = Path(directory or settings.AUDIT_ARCHIVE_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"audit-{links[0].seq:012d}-{links[-1].seq:012d}.jsonl.gz"
    _write(path, header, lines)
    read_header, read_lines = read_archive(path)
    if read_header != header or len(read_lines) != len(lines):
        raise ArchiveRefused(f"{path} does not read back as written; nothing was deleted")

    with transaction.atomic():
        _maintenance_switch("on")
        for record_type, ids in by_type.items():
            _delete_rows(chain.RECORD_MODELS[record_type]._meta.db_table, ids)
        _delete_rows(ChainLink._meta.db_table, [link.pk for link in links])
        _maintenance_switch("off")
        archive = AuditArchive.objects.create(
            file_name=path.name,
            sha256=_sha256(path),
            first_seq=links[0].seq,
            last_seq=links[-1].seq,
            last_hash=links[-1].hash,
            log_entries=len(by_type.get(chain.LOG_ENTRY, [])),
            access_events=len(by_type.get(chain.ACCESS_EVENT, [])),
            cutoff=cutoff,
        )
    return ArchiveResult(archive=archive, path=path)


def verify_archive_file(path: Path) -> str:
    """'' when the file's links chain and every record matches its hash; else what is wrong."""
    header, lines = read_archive(path)
    prev, seq = header["prev_hash"], header["first_seq"] - 1
    for line in lines:
        link, record = line["link"], line["record"]
        content = json.dumps(
            record, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
        ).encode()
        expected = chain.link_hash(
            algorithm=link["algorithm"], prev_hash=prev, seq=seq + 1, content=content
        )
        if link["seq"] != seq + 1 or link["prev_hash"] != prev or expected != link["hash"]:
            return f"#{link['seq']}: does not match its hash"
        prev, seq = link["hash"], link["seq"]
    if prev != header["last_hash"]:
        return "the last hash does not match the header"
    return ""
