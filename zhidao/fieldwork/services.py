"""Writes that the pages, the API and the phone's offline queue share: the one input contract
of check-in, check-out and a work record. Every rule is here — a time not in the future, a date
inside the term, coordinates rounded to what is stored — so no entry path can skip one; forms and
serializers only parse.

Submissions from a phone carry a client-generated UUID, the idempotency key: the same UUID from
the same instructor (a retry, a second sync, two deliveries at once) returns the record already
stored and changes nothing; another instructor's UUID is never found.
"""

import math
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhidao.accounts.scope import scope_of
from zhidao.core.scoping import unguarded_call, use_case
from zhidao.core.services import validate_and_save
from zhidao.dispatch.models import Assignment, AssignmentStatus
from zhidao.fieldwork.models import OnSiteDay, WorkRecord
from zhidao.orgs.models import Organization

# A phone's clock may run a little fast; a time further ahead than this is refused.
CLOCK_SKEW = timedelta(minutes=10)
COORDINATE = Decimal("0.000001")  # six decimals, about 10 cm: what the models store


def not_in_future(moment: datetime | None, field: str) -> None:
    if moment is not None and moment > timezone.now() + CLOCK_SKEW:
        raise ValidationError({field: _("The time cannot be in the future.")})


def coordinates(
    latitude, longitude, accuracy_m
) -> tuple[Decimal | None, Decimal | None, int | None]:
    """Browser coordinates (any precision) rounded to six decimals; both or neither."""
    if latitude is None or longitude is None:
        return None, None, None
    try:
        latitude = Decimal(str(latitude)).quantize(COORDINATE)
        longitude = Decimal(str(longitude)).quantize(COORDINATE)
    except ArithmeticError:
        raise ValidationError({"latitude": _("The location could not be read.")}) from None
    if not (-90 <= latitude <= 90):
        raise ValidationError({"latitude": _("The latitude must lie between -90 and 90.")})
    if not (-180 <= longitude <= 180):
        raise ValidationError({"longitude": _("The longitude must lie between -180 and 180.")})
    if accuracy_m is not None:
        accuracy_m = max(0, min(round(float(accuracy_m)), 2_000_000_000))
    return latitude, longitude, accuracy_m


@dataclass(frozen=True)
class Stored:
    """What an idempotent write returns: the record, and whether this call created it."""

    record: object
    created: bool


@unguarded_call
def distance_m(lat1: Decimal, lng1: Decimal, lat2: Decimal, lng2: Decimal) -> int:
    """Great-circle distance (haversine) in metres."""
    radius = 6_371_000
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    d_phi = phi2 - phi1
    d_lambda = math.radians(float(lng2) - float(lng1))
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return round(2 * radius * math.asin(math.sqrt(a)))


@unguarded_call
def recordable_assignment(*, actor, assignment_id: int | None, organization_id: int, on: date):
    """The actor's own active assignment covering the organization on that date, or a Chinese
    error saying why not (the offline queue shows this message to the instructor). Without an
    assignment, the actor's assignment covering the organization that day is taken."""
    scope = scope_of(actor)
    if scope.instructor_id is None:
        raise ValidationError({"assignment": _("This is not one of your assignments.")})
    own = Assignment.objects.filter(instructor_id=scope.instructor_id).select_related("instructor")
    if assignment_id is None:
        candidates = list(
            own.filter(
                organization_links__organization_id=organization_id,
                status__in=(AssignmentStatus.ACTIVE, AssignmentStatus.COMPLETED),
            ).order_by("-starts_on")
        )
        if not candidates:
            raise ValidationError(
                {"organization": _("This organization is not covered by any of your assignments.")}
            )
        # The latest that had begun by then; a date before all of them gets the term's message.
        assignment = next((a for a in candidates if a.starts_on <= on), candidates[-1])
    else:
        assignment = own.filter(pk=assignment_id).first()
    if assignment is None:
        raise ValidationError({"assignment": _("This is not one of your assignments.")})
    if not assignment.organization_links.filter(organization_id=organization_id).exists():
        raise ValidationError(
            {"organization": _("This organization is not covered by the assignment.")}
        )
    if assignment.status == AssignmentStatus.ENDED_EARLY or assignment.status not in (
        AssignmentStatus.ACTIVE,
        AssignmentStatus.COMPLETED,
    ):
        raise ValidationError(
            {"assignment": _("The assignment is not active; nothing can be recorded on it.")}
        )
    if not (assignment.starts_on <= on <= assignment.effective_end):
        raise ValidationError(
            {
                "on_date": _("The date is outside the assignment's term (%(start)s to %(end)s).")
                % {"start": assignment.starts_on, "end": assignment.effective_end}
            }
        )
    return assignment


def _existing(model, client_uuid, actor) -> Stored | None:
    """The actor's own record with this key; another instructor's is never found."""
    found = model.objects.filter(
        client_uuid=client_uuid, instructor_id=scope_of(actor).instructor_id
    ).first()
    return Stored(found, created=False) if found is not None else None


