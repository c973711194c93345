"""Staff handling of appeals: one function per transition.

received → accepted → in_progress → resolved → closed, or → rejected from any open state.
Every transition locks the row (select_for_update), checks the state and the actor's right to act,
and records an AppealEvent with the actor, the time, an internal note and the plain-Chinese
`public_text` the submitter sees on the follow page (never a staff name).
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhidao.accounts.models import Role, User
from zhidao.accounts.recipients import rights_staff_over
from zhidao.accounts.scope import scope_of
from zhidao.core.scoping import unguarded_call, use_case
from zhidao.dispatch.models import Assignment, AssignmentStatus, Instructor
from zhidao.holidays.calendar import add_working_days
from zhidao.notifications.models import NotificationKind
from zhidao.notifications.services import mark_all_read, notify, notify_all, notify_on_commit

from .models import (
    OPEN_STATES,
    Appeal,
    AppealEvent,
    AppealEventKind,
    AppealMessage,
    AppealState,
    EscalationReason,
    MessageSender,
)
from .sla import auto_close_days_for, rights_department_for

MAX_TEXT = 2000

# The deadlines in the order they fall, as stored in Appeal.escalated_deadline.
ACCEPT_DEADLINE, ANSWER_DEADLINE, RESOLVE_DEADLINE = 1, 2, 3
REASON_OF_DEADLINE = {
    ACCEPT_DEADLINE: EscalationReason.ACCEPT_OVERDUE,
    ANSWER_DEADLINE: EscalationReason.ANSWER_OVERDUE,
    RESOLVE_DEADLINE: EscalationReason.RESOLVE_OVERDUE,
}


# ----- who may act -----


@unguarded_call
def is_handler(user, appeal: Appeal) -> bool:
    """The assigned instructor: the handler who sees the contact and works the appeal."""
    scope = scope_of(user)
    return scope.instructor_id is not None and appeal.assigned_instructor_id == scope.instructor_id


@unguarded_call
def is_rights_staff_for(user, appeal: Appeal) -> bool:
    return scope_of(user).can_handle_rights_path(appeal.federation.path)


@unguarded_call
def can_manage(user, appeal: Appeal) -> bool:
    """Federation admins and rights-protection staff of the subtree run every step."""
    scope = scope_of(user)
    path = appeal.federation.path
    return (
        scope.is_superuser or scope.can_administer_path(path) or is_rights_staff_for(user, appeal)
    )


@unguarded_call
def current_instructor(organization) -> Instructor | None:
    """The instructor of the organization's active assignment (the newest, if several)."""
    assignment = (
        Assignment.objects.filter(
            status=AssignmentStatus.ACTIVE, organization_links__organization=organization
        )
        .select_related("instructor")
        .order_by("-starts_on", "-id")
        .first()
    )
    return assignment.instructor if assignment else None


@unguarded_call
def can_accept(user, appeal: Appeal) -> bool:
    if can_manage(user, appeal):
        return True
    instructor_id = scope_of(user).instructor_id
    if instructor_id is None:
        return False
    current = current_instructor(appeal.organization)
    return current is not None and current.pk == instructor_id


@unguarded_call
def can_work(user, appeal: Appeal) -> bool:
    return can_manage(user, appeal) or is_handler(user, appeal)


# ----- helpers -----


def _locked(appeal: Appeal) -> Appeal:
    return (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("federation", "organization")
        .get(pk=appeal.pk)
    )


def _require_state(appeal: Appeal, allowed: tuple[str, ...]) -> None:
    if appeal.state not in allowed:
        raise ValidationError(
            _("This step is not possible while the appeal is “%(state)s”.")
            % {"state": appeal.get_state_display()}
        )


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    if len(value) > MAX_TEXT:
        raise ValidationError(
            {field: _("Please keep it under %(limit)d characters.") % {"limit": MAX_TEXT}}
        )
    return value


def _event(appeal, kind, *, actor, public_text="", note="", at=None) -> AppealEvent:
    return AppealEvent.objects.create(
        appeal=appeal,
        kind=kind,
        actor=actor,
        public_text=public_text,
        internal_note=(note or "").strip()[:MAX_TEXT],
        at=at or timezone.now(),
    )


# ----- transitions -----


