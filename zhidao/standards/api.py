"""REST endpoints of indicator sets, assessments, honours and activities.

Reads are the pages' scoped selectors (another scope's row is a 404); writes go through the same
services as the pages, and a service's ValidationError becomes a 400 at its field. Scores are
always computed by the server.
"""

from decimal import ROUND_HALF_UP

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
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
from zhidao.orgs.selectors import unions_administered_by, unions_visible_to

from . import selectors, services
from .filters import ActivityFilterSet, AssessmentFilterSet, HonourFilterSet
from .models import (
    Activity,
    ActivityKind,
    Assessment,
    AssessmentAnswer,
    AssessmentKind,
    Honour,
    HonourLevel,
    HonourTitle,
    Indicator,
    IndicatorSet,
    RuleKind,
)


class IndicatorSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.name", read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "category",
            "text",
            "guidance",
            "weight",
            "rule",
            "level_labels",
            "thresholds",
            "unit",
            "finding_category",
        ]
        read_only_fields = fields


class IndicatorSetSerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = IndicatorSet
        fields = ["id", "name", "version", "is_current", "federation", "notes", "indicators"]
        read_only_fields = fields


class NewIndicatorSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=32)
    text = serializers.CharField(max_length=255)
    guidance = serializers.CharField(required=False, allow_blank=True)
    weight = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0)
    rule = serializers.ChoiceField(choices=RuleKind.choices)
    level_labels = serializers.ListField(child=serializers.CharField(), required=False)
    thresholds = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(), min_length=2, max_length=2),
        required=False,
    )
    unit = serializers.CharField(max_length=16, required=False, allow_blank=True)
    finding_category = serializers.CharField(max_length=24, required=False, allow_blank=True)


class NewCategorySerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    indicators = NewIndicatorSerializer(many=True)


class NewVersionSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    notes = serializers.CharField(required=False, allow_blank=True)
    categories = NewCategorySerializer(many=True)


@extend_schema(tags=["standardization"])
class IndicatorSetViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = IndicatorSetSerializer
    permission_classes = [permissions.IsAuthenticated, RulesPermission]
    permission_required = {"new_version": "standards.change_indicatorset"}

    def get_queryset(self) -> QuerySet[IndicatorSet]:
        return (
            selectors.indicator_sets_visible_to(self.request.user)
            .prefetch_related("indicators__category")
            .order_by("name", "-version", "pk")
        )

    @extend_schema(request=NewVersionSerializer, responses={201: IndicatorSetSerializer})
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request: Request, pk=None) -> Response:
        """Write the next version of a current set (federation admins); the old one is frozen."""
        base = self.get_object()
        form = NewVersionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        with audited_as(request), service_errors():
            new_set = services.create_indicator_set_version(
                actor=request.user, base=base, **form.validated_data
            )
        return Response(
            IndicatorSetSerializer(self.get_queryset().get(pk=new_set.pk)).data,
            status=status.HTTP_201_CREATED,
        )


def _score_field() -> serializers.DecimalField:
    # Two places, rounded half up once: the stored value keeps six (FIGURES.md "rounding").
    return serializers.DecimalField(
        max_digits=12, decimal_places=2, rounding=ROUND_HALF_UP, read_only=True
    )


class AnswerSerializer(serializers.ModelSerializer):
    points = _score_field()

    class Meta:
        model = AssessmentAnswer
        fields = ["indicator", "yes", "level", "number", "points", "note", "finding"]
        read_only_fields = fields


class AssessmentSerializer(serializers.ModelSerializer):
    union_name = serializers.CharField(source="union.name", read_only=True)
    answers = AnswerSerializer(many=True, read_only=True)
    total_score = _score_field()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "union",
            "union_name",
            "indicator_set",
            "assignment",
            "instructor",
            "kind",
            "assessed_on",
            "total_score",
            "category_scores",
            "notes",
            "answers",
        ]
        read_only_fields = fields


class AnswerInputSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    yes = serializers.BooleanField(required=False, allow_null=True, default=None)
    level = serializers.IntegerField(required=False, allow_null=True, min_value=0, default=None)
    number = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, default=None
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


@extend_schema_field(OpenApiTypes.INT)
class UnionField(ScopedPrimaryKeyRelatedField):
    """A union you may see; assessing it also needs one of your assignments."""


