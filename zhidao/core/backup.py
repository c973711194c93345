"""Backup and restore (SECURITY.md "Reliability"): `manage.py backup DIR`, `manage.py restore DIR`.

A backup directory holds

- the database: a PostgreSQL custom-format dump (pg_dump), or a copy made with SQLite's online
  backup API (consistent while the demo keeps running);
- the uploaded files (MEDIA_ROOT), as files;
- manifest.json: the SHA-256 of every file, every table's row count at the moment of the dump
  (on PostgreSQL the dump and the counts read one exported snapshot), the applied migrations, and
  the fingerprints of the keys the data needs (field encryption, the audit chain) — never the
  keys themselves: a backup without the environment's keys is unreadable, as it should be.

Restore goes into the configured database, which must have no tables at all (it refuses
otherwise, so it can never overwrite a live system), and into an empty MEDIA_ROOT. It checks
every checksum and the key fingerprints before it touches anything, and every table's row
count after.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # noqa: S404  pg_dump and pg_restore, with argument lists, never a shell
from dataclasses import dataclass
from pathlib import Path

import django
from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

MANIFEST = "manifest.json"
FORMAT = "zhidao-backup/1"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
MEDIA_DIR = "media"
# The settings whose keys the data needs; only their fingerprints are written.
# SM4_KEYS from the environment; keys held by a KMS (KMS_URL) stay with the KMS.
KEY_SETTINGS = ("FIELD_ENCRYPTION_KEYS", "SM4_KEYS", "AUDIT_CHAIN_KEY")


class BackupError(Exception):
    pass


def key_fingerprint(key: str) -> str:
    """Names a key without revealing it (keys are random; this is a one-way digest)."""
    return hashlib.sha256(b"zhidao key fingerprint\n" + key.encode()).hexdigest()[:16]


def key_fingerprints() -> dict[str, list[str]]:
    fingerprints = {}
    for name in KEY_SETTINGS:
        value = getattr(settings, name, None)
        if value is None:
            continue
        keys = [value] if isinstance(value, str) else list(value)
        fingerprints[name] = [key_fingerprint(key) for key in keys]
    return fingerprints


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_SQLITE_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"


def table_counts(using: str = "default") -> dict[str, int]:
    connection = connections[using]
    counts = {}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(_SQLITE_TABLES)
            tables = [row[0] for row in cursor.fetchall()]
        else:
            tables = connection.introspection.table_names(cursor)
        for table in sorted(tables):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608  # nosec B608  # quoted introspected table name
            counts[table] = cursor.fetchone()[0]
    return counts


def _sqlite_counts(path: Path) -> dict[str, int]:
    database = sqlite3.connect(path)
    try:
        tables = [row[0] for row in database.execute(_SQLITE_TABLES)]
        return {
            table: database.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608  # nosec B608  # table names read from the backup's own sqlite_master
            for table in sorted(tables)
        }
    finally:
        database.close()


def _migrations(using: str) -> list[str]:
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [f"{app}.{name}" for app, name in cursor.fetchall()]


def _pg_environment(settings_dict: dict) -> tuple[dict[str, str], str]:
    environment = dict(os.environ)
    for variable, key in [("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")]:
        if settings_dict.get(key):
            environment[variable] = str(settings_dict[key])
    if settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return environment, settings_dict["NAME"]


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (apt install postgresql-client)")
    return path


def _run(arguments: list[str], environment: dict[str, str]) -> None:
    result = subprocess.run(arguments, env=environment, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(arguments[0]).name} failed: {result.stderr.strip()}")


def _dump_database(directory: Path, using: str) -> tuple[str, dict[str, int]]:
    connection = connections[using]
    if connection.vendor == "sqlite":
        target = directory / SQLITE_FILE
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        return SQLITE_FILE, _sqlite_counts(target)
    if connection.vendor == "postgresql":
        environment, name = _pg_environment(connection.settings_dict)
        pg_dump = _tool("pg_dump")
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = table_counts(using)
            _run(
                [
                    pg_dump,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    "--file",
                    str(directory / POSTGRES_FILE),
                    name,
                ],
                environment,
            )
        return POSTGRES_FILE, counts
    raise BackupError(f"no backup for the {connection.vendor} database")


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file())


@dataclass
class BackupResult:
    directory: Path
    manifest: dict


def backup(directory: Path, *, using: str = "default") -> BackupResult:
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty")
    directory.mkdir(parents=True, exist_ok=True)
    database_file, counts = _dump_database(directory, using)

    media_root = Path(settings.MEDIA_ROOT)
    media = {}
    for source in _media_files(media_root):
        relative = source.relative_to(media_root).as_posix()
        target = directory / MEDIA_DIR / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        media[relative] = sha256_of(target)

    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "django": django.get_version(),
        "vendor": connections[using].vendor,
        "database": {"file": database_file, "sha256": sha256_of(directory / database_file)},
        "tables": counts,
        "migrations": _migrations(using),
        "media": media,
        "keys": key_fingerprints(),
    }
    (directory / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8"
    )
    return BackupResult(directory=directory, manifest=manifest)


def read_manifest(directory: Path) -> dict:
    path = Path(directory) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{path} is missing: not a backup directory")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a {FORMAT} manifest")
    return manifest


def check_backup(directory: Path, manifest: dict) -> None:
    """Every checksum; raises naming the first file that does not match."""
    database = manifest["database"]
    path = directory / database["file"]
    if not path.is_file() or sha256_of(path) != database["sha256"]:
        raise BackupError(f"{database['file']} does not match its checksum in the manifest")
    for relative, checksum in manifest["media"].items():
        path = directory / MEDIA_DIR / relative
        if not path.is_file() or sha256_of(path) != checksum:
            raise BackupError(f"{MEDIA_DIR}/{relative} does not match its checksum in the manifest")


def missing_keys(manifest: dict) -> list[str]:
    """The keys the backup's data needs that this environment does not have."""
    current = key_fingerprints()
    missing = []
    for name, fingerprints in manifest["keys"].items():
        have = set(current.get(name, []))
        missing += [
            f"{name} {fingerprint}" for fingerprint in fingerprints if fingerprint not in have
        ]
    return missing


