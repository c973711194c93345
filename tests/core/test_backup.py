"""backup → restore round-trips the demo: every table's row count, a sample of decrypted fields,
the uploaded files and the audit chain come back; restore refuses a database that is not empty
and a backup whose checksums do not match.

The commands run as `manage.py` processes against databases of their own (a demo loaded for the
test), as an operator runs them: on SQLite when the suite runs on SQLite, on PostgreSQL (with
pg_dump and pg_restore) when it runs on PostgreSQL.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from zhidao.core.crypto import decrypt

SMALL = ["--size", "small", "--organizations", "60"]
ENCRYPTED = [
    ("accounts_user", "phone"),
    ("dispatch_instructor", "phone"),
    ("appeals_appeal", "submitter_name"),
    ("appeals_appeal", "submitter_phone"),
]
UPLOAD = "appeals/photos/2026/12/sample.jpg"


class SqliteDatabase:
    def __init__(self, path: Path):
        self.path = path

    def env(self) -> dict:
        return {"SQLITE_PATH": str(self.path)}

    def create(self) -> None:
        pass

    def rows(self, sql: str) -> list[tuple]:
        database = sqlite3.connect(self.path)
        try:
            return database.execute(sql).fetchall()
        finally:
            database.close()

    def tables(self) -> list[str]:
        return [
            name
            for (name,) in self.rows(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]


class PostgresDatabase:
    def __init__(self, name: str):
        self.name = name
        self.params = connection.settings_dict

    def _connect(self, database: str):
        import psycopg

        return psycopg.connect(
            dbname=database,
            user=self.params.get("USER") or None,
            password=self.params.get("PASSWORD") or None,
            host=self.params.get("HOST") or None,
            port=self.params.get("PORT") or None,
            autocommit=True,
        )

    def env(self) -> dict:
        user, password = self.params.get("USER") or "", self.params.get("PASSWORD") or ""
        auth = f"{user}:{password}@" if password else f"{user}@" if user else ""
        host, port = self.params.get("HOST") or "127.0.0.1", self.params.get("PORT") or 5432
        return {"DATABASE_URL": f"postgresql://{auth}{host}:{port}/{self.name}"}

    def create(self) -> None:
        with self._connect("postgres") as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
            admin.execute(f'CREATE DATABASE "{self.name}"')

    def rows(self, sql: str) -> list[tuple]:
        with self._connect(self.name) as database:
            return database.execute(sql).fetchall()

    def tables(self) -> list[str]:
        return [
            name
            for (name,) in self.rows(
                # A partition's rows are counted in its parent's (core/partitions.py).
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name "
                "NOT IN (SELECT relname FROM pg_class WHERE relispartition)"
            )
        ]


def counts(database) -> dict[str, int]:
    return {
        table: database.rows(f'SELECT COUNT(*) FROM "{table}"')[0][0]  # noqa: S608
        for table in sorted(database.tables())
    }


def manage(*arguments: str, database, media: Path) -> subprocess.CompletedProcess:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "SQLITE_PATH", "MEDIA_ROOT", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(database.env(), MEDIA_ROOT=str(media), DJANGO_SETTINGS_MODULE="zhidao.settings.test")
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *arguments],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def databases(tmp_path_factory):
    """(source with the demo loaded, a factory of empty targets), of the suite's vendor."""
    root = tmp_path_factory.mktemp("backup")
    if connection.vendor == "postgresql":
        if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
            pytest.fail("pg_dump and pg_restore are needed on PostgreSQL (postgresql-client)")
        base = connection.settings_dict["NAME"]

        def make(name):
            return PostgresDatabase(f"{base}_{name}")
    else:

        def make(name):
            return SqliteDatabase(root / f"{name}.sqlite3")

    source = make("source")
    source.create()
    media = root / "source-media"
    ok(manage("migrate", "-v0", database=source, media=media))
    ok(manage("load_demo", *SMALL, database=source, media=media))
    (media / UPLOAD).parent.mkdir(parents=True, exist_ok=True)
    (media / UPLOAD).write_bytes(b"\xff\xd8\xff\xe0 not really a photo")
    return source, media, make, root


