"""Keep the summary rows current: rebuild the rows of some assignments for some weeks.

`refresh(assignment_ids, first=, last=)` replaces the rows of the weeks touching first..last, in
one transaction per chunk of assignments, with the assignments locked so that two refreshes of
the same assignment never interleave. It is called for what changed, after the write commits
(signals.py → tasks.py), nightly for the weeks whose state the passing of time changes (a pending
week becomes missed), and by `manage.py refresh_figures` for a full rebuild. Its cost is bounded
by the assignments and weeks refreshed, never by the history."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from zhidao.dispatch.models import Assignment, AssignmentStatus
from zhidao.fieldwork.compliance.selectors import WeekState

from .definitions import WEEK_STATES
from .facts import CONFIRMED, DISPUTED, PENDING, Facts, beneficiary_keys, collect
from .models import AssignmentWeekFigures, OrganizationWeekFigures
from .periods import mondays_between, part_start, quarter_number, thursday_of
from .rollup import recompute as recompute_rollup
from .rollup import recompute_all as recompute_all_rollups

CHUNK = 200
NIGHTLY_WEEKS = 2  # last week (its pending state turns into met/missed) and this week


def _year_quarter(day: date) -> tuple[int, int]:
    return day.year, quarter_number(day)


def _quarter_end(day: date) -> date:
    number = quarter_number(day)
    if number == 4:
        return date(day.year, 12, 31)
    return date(day.year, 3 * number + 1, 1) - timedelta(days=1)


def build_rows(facts: Facts, mondays: list[date], *, now) -> tuple[list, list]:
    """The summary rows of the facts' assignments for the given weeks."""
    assignment_rows: dict[tuple[int, date], AssignmentWeekFigures] = {}
    organization_rows: dict[tuple[int, int, date], OrganizationWeekFigures] = {}
    window = set(mondays)

    def assignment_row(assignment_id: int, day: date) -> AssignmentWeekFigures | None:
        start = part_start(day)
        key = (assignment_id, start)
        row = assignment_rows.get(key)
        if row is None:
            assignment = facts.assignments[assignment_id]
            place = facts.primary.get(assignment_id)
            if place is None:
                return None
            year, quarter = _year_quarter(day)
            row = assignment_rows[key] = AssignmentWeekFigures(
                assignment_id=assignment_id,
                instructor_id=assignment.instructor_id,
                batch_id=assignment.batch_id,
                week_start=day - timedelta(days=day.weekday()),
                part_start=start,
                year=year,
                quarter=quarter,
                federation_id=place.federation_id,
                federation_path=place.federation_path,
                organization_id=place.organization_id,
                refreshed_at=now,
            )
        return row

    def organization_row(
        assignment_id: int, organization_id: int, day: date
    ) -> OrganizationWeekFigures | None:
        start = part_start(day)
        key = (assignment_id, organization_id, start)
        row = organization_rows.get(key)
        if row is None:
            assignment = facts.assignments[assignment_id]
            place = facts.places.get(organization_id)
            if place is None:
                return None
            year, quarter = _year_quarter(day)
            row = organization_rows[key] = OrganizationWeekFigures(
                assignment_id=assignment_id,
                instructor_id=assignment.instructor_id,
                batch_id=assignment.batch_id,
                week_start=day - timedelta(days=day.weekday()),
                part_start=start,
                year=year,
                quarter=quarter,
                federation_id=place.federation_id,
                federation_path=place.federation_path,
                organization_id=organization_id,
                refreshed_at=now,
            )
        return row

    def in_window(day: date) -> bool:
        return day - timedelta(days=day.weekday()) in window

    for (assignment_id, monday), cell in facts.cells.items():
        if monday not in window or cell.state not in WEEK_STATES:
            continue
        row = assignment_row(assignment_id, thursday_of(monday))
        if row is not None:
            row.state = cell.state
            row.exempt_reason = cell.exempt_reason if cell.state == WeekState.EXEMPT else ""
            row.exempt_late = cell.exempt_late
    day_field = {CONFIRMED: "on_site_days", PENDING: "days_pending", DISPUTED: "days_disputed"}
    for (assignment_id, day), kind in facts.day_class.items():
        row = assignment_row(assignment_id, day) if in_window(day) else None
        if row is not None:
            setattr(row, day_field[kind], getattr(row, day_field[kind]) + 1)
    for (assignment_id, organization_id, day), count in facts.visits.items():
        row = organization_row(assignment_id, organization_id, day) if in_window(day) else None
        if row is not None:
            row.site_visits += count
    for (assignment_id, organization_id, day, duty), (count, prompt) in facts.records.items():
        row = organization_row(assignment_id, organization_id, day) if in_window(day) else None
        if row is not None:
            row.work_records += count
            row.prompt_records += prompt
            name = f"records_{duty}"
            setattr(row, name, getattr(row, name) + count)
    for assignment_id, organization_id, found_on, closed_on in facts.found:
        row = organization_row(assignment_id, organization_id, found_on)
        if row is None or not in_window(found_on):
            continue
        row.findings_opened += 1
        if closed_on is not None and closed_on <= _quarter_end(found_on):
            row.findings_opened_closed_in_quarter += 1
        if closed_on is not None and closed_on.year == found_on.year:
            row.findings_opened_closed_in_year += 1
    for assignment_id, organization_id, closed_on in facts.closed:
        row = organization_row(assignment_id, organization_id, closed_on)
        if row is not None and in_window(closed_on):
            row.findings_closed += 1
    for assignment_id, organization_id, completed_on, beneficiary, count in facts.matters:
        row = organization_row(assignment_id, organization_id, completed_on)
        if row is not None and in_window(completed_on):
            row.matters_done += 1
            name = beneficiary_keys(beneficiary)
            setattr(row, name, getattr(row, name) + count)
    return list(assignment_rows.values()), list(organization_rows.values())


