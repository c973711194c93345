"""Writes of work records, findings (the rectification loop) and practical matters.

A finding moves open → answered → closed, or answered → reopened → answered → …; each move is
one function that locks the row, checks the current state and the actor's role, and writes a
FindingTransition with the actor and the time.
"""

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from zhidao.accounts.scope import scope_of
from zhidao.core.scoping import use_case
from zhidao.core.services import apply_changes, validate_and_save
from zhidao.core.uploads import check_document, clean_image
from zhidao.dispatch.models import AssignmentStatus
from zhidao.fieldwork import handoffs, services
from zhidao.fieldwork.models import (
    Finding,
    FindingEvidence,
    FindingStatus,
    FindingTransition,
    OnSiteDay,
    PracticalMatter,
    PracticalMatterPhoto,
    PracticalMatterStatus,
    WorkRecord,
    WorkRecordAttachment,
)
from zhidao.fieldwork.services import recordable_assignment
from zhidao.orgs.models import Organization


def _checked_documents(files: Iterable, field: str) -> list:
    files = list(files or [])
    for upload in files:
        try:
            check_document(upload)
        except ValidationError as error:
            raise ValidationError({field: error.messages}) from None
    return files


def _cleaned_images(files: Iterable, field: str) -> list:
    cleaned = []
    for upload in files or []:
        try:
            cleaned.append(clean_image(upload))
        except ValidationError as error:
            raise ValidationError({field: error.messages}) from None
    return cleaned


# ----- work records -----


@use_case
def add_work_record_attachments(*, actor, record: WorkRecord, files: Iterable) -> int:
    if record.instructor_id != scope_of(actor).instructor_id:
        raise PermissionDenied
    files = _checked_documents(files, "attachments")
    for upload in files:
        WorkRecordAttachment.objects.create(record=record, file=upload, original_name=upload.name)
    return len(files)


@use_case
def record_work(*, actor, attachments: Iterable = (), **fields) -> services.Stored:
    """A work record with its attachments, all or nothing (a refused attachment stores nothing,
    so the queued submission can be corrected); idempotent by `client_uuid`."""
    stored = services.create_work_record(actor=actor, **fields)
    if stored.created:
        add_work_record_attachments(actor=actor, record=stored.record, files=attachments)
    return stored


@use_case
def update_work_record(
    *,
    actor,
    record: WorkRecord,
    duty: str,
    worked_on: date,
    content: str,
    participants: str = "",
    on_site_day: OnSiteDay | None = None,
    files: Iterable = (),
) -> WorkRecord:
    """The author edits its record while the assignment is active; lateness is judged again
    against the day it was first recorded."""
    record = WorkRecord.objects.select_for_update().select_related("assignment").get(pk=record.pk)
    if record.instructor_id != scope_of(actor).instructor_id:
        raise PermissionDenied
    if record.assignment.status != AssignmentStatus.ACTIVE:
        raise ValidationError(_("The assignment is not active; its records can no longer change."))
    if worked_on > record.recorded_on:
        raise ValidationError({"worked_on": _("The work cannot be after the day it was recorded.")})
    recordable_assignment(
        actor=actor,
        assignment_id=record.assignment_id,
        organization_id=record.organization_id,
        on=worked_on,
    )
    if on_site_day is not None and on_site_day.assignment_id != record.assignment_id:
        raise ValidationError({"on_site_day": _("That on-site day belongs to another assignment.")})
    changed = apply_changes(
        record,
        {
            "duty": duty,
            "worked_on": worked_on,
            "content": content,
            "participants": participants,
            "on_site_day": on_site_day,
            "is_late": (record.recorded_on - worked_on).days > settings.RECORD_PROMPT_DAYS,
        },
    )
    if changed:
        validate_and_save(record, exclude_unique=True)
    add_work_record_attachments(actor=actor, record=record, files=files)
    return record


# ----- findings -----


def _transition(finding: Finding, *, actor, to_status: str, comment: str = "") -> FindingTransition:
    return FindingTransition.objects.create(
        finding=finding,
        from_status=finding.status,
        to_status=to_status,
        actor=actor,
        comment=comment,
    )


def _locked(finding: Finding) -> Finding:
    return (
        Finding.objects.select_for_update(of=("self",))
        .select_related("organization", "assignment")
        .get(pk=finding.pk)
    )


def _require_status(finding: Finding, allowed: tuple[str, ...], message: str) -> None:
    if finding.status not in allowed:
        raise ValidationError(message % {"status": finding.get_status_display()})


@use_case
def open_finding(
    *,
    actor,
    assignment_id: int,
    organization_id: int,
    category: str,
    description: str,
    recommendation: str,
    due_on: date,
    found_on: date | None = None,
    today: date | None = None,
) -> Finding:
    """The instructor records a gap in the union's work at one of its organizations.

    `found_on` (default today) may be back-dated into the assignment's term, never later than
    today: the finding then counts in the quarter it was found (FIGURES.md)."""
    today = today or timezone.localdate()
    found_on = found_on or today
    assignment = recordable_assignment(
        actor=actor, assignment_id=assignment_id, organization_id=organization_id, on=today
    )
    if found_on > today:
        raise ValidationError({"found_on": _("The date found cannot be in the future.")})
    if found_on < assignment.starts_on or found_on > assignment.effective_end:
        raise ValidationError(
            {"found_on": _("The date found must fall within the assignment's term.")}
        )
    if due_on is not None and due_on < today:
        raise ValidationError({"due_on": _("The due date cannot be in the past.")})
    organization = Organization.objects.get(pk=organization_id)
    finding = Finding(
        assignment=assignment,
        organization=organization,
        union_id=organization.union_id,
        category=category,
        description=description,
        recommendation=recommendation,
        found_on=found_on,
        due_on=due_on,
        status=FindingStatus.OPEN,
        created_by=actor,
    )
    validate_and_save(finding)
    transition = FindingTransition.objects.create(
        finding=finding, from_status="", to_status=FindingStatus.OPEN, actor=actor
    )
    handoffs.finding_raised(finding, transition)
    return finding


