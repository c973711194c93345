"""Writes of the on-site part: photos, the union officer's confirmation or dispute, and the
face-to-face one-time code.

Confirmation is two-party: the instructor says it was on site, the union officer says so too —
from its own account, or by showing the instructor a short code the instructor types in (proof
that the two met). Every transition checks the day's state under a row lock, so two clicks (or
two people) cannot both change it.
"""

import secrets
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhidao.accounts.scope import scope_of
from zhidao.core.scoping import unguarded_call, use_case
from zhidao.core.uploads import clean_image
from zhidao.fieldwork import handoffs, services
from zhidao.fieldwork.models import (
    ConfirmationCode,
    ConfirmationMethod,
    OnSiteDay,
    OnSiteDayPhoto,
    OnSiteDayStatus,
)
from zhidao.orgs.models import Union

CODE_DIGITS = 6
MAX_PHOTOS_PER_DAY = 12


def _locked(day: OnSiteDay) -> OnSiteDay:
    return OnSiteDay.objects.select_for_update().select_related("organization").get(pk=day.pk)


def _require_unconfirmed(day: OnSiteDay, field: str | None = None) -> None:
    if day.status == OnSiteDayStatus.CONFIRMED:
        message = _("This on-site day has already been confirmed.")
    elif day.status == OnSiteDayStatus.DISPUTED:
        message = _("This on-site day has already been disputed.")
    else:
        return
    raise ValidationError({field: message} if field else message)


def _require_own_day(actor, day: OnSiteDay) -> None:
    if day.instructor_id != scope_of(actor).instructor_id:
        raise PermissionDenied(_("Only the instructor who checked in can change this day."))


def _require_officer_of(actor, day: OnSiteDay) -> None:
    union_id = day.organization.union_id
    if union_id is None or union_id not in scope_of(actor).union_ids:
        raise PermissionDenied(_("Only an officer of the organization's union can do this."))


# ----- photos -----


@unguarded_call
def add_photos(
    *, actor, day: OnSiteDay, files: Iterable, submission_uuid: uuid.UUID | None = None
) -> list[OnSiteDayPhoto]:
    """Attach photos to the instructor's own day, each checked by content, stripped of EXIF and
    downscaled; one bad file refuses them all, so the instructor can choose again. With the
    submission's key, a repeat of a submission whose photos are stored adds nothing."""
    files = list(files)
    if not files:
        return []
    _require_own_day(actor, day)
    if submission_uuid is not None and day.photos.filter(submission_uuid=submission_uuid).exists():
        return []
    cleaned = []
    for upload in files:
        try:
            cleaned.append(clean_image(upload))
        except ValidationError as error:
            name = getattr(upload, "name", "")
            messages = [f"{name}：{text}" if name else text for text in error.messages]
            raise ValidationError({"photos": messages}) from None
    with transaction.atomic():
        day = _locked(day)
        # Checked again under the lock: two deliveries of one submission at once store once.
        if (
            submission_uuid is not None
            and day.photos.filter(submission_uuid=submission_uuid).exists()
        ):
            return []
        _require_unconfirmed(day, "photos")
        if day.photos.count() + len(cleaned) > MAX_PHOTOS_PER_DAY:
            raise ValidationError(
                {
                    "photos": _("A day can have at most %(limit)d photos.")
                    % {"limit": MAX_PHOTOS_PER_DAY}
                }
            )
        photos = []
        for content in cleaned:
            # The cleaned file carries its own name; the field stores it on save.
            photo = OnSiteDayPhoto(day=day, image=content, submission_uuid=submission_uuid)
            photo.width, photo.height = photo.image.width, photo.image.height
            photo.save()
            photos.append(photo)
    return photos


# ----- check-in and check-out as the pages use them -----


@use_case
def check_in_on_site(
    *,
    actor,
    client_uuid: uuid.UUID,
    assignment_id: int | None,
    organization_id: int,
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
    accuracy_m: float | None = None,
    summary: str = "",
    photos: Iterable = (),
    code: str = "",
    checked_in_at: datetime | None = None,
) -> services.Stored:
    """Check in with optional photos and the officer's code, all or nothing: a wrong code or a
    bad photo saves nothing, so the instructor can correct it and send again."""
    stored = services.check_in(
        actor=actor,
        client_uuid=client_uuid,
        assignment_id=assignment_id,
        organization_id=organization_id,
        checked_in_at=checked_in_at,
        latitude=latitude,
        longitude=longitude,
        accuracy_m=accuracy_m,
        summary=summary,
    )
    if not stored.created:
        return stored
    add_photos(actor=actor, day=stored.record, files=photos)
    if code:
        stored = services.Stored(
            confirm_with_code(actor=actor, day=stored.record, code=code), created=True
        )
    return stored


