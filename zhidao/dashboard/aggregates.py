"""Maintain the dashboard's summary rows (WeeklyFigures) from the field records.

`refresh_dashboard_aggregates(since=...)` recomputes every week from the one holding `since` up to
the current week, in one transaction: the rows of those weeks are replaced. The work is bounded by
the weeks refreshed, never by the whole history. Called by Celery (nightly for the last year,
hourly for the current week), by the `refresh_dashboard_aggregates` command and after load_demo.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone

from zhidao.dispatch.models import Assignment, AssignmentStatus
from zhidao.fieldwork.compliance_selectors import compliance_grid
from zhidao.fieldwork.models import Finding, FindingStatus, PracticalMatter, WorkRecord
from zhidao.holidays.calendar import week_start
from zhidao.orgs.models import Organization

from .models import WeeklyFigures

NIGHTLY_DAYS = 400


def _week(value) -> date:
    return value.date() if hasattr(value, "date") else value


def _per_week(queryset, date_field: str, **aggregates) -> dict[tuple[int, int, date], dict]:
    rows = (
        queryset.annotate(week=TruncWeek(date_field))
        .order_by()
        .values("assignment_id", "organization_id", "week")
        .annotate(**aggregates)
    )
    return {(r["assignment_id"], r["organization_id"], _week(r["week"])): r for r in rows}


def refresh_dashboard_aggregates(*, since: date, today: date | None = None) -> int:
    """Rebuild the rows of every week from `since` to today; returns the number of rows."""
    today = today or timezone.localdate()
    first = week_start(since)
    current = week_start(today)
    if first > current:
        return 0
    mondays = []
    monday = first
    while monday <= current:
        mondays.append(monday)
        monday += timedelta(weeks=1)
    last = current + timedelta(days=6)
    assignments = (
        Assignment.objects.exclude(status=AssignmentStatus.PLANNED)
        .annotate(term_end=Coalesce("ended_on", "ends_on"))
        .filter(starts_on__lte=last, term_end__gte=first)
        .select_related("instructor")
    )
    grid = compliance_grid(assignments, mondays=mondays, today=today)
    links = defaultdict(list)
    for assignment_id, organization_id, federation_id, path in Organization.objects.filter(
        assignment_links__assignment__in=[row.assignment.pk for row in grid.rows]
    ).values_list("assignment_links__assignment_id", "pk", "federation_id", "federation__path"):
        links[assignment_id].append((organization_id, federation_id, path))

    window = {"assignment__in": assignments.values("pk")}
    records = defaultdict(lambda: defaultdict(int))
    for row in (
        WorkRecord.objects.filter(**window, worked_on__gte=first, worked_on__lte=last)
        .annotate(week=TruncWeek("worked_on"))
        .order_by()
        .values("assignment_id", "organization_id", "week", "duty")
        .annotate(n=Count("pk"))
    ):
        key = (row["assignment_id"], row["organization_id"], _week(row["week"]))
        records[key][row["duty"]] += row["n"]
    matters = _per_week(
        PracticalMatter.objects.filter(
            **window, status="done", completed_on__gte=first, completed_on__lte=last
        ),
        "completed_on",
        done=Count("pk"),
        people=Sum("beneficiaries_count"),
    )
    findings = _per_week(
        Finding.objects.filter(**window, created_at__date__gte=first, created_at__date__lte=last),
        "created_at",
        opened=Count("pk"),
        closed=Count("pk", filter=Q(status=FindingStatus.CLOSED)),
    )

    rows = []
    for grid_row in grid.rows:
        assignment = grid_row.assignment
        for cell in grid_row.cells:
            if cell.state in ("outside", "upcoming"):
                continue
            for organization_id, federation_id, path in links[assignment.pk]:
                key = (assignment.pk, organization_id, cell.week.start)
                by_duty = dict(records.get(key, {}))
                matter = matters.get(key, {})
                finding = findings.get(key, {})
                rows.append(
                    WeeklyFigures(
                        federation_id=federation_id,
                        federation_path=path,
                        organization_id=organization_id,
                        assignment_id=assignment.pk,
                        instructor_id=assignment.instructor_id,
                        week_start=cell.week.start,
                        state=cell.state,
                        confirmed_days=cell.confirmed_days,
                        work_records=sum(by_duty.values()),
                        work_records_by_duty=by_duty,
                        matters_done=matter.get("done", 0),
                        beneficiaries=matter.get("people") or 0,
                        findings_opened=finding.get("opened", 0),
                        findings_closed=finding.get("closed", 0),
                    )
                )
    with transaction.atomic():
        WeeklyFigures.objects.filter(week_start__gte=first).delete()
        WeeklyFigures.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
