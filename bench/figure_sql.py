"""A dashboard figure against hand-written SQL of the same figure (PERFORMANCE.md: ≤ 1.5 ×),
measured, never asserted.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/zhidao_bench_province_0_05 \\
        .venv/bin/python bench/figure_sql.py [--runs 20] [--json FILE]

The figure is the dashboard's instructor coverage as the dashboard reads it (figures.summary.
rolled_up, from the federations' roll-up rows of the current quarter): per direct child of the
highest federation, the active organizations existing today and those covered by an assignment
running today. The hand-written SQL counts the same from the records (organizations, assignments
and their links) in one statement; the run checks that both give the same numbers for every
child, then times them in turn (medians over the runs, in the same process and connection).
"""

import argparse
import json
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

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from zhidao.dispatch.models import Assignment, AssignmentOrganization, AssignmentStatus  # noqa: E402
from zhidao.figures.facts import aware_range  # noqa: E402
from zhidao.figures.periods import Period  # noqa: E402
from zhidao.figures.summary import rolled_up  # noqa: E402
from zhidao.orgs.models import Federation, Organization, OrganizationStatus  # noqa: E402

SQL = """
WITH active AS (
    SELECT substr(f.path, 1, %(length)s) AS grp, count(*) AS n
    FROM {organization} o JOIN {federation} f ON f.id = o.federation_id
    WHERE f.path LIKE %(prefix)s AND o.status = %(active)s AND o.created_at < %(end)s
    GROUP BY 1
), covered AS (
    SELECT substr(f.path, 1, %(length)s) AS grp, count(DISTINCT link.organization_id) AS n
    FROM {link} link
    JOIN {assignment} a ON a.id = link.assignment_id
    JOIN {organization} o ON o.id = link.organization_id
    JOIN {federation} f ON f.id = o.federation_id
    WHERE a.status <> %(planned)s AND a.starts_on <= %(day)s
      AND (a.ended_on >= %(day)s OR (a.ended_on IS NULL AND a.ends_on >= %(day)s))
      AND f.path LIKE %(prefix)s AND o.status = %(active)s AND o.created_at < %(end)s
    GROUP BY 1
)
SELECT coalesce(active.grp, covered.grp), coalesce(active.n, 0), coalesce(covered.n, 0)
FROM active FULL JOIN covered ON covered.grp = active.grp
"""


def like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def hand_written(federation: Federation, day, length: int) -> dict:
    _start, end = aware_range(day, day)
    sql = SQL.format(
        organization=Organization._meta.db_table,
        federation=Federation._meta.db_table,
        link=AssignmentOrganization._meta.db_table,
        assignment=Assignment._meta.db_table,
    )
    params = {
        "length": length,
        "prefix": like_prefix(federation.path),
        "active": OrganizationStatus.ACTIVE,
        "planned": AssignmentStatus.PLANNED,
        "day": day,
        "end": end,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)  # nosec B608  table names from the models' _meta
        return {
            group: {"organizations_active": active, "organizations_covered": covered}
            for group, active, covered in cursor.fetchall()
        }


def timings(function, runs: int) -> list[float]:
    found = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        found.append((time.perf_counter() - started) * 1000)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--json", help="also write the measurements to this file")
    args = parser.parse_args()
    federation = Federation.objects.unscoped().order_by("depth", "pk").first()
    day = timezone.localdate()
    length = len(federation.path) + 5  # as subtree_figures groups by direct child

    quarter = Period.quarter_of(day)
    keys = ("organizations_active", "organizations_covered")

    def figure():
        return {
            group: {key: row[key] for key in keys}
            for group, row in rolled_up(federation, quarter).items()
            if any(row[key] for key in keys)
        }

    def sql():
        return hand_written(federation, day, length)

    from_figure, from_sql = figure(), sql()
    same = from_figure == from_sql
    totals = {
        key: sum(row[key] for row in from_sql.values())
        for key in ("organizations_active", "organizations_covered")
    }
    print(
        f"{federation.name}, {day}: {totals['organizations_covered']} of "
        f"{totals['organizations_active']} active organizations covered, in {len(from_sql)} "
        f"groups; figures module and SQL agree: {same}"
    )
    figure_ms, sql_ms = [], []
    for _ in range(args.runs):  # in turn, so that both see the same machine
        figure_ms += timings(figure, 1)
        sql_ms += timings(sql, 1)
    ratio = statistics.median(figure_ms) / max(statistics.median(sql_ms), 0.01)
    print(
        f"rolled_up median {statistics.median(figure_ms):.1f} ms, hand-written SQL median "
        f"{statistics.median(sql_ms):.1f} ms: {ratio:.2f} ×"
    )
    if args.json:
        result = {
            "figure": "instructor coverage (figures.summary.rolled_up, from the roll-up rows)",
            "federation": federation.name,
            "day": day.isoformat(),
            "groups": len(from_sql),
            "totals": totals,
            "same": same,
            "figure_median_ms": round(statistics.median(figure_ms), 2),
            "sql_median_ms": round(statistics.median(sql_ms), 2),
            "ratio": round(ratio, 2),
        }
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
