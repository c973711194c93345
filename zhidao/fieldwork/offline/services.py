"""Writes of the offline sync: a queued submission from the phone, stored once per client UUID
through the same services the pages use."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zhidao.core.scoping import unguarded_call, use_case
from zhidao.fieldwork import services
from zhidao.fieldwork.models import OnSiteDay
from zhidao.fieldwork.onsite import services as onsite_services
from zhidao.fieldwork.records import services as records_services
from zhidao.fieldwork.selectors import assignments_open_for_recording
from zhidao.fieldwork.services import Stored


def _assignment_for(actor, data: dict) -> int:
    """The assignment the submission names, or the instructor's active one that covers the
    organization (a form may send only the organization)."""
    if data.get("assignment"):
        return data["assignment"]
    found = (
        assignments_open_for_recording(actor)
        .filter(organization_links__organization_id=data["organization"])
        .order_by("-starts_on")
        .values_list("pk", flat=True)
        .first()
    )
    if found is None:
        raise ValidationError(
            {"organization": _("This organization is not covered by any of your assignments.")}
        )
    return found


@unguarded_call
def sync_check_in(*, actor, data: dict, photos=()) -> Stored:
    return onsite_services.check_in_on_site(
        actor=actor,
        client_uuid=data["client_uuid"],
        assignment_id=_assignment_for(actor, data),
        organization_id=data["organization"],
        checked_in_at=data.get("checked_in_at"),
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
        accuracy_m=data.get("accuracy_m"),
        summary=data.get("summary") or "",
        photos=photos,
        code=(data.get("code") or "").strip(),
    )


@unguarded_call
def sync_check_out(*, actor, day: OnSiteDay, data: dict, photos=()) -> Stored:
    """Check out; `created` says whether this delivery was the one that set the time."""
    first = day.checked_out_at is None
    summary = data.get("summary")
    day = onsite_services.check_out_on_site(
        actor=actor,
        day=day,
        summary=summary if summary else None,
        # Photos are added on every delivery (editing after check-out may add some); only a
        # delivery whose answer was lost and is sent again could add them twice.
        photos=photos,
        checked_out_at=data.get("checked_out_at"),
    )
    return Stored(day, created=first)


@use_case
def sync_work_record(*, actor, data: dict, on_site_day=None, attachments=()) -> Stored:
    """One transaction: a refused attachment stores nothing, so the queued item can be fixed."""
    stored = services.create_work_record(
        actor=actor,
        client_uuid=data["client_uuid"],
        assignment_id=_assignment_for(actor, data),
        organization_id=data["organization"],
        duty=data["duty"],
        worked_on=data["worked_on"],
        content=data["content"],
        participants=data.get("participants") or "",
        on_site_day=on_site_day,
    )
    if stored.created:
        records_services.add_work_record_attachments(
            actor=actor, record=stored.record, files=attachments
        )
    return stored
