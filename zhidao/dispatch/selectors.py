"""Scoped reads for instructors, batches and assignments."""

from django.db.models import Q, QuerySet

from zhidao.accounts.scope import scope_of
from zhidao.core.selectors import any_of, subtree_q

from .models import Assignment, AssignmentOrganization, Batch, Instructor


def _union_assignment_ids(union_ids: tuple[int, ...]):
    return AssignmentOrganization.objects.filter(organization__union_id__in=union_ids).values(
        "assignment_id"
    )


def assignments_visible_to(user) -> QuerySet[Assignment]:
    scope = scope_of(user)
    if scope.is_superuser:
        return Assignment.objects.all()
    conditions = subtree_q(scope.federation_paths, "batch__federation__path")
    if scope.instructor_id is not None:
        conditions.append(Q(instructor_id=scope.instructor_id))
    if scope.union_ids:
        conditions.append(Q(pk__in=_union_assignment_ids(scope.union_ids)))
    return Assignment.objects.filter(any_of(conditions))


def assignments_administered_by(user) -> QuerySet[Assignment]:
    scope = scope_of(user)
    if scope.is_superuser:
        return Assignment.objects.all()
    return Assignment.objects.filter(
        any_of(subtree_q(scope.admin_paths, "batch__federation__path"))
    )


def instructors_visible_to(user) -> QuerySet[Instructor]:
    scope = scope_of(user)
    if scope.is_superuser:
        return Instructor.objects.all()
    conditions = subtree_q(scope.federation_paths)
    if scope.instructor_id is not None:
        conditions.append(Q(pk=scope.instructor_id))
    if scope.union_ids:
        conditions.append(
            Q(
                pk__in=Assignment.objects.filter(
                    pk__in=_union_assignment_ids(scope.union_ids)
                ).values("instructor_id")
            )
        )
    return Instructor.objects.filter(any_of(conditions))


def instructors_administered_by(user) -> QuerySet[Instructor]:
    scope = scope_of(user)
    if scope.is_superuser:
        return Instructor.objects.all()
    return Instructor.objects.filter(any_of(subtree_q(scope.admin_paths)))


def batches_visible_to(user) -> QuerySet[Batch]:
    scope = scope_of(user)
    if scope.is_superuser:
        return Batch.objects.all()
    conditions = subtree_q(scope.federation_paths)
    if scope.instructor_id is not None:
        conditions.append(
            Q(
                pk__in=Assignment.objects.filter(instructor_id=scope.instructor_id).values(
                    "batch_id"
                )
            )
        )
    if scope.union_ids:
        conditions.append(
            Q(
                pk__in=Assignment.objects.filter(
                    pk__in=_union_assignment_ids(scope.union_ids)
                ).values("batch_id")
            )
        )
    return Batch.objects.filter(any_of(conditions))


def batches_administered_by(user) -> QuerySet[Batch]:
    scope = scope_of(user)
    if scope.is_superuser:
        return Batch.objects.all()
    return Batch.objects.filter(any_of(subtree_q(scope.admin_paths)))
