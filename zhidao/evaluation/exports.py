"""The one-page .docx summary of a term-end evaluation, and the evaluation list as an export."""

from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from zhidao.core.exports import Column, ListExport, file_name, register

from . import selectors
from .filters import EvaluationFilterSet
from .models import EvaluationStatus


def metric_rows(metrics: dict) -> list[tuple[str, str]]:
    """(label, value) rows shared by the page, the .docx and the API."""
    compliance = metrics.get("compliance") or {}
    reports = metrics.get("reports") or {}
    rate = compliance.get("rate")
    if reports.get("available"):
        reports_value = f"{reports.get('on_time')} / {reports.get('due')}"
    else:
        reports_value = _("Not available")
    change = metrics.get("standardization_change")
    return [
        (
            _("On-site compliance"),
            (f"{rate}%" if rate is not None else "—")
            + " "
            + _("(%(met)s weeks met, %(missed)s missed, %(exempt)s exempt)")
            % {
                "met": compliance.get("met", 0),
                "missed": compliance.get("missed", 0),
                "exempt": compliance.get("exempt", 0),
            },
        ),
        (_("Quarterly reports on time"), reports_value),
        (pgettext("figure", "On-site days"), str(metrics.get("on_site_days", "—"))),
        (
            _("Work records per month"),
            f"{metrics.get('work_records_per_month')}"
            + " "
            + _("(%(count)s in all)") % {"count": metrics.get("work_records", 0)},
        ),
        (
            _("Findings closed / opened"),
            f"{metrics.get('findings_closed', 0)} / {metrics.get('findings_opened', 0)}",
        ),
        (
            pgettext("figure", "Practical matters done"),
            _("%(done)s (workers served %(workers)s, enterprises served %(enterprises)s)")
            % {
                "done": metrics.get("matters_done", 0),
                # A finalized evaluation of the first version kept one mixed number.
                "workers": metrics.get(
                    "beneficiaries_workers", metrics.get("matters_beneficiaries", 0)
                ),
                "enterprises": metrics.get("beneficiaries_enterprises", 0),
            },
        ),
        (_("Standardization score change"), change if change is not None else "—"),
    ]


def evaluation_docx(
    *, assignment, evaluation, metrics: dict, ratings, shows_grade: bool = True
) -> bytes:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "SimSun"
    style.font.size = Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")
    title = document.add_heading(_("Term-end evaluation of a union instructor"), level=1)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    organizations = "、".join(o.name for o in assignment.organizations.all())
    info = document.add_table(rows=0, cols=2)
    info.style = "Table Grid"
    for label, value in (
        (_("Instructor"), assignment.instructor.name),
        (_("Organizations"), organizations),
        (
            _("Term"),
            f"{assignment.starts_on:%Y-%m-%d} — {assignment.effective_end:%Y-%m-%d}",
        ),
        (_("Batch"), assignment.batch.name),
    ):
        cells = info.add_row().cells
        cells[0].text, cells[1].text = str(label), str(value)
    document.add_heading(_("Metrics"), level=2)
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = _("Metric"), _("Value")
    for label, value in metric_rows(metrics):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = str(label), str(value)
    document.add_heading(_("Union officers' ratings"), level=2)
    if ratings:
        for rating in ratings:
            document.add_paragraph(
                f"{rating.union.name}：{rating.satisfaction}/5"
                + (f"　{rating.comments}" if rating.comments else "")
            )
    else:
        document.add_paragraph(_("No ratings."))
    if not shows_grade:  # a union officer's copy: its own rating, no grade
        buffer = BytesIO()
        document.save(buffer)
        return buffer.getvalue()
    document.add_heading(_("Grade"), level=2)
    if evaluation is not None and evaluation.grade:
        document.add_paragraph(str(evaluation.get_grade_display()))
        if evaluation.grade_comments:
            document.add_paragraph(evaluation.grade_comments)
    else:
        document.add_paragraph(_("Not graded yet."))
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ----- the evaluation list as an export (zhidao/core/exports.py) -----


def _evaluation(assignment):
    # The reverse one-to-one: an ended assignment nobody has started evaluating has none.
    return getattr(assignment, "evaluation", None)


def _grade(assignment) -> str:
    evaluation = _evaluation(assignment)
    return evaluation.get_grade_display() if evaluation and evaluation.grade else ""


def _status(assignment) -> str:
    evaluation = _evaluation(assignment)
    if evaluation is not None and evaluation.status == EvaluationStatus.FINALIZED:
        return evaluation.get_status_display()
    return _("Not finalized")


register(
    ListExport(
        key="evaluations",
        title=gettext_lazy("Term-end evaluations"),
        permission="evaluation.view_evaluation",
        queryset=selectors.evaluation_list,
        filterset_class=EvaluationFilterSet,
        list_url="evaluation:evaluation_list",
        columns=[
            Column(gettext_lazy("Instructor"), lambda assignment: assignment.instructor.name),
            Column(
                gettext_lazy("Organizations"),
                lambda assignment: "、".join(o.name for o in assignment.organizations.all()),
            ),
            Column(gettext_lazy("Batch"), lambda assignment: assignment.batch.name),
            Column(gettext_lazy("Starts on"), lambda assignment: assignment.starts_on),
            Column(gettext_lazy("Ends on"), lambda assignment: assignment.effective_end),
            Column(gettext_lazy("Officer ratings"), lambda assignment: assignment.rating_count),
            Column(gettext_lazy("Grade"), _grade),
            Column(gettext_lazy("Status"), _status),
        ],
    )
)


def evaluation_filename(assignment) -> str:
    """考核表_欧阳新建_第六期.docx: the evaluation, its instructor and its batch."""
    return file_name(_("Term-end evaluation"), assignment.instructor.name, assignment.batch.name)
