"""What the instructor is told after a check-in, a work record or a check-out.

The page views and the API (when a form page waits for its answer, see
`zhidao.core.api.tell_the_page`) say the same words: each function returns the messages as
(level, text) pairs for Django's messages framework.
"""

from collections.abc import Sequence

from django.contrib import messages
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from zhidao.fieldwork.models import OnSiteDay, OnSiteDayStatus, WorkRecord

Note = tuple[int, str]


def _time(moment) -> str:
    return time_format(timezone.localtime(moment), "H:i")


def check_in_notes(day: OnSiteDay, *, created: bool) -> list[Note]:
    if not created:
        return [(messages.INFO, _("This check-in was already received."))]
    values = {"organization": day.organization.name, "time": _time(day.checked_in_at)}
    if day.status == OnSiteDayStatus.CONFIRMED:
        text = _(
            "Checked in at %(organization)s at %(time)s, and confirmed with the officer's code."
        )
    else:
        text = _(
            "Checked in at %(organization)s at %(time)s. Remember to check out when you leave."
        )
    notes = [(messages.SUCCESS, text % values)]
    if day.is_far:
        notes.append(
            (
                messages.WARNING,
                _(
                    "Your location is %(distance)s m from the organization's address; "
                    "the day is saved and marked as far away."
                )
                % {"distance": day.distance_m},
            )
        )
    return notes


def check_out_notes(day: OnSiteDay, *, first_time: bool) -> list[Note]:
    """`first_time`: the day was not checked out before this save (a later save edits what
    was done and keeps the first check-out time)."""
    if not first_time:
        return [(messages.SUCCESS, _("What was done is saved."))]
    values = {"time": _time(day.checked_out_at)}
    if day.status == OnSiteDayStatus.CONFIRMED:
        text = _("Checked out at %(time)s. The day is confirmed.")
    else:
        text = _("Checked out at %(time)s. The day now waits for the union officer's confirmation.")
    return [(messages.SUCCESS, text % values)]


def work_record_notes(record: WorkRecord, *, created: bool) -> list[Note]:
    if not created:
        return [(messages.INFO, _("This work record had already been saved."))]
    if record.is_late:
        return [(messages.WARNING, _("The work record was saved and marked as a late record."))]
    return [(messages.SUCCESS, _("The work record was saved."))]


def tell(request, notes: Sequence[Note]) -> None:
    """Add the notes for the page the browser shows next."""
    for level, text in notes:
        messages.add_message(request, level, text, fail_silently=True)
