""".xlsx export of the compliance heat map (the same grid, one row per assignment) and the
leave list as an export (zhidao/core/exports.py)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from zhidao.core.exports import Column, ListExport, register
from zhidao.fieldwork.compliance.filters import LeaveRequestFilterSet
from zhidao.fieldwork.compliance.selectors import Grid, WeekState, leave_list
from zhidao.fieldwork.records.exports import build_workbook

register(
    ListExport(
        key="leave",
        title=gettext_lazy("Leave and official travel"),
        permission="fieldwork.view_leaverequest",
        queryset=leave_list,
        filterset_class=LeaveRequestFilterSet,
        list_url="fieldwork:leave_list",
        columns=[
            Column(gettext_lazy("Instructor"), lambda leave: leave.instructor.name),
            Column(gettext_lazy("Federation"), lambda leave: leave.instructor.federation.name),
            Column(pgettext_lazy("leave", "Kind"), lambda leave: leave.get_kind_display()),
            Column(gettext_lazy("Starts on"), lambda leave: leave.starts_on),
            Column(gettext_lazy("Ends on"), lambda leave: leave.ends_on),
            Column(pgettext_lazy("leave", "Reason"), lambda leave: leave.reason),
            Column(gettext_lazy("Status"), lambda leave: leave.get_status_display()),
            Column(
                gettext_lazy("Decided by"),
                lambda leave: str(leave.decided_by) if leave.decided_by else "",
            ),
            Column(gettext_lazy("Decided at"), lambda leave: leave.decided_at),
            Column(pgettext_lazy("leave", "Comment"), lambda leave: leave.decision_comment),
        ],
    )
)


def compliance_workbook(grid: Grid) -> bytes:
    header = [_("Instructor"), _("Organizations"), _("Batch"), _("Term"), _("Compliance rate")]
    header += [f"{week.key} ({week.start:%m-%d})" for week in grid.weeks]
    missing = _("calendar missing")
    rows = []
    for row in grid.rows:
        assignment = row.assignment
        term_end = assignment.ended_on or assignment.ends_on
        values = [
            assignment.instructor.name,
            "、".join(organization.name for organization in assignment.organizations.all()),
            assignment.batch.name,
            f"{assignment.starts_on:%Y-%m-%d} — {term_end:%Y-%m-%d}",
            "" if row.rate_percent is None else f"{row.rate_percent}%",
        ]
        for cell in row.cells:
            if cell.state == WeekState.OUTSIDE:
                values.append("")
                continue
            text = cell.label
            if cell.exempt_reason:
                text = f"{text}（{cell.exempt_label}）"
            if cell.calendar_missing:
                text = f"{text}（{missing}）"
            values.append(text)
        rows.append(values)
    return build_workbook(title=_("Weekly compliance"), header=header, rows=rows)
