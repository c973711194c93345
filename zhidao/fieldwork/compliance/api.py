"""Weekly compliance (read-only, the heat map's grid as JSON) and leave requests in the REST API.

Both are scoped like the pages: the compliance grid lists the assignments the user may see; a
leave request of another scope answers 404, and only an administrator of the instructor's
federation subtree approves or rejects.
"""

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from zhidao.core.api import (
    RulesPermission,
    ScopedPrimaryKeyRelatedField,
    audited_as,
    service_errors,
)
from zhidao.core.pagination import BoundedPageNumberPagination
from zhidao.dispatch.selectors import batches_visible_to
from zhidao.fieldwork.compliance import services as compliance_services
from zhidao.fieldwork.compliance.filters import LeaveRequestFilterSet
from zhidao.fieldwork.models import LeaveKind, LeaveRequest
from zhidao.fieldwork.selectors import leave_requests_visible_to
from zhidao.orgs.selectors import federations_visible_to

from . import selectors

# ----- weekly compliance -----


@extend_schema_field(OpenApiTypes.INT)
class ScopedIdField(ScopedPrimaryKeyRelatedField):
    """The id of a row you may see."""


class ComplianceQuerySerializer(serializers.Serializer):
    end = serializers.DateField(required=False, help_text=_("A day of the last week shown."))
    weeks = serializers.IntegerField(
        required=False, min_value=1, max_value=selectors.MAX_WEEKS, default=selectors.DEFAULT_WEEKS
    )
    federation = ScopedIdField(
        selector=federations_visible_to, required=False, help_text=_("Federation subtree.")
    )
    batch = ScopedIdField(selector=batches_visible_to, required=False)


class WeekSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("ISO week, e.g. 2026-W48."))
    start = serializers.DateField()
    end = serializers.DateField()
    calendar_missing = serializers.BooleanField()
    holiday_names = serializers.ListField(child=serializers.CharField())


class CellSerializer(serializers.Serializer):
    week = serializers.CharField(source="week.key")
    state = serializers.ChoiceField(
        choices=[
            selectors.WeekState.MET,
            selectors.WeekState.MISSED,
            selectors.WeekState.EXEMPT,
            selectors.WeekState.PENDING,
            selectors.WeekState.UPCOMING,
            selectors.WeekState.OUTSIDE,
        ]
    )
    confirmed_days = serializers.IntegerField()
    unconfirmed_days = serializers.IntegerField()
    disputed_days = serializers.IntegerField()
    exempt_reason = serializers.CharField(allow_blank=True)
    calendar_missing = serializers.BooleanField()


class RowSerializer(serializers.Serializer):
    assignment = serializers.IntegerField(source="assignment.pk")
    instructor = serializers.IntegerField(source="assignment.instructor_id")
    instructor_name = serializers.CharField(source="assignment.instructor.name")
    batch_name = serializers.CharField(source="assignment.batch.name")
    organizations = serializers.SerializerMethodField()
    min_days_per_week = serializers.IntegerField(source="assignment.min_days_per_week")
    rate = serializers.FloatField(allow_null=True)
    cells = CellSerializer(many=True)

    def get_organizations(self, row) -> list[str]:
        return [organization.name for organization in row.assignment.organizations.all()]


# The grid is its own page (count, next, previous, weeks, rows): not a list to wrap in one.
@extend_schema_serializer(many=False)
class ComplianceGridSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    weeks = WeekSerializer(many=True)
    rows = RowSerializer(many=True)