@use_case
def accept_appeal(
    *, appeal: Appeal, actor, instructor: Instructor | None = None, department: str = "", note=""
) -> Appeal:
    """Accept and assign: to the given instructor, to a federation department, or by default to
    the organization's current instructor."""
    appeal = _locked(appeal)
    _require(can_accept(actor, appeal))
    _require_state(appeal, (AppealState.RECEIVED,))
    department = (department or "").strip()
    if instructor is None and not department:
        instructor = current_instructor(appeal.organization)
        if instructor is None:
            raise ValidationError(
                {
                    "department": _(
                        "The organization has no instructor on an active assignment; "
                        "assign the appeal to a federation department."
                    )
                }
            )
    now = timezone.now()
    appeal.state = AppealState.ACCEPTED
    appeal.accepted_at = now
    appeal.assigned_instructor = instructor
    appeal.assigned_department = "" if instructor else department[:100]
    appeal.save(
        update_fields=[
            "state",
            "accepted_at",
            "assigned_instructor",
            "assigned_department",
            "updated_at",
        ]
    )
    handler = instructor.name if instructor else appeal.assigned_department
    assigned = _("Assigned to %(handler)s.") % {"handler": handler}
    _event(
        appeal,
        AppealEventKind.ACCEPTED,
        actor=actor,
        public_text=_("Your appeal was accepted and a handler was assigned."),
        note=f"{assigned} {note}".strip(),
        at=now,
    )
    notify_on_commit(lambda: notify_assignment(appeal))
    return appeal


@use_case
def start_work(*, appeal: Appeal, actor, note: str = "") -> Appeal:
    appeal = _locked(appeal)
    _require(can_work(actor, appeal))
    _require_state(appeal, (AppealState.ACCEPTED,))
    appeal.state = AppealState.IN_PROGRESS
    appeal.save(update_fields=["state", "updated_at"])
    _event(
        appeal,
        AppealEventKind.STARTED,
        actor=actor,
        public_text=_("The union is looking into your appeal."),
        note=note,
    )
    return appeal


@use_case
def answer(*, appeal: Appeal, actor, text: str, note: str = "") -> AppealMessage:
    """A reply to the submitter; the first one stops the first-answer clock."""
    text = _text(text, "text", _("Write the answer."))
    appeal = _locked(appeal)
    _require(can_work(actor, appeal))
    _require_state(appeal, (AppealState.ACCEPTED, AppealState.IN_PROGRESS))
    now = timezone.now()
    message = AppealMessage.objects.create(
        appeal=appeal, sender=MessageSender.STAFF, author=actor, text=text, at=now
    )
    fields = ["updated_at"]
    if appeal.first_answered_at is None:
        appeal.first_answered_at = now
        fields.append("first_answered_at")
    if appeal.state == AppealState.ACCEPTED:
        appeal.state = AppealState.IN_PROGRESS
        fields.append("state")
    appeal.save(update_fields=fields)
    _event(
        appeal,
        AppealEventKind.ANSWERED,
        actor=actor,
        public_text=_("The union replied to you."),
        note=note,
        at=now,
    )
    return message


@use_case
def resolve_appeal(*, appeal: Appeal, actor, resolution: str, note: str = "") -> Appeal:
    resolution = _text(resolution, "resolution", _("Write the answer to the submitter."))
    appeal = _locked(appeal)
    _require(can_work(actor, appeal))
    _require_state(appeal, (AppealState.ACCEPTED, AppealState.IN_PROGRESS))
    now = timezone.now()
    appeal.state = AppealState.RESOLVED
    appeal.resolution = resolution
    appeal.resolved_at = now
    if appeal.first_answered_at is None:
        appeal.first_answered_at = now
    appeal.save(
        update_fields=["state", "resolution", "resolved_at", "first_answered_at", "updated_at"]
    )
    _event(
        appeal,
        AppealEventKind.RESOLVED,
        actor=actor,
        public_text=_(
            "Your appeal was resolved: please read the answer and rate the handling. "
            "Without a rating it closes after %(days)d days."
        )
        % {"days": auto_close_days_for(appeal.federation)},
        note=note,
        at=now,
    )
    return appeal


