"""Scoped reads for instructors, batches and assignments."""

from django.db.models import Count, Prefetch, Q, QuerySet

from zhidao.accounts.scope import scope_of
from zhidao.core.scoping import CHANGE
from zhidao.core.selectors import apply_search
from zhidao.orgs.models import Federation, Organization
from zhidao.orgs.selectors import organizations_visible_to

from .models import Assignment, AssignmentOrganization, AssignmentStatus, Batch, Instructor


def assignments_visible_to(user) -> QuerySet[Assignment]:
    return Assignment.objects.visible_to(user)


def assignments_administered_by(user) -> QuerySet[Assignment]:
    return Assignment.objects.visible_to(user, CHANGE)


def instructors_visible_to(user) -> QuerySet[Instructor]:
    return Instructor.objects.visible_to(user)


def instructors_administered_by(user) -> QuerySet[Instructor]:
    return Instructor.objects.visible_to(user, CHANGE)


def batches_visible_to(user) -> QuerySet[Batch]:
    return Batch.objects.visible_to(user)


def batches_administered_by(user) -> QuerySet[Batch]:
    return Batch.objects.visible_to(user, CHANGE)


def _sees_only_part_of_some_assignments(user) -> bool:
    """Instructors and union officers may see an instructor or a batch without seeing every
    assignment under it; their counts must then be limited to what they can see."""
    scope = scope_of(user)
    return not scope.is_superuser and (scope.instructor_id is not None or bool(scope.union_ids))


def _assignment_count(user, relation: str, **conditions) -> Count:
    condition = Q(**{f"{relation}__{key}": value for key, value in conditions.items()})
    if _sees_only_part_of_some_assignments(user):
        condition &= Q(**{f"{relation}__in": assignments_visible_to(user).values("pk")})
    return Count(relation, filter=condition)


def _visible_organizations(user):
    """The organizations of an assignment as the user may see them (an officer sees its own)."""
    return Prefetch(
        "organizations",
        queryset=organizations_visible_to(user).only("pk", "name").order_by("name", "pk"),
    )


def instructor_list(
    user,
    *,
    q: str = "",
    federation: Federation | None = None,
    department: str = "",
    status: str = "",
) -> QuerySet[Instructor]:
    instructors = instructors_visible_to(user).select_related("federation")
    if q:
        instructors = apply_search(instructors, q)
    if federation is not None:
        instructors = instructors.filter(federation__path__startswith=federation.path)
    if department:
        instructors = instructors.filter(department=department)
    if status:
        instructors = instructors.filter(status=status)
    return instructors.annotate(
        active_assignment_count=_assignment_count(
            user, "assignments", status=AssignmentStatus.ACTIVE
        )
    ).order_by("name_initials", "name", "pk")  # pinyin order, as people look names up


def instructor_departments(user) -> list[str]:
    """The departments in use, for the filter's choices."""
    return list(
        instructors_visible_to(user)
        .exclude(department="")
        .order_by("department")
        .values_list("department", flat=True)
        .distinct()
    )


def instructor_detail(user) -> QuerySet[Instructor]:
    return instructors_visible_to(user).select_related("federation", "user")


def assignments_of_instructor(user, instructor: Instructor) -> QuerySet[Assignment]:
    return (
        assignments_visible_to(user)
        .filter(instructor=instructor)
        .select_related("batch")
        .prefetch_related(_visible_organizations(user))
        .order_by("-starts_on", "pk")
    )


def batch_list(
    user, *, q: str = "", federation: Federation | None = None, year: int | None = None
) -> QuerySet[Batch]:
    batches = batches_visible_to(user).select_related("federation")
    if q:
        batches = batches.filter(name__icontains=q.strip())
    if federation is not None:
        batches = batches.filter(federation__path__startswith=federation.path)
    if year:
        batches = batches.filter(year=year)
    return batches.annotate(
        assignment_count=_assignment_count(user, "assignments"),
        active_assignment_count=_assignment_count(
            user, "assignments", status=AssignmentStatus.ACTIVE
        ),
    ).order_by("-starts_on", "pk")


def batch_years(user) -> list[int]:
    return list(
        batches_visible_to(user).order_by("-year").values_list("year", flat=True).distinct()
    )


def batch_detail(user) -> QuerySet[Batch]:
    return batches_visible_to(user).select_related("federation")


def assignments_of_batch(user, batch: Batch) -> QuerySet[Assignment]:
    return (
        assignments_visible_to(user)
        .filter(batch=batch)
        .select_related("instructor")
        .prefetch_related(_visible_organizations(user))
        .order_by("instructor__name", "pk")
    )


def assignment_list(
    user,
    *,
    q: str = "",
    batch: Batch | None = None,
    instructor: Instructor | None = None,
    status: str = "",
    federation: Federation | None = None,
) -> QuerySet[Assignment]:
    assignments = assignments_visible_to(user)
    if q:
        matching_organizations = apply_search(Organization.objects.all(), q).values("pk")
        assignments = assignments.filter(
            Q(
                pk__in=AssignmentOrganization.objects.filter(
                    organization_id__in=matching_organizations
                ).values("assignment_id")
            )
            | Q(instructor__in=apply_search(Instructor.objects.all(), q).values("pk"))
        )
    if batch is not None:
        assignments = assignments.filter(batch=batch)
    if instructor is not None:
        assignments = assignments.filter(instructor=instructor)
    if status:
        assignments = assignments.filter(status=status)
    if federation is not None:
        assignments = assignments.filter(batch__federation__path__startswith=federation.path)
    return (
        assignments.select_related("batch", "instructor")
        .prefetch_related(_visible_organizations(user))
        .order_by("-starts_on", "pk")
    )


def assignment_detail(user) -> QuerySet[Assignment]:
    return (
        assignments_visible_to(user)
        .select_related("batch__federation", "instructor__federation")
        .prefetch_related(
            Prefetch(
                "organizations",
                queryset=organizations_visible_to(user)
                .select_related("union", "federation")
                .order_by("name", "pk"),
            )
        )
    )
