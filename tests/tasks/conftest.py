"""The real-worker fixture: a Celery worker process on its own queue, against the real Redis on
127.0.0.1:6379 and the test database. In CI (CI=true) a missing Redis is a failure, never a
skip."""

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from zhidao import celery_app

REDIS = ("127.0.0.1", 6379)
BROKER = "redis://127.0.0.1:6379/15"
ROOT = Path(__file__).resolve().parents[2]


def redis_is_up() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def worker(transactional_db, settings):
    if not redis_is_up():
        if os.environ.get("CI") == "true":
            pytest.fail("Redis is not running on 127.0.0.1:6379; CI needs it")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    queue = f"zhidao-test-{uuid.uuid4().hex[:8]}"
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zhidao.settings.test",
        "CELERY_BROKER_URL": BROKER,
    }
    if database["ENGINE"].endswith("sqlite3"):
        env["SQLITE_PATH"] = database["NAME"]
        env.pop("DATABASE_URL", None)
    else:
        env["DATABASE_URL"] = (
            f"postgresql://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        )
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "zhidao", "worker", "--pool=solo",
         "--concurrency=1", "-Q", queue, "--without-gossip", "--without-mingle",
         "--without-heartbeat", "--loglevel=WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    previous = (celery_app.conf.task_always_eager, celery_app.conf.broker_url)
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = BROKER
    try:
        yield queue
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.broker_url = previous
        process.terminate()
        try:
            output, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        print(output[-3000:])


def send(task, *, queue: str, **options) -> None:
    """Publish through an explicit connection to the test broker: a producer pool that an
    earlier test in this process opened still points at the configured broker, whatever
    celery_app.conf says now."""
    with celery_app.connection_for_write(BROKER) as connection:
        task.apply_async(queue=queue, connection=connection, **options)
