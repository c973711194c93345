"""The on-site day list as an export (zhidao/core/exports.py): the page's columns, the times of
check-in, check-out and confirmation, and what was done. The location itself stays out (evidence,
not surveillance: DESIGN.md); the distance the page shows is kept."""

from django.utils.translation import gettext_lazy as _

from zhidao.core.exports import Column, ListExport, register

from . import selectors
from .filters import OnSiteDayFilterSet


def _name(user) -> str:
    return str(user) if user is not None else ""


register(
    ListExport(
        key="on-site-days",
        title=_("On-site days"),
        permission="fieldwork.view_onsiteday",
        queryset=selectors.on_site_day_export,
        filterset_class=OnSiteDayFilterSet,
        list_url="fieldwork:on_site_day_list",
        columns=[
            Column(_("Date"), lambda day: day.on_date),
            Column(_("Organization"), lambda day: day.organization.name),
            Column(_("Instructor"), lambda day: day.instructor.name),
            Column(_("Checked in at"), lambda day: day.checked_in_at),
            Column(_("Checked out at"), lambda day: day.checked_out_at),
            Column(_("Distance (m)"), lambda day: day.distance_m),
            Column(_("More than 1 km away"), lambda day: day.is_far),
            Column(_("Photos"), lambda day: day.photo_count),
            Column(_("Status"), lambda day: day.get_status_display()),
            Column(_("Confirmed by"), lambda day: _name(day.confirmed_by)),
            Column(_("Confirmed at"), lambda day: day.confirmed_at),
            Column(_("Disputed by"), lambda day: _name(day.disputed_by)),
            Column(_("Why it is disputed"), lambda day: day.dispute_reason),
            Column(_("What was done"), lambda day: day.summary),
        ],
    )
)
