""".xlsx export of the compliance heat map: the same grid, one row per assignment."""

from django.utils.translation import gettext as _

from zhidao.fieldwork.compliance.selectors import Grid, WeekState
from zhidao.fieldwork.records.exports import build_workbook


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
