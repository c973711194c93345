"""REST endpoints of exchange events (registration, QR sign-in) and the case library.

Reads through the pages' scoped selectors (another scope's row is a 404); writes through the
same services: a ValidationError becomes a 400 at its field, a wrong role a 403.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
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
from zhidao.orgs.selectors import federations_administered_by, unions_visible_to

from . import selectors, services
from .filters import CaseFilterSet, EventFilterSet
from .models import Attendance, Case, CaseComment, Event, Post

# ----- events -----


class EventSerializer(serializers.ModelSerializer):
    registration_count = serializers.IntegerField(read_only=True)
    is_registered = serializers.BooleanField(read_only=True)
    has_attended = serializers.BooleanField(read_only=True)
    federation = ScopedPrimaryKeyRelatedField(
        selector=federations_administered_by, help_text=_("A federation you administer.")
    )
    host_union = ScopedPrimaryKeyRelatedField(
        selector=unions_visible_to, required=False, allow_null=True
    )

    class Meta:
        model = Event
        fields = [
            "id",
            *services.EVENT_FIELDS,
            "registration_count",
            "is_registered",
            "has_attended",
        ]


class SignInSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=64, help_text=_("The token of the event's QR code."))


class AttendanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attendance
        fields = ["id", "event", "user", "signed_in_at"]
        read_only_fields = fields


class PostSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.__str__", read_only=True)
    replies = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = ["id", "parent", "author", "author_name", "text", "created_at", "replies"]
        read_only_fields = ["id", "author", "author_name", "created_at", "replies"]
        extra_kwargs = {"parent": {"queryset": Post.objects.none(), "required": False}}

    def get_replies(self, post: Post) -> list[dict]:
        if post.parent_id is not None:
            return []
        return [
            {"id": r.id, "author_name": str(r.author), "text": r.text, "created_at": r.created_at}
            for r in post.replies.all()
        ]


class PostCreateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=4000)
    parent = serializers.IntegerField(required=False, allow_null=True)


def _board(request: Request, **target) -> Response:
    posts = selectors.board_posts(**target)
    if request.method == "GET":
        return Response(PostSerializer(posts, many=True).data)
    form = PostCreateSerializer(data=request.data)
    form.is_valid(raise_exception=True)
    parent = None
    if form.validated_data.get("parent"):
        parent = posts.filter(pk=form.validated_data["parent"]).first()
        if parent is None:
            raise serializers.ValidationError({"parent": [_("Choose a question of this board.")]})
    with audited_as(request), service_errors():
        post = services.add_post(
            author=request.user,
            text=form.validated_data["text"],
            parent=parent,
            **({} if parent else target),
        )
    return Response(PostSerializer(post).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["exchange events"])
class EventViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = EventSerializer
    filterset_class = EventFilterSet
    permission_classes = [permissions.IsAuthenticated, RulesPermission]
    permission_required = {
        "register": "exchange.attend_event",
        "cancel": "exchange.attend_event",
        "sign_in": "exchange.attend_event",
        "posts": {"GET": "exchange.view_event", "POST": "exchange.post_event"},
    }

    def get_queryset(self) -> QuerySet[Event]:
        return selectors.event_list(self.request.user)

    def perform_create(self, serializer: EventSerializer) -> None:
        with audited_as(self.request), service_errors():
            event = services.create_event(actor=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=event.pk)

    @extend_schema(request=None, responses={200: EventSerializer})
    @action(detail=True, methods=["post"])
    def register(self, request: Request, pk=None) -> Response:
        """Register for the event (before it starts)."""
        event = self.get_object()
        with audited_as(request), service_errors():
            services.register(event=event, user=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=event.pk)).data)

    @extend_schema(request=None, responses={200: EventSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk=None) -> Response:
        """Cancel your registration (before the event starts)."""
        event = self.get_object()
        with audited_as(request), service_errors():
            services.cancel_registration(event=event, user=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=event.pk)).data)

    @extend_schema(
        request=SignInSerializer,
        responses={
            201: AttendanceSerializer,
            200: OpenApiResponse(AttendanceSerializer, description=_("Already signed in.")),
            400: OpenApiResponse(description=_("A wrong code, or outside the time window.")),
            403: OpenApiResponse(description=_("Refused, with the reason.")),
        },
    )
    @action(detail=False, methods=["post"], url_path="sign-in")
    def sign_in(self, request: Request) -> Response:
        """Sign in with the token of the event's QR code: once, inside the time window."""
        form = SignInSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        with audited_as(request), service_errors():
            result = services.sign_in(token=form.validated_data["token"], user=request.user)
        return Response(
            AttendanceSerializer(result.attendance).data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )

    @extend_schema(methods=["GET"], responses=PostSerializer(many=True))
    @extend_schema(methods=["POST"], request=PostCreateSerializer, responses={201: PostSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def posts(self, request: Request, pk=None) -> Response:
        """The event's discussion board: questions with their replies; post a question or reply."""
        return _board(request, event=self.get_object())


# ----- cases -----


class CaseSerializer(serializers.ModelSerializer):
    useful_count = serializers.IntegerField(read_only=True)
    comment_count = serializers.IntegerField(read_only=True)
    union = ScopedPrimaryKeyRelatedField(
        selector=unions_visible_to, help_text=_("A union you guide.")
    )
    author_name = serializers.CharField(source="author.__str__", read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "title",
            "union",
            "tags",
            "text",
            "status",
            "author",
            "author_name",
            "federation",
            "published_at",
            "useful_count",
            "comment_count",
        ]
        read_only_fields = ["status", "author", "federation", "published_at"]


class ReviewSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class CommentSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.__str__", read_only=True)

    class Meta:
        model = CaseComment
        fields = ["id", "author", "author_name", "text", "created_at"]
        read_only_fields = ["id", "author", "author_name", "created_at"]


@extend_schema(tags=["case library"])
class CaseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CaseSerializer
    filterset_class = CaseFilterSet
    permission_classes = [permissions.IsAuthenticated, RulesPermission]
    permission_required = {
        "submit": "exchange.submit_case",
        "approve": "exchange.review_case",
        "return_to_author": "exchange.review_case",
        "useful": "exchange.mark_useful_case",
        "comments": {"GET": "exchange.view_case", "POST": "exchange.comment_case"},
        "posts": {"GET": "exchange.view_case", "POST": "exchange.post_case"},
    }

    def get_queryset(self) -> QuerySet[Case]:
        return selectors.case_list(self.request.user)

    def list(self, request: Request, *args, **kwargs) -> Response:
        """Cases you may see; `q` searches Chinese words (jieba tokens)."""
        return super().list(request, *args, **kwargs)

    def perform_create(self, serializer: CaseSerializer) -> None:
        with audited_as(self.request), service_errors():
            case = services.create_case(actor=self.request.user, **serializer.validated_data)
        serializer.instance = selectors.case_list(self.request.user).get(pk=case.pk)

    def _do(self, request: Request, use_case, **kwargs) -> Response:
        case = self.get_object()
        with audited_as(request), service_errors():
            use_case(case=case, **kwargs)
        return Response(self.get_serializer(selectors.case_list(request.user).get(pk=case.pk)).data)

    @extend_schema(request=None, responses={200: CaseSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk=None) -> Response:
        """Submit your draft or returned case for review."""
        return self._do(request, services.submit_case, actor=request.user)

    def _review(self, request: Request, use_case) -> Response:
        form = ReviewSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        comment = form.validated_data.get("comment", "")
        return self._do(request, use_case, actor=request.user, comment=comment)

    @extend_schema(request=ReviewSerializer, responses={200: CaseSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk=None) -> Response:
        """Publish a submitted case (admins of the author's federation subtree)."""
        return self._review(request, services.publish_case)

    @extend_schema(request=ReviewSerializer, responses={200: CaseSerializer})
    @action(detail=True, methods=["post"], url_path="return")
    def return_to_author(self, request: Request, pk=None) -> Response:
        """Return a submitted case to its author with a comment."""
        return self._review(request, services.return_case)

    @extend_schema(request=None, responses={200: CaseSerializer})
    @action(detail=True, methods=["post"])
    def useful(self, request: Request, pk=None) -> Response:
        """Mark the case useful (once per person)."""
        return self._do(request, services.mark_useful, user=request.user)

    @extend_schema(methods=["GET"], responses=CommentSerializer(many=True))
    @extend_schema(methods=["POST"], request=CommentSerializer, responses={201: CommentSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def comments(self, request: Request, pk=None) -> Response:
        """The case's comments; post one (published cases only)."""
        case = self.get_object()
        if request.method == "GET":
            rows = case.comments.select_related("author")
            return Response(CommentSerializer(rows, many=True).data)
        form = CommentSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        with audited_as(request), service_errors():
            comment = services.add_comment(
                case=case, author=request.user, text=form.validated_data["text"]
            )
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=PostSerializer(many=True))
    @extend_schema(methods=["POST"], request=PostCreateSerializer, responses={201: PostSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def posts(self, request: Request, pk=None) -> Response:
        """The case's discussion board."""
        return _board(request, case=self.get_object())
