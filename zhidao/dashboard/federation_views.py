"""The federation dashboard page, its .xlsx download and the filter form."""

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhidao.audit.models import AccessEventKind
from zhidao.audit.services import record_access_event
from zhidao.core.db_router import replica_reads
from zhidao.core.permissions import permission_required
from zhidao.figures.definitions import LABELS
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
        quarters = fs.recent_quarters(today)
        years = sorted({quarter.year_number for quarter in quarters}, reverse=True)
        self.fields["quarter"].choices = [(q.key, q.label) for q in quarters] + [
            (str(year), _("Year %(year)s") % {"year": year}) for year in years
        ]
        # The options show names only: 137 whole rows (and their timestamps) cost 5 ms a page.
        self.fields["federation"].queryset = (
            fs.dashboard_federations(user).only("pk", "name", "path").order_by("path")
        )


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
    period = fs.Period.parse(request.GET.get("quarter"), fs.Period.quarter_of(today))
    return fs.federation_dashboard(
        user, federation=federation, period=period, today=today, organization=organization
    )


@permission_required("dashboard.view_federation_dashboard")
@replica_reads
def federation_dashboard(request):
    figures = dashboard_context(request)
    federation, quarter = figures["federation"], figures["quarter"]
    form = DashboardFilterForm(
        {"quarter": quarter.key, "federation": federation.pk},
        user=request.user,
        today=timezone.localdate(),
    )
    # Weeks not yet begun have nothing to show.
    weeks = [w for w in figures["weeks"] if w["week_start"] <= timezone.localdate()]
    chart = {
        "unit": str(_("assignment-weeks")),
        "weeks": [week["label"] for week in weeks],
        "met": [week["met"] for week in weeks],
        "missed": [week["missed"] for week in weeks],
        "exempt": [week["exempt"] for week in weeks],
        "pending": [week["pending"] for week in weeks],
        "duties": [item["label"] for item in figures["by_duty"]],
        "duty_counts": [item["count"] for item in figures["by_duty"]],
        "labels": {
            "met": str(pgettext_lazy("compliance week", "Met")),
            "missed": str(pgettext_lazy("compliance week", "Missed")),
            "exempt": str(pgettext_lazy("compliance week", "Exempt")),
            "pending": str(pgettext_lazy("compliance week", "Pending")),
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
            "labels": LABELS,
            "chart": chart,
            "ancestors": ancestors.order_by("depth"),
            "query": request.GET.urlencode(),
        },
    )


@permission_required("dashboard.view_federation_dashboard")
@replica_reads
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
    name = _("Dashboard_%(federation)s_%(period)s.xlsx") % {
        "federation": figures["federation"].name,
        "period": figures["period"].key,
    }
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
