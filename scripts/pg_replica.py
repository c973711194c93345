"""A PostgreSQL streaming replica of the local cluster, for the read-replica tests (run as root).

    python3 scripts/pg_replica.py start    # a hot standby of 127.0.0.1:5432 on 127.0.0.1:5433
    python3 scripts/pg_replica.py status   # running? in recovery? how far behind?
    python3 scripts/pg_replica.py stop     # stop it and remove its data directory

`start` is idempotent: a standby already running on the port is left as it is. Otherwise it lets
replication connections in on the primary (a `host replication all 127.0.0.1/32 trust` line in
its pg_hba.conf, then a reload), takes a base backup of the whole cluster with pg_basebackup
(`-R`: standby.signal and primary_conninfo), writes the standby's own small postgresql.conf and
starts it with pg_ctl as the postgres user. The test databases that pytest-django creates on the
primary then appear on the standby as it replays. Standard library only.

Environment: PG_BIN (default /usr/lib/postgresql/15/bin), PG_PRIMARY_PORT (5432),
PG_REPLICA_PORT (5433), PG_REPLICA_DIR (/var/lib/postgresql/15/replica).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import time
from pathlib import Path

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
HOST = "127.0.0.1"
PRIMARY_PORT = os.environ.get("PG_PRIMARY_PORT", "5432")
REPLICA_PORT = os.environ.get("PG_REPLICA_PORT", "5433")
DATA_DIR = Path(os.environ.get("PG_REPLICA_DIR", "/var/lib/postgresql/15/replica"))
LOG_FILE = DATA_DIR.with_name(DATA_DIR.name + ".log")
OS_USER = "postgres"
HBA_LINE = "host replication all 127.0.0.1/32 trust"
# A hot standby needs these at least as high as on the primary.
COPIED_SETTINGS = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)


class Failure(Exception):
    pass


def as_postgres(*command: str, check: bool = True) -> subprocess.CompletedProcess:
    if os.geteuid() == pwd.getpwnam(OS_USER).pw_uid:
        full = list(command)
    else:
        full = ["runuser", "-u", OS_USER, "--", *command]
    result = subprocess.run(full, capture_output=True, text=True, check=False, timeout=300)  # noqa: S603
    if check and result.returncode != 0:
        raise Failure(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}".rstrip())
    return result


def query(port: str, sql: str, *, check: bool = True) -> str | None:
    """One value from psql on the port, or None (check=False) when the server does not answer."""
    result = as_postgres(
        str(PG_BIN / "psql"), "-X", "-At", "-h", HOST, "-p", port, "-U", "postgres",
        "-d", "postgres", "-c", sql, check=check,
    )  # fmt: skip
    return result.stdout.strip() if result.returncode == 0 else None


def in_recovery() -> bool | None:
    """True: a standby answers on the replica port; False: a server that is no standby; None:
    nothing answers."""
    answer = query(REPLICA_PORT, "select pg_is_in_recovery()", check=False)
    return None if answer is None else answer == "t"


def ensure_primary_ready() -> None:
    if query(PRIMARY_PORT, "select 1", check=False) != "1":
        raise Failure(f"the primary does not answer on {HOST}:{PRIMARY_PORT}")
    wal_level = query(PRIMARY_PORT, "show wal_level")
    senders = int(query(PRIMARY_PORT, "show max_wal_senders") or 0)
    if wal_level not in ("replica", "logical") or senders < 1:
        raise Failure(
            f"the primary has wal_level={wal_level}, max_wal_senders={senders}; streaming needs "
            "wal_level=replica and max_wal_senders>0 (set them and restart the primary)"
        )
    hba = Path(query(PRIMARY_PORT, "show hba_file") or "")
    lines = [" ".join(line.split()) for line in hba.read_text().splitlines()]
    if HBA_LINE not in lines:
        with hba.open("a") as handle:
            handle.write("\n# Added by zhidao's scripts/pg_replica.py: the local standby.\n")
            handle.write(HBA_LINE + "\n")
        query(PRIMARY_PORT, "select pg_reload_conf()")
        print(f"added '{HBA_LINE}' to {hba} and reloaded the primary")


def write_config(settings: dict[str, str]) -> None:
    lines = [
        "# The local standby of zhidao's tests (scripts/pg_replica.py); primary_conninfo is in",
        "# postgresql.auto.conf (pg_basebackup -R).",
        f"port = {REPLICA_PORT}",
        f"listen_addresses = '{HOST}'",
        "unix_socket_directories = '/var/run/postgresql'",
        "hot_standby = on",
        "hot_standby_feedback = on",
        # Tests read right after a write: wake up often to replay it.
        "wal_receiver_status_interval = 1s",
        "fsync = off",
        *(f"{name} = {value}" for name, value in settings.items()),
    ]
    path = DATA_DIR / "postgresql.conf"
    path.write_text("\n".join(lines) + "\n")
    shutil.copy(Path(query(PRIMARY_PORT, "show hba_file") or ""), DATA_DIR / "pg_hba.conf")
    (DATA_DIR / "pg_ident.conf").touch()
    owner = pwd.getpwnam(OS_USER)
    for name in ("postgresql.conf", "pg_hba.conf", "pg_ident.conf"):
        os.chown(DATA_DIR / name, owner.pw_uid, owner.pw_gid)
        os.chmod(DATA_DIR / name, 0o600)


def start() -> None:
    state = in_recovery()
    if state:
        print(f"a standby is already running on {HOST}:{REPLICA_PORT}")
        return
    if state is False:
        raise Failure(f"{HOST}:{REPLICA_PORT} runs a server that is not a standby; not touching it")
    ensure_primary_ready()
    settings = {name: query(PRIMARY_PORT, f"show {name}") or "" for name in COPIED_SETTINGS}
    stop(quiet=True)  # a stopped or half-made standby from an earlier run
    owner = pwd.getpwnam(OS_USER)
    DATA_DIR.parent.mkdir(parents=True, exist_ok=True)
    DATA_DIR.mkdir(mode=0o700)
    os.chown(DATA_DIR, owner.pw_uid, owner.pw_gid)
    os.chmod(DATA_DIR, 0o700)
    print(f"==> pg_basebackup of {HOST}:{PRIMARY_PORT} into {DATA_DIR}")
    as_postgres(
        str(PG_BIN / "pg_basebackup"), "-h", HOST, "-p", PRIMARY_PORT, "-U", "postgres",
        "-D", str(DATA_DIR), "-R", "-X", "stream", "-c", "fast",
    )  # fmt: skip
    write_config(settings)
    LOG_FILE.touch()
    os.chown(LOG_FILE, owner.pw_uid, owner.pw_gid)
    print(f"==> starting the standby on {HOST}:{REPLICA_PORT} (log: {LOG_FILE})")
    result = as_postgres(
        str(PG_BIN / "pg_ctl"), "-D", str(DATA_DIR), "-l", str(LOG_FILE), "-w", "-t", "60",
        "start", check=False,
    )  # fmt: skip
    if result.returncode != 0:
        log = LOG_FILE.read_text()[-3000:] if LOG_FILE.exists() else ""
        raise Failure(f"the standby did not start:\n{result.stdout}{result.stderr}\n{log}")
    for _ in range(30):
        if in_recovery():
            break
        time.sleep(1)
    else:
        raise Failure("the standby started but does not answer as a server in recovery")
    status()


def status() -> int:
    state = in_recovery()
    if state is None:
        print(f"no server on {HOST}:{REPLICA_PORT}")
        return 1
    if not state:
        print(f"{HOST}:{REPLICA_PORT} runs a server that is not in recovery")
        return 1
    received = query(REPLICA_PORT, "select pg_last_wal_receive_lsn()")
    replayed = query(REPLICA_PORT, "select pg_last_wal_replay_lsn()")
    primary = query(PRIMARY_PORT, "select pg_current_wal_lsn()", check=False)
    streaming = query(
        PRIMARY_PORT, "select count(*) from pg_stat_replication where state = 'streaming'",
        check=False,
    )  # fmt: skip
    print(
        f"standby on {HOST}:{REPLICA_PORT} in recovery: received {received}, replayed "
        f"{replayed}; primary at {primary}, {streaming} streaming standby(s)"
    )
    return 0


def stop(quiet: bool = False) -> None:
    if (DATA_DIR / "postmaster.pid").exists():
        ctl = str(PG_BIN / "pg_ctl")
        as_postgres(ctl, "-D", str(DATA_DIR), "-m", "fast", "-w", "stop", check=False)
        if as_postgres(ctl, "-D", str(DATA_DIR), "status", check=False).returncode == 0:
            raise Failure(f"the standby in {DATA_DIR} did not stop")
        if not quiet:
            print(f"stopped the standby in {DATA_DIR}")
    if DATA_DIR.exists():
        shutil.rmtree(DATA_DIR)
        if not quiet:
            print(f"removed {DATA_DIR}")
    elif not quiet:
        print("no standby to stop")


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[1] not in ("start", "stop", "status"):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        if argv[1] == "start":
            start()
        elif argv[1] == "stop":
            stop()
        else:
            return status()
    except Failure as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
