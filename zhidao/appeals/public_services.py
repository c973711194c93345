"""Writes of the public side: poster tokens, submitting an appeal, replies and ratings by the
submitter, and the 30-day purge of IP hashes."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhidao.core.ratelimits import hash_address
from zhidao.core.scoping import unguarded_call, use_case

from .models import (
    Appeal,
    AppealChannel,
    AppealEvent,
    AppealEventKind,
    AppealMessage,
    AppealPhoto,
    AppealState,
    MessageSender,
    PosterToken,
    new_ticket_code,
)

IP_HASH_RETENTION = timedelta(days=30)
MAX_PHOTOS = 3
MAX_TEXT = 2000


@use_case
def current_poster_token(*, organization, by=None) -> PosterToken:
    """The organization's active token, created on first use."""
    token = (
        PosterToken.objects.select_for_update()
        .filter(organization=organization, active=True)
        .first()
    )
    if token is None:
        token = PosterToken.objects.create(organization=organization, created_by=by)
    return token


@use_case
def rotate_poster_token(*, organization, by) -> PosterToken:
    """Retire the active token (its link then shows a "replaced" page) and issue a new one."""
    now = timezone.now()
    PosterToken.objects.select_for_update().filter(organization=organization, active=True).update(
        active=False, retired_at=now
    )
    return PosterToken.objects.create(organization=organization, created_by=by, created_at=now)


def _event(appeal, kind, public_text, *, actor=None, internal_note="", at=None) -> AppealEvent:
    return AppealEvent.objects.create(
        appeal=appeal,
        kind=kind,
        public_text=public_text,
        internal_note=internal_note,
        actor=actor,
        at=at or timezone.now(),
    )


@use_case
def submit_appeal(
    *,
    organization,
    category: str,
    description: str,
    anonymous: bool,
    name: str = "",
    phone: str = "",
    consent: bool = False,
    photos=(),
    channel: str = AppealChannel.QR,
    poster: PosterToken | None = None,
    ip: str | None = None,
    by=None,
) -> Appeal:
    """Create an appeal with its deadlines and first timeline step.

    Anonymous appeals keep no contact at all; the IP address is never stored, only its HMAC
    (for abuse protection, erased after 30 days) and only for appeals from the public page.
    """
    from .sla import compute_deadlines

    description = (description or "").strip()
    name = (name or "").strip()
    phone = (phone or "").strip()
    errors = {}
    if not description:
        errors["description"] = _("Describe the matter.")
    elif len(description) > MAX_TEXT:
        errors["description"] = _("Please keep the description under %(limit)d characters.") % {
            "limit": MAX_TEXT
        }
    if not anonymous:
        if not name:
            errors["name"] = _("Enter your name, or choose to stay anonymous.")
        if not phone:
            errors["phone"] = _("Enter a phone number, or choose to stay anonymous.")
        if not consent and by is None:
            errors["consent"] = _("Agree to the use of your contact details, or stay anonymous.")
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = _("At most %(count)d photos.") % {"count": MAX_PHOTOS}
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    deadlines = compute_deadlines(now, federation=organization.federation)
    fields = deadlines.as_fields()
    appeal = Appeal(
        organization=organization,
        federation=organization.federation,
        poster=poster,
        channel=channel,
        category=category,
        description=description,
        anonymous=anonymous,
        submitter_name="" if anonymous else name,
        submitter_phone="" if anonymous else phone,
        consent_at=None if anonymous else now,
        created_by=by,
        ip_hash=hash_address(ip) if by is None else None,
        **fields,
    )
    appeal.full_clean(exclude=["code"])
    for _attempt in range(5):
        try:
            with transaction.atomic():
                appeal.code = new_ticket_code()
                appeal.save()
            break
        except IntegrityError:  # a code collision: astronomically rare, try another
            appeal.pk = None
    else:
        raise ValidationError(_("Please try again."))
    for content in photos:
        AppealPhoto.objects.create(appeal=appeal, image=content, uploaded_at=now)
    _event(
        appeal,
        AppealEventKind.SUBMITTED,
        _("Your appeal was received. The union will accept it within one working day."),
        actor=by,
        internal_note=AppealChannel(channel).label if by is not None else "",
        at=now,
    )
    return appeal


@use_case
def add_submitter_message(*, appeal: Appeal, text: str) -> AppealMessage:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write a message.")})
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {"text": _("Please keep the message under %(limit)d characters.") % {"limit": MAX_TEXT}}
        )
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.state in (AppealState.CLOSED, AppealState.REJECTED):
        raise ValidationError(_("This appeal is closed; submit a new one if needed."))
    message = AppealMessage.objects.create(appeal=appeal, sender=MessageSender.SUBMITTER, text=text)
    _event(appeal, AppealEventKind.MESSAGE, _("You added a message."))
    return message


@use_case
def rate_appeal(*, appeal: Appeal, satisfaction: int, comment: str = "") -> Appeal:
    """The submitter's rating of a resolved appeal; it closes the appeal."""
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.state != AppealState.RESOLVED:
        raise ValidationError(_("Only a resolved appeal can be rated."))
    if satisfaction not in range(1, 6):
        raise ValidationError({"satisfaction": _("Choose from 1 to 5.")})
    now = timezone.now()
    appeal.satisfaction = satisfaction
    appeal.satisfaction_comment = (comment or "").strip()[:MAX_TEXT]
    appeal.state = AppealState.CLOSED
    appeal.closed_at = now
    appeal.save(
        update_fields=["satisfaction", "satisfaction_comment", "state", "closed_at", "updated_at"]
    )
    _event(
        appeal, AppealEventKind.RATED, _("You rated the handling; the appeal is closed."), at=now
    )
    return appeal


@unguarded_call
def purge_ip_hashes(*, now=None) -> int:
    """Erase IP hashes older than 30 days; returns how many were erased."""
    cutoff = (now or timezone.now()) - IP_HASH_RETENTION
    return Appeal.objects.filter(ip_hash__isnull=False, created_at__lt=cutoff).update(ip_hash=None)
