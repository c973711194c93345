"""Weekly compliance (每星期驻点不少于1天): for each assignment and ISO week of its term, was the
rule met?

The whole grid is computed from a handful of queries whatever the number of assignments and weeks:
one aggregate counting confirmed, unconfirmed and disputed on-site dates per (assignment, week),
the holiday table of the window, and the approved leave of the window; the cells are then combined
in memory. Every query is bounded to the weeks shown, so its cost does not grow with history.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhidao.accounts.scope import scope_of
from zhidao.core.scoping import CHANGE
from zhidao.core.selectors import SEARCH_RANK, apply_search
from zhidao.dispatch.models import Assignment, AssignmentStatus
from zhidao.dispatch.selectors import assignments_visible_to
from zhidao.fieldwork.models import LeaveRequest, LeaveStatus, OnSiteDay, OnSiteDayStatus
from zhidao.fieldwork.selectors import leave_requests_visible_to
from zhidao.holidays.calendar import WorkingCalendar, week_start
from zhidao.orgs.models import Organization

DEFAULT_WEEKS = 12
MAX_WEEKS = 53


class WeekState:
    MET = "met"
    MISSED = "missed"
    EXEMPT = "exempt"
    PENDING = "pending"
    UPCOMING = "upcoming"
    OUTSIDE = "outside"

    LABELS = {
        MET: pgettext_lazy("compliance week", "Met"),
        MISSED: pgettext_lazy("compliance week", "Missed"),
        EXEMPT: pgettext_lazy("compliance week", "Exempt"),
        PENDING: pgettext_lazy("compliance week", "Pending"),
        UPCOMING: pgettext_lazy("compliance week", "Not yet begun"),
        OUTSIDE: pgettext_lazy("compliance week", "Outside the term"),
    }


class ExemptReason:
    HOLIDAY = "holiday"
    LEAVE = "leave"

    LABELS = {
        HOLIDAY: _("Public holiday week"),
        LEAVE: _("Approved leave or official travel"),
    }


THIS_WEEK_LABELS = {
    "met": pgettext_lazy("this week", "Done"),
    "exempt": pgettext_lazy("this week", "No on-site day due this week"),
    "unconfirmed": pgettext_lazy("this week", "Awaiting confirmation"),
    "missed": pgettext_lazy("this week", "Not on site yet"),
}


@dataclass(frozen=True)
class Week:
    start: date
    calendar_missing: bool
    holiday_names: tuple[str, ...] = ()

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def iso(self) -> tuple[int, int]:
        year, week, _weekday = self.start.isocalendar()
        return year, week

    @property
    def key(self) -> str:
        year, week = self.iso
        return f"{year}-W{week:02d}"


@dataclass
class Cell:
    week: Week
    state: str
    confirmed_days: int = 0
    unconfirmed_days: int = 0
    disputed_days: int = 0
    exempt_reason: str = ""
    # Exempt by leave approved only after the week ended (补报, FIGURES.md "on-site rule").
    exempt_late: bool = False

    @property
    def label(self) -> str:
        return str(WeekState.LABELS[self.state])

    @property
    def exempt_label(self) -> str:
        return str(ExemptReason.LABELS.get(self.exempt_reason, ""))

    @property
    def this_week_status(self) -> tuple[str, str]:
        """What the instructor's home says about the week: done, awaiting confirmation,
        exempt, or not yet on site."""
        if self.state == WeekState.MET:
            return "met", str(THIS_WEEK_LABELS["met"])
        if self.state == WeekState.EXEMPT:
            return "exempt", str(THIS_WEEK_LABELS["exempt"])
        if self.unconfirmed_days:
            return "unconfirmed", str(THIS_WEEK_LABELS["unconfirmed"])
        return "missed", str(THIS_WEEK_LABELS["missed"])

    @property
    def calendar_missing(self) -> bool:
        return self.week.calendar_missing and self.state != WeekState.OUTSIDE


@dataclass
class Row:
    assignment: Assignment
    cells: list[Cell]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float | None:
        """met / (weeks of the term shown − exempt − pending); None when nothing was due."""
        due = self.counts.get(WeekState.MET, 0) + self.counts.get(WeekState.MISSED, 0)
        return self.counts.get(WeekState.MET, 0) / due if due else None

    @property
    def rate_percent(self) -> int | None:
        rate = self.rate
        return None if rate is None else round(rate * 100)


@dataclass
class Grid:
    weeks: list[Week]
    rows: list[Row]
    today: date

    @property
    def current_week(self) -> date:
        return week_start(self.today)


def week_window(*, end: date, weeks: int = DEFAULT_WEEKS) -> list[date]:
    """The Mondays of `weeks` ISO weeks ending with the week holding `end`."""
    weeks = max(1, min(weeks, MAX_WEEKS))
    last = week_start(end)
    return [last - timedelta(weeks=offset) for offset in range(weeks - 1, -1, -1)]


def compliance_assignments(
    user, *, mondays: list[date], federation=None, batch=None, q: str = ""
) -> QuerySet[Assignment]:
    """Assignments the user may see whose term overlaps the weeks, each row's labels joined."""
    first, last = mondays[0], mondays[-1] + timedelta(days=6)
    assignments = (
        assignments_visible_to(user)
        .exclude(status=AssignmentStatus.PLANNED)
        .annotate(term_end=Coalesce("ended_on", "ends_on"))
        .filter(starts_on__lte=last, term_end__gte=first)
    )
    if federation is not None:
        assignments = assignments.filter(batch__federation__path__startswith=federation.path)
    if batch is not None:
        assignments = assignments.filter(batch=batch)
    order: tuple = ("instructor__name", "instructor_id", "starts_on", "pk")
    if q.strip():
        assignments = apply_search(assignments, q, prefix="instructor__", then_by=order[1:])
        order = (SEARCH_RANK, *order)
    return (
        assignments.select_related("instructor", "batch")
        .prefetch_related(
            Prefetch(
                "organizations",
                queryset=Organization.objects.only("pk", "name").order_by("name", "pk"),
            )
        )
        .order_by(*order)
    )


