"""Server time and query count of the main pages (PERFORMANCE.md), measured, never asserted.

Usage (against a database that holds the demo, e.g. after `manage.py load_demo`):

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/zhidao_bench \
        .venv/bin/python bench/pages.py --runs 30

Prints, per page, the median and p95 of the server time over the runs, the query count, and the
ratio of the median to a bare "hello" view measured in the same run (these machines are noisy,
so ratios are what compare between runs).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhidao.settings.dev")
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from zhidao.accounts.models import User  # noqa: E402
from zhidao.dispatch.models import Assignment, Instructor  # noqa: E402
from zhidao.orgs.models import Organization, Union  # noqa: E402

settings.ALLOWED_HOSTS = ["*"]
# The benchmark needs no collectstatic: hashed names would only add a manifest lookup.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def pages() -> list[tuple[str, str, str]]:
    organization = Organization.objects.filter(union__isnull=False).order_by("pk").first()
    union = Union.objects.order_by("pk").first()
    instructor = Instructor.objects.order_by("pk").first()
    assignment = Assignment.objects.order_by("-pk").first()
    return [
        ("admin", "home", "/"),
        ("admin", "organization list", "/orgs/organizations/"),
        ("admin", "organization search jl", "/orgs/organizations/?q=jl"),
        ("admin", "organization detail", f"/orgs/organizations/{organization.pk}/"),
        ("admin", "union list", "/orgs/unions/"),
        ("admin", "union detail", f"/orgs/unions/{union.pk}/"),
        ("admin", "federation list", "/orgs/federations/"),
        ("admin", "instructor list", "/dispatch/instructors/"),
        ("admin", "instructor detail", f"/dispatch/instructors/{instructor.pk}/"),
        ("admin", "assignment list", "/dispatch/assignments/"),
        ("admin", "assignment detail", f"/dispatch/assignments/{assignment.pk}/"),
        ("admin", "audit log", "/audit/"),
        ("admin", "API organizations", "/api/organizations/"),
        ("ouyang", "instructor home", "/"),
        ("geely_chair", "union officer home", "/"),
    ]


def measure(client: Client, url: str, runs: int) -> tuple[list[float], int, int]:
    client.get(url)  # warm caches and connections
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return timings, len(queries), response.status_code


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    clients: dict[str, Client] = {}
    for username in {"admin", "ouyang", "geely_chair"}:
        client = Client()
        client.force_login(User.objects.get(username=username))
        clients[username] = client
    baseline, _, _ = measure(Client(), "/accounts/login/", args.runs)
    base = statistics.median(baseline)
    print(f"database: {connection.vendor}; organizations: {Organization.objects.count()}")
    print(f"{'page':28} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'× login page':>13}")
    print(f"{'login page (baseline)':28} {base:10.1f}")
    for username, label, url in pages():
        timings, query_count, status = measure(clients[username], url, args.runs)
        median = statistics.median(timings)
        p95 = statistics.quantiles(timings, n=20)[-1] if len(timings) >= 2 else timings[0]
        flag = "" if status == 200 else f"  (HTTP {status})"
        print(f"{label:28} {median:10.1f} {p95:8.1f} {query_count:8d} {median / base:13.1f}{flag}")


if __name__ == "__main__":
    main()
