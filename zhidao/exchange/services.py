"""Writes of the exchange app: one function per use case, each in one transaction."""

from dataclasses import dataclass

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from zhidao.accounts.permissions import takes_part
from zhidao.accounts.scope import scope_of
from zhidao.core.scoping import unguarded_call, use_case
from zhidao.core.services import apply_changes, validate_and_save
from zhidao.core.uploads import check_document, clean_image

from . import selectors
from .models import (
    Attendance,
    Case,
    CaseAttachment,
    CaseComment,
    CaseImage,
    CaseStatus,
    CaseTransition,
    Event,
    EventKind,
    Post,
    Registration,
    UsefulMark,
)
from .search import search_text_of

EVENT_FIELDS = (
    "title",
    "kind",
    "federation",
    "held_on",
    "starts_at",
    "ends_at",
    "place",
    "online_link",
    "speaker",
    "host_union",
    "audience",
    "description",
    "capacity",
)
CASE_FIELDS = ("title", "union", "tags", "text")

# Limited rich text for cases: structure and emphasis only, no attributes, no links or images
# (pictures are uploaded separately and re-encoded).
ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "h3", "h4", "blockquote"}


@unguarded_call
def sanitize_case_text(text: str) -> str:
    text = (text or "").strip()
    if "<" not in text:
        return linebreaks(escape(text))
    return nh3.clean(text, tags=ALLOWED_TAGS, attributes={})


@unguarded_call
def plain_text(html: str) -> str:
    return nh3.clean(html or "", tags=set()).replace("&nbsp;", " ")


# ----- events -----


def _check_event(event: Event) -> None:
    errors = {}
    if event.starts_at and event.ends_at and event.ends_at <= event.starts_at:
        errors["ends_at"] = _("The end time must be after the start time.")
    if event.kind == EventKind.SITE_VISIT and not event.host_union_id:
        errors["host_union"] = _("Choose the union that hosts the observation visit.")
    if event.kind == EventKind.ONLINE and not event.online_link:
        errors["online_link"] = _("Enter the link of the online session.")
    if event.kind != EventKind.ONLINE and not event.place:
        errors["place"] = _("Enter the place of the event.")
    if errors:
        raise ValidationError(errors)


def _check_admin_of(actor, federation) -> None:
    scope = scope_of(actor)
    if not (scope.is_superuser or scope.can_administer_path(federation.path)):
        raise ValidationError({"federation": _("Choose a federation you administer.")})


@use_case
def create_event(*, actor, **fields) -> Event:
    _check_admin_of(actor, fields["federation"])
    event = Event(created_by=actor, **{k: v for k, v in fields.items() if k in EVENT_FIELDS})
    _check_event(event)
    validate_and_save(event)
    return event


@use_case
def update_event(*, event: Event, actor, **changes) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    if "federation" in changes:
        _check_admin_of(actor, changes["federation"])
    apply_changes(event, {k: v for k, v in changes.items() if k in EVENT_FIELDS})
    _check_event(event)
    validate_and_save(event)
    return event


def _event_for_participant(event: Event, user) -> Event:
    if not selectors.events_open_to(user).filter(pk=event.pk).exists():
        raise PermissionDenied(_("This event is not meant for you."))
    return event


@use_case
def register(*, event: Event, user) -> Registration:
    _event_for_participant(event, user)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if timezone.now() >= event.start:
        raise ValidationError(_("Registration has closed: the event has started."))
    existing = Registration.objects.filter(event=event, user=user).first()
    if existing:
        return existing
    if event.capacity is not None and event.registrations.count() >= event.capacity:
        raise ValidationError(_("The event is full."))
    return Registration.objects.create(event=event, user=user)


@use_case
def cancel_registration(*, event: Event, user) -> None:
    if timezone.now() >= event.start:
        raise ValidationError(
            _("The event has started; the registration can no longer be cancelled.")
        )
    Registration.objects.filter(event=event, user=user).delete()


@dataclass(frozen=True)
class SignInResult:
    attendance: Attendance
    created: bool


@unguarded_call
def sign_in(*, token: str, user) -> SignInResult:
    """Sign the user in at the event the QR token names: once, inside the time window.

    The reason of a refusal is for the person holding the phone: PermissionDenied when the
    event is not meant for them, ValidationError for a wrong code or outside the window."""
    event = Event.objects.filter(sign_in_token=token).first()
    if event is None:
        raise ValidationError(_("This sign-in code is not valid."))
    if not selectors.events_open_to(user).filter(pk=event.pk).exists():
        raise PermissionDenied(_("This event is not meant for you, so you cannot sign in at it."))
    existing = Attendance.objects.filter(event=event, user=user).first()
    if existing:
        return SignInResult(existing, created=False)
    now = timezone.now()
    if now < event.sign_in_opens:
        raise ValidationError(
            _("Sign-in has not opened yet. It opens at %(time)s.")
            % {"time": timezone.localtime(event.sign_in_opens).strftime("%Y-%m-%d %H:%M")}
        )
    if now > event.end:
        raise ValidationError(_("The event is over; sign-in has closed."))
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(event=event, user=user, signed_in_at=now)
    except IntegrityError:
        # Two scans at the same moment: the other one won.
        return SignInResult(Attendance.objects.get(event=event, user=user), created=False)
    return SignInResult(attendance, created=True)


