"""REST endpoints of appeals for staff: list and detail (the submitter masked per viewer, like the
pages) and the handling transitions as actions.

Reads go through the scoped selector (another scope: 404). The list shows contacts masked to
everyone; the detail shows them in clear only to the handler and rights-protection staff, and each
such response is written to the access log. The employer's union officer gets no identity fields at
all and the description with contact details removed.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from zhidao.api.base import audited_as, service_errors
from zhidao.audit.models import AccessEventKind
from zhidao.audit.services import record_access_event
from zhidao.dispatch.selectors import instructors_visible_to

from . import selectors, services
from .models import (
    Appeal,
    AppealCategory,
    AppealChannel,
    AppealEvent,
    AppealState,
    MessageSender,
)


class AppealEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = AppealEvent
        fields = ["kind", "at", "actor_name", "internal_note", "public_text"]
        read_only_fields = fields

    def get_actor_name(self, event: AppealEvent) -> str:
        return str(event.actor) if event.actor_id else ""


class AppealMessageSerializer(serializers.Serializer):
    sender = serializers.ChoiceField(MessageSender.choices)
    at = serializers.DateTimeField()
    text = serializers.CharField(help_text=_("Contact details removed unless you may see them."))


class AppealSerializer(serializers.ModelSerializer):
    """An appeal as the requesting user may see it."""

    organization_name = serializers.CharField(source="organization.name", read_only=True)
    handler = serializers.SerializerMethodField()
    submitter_name = serializers.SerializerMethodField(
        help_text=_("In clear for the handler and rights staff on the detail; masked otherwise.")
    )
    submitter_phone = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Appeal
        fields = [
            "id",
            "code",
            "organization",
            "organization_name",
            "channel",
            "category",
            "state",
            "anonymous",
            "submitter_name",
            "submitter_phone",
            "description",
            "handler",
            "accept_due",
            "first_answer_due",
            "resolve_due",
            "accepted_at",
            "first_answered_at",
            "resolved_at",
            "closed_at",
            "escalation_level",
            "escalation_reason",
            "satisfaction",
            "overdue",
            "created_at",
        ]
        read_only_fields = fields

    def _view(self, appeal: Appeal) -> selectors.SubmitterView:
        in_clear = self.context.get("in_clear", False)
        return selectors.submitter_view(self.context["request"].user, appeal, in_clear=in_clear)

    def get_handler(self, appeal: Appeal) -> str:
        if appeal.assigned_instructor_id:
            return appeal.assigned_instructor.name
        return appeal.assigned_department

    def get_submitter_name(self, appeal: Appeal) -> str:
        view = self._view(appeal)
        return view.name if view.shows_identity else ""

    def get_submitter_phone(self, appeal: Appeal) -> str:
        view = self._view(appeal)
        return view.phone if view.shows_identity else ""

    def get_description(self, appeal: Appeal) -> str:
        return self._view(appeal).description

    def get_overdue(self, appeal: Appeal) -> bool:
        return services.missed_deadline(appeal, today=timezone.localdate()) > 0


class AppealDetailSerializer(AppealSerializer):
    events = serializers.SerializerMethodField()
    messages = serializers.SerializerMethodField()
    resolution = serializers.CharField(read_only=True)
    rejection_reason = serializers.CharField(read_only=True)
    referral = serializers.CharField(read_only=True)

    class Meta(AppealSerializer.Meta):
        fields = [
            *AppealSerializer.Meta.fields,
            "resolution",
            "rejection_reason",
            "referral",
            "events",
            "messages",
        ]
        read_only_fields = fields

    @extend_schema_field(AppealEventSerializer(many=True))
    def get_events(self, appeal: Appeal) -> list[dict]:
        return AppealEventSerializer(selectors.timeline(appeal), many=True).data

    @extend_schema_field(AppealMessageSerializer(many=True))
    def get_messages(self, appeal: Appeal) -> list[dict]:
        view = self._view(appeal)
        return [
            {"sender": message.sender, "at": message.at, "text": message.shown_text}
            for message in selectors.messages_for(view, appeal)
        ]


class AppealFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True)
    category = serializers.ChoiceField(AppealCategory.choices, required=False)
    state = serializers.ChoiceField(AppealState.choices, required=False)
    channel = serializers.ChoiceField(AppealChannel.choices, required=False)
    organization = serializers.IntegerField(required=False)
    overdue = serializers.BooleanField(required=False)


class AcceptSerializer(serializers.Serializer):
    instructor = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("Empty: the organization's instructor.")
    )
    department = serializers.CharField(required=False, allow_blank=True, max_length=100)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class AnswerSerializer(NoteSerializer):
    text = serializers.CharField(max_length=2000)


class ResolveSerializer(NoteSerializer):
    resolution = serializers.CharField(max_length=2000)


class RejectSerializer(NoteSerializer):
    reason = serializers.CharField(max_length=2000)
    referral = serializers.CharField(max_length=2000)


class EscalateSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)


class AppealViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Appeals you may see; transitions as actions (a wrong state is a 400 at the form)."""

    serializer_class = AppealSerializer
    filter_backends: list = []

    def get_queryset(self):
        if self.action == "list":
            filters = AppealFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            return selectors.appeal_list(
                self.request.user, today=timezone.localdate(), **filters.validated_data
            )
        return selectors.appeal_detail(self.request.user)

    def get_serializer_class(self):
        return AppealSerializer if self.action == "list" else AppealDetailSerializer

    @extend_schema(parameters=[AppealFilterSerializer])
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        appeal = self.get_object()
        view = selectors.submitter_view(request.user, appeal)
        if view.is_full and not appeal.anonymous:
            record_access_event(
                kind=AccessEventKind.UNMASKED_VIEW,
                request=request,
                user=request.user,
                detail=f"appeal {appeal.code} (api)",
            )
        serializer = AppealDetailSerializer(appeal, context={"request": request, "in_clear": True})
        return Response(serializer.data)

    def _run(self, request: Request, serializer_class, run) -> Response:
        appeal = self.get_object()
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        with audited_as(request), service_errors():
            try:
                run(appeal, data.validated_data)
            except PermissionDenied:
                raise Http404 from None
        fresh = selectors.appeal_detail(request.user).get(pk=appeal.pk)
        return Response(AppealDetailSerializer(fresh, context={"request": request}).data)

    @extend_schema(request=AcceptSerializer, responses=AppealDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk=None) -> Response:
        def run(appeal, data):
            instructor = None
            if data.get("instructor"):
                instructor = (
                    instructors_visible_to(request.user).filter(pk=data["instructor"]).first()
                )
                if instructor is None:
                    raise serializers.ValidationError(
                        {"instructor": [_("Choose an instructor you may see.")]}
                    )
            services.accept_appeal(
                appeal=appeal,
                actor=request.user,
                instructor=instructor,
                department=data.get("department", ""),
                note=data.get("note", ""),
            )

        return self._run(request, AcceptSerializer, run)

    @extend_schema(request=NoteSerializer, responses=AppealDetailSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk=None) -> Response:
        return self._run(
            request,
            NoteSerializer,
            lambda appeal, data: services.start_work(
                appeal=appeal, actor=request.user, note=data.get("note", "")
            ),
        )

    @extend_schema(request=AnswerSerializer, responses=AppealDetailSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk=None) -> Response:
        return self._run(
            request,
            AnswerSerializer,
            lambda appeal, data: services.answer(
                appeal=appeal, actor=request.user, text=data["text"], note=data.get("note", "")
            ),
        )

    @extend_schema(request=ResolveSerializer, responses=AppealDetailSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk=None) -> Response:
        return self._run(
            request,
            ResolveSerializer,
            lambda appeal, data: services.resolve_appeal(
                appeal=appeal,
                actor=request.user,
                resolution=data["resolution"],
                note=data.get("note", ""),
            ),
        )

    @extend_schema(request=RejectSerializer, responses=AppealDetailSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk=None) -> Response:
        return self._run(
            request,
            RejectSerializer,
            lambda appeal, data: services.reject_appeal(
                appeal=appeal,
                actor=request.user,
                reason=data["reason"],
                referral=data["referral"],
                note=data.get("note", ""),
            ),
        )

    @extend_schema(request=EscalateSerializer, responses=AppealDetailSerializer)
    @action(detail=True, methods=["post"])
    def escalate(self, request: Request, pk=None) -> Response:
        return self._run(
            request,
            EscalateSerializer,
            lambda appeal, data: services.escalate_appeal(
                appeal=appeal, actor=request.user, note=data["note"]
            ),
        )
