"""Scoped reads of field work. Every field-work row belongs to an assignment, so its scope is the
assignment's: federation staff by the batch's federation subtree, the instructor its own, the
union officer the rows of its union's organizations."""

from django.db.models import Q, QuerySet

from zhidao.accounts.scope import scope_of
from zhidao.core.selectors import any_of, subtree_q
from zhidao.dispatch.models import Assignment, AssignmentStatus
from zhidao.fieldwork.models import Finding, LeaveRequest, OnSiteDay, PracticalMatter, WorkRecord


def field_scope_q(user) -> Q:
    """Visible to the user: for any model with `assignment` and `organization` foreign keys."""
    scope = scope_of(user)
    if scope.is_superuser:
        return Q()
    conditions = subtree_q(scope.federation_paths, "assignment__batch__federation__path")
    if scope.instructor_id is not None:
        conditions.append(Q(assignment__instructor_id=scope.instructor_id))
    if scope.union_ids:
        conditions.append(Q(organization__union_id__in=scope.union_ids))
    return any_of(conditions)


def field_admin_q(user) -> Q:
    scope = scope_of(user)
    if scope.is_superuser:
        return Q()
    return any_of(subtree_q(scope.admin_paths, "assignment__batch__federation__path"))


def on_site_days_visible_to(user) -> QuerySet[OnSiteDay]:
    return OnSiteDay.objects.visible_to(user)


def work_records_visible_to(user) -> QuerySet[WorkRecord]:
    return WorkRecord.objects.visible_to(user)


def findings_visible_to(user) -> QuerySet[Finding]:
    return Finding.objects.visible_to(user)


def practical_matters_visible_to(user) -> QuerySet[PracticalMatter]:
    return PracticalMatter.objects.visible_to(user)


def leave_requests_visible_to(user) -> QuerySet[LeaveRequest]:
    return LeaveRequest.objects.visible_to(user)


def assignments_open_for_recording(user) -> QuerySet[Assignment]:
    """The instructor's own assignments it may record on now (active ones)."""
    scope = scope_of(user)
    if scope.instructor_id is None:
        return Assignment.objects.none()
    return Assignment.objects.visible_to(user).filter(
        instructor_id=scope.instructor_id, status=AssignmentStatus.ACTIVE
    )
