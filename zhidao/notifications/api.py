from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from zhidao.core.api import RulesPermission

from . import selectors, services
from .models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "link", "created_at", "read_at", "is_read"]
        read_only_fields = fields


class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The caller's own notifications, newest first; anybody else's is a 404."""

    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated, RulesPermission]
    permission_required = {
        "read": "notifications.change_notification",
        "read_all": "notifications.change_notification",
        "unread": "notifications.view_notification",
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        unread = self.request.query_params.get("unread") in ("1", "true")
        return selectors.inbox(self.request.user, unread_only=unread)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = services.mark_read(notification=self.get_object())
        return Response(self.get_serializer(notification).data)

    @extend_schema(
        request=None,
        responses=inline_serializer(
            "NotificationsMarkedRead", {"marked": serializers.IntegerField(help_text=_("count"))}
        ),
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.mark_all_read(recipient=request.user)})

    @extend_schema(
        responses=inline_serializer(
            "NotificationsUnread", {"unread": serializers.IntegerField(help_text=_("count"))}
        )
    )
    @action(detail=False, methods=["get"])
    def unread(self, request):
        return Response({"unread": selectors.unread_count(request.user)})
