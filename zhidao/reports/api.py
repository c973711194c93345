"""REST endpoints of quarterly reports: read (scoped: another scope's report is a 404), draft,
narrative, refresh, submit, return, approve and the .docx download — through the same services
as the pages (ValidationError → 400 at the field, wrong role → 403)."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from zhidao.audit.models import AccessEventKind
from zhidao.audit.services import record_access_event
from zhidao.core.api import RulesPermission, ScopedReadViewSet, audited_as, service_errors
from zhidao.core.db_router import use_replica
from zhidao.core.exports import attachment_header
from zhidao.dispatch.models import Assignment
from zhidao.dispatch.selectors import assignments_visible_to
from zhidao.figures.upward import COUNT_KEYS

from . import selectors, services
from .exports import DOCX_CONTENT_TYPE, report_docx
from .filters import ReportFilterSet
from .models import QuarterlyReport, ReportTransition
from .presentation import report_title
from .views import upward_context


class ReportTransitionSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True)

    class Meta:
        model = ReportTransition
        fields = ["from_status", "to_status", "actor", "at", "comment"]
        read_only_fields = fields
        # The first transition, the draft's creation, comes from no status ("").
        extra_kwargs = {"from_status": {"allow_blank": True}}


class QuarterlyReportSerializer(serializers.ModelSerializer):
    instructor_name = serializers.CharField(source="assignment.instructor.name", read_only=True)
    federation_name = serializers.CharField(
        source="assignment.batch.federation.name", read_only=True
    )
    figures = serializers.JSONField(read_only=True)

    class Meta:
        model = QuarterlyReport
        fields = [
            "id",
            "assignment",
            "instructor_name",
            "federation_name",
            "year",
            "quarter",
            "status",
            "due_on",
            "is_late",
            "submitted_at",
            "approved_at",
            "figures",
            "figures_computed_at",
            "data_as_of",
            "work_done",
            "problems",
            "next_plan",
        ]
        read_only_fields = fields


class QuarterlyReportDetailSerializer(QuarterlyReportSerializer):
    transitions = ReportTransitionSerializer(many=True, read_only=True)

    class Meta(QuarterlyReportSerializer.Meta):
        fields = QuarterlyReportSerializer.Meta.fields + ["transitions"]
        read_only_fields = fields


class DraftSerializer(serializers.Serializer):
    assignment = serializers.PrimaryKeyRelatedField(
        queryset=Assignment.objects.none(), help_text="One of your own assignments."
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(min_value=1, max_value=4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["assignment"].queryset = assignments_visible_to(request.user)


class NarrativeSerializer(serializers.Serializer):
    work_done = serializers.CharField(allow_blank=True)
    problems = serializers.CharField(allow_blank=True)
    next_plan = serializers.CharField(allow_blank=True)


class ReportCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(allow_blank=True, required=False, default="")


class QuarterlyReportViewSet(ScopedReadViewSet):
    serializer_class = QuarterlyReportSerializer
    filterset_class = ReportFilterSet
    permission_required = {
        "draft": "reports.add_quarterlyreport",
        "narrative": "reports.change_quarterlyreport",
        "refresh": "reports.submit_quarterlyreport",
        "submit": "reports.submit_quarterlyreport",
        "return_": "reports.review_quarterlyreport",
        "approve": "reports.review_quarterlyreport",
        "download": "reports.view_quarterlyreport",
    }

    def get_queryset(self):
        return (
            selectors.reports_visible_to(self.request.user)
            .select_related("assignment__instructor", "assignment__batch__federation")
            .prefetch_related("transitions__actor")
            .order_by("-year", "-quarter", "id")
        )

    def get_serializer_class(self):
        if self.action == "list":
            return QuarterlyReportSerializer
        return QuarterlyReportDetailSerializer

    def _respond(self, report, code=status.HTTP_200_OK) -> Response:
        report = self.get_queryset().get(pk=report.pk)
        return Response(QuarterlyReportDetailSerializer(report).data, status=code)

    @extend_schema(request=DraftSerializer, responses={201: QuarterlyReportDetailSerializer})
    @action(detail=False, methods=["post"])
    def draft(self, request: Request) -> Response:
        serializer = DraftSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        with audited_as(request), service_errors():
            report = services.create_or_get_draft(actor=request.user, **serializer.validated_data)
        return self._respond(report, status.HTTP_201_CREATED)

    @extend_schema(request=NarrativeSerializer, responses=QuarterlyReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def narrative(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        serializer = NarrativeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with audited_as(request), service_errors():
            report = services.update_narrative(
                actor=request.user, report=report, **serializer.validated_data
            )
        return self._respond(report)

    def _act(self, request, service, **kwargs) -> Response:
        report = self.get_object()
        with audited_as(request), service_errors():
            report = service(actor=request.user, report=report, **kwargs)
        return self._respond(report)

    @extend_schema(request=None, responses=QuarterlyReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def refresh(self, request: Request, pk: str | None = None) -> Response:
        return self._act(request, services.refresh_figures)

    @extend_schema(request=None, responses=QuarterlyReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        return self._act(request, services.submit_report)

    @extend_schema(request=ReportCommentSerializer, responses=QuarterlyReportDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: str | None = None) -> Response:
        serializer = ReportCommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._act(
            request, services.return_report, comment=serializer.validated_data["comment"]
        )

    @extend_schema(request=ReportCommentSerializer, responses=QuarterlyReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        serializer = ReportCommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._act(
            request, services.approve_report, comment=serializer.validated_data["comment"]
        )

    @extend_schema(
        responses={(200, DOCX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str | None = None) -> HttpResponse:
        report = self.get_object()
        record_access_event(
            kind=AccessEventKind.EXPORT, request=request, detail=f"quarterly report {report.pk}"
        )
        response = HttpResponse(report_docx(report), content_type=DOCX_CONTENT_TYPE)
        response["Content-Disposition"] = attachment_header(
            f"{report_title(report)}.docx", fallback="report.docx"
        )
        return response


def _json_value(value):
    if hasattr(value, "as_json"):
        return value.as_json()
    return value


def upward_as_json(report) -> dict:
    def values(row: dict) -> dict:
        shown = {
            column.key: _json_value(column.value(row))
            for section in report.sections
            for column in section.columns
        }
        return {**{key: row[key] for key in COUNT_KEYS}, **shown}

    return {
        "federation": {"id": report.federation.pk, "name": report.federation.name},
        "period": {
            "key": report.period.key,
            "first": report.period.first.isoformat(),
            "last": report.period.last.isoformat(),
        },
        "as_of_day": report.as_of_day.isoformat(),
        "figures_as_of": report.figures_as_of.isoformat() if report.figures_as_of else None,
        "prepared_at": report.prepared_at.isoformat(),
        "sections": [
            {
                "key": section.key,
                "title": str(section.title),
                "columns": [
                    {"key": column.key, "label": str(column.label)} for column in section.columns
                ],
            }
            for section in report.sections
        ],
        "rows": [
            {
                "federation": row["federation"],
                "name": row["name"],
                "is_direct": row["is_direct"],
                **values(row),
            }
            for row in report.rows
        ],
        "total": values(report.total),
        "matters_by_category": report.matters_by_category,
        "batches": [
            {
                **row,
                "starts_on": row["starts_on"].isoformat(),
                "ends_on": row["ends_on"].isoformat(),
            }
            for row in report.batches
        ],
    }


@extend_schema(tags=["reports"])
class UpwardReportViewSet(viewsets.ViewSet):
    permission_classes = [permissions.IsAuthenticated, RulesPermission]
    permission_required = {"list": "reports.view_upwardreport"}

    @extend_schema(
        parameters=[
            OpenApiParameter("federation", OpenApiTypes.INT, description="Federation id"),
            OpenApiParameter(
                "period", OpenApiTypes.STR, description="A quarter (2026-Q3) or a year (2026)"
            ),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def list(self, request: Request) -> Response:
        """The upward statistical report of the federation's subtree for a quarter or a year
        (admins and leaders; one row per direct child federation, 本级直属 and the total)."""
        with use_replica():
            return Response(upward_as_json(upward_context(request)["report"]))