def _key_taken() -> ValidationError:
    # The key is another instructor's: say so without saying whose or what it holds.
    return ValidationError(
        {"client_uuid": _("This submission's key is already used; send it again as new.")}
    )


@unguarded_call
def check_in(
    *,
    actor,
    client_uuid: uuid.UUID,
    assignment_id: int | None,
    organization_id: int,
    checked_in_at: datetime | None = None,
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
    accuracy_m: float | None = None,
    summary: str = "",
) -> Stored:
    """Start an on-site day. A repeat of the same client_uuid returns the stored day."""
    already = _existing(OnSiteDay, client_uuid, actor)
    if already is not None:
        return already
    not_in_future(checked_in_at, "checked_in_at")
    latitude, longitude, accuracy_m = coordinates(latitude, longitude, accuracy_m)
    checked_in_at = checked_in_at or timezone.now()
    on = timezone.localdate(checked_in_at)
    assignment = recordable_assignment(
        actor=actor, assignment_id=assignment_id, organization_id=organization_id, on=on
    )
    day = OnSiteDay(
        client_uuid=client_uuid,
        assignment=assignment,
        organization_id=organization_id,
        instructor_id=assignment.instructor_id,
        on_date=on,
        checked_in_at=checked_in_at,
        latitude=latitude,
        longitude=longitude,
        accuracy_m=accuracy_m,
        summary=summary,
    )
    if latitude is not None and longitude is not None:
        site = Organization.objects.filter(pk=organization_id).values("latitude", "longitude")[0]
        if site["latitude"] is not None and site["longitude"] is not None:
            day.distance_m = distance_m(latitude, longitude, site["latitude"], site["longitude"])
            day.is_far = day.distance_m > settings.FIELDWORK_FAR_DISTANCE_M
    same_place_and_day = OnSiteDay.objects.filter(
        instructor_id=day.instructor_id, organization_id=organization_id, on_date=on
    )
    try:
        with transaction.atomic():
            if not same_place_and_day.exists():
                validate_and_save(day, exclude_unique=True)
                return Stored(day, created=True)
    except IntegrityError:
        pass  # a concurrent delivery won the race (or another check-in here today)
    # Either way the day exists now: it is this submission's (a retry that raced the first
    # delivery), another check-in of the same place and day, or another instructor's key.
    already = _existing(OnSiteDay, client_uuid, actor)
    if already is not None:
        return already
    if OnSiteDay.objects.unscoped().filter(client_uuid=client_uuid).exists():
        raise _key_taken()
    raise ValidationError({"organization": _("You have already checked in here today.")})


@use_case
def check_out(
    *, actor, day: OnSiteDay, checked_out_at: datetime | None = None, summary: str | None = None
) -> OnSiteDay:
    """End the day; checking out twice keeps the first time (a repeated sync is harmless)."""
    day = OnSiteDay.objects.select_for_update().get(pk=day.pk)
    if day.instructor_id != scope_of(actor).instructor_id:
        raise PermissionDenied(_("Only the instructor who checked in can check out."))
    not_in_future(checked_out_at, "checked_out_at")
    checked_out_at = checked_out_at or timezone.now()
    if day.checked_out_at is None:
        if checked_out_at < day.checked_in_at:
            raise ValidationError(
                {"checked_out_at": _("The check-out time is before the check-in time.")}
            )
        day.checked_out_at = checked_out_at
    if summary:
        day.summary = summary
    day.save(update_fields=["checked_out_at", "summary", "updated_at"])
    return day


@unguarded_call
def create_work_record(
    *,
    actor,
    client_uuid: uuid.UUID,
    assignment_id: int | None,
    organization_id: int,
    duty: str,
    worked_on: date,
    content: str,
    participants: str = "",
    on_site_day: OnSiteDay | None = None,
    recorded_on: date | None = None,
) -> Stored:
    """Record a piece of work; late (beyond the deadline) is allowed and marked."""
    already = _existing(WorkRecord, client_uuid, actor)
    if already is not None:
        return already
    recorded_on = recorded_on or timezone.localdate()
    if worked_on > recorded_on:
        raise ValidationError({"worked_on": _("The work cannot be in the future.")})
    assignment = recordable_assignment(
        actor=actor, assignment_id=assignment_id, organization_id=organization_id, on=worked_on
    )
    if on_site_day is not None and on_site_day.assignment_id != assignment.pk:
        raise ValidationError({"on_site_day": _("That on-site day belongs to another assignment.")})
    record = WorkRecord(
        client_uuid=client_uuid,
        assignment=assignment,
        organization_id=organization_id,
        instructor_id=assignment.instructor_id,
        on_site_day=on_site_day,
        duty=duty,
        worked_on=worked_on,
        content=content,
        participants=participants,
        recorded_on=recorded_on,
        is_late=(recorded_on - worked_on).days > settings.RECORD_PROMPT_DAYS,
    )
    try:
        with transaction.atomic():
            validate_and_save(record, exclude_unique=True)
    except IntegrityError:
        already = _existing(WorkRecord, client_uuid, actor)
        if already is not None:
            return already
        raise _key_taken() from None
    return Stored(record, created=True)
