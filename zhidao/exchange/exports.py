"""An event's attendance as .xlsx, and the event and case lists as exports."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from openpyxl import Workbook

from zhidao.core.exports import Column, ListExport, register

from . import selectors
from .filters import CaseFilterSet, EventFilterSet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attendance_workbook(event, attendances) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Attendance")
    sheet.append([event.title, f"{event.held_on:%Y-%m-%d} {event.starts_at:%H:%M}"])
    sheet.append([_("Participant"), _("Username"), _("Signed in at")])
    for attendance in attendances:
        sheet.append(
            [
                str(attendance.user),
                attendance.user.username,
                timezone.localtime(attendance.signed_in_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["C"].width = 20
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# ----- the event and case lists as exports (zhidao/core/exports.py) -----


def _place(event) -> str:
    if event.host_union is not None:
        return event.host_union.name
    return event.place or _("Online")


register(
    ListExport(
        key="exchange-events",
        title=gettext_lazy("Exchange events"),
        permission="exchange.view_event",
        queryset=selectors.event_list,
        filterset_class=EventFilterSet,
        list_url="exchange:event_list",
        columns=[
            Column(gettext_lazy("Title"), lambda event: event.title),
            Column(pgettext_lazy("exchange event", "Kind"), lambda event: event.get_kind_display()),
            Column(
                pgettext_lazy("exchange event", "Federation"), lambda event: event.federation.name
            ),
            Column(gettext_lazy("Date"), lambda event: event.held_on),
            Column(gettext_lazy("Starts at"), lambda event: event.starts_at.strftime("%H:%M")),
            Column(gettext_lazy("Ends at"), lambda event: event.ends_at.strftime("%H:%M")),
            Column(gettext_lazy("Place"), _place),
            Column(gettext_lazy("Speaker"), lambda event: event.speaker),
            Column(gettext_lazy("Audience"), lambda event: event.get_audience_display()),
            Column(gettext_lazy("Registered"), lambda event: event.registration_count),
            Column(gettext_lazy("Capacity"), lambda event: event.capacity),
        ],
    )
)

register(
    ListExport(
        key="cases",
        title=gettext_lazy("Case library"),
        permission="exchange.view_case",
        queryset=selectors.case_list,
        filterset_class=CaseFilterSet,
        list_url="exchange:case_list",
        columns=[
            Column(gettext_lazy("Title"), lambda case: case.title),
            Column(gettext_lazy("Union"), lambda case: case.union.name),
            Column(gettext_lazy("Tags"), lambda case: case.tags),
            Column(gettext_lazy("Author"), lambda case: str(case.author)),
            Column(gettext_lazy("Status"), lambda case: case.get_status_display()),
            Column(gettext_lazy("Published at"), lambda case: case.published_at),
            Column(gettext_lazy("Useful"), lambda case: case.useful_count),
            Column(gettext_lazy("Comments"), lambda case: case.comment_count),
        ],
    )
)