@use_case
def reject_appeal(*, appeal: Appeal, actor, reason: str, referral: str, note: str = "") -> Appeal:
    """Not within the union's remit: the submitter is told why and where to go instead."""
    reason = _text(reason, "reason", _("Give the reason."))
    referral = _text(referral, "referral", _("Say where the submitter can go instead."))
    appeal = _locked(appeal)
    _require(can_work(actor, appeal) or can_accept(actor, appeal))
    _require_state(appeal, OPEN_STATES)
    now = timezone.now()
    appeal.state = AppealState.REJECTED
    appeal.rejection_reason = reason
    appeal.referral = referral
    appeal.closed_at = now
    appeal.save(update_fields=["state", "rejection_reason", "referral", "closed_at", "updated_at"])
    _event(
        appeal,
        AppealEventKind.REJECTED,
        actor=actor,
        public_text=_(
            "Your appeal is not within the union's remit. Reason: %(reason)s "
            "Where to go instead: %(referral)s"
        )
        % {"reason": reason, "referral": referral},
        note=note,
        at=now,
    )
    return appeal


def _escalate(appeal: Appeal, *, actor, reason: str, note: str, now: datetime) -> Appeal:
    department = rights_department_for(appeal.federation)
    appeal.escalation_level += 1
    appeal.escalation_reason = reason
    appeal.escalated_at = now
    if appeal.assigned_instructor_id is None:
        appeal.assigned_department = department
    appeal.save(
        update_fields=[
            "escalation_level",
            "escalation_reason",
            "escalated_at",
            "escalated_deadline",
            "assigned_department",
            "updated_at",
        ]
    )
    label = EscalationReason(reason).label
    _event(
        appeal,
        AppealEventKind.ESCALATED,
        actor=actor,
        public_text=_("Your appeal was passed to the federation's rights-protection department."),
        note=f"{label}. {note}".strip(),
        at=now,
    )
    notify_escalation(appeal, reason=str(label), department=department)
    return appeal


@use_case
def escalate_appeal(*, appeal: Appeal, actor, note: str = "") -> Appeal:
    """Escalate by hand to the federation's rights-protection department."""
    note = _text(note, "note", _("Say why the appeal is escalated."))
    appeal = _locked(appeal)
    _require(can_work(actor, appeal))
    _require_state(appeal, OPEN_STATES)
    return _escalate(
        appeal, actor=actor, reason=EscalationReason.MANUAL, note=note, now=timezone.now()
    )


@unguarded_call
def close_with_rating(*, appeal: Appeal, satisfaction: int, comment: str = "") -> Appeal:
    """The submitter rates a resolved appeal, which closes it (the public follow page)."""
    from .public_services import rate_appeal

    return rate_appeal(appeal=appeal, satisfaction=satisfaction, comment=comment)


@use_case
def auto_close(*, appeal: Appeal, now: datetime) -> bool:
    """Close a resolved appeal the submitter did not rate in time; False when not (yet) due."""
    appeal = _locked(appeal)
    if appeal.state != AppealState.RESOLVED or appeal.resolved_at is None:
        return False
    if now < appeal.resolved_at + timedelta(days=auto_close_days_for(appeal.federation)):
        return False
    appeal.state = AppealState.CLOSED
    appeal.closed_at = now
    appeal.closed_automatically = True
    appeal.save(update_fields=["state", "closed_at", "closed_automatically", "updated_at"])
    _event(
        appeal,
        AppealEventKind.CLOSED,
        actor=None,
        public_text=_("The appeal was closed automatically after its resolution."),
        at=now,
    )
    return True


# ----- periodic work (management command appeals_tick; Celery beat comes with reporting) -----


def contact_retention() -> timedelta:
    return timedelta(days=settings.APPEALS_CONTACT_RETENTION_DAYS)


@unguarded_call
def contacts_due_for_erasure(now: datetime):
    """Closed or not-accepted appeals whose contact has been kept the retention period."""
    return Appeal.objects.filter(
        state__in=(AppealState.CLOSED, AppealState.REJECTED),
        closed_at__lte=now - contact_retention(),
        anonymous=False,
        contact_erased_at__isnull=True,
    )


@use_case
def erase_contact(*, appeal: Appeal, now: datetime) -> bool:
    """Erase the submitter's name and phone (the consent text promises it); the erasure is in
    the audit log (contact_erased_at, by nobody: the schedule) and on the staff timeline."""
    appeal = _locked(appeal)
    if appeal.contact_erased_at is not None or appeal.state not in (
        AppealState.CLOSED,
        AppealState.REJECTED,
    ):
        return False
    appeal.submitter_name = ""
    appeal.submitter_phone = ""
    appeal.contact_erased_at = now
    appeal.save(
        update_fields=["submitter_name", "submitter_phone", "contact_erased_at", "updated_at"]
    )
    _event(
        appeal,
        AppealEventKind.NOTE,
        actor=None,
        note=_(
            "The submitter's name and phone were erased %(days)d days after the appeal closed, "
            "as the consent text says."
        )
        % {"days": settings.APPEALS_CONTACT_RETENTION_DAYS},
        at=now,
    )
    return True


