"""Writes for instructors, batches and assignments."""

from datetime import date

import phonenumbers
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from zhidao.accounts.models import Role, RoleGrant, User
from zhidao.accounts.services import set_login_allowed
from zhidao.core.scoping import unguarded_call, use_case
from zhidao.core.services import apply_changes, validate_and_save
from zhidao.orgs.models import Organization

from .models import (
    Assignment,
    AssignmentOrganization,
    AssignmentStatus,
    Batch,
    Instructor,
    InstructorStatus,
    one_year_after,
)


@unguarded_call
def normalize_work_phone(value: str) -> str:
    """A Chinese mobile or landline number in its national digits (13812341234, 073158581234).

    Spaces, dashes and a +86 prefix are accepted on input; what is stored is the digits a
    colleague would dial inside China.
    """
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "CN")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number_for_region(number, "CN"):
        raise ValidationError(
            {
                "phone": _(
                    "Enter a valid Chinese mobile number (11 digits) or a landline number "
                    "with its area code, e.g. 0731-58581234."
                )
            }
        )
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return "".join(ch for ch in national if ch.isdigit())


@use_case
def create_instructor(*, user: User, name: str, federation, **fields) -> Instructor:
    if "phone" in fields:
        fields["phone"] = normalize_work_phone(fields["phone"])
    instructor = Instructor(user=user, name=name, federation=federation, **fields)
    validate_and_save(instructor)
    RoleGrant.objects.get_or_create(user=user, role=Role.INSTRUCTOR)
    if not user.full_name:
        user.full_name = name
        user.save(update_fields=["full_name"])
    _login_follows_status(instructor)
    return instructor


def _login_follows_status(instructor: Instructor) -> None:
    """An inactive instructor cannot log in (its sessions and tokens end at once); an active
    one can again. The account administration pages keep the other direction."""
    set_login_allowed(user=instructor.user, allowed=instructor.status == InstructorStatus.ACTIVE)


@unguarded_call
def check_initial_password(*, username: str, password: str, name: str = "") -> None:
    """The password rules of settings (SECURITY.md), with the error at the password field."""
    user = User(username=(username or "").strip(), full_name=name)
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationError({"password": error.error_list}) from None


@use_case
def create_instructor_with_account(
    *, username: str, password: str, name: str, federation, **fields
) -> Instructor:
    """A new instructor and its login account, which must change the initial password."""
    user = User(username=(username or "").strip(), full_name=name, must_change_password=True)
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        raise ValidationError(
            {"username": error.message_dict.get("username", error.messages)}
        ) from None
    check_initial_password(username=user.username, password=password, name=name)
    user.set_password(password)
    user.save()
    return create_instructor(user=user, name=name, federation=federation, **fields)


@use_case
def update_instructor(*, instructor: Instructor, **changes) -> list[str]:
    if "phone" in changes:
        changes["phone"] = normalize_work_phone(changes["phone"])
    changed = apply_changes(instructor, changes)
    validate_and_save(instructor)
    if "name" in changed and instructor.user.full_name != instructor.name:
        # The account shows the person's name in the top bar and in the audit log.
        instructor.user.full_name = instructor.name
        instructor.user.save(update_fields=["full_name"])
    if "status" in changed:
        _login_follows_status(instructor)
    return changed


@use_case
def create_batch(**fields) -> Batch:
    batch = Batch(**fields)
    validate_and_save(batch)
    return batch


@use_case
def update_batch(*, batch: Batch, **changes) -> list[str]:
    changed = apply_changes(batch, changes)
    validate_and_save(batch)
    return changed


def _check_no_overlap(assignment: Assignment, organizations) -> None:
    """An instructor may not hold two assignments to the same organization at the same time."""
    start, end = assignment.starts_on, assignment.effective_end
    clashes = (
        AssignmentOrganization.objects.filter(
            organization__in=organizations,
            assignment__instructor_id=assignment.instructor_id,
            assignment__starts_on__lte=end,
        )
        .filter(
            Q(assignment__ended_on__isnull=True, assignment__ends_on__gte=start)
            | Q(assignment__ended_on__gte=start)
        )
        .exclude(assignment_id=assignment.pk)
        .select_related("organization", "assignment")
    )
    clash = clashes.first()
    if clash is not None:
        raise ValidationError(
            {
                "organizations": _(
                    "%(instructor)s is already assigned to %(organization)s from %(start)s "
                    "to %(end)s; the dates overlap."
                )
                % {
                    "instructor": assignment.instructor.name,
                    "organization": clash.organization.name,
                    "start": clash.assignment.starts_on.isoformat(),
                    "end": clash.assignment.effective_end.isoformat(),
                }
            }
        )