def _refuse_unless_empty(using: str) -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    if tables:
        raise BackupError(
            f"the configured database is not empty ({len(tables)} tables): restore only into "
            "a new, empty database"
        )
    media_root = Path(settings.MEDIA_ROOT)
    if _media_files(media_root):
        raise BackupError(f"MEDIA_ROOT {media_root} is not empty")


def _restore_database(directory: Path, manifest: dict, using: str) -> None:
    connection = connections[using]
    path = directory / manifest["database"]["file"]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    environment, name = _pg_environment(connection.settings_dict)
    connection.close()
    _run(
        [
            _tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            name,
            str(path),
        ],
        environment,
    )


def restore(directory: Path, *, using: str = "default", ignore_keys: bool = False) -> dict:
    directory = Path(directory)
    manifest = read_manifest(directory)
    vendor = connections[using].vendor
    if manifest["vendor"] != vendor:
        raise BackupError(f"the backup is of a {manifest['vendor']} database, this one is {vendor}")
    check_backup(directory, manifest)
    missing = missing_keys(manifest)
    if missing and not ignore_keys:
        raise BackupError(
            "this environment lacks keys the backup's data needs (by fingerprint): "
            + ", ".join(missing)
        )
    _refuse_unless_empty(using)
    _restore_database(directory, manifest, using)

    media_root = Path(settings.MEDIA_ROOT)
    for relative in manifest["media"]:
        target = media_root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(directory / MEDIA_DIR / relative, target)

    counts = table_counts(using)
    if counts != manifest["tables"]:
        different = sorted(
            table
            for table in set(counts) | set(manifest["tables"])
            if counts.get(table) != manifest["tables"].get(table)
        )
        raise BackupError("restored, but the row counts differ in: " + ", ".join(different))
    return manifest
