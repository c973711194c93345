from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhidao.accounts.scope import scope_of
from zhidao.audit.models import AccessEventKind
from zhidao.audit.services import record_access_event
from zhidao.core.db_router import replica_reads
from zhidao.core.exports import attachment_header
from zhidao.core.pagination import paginate
from zhidao.core.permissions import permission_required
from zhidao.dispatch.models import AssignmentStatus
from zhidao.dispatch.selectors import assignments_visible_to
from zhidao.figures.periods import Period, recent_quarters
from zhidao.figures.summary import by_assignment
from zhidao.figures.upward import upward_report
from zhidao.orgs.models import Federation

from . import selectors, services
from .exports import (
    DOCX_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    report_docx,
    rollup_workbook,
    upward_document,
    upward_tables,
    upward_workbook,
)
from .figures import counts_of, live_changes, live_counts, quarter_of
from .filters import ReportFilterSet
from .forms import CommentForm, DraftForm, NarrativeForm, UpwardReportForm
from .models import QuarterlyReport, ReportStatus
from .presentation import change_rows, duty_rows, report_title, summary_rows, week_rows


def _report_or_404(user, pk: int):
    try:
        return selectors.report_detail(user, pk)
    except selectors.QuarterlyReport.DoesNotExist as error:
        raise Http404 from error


def _own_assignments(user):
    scope = scope_of(user)
    if scope.instructor_id is None:
        return assignments_visible_to(user).none()
    return (
        assignments_visible_to(user)
        .filter(instructor_id=scope.instructor_id)
        .exclude(status=AssignmentStatus.PLANNED)
        .select_related("batch")
    )


@permission_required("reports.view_quarterlyreport")
def report_list(request):
    filterset = ReportFilterSet(
        request.GET, queryset=selectors.report_list(request.user), request=request
    )
    year, quarter = filterset.period()
    scope = scope_of(request.user)
    return render(
        request,
        "reports/report_list.html",
        {
            "filter_form": filterset.bar,
            "page_obj": paginate(request, filterset.qs),
            "can_draft": scope.instructor_id is not None,
            "can_roll_up": scope.is_federation_staff or scope.is_superuser,
            "rollup_year": year,
            "rollup_quarter": quarter,
        },
    )


