"""Scoped reads for instructors, batches and assignments."""

from django.db.models import Count, Prefetch, Q, QuerySet

from zhidao.accounts.scope import scope_of
from zhidao.core.scoping import CHANGE
from zhidao.orgs.selectors import organizations_visible_to

from .models import Assignment, AssignmentStatus, Batch, Instructor


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


def instructor_list(user) -> QuerySet[Instructor]:
    """The instructor list page's rows (filters.InstructorFilterSet narrows them)."""
    return (
        instructors_visible_to(user)
        .select_related("federation")
        .annotate(
            active_assignment_count=_assignment_count(
                user, "assignments", status=AssignmentStatus.ACTIVE
            )
        )
        .order_by("name_initials", "name", "pk")
    )  # pinyin order, as people look names up


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


def batch_list(user) -> QuerySet[Batch]:
    """The batch list page's rows (filters.BatchFilterSet narrows them)."""
    return (
        batches_visible_to(user)
        .select_related("federation")
        .annotate(
            assignment_count=_assignment_count(user, "assignments"),
            active_assignment_count=_assignment_count(
                user, "assignments", status=AssignmentStatus.ACTIVE
            ),
        )
        .order_by("-starts_on", "pk")
    )


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


def assignment_list(user) -> QuerySet[Assignment]:
    """The assignment list page's rows (filters.AssignmentFilterSet narrows them)."""
    return (
        assignments_visible_to(user)
        .select_related("batch", "instructor")
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
