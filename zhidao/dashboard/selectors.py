"""Reads for the home pages. Figures are aggregated in the database, a fixed number of queries."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch

from zhidao.dispatch.models import Assignment, AssignmentStatus
from zhidao.dispatch.selectors import assignments_visible_to, instructors_visible_to
from zhidao.orgs.models import Organization
from zhidao.orgs.selectors import organization_counts, unions_visible_to


def federation_overview(user, *, today: date) -> dict[str, int]:
    figures = organization_counts(user, today=today)
    figures["unions"] = unions_visible_to(user).count()
    figures["instructors"] = instructors_visible_to(user).filter(status="active").count()
    figures["active_assignments"] = (
        assignments_visible_to(user).filter(status=AssignmentStatus.ACTIVE).count()
    )
    return figures


def my_assignments(user, instructor_id: int):
    return (
        assignments_visible_to(user)
        .filter(instructor_id=instructor_id)
        .select_related("batch")
        .prefetch_related(
            Prefetch(
                "organizations",
                queryset=Organization.objects.select_related("union").order_by("name"),
            )
        )
        .order_by("-starts_on")
    )


@dataclass(frozen=True)
class AssignmentRow:
    """One row of the instructor's "My assignments", as plain data: the home keeps the rows in
    the user's cache (zhidao/core/usercache.py), never model instances or querysets."""

    pk: int
    status: str
    batch_name: str
    starts_on: date
    ends_on: date
    min_days_per_week: int
    organization_names: tuple[str, ...]

    @property
    def status_label(self) -> str:
        return str(AssignmentStatus(self.status).label)


def my_assignment_rows(user, instructor_id: int) -> list[AssignmentRow]:
    return [
        AssignmentRow(
            pk=assignment.pk,
            status=assignment.status,
            batch_name=assignment.batch.name,
            starts_on=assignment.starts_on,
            ends_on=assignment.ends_on,
            min_days_per_week=assignment.min_days_per_week,
            organization_names=tuple(
                organization.name for organization in assignment.organizations.all()
            ),
        )
        for assignment in my_assignments(user, instructor_id)
    ]


def my_unions(user, union_ids: tuple[int, ...], *, today: date):
    """The officer's unions with their organizations and the instructors currently there."""
    current = Assignment.objects.filter(
        status=AssignmentStatus.ACTIVE, starts_on__lte=today, ends_on__gte=today
    ).select_related("instructor")
    return (
        unions_visible_to(user)
        .filter(pk__in=union_ids)
        .annotate(organization_total=Count("organizations", distinct=True))
        .prefetch_related(
            Prefetch(
                "organizations",
                queryset=Organization.objects.order_by("name").prefetch_related(
                    Prefetch("assignments", queryset=current, to_attr="current_assignments")
                ),
            )
        )
    )