@permission_required("reports.add_quarterlyreport")
def report_draft(request):
    assignments = _own_assignments(request.user)
    if not assignments.exists():
        raise Http404
    year, quarter = quarter_of(timezone.localdate())
    form = DraftForm(
        request.POST or None,
        assignments=assignments,
        initial={"year": year, "quarter": quarter, "assignment": assignments.first()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = services.create_or_get_draft(
                actor=request.user,
                assignment=form.cleaned_data["assignment"],
                year=form.cleaned_data["year"],
                quarter=form.cleaned_data["quarter"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The report was drafted from the quarter's records."))
            return redirect("reports:report_detail", pk=report.pk)
    return render(request, "reports/report_draft.html", {"form": form})


@permission_required("reports.view_quarterlyreport", QuarterlyReport)
def report_detail(request, pk: int):
    report = _report_or_404(request.user, pk)
    scope = scope_of(request.user)
    is_owner = scope.instructor_id == report.assignment.instructor_id
    is_admin = scope.is_superuser or scope.can_administer_path(
        report.assignment.batch.federation.path
    )
    changes = []
    if report.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED):
        live = live_counts(report.assignment, report.year, report.quarter)
        changes = change_rows(live_changes(counts_of(report.figures), live))
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "title": report_title(report),
            "summary": summary_rows(report.figures),
            "weeks": week_rows(report.figures),
            "changes": changes,
            "duties": duty_rows(report.figures),
            "can_edit": is_owner and report.is_editable,
            "can_review": is_admin and report.status == "submitted",
            "comment_form": CommentForm(),
        },
    )


@permission_required("reports.change_quarterlyreport", QuarterlyReport)
def report_edit(request, pk: int):
    report = _report_or_404(request.user, pk)
    if not report.is_editable:
        messages.error(request, _("Only a draft or returned report can be edited."))
        return redirect("reports:report_detail", pk=pk)
    form = NarrativeForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_narrative(actor=request.user, report=report, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The narrative was saved."))
            return redirect("reports:report_detail", pk=pk)
    return render(request, "reports/report_edit.html", {"report": report, "form": form})


ACTIONS = {
    "refresh": (services.refresh_figures, _("The figures were recomputed.")),
    "submit": (services.submit_report, _("The report was submitted.")),
    "return": (services.return_report, _("The report was returned to the instructor.")),
    "approve": (services.approve_report, _("The report was approved.")),
}


# The permission of each step: the instructor refreshes and submits, an admin reviews.
ACTION_PERMISSIONS = {
    "refresh": "reports.submit_quarterlyreport",
    "submit": "reports.submit_quarterlyreport",
    "return": "reports.review_quarterlyreport",
    "approve": "reports.review_quarterlyreport",
}


def action_permission(kwargs) -> str | None:
    return ACTION_PERMISSIONS.get(kwargs.get("action", ""))


@require_POST
@permission_required(action_permission, QuarterlyReport)
def report_action(request, pk: int, action: str):
    report = _report_or_404(request.user, pk)
    service, success = ACTIONS[action]
    kwargs = {}
    if action in ("return", "approve"):
        kwargs["comment"] = request.POST.get("comment", "")
    try:
        service(actor=request.user, report=report, **kwargs)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("reports:report_detail", pk=pk)


@permission_required("reports.view_quarterlyreport", QuarterlyReport)
def report_download(request, pk: int):
    report = _report_or_404(request.user, pk)
    title = report_title(report)
    record_access_event(
        kind=AccessEventKind.EXPORT,
        request=request,
        user=request.user,
        detail=f"quarterly report {report.pk}",
    )
    response = HttpResponse(report_docx(report), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = _attachment(f"{title}.docx")
    return response


@permission_required("reports.export_quarterlyreport")
@replica_reads
def report_rollup(request):
    # The roll-up is the whole quarter: the list's other filters do not narrow it.
    reports = selectors.report_list(request.user)
    year, quarter = ReportFilterSet(request.GET, queryset=reports, request=request).period()
    if not (year and quarter):
        messages.error(request, _("Choose a year and a quarter for the roll-up."))
        return redirect("reports:report_list")
    reports = list(
        reports.filter(year=year, quarter=quarter).prefetch_related("assignment__organizations")
    )
    title = _("%(year)s Q%(quarter)s quarterly reports") % {"year": year, "quarter": quarter}
    live = by_assignment(
        [report.assignment_id for report in reports], Period.quarter(year, quarter)
    )
    content = rollup_workbook(reports, title=title, live=live)
    # After the reads: a write sends the rest of the request to the primary (core/db_router.py).
    record_access_event(
        kind=AccessEventKind.EXPORT,
        request=request,
        user=request.user,
        detail=f"report roll-up {year}Q{quarter}",
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = _attachment(f"{title}.xlsx")
    return response


def _attachment(filename: str) -> str:
    return attachment_header(filename, fallback=f"report.{filename.rpartition('.')[2]}")


# ----- the upward statistical report -----


def upward_context(request) -> dict:
    """Parse the subtree (404 outside the user's; 404 for instructors and union officers) and
    the period (a quarter or a year; default the last quarter that has ended)."""
    federations = selectors.upward_report_federations(request.user)
    today = timezone.localdate()
    federation_id = request.GET.get("federation")
    if federation_id:
        try:
            federation = federations.get(pk=int(federation_id))
        except (ValueError, Federation.DoesNotExist) as error:
            raise Http404 from error
    else:
        federation = federations.order_by("depth", "path").first()
        if federation is None:
            raise Http404
    current = Period.quarter_of(today)
    period = Period.parse(request.GET.get("period"), current.previous())
    report = upward_report(federation, period, today=today)
    quarters = recent_quarters(today, 8)
    years = [Period.year(year) for year in sorted({q.year_number for q in quarters}, reverse=True)]
    form = UpwardReportForm(
        {"federation": federation.pk, "period": period.key},
        federations=federations,
        periods=[*quarters, *years],
    )
    return {"report": report, "form": form}


@permission_required("reports.view_upwardreport")
@replica_reads
def upward(request):
    context = upward_context(request)
    report = context["report"]
    return render(
        request,
        "reports/upward.html",
        {
            **context,
            "tables": upward_tables(report),
            "query": f"federation={report.federation.pk}&period={report.period.key}",
        },
    )


def _upward_name(report, extension: str) -> str:
    return _("Statistics_%(federation)s_%(period)s.%(extension)s") % {
        "federation": report.federation.name,
        "period": report.period.key,
        "extension": extension,
    }


@permission_required("reports.view_upwardreport")
@replica_reads
def upward_xlsx(request):
    report = upward_context(request)["report"]
    record_access_event(
        kind=AccessEventKind.EXPORT,
        request=request,
        detail=f"upward report {report.federation.pk} {report.period.key} xlsx",
    )
    response = HttpResponse(upward_workbook(report), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = _attachment(_upward_name(report, "xlsx"))
    return response


@permission_required("reports.view_upwardreport")
@replica_reads
def upward_docx(request):
    report = upward_context(request)["report"]
    record_access_event(
        kind=AccessEventKind.EXPORT,
        request=request,
        detail=f"upward report {report.federation.pk} {report.period.key} docx",
    )
    response = HttpResponse(upward_document(report), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = _attachment(_upward_name(report, "docx"))
    return response