@pytest.fixture(scope="module")
def backup_dir(databases):
    source, media, _make, root = databases
    directory = root / "backup"
    output = ok(manage("backup", str(directory), database=source, media=media))
    assert "Backup in" in output
    return directory


def test_the_manifest_has_checksums_counts_and_key_fingerprints_but_no_keys(databases, backup_dir):
    source = databases[0]
    manifest = json.loads((backup_dir / "manifest.json").read_text())

    assert manifest["tables"] == counts(source)
    assert set(manifest["media"]) == {UPLOAD}
    assert len(manifest["database"]["sha256"]) == 64
    assert len(manifest["keys"]["FIELD_ENCRYPTION_KEYS"]) == len(settings.FIELD_ENCRYPTION_KEYS)
    text = (backup_dir / "manifest.json").read_text()
    for key in [*settings.FIELD_ENCRYPTION_KEYS, settings.AUDIT_CHAIN_KEY]:
        assert key not in text


def test_restore_round_trips_the_demo(databases, backup_dir):
    source, source_media, make, root = databases
    target, media = make("target"), root / "target-media"
    target.create()

    output = ok(manage("restore", str(backup_dir), database=target, media=media))

    assert "every count checked" in output
    source_counts, target_counts = counts(source), counts(target)
    assert target_counts == source_counts
    assert source_counts["orgs_organization"] >= 60 and source_counts["auditlog_logentry"] > 0
    # A sample of encrypted fields decrypts, with this environment's keys, to the same values.
    sampled = 0
    for table, column in ENCRYPTED:
        sql = f'SELECT id, "{column}" FROM "{table}" WHERE "{column}" <> \'\' ORDER BY id LIMIT 5'  # noqa: S608
        before, after = dict(source.rows(sql)), dict(target.rows(sql))
        assert after.keys() == before.keys()
        for pk, token in after.items():
            assert decrypt(token) == decrypt(before[pk]) != ""
            sampled += 1
    assert sampled >= 10
    assert (media / UPLOAD).read_bytes() == (source_media / UPLOAD).read_bytes()
    # The audit chain came back whole.
    assert "Audit chain intact" in ok(manage("verify_audit_log", database=target, media=media))


def test_restore_refuses_a_database_that_is_not_empty(databases, backup_dir):
    source, source_media, _make, _root = databases
    before = counts(source)

    result = manage("restore", str(backup_dir), database=source, media=source_media)

    assert result.returncode == 1
    assert "not empty" in result.stderr
    assert counts(source) == before


def test_restore_refuses_a_backup_whose_files_do_not_match_the_manifest(databases, backup_dir):
    _source, _media, make, root = databases
    changed = root / "changed-backup"
    shutil.copytree(backup_dir, changed)
    (changed / "media" / UPLOAD).write_bytes(b"something else")
    target = make("refused")
    target.create()

    result = manage("restore", str(changed), database=target, media=root / "refused-media")

    assert result.returncode == 1
    assert f"media/{UPLOAD} does not match its checksum" in result.stderr
    assert target.tables() == []


def test_restore_refuses_without_the_keys_the_data_needs(databases, backup_dir, tmp_path):
    _source, _media, make, root = databases
    changed = root / "other-keys"
    shutil.copytree(backup_dir, changed)
    manifest = json.loads((changed / "manifest.json").read_text())
    manifest["keys"]["FIELD_ENCRYPTION_KEYS"] = ["0123456789abcdef"]
    (changed / "manifest.json").write_text(json.dumps(manifest))
    target = make("nokeys")
    target.create()

    result = manage("restore", str(changed), database=target, media=tmp_path / "media")

    assert result.returncode == 1
    assert "lacks keys" in result.stderr and "0123456789abcdef" in result.stderr
    assert target.tables() == []
