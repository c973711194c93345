"""Throughput of the instructor's home page under gunicorn, as a share of a bare Django view
served the same way in the same run (PERFORMANCE.md: ≥ 25 %), measured, never asserted.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/zhidao_bench_province_0_05 \\
        .venv/bin/python bench/throughput.py [--port 8741] [--duration 10] [--json FILE]

gunicorn with 2 sync workers on loopback (bench/server.py, bench/server_settings.py), the load
from this process (bench/load.py: 8 threads, a warm-up, then a bounded window; the two pages in
turn, two rounds), both with the same logged-in instructor's session cookie: the bare view
goes through the same middleware (session, user, scope) and only skips the page's own work.
The load generator shares the machine's cores with the server, as it would on a 2-core box;
read the ratio, not the rates.
"""

import argparse
import http.client
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.server_settings"

import django  # noqa: E402

django.setup()

from bench.load import run_load  # noqa: E402
from bench.server import gunicorn, session_cookie  # noqa: E402
from zhidao.dispatch.models import AssignmentStatus, Instructor  # noqa: E402

HELLO = "/__bench__/hello/"
HOME = "/"


def bench_instructor():
    """The instructor pages.py logs in as: the first with a running assignment and a login."""
    instructor = (
        Instructor.objects.filter(assignments__status=AssignmentStatus.ACTIVE, user__isnull=False)
        .order_by("pk")
        .first()
    )
    return instructor.user


def fetch(base: str, path: str, headers: dict[str, str]) -> tuple[int, str]:
    connection = http.client.HTTPConnection(base.removeprefix("http://"), timeout=30)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    return response.status, response.read().decode("utf-8", "replace")


def rate(windows: list[dict]) -> float:
    """Pages served per second over all the windows of one page."""
    return sum(w["ok"] for w in windows) / sum(w["seconds"] for w in windows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8741)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", help="also write the measurements to this file")
    args = parser.parse_args()
    user = bench_instructor()
    name, value = session_cookie(user)
    headers = {"Cookie": f"{name}={value}", "Accept-Language": "zh-CN,zh;q=0.9"}
    result: dict = {"user": user.username, "workers": args.workers}
    with gunicorn(args.port, workers=args.workers) as base:
        status, body = fetch(base, HOME, headers)
        # Logged in as the instructor, or the run measures the login redirect.
        if status != 200 or "mine-title" not in body:
            raise SystemExit(f"the instructor home answered HTTP {status} without its rows")
        # In turn, round after round: a change in the machine's load between the two windows
        # then weighs on both pages alike.
        for _round in range(args.rounds):
            for label, path in (("hello", HELLO), ("home", HOME)):
                measured = run_load(
                    base + path,
                    headers=headers,
                    concurrency=args.concurrency,
                    warmup=args.warmup,
                    duration=args.duration,
                )
                result.setdefault(label, []).append(measured)
                print(
                    f"{label:6} {measured['per_second']:8.1f} req/s  median "
                    f"{measured['median_ms']} ms  p95 {measured['p95_ms']} ms  ({measured['ok']} "
                    f"served, {measured['errors']} errors in {measured['seconds']} s)"
                )
    result["ratio_percent"] = round(100 * rate(result["home"]) / max(rate(result["hello"]), 0.1), 1)
    print(f"instructor home ÷ bare view: {result['ratio_percent']} %")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