def _day_counts(assignment_ids, first: date, last: date) -> dict[tuple[int, date], dict]:
    rows = (
        # The days of assignments the caller has already scoped.
        OnSiteDay.objects.unscoped()
        .filter(assignment_id__in=assignment_ids, on_date__gte=first, on_date__lte=last)
        .annotate(week=TruncWeek("on_date"))
        .order_by()
        .values("assignment_id", "week")
        .annotate(
            confirmed=Count("on_date", filter=Q(status=OnSiteDayStatus.CONFIRMED), distinct=True),
            unconfirmed=Count(
                "on_date", filter=Q(status=OnSiteDayStatus.UNCONFIRMED), distinct=True
            ),
            disputed=Count("on_date", filter=Q(status=OnSiteDayStatus.DISPUTED), distinct=True),
        )
    )
    counts = {}
    for row in rows:
        week = row["week"]
        if hasattr(week, "date"):  # a datetime on some backends
            week = week.date()
        counts[(row["assignment_id"], week)] = row
    return counts


@dataclass(frozen=True)
class ApprovedLeave:
    starts_on: date
    ends_on: date
    decided_on: date | None

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


def _approved_leave(instructor_ids, first: date, last: date) -> dict[int, list[ApprovedLeave]]:
    leave = defaultdict(list)
    for instructor_id, starts_on, ends_on, decided_at in (
        LeaveRequest.objects.unscoped()
        .filter(
            instructor_id__in=instructor_ids,
            status=LeaveStatus.APPROVED,
            starts_on__lte=last,
            ends_on__gte=first,
        )
        .values_list("instructor_id", "starts_on", "ends_on", "decided_at")
    ):
        decided_on = timezone.localdate(decided_at) if decided_at else None
        leave[instructor_id].append(ApprovedLeave(starts_on, ends_on, decided_on))
    return leave


