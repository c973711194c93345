"""Instructors, batches and assignments."""

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from zhidao.core.api import (
    ScopedPrimaryKeyRelatedField,
    ScopedReadViewSet,
    ServiceUpdateMixin,
    ServiceViewSet,
    audited_as,
    keep_links_out_of_reach,
    service_errors,
)
from zhidao.dispatch import services
from zhidao.dispatch.filters import AssignmentFilterSet, BatchFilterSet, InstructorFilterSet
from zhidao.dispatch.models import Assignment, Batch, Instructor
from zhidao.dispatch.selectors import (
    assignments_visible_to,
    batches_administered_by,
    batches_visible_to,
    instructors_administered_by,
    instructors_visible_to,
)
from zhidao.orgs.api import owning_federation_field
from zhidao.orgs.models import Organization
from zhidao.orgs.selectors import (
    organizations_administered_by,
    organizations_visible_to,
)


class InstructorSerializer(serializers.ModelSerializer):
    federation = owning_federation_field()
    federation_name = serializers.CharField(source="federation.name", read_only=True)
    # The phone is written in clear and only ever read back masked (SECURITY.md).
    phone = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=20, label=_("work phone")
    )
    masked_phone = serializers.CharField(read_only=True, label=_("work phone (masked)"))

    class Meta:
        model = Instructor
        fields = [
            "id",
            "name",
            "federation",
            "federation_name",
            "department",
            "title",
            "phone",
            "masked_phone",
            "status",
            "created_at",
            "updated_at",
        ]


class BatchSerializer(serializers.ModelSerializer):
    federation = owning_federation_field()
    federation_name = serializers.CharField(source="federation.name", read_only=True)

    class Meta:
        model = Batch
        fields = [
            "id",
            "federation",
            "federation_name",
            "name",
            "year",
            "starts_on",
            "ends_on",
            "notes",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"ends_on": {"help_text": _("One year after the start if left out.")}}
        # The unique name per federation is checked by the model in the service, once.
        validators: list = []


class AssignmentSerializer(serializers.ModelSerializer):
    batch = ScopedPrimaryKeyRelatedField(selector=batches_administered_by)
    batch_name = serializers.CharField(source="batch.name", read_only=True)
    instructor = ScopedPrimaryKeyRelatedField(selector=instructors_administered_by)
    instructor_name = serializers.CharField(source="instructor.name", read_only=True)
    organizations = ScopedPrimaryKeyRelatedField(selector=organizations_administered_by, many=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "batch",
            "batch_name",
            "instructor",
            "instructor_name",
            "organizations",
            "starts_on",
            "ends_on",
            "min_days_per_week",
            "status",
            "ended_on",
            "end_reason",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "ended_on", "end_reason"]
        extra_kwargs = {"ends_on": {"help_text": _("One year after the start if left out.")}}

    def validate_organizations(self, organizations: list[Organization]) -> list[Organization]:
        return keep_links_out_of_reach(self, "organizations", organizations)


class AssignmentEndEarlySerializer(serializers.Serializer):
    ended_on = serializers.DateField(label=_("actual end date"))
    end_reason = serializers.CharField(label=_("reason for ending early"))


@extend_schema(tags=["instructors"])
class InstructorViewSet(ServiceUpdateMixin, ScopedReadViewSet):
    """Instructors are read and edited here; creating one binds a login account, which is done
    where accounts are managed."""

    serializer_class = InstructorSerializer
    filterset_class = InstructorFilterSet
    ordering_fields = ["name", "department", "created_at"]
    update_service = staticmethod(services.update_instructor)

    def get_queryset(self) -> QuerySet[Instructor]:
        return (
            instructors_visible_to(self.request.user)
            .select_related("federation")
            .order_by("name", "id")
        )


@extend_schema(tags=["batches"])
class BatchViewSet(ServiceViewSet):
    serializer_class = BatchSerializer
    filterset_class = BatchFilterSet
    ordering_fields = ["starts_on", "year", "name"]
    create_service = staticmethod(services.create_batch)
    update_service = staticmethod(services.update_batch)

    def get_queryset(self) -> QuerySet[Batch]:
        return (
            batches_visible_to(self.request.user)
            .select_related("federation")
            .order_by("-starts_on", "id")
        )


@extend_schema(tags=["assignments"])
class AssignmentViewSet(ServiceViewSet):
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilterSet
    ordering_fields = ["starts_on", "ends_on", "status"]
    create_service = staticmethod(services.create_assignment)
    update_service = staticmethod(services.update_assignment)
    permission_required = {"end_early": "dispatch.change_assignment"}

    def get_queryset(self) -> QuerySet[Assignment]:
        user = self.request.user
        # An assignment may cover organizations outside the reader's scope (a union officer
        # sees the assignment through its own union only): list just the visible ones.
        visible_organizations = organizations_visible_to(user).only("id")
        return (
            assignments_visible_to(user)
            .select_related("batch__federation", "instructor")
            .prefetch_related(Prefetch("organizations", queryset=visible_organizations))
            .order_by("-starts_on", "id")
        )

    @extend_schema(request=AssignmentEndEarlySerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"], url_path="end-early")
    def end_early(self, request: Request, pk: str | None = None) -> Response:
        """End a planned or active assignment before its planned end date."""
        assignment = self.get_object()
        form = AssignmentEndEarlySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        with audited_as(request), service_errors():
            services.end_assignment_early(
                assignment=assignment,
                ended_on=form.validated_data["ended_on"],
                reason=form.validated_data["end_reason"],
            )
        return Response(self.get_serializer(self.refetch(assignment)).data)
