"""REST endpoints of appeals. For staff: list and detail (the submitter masked per viewer, like the
pages) and the handling transitions as actions.

Reads go through the scoped selector (another scope: 404). The list shows contacts masked to
everyone; the detail shows them in clear only to the handler and rights-protection staff, and each
such response is written to the access log. The employer's union officer gets no identity fields at
all and the description with contact details removed.

For the public (no account): submit to a poster's token, follow by ticket code, reply, rate —
with the same validation (the page's form) and the same rate-limit counters as the pages.
"""

from django.http import Http404
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from zhidao.audit.models import AccessEventKind
from zhidao.audit.services import client_ip, record_access_event
from zhidao.core.api import RulesPermission, audited_as, service_errors
from zhidao.core.filters import ListFilterBackend
from zhidao.dispatch.selectors import instructors_visible_to

from . import selectors, services
from .filters import AppealFilterSet
from .models import (
    Appeal,
    AppealCategory,
    AppealEvent,
    AppealState,
    MessageSender,
    normalize_ticket_code,
)
from .public_forms import ANONYMOUS, NAMED, AppealForm
from .public_selectors import active_poster, appeal_for_ticket, retired_poster
from .public_services import (
    MAX_PHOTOS,
    MAX_TEXT,
    add_submitter_message,
    rate_appeal,
    submit_appeal,
)
from .throttles import LookupsPerAddress, SubmissionsPerAddress, SubmissionsPerPoster


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
        # "" while the appeal was never escalated.
        extra_kwargs = {"escalation_reason": {"allow_blank": True}}

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
    filter_backends = [ListFilterBackend]
    filterset_class = AppealFilterSet
    permission_classes = [permissions.IsAuthenticated, RulesPermission]
    permission_required = {
        step: f"appeals.{step}_appeal"
        for step in ("accept", "start", "answer", "resolve", "reject", "escalate")
    }

    def get_queryset(self):
        if self.action == "list":
            return selectors.appeal_list(self.request.user)
        return selectors.appeal_detail(self.request.user)

    def get_serializer_class(self):
        return AppealSerializer if self.action == "list" else AppealDetailSerializer

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
            run(appeal, data.validated_data)
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


# Public endpoints: no account, no session (so no CSRF), the same rate limits as the pages ----


class PublicAppealSubmitSerializer(serializers.Serializer):
    category = serializers.ChoiceField(AppealCategory.choices)
    description = serializers.CharField(max_length=MAX_TEXT)
    anonymous = serializers.BooleanField(
        help_text=_("True: no name or phone is kept. False: name, phone and consent are needed.")
    )
    name = serializers.CharField(required=False, allow_blank=True, max_length=50, write_only=True)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20, write_only=True)
    consent = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Agreement that the union uses the name and phone to handle this appeal."),
    )
    photos = serializers.ListField(
        child=serializers.ImageField(),
        required=False,
        max_length=MAX_PHOTOS,
        help_text=_("Up to 3 pictures of up to 5 MB each (multipart requests only)."),
    )


class TicketCodeSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Keep this code to follow the appeal."))


class PublicTimelineEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    text = serializers.CharField()


class PublicMessageSerializer(serializers.Serializer):
    sender = serializers.ChoiceField(MessageSender.choices)
    at = serializers.DateTimeField()
    text = serializers.CharField()


class PublicTicketSerializer(serializers.Serializer):
    """What the submitter sees: no staff names, no internal notes, no contact details."""

    code = serializers.CharField()
    organization_name = serializers.CharField(source="organization.name")
    category = serializers.ChoiceField(AppealCategory.choices)
    state = serializers.ChoiceField(AppealState.choices)
    created_at = serializers.DateTimeField()
    resolution = serializers.CharField()
    rejection_reason = serializers.CharField()
    referral = serializers.CharField()
    satisfaction = serializers.IntegerField(allow_null=True)
    can_reply = serializers.SerializerMethodField()
    can_rate = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    messages = serializers.SerializerMethodField()

    def get_can_reply(self, appeal: Appeal) -> bool:
        return appeal.state not in (AppealState.CLOSED, AppealState.REJECTED)

    def get_can_rate(self, appeal: Appeal) -> bool:
        return appeal.state == AppealState.RESOLVED

    @extend_schema_field(PublicTimelineEntrySerializer(many=True))
    def get_timeline(self, appeal: Appeal) -> list[dict]:
        return [{"at": event.at, "text": event.public_text} for event in appeal.public_events]

    @extend_schema_field(PublicMessageSerializer(many=True))
    def get_messages(self, appeal: Appeal) -> list[dict]:
        return [
            {"sender": message.sender, "at": message.at, "text": message.text}
            for message in appeal.messages.all()
        ]


