"""The quarter roll-up .xlsx and one quarterly report .docx (PERFORMANCE.md: ≤ 5 s for 3,000
assignments / ≤ 0.5 s), measured, never asserted.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/zhidao_bench_province_0_05 \\
        .venv/bin/python bench/files.py [--runs 3] [--json FILE]

The roll-up is the federation's quarter (reports/views.py report_rollup): the reports with
their instructors, batches and organizations, the live figures of every assignment from the
summary rows (figures.summary.by_assignment) and the workbook (reports.exports.rollup_workbook).
It is built for the highest federation, over the last whole quarter before today, with a report
for every assignment that ran in that quarter.

The generated tiers hold no quarterly reports at the province tier, and the bench databases are
read-only for the benchmark: so each report is built in memory, unsaved, the way the service
makes one (its figures from reports.figures.compute_figures, submitted, with a narrative), for
the assignments read from the database. The reports query itself is not timed; the assignments
query with the same joins and prefetch stands in for it. Building the figures is the
submission's cost, not the roll-up's, and is not timed either.
"""

import argparse
import json
import os
import statistics
import sys
import time
from datetime import timedelta
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhidao.settings.dev")
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.db.models import Prefetch, Q  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from zhidao.dispatch.models import Assignment, AssignmentStatus  # noqa: E402
from zhidao.figures.periods import Period  # noqa: E402
from zhidao.figures.summary import by_assignment  # noqa: E402
from zhidao.orgs.models import Federation, Organization  # noqa: E402
from zhidao.reports.exports import report_docx, rollup_workbook  # noqa: E402
from zhidao.reports.figures import compute_figures, data_as_of_text, due_date  # noqa: E402
from zhidao.reports.models import QuarterlyReport, ReportStatus  # noqa: E402

NARRATIVE = (
    "按要求每周驻点，走访职工，指导工会规范化建设。\n推动企业建立职工代表大会制度。",
    "基层工会干部多为兼职，工作精力有限。",
    "继续推进工会组织建设和职工服务。",
)


def last_whole_quarter(today) -> Period:
    return Period.quarter_of(Period.quarter_of(today).first - timedelta(days=1))


def quarter_assignments(federation: Federation, period: Period) -> list[Assignment]:
    """The subtree's assignments that ran in the quarter, as the roll-up reads them."""
    ran = (
        ~Q(status=AssignmentStatus.PLANNED)
        & Q(starts_on__lte=period.last)
        & (Q(ended_on__gte=period.first) | Q(ended_on__isnull=True, ends_on__gte=period.first))
    )
    return list(
        Assignment.objects.unscoped()
        .filter(ran, batch__federation__path__startswith=federation.path)
        .select_related("instructor", "batch__federation")
        .prefetch_related(
            Prefetch("organizations", queryset=Organization.objects.unscoped().order_by("pk"))
        )
        .order_by("instructor__name", "pk")
    )


def in_memory_report(assignment: Assignment, period: Period, figures: dict) -> QuarterlyReport:
    now = timezone.now()
    work_done, problems, next_plan = NARRATIVE
    return QuarterlyReport(
        assignment=assignment,
        year=period.year_number,
        quarter=period.quarter_number,
        status=ReportStatus.SUBMITTED,
        due_on=due_date(period.year_number, period.quarter_number),
        figures=figures,
        figures_computed_at=now,
        data_as_of=data_as_of_text(now),
        work_done=work_done,
        problems=problems,
        next_plan=next_plan,
        submitted_at=now,
    )


def timed(function) -> tuple[float, object]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--docx-runs", type=int, default=20)
    parser.add_argument("--json", help="also write the measurements to this file")
    args = parser.parse_args()
    translation.activate("zh-hans")
    today = timezone.localdate()
    federation = Federation.objects.unscoped().order_by("depth", "pk").first()
    period = last_whole_quarter(today)
    assignments = quarter_assignments(federation, period)
    started = time.perf_counter()
    figures = {
        a.pk: compute_figures(a, period.year_number, period.quarter_number) for a in assignments
    }
    prepare_s = time.perf_counter() - started
    print(
        f"{federation.name} {period.label}: {len(assignments)} assignments ran in the quarter "
        f"(their reports' figures computed in {prepare_s:.1f} s, not timed)"
    )
    title = f"{period.year_number}年第{period.quarter_number}季度季度报告"
    runs = []
    for _ in range(args.runs):
        read_s, rows = timed(lambda: quarter_assignments(federation, period))
        reports = [in_memory_report(a, period, figures[a.pk]) for a in rows]
        ids = [report.assignment_id for report in reports]
        live_s, live = timed(partial(by_assignment, ids, period))
        write_s, content = timed(partial(rollup_workbook, reports, title=title, live=live))
        runs.append(
            {
                "read_s": round(read_s, 3),
                "live_s": round(live_s, 3),
                "workbook_s": round(write_s, 3),
                "total_s": round(read_s + live_s + write_s, 3),
                "bytes": len(content),
            }
        )
        print(
            f"roll-up: read {read_s:.2f} s + live figures {live_s:.2f} s + workbook "
            f"{write_s:.2f} s = {read_s + live_s + write_s:.2f} s ({len(content) / 1024:.0f} KB)"
        )
    rollup_s = statistics.median(run["total_s"] for run in runs)
    # Below 3,000 (a smaller scale), the workbook alone for 3,000 rows too: the quarter's
    # reports repeated, each row with its own figures, so the cost per row is the real one.
    workbook_3000_s = None
    if 0 < len(assignments) < 3000:
        rows = quarter_assignments(federation, period)
        reports = [in_memory_report(a, period, figures[a.pk]) for a in rows]
        repeated = (reports * (3000 // len(reports) + 1))[:3000]
        live = by_assignment([r.assignment_id for r in reports], period)
        workbook_3000_s, _content = timed(lambda: rollup_workbook(repeated, title=title, live=live))
        print(f"workbook alone for 3,000 rows (the reports repeated): {workbook_3000_s:.2f} s")

    # One report: the assignment with the most weeks and duties in its figures (the longest).
    longest = max(
        assignments,
        key=lambda a: (len(figures[a.pk].get("weeks", [])), len(figures[a.pk].get("by_duty", []))),
    )
    report = in_memory_report(longest, period, figures[longest.pk])
    report_docx(report)  # python-docx loads its template once per process
    docx_times = []
    for _ in range(args.docx_runs):
        seconds, document = timed(lambda: report_docx(report))
        docx_times.append(seconds)
    docx_s = statistics.median(docx_times)
    print(
        f"one report .docx: median {docx_s * 1000:.0f} ms over {args.docx_runs} runs "
        f"(max {max(docx_times) * 1000:.0f} ms, {len(document) / 1024:.0f} KB, "
        f"{len(figures[longest.pk].get('weeks', []))} weeks)"
    )
    if args.json:
        result = {
            "federation": federation.name,
            "period": period.label,
            "assignments": len(assignments),
            "rollup_runs": runs,
            "rollup_s": rollup_s,
            "workbook_3000_rows_s": workbook_3000_s and round(workbook_3000_s, 3),
            "docx_runs_s": [round(s, 4) for s in docx_times],
            "docx_s": round(docx_s, 4),
        }
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