class AssessmentCreateSerializer(serializers.Serializer):
    union = UnionField(selector=unions_visible_to)
    kind = serializers.ChoiceField(choices=AssessmentKind.choices)
    assessed_on = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    answers = AnswerInputSerializer(many=True)


@extend_schema(tags=["standardization"])
class AssessmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AssessmentSerializer
    permission_classes = [permissions.IsAuthenticated, RulesPermission]
    filterset_class = AssessmentFilterSet

    def get_queryset(self) -> QuerySet[Assessment]:
        return (
            selectors.assessments_visible_to(self.request.user)
            .select_related("union")
            .prefetch_related("answers")
            .order_by("-assessed_on", "-pk")
        )

    @extend_schema(request=AssessmentCreateSerializer, responses={201: AssessmentSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        """Assess a union of one of your assignments (instructors); the server scores it."""
        form = AssessmentCreateSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        data = form.validated_data
        answers = {
            item["indicator"]: {
                "yes": item["yes"],
                "level": item["level"],
                "number": item["number"],
                "note": item["note"],
            }
            for item in data["answers"]
        }
        with audited_as(request), service_errors():
            assessment = services.create_assessment(
                actor=request.user,
                union=data["union"],
                kind=data["kind"],
                assessed_on=data["assessed_on"],
                answers=answers,
                notes=data["notes"],
            )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=assessment.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class HonourSerializer(serializers.ModelSerializer):
    union = ScopedPrimaryKeyRelatedField(selector=unions_administered_by)
    title = serializers.PrimaryKeyRelatedField(queryset=HonourTitle.objects.filter(is_active=True))
    title_name = serializers.CharField(source="title.name", read_only=True)
    level = serializers.ChoiceField(choices=HonourLevel.choices)
    awarded_on = serializers.DateField(required=False)
    year = serializers.IntegerField(required=False, min_value=1950, max_value=2100)

    class Meta:
        model = Honour
        fields = [
            "id",
            "union",
            "title",
            "title_name",
            "level",
            "awarded_on",
            "year",
            "person_name",
            "notes",
        ]


@extend_schema(tags=["standardization"])
class HonourViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = HonourSerializer
    permission_classes = [permissions.IsAuthenticated, RulesPermission]
    filterset_class = HonourFilterSet

    def get_queryset(self) -> QuerySet[Honour]:
        return (
            selectors.honours_visible_to(self.request.user)
            .select_related("title")
            .order_by("-year", "-pk")
        )

    def create(self, request: Request, *args, **kwargs) -> Response:
        """Record an honour of a union or of one of its workers (federation admins)."""
        form = self.get_serializer(data=request.data)
        form.is_valid(raise_exception=True)
        with audited_as(request), service_errors():
            honour = services.create_honour(actor=request.user, **form.validated_data)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=honour.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class ActivitySerializer(serializers.ModelSerializer):
    union = ScopedPrimaryKeyRelatedField(selector=selectors.unions_for_activities)
    kind = serializers.ChoiceField(choices=ActivityKind.choices)

    class Meta:
        model = Activity
        fields = ["id", "union", "kind", "title", "held_on", "participant_count", "report"]
        # The page asks for the count and the service has no default for it: the model's
        # default (0) must not make it optional here.
        extra_kwargs = {"participant_count": {"required": True}}


@extend_schema(tags=["standardization"])
class ActivityViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ActivitySerializer
    permission_classes = [permissions.IsAuthenticated, RulesPermission]
    filterset_class = ActivityFilterSet

    def get_queryset(self) -> QuerySet[Activity]:
        return selectors.activities_visible_to(self.request.user).order_by("-held_on", "-pk")

    def create(self, request: Request, *args, **kwargs) -> Response:
        """Record an activity of a union (its instructors, officers and federation admins)."""
        form = self.get_serializer(data=request.data)
        form.is_valid(raise_exception=True)
        with audited_as(request), service_errors():
            activity = services.create_activity(actor=request.user, **form.validated_data)
        return Response(
            ActivitySerializer(
                self.get_queryset().get(pk=activity.pk), context={"request": request}
            ).data,
            status=status.HTTP_201_CREATED,
        )