@unguarded_call
def erase_expired_contacts(now: datetime | None = None) -> int:
    now = now or timezone.now()
    erased = 0
    with translation.override(settings.LANGUAGE_CODE):
        for pk in list(contacts_due_for_erasure(now).values_list("pk", flat=True)):
            erased += erase_contact(appeal=Appeal(pk=pk), now=now)
    return erased


@unguarded_call
def close_resolved_appeals(now: datetime | None = None) -> int:
    now = now or timezone.now()
    shortest = timedelta(days=1)
    due = Appeal.objects.filter(
        state=AppealState.RESOLVED, resolved_at__lte=now - shortest
    ).values_list("pk", flat=True)
    closed = 0
    with translation.override(settings.LANGUAGE_CODE):
        for pk in list(due.iterator()):
            closed += auto_close(appeal=Appeal(pk=pk), now=now)
    return closed


@unguarded_call
def missed_deadline(appeal: Appeal, *, today) -> int:
    """The latest deadline the open appeal has missed (0 when none)."""
    if appeal.state not in OPEN_STATES:
        return 0
    if appeal.resolve_due and today > appeal.resolve_due:
        return RESOLVE_DEADLINE
    if (
        appeal.first_answered_at is None
        and appeal.first_answer_due
        and today > appeal.first_answer_due
    ):
        return ANSWER_DEADLINE
    if appeal.state == AppealState.RECEIVED and appeal.accept_due and today > appeal.accept_due:
        return ACCEPT_DEADLINE
    return 0


@unguarded_call
def overdue_q(today) -> Q:
    """Open appeals past a deadline they have not met, as a database filter."""
    return Q(state__in=OPEN_STATES) & (
        Q(resolve_due__lt=today)
        | Q(first_answered_at__isnull=True, first_answer_due__lt=today)
        | Q(state=AppealState.RECEIVED, accept_due__lt=today)
    )


@use_case
def _escalate_if_overdue(pk: int, *, now: datetime) -> bool:
    appeal = _locked(Appeal(pk=pk))
    deadline = missed_deadline(appeal, today=timezone.localdate(now))
    if deadline <= appeal.escalated_deadline:
        return False
    appeal.escalated_deadline = deadline
    _escalate(appeal, actor=None, reason=REASON_OF_DEADLINE[deadline], note="", now=now)
    return True


