"""The federation dashboard's figures as JSON, with the page's scope and filters
(`federation`/`district`, `organization`, `quarter` as 2026-Q4); another scope answers 404."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from .federation_views import dashboard_context


def figures_as_json(figures: dict) -> dict:
    organization = figures["organization"]
    return {
        "federation": {"id": figures["federation"].pk, "name": figures["federation"].name},
        "organization": (
            {"id": organization.pk, "name": organization.name} if organization else None
        ),
        "quarter": figures["quarter"].key,
        "coverage": figures["coverage"],
        "totals": figures["totals"],
        "weeks": [
            {**week, "week_start": week["week_start"].isoformat()} for week in figures["weeks"]
        ],
        "by_duty": figures["by_duty"],
        "breakdown": figures["breakdown"],
        "reports": figures["reports"],
    }


class DashboardViewSet(viewsets.ViewSet):
    @extend_schema(
        parameters=[
            OpenApiParameter("federation", OpenApiTypes.INT, description="Federation id"),
            OpenApiParameter("district", OpenApiTypes.INT, description="Same as federation"),
            OpenApiParameter("organization", OpenApiTypes.INT, description="Organization id"),
            OpenApiParameter("quarter", OpenApiTypes.STR, description="e.g. 2026-Q4"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def list(self, request):
        """Dashboard figures of the quarter for the federation's subtree."""
        return Response(figures_as_json(dashboard_context(request)))
