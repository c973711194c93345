"""The figures of a quarterly report, computed from the quarter's records.

A handful of bounded queries per report (all filtered by the assignment and the quarter's dates),
so the cost does not grow with the years of history.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from zhidao.appeals.models import Appeal
from zhidao.fieldwork.compliance_selectors import WeekState, compliance_grid
from zhidao.fieldwork.models import (
    Duty,
    Finding,
    OnSiteDay,
    OnSiteDayStatus,
    PracticalMatter,
    PracticalMatterStatus,
    WorkRecord,
)
from zhidao.holidays.calendar import week_start


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    first = date(year, 3 * quarter - 2, 1)
    next_first = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, next_first - timedelta(days=1)


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def due_date(year: int, quarter: int) -> date:
    """The 10th day after the quarter ends (REPORTS_DUE_DAYS_AFTER_QUARTER)."""
    _first, last = quarter_bounds(year, quarter)
    return last + timedelta(days=getattr(settings, "REPORTS_DUE_DAYS_AFTER_QUARTER", 10))


def quarter_mondays(year: int, quarter: int) -> list[date]:
    """The Mondays that fall inside the quarter (each ISO week counts in one quarter only)."""
    first, last = quarter_bounds(year, quarter)
    monday = week_start(first)
    if monday < first:
        monday += timedelta(weeks=1)
    mondays = []
    while monday <= last:
        mondays.append(monday)
        monday += timedelta(weeks=1)
    return mondays


def _aware_range(first: date, last: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(first, time.min), tz)
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min), tz)
    return start, end


def compute_figures(assignment, year: int, quarter: int, *, today: date | None = None) -> dict:
    """The JSON snapshot stored on the report."""
    today = today or timezone.localdate()
    first, last = quarter_bounds(year, quarter)
    start, end = _aware_range(first, last)
    grid = compliance_grid([assignment], mondays=quarter_mondays(year, quarter), today=today)
    counts = grid.rows[0].counts if grid.rows else {}
    weeks = {
        state: counts.get(state, 0)
        for state in (WeekState.MET, WeekState.MISSED, WeekState.EXEMPT, WeekState.PENDING)
    }

    on_site_days = (
        OnSiteDay.objects.filter(
            assignment=assignment,
            status=OnSiteDayStatus.CONFIRMED,
            on_date__gte=first,
            on_date__lte=last,
        )
        .values("on_date")
        .distinct()
        .count()
    )

    dates_by_duty: dict[str, list[str]] = {}
    records = WorkRecord.objects.filter(
        assignment=assignment, worked_on__gte=first, worked_on__lte=last
    ).values_list("duty", "worked_on")
    for duty, worked_on in records.order_by("worked_on", "id"):
        dates_by_duty.setdefault(duty, []).append(worked_on.isoformat())
    by_duty = [
        {"duty": duty, "count": len(dates_by_duty[duty]), "dates": dates_by_duty[duty]}
        for duty in Duty.values
        if duty in dates_by_duty
    ]

    findings = Finding.objects.filter(assignment=assignment)
    overdue_until = min(last, today - timedelta(days=1))
    finding_counts = findings.aggregate(
        opened=Count("pk", filter=Q(created_at__gte=start, created_at__lt=end)),
        closed=Count("pk", filter=Q(closed_at__gte=start, closed_at__lt=end)),
    )
    # Overdue in the quarter: the due date fell in the quarter (and has passed) and the finding
    # was not closed by the end of that day.
    overdue = 0
    for due_on, closed_at in findings.filter(
        due_on__gte=first, due_on__lte=overdue_until
    ).values_list("due_on", "closed_at"):
        if closed_at is None or timezone.localdate(closed_at) > due_on:
            overdue += 1

    matters = PracticalMatter.objects.filter(
        assignment=assignment,
        status=PracticalMatterStatus.DONE,
        completed_on__gte=first,
        completed_on__lte=last,
    ).aggregate(done=Count("pk"), beneficiaries=Sum("beneficiaries_count"))

    appeals = (
        Appeal.objects.filter(organization__assignment_links__assignment=assignment)
        .annotate(handled_at=Coalesce("resolved_at", "closed_at"))
        .filter(handled_at__gte=start, handled_at__lt=end)
        .values("pk")
        .distinct()
        .count()
    )

    return {
        "period": {"first": first.isoformat(), "last": last.isoformat()},
        "weeks": weeks,
        "on_site_days": on_site_days,
        "work_records": {"total": sum(row["count"] for row in by_duty), "by_duty": by_duty},
        "findings": {
            "opened": finding_counts["opened"],
            "closed": finding_counts["closed"],
            "overdue": overdue,
        },
        "practical_matters": {
            "done": matters["done"],
            "beneficiaries": matters["beneficiaries"] or 0,
        },
        "appeals_handled": appeals,
    }


def data_as_of_text(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return _(
        "On-site days, work records, findings, practical matters and appeals "
        "as recorded at %(time)s"
    ) % {"time": local.strftime("%Y-%m-%d %H:%M")}


def duty_label(duty: str) -> str:
    return str(dict(Duty.choices).get(duty, duty))