# ----- cases -----


def _index(case: Case) -> None:
    case.search_text = search_text_of(case.title, case.tags, plain_text(case.text))


def _attach(case: Case, images, attachments) -> None:
    for upload in images or ():
        CaseImage.objects.create(case=case, image=clean_image(upload))
    for upload in attachments or ():
        check_document(upload)
        CaseAttachment.objects.create(case=case, file=upload, original_name=upload.name[:255])


@use_case
def create_case(*, actor, title, union, tags="", text, images=(), attachments=()) -> Case:
    scope = scope_of(actor)
    if not scope.is_instructor:
        raise PermissionDenied
    from zhidao.orgs.selectors import unions_visible_to

    if not unions_visible_to(actor).filter(pk=union.pk).exists():
        raise ValidationError({"union": _("Choose a union you guide.")})
    case = Case(
        title=title,
        union=union,
        tags=tags,
        text=sanitize_case_text(text),
        author=actor,
        federation=actor.instructor.federation,
    )
    _index(case)
    validate_and_save(case)
    _attach(case, images, attachments)
    return case


@use_case
def update_case(*, case: Case, actor, images=(), attachments=(), **changes) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.author_id != actor.pk:
        raise PermissionDenied
    if case.status not in (CaseStatus.DRAFT, CaseStatus.RETURNED):
        raise ValidationError(_("Only a draft or a returned case can be edited, by its author."))
    changes = {k: v for k, v in changes.items() if k in CASE_FIELDS}
    if "text" in changes:
        changes["text"] = sanitize_case_text(changes["text"])
    apply_changes(case, changes)
    _index(case)
    validate_and_save(case)
    _attach(case, images, attachments)
    return case


def _transition(case: Case, *, actor, to_status: str, comment: str = "") -> Case:
    now = timezone.now()
    CaseTransition.objects.create(
        case=case,
        from_status=case.status,
        to_status=to_status,
        actor=actor,
        comment=comment,
        at=now,
    )
    case.status = to_status
    if to_status == CaseStatus.PUBLISHED:
        case.published_at = now
    case.save(update_fields=["status", "published_at", "updated_at"])
    return case


@use_case
def submit_case(*, case: Case, actor) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.author_id != actor.pk:
        raise PermissionDenied
    if case.status not in (CaseStatus.DRAFT, CaseStatus.RETURNED):
        raise ValidationError(_("Only a draft or a returned case can be submitted."))
    return _transition(case, actor=actor, to_status=CaseStatus.SUBMITTED)


def _reviewable(case: Case, actor) -> Case:
    locked = selectors.cases_reviewable_by(actor).select_for_update().filter(pk=case.pk).first()
    if locked is None:
        raise PermissionDenied
    if locked.status != CaseStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted case can be reviewed."))
    return locked


@use_case
def publish_case(*, case: Case, actor, comment: str = "") -> Case:
    return _transition(
        _reviewable(case, actor), actor=actor, to_status=CaseStatus.PUBLISHED, comment=comment
    )


@use_case
def return_case(*, case: Case, actor, comment: str) -> Case:
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say what should be changed.")})
    return _transition(
        _reviewable(case, actor), actor=actor, to_status=CaseStatus.RETURNED, comment=comment
    )


def _require_taking_part(user) -> None:
    # A federation leader reads the programme and takes part in nothing (DESIGN.md roles).
    if not takes_part(user):
        raise PermissionDenied(_("Your role may read, not take part."))


def _readable_published(case: Case, user) -> Case:
    _require_taking_part(user)
    visible = selectors.cases_visible_to(user).filter(pk=case.pk, status=CaseStatus.PUBLISHED)
    if not visible.exists():
        raise ValidationError(_("Only a published case can be commented on or marked useful."))
    return case


@use_case
def add_comment(*, case: Case, author, text: str) -> CaseComment:
    _readable_published(case, author)
    comment = CaseComment(case=case, author=author, text=(text or "").strip())
    validate_and_save(comment)
    return comment


@unguarded_call
def mark_useful(*, case: Case, user) -> bool:
    """True when the mark is new; a second mark by the same person changes nothing."""
    _readable_published(case, user)
    try:
        with transaction.atomic():
            _mark, created = UsefulMark.objects.get_or_create(case=case, user=user)
    except IntegrityError:
        return False
    return created


@use_case
def add_post(
    *,
    author,
    text: str,
    event: Event | None = None,
    case: Case | None = None,
    parent: Post | None = None,
) -> Post:
    _require_taking_part(author)
    if parent is not None:
        if parent.parent_id is not None:
            raise ValidationError({"parent": _("Replies cannot be answered in turn.")})
        event, case = parent.event, parent.case
    post = Post(author=author, text=(text or "").strip(), event=event, case=case, parent=parent)
    validate_and_save(post)
    return post
