"""Leave and official travel: the instructor asks, a federation admin of the instructor's
federation subtree approves or rejects. Approved leave exempts the weeks it covers."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhidao.accounts.scope import scope_of
from zhidao.core.scoping import unguarded_call, use_case
from zhidao.dispatch.models import Instructor
from zhidao.fieldwork import handoffs
from zhidao.fieldwork.models import LeaveKind, LeaveRequest, LeaveStatus

# One request covers at most a quarter; a longer absence is a matter for the assignment itself.
LONGEST_LEAVE_DAYS = 92


@unguarded_call
def can_decide(actor, leave: LeaveRequest) -> bool:
    scope = scope_of(actor)
    return scope.is_superuser or scope.can_administer_path(leave.instructor.federation.path)


@use_case
def request_leave(*, actor, kind: str, starts_on: date, ends_on: date, reason: str) -> LeaveRequest:
    scope = scope_of(actor)
    if scope.instructor_id is None:
        raise PermissionDenied(_("Only an instructor can request leave."))
    instructor = Instructor.objects.select_for_update().get(pk=scope.instructor_id)
    errors: dict[str, str] = {}
    if kind not in LeaveKind.values:
        errors["kind"] = _("Choose leave or official travel.")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("The last day cannot be before the first day.")
    elif starts_on and ends_on and (ends_on - starts_on).days >= LONGEST_LEAVE_DAYS:
        errors["ends_on"] = _("One request may cover at most %(days)s days.") % {
            "days": LONGEST_LEAVE_DAYS
        }
    if not (reason or "").strip():
        errors["reason"] = pgettext("leave", "Give the reason.")
    if not errors:
        overlapping = LeaveRequest.objects.filter(
            instructor=instructor,
            status__in=[LeaveStatus.PENDING, LeaveStatus.APPROVED],
            starts_on__lte=ends_on,
            ends_on__gte=starts_on,
        ).first()
        if overlapping is not None:
            errors["starts_on"] = _(
                "These dates overlap your request of %(first)s to %(last)s, which is %(status)s."
            ) % {
                "first": f"{overlapping.starts_on:%Y-%m-%d}",
                "last": f"{overlapping.ends_on:%Y-%m-%d}",
                "status": overlapping.get_status_display(),
            }
    if errors:
        raise ValidationError(errors)
    leave = LeaveRequest(
        instructor=instructor,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason.strip(),
    )
    leave.full_clean()
    leave.save()
    return leave


def _decide(*, actor, leave: LeaveRequest, status: str, comment: str) -> LeaveRequest:
    leave = (
        LeaveRequest.objects.select_for_update()
        .select_related("instructor__federation")
        .get(pk=leave.pk)
    )
    if not can_decide(actor, leave):
        raise PermissionDenied(
            _("Only an administrator of the instructor's federation may decide on this request.")
        )
    if leave.status != LeaveStatus.PENDING:
        raise ValidationError(
            _("This request was already decided: %(status)s.")
            % {"status": leave.get_status_display()}
        )
    leave.status = status
    leave.decided_by = actor
    leave.decided_at = timezone.now()
    leave.decision_comment = (comment or "").strip()
    leave.full_clean()
    leave.save(
        update_fields=["status", "decided_by", "decided_at", "decision_comment", "updated_at"]
    )
    handoffs.leave_decided(leave)
    return leave


@use_case
def approve_leave(*, actor, leave: LeaveRequest, comment: str = "") -> LeaveRequest:
    return _decide(actor=actor, leave=leave, status=LeaveStatus.APPROVED, comment=comment)


@use_case
def reject_leave(*, actor, leave: LeaveRequest, comment: str) -> LeaveRequest:
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say why the request is rejected.")})
    return _decide(actor=actor, leave=leave, status=LeaveStatus.REJECTED, comment=comment)
