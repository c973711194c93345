"""The bench-only gunicorn server: start it on a loopback port with bench/server_settings.py,
wait until it answers, stop it afterwards; and a logged-in session cookie for its requests."""

import http.client
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SETTINGS = "bench.server_settings"
# The server's collected static files: under var/ (not in git), collected again at each start.
STATIC_ROOT = ROOT / "var" / "bench-static"


def server_env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DEBUG": "false",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "BENCH_STATIC_ROOT": str(STATIC_ROOT),
        **extra,
    }


def collect_static() -> None:
    """collectstatic into the bench's own directory, hashed and compressed as production's."""
    subprocess.run(  # noqa: S603  our interpreter, our arguments
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=server_env(),
        check=True,
    )


def wait_until_up(port: int, process: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/__bench__/hello/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer on port {port} within {timeout:g} s")


@contextmanager
def gunicorn(port: int, *, workers: int = 2, **extra_env: str) -> Iterator[str]:
    """Yields the server's base URL; sync workers, as README's deployment runs it."""
    collect_static()
    process = subprocess.Popen(  # noqa: S603
        [
            PYTHON,
            "-m",
            "gunicorn",
            "zhidao.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--chdir",
            str(ROOT),
            "--log-level",
            "warning",
            # The workers import the app once, before they fork (as a deployment would).
            "--preload",
        ],
        cwd=ROOT,
        env=server_env(**extra_env),
    )
    try:
        wait_until_up(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def session_cookie(user) -> tuple[str, str]:
    """(cookie name, value) of a new logged-in session of the user, made the way the test
    client logs in (the session row is written to the database the server reads)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value
