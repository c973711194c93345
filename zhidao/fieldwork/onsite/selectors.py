"""Scoped reads of the on-site part: the day list and detail, the instructor's check-in places,
what to follow up at a visit, the officer's days to confirm."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    QuerySet,
    Window,
)
from django.db.models.functions import RowNumber

from zhidao.accounts.scope import scope_of
from zhidao.core.scoping import CHANGE
from zhidao.core.selectors import count_children
from zhidao.dispatch.models import Assignment
from zhidao.fieldwork.models import (
    Finding,
    FindingStatus,
    OnSiteDay,
    OnSiteDayPhoto,
    OnSiteDayStatus,
    WorkRecord,
)
from zhidao.fieldwork.selectors import assignments_open_for_recording, on_site_days_visible_to
from zhidao.orgs.models import Organization, Union

_LIST_RELATED = ("organization__union", "instructor", "confirmed_by", "disputed_by")


# The day list's order, served by the index onsite_list_order (a keyset page seeks in it).
ON_SITE_DAY_ORDER = ("-on_date", "-checked_in_at", "-id")


def on_site_day_list(user) -> QuerySet[OnSiteDay]:
    """The day list page's rows (filters.OnSiteDayFilterSet narrows them). Their photos are
    counted for the page's rows only, by count_photos()."""
    return on_site_days_visible_to(user).select_related(*_LIST_RELATED).order_by(*ON_SITE_DAY_ORDER)


def on_site_day_export(user) -> QuerySet[OnSiteDay]:
    """The day list's rows for its export (every page), each with its photo count."""
    return on_site_day_list(user).annotate(photo_count=Count("photos"))


def count_photos(days: list[OnSiteDay]) -> list[OnSiteDay]:
    """Set `photo_count` on each day of a page, counted over these days alone."""
    return count_children(days, OnSiteDayPhoto, "day_id", "photo_count")


def on_site_day_detail(user) -> QuerySet[OnSiteDay]:
    return (
        on_site_days_visible_to(user)
        .select_related(*_LIST_RELATED, "assignment__batch", "organization__federation")
        .prefetch_related(Prefetch("photos", queryset=OnSiteDayPhoto.objects.order_by("id")))
    )


def on_site_day_photos_visible_to(user) -> QuerySet[OnSiteDayPhoto]:
    return OnSiteDayPhoto.objects.filter(day__in=on_site_days_visible_to(user).values("pk"))


@dataclass(frozen=True)
class Place:
    """Where the instructor can check in: one organization of one of its active assignments."""

    assignment_id: int
    organization_id: int
    organization_name: str
    batch_name: str

    @property
    def value(self) -> str:
        return f"{self.assignment_id}:{self.organization_id}"


def check_in_places(user) -> list[Place]:
    assignments = (
        assignments_open_for_recording(user)
        .select_related("batch")
        .prefetch_related(
            Prefetch("organizations", queryset=Organization.objects.order_by("name", "id"))
        )
        .order_by("-starts_on", "id")
    )
    return [
        Place(assignment.pk, organization.pk, organization.name, assignment.batch.name)
        for assignment in assignments
        for organization in assignment.organizations.all()
    ]


def last_check_in_place(user) -> str | None:
    instructor_id = scope_of(user).instructor_id
    if instructor_id is None:
        return None
    last = (
        OnSiteDay.objects.visible_to(user, CHANGE)
        .order_by("-checked_in_at", "-id")
        .values_list("assignment_id", "organization_id")
        .first()
    )
    return f"{last[0]}:{last[1]}" if last else None


def todays_days(user, today: date) -> QuerySet[OnSiteDay]:
    """The instructor's own days of today, to show at the top of the check-in page."""
    return (
        OnSiteDay.objects.visible_to(user, CHANGE)
        .filter(on_date=today)
        .select_related("organization")
        .order_by("-checked_in_at")
    )


def day_work_records(user, day: OnSiteDay) -> QuerySet[WorkRecord]:
    """The work recorded on the day, as its page lists them."""
    return WorkRecord.objects.visible_to(user).filter(on_site_day=day).order_by("id")


# How many open findings a visit's follow-up lists per organization (the rest behind a link).
FOLLOW_UP_FINDINGS = 5


@dataclass
class FollowUp:
    """What to follow up at a visit to one organization: its rectifications not yet closed
    (the nearest due first, at most FOLLOW_UP_FINDINGS, `open_count` in all) and the previous
    visit, with what was done and recorded then."""

    organization_id: int
    open_findings: list[Finding] = field(default_factory=list)
    open_count: int = 0
    last_visit: OnSiteDay | None = None

    def __bool__(self) -> bool:
        return bool(self.open_count or self.last_visit)


def follow_ups(
    user, *, organization_ids: Iterable[int], before: datetime, today: date
) -> dict[int, FollowUp]:
    """The follow-up of each organization, in three queries whatever the number of
    organizations, findings or past visits: the open findings (ranked per organization), the
    last visit per organization before `before` (the user's own visible days), and its work
    records."""
    ids = sorted(set(organization_ids))
    result = {pk: FollowUp(pk) for pk in ids}
    if not ids:
        return result
    per_organization = [F("organization_id")]
    findings = (
        Finding.objects.visible_to(user)
        .filter(organization_id__in=ids)
        .exclude(status=FindingStatus.CLOSED)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=per_organization,
                order_by=[F("due_on").asc(), F("id").asc()],
            ),
            open_count=Window(Count("id"), partition_by=per_organization),
            is_overdue=ExpressionWrapper(Q(due_on__lt=today), output_field=BooleanField()),
        )
        .filter(rank__lte=FOLLOW_UP_FINDINGS)
        .order_by("organization_id", "due_on", "id")
    )
    for finding in findings:
        follow_up = result[finding.organization_id]
        follow_up.open_findings.append(finding)
        follow_up.open_count = finding.open_count
    visits = (
        OnSiteDay.objects.visible_to(user)
        .filter(organization_id__in=ids, checked_in_at__lt=before)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=per_organization,
                order_by=[F("checked_in_at").desc(), F("id").desc()],
            )
        )
        .filter(rank=1)
        .prefetch_related(
            Prefetch(
                "work_records",
                queryset=WorkRecord.objects.visible_to(user).order_by("id"),
            )
        )
    )
    for visit in visits:
        result[visit.organization_id].last_visit = visit
    return result


def officer_unions(user) -> QuerySet[Union]:
    return (
        Union.objects.visible_to(user)
        .filter(pk__in=scope_of(user).union_ids)
        .order_by("name", "id")
    )


def days_awaiting_confirmation(user) -> QuerySet[OnSiteDay]:
    """Unconfirmed days at the organizations of the officer's unions, newest first: the day
    the instructor is here now is the one the officer answers most often."""
    return (
        OnSiteDay.objects.visible_to(user, "confirm")
        .filter(status=OnSiteDayStatus.UNCONFIRMED)
        .select_related("organization", "instructor")
        .annotate(photo_count=Count("photos"))
        .order_by("-on_date", "-checked_in_at", "-id")
    )


def is_own_assignment(user, assignment: Assignment) -> bool:
    return assignment.instructor_id == scope_of(user).instructor_id
