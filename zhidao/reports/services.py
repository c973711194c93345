"""Writes of quarterly reports: each in one transaction, the report row locked, state checked."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from zhidao.accounts.scope import scope_of
from zhidao.core.scoping import use_case
from zhidao.dispatch.models import Assignment, AssignmentStatus

from . import handoffs
from .figures import compute_figures, data_as_of_text, due_date, quarter_bounds
from .models import EDITABLE_STATUSES, QuarterlyReport, ReportStatus, ReportTransition


def _require_instructor(actor, assignment: Assignment) -> None:
    if scope_of(actor).instructor_id != assignment.instructor_id:
        raise PermissionDenied(_("Only the instructor of this assignment may do this."))


def _require_admin(actor, report: QuarterlyReport) -> None:
    scope = scope_of(actor)
    if not (
        scope.is_superuser or scope.can_administer_path(report.assignment.batch.federation.path)
    ):
        raise PermissionDenied(_("Only an administrator of the issuing federation may do this."))


def _locked(report: QuarterlyReport) -> QuarterlyReport:
    return (
        QuarterlyReport.objects.select_for_update(of=("self",))
        .select_related("assignment__batch__federation", "assignment__instructor")
        .get(pk=report.pk)
    )


def _require_status(report: QuarterlyReport, allowed, message: str) -> None:
    if report.status not in allowed:
        raise ValidationError(message)


def _transition(report, *, actor, to_status: str, comment: str = "", at=None) -> ReportTransition:
    transition = ReportTransition.objects.create(
        report=report,
        from_status=report.status,
        to_status=to_status,
        actor=actor,
        comment=comment,
        at=at or timezone.now(),
    )
    report.status = to_status
    return transition


def _fill_figures(report: QuarterlyReport, *, today: date | None = None) -> datetime:
    """Compute the report's figures now; the time they were computed."""
    now = timezone.now()
    report.figures = compute_figures(report.assignment, report.year, report.quarter, today=today)
    report.figures_computed_at = now
    report.data_as_of = data_as_of_text(now)
    return now


@use_case
def create_or_get_draft(*, actor, assignment: Assignment, year: int, quarter: int):
    """The report of the quarter, drafted from the records if it does not exist yet."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    _require_instructor(actor, assignment)
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": _("Choose a quarter from 1 to 4.")})
    first, last = quarter_bounds(year, quarter)
    if assignment.status == AssignmentStatus.PLANNED:
        raise ValidationError(_("The assignment has not started yet."))
    if first > timezone.localdate():
        raise ValidationError({"quarter": _("This quarter has not begun yet.")})
    if last < assignment.starts_on or first > assignment.effective_end:
        raise ValidationError({"quarter": _("The assignment's term does not cover this quarter.")})
    report = QuarterlyReport.objects.filter(
        assignment=assignment, year=year, quarter=quarter
    ).first()
    if report is not None:
        return report
    report = QuarterlyReport(
        assignment=assignment, year=year, quarter=quarter, due_on=due_date(year, quarter)
    )
    computed_at = _fill_figures(report)
    report.full_clean()
    report.save()
    ReportTransition.objects.create(
        report=report, to_status=ReportStatus.DRAFT, actor=actor, at=computed_at
    )
    return report


@use_case
def refresh_figures(*, actor, report: QuarterlyReport) -> QuarterlyReport:
    report = _locked(report)
    _require_instructor(actor, report.assignment)
    _require_status(report, EDITABLE_STATUSES, _("The figures of a submitted report are frozen."))
    _fill_figures(report)
    report.save()
    return report


@use_case
def update_narrative(
    *, actor, report: QuarterlyReport, work_done: str, problems: str, next_plan: str
) -> QuarterlyReport:
    report = _locked(report)
    _require_instructor(actor, report.assignment)
    _require_status(report, EDITABLE_STATUSES, _("Only a draft or returned report can be edited."))
    report.work_done = work_done.strip()
    report.problems = problems.strip()
    report.next_plan = next_plan.strip()
    report.full_clean()
    report.save()
    return report


@use_case
def submit_report(*, actor, report: QuarterlyReport) -> QuarterlyReport:
    report = _locked(report)
    _require_instructor(actor, report.assignment)
    _require_status(report, EDITABLE_STATUSES, _("This report has already been submitted."))
    missing = {
        field: _("Fill in this section before submitting.")
        for field in ("work_done", "problems", "next_plan")
        if not getattr(report, field).strip()
    }
    if missing:
        raise ValidationError(missing)
    _fill_figures(report)  # the figures are frozen as they are at submission
    now = timezone.now()
    report.submitted_at = now
    report.is_late = timezone.localdate(now) > report.due_on
    transition = _transition(report, actor=actor, to_status=ReportStatus.SUBMITTED, at=now)
    report.save()
    handoffs.report_submitted(report, transition)
    return report


@use_case
def return_report(*, actor, report: QuarterlyReport, comment: str) -> QuarterlyReport:
    report = _locked(report)
    _require_admin(actor, report)
    _require_status(
        report, (ReportStatus.SUBMITTED,), _("Only a submitted report can be returned.")
    )
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what should be revised.")})
    transition = _transition(report, actor=actor, to_status=ReportStatus.RETURNED, comment=comment)
    report.save()
    handoffs.report_returned(report, transition)
    return report


@use_case
def approve_report(*, actor, report: QuarterlyReport, comment: str = "") -> QuarterlyReport:
    report = _locked(report)
    _require_admin(actor, report)
    _require_status(
        report, (ReportStatus.SUBMITTED,), _("Only a submitted report can be approved.")
    )
    now = timezone.now()
    report.approved_at = now
    transition = _transition(
        report,
        actor=actor,
        to_status=ReportStatus.APPROVED,
        comment=(comment or "").strip(),
        at=now,
    )
    report.save()
    handoffs.report_approved(report, transition)
    return report