class PublicReplySerializer(serializers.Serializer):
    text = serializers.CharField(max_length=MAX_TEXT)


class PublicRatingSerializer(serializers.Serializer):
    satisfaction = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=MAX_TEXT)


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class PublicEndpoint:
    """No authentication (hence no session and no CSRF check), open to anyone, within the rate
    limits of the public side (throttles.py)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    filter_backends: list = []
    pagination_class = None


class PublicPosterViewSet(PublicEndpoint, viewsets.ViewSet):
    """Submit an appeal to the organization of a poster's QR token."""

    lookup_field = "token"
    lookup_value_regex = "[A-Za-z0-9_-]+"
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    throttle_classes = [SubmissionsPerAddress, SubmissionsPerPoster]

    @extend_schema(
        auth=[],
        request=PublicAppealSubmitSerializer,
        responses={
            201: TicketCodeSerializer,
            400: OpenApiResponse(description=_("A field is missing or wrong.")),
            404: DetailSerializer,
            410: DetailSerializer,
            429: DetailSerializer,
        },
    )
    @action(detail=True, methods=["post"])
    def appeals(self, request: Request, token: str | None = None) -> Response:
        poster = active_poster(token or "")
        if poster is None:
            if retired_poster(token or "") is not None:
                return Response(
                    {"detail": _("This QR code has been replaced. Please scan the newest poster.")},
                    status=410,
                )
            raise Http404
        ip = client_ip(request)
        data = PublicAppealSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        # The same checks as the page: phone format, consent, picture content.
        form = AppealForm(
            {
                "category": values["category"],
                "description": values["description"],
                "identity": ANONYMOUS if values["anonymous"] else NAMED,
                "name": values.get("name", ""),
                "phone": values.get("phone", ""),
                "consent": "on" if values.get("consent") else "",
            },
            MultiValueDict({"photos": list(request.FILES.getlist("photos"))}),
        )
        if not form.is_valid():
            errors = form.errors.get_json_data()
            if "identity" in errors:
                errors["anonymous"] = errors.pop("identity")
            raise serializers.ValidationError(
                {field: [error["message"] for error in items] for field, items in errors.items()}
            )
        with service_errors():
            appeal = submit_appeal(
                organization=poster.organization, poster=poster, ip=ip, **form.submission()
            )
        return Response({"code": appeal.code}, status=201)


class PublicTicketViewSet(PublicEndpoint, viewsets.ViewSet):
    """Follow an appeal by its ticket code, add a message, rate the handling."""

    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9-]+"
    throttle_classes = [LookupsPerAddress]

    def _appeal(self, request: Request, code: str) -> Appeal | Response:
        canonical = normalize_ticket_code(code)
        appeal = appeal_for_ticket(canonical) if canonical else None
        if appeal is None:
            # One answer for a malformed code and an unknown one.
            return Response(
                {"detail": _("Not found. Check the ticket code and try again.")}, status=404
            )
        return appeal

    def _answer(self, request: Request, code: str, serializer_class, run) -> Response:
        found = self._appeal(request, code)
        if isinstance(found, Response):
            return found
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            run(found, data.validated_data)
        return Response(PublicTicketSerializer(appeal_for_ticket(found.code)).data)

    @extend_schema(
        auth=[],
        responses={200: PublicTicketSerializer, 404: DetailSerializer, 429: DetailSerializer},
    )
    def retrieve(self, request: Request, code: str | None = None) -> Response:
        found = self._appeal(request, code or "")
        if isinstance(found, Response):
            return found
        return Response(PublicTicketSerializer(found).data)

    @extend_schema(
        auth=[],
        request=PublicReplySerializer,
        responses={200: PublicTicketSerializer, 404: DetailSerializer, 429: DetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, code: str | None = None) -> Response:
        return self._answer(
            request,
            code or "",
            PublicReplySerializer,
            lambda appeal, data: add_submitter_message(appeal=appeal, text=data["text"]),
        )

    @extend_schema(
        auth=[],
        request=PublicRatingSerializer,
        responses={200: PublicTicketSerializer, 404: DetailSerializer, 429: DetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def rating(self, request: Request, code: str | None = None) -> Response:
        return self._answer(
            request,
            code or "",
            PublicRatingSerializer,
            lambda appeal, data: rate_appeal(
                appeal=appeal,
                satisfaction=data["satisfaction"],
                comment=data.get("comment", ""),
            ),
        )
