import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

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
