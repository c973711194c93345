""".xlsx export of the filtered appeal list, redacted for the viewer like the pages."""

from django.utils.translation import gettext as _

from zhidao.fieldwork.records.exports import EXPORT_LIMIT, XLSX_CONTENT_TYPE, build_workbook

from . import selectors, services

__all__ = ["XLSX_CONTENT_TYPE", "appeal_workbook"]


def appeal_workbook(user, appeals, *, today) -> bytes:
    header = [
        _("Ticket code"),
        _("Received at"),
        _("Organization"),
        _("Channel"),
        _("Category"),
        _("State"),
        _("Handler"),
        _("Submitter"),
        _("Phone"),
        _("Description"),
        _("Resolve by"),
        _("Overdue"),
        _("Satisfaction"),
    ]
    rows = []
    for appeal in appeals[:EXPORT_LIMIT]:
        view = selectors.submitter_view(user, appeal, in_clear=False)
        if view.access == selectors.REDACTED or appeal.anonymous:
            name = phone = ""
        else:
            name, phone = view.name, view.phone
        handler = (
            appeal.assigned_instructor.name
            if appeal.assigned_instructor
            else appeal.assigned_department
        )
        rows.append(
            [
                appeal.code,
                appeal.created_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                appeal.organization.name,
                appeal.get_channel_display(),
                appeal.get_category_display(),
                appeal.get_state_display(),
                handler,
                _("Anonymous") if appeal.anonymous else name,
                phone,
                view.description,
                appeal.resolve_due.isoformat() if appeal.resolve_due else "",
                _("Yes") if services.missed_deadline(appeal, today=today) else "",
                appeal.satisfaction or "",
            ]
        )
    return build_workbook(title=_("Appeals"), header=header, rows=rows)