@extend_schema(tags=["weekly compliance"])
class ComplianceViewSet(viewsets.GenericViewSet):
    """Weekly compliance of the assignments the user may see: met, missed, exempt, pending."""

    permission_classes = [permissions.IsAuthenticated, RulesPermission]
    permission_required = {"list": "fieldwork.view_compliance"}
    serializer_class = ComplianceGridSerializer
    pagination_class = BoundedPageNumberPagination
    filter_backends: list = []

    def get_queryset(self):
        return selectors.compliance_assignments(
            self.request.user, mondays=selectors.week_window(end=timezone.localdate())
        )

    @extend_schema(
        parameters=[
            ComplianceQuerySerializer,
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses=ComplianceGridSerializer,
    )
    def list(self, request: Request) -> Response:
        query = ComplianceQuerySerializer(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        today = timezone.localdate()
        options = query.validated_data
        mondays = selectors.week_window(end=options.get("end") or today, weeks=options["weeks"])
        assignments = selectors.compliance_assignments(
            request.user,
            mondays=mondays,
            federation=options.get("federation"),
            batch=options.get("batch"),
        )
        paginator = self.paginator
        page = paginator.paginate_queryset(assignments, request, view=self)
        grid = selectors.compliance_grid(page, mondays=mondays, today=today)
        return Response(
            ComplianceGridSerializer(
                {
                    "count": paginator.page.paginator.count,
                    "next": paginator.get_next_link(),
                    "previous": paginator.get_previous_link(),
                    "weeks": grid.weeks,
                    "rows": grid.rows,
                }
            ).data
        )


# ----- leave requests -----


class LeaveRequestSerializer(serializers.ModelSerializer):
    instructor_name = serializers.CharField(source="instructor.name", read_only=True)
    # null while undecided (the demo history also has approved leave with no decider).
    decided_by_name = serializers.StringRelatedField(source="decided_by", allow_null=True)

    class Meta:
        model = LeaveRequest
        fields = [
            "id",
            "instructor",
            "instructor_name",
            "kind",
            "starts_on",
            "ends_on",
            "reason",
            "status",
            "decided_by",
            "decided_by_name",
            "decided_at",
            "decision_comment",
            "created_at",
        ]
        read_only_fields = fields


class LeaveRequestCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LeaveKind.choices)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    reason = serializers.CharField(max_length=2000)


class LeaveDecisionSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text=_("Required to reject.")
    )


@extend_schema(tags=["leave"])
class LeaveRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Leave and official travel: the instructor requests, a federation admin decides."""

    serializer_class = LeaveRequestSerializer
    filterset_class = LeaveRequestFilterSet
    ordering_fields = ["starts_on", "created_at", "status"]
    permission_classes = [permissions.IsAuthenticated, RulesPermission]
    permission_required = {
        "approve": "fieldwork.decide_leaverequest",
        "reject": "fieldwork.decide_leaverequest",
    }

    def get_queryset(self) -> QuerySet[LeaveRequest]:
        return (
            leave_requests_visible_to(self.request.user)
            .select_related("instructor", "decided_by")
            .order_by("-starts_on", "-id")
        )

    def _respond(self, leave: LeaveRequest, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=leave.pk)).data, status=code)

    @extend_schema(request=LeaveRequestCreateSerializer, responses={201: LeaveRequestSerializer})
    def create(self, request: Request) -> Response:
        """Request leave or official travel (instructors)."""
        data = LeaveRequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with audited_as(request), service_errors():
            leave = compliance_services.request_leave(actor=request.user, **data.validated_data)
        return self._respond(leave, status.HTTP_201_CREATED)

    def _decide(self, request: Request, decide) -> Response:
        leave = self.get_object()
        data = LeaveDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with audited_as(request), service_errors():
            decide(actor=request.user, leave=leave, comment=data.validated_data.get("comment", ""))
        return self._respond(leave)

    @extend_schema(request=LeaveDecisionSerializer, responses=LeaveRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Approve (an administrator of the instructor's federation subtree)."""
        return self._decide(request, compliance_services.approve_leave)

    @extend_schema(request=LeaveDecisionSerializer, responses=LeaveRequestSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        """Reject with a comment (an administrator of the instructor's federation subtree)."""
        return self._decide(request, compliance_services.reject_leave)
