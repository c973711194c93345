"""`GET /api/workbench/`: the workbench's items (`kind`, `label`, `count`, `url`), as on the
home page.

The federation dashboard's figures as JSON, with the page's scope and filters
(`federation`/`district`, `organization`, `quarter` as 2026-Q4 or a year as 2026); another scope
answers 404. The keys are those of FIGURES.md "the dashboard API": `as_of`, `totals` and
`breakdown` (one row per direct child federation and one for 本级直属, adding up to the totals)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.response import Response

from zhidao.core.api import RulesPermission
from zhidao.core.db_router import use_replica
from zhidao.figures.definitions import ADDITIVE_KEYS, EXTRA_ADDITIVE_KEYS

from .federation_views import dashboard_context
from .workbench import as_json as workbench_json
from .workbench import items_for

COUNT_KEYS = (*ADDITIVE_KEYS, *EXTRA_ADDITIVE_KEYS, "organizations_active", "organizations_covered")


def _counts(row: dict) -> dict:
    return {key: row.get(key, 0) for key in COUNT_KEYS}


def _rates(row: dict) -> dict:
    rates = {name: rate.as_json() for name, rate in row["rates"].items()}
    rates["coverage"] = row["coverage"].as_json()
    return rates


def figures_as_json(figures: dict) -> dict:
    organization = figures["organization"]
    totals = figures["totals"]
    period = figures["period"]
    return {
        "as_of": figures["as_of"].isoformat() if figures["as_of"] else None,
        "federation": {"id": figures["federation"].pk, "name": figures["federation"].name},
        "organization": (
            {"id": organization.pk, "name": organization.name} if organization else None
        ),
        "quarter": period.key,
        "period": {"first": period.first.isoformat(), "last": period.last.isoformat()},
        "totals": _counts(totals),
        "rates": _rates(totals),
        "breakdown": [
            {
                "federation": row["federation"],
                "name": row["name"],
                "is_direct": row["is_direct"],
                **_counts(row),
                "rates": _rates(row),
            }
            for row in figures["breakdown"]
        ],
        "drill_down": {
            "level": figures["drill_down"]["level"],
            "rows": [
                {"id": row["pk"], "name": row["name"], **_counts(row)}
                for row in figures["drill_down"]["rows"]
            ],
        },
        "weeks": [
            {
                "week_start": week["week_start"].isoformat(),
                **{state: week[state] for state in ("met", "missed", "exempt", "pending")},
            }
            for week in figures["weeks"]
        ],
        "by_duty": figures["by_duty"],
        "reports": figures["reports"],
    }


class DashboardViewSet(viewsets.ViewSet):
    permission_classes = [permissions.IsAuthenticated, RulesPermission]
    permission_required = {"list": "dashboard.view_federation_dashboard"}

    @extend_schema(
        parameters=[
            OpenApiParameter("federation", OpenApiTypes.INT, description="Federation id"),
            OpenApiParameter("district", OpenApiTypes.INT, description="Same as federation"),
            OpenApiParameter("organization", OpenApiTypes.INT, description="Organization id"),
            OpenApiParameter(
                "quarter", OpenApiTypes.STR, description="A quarter (2026-Q4) or a year (2026)"
            ),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def list(self, request):
        """Dashboard figures of the quarter for the federation's subtree."""
        with use_replica():
            return Response(figures_as_json(dashboard_context(request)))


class WorkbenchItemSerializer(serializers.Serializer):
    """One item of the workbench, as the home page shows it."""

    kind = serializers.CharField(help_text="A stable key of the item, e.g. days_to_confirm.")
    label = serializers.CharField(help_text="The item's name in the user's language.")
    count = serializers.IntegerField(help_text="How many rows wait (0 or 1 for an action).")
    url = serializers.CharField(help_text="The filtered list of exactly those rows, or the item.")
    urgent = serializers.BooleanField(help_text="Overdue or disputed rows are among them.")
    action = serializers.BooleanField(help_text="An action of today (check in, check out).")
    due_on = serializers.DateField(
        allow_null=True, help_text="The nearest deadline of the rows counted, if any."
    )


class WorkbenchViewSet(viewsets.ViewSet):
    permission_classes = [permissions.IsAuthenticated, RulesPermission]
    permission_required = {"list": "dashboard.view_workbench"}

    @extend_schema(responses={200: WorkbenchItemSerializer(many=True)})
    def list(self, request):
        """What waits for the user: the items of the home page's workbench, per role held."""
        return Response([workbench_json(item) for item in items_for(request)])