def refresh(
    assignment_ids: Iterable[int],
    *,
    first: date,
    last: date,
    today: date | None = None,
    write: Callable[[list, list], None] | None = None,
    rollup: bool = True,
) -> int:
    """Rebuild the rows of the assignments for the weeks touching first..last, and the roll-up
    rows of the federations and years they touch (unless the caller rolls up once for many
    refreshes: `rollup=False`); returns the number of summary rows written."""
    today = today or timezone.localdate()
    ids = sorted(set(assignment_ids))
    mondays = mondays_between(first, min(last, today + timedelta(days=6)))
    if not ids or not mondays:
        return 0
    written = 0
    for index in range(0, len(ids), CHUNK):
        written += _refresh_chunk(ids[index : index + CHUNK], mondays, today, write, rollup)
    return written


def _bulk_create(assignment_rows: list, organization_rows: list) -> None:
    AssignmentWeekFigures.objects.bulk_create(assignment_rows, batch_size=1000)
    OrganizationWeekFigures.objects.bulk_create(organization_rows, batch_size=1000)


def _refresh_chunk(
    ids: list[int],
    mondays: list[date],
    today: date,
    write: Callable | None = None,
    rollup: bool = True,
) -> int:
    window_first, window_last = mondays[0], mondays[-1] + timedelta(days=6)
    with transaction.atomic():
        # Lock the assignments: a refresh of the same assignment waits for this one.
        list(Assignment.objects.unscoped().select_for_update().filter(pk__in=ids).values_list("pk"))
        assignments = list(
            Assignment.objects.unscoped()
            .filter(pk__in=ids)
            .exclude(status=AssignmentStatus.PLANNED)
        )
        facts = collect(
            assignments, mondays=mondays, first=window_first, last=window_last, today=today
        )
        assignment_rows, organization_rows = build_rows(facts, mondays, now=timezone.now())
        touched: set[tuple[int, int]] = set()
        for model in (AssignmentWeekFigures, OrganizationWeekFigures):
            old = model.objects.filter(
                assignment_id__in=ids, week_start__gte=window_first, week_start__lte=mondays[-1]
            )
            if rollup:
                touched.update(old.order_by().values_list("federation_id", "year").distinct())
            old.delete()
        (write or _bulk_create)(assignment_rows, organization_rows)
        if rollup:
            touched.update((row.federation_id, row.year) for row in assignment_rows)
            touched.update((row.federation_id, row.year) for row in organization_rows)
            recompute_rollup(touched, today=today)
    return len(assignment_rows) + len(organization_rows)


def assignments_between(first: date, last: date):
    """Assignments (not planned) whose term overlaps first..last."""
    return (
        Assignment.objects.unscoped()
        .exclude(status=AssignmentStatus.PLANNED)
        .annotate(term_end=Coalesce("ended_on", "ends_on"))
        .filter(starts_on__lte=last, term_end__gte=first)
    )


def refresh_recent(*, today: date | None = None, weeks: int = NIGHTLY_WEEKS) -> int:
    """Nightly: the last weeks of every assignment running in them."""
    today = today or timezone.localdate()
    first = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    ids = assignments_between(first, today).values_list("pk", flat=True)
    written = refresh(ids, first=first, last=today, today=today, rollup=False)
    # Every federation's roll-up of the weeks' years, with today's coverage.
    recompute_all_rollups(today=today, years=range(first.year, today.year + 1))
    return written


def rebuild(
    *,
    today: date | None = None,
    since: date | None = None,
    write: Callable[[list, list], None] | None = None,
) -> int:
    """Every assignment over its whole term (or from `since`), chunk by chunk: a full rebuild
    (after load_demo, or for a new deployment). `write(assignment_rows, organization_rows)`
    replaces bulk_create for the new rows (the province-tier generator writes them with COPY)."""
    today = today or timezone.localdate()
    assignments = (
        Assignment.objects.unscoped()
        .exclude(status=AssignmentStatus.PLANNED)
        .annotate(
            term_end=Coalesce("ended_on", "ends_on"),
            # A finding may be closed after the term ended: that closure counts on its own day.
            last_closure=Max("findings__closed_at"),
        )
    )
    if since is not None:
        assignments = assignments.filter(Q(term_end__gte=since) | Q(last_closure__date__gte=since))
    by_range: dict[tuple[date, date], list[int]] = defaultdict(list)
    for pk, starts_on, term_end, last_closure in assignments.values_list(
        "pk", "starts_on", "term_end", "last_closure"
    ):
        first = max(starts_on, since) if since else starts_on
        last = term_end
        if last_closure is not None:
            last = max(last, timezone.localdate(last_closure))
        by_range[(first, min(last, today))].append(pk)
    written = 0
    for (first, last), ids in sorted(by_range.items()):
        if first <= last:
            written += refresh(ids, first=first, last=last, today=today, write=write, rollup=False)
    # Rows of assignments that are planned again or deleted have nothing to stand for.
    for model in (AssignmentWeekFigures, OrganizationWeekFigures):
        model.objects.filter(~Q(assignment__in=assignments.values("pk"))).delete()
    recompute_all_rollups(
        today=today, years=range(since.year, today.year + 1) if since is not None else None
    )
    return written
