"""Scoped reads of the on-site part: the day list and detail, the instructor's check-in places,
the officer's days to confirm."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, QuerySet

from zhidao.accounts.scope import scope_of
from zhidao.core.scoping import CHANGE
from zhidao.dispatch.models import Assignment
from zhidao.fieldwork.models import OnSiteDay, OnSiteDayPhoto, OnSiteDayStatus
from zhidao.fieldwork.selectors import assignments_open_for_recording, on_site_days_visible_to
from zhidao.orgs.models import Organization, Union

_LIST_RELATED = ("organization__union", "instructor", "confirmed_by", "disputed_by")


def on_site_day_list(user) -> QuerySet[OnSiteDay]:
    """The day list page's rows (filters.OnSiteDayFilterSet narrows them)."""
    return (
        on_site_days_visible_to(user)
        .select_related(*_LIST_RELATED)
        .annotate(photo_count=Count("photos"))
        .order_by("-on_date", "-checked_in_at", "-id")
    )


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
