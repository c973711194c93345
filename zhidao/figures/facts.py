"""The facts behind every figure, read once from the records for a set of assignments and a
window of days, then aggregated two ways: into the summary rows (refresh.py) and into one
assignment's figures for any period (live.py). A handful of queries per call, each bounded by the
assignments and the window, never by the years of history.

The reads are unscoped on purpose: the caller hands over assignments it has already checked the
user may see (a report's, an evaluation's), or runs as the system (the refresh task)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from zhidao.dispatch.models import Assignment, AssignmentOrganization
from zhidao.fieldwork.compliance.selectors import Cell, compliance_grid
from zhidao.fieldwork.models import (
    Beneficiary,
    Finding,
    OnSiteDay,
    OnSiteDayStatus,
    PracticalMatter,
    PracticalMatterStatus,
    WorkRecord,
)

CONFIRMED, PENDING, DISPUTED = "confirmed", "pending", "disputed"


@dataclass(frozen=True)
class Place:
    """Where a row is attributed: an organization and its federation."""

    organization_id: int
    federation_id: int
    federation_path: str


@dataclass
class Facts:
    first: date
    last: date
    assignments: dict[int, Assignment]
    primary: dict[int, Place]  # assignment → its primary organization (the first listed)
    places: dict[int, Place]  # organization → its federation
    cells: dict[tuple[int, date], Cell]  # (assignment, Monday) → the week's state
    day_class: dict[tuple[int, date], str]  # (assignment, day) → confirmed / pending / disputed
    visits: Counter = field(default_factory=Counter)  # (assignment, organization, day)
    # (assignment, organization, day, duty) → [records, prompt records]
    records: dict[tuple[int, int, date, str], list[int]] = field(default_factory=dict)
    found: list[tuple[int, int, date, date | None]] = field(default_factory=list)
    closed: list[tuple[int, int, date]] = field(default_factory=list)
    # (assignment, organization, day completed, for whom, number of beneficiaries)
    matters: list[tuple[int, int, date, str, int]] = field(default_factory=list)


def local_day(moment: datetime) -> date:
    return timezone.localdate(moment)


def aware_range(first: date, last: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(first, time.min), tz)
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min), tz)
    return start, end


def places_of(assignment_ids: Iterable[int]) -> tuple[dict[int, Place], dict[int, Place]]:
    """(primary organization per assignment, federation per organization)."""
    primary: dict[int, Place] = {}
    places: dict[int, Place] = {}
    links = (
        AssignmentOrganization.objects.filter(assignment_id__in=list(assignment_ids))
        .order_by("assignment_id", "id")
        .values_list(
            "assignment_id",
            "organization_id",
            "organization__federation_id",
            "organization__federation__path",
        )
    )
    for assignment_id, organization_id, federation_id, path in links:
        place = Place(organization_id, federation_id, path)
        places[organization_id] = place
        primary.setdefault(assignment_id, place)  # the link made first is the primary one
    return primary, places


def collect(
    assignments: Iterable[Assignment],
    *,
    mondays: list[date],
    first: date,
    last: date,
    today: date,
) -> Facts:
    """Facts of the assignments: the states of the weeks `mondays`, and the dated facts of the
    days first..last."""
    by_id = {assignment.pk: assignment for assignment in assignments}
    ids = list(by_id)
    primary, places = places_of(ids)
    facts = Facts(
        first=first,
        last=last,
        assignments=by_id,
        primary=primary,
        places=places,
        cells={},
        day_class={},
    )
    if not ids:
        return facts
    if mondays:
        grid = compliance_grid(list(by_id.values()), mondays=mondays, today=today)
        for row in grid.rows:
            for cell in row.cells:
                facts.cells[(row.assignment.pk, cell.week.start)] = cell

    # On-site days: a day counts once per assignment, by its best status.
    statuses: dict[tuple[int, date], set[str]] = defaultdict(set)
    for assignment_id, organization_id, on_date, status in (
        OnSiteDay.objects.unscoped()
        .filter(assignment_id__in=ids, on_date__gte=first, on_date__lte=last)
        .values_list("assignment_id", "organization_id", "on_date", "status")
    ):
        statuses[(assignment_id, on_date)].add(status)
        if status == OnSiteDayStatus.CONFIRMED:
            facts.visits[(assignment_id, organization_id, on_date)] += 1
    for key, seen in statuses.items():
        if OnSiteDayStatus.CONFIRMED in seen:
            facts.day_class[key] = CONFIRMED
        elif OnSiteDayStatus.UNCONFIRMED in seen:
            facts.day_class[key] = PENDING
        else:
            facts.day_class[key] = DISPUTED

    for row in (
        WorkRecord.objects.unscoped()
        .filter(assignment_id__in=ids, worked_on__gte=first, worked_on__lte=last)
        .order_by()
        .values("assignment_id", "organization_id", "worked_on", "duty")
        .annotate(n=Count("pk"), prompt=Count("pk", filter=Q(is_late=False)))
    ):
        key = (row["assignment_id"], row["organization_id"], row["worked_on"], row["duty"])
        facts.records[key] = [row["n"], row["prompt"]]

    for assignment_id, organization_id, found_on, closed_at in (
        Finding.objects.unscoped()
        .filter(assignment_id__in=ids, found_on__gte=first, found_on__lte=last)
        .values_list("assignment_id", "organization_id", "found_on", "closed_at")
    ):
        closed_on = local_day(closed_at) if closed_at else None
        facts.found.append((assignment_id, organization_id, found_on, closed_on))
    start, end = aware_range(first, last)
    for assignment_id, organization_id, closed_at in (
        Finding.objects.unscoped()
        .filter(assignment_id__in=ids, closed_at__gte=start, closed_at__lt=end)
        .values_list("assignment_id", "organization_id", "closed_at")
    ):
        facts.closed.append((assignment_id, organization_id, local_day(closed_at)))

    for (
        assignment_id,
        organization_id,
        completed_on,
        beneficiary,
        count,
    ) in (
        PracticalMatter.objects.unscoped()
        .filter(
            assignment_id__in=ids,
            status=PracticalMatterStatus.DONE,
            completed_on__gte=first,
            completed_on__lte=last,
        )
        .values_list(
            "assignment_id", "organization_id", "completed_on", "beneficiary", "beneficiaries_count"
        )
    ):
        facts.matters.append((assignment_id, organization_id, completed_on, beneficiary, count))
    return facts


def beneficiary_keys(beneficiary: str) -> str:
    """Practical matters count workers (人次) and enterprises (家) apart, never added together."""
    if beneficiary == Beneficiary.ENTERPRISE:
        return "beneficiaries_enterprises"
    return "beneficiaries_workers"
