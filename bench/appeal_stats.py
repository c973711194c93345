"""Server time of the appeal statistics page (/appeals/stats/), measured, never asserted, and
the same numbers from the summary rows as from the live count (issue 14).

Usage (against a database that holds the demo or the province tier, migrated, with the summary
rows built: `manage.py rebuild_appeal_stats`):

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/zhidao_bench \
        .venv/bin/python bench/appeal_stats.py --runs 20 [--user province_admin]

Prints the median server time of the page over the runs and its query count, then compares
the statistics the page shows with those counted live over the same appeals.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhidao.settings.dev")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from zhidao.accounts.models import User  # noqa: E402
from zhidao.appeals import selectors  # noqa: E402

settings.ALLOWED_HOSTS = ["*"]
URL = "/appeals/stats/"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--user", default=None, help="username (default: bench/pages.py's admin)")
    parser.add_argument("--url", default=URL)
    options = parser.parse_args()
    if options.user:
        user = User.objects.get(username=options.user)
    else:
        from bench.pages import logins

        user = logins()["admin"]
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    client.get(options.url)  # warm: templates, the user's scope, connections
    times, queries = [], 0
    for _run in range(options.runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(options.url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        queries = len(captured)
    print(
        f"{options.url} as {user.username}: median {statistics.median(times):.1f} ms, "
        f"min {min(times):.1f} ms, {queries} queries, {options.runs} runs"
    )
    if hasattr(selectors, "summary_rows_for"):  # absent before issue 14: nothing to compare
        today = timezone.localdate()
        live = selectors.appeal_stats(selectors.appeal_list(user), today=today)
        shown = selectors.appeal_stats(
            selectors.appeal_list(user), today=today, summary=selectors.summary_rows_for(user)
        )
        same = shown == live
        used = selectors.summary_rows_for(user) is not None
        print(f"summary rows used: {used}; same numbers as live: {same}")
        if not same:
            print(" shown:", shown)
            print(" live: ", live)
        print(f"total {live.total}, open {live.open}, overdue {live.overdue}, rated {live.rated}")


if __name__ == "__main__":
    main()
