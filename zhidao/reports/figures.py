"""The figures of a quarterly report: the figures module's live figures of the assignment and
quarter (FIGURES.md), the weeks with the days behind them, the records by duty with their dates,
and the findings overdue and appeals handled that only the report shows.

The snapshot is stored on the report (`version` 2); an approved report keeps it while the live
figures may move on (a day confirmed late): `live_changes` says what differs."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from zhidao.appeals.models import Appeal
from zhidao.fieldwork.models import Duty, Finding, WorkRecord
from zhidao.figures.facts import aware_range
from zhidao.figures.live import ALL_KEYS, collect_for, summarize, week_details
from zhidao.figures.periods import Period

VERSION = 2


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    period = Period.quarter(year, quarter)
    return period.first, period.last


def quarter_of(day: date) -> tuple[int, int]:
    period = Period.quarter_of(day)
    return period.year_number, period.quarter_number


def due_date(year: int, quarter: int) -> date:
    """The 10th day after the quarter ends (REPORTS_DUE_DAYS_AFTER_QUARTER)."""
    _first, last = quarter_bounds(year, quarter)
    return last + timedelta(days=getattr(settings, "REPORTS_DUE_DAYS_AFTER_QUARTER", 10))


def _by_duty(assignment, period: Period) -> list[dict]:
    dates_by_duty: dict[str, list[str]] = {}
    records = WorkRecord.objects.filter(
        assignment=assignment, worked_on__gte=period.first, worked_on__lte=period.last
    ).values_list("duty", "worked_on")
    for duty, worked_on in records.order_by("worked_on", "id"):
        dates_by_duty.setdefault(duty, []).append(worked_on.isoformat())
    return [
        {"duty": duty, "count": len(dates_by_duty[duty]), "dates": dates_by_duty[duty]}
        for duty in Duty.values
        if duty in dates_by_duty
    ]


def _overdue(assignment, period: Period, today: date) -> int:
    """Findings whose due date fell in the quarter (and has passed) and that were not closed
    by the end of that day."""
    overdue = 0
    until = min(period.last, today - timedelta(days=1))
    for due_on, closed_at in Finding.objects.filter(
        assignment=assignment, due_on__gte=period.first, due_on__lte=until
    ).values_list("due_on", "closed_at"):
        if closed_at is None or timezone.localdate(closed_at) > due_on:
            overdue += 1
    return overdue


def _appeals_handled(assignment, period: Period) -> int:
    start, end = aware_range(period.first, period.last)
    return (
        Appeal.objects.filter(organization__assignment_links__assignment=assignment)
        .annotate(handled_at=Coalesce("resolved_at", "closed_at"))
        .filter(Q(handled_at__gte=start) & Q(handled_at__lt=end))
        .values("pk")
        .distinct()
        .count()
    )


def compute_figures(assignment, year: int, quarter: int, *, today: date | None = None) -> dict:
    """The JSON snapshot stored on the report."""
    today = today or timezone.localdate()
    period = Period.quarter(year, quarter)
    facts = collect_for(assignment, period, today=today)
    return {
        "version": VERSION,
        "period": {"first": period.first.isoformat(), "last": period.last.isoformat()},
        "counts": summarize(facts, assignment.pk, period),
        "weeks": week_details(facts, assignment.pk, period),
        "by_duty": _by_duty(assignment, period),
        "findings_overdue": _overdue(assignment, period, today),
        "appeals_handled": _appeals_handled(assignment, period),
    }


def live_counts(assignment, year: int, quarter: int, *, today: date | None = None) -> dict:
    period = Period.quarter(year, quarter)
    return summarize(
        collect_for(assignment, period, today=today or timezone.localdate()),
        assignment.pk,
        period,
    )


def counts_of(figures: dict) -> dict:
    """The counts of a stored snapshot; a snapshot of the first version maps what it had."""
    if figures.get("version") == VERSION:
        return figures.get("counts", {})
    weeks = figures.get("weeks") or {}
    findings = figures.get("findings") or {}
    matters = figures.get("practical_matters") or {}
    old = {
        "weeks_met": weeks.get("met"),
        "weeks_missed": weeks.get("missed"),
        "weeks_exempt": weeks.get("exempt"),
        "weeks_pending": weeks.get("pending"),
        "on_site_days": figures.get("on_site_days"),
        "work_records": (figures.get("work_records") or {}).get("total"),
        "findings_opened": findings.get("opened"),
        "findings_closed": findings.get("closed"),
        "matters_done": matters.get("done"),
    }
    return {key: value for key, value in old.items() if value is not None}


def live_changes(frozen: dict, live: dict) -> list[tuple[str, int, int]]:
    """(key, frozen, live) for every count that differs."""
    return [
        (key, frozen.get(key, 0), live.get(key, 0))
        for key in ALL_KEYS
        if key in frozen and frozen.get(key, 0) != live.get(key, 0)
    ]


def data_as_of_text(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return _(
        "On-site days, work records, findings, practical matters and appeals "
        "as recorded at %(time)s"
    ) % {"time": local.strftime("%Y-%m-%d %H:%M")}


def duty_label(duty: str) -> str:
    return str(dict(Duty.choices).get(duty, duty))