@unguarded_call
def escalate_overdue_appeals(now: datetime | None = None) -> int:
    """Escalate each open appeal once per missed deadline; running it again changes nothing."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    candidates = Appeal.objects.filter(overdue_q(today)).filter(
        escalated_deadline__lt=RESOLVE_DEADLINE
    )
    escalated = 0
    with translation.override(settings.LANGUAGE_CODE):
        for pk in list(candidates.values_list("pk", flat=True).iterator()):
            escalated += _escalate_if_overdue(pk, now=now)
    return escalated


# ----- notifications -----


@unguarded_call
def escalation_recipients(appeal: Appeal) -> list[User]:
    """Rights-protection staff of the federation and its ancestors, and the assigned handler."""
    path = appeal.federation.path
    prefixes = [path[:end] for end in range(5, len(path) + 1, 5)]
    chosen = Q(role_grants__role=Role.RIGHTS_STAFF, role_grants__federation__path__in=prefixes)
    if appeal.assigned_instructor_id:
        chosen |= Q(instructor__pk=appeal.assigned_instructor_id)
    return list(User.objects.filter(chosen, is_active=True).distinct().order_by("pk"))


@unguarded_call
def notify_escalation(appeal: Appeal, *, reason: str, department: str) -> int:
    """A notification in each recipient's inbox, e-mailed to those with an address once the
    escalation commits. The text names the ticket and the organization only: never the
    submitter."""
    text = _("Appeal %(code)s (%(organization)s) was escalated to %(department)s: %(reason)s") % {
        "code": appeal.code,
        "organization": appeal.organization.name,
        "department": department,
        "reason": reason,
    }
    title = _("Appeal %(code)s escalated") % {"code": appeal.code}
    link = reverse("appeals:appeal_detail", args=[appeal.pk])
    sent = 0
    for recipient in escalation_recipients(appeal):
        created = notify(
            recipient,
            kind=NotificationKind.APPEAL_ESCALATED,
            # One per escalation: a later missed deadline raises the level and notifies again.
            cause_key=f"appeal-escalated:{appeal.pk}:{appeal.escalation_level}",
            title=title,
            body=text,
            link=link,
        )
        sent += created is not None
    return sent


@unguarded_call
def notify_assignment(appeal: Appeal) -> int:
    """The appeal is now its assignee's: the instructor, or for a federation department the
    rights-protection staff over the appeal's federation. Once per appeal and assignee."""
    link = reverse("appeals:appeal_detail", args=[appeal.pk])
    facts = {
        "code": appeal.code,
        "organization": appeal.organization.name,
        "due": f"{appeal.resolve_due:%Y-%m-%d}" if appeal.resolve_due else "—",
    }
    if appeal.assigned_instructor is not None:
        recipients = [appeal.assigned_instructor.user]
        assignee = f"instructor-{appeal.assigned_instructor_id}"
    else:
        recipients = rights_staff_over(appeal.federation.path)
        assignee = "department"
    return notify_all(
        recipients,
        kind=NotificationKind.APPEAL_ASSIGNED,
        cause_key=f"appeal-assigned:{appeal.pk}:{assignee}",
        title=_("Appeal %(code)s assigned to you") % facts,
        body=_(
            "An appeal about %(organization)s was accepted and assigned to you; "
            "resolve it by %(due)s."
        )
        % facts,
        link=link,
    )


def next_deadline(appeal: Appeal) -> tuple[int, date] | None:
    """The next deadline the open appeal still has to meet, with its date (the order of
    missed_deadline's checks, turned forward)."""
    if appeal.state not in OPEN_STATES:
        return None
    if appeal.state == AppealState.RECEIVED and appeal.accept_due:
        return ACCEPT_DEADLINE, appeal.accept_due
    if appeal.first_answered_at is None and appeal.first_answer_due:
        return ANSWER_DEADLINE, appeal.first_answer_due
    if appeal.resolve_due:
        return RESOLVE_DEADLINE, appeal.resolve_due
    return None


DEADLINE_LABELS = {
    ACCEPT_DEADLINE: gettext_lazy("be accepted"),
    ANSWER_DEADLINE: gettext_lazy("get its first answer"),
    RESOLVE_DEADLINE: gettext_lazy("be resolved"),
}


@unguarded_call
def send_deadline_reminders(now: datetime | None = None) -> int:
    """Open appeals whose next deadline is today or the next working day: the assignee and the
    rights staff are told once per appeal and deadline. A missed deadline is the escalation's
    (notify_escalation), not told twice."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    horizon = add_working_days(today, 1)
    near = Q(state=AppealState.RECEIVED, accept_due__range=(today, horizon)) | Q(
        first_answered_at__isnull=True, first_answer_due__range=(today, horizon)
    )
    near |= Q(resolve_due__range=(today, horizon))
    candidates = (
        Appeal.objects.filter(near, state__in=OPEN_STATES)
        .select_related("organization", "federation", "assigned_instructor__user")
        .order_by("pk")
    )
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for appeal in candidates:
            deadline = next_deadline(appeal)
            if deadline is None or not today <= deadline[1] <= horizon:
                continue
            step, due = deadline
            facts = {
                "code": appeal.code,
                "organization": appeal.organization.name,
                "due": f"{due:%Y-%m-%d}",
                "step": DEADLINE_LABELS[step],
            }
            sent += notify_all(
                escalation_recipients(appeal),
                kind=NotificationKind.APPEAL_DUE_SOON,
                cause_key=f"appeal-due-soon:{appeal.pk}:{step}",
                title=_("Appeal %(code)s: deadline %(due)s") % facts,
                body=_("The appeal about %(organization)s must %(step)s by %(due)s.") % facts,
                link=reverse("appeals:appeal_detail", args=[appeal.pk]),
            )
    return sent


@unguarded_call
def mark_notifications_read(*, user: User) -> int:
    """The appeals page's "mark all as read": the escalations in the user's inbox."""
    return mark_all_read(recipient=user, kind=NotificationKind.APPEAL_ESCALATED)