def compliance_grid(
    assignments: Iterable[Assignment],
    *,
    mondays: list[date],
    today: date,
    assignment_ids=None,
) -> Grid:
    """The grid for the given assignments (already fetched: a page of rows, or all of them).

    `assignment_ids` may be a subquery standing for the same assignments, so a long list of ids
    never goes into the SQL.
    """
    assignments = list(assignments)
    first, last = mondays[0], mondays[-1] + timedelta(days=6)
    calendar = WorkingCalendar(first, last)
    weeks = [Week(monday, *_calendar_week(calendar, monday)) for monday in mondays]
    if not assignments:
        return Grid(weeks=weeks, rows=[], today=today)
    if assignment_ids is None:
        assignment_ids = [assignment.pk for assignment in assignments]
    counts = _day_counts(assignment_ids, first, last)
    leave = _approved_leave({assignment.instructor_id for assignment in assignments}, first, last)
    current = week_start(today)
    rows = []
    for assignment in assignments:
        term_end = assignment.ended_on or assignment.ends_on
        cells = []
        tally: dict[str, int] = defaultdict(int)
        for week in weeks:
            cell = _cell(
                week,
                assignment=assignment,
                term_end=term_end,
                counts=counts.get((assignment.pk, week.start)),
                leave=leave.get(assignment.instructor_id, ()),
                calendar=calendar,
                current=current,
            )
            tally[cell.state] += 1
            cells.append(cell)
        rows.append(Row(assignment=assignment, cells=cells, counts=dict(tally)))
    return Grid(weeks=weeks, rows=rows, today=today)


def _calendar_week(calendar: WorkingCalendar, monday: date) -> tuple[bool, tuple[str, ...]]:
    exemption = calendar.week(monday)
    return exemption.calendar_missing, exemption.holiday_names


def is_required(week_monday: date, *, starts_on: date, term_end: date) -> bool:
    """A week is required of an assignment when its term holds the week's Thursday (ISO 8601:
    the Thursday also gives the week its quarter and year), FIGURES.md "periods"."""
    return starts_on <= week_monday + timedelta(days=3) <= term_end


def _cell(week: Week, *, assignment, term_end, counts, leave, calendar, current) -> Cell:
    if not is_required(week.start, starts_on=assignment.starts_on, term_end=term_end):
        return Cell(week, WeekState.OUTSIDE)
    if week.start > current:
        return Cell(week, WeekState.UPCOMING)
    counts = counts or {}
    cell = Cell(
        week,
        WeekState.MISSED,
        confirmed_days=counts.get("confirmed", 0),
        unconfirmed_days=counts.get("unconfirmed", 0),
        disputed_days=counts.get("disputed", 0),
    )
    if cell.confirmed_days >= assignment.min_days_per_week:
        cell.state = WeekState.MET
        return cell
    # Exempt when every working day of the week (调休 weekend days included, holidays not) is
    # covered by approved leave. Days of the week outside the term are owed nothing: a term that
    # starts on a Wednesday needs no leave for the Monday and Tuesday.
    in_term = calendar.working_days(max(week.start, assignment.starts_on), min(week.end, term_end))
    if not in_term:
        cell.state, cell.exempt_reason = WeekState.EXEMPT, ExemptReason.HOLIDAY
        return cell
    if leave and all(any(item.covers(day) for item in leave) for day in in_term):
        cell.state, cell.exempt_reason = WeekState.EXEMPT, ExemptReason.LEAVE
        cell.exempt_late = any(
            item.decided_on is not None and item.decided_on > week.end
            for item in leave
            if any(item.covers(day) for day in in_term)
        )
        return cell
    if week.start == current:
        cell.state = WeekState.PENDING
    return cell


def weekly_compliance(
    user, *, weeks: list[date], federation=None, batch=None, today: date | None = None
) -> Grid:
    """The compliance grid of every assignment the user may see over the given weeks (Mondays)."""
    assignments = compliance_assignments(user, mondays=weeks, federation=federation, batch=batch)
    return compliance_grid(
        assignments,
        mondays=weeks,
        today=today or timezone.localdate(),
        assignment_ids=assignments.values("pk"),
    )


def this_week_for_instructor(user, *, today: date) -> list[Row]:
    """The instructor's active assignments and the state of the current ISO week."""
    scope = scope_of(user)
    if scope.instructor_id is None:
        return []
    monday = week_start(today)
    assignments = compliance_assignments(user, mondays=[monday]).filter(
        instructor_id=scope.instructor_id, status=AssignmentStatus.ACTIVE
    )
    return compliance_grid(assignments, mondays=[monday], today=today).rows


# ----- leave -----


def leave_requests_administered_by(user) -> QuerySet[LeaveRequest]:
    return LeaveRequest.objects.visible_to(user, CHANGE)


def leave_list(user) -> QuerySet[LeaveRequest]:
    """The leave list page's rows (filters.LeaveRequestFilterSet narrows them)."""
    return (
        leave_requests_visible_to(user)
        .select_related("instructor__federation", "decided_by")
        .order_by("-starts_on", "-id")
    )
