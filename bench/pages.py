"""Server time and query count of the main pages (PERFORMANCE.md), measured, never asserted.

Usage (against a database that holds the demo or the province tier; `bench/run.py` builds both
and runs this on each):

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/zhidao_bench \
        .venv/bin/python bench/pages.py --runs 30 [--json FILE]

Prints, per page, the median and p95 of the server time over the runs, the query count, and the
ratio of the median to a bare "hello" view measured in the same run (these machines are noisy,
so ratios are what compare between runs).
"""

import argparse
import gzip
import json
import os
import re
import resource
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
from django.contrib.staticfiles import finders  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from zhidao.accounts.models import Role, RoleGrant, User  # noqa: E402
from zhidao.appeals.models import Appeal  # noqa: E402
from zhidao.dispatch.models import Assignment, AssignmentStatus, Instructor  # noqa: E402
from zhidao.fieldwork.models import OnSiteDay, WorkRecord  # noqa: E402
from zhidao.orgs.models import Organization, Union  # noqa: E402

settings.ALLOWED_HOSTS = ["*"]
# The benchmark needs no collectstatic: hashed names would only add a manifest lookup.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def logins() -> dict[str, User]:
    """Who opens the pages, found the same way at every tier: the admin of the highest federation,
    an instructor with a running assignment, an officer of a union."""
    admin = (
        RoleGrant.objects.filter(role=Role.FEDERATION_ADMIN, user__is_active=True)
        .select_related("user")
        .order_by("federation__depth", "pk")
        .first()
        .user
    )
    instructor = (
        Instructor.objects.filter(assignments__status=AssignmentStatus.ACTIVE, user__isnull=False)
        .order_by("pk")
        .first()
    )
    officer = (
        User.objects.filter(role_grants__role=Role.UNION_OFFICER, is_active=True)
        .order_by("pk")
        .first()
    )
    return {"admin": admin, "instructor": instructor.user, "officer": officer}


# (who, label, url, kind): kind is the PERFORMANCE.md target it is held to.
def pages() -> list[tuple[str, str, str, str]]:
    organization = Organization.objects.filter(union__isnull=False).order_by("pk").first()
    union = Union.objects.order_by("pk").first()
    instructor = Instructor.objects.order_by("pk").first()
    assignment = Assignment.objects.order_by("-pk").first()
    return [
        ("admin", "admin home", "/", "list"),
        ("admin", "federation dashboard", "/dashboard/", "dashboard"),
        ("admin", "compliance heat map", "/fieldwork/compliance/", "dashboard"),
        ("admin", "on-site day list", "/fieldwork/days/", "list"),
        ("admin", "work record list", "/fieldwork/records/", "list"),
        ("admin", "appeal list", "/appeals/", "list"),
        ("admin", "appeal statistics", "/appeals/stats/", "dashboard"),
        ("admin", "organization list", "/orgs/organizations/", "list"),
        ("admin", "organization search jl", "/orgs/organizations/?q=jl", "list"),
        ("admin", "organization detail", f"/orgs/organizations/{organization.pk}/", "detail"),
        ("admin", "union list", "/orgs/unions/", "list"),
        ("admin", "union detail", f"/orgs/unions/{union.pk}/", "detail"),
        ("admin", "federation list", "/orgs/federations/", "list"),
        ("admin", "instructor list", "/dispatch/instructors/", "list"),
        ("admin", "instructor detail", f"/dispatch/instructors/{instructor.pk}/", "detail"),
        ("admin", "assignment list", "/dispatch/assignments/", "list"),
        ("admin", "assignment detail", f"/dispatch/assignments/{assignment.pk}/", "detail"),
        ("admin", "instructor autocomplete 欧", "/dispatch/instructors/autocomplete/?q=欧", "list"),
        ("admin", "API organizations", "/api/organizations/", "list"),
        ("instructor", "instructor home", "/", "list"),
        ("officer", "union officer home", "/", "list"),
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


def first_load_bytes(client: Client, url: str) -> dict:
    """The page and the styles, scripts and images it names under /static/, each gzip-compressed
    (as a server would send them), read from the app's own static files."""
    page = client.get(url).content
    assets = sorted(set(re.findall(rb'(?:href|src)="/static/([^"?#]+)"', page)))
    sizes = {"page": len(gzip.compress(page))}
    for name in assets:
        path = finders.find(name.decode())
        if path:
            sizes[name.decode()] = len(gzip.compress(Path(path).read_bytes()))
    return {"total_kb": round(sum(sizes.values()) / 1024, 1), "parts": sizes}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--json", help="also write the measurements to this file")
    parser.add_argument("--only", help="only the pages whose label holds one of these, a,b,c")
    args = parser.parse_args()
    clients: dict[str, Client] = {}
    for who, user in logins().items():
        client = Client()
        client.force_login(user)
        clients[who] = client
    baseline, _, _ = measure(Client(), "/accounts/login/", args.runs)
    base = statistics.median(baseline)
    rows = {
        "organizations": Organization.objects.count(),
        "on-site days": OnSiteDay.objects.count(),
        "work records": WorkRecord.objects.count(),
        "appeals": Appeal.objects.count(),
        "instructors": Instructor.objects.count(),
    }
    print(f"database: {connection.vendor}; " + ", ".join(f"{k}: {v}" for k, v in rows.items()))
    print(f"{'page':28} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'× login page':>13}")
    print(f"{'login page (baseline)':28} {base:10.1f}")
    measured = []
    wanted = [word for word in (args.only or "").split(",") if word]
    for who, label, url, kind in pages():
        if wanted and not any(word in label for word in wanted):
            continue
        timings, query_count, status = measure(clients[who], url, args.runs)
        median = statistics.median(timings)
        p95 = statistics.quantiles(timings, n=20)[-1] if len(timings) >= 2 else timings[0]
        flag = "" if status == 200 else f"  (HTTP {status})"
        print(f"{label:28} {median:10.1f} {p95:8.1f} {query_count:8d} {median / base:13.1f}{flag}")
        measured.append(
            {
                "page": label,
                "url": url,
                "kind": kind,
                "median_ms": round(median, 1),
                "p95_ms": round(p95, 1),
                "queries": query_count,
                "status": status,
            }
        )
    check_in = first_load_bytes(clients["instructor"], "/fieldwork/check-in/")
    print(f"check-in page first load (gzip): {check_in['total_kb']} KB")
    # This process served every page above: its peak memory stands for an app worker's.
    rss_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(f"peak RSS of the process after the pages: {rss_mb} MB")
    if args.json:
        result = {
            "baseline_ms": round(base, 1),
            "rows": rows,
            "pages": measured,
            "check_in_first_load": check_in,
            "rss_mb": rss_mb,
        }
        Path(args.json).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