@use_case
def answer_finding(*, actor, finding: Finding, answer: str, files: Iterable = ()) -> Finding:
    """The union officer says what was done, with evidence: open or reopened → answered."""
    finding = _locked(finding)
    if finding.organization.union_id not in scope_of(actor).union_ids:
        raise PermissionDenied
    _require_status(
        finding,
        (FindingStatus.OPEN, FindingStatus.REOPENED),
        _("Only an open or reopened finding can be answered; this one is “%(status)s”."),
    )
    if not (answer or "").strip():
        raise ValidationError({"answer": _("Say what the union has done.")})
    files = _checked_documents(files, "evidence")
    transition = _transition(finding, actor=actor, to_status=FindingStatus.ANSWERED, comment=answer)
    finding.answer = answer
    finding.answered_at = timezone.now()
    finding.status = FindingStatus.ANSWERED
    finding.save(update_fields=["answer", "answered_at", "status", "updated_at"])
    for upload in files:
        FindingEvidence.objects.create(
            finding=finding, file=upload, original_name=upload.name, uploaded_by=actor
        )
    handoffs.finding_answered(finding, transition)
    return finding


def _require_verifier(finding: Finding, actor) -> None:
    if finding.assignment.instructor_id != scope_of(actor).instructor_id:
        raise PermissionDenied


@use_case
def close_finding(*, actor, finding: Finding, comment: str = "") -> Finding:
    """The instructor verifies the rectification: answered → closed."""
    finding = _locked(finding)
    _require_verifier(finding, actor)
    _require_status(
        finding,
        (FindingStatus.ANSWERED,),
        _("Only an answered finding can be closed; this one is “%(status)s”."),
    )
    transition = _transition(finding, actor=actor, to_status=FindingStatus.CLOSED, comment=comment)
    finding.status = FindingStatus.CLOSED
    finding.closed_at = timezone.now()
    finding.save(update_fields=["status", "closed_at", "updated_at"])
    handoffs.finding_verified(finding, transition)
    return finding


@use_case
def reopen_finding(*, actor, finding: Finding, comment: str) -> Finding:
    """The instructor finds the rectification not done: answered → reopened, with the reason."""
    finding = _locked(finding)
    _require_verifier(finding, actor)
    _require_status(
        finding,
        (FindingStatus.ANSWERED,),
        _("Only an answered finding can be reopened; this one is “%(status)s”."),
    )
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say what is still missing.")})
    transition = _transition(
        finding, actor=actor, to_status=FindingStatus.REOPENED, comment=comment
    )
    finding.status = FindingStatus.REOPENED
    finding.save(update_fields=["status", "updated_at"])
    handoffs.finding_verified(finding, transition)
    return finding


# ----- practical matters -----

MATTER_FIELDS = (
    "title",
    "beneficiary",
    "category",
    "beneficiaries_count",
    "status",
    "result",
    "funds_source",
    "started_on",
    "completed_on",
)


def _check_matter_dates(matter: PracticalMatter) -> bool:
    """A done matter has the day it was completed (it counts in that day's period: FIGURES.md),
    today unless given; no date lies in the future. True when the completion day was filled."""
    today = timezone.localdate()
    filled = False
    if matter.status == PracticalMatterStatus.DONE and not matter.completed_on:
        matter.completed_on = today
        filled = True
    if matter.started_on and matter.completed_on and matter.completed_on < matter.started_on:
        raise ValidationError(
            {"completed_on": _("The completion date cannot be before the start date.")}
        )
    if matter.completed_on and matter.completed_on > today:
        raise ValidationError({"completed_on": _("The completion date cannot be in the future.")})
    return filled


@use_case
def create_practical_matter(
    *, actor, assignment_id: int, organization_id: int, photos: Iterable = (), **fields
) -> PracticalMatter:
    assignment = recordable_assignment(
        actor=actor,
        assignment_id=assignment_id,
        organization_id=organization_id,
        on=timezone.localdate(),
    )
    matter = PracticalMatter(
        assignment=assignment,
        organization_id=organization_id,
        **{name: value for name, value in fields.items() if name in MATTER_FIELDS},
    )
    _check_matter_dates(matter)
    images = _cleaned_images(photos, "photos")
    validate_and_save(matter)
    for image in images:
        PracticalMatterPhoto.objects.create(matter=matter, image=image)
    return matter


@use_case
def update_practical_matter(
    *, actor, matter: PracticalMatter, photos: Iterable = (), **fields
) -> PracticalMatter:
    matter = (
        PracticalMatter.objects.select_for_update().select_related("assignment").get(pk=matter.pk)
    )
    if matter.assignment.instructor_id != scope_of(actor).instructor_id:
        raise PermissionDenied
    if matter.assignment.status != AssignmentStatus.ACTIVE:
        raise ValidationError(_("The assignment is not active; its matters can no longer change."))
    changed = apply_changes(
        matter, {name: value for name, value in fields.items() if name in MATTER_FIELDS}
    )
    changed = _check_matter_dates(matter) or changed
    images = _cleaned_images(photos, "photos")
    if changed:
        validate_and_save(matter)
    for image in images:
        PracticalMatterPhoto.objects.create(matter=matter, image=image)
    return matter
