"""REST endpoints of term-end evaluations (考核): read, rate, grade, finalize, download.

An evaluation is addressed by its assignment's id, like the pages; the scoping is the
assignment's, so another scope's evaluation is a 404.
"""

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from zhidao.audit.models import AccessEventKind
from zhidao.audit.services import record_access_event
from zhidao.core.api import RulesPermission, audited_as, service_errors
from zhidao.core.exports import attachment_header
from zhidao.reports.exports import DOCX_CONTENT_TYPE

from . import selectors, services
from .exports import evaluation_docx, evaluation_filename
from .filters import EvaluationFilterSet
from .models import EvaluationGrade


class RatingSerializer(serializers.Serializer):
    satisfaction = serializers.IntegerField(min_value=1, max_value=5)
    comments = serializers.CharField(required=False, allow_blank=True, default="")


class GradeSerializer(serializers.Serializer):
    grade = serializers.ChoiceField(choices=EvaluationGrade.choices)
    comments = serializers.CharField(required=False, allow_blank=True, default="")


class RatingOutSerializer(serializers.Serializer):
    union = serializers.CharField(source="union.name")
    satisfaction = serializers.IntegerField()
    comments = serializers.CharField()
    rated_at = serializers.DateTimeField()


class EvaluationSerializer(serializers.Serializer):
    assignment = serializers.IntegerField(source="pk")
    instructor = serializers.CharField(source="instructor.name")
    batch = serializers.CharField(source="batch.name")
    organizations = serializers.SerializerMethodField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(source="effective_end")
    assignment_status = serializers.CharField(source="status")
    status = serializers.SerializerMethodField()
    grade = serializers.SerializerMethodField()
    grade_comments = serializers.SerializerMethodField()

    def get_organizations(self, assignment) -> list[str]:
        return [organization.name for organization in assignment.organizations.all()]

    def _evaluation(self, assignment):
        return getattr(assignment, "evaluation", None)

    def get_status(self, assignment) -> str:
        evaluation = self._evaluation(assignment)
        return evaluation.status if evaluation else "open"

    def _shown_grade(self, assignment):
        evaluation = self._evaluation(assignment)
        user = self.context["request"].user
        return evaluation if selectors.sees_grade(user, evaluation) else None

    def get_grade(self, assignment) -> str:
        evaluation = self._shown_grade(assignment)
        return evaluation.grade if evaluation else ""

    def get_grade_comments(self, assignment) -> str:
        evaluation = self._shown_grade(assignment)
        return evaluation.grade_comments if evaluation else ""


class EvaluationDetailSerializer(EvaluationSerializer):
    metrics = serializers.SerializerMethodField()
    ratings = serializers.SerializerMethodField()

    def get_metrics(self, assignment) -> dict:
        evaluation = selectors.evaluation_of(self.context["request"].user, assignment)
        return selectors.metrics_for(assignment, evaluation, today=timezone.localdate())

    @extend_schema_field(RatingOutSerializer(many=True))
    def get_ratings(self, assignment) -> list[dict]:
        user = self.context["request"].user
        ratings = selectors.ratings_of(user, selectors.evaluation_of(user, assignment))
        return RatingOutSerializer(ratings, many=True).data


class EvaluationViewSet(viewsets.ReadOnlyModelViewSet):
    """Evaluations of ended assignments in the user's scope (detail also previews active ones)."""

    permission_classes = [permissions.IsAuthenticated, RulesPermission]
    permission_required = {
        "list": "evaluation.view_evaluation",
        "retrieve": "evaluation.view_evaluation",
        "download": "evaluation.view_evaluation",
        "rate": "evaluation.rate_evaluation",
        "grade": "evaluation.grade_evaluation",
        "finalize": "evaluation.finalize_evaluation",
    }
    filterset_class = EvaluationFilterSet
    lookup_field = "pk"

    def get_queryset(self):
        if self.action == "list":
            return selectors.evaluation_list(self.request.user)
        return selectors.evaluation_assignment(self.request.user).select_related("evaluation")

    def get_serializer_class(self):
        return EvaluationSerializer if self.action == "list" else EvaluationDetailSerializer

    def _detail(self, assignment) -> Response:
        fresh = self.get_queryset().get(pk=assignment.pk)
        return Response(
            EvaluationDetailSerializer(fresh, context=self.get_serializer_context()).data
        )

    @extend_schema(request=RatingSerializer, responses=EvaluationDetailSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request: Request, pk=None) -> Response:
        assignment = self.get_object()
        payload = RatingSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        with service_errors(), audited_as(request):
            services.rate_instructor(
                actor=request.user, assignment=assignment, **payload.validated_data
            )
        return self._detail(assignment)

    @extend_schema(request=GradeSerializer, responses=EvaluationDetailSerializer)
    @action(detail=True, methods=["post"])
    def grade(self, request: Request, pk=None) -> Response:
        assignment = self.get_object()
        payload = GradeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        with service_errors(), audited_as(request):
            services.grade_instructor(
                actor=request.user, assignment=assignment, **payload.validated_data
            )
        return self._detail(assignment)

    @extend_schema(request=None, responses=EvaluationDetailSerializer)
    @action(detail=True, methods=["post"])
    def finalize(self, request: Request, pk=None) -> Response:
        assignment = self.get_object()
        with service_errors(), audited_as(request):
            services.finalize_evaluation(
                actor=request.user, assignment=assignment, today=timezone.localdate()
            )
        return self._detail(assignment)

    @extend_schema(responses={(200, DOCX_CONTENT_TYPE): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk=None) -> HttpResponse:
        assignment = self.get_object()
        evaluation = selectors.evaluation_of(request.user, assignment)
        content = evaluation_docx(
            assignment=assignment,
            evaluation=evaluation,
            metrics=selectors.metrics_for(assignment, evaluation, today=timezone.localdate()),
            ratings=selectors.ratings_of(request.user, evaluation),
            shows_grade=selectors.sees_grade(request.user, evaluation),
        )
        record_access_event(
            kind=AccessEventKind.EXPORT,
            request=request,
            user=request.user,
            detail=f"evaluation docx assignment={assignment.pk} (API)",
        )
        response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE, status=status.HTTP_200_OK)
        response["Content-Disposition"] = attachment_header(
            evaluation_filename(assignment), fallback=f"evaluation-{assignment.pk}.docx"
        )
        return response
