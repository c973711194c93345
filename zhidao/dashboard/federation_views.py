"""The federation dashboard page, its .xlsx download and the filter form."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhidao.audit.models import AccessEventKind
from zhidao.audit.services import record_access_event
from zhidao.orgs.selectors import organizations_visible_to

from . import federation_selectors as fs
from .exports import dashboard_workbook


class DashboardFilterForm(forms.Form):
    quarter = forms.ChoiceField(label=_("Quarter"), required=False)
    federation = forms.ModelChoiceField(
        label=_("Federation"), queryset=None, required=False, empty_label=None
    )

    def __init__(self, *args, user, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [
            (q.key, _("%(year)s Q%(number)s") % {"year": q.year, "number": q.number})
            for q in fs.recent_quarters(today)
        ]
        self.fields["federation"].queryset = fs.dashboard_federations(user).order_by("path")


def dashboard_context(request) -> dict:
    """Parse the filters (404 outside the user's subtree) and read the figures."""
    user = request.user
    today = timezone.localdate()
    federations = fs.dashboard_federations(user)
    federation_id = request.GET.get("federation") or request.GET.get("district")
    if federation_id:
        try:
            federation = get_object_or_404(federations, pk=int(federation_id))
        except ValueError:
            raise Http404 from None
    else:
        federation = fs.default_federation(user)
    organization = None
    if request.GET.get("organization"):
        try:
            organization = get_object_or_404(
                organizations_visible_to(user).filter(federation__path__startswith=federation.path),
                pk=int(request.GET["organization"]),
            )
        except ValueError:
            raise Http404 from None
    quarter = fs.Quarter.parse(request.GET.get("quarter", ""), fs.Quarter.of(today))
    figures = fs.federation_dashboard(
        user, federation=federation, quarter=quarter, today=today, organization=organization
    )
    return figures


@login_required
def federation_dashboard(request):
    figures = dashboard_context(request)
    federation, quarter = figures["federation"], figures["quarter"]
    form = DashboardFilterForm(
        {"quarter": quarter.key, "federation": federation.pk},
        user=request.user,
        today=timezone.localdate(),
    )
    chart = {
        "weeks": [week["label"] for week in figures["weeks"]],
        "met": [week["met"] for week in figures["weeks"]],
        "missed": [week["missed"] for week in figures["weeks"]],
        "exempt": [week["exempt"] for week in figures["weeks"]],
        "pending": [week["pending"] for week in figures["weeks"]],
        "duties": [item["label"] for item in figures["by_duty"]],
        "duty_counts": [item["count"] for item in figures["by_duty"]],
        "labels": {
            "met": str(_("Met")),
            "missed": str(_("Missed")),
            "exempt": str(_("Exempt")),
            "pending": str(_("Pending")),
        },
    }
    ancestors = fs.dashboard_federations(request.user).filter(
        path__in=[federation.path[: i + 1] for i, c in enumerate(federation.path) if c == "."]
    )
    return render(
        request,
        "dashboard/federation_dashboard.html",
        {
            **figures,
            "filter_form": form,
            "chart": chart,
            "ancestors": ancestors.order_by("depth"),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def federation_dashboard_xlsx(request):
    figures = dashboard_context(request)
    content = dashboard_workbook(figures)
    record_access_event(
        kind=AccessEventKind.EXPORT,
        request=request,
        user=request.user,
        detail=f"federation dashboard {figures['federation'].pk} {figures['quarter'].key}",
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"dashboard-{figures['quarter'].key}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
