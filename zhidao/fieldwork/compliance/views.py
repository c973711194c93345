"""Pages of weekly compliance (the heat map for federation staff) and of leave requests."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhidao.accounts.scope import scope_of
from zhidao.audit.models import AccessEventKind
from zhidao.audit.services import record_access_event
from zhidao.core.db_router import replica_reads
from zhidao.core.exports import attachment_response, download_name
from zhidao.core.pagination import paginate
from zhidao.core.permissions import permission_required
from zhidao.dispatch.selectors import batches_visible_to
from zhidao.fieldwork.compliance.exports import compliance_workbook
from zhidao.fieldwork.compliance.filters import LeaveRequestFilterSet
from zhidao.fieldwork.compliance.forms import (
    HeatmapFilterForm,
    LeaveDecisionForm,
    LeaveRequestForm,
)
from zhidao.fieldwork.models import LeaveRequest, LeaveStatus
from zhidao.fieldwork.records.exports import EXPORT_LIMIT
from zhidao.fieldwork.records.forms import add_service_error
from zhidao.fieldwork.selectors import leave_requests_visible_to
from zhidao.orgs.selectors import federations_visible_to

from . import selectors, services

HEATMAP_ROWS_PER_PAGE = 50


def _heatmap_query(request):
    user = request.user
    data = request.GET.copy()
    data.setdefault("weeks", str(selectors.DEFAULT_WEEKS))
    filter_form = HeatmapFilterForm(
        data,
        federations=federations_visible_to(user).only("pk", "name", "path").order_by("path"),
        batches=batches_visible_to(user)
        .select_related("federation")
        .order_by("-starts_on", "name"),
    )
    today = timezone.localdate()
    mondays = selectors.week_window(
        end=filter_form.value("end") or today, weeks=filter_form.week_count()
    )
    assignments = selectors.compliance_assignments(
        user,
        mondays=mondays,
        federation=filter_form.value("federation"),
        batch=filter_form.value("batch"),
        q=request.GET.get("q", ""),
    )
    return filter_form, mondays, assignments, today


@permission_required("fieldwork.view_compliance")
@replica_reads
def compliance_heatmap(request):
    filter_form, mondays, assignments, today = _heatmap_query(request)
    page_obj = paginate(request, assignments, per_page=HEATMAP_ROWS_PER_PAGE)
    grid = selectors.compliance_grid(page_obj.object_list, mondays=mondays, today=today)
    return render(
        request,
        "fieldwork/compliance/heatmap.html",
        {
            "filter_form": filter_form,
            "page_obj": page_obj,
            "grid": grid,
            "states": selectors.WeekState.LABELS,
            "search_placeholder": _("Instructor name, pinyin or initials"),
        },
    )


@permission_required("fieldwork.view_compliance")
@replica_reads
def compliance_export(request):
    _filter_form, mondays, assignments, today = _heatmap_query(request)
    limited = assignments[:EXPORT_LIMIT]
    grid = selectors.compliance_grid(
        limited, mondays=mondays, today=today, assignment_ids=limited.values("pk")
    )
    content = compliance_workbook(grid)
    # After the reads: a write sends the rest of the request to the primary (core/db_router.py).
    record_access_event(
        kind=AccessEventKind.EXPORT,
        request=request,
        user=request.user,
        detail=f"compliance .xlsx {request.GET.urlencode()}"[:500],
    )
    name = download_name(_("Weekly compliance"), request.user, day=mondays[-1])
    return attachment_response(content, name, fallback=f"compliance_{mondays[-1]:%Y%m%d}.xlsx")


# ----- leave and official travel -----


@permission_required("fieldwork.view_leaverequest")
def leave_list(request):
    scope = scope_of(request.user)
    filterset = LeaveRequestFilterSet(
        request.GET, queryset=selectors.leave_list(request.user), request=request
    )
    return render(
        request,
        "fieldwork/compliance/leave_list.html",
        {
            "filter_form": filterset.bar,
            "page_obj": paginate(request, filterset.qs),
            "can_request": scope.is_instructor,
            "search_placeholder": _("Instructor name, pinyin or initials"),
        },
    )


@permission_required("fieldwork.add_leaverequest")
def leave_create(request):
    form = LeaveRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            leave = services.request_leave(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your request was sent for approval."))
            return redirect("fieldwork:leave_detail", pk=leave.pk)
    return render(request, "fieldwork/compliance/leave_form.html", {"form": form})


def _leave_detail_context(request, leave, decision_form=None):
    can_decide = (
        leave.status == LeaveStatus.PENDING
        and selectors.leave_requests_administered_by(request.user).filter(pk=leave.pk).exists()
    )
    return {
        "leave": leave,
        "can_decide": can_decide,
        "decision_form": decision_form or (LeaveDecisionForm() if can_decide else None),
    }


@permission_required("fieldwork.view_leaverequest", LeaveRequest)
def leave_detail(request, pk: int):
    leave = get_object_or_404(
        leave_requests_visible_to(request.user).select_related(
            "instructor__federation", "decided_by"
        ),
        pk=pk,
    )
    return render(
        request, "fieldwork/compliance/leave_detail.html", _leave_detail_context(request, leave)
    )


@require_POST
@permission_required("fieldwork.decide_leaverequest", LeaveRequest)
def leave_decide(request, pk: int):
    leave = get_object_or_404(
        selectors.leave_requests_administered_by(request.user).select_related(
            "instructor__federation", "decided_by"
        ),
        pk=pk,
    )
    form = LeaveDecisionForm(request.POST)
    decision = request.POST.get("decision")
    if form.is_valid() and decision not in ("approve", "reject"):
        form.add_error(None, _("Choose to approve or to reject the request."))
    if form.is_valid():
        decide = services.approve_leave if decision == "approve" else services.reject_leave
        try:
            decide(actor=request.user, leave=leave, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("The request was approved.")
                if decision == "approve"
                else _("The request was rejected."),
            )
            return redirect("fieldwork:leave_detail", pk=leave.pk)
    return render(
        request,
        "fieldwork/compliance/leave_detail.html",
        _leave_detail_context(request, leave, form),
        status=200,
    )
