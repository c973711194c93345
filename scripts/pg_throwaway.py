"""Create or drop a throwaway PostgreSQL database for one test run (used by test.sh).

    python scripts/pg_throwaway.py create NAME
    python scripts/pg_throwaway.py drop NAME   # also drops pytest-django's test_NAME* copies

The server is PG_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres, trust auth).
"""

import os
import sys

import psycopg
from psycopg import sql

ADMIN_URL = os.environ.get("PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def main(action: str, name: str) -> None:
    try:
        connection = psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        sys.exit(f"PostgreSQL is not reachable at {ADMIN_URL}: {error}")
    with connection:
        if action == "create":
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return
        copies = connection.execute(
            "SELECT datname FROM pg_database WHERE datname = %s OR datname LIKE %s",
            [name, f"test\\_{name}%"],
        ).fetchall()
        for (database,) in copies:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
            )


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in {"create", "drop"}:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