@use_case
def check_out_on_site(
    *,
    actor,
    day: OnSiteDay,
    summary: str | None = None,
    photos: Iterable = (),
    checked_out_at: datetime | None = None,
    submission_uuid: uuid.UUID | None = None,
) -> OnSiteDay:
    """Check out (the first time counts) and edit what was done; both only until confirmed.
    `submission_uuid` is the phone's key for this one check-out or edit: the same day may be
    checked out and then edited offline, each submission with its own photos, and a repeated
    delivery of either adds its photos once."""
    _require_own_day(actor, day)
    current = _locked(day)
    photos = list(photos)
    if (
        submission_uuid is not None
        and current.photos.filter(submission_uuid=submission_uuid).exists()
    ):
        photos = []  # this submission arrived before; its answer was lost on the way back
    if (summary is not None and summary != current.summary) or photos:
        _require_unconfirmed(current, "summary")
    add_photos(actor=actor, day=current, files=photos, submission_uuid=submission_uuid)
    return services.check_out(
        actor=actor, day=current, checked_out_at=checked_out_at, summary=summary
    )


# ----- the union officer -----


@unguarded_call
def issue_confirmation_code(*, officer, union: Union) -> ConfirmationCode:
    """A fresh 6-digit code for the union, valid FIELDWORK_CODE_VALID_MINUTES minutes and once;
    the union's earlier unused codes stop working, so only the code on screen is live."""
    if union.pk not in scope_of(officer).union_ids:
        raise PermissionDenied(_("Only an officer of this union can issue its codes."))
    now = timezone.now()
    with transaction.atomic():
        live = ConfirmationCode.objects.select_for_update().filter(
            union=union, used_at__isnull=True, expires_at__gt=now
        )
        live.update(expires_at=now)
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        return ConfirmationCode.objects.create(
            union=union,
            code=code,
            issued_by=officer,
            expires_at=now + timedelta(minutes=settings.FIELDWORK_CODE_VALID_MINUTES),
        )


@unguarded_call
def current_code(union: Union) -> ConfirmationCode | None:
    return (
        ConfirmationCode.objects.filter(
            union=union, used_at__isnull=True, expires_at__gt=timezone.now()
        )
        .order_by("-issued_at", "-id")
        .first()
    )


@use_case
def confirm_day(*, actor, day: OnSiteDay) -> OnSiteDay:
    """The union officer confirms from its own account."""
    day = _locked(day)
    _require_officer_of(actor, day)
    _require_unconfirmed(day)
    day.status = OnSiteDayStatus.CONFIRMED
    day.confirmation_method = ConfirmationMethod.OFFICER_ACCOUNT
    day.confirmed_by = actor
    day.confirmed_at = timezone.now()
    day.save(
        update_fields=[
            "status",
            "confirmation_method",
            "confirmed_by",
            "confirmed_at",
            "updated_at",
        ]
    )
    handoffs.day_decided(day)
    return day


@use_case
def dispute_day(*, actor, day: OnSiteDay, reason: str) -> OnSiteDay:
    """The union officer says the day did not happen as recorded; the reason is required."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why you dispute this day, so the instructor can answer.")}
        )
    day = _locked(day)
    _require_officer_of(actor, day)
    _require_unconfirmed(day)
    day.status = OnSiteDayStatus.DISPUTED
    day.dispute_reason = reason
    day.disputed_by = actor
    day.disputed_at = timezone.now()
    day.save(update_fields=["status", "dispute_reason", "disputed_by", "disputed_at", "updated_at"])
    handoffs.day_decided(day)
    return day


@use_case
def confirm_with_code(*, actor, day: OnSiteDay, code: str) -> OnSiteDay:
    """The instructor types the code the officer showed face to face. The officer who issued the
    code is the one who confirms; the code works once, for its union, until it expires."""
    _require_own_day(actor, day)
    day = _locked(day)
    _require_unconfirmed(day, "code")
    code = (code or "").strip()
    union_id = day.organization.union_id
    if union_id is None:
        raise ValidationError(
            {"code": _("This organization has no union on record, so no code can confirm it.")}
        )
    now = timezone.now()
    found = (
        ConfirmationCode.objects.select_for_update()
        .filter(union_id=union_id, code=code)
        .order_by("-issued_at", "-id")
        .first()
        if code
        else None
    )
    if found is None:
        raise ValidationError(
            {"code": _("The code is not right. Ask the union officer for the code on screen.")}
        )
    if found.used_at is not None:
        raise ValidationError(
            {"code": _("This code has already been used. Ask the officer for a new one.")}
        )
    if found.expires_at <= now:
        raise ValidationError(
            {"code": _("This code has expired. Ask the officer to generate a new one.")}
        )
    found.used_at = now
    found.used_for = day
    found.save(update_fields=["used_at", "used_for"])
    day.status = OnSiteDayStatus.CONFIRMED
    day.confirmation_method = ConfirmationMethod.FACE_TO_FACE_CODE
    day.confirmed_by_id = found.issued_by_id
    day.confirmed_at = now
    day.save(
        update_fields=[
            "status",
            "confirmation_method",
            "confirmed_by",
            "confirmed_at",
            "updated_at",
        ]
    )
    return day