def _status_for_dates(starts_on: date, ends_on: date, today: date) -> str:
    if today < starts_on:
        return AssignmentStatus.PLANNED
    if today > ends_on:
        return AssignmentStatus.COMPLETED
    return AssignmentStatus.ACTIVE


def _save_with_organizations(assignment: Assignment, organizations) -> None:
    organizations = list(organizations)
    if not organizations:
        raise ValidationError({"organizations": _("Choose at least one organization.")})
    assignment.full_clean()
    if assignment.batch_id and assignment.instructor_id and not _same_tree(assignment):
        raise ValidationError(
            {"instructor": _("The instructor does not belong to the batch's federation tree.")}
        )
    _check_no_overlap(assignment, organizations)
    assignment.save()
    wanted = {o.pk for o in organizations}
    current = set(assignment.organization_links.values_list("organization_id", flat=True))
    assignment.organization_links.filter(organization_id__in=current - wanted).delete()
    # In the order given: the first organization listed is the primary one, to which the
    # assignment's weeks and on-site days are attributed (FIGURES.md "attribution").
    AssignmentOrganization.objects.bulk_create(
        [
            AssignmentOrganization(assignment=assignment, organization_id=organization.pk)
            for organization in dict.fromkeys(organizations)
            if organization.pk not in current
        ]
    )


def _same_tree(assignment: Assignment) -> bool:
    batch_path = assignment.batch.federation.path
    instructor_path = assignment.instructor.federation.path
    return instructor_path.startswith(batch_path) or batch_path.startswith(instructor_path)


@use_case
def create_assignment(
    *,
    batch: Batch,
    instructor: Instructor,
    organizations: list[Organization],
    starts_on: date,
    ends_on: date | None = None,
    min_days_per_week: int = 1,
    notes: str = "",
    today: date | None = None,
) -> Assignment:
    assignment = Assignment(
        batch=batch,
        instructor=instructor,
        starts_on=starts_on,
        ends_on=ends_on or one_year_after(starts_on),
        min_days_per_week=min_days_per_week,
        notes=notes,
    )
    assignment.clean()  # the dates' rules, before the status is derived from them
    assignment.status = _status_for_dates(
        assignment.starts_on, assignment.ends_on, today or date.today()
    )
    _save_with_organizations(assignment, organizations)
    return assignment


@use_case
def update_assignment(
    *,
    assignment: Assignment,
    organizations: list[Organization] | None = None,
    today: date | None = None,
    **changes,
) -> list[str]:
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    changed = apply_changes(assignment, changes)
    if assignment.starts_on and not assignment.ends_on:
        assignment.ends_on = one_year_after(assignment.starts_on)
    dates_changed = {"starts_on", "ends_on"} & set(changed)
    if dates_changed and assignment.status != AssignmentStatus.ENDED_EARLY:
        # An assignment ended early keeps that status; any other follows its new dates.
        status = _status_for_dates(assignment.starts_on, assignment.ends_on, today or date.today())
        if status != assignment.status:
            assignment.status = status
            changed.append("status")
    if organizations is None:
        organizations = list(assignment.organizations.all())
    else:
        before = set(assignment.organization_links.values_list("organization_id", flat=True))
        if before != {o.pk for o in organizations}:
            changed.append("organizations")
    _save_with_organizations(assignment, organizations)
    return changed


@use_case
def end_assignment_early(*, assignment: Assignment, ended_on: date, reason: str) -> Assignment:
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status not in (AssignmentStatus.PLANNED, AssignmentStatus.ACTIVE):
        raise ValidationError(_("Only a planned or active assignment can be ended early."))
    if ended_on > assignment.ends_on:
        raise ValidationError({"ended_on": _("The actual end date is after the planned end date.")})
    assignment.status = AssignmentStatus.ENDED_EARLY
    assignment.ended_on = ended_on
    assignment.end_reason = reason
    assignment.full_clean()
    assignment.save()
    return assignment


@use_case
def refresh_assignment_statuses(*, today: date | None = None) -> int:
    """Move planned → active → completed as dates pass (run daily; idempotent)."""
    today = today or date.today()
    started = Assignment.objects.filter(
        status=AssignmentStatus.PLANNED, starts_on__lte=today, ends_on__gte=today
    ).update(status=AssignmentStatus.ACTIVE)
    finished = Assignment.objects.filter(
        status__in=[AssignmentStatus.PLANNED, AssignmentStatus.ACTIVE],
        ends_on__lt=today,
    ).update(status=AssignmentStatus.COMPLETED)
    return started + finished
