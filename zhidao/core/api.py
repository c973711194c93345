"""Pieces every endpoint shares: scoped reads, the rules permission of each action, writes
through the services, a service's ValidationError as a 400."""

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from auditlog.context import auditlog_value, set_actor
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from zhidao.core.ratelimits import TooManyRequests

Selector = Callable[[Any], QuerySet]


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related id that must lie inside what the selector gives the requesting user.

    An id outside it answers "object does not exist", exactly like an id that does not exist,
    so the API never confirms that another scope's row is there.
    """

    def __init__(self, *, selector: Selector, **kwargs: Any) -> None:
        self.selector = selector
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        return self.selector(self.context["request"].user)


def keep_links_out_of_reach(
    serializer: serializers.ModelSerializer, field_name: str, chosen: list[Model]
) -> list[Model]:
    """On update, a list of links replaces only the rows the user may link.

    The user was never offered the other linked rows (a joint union may reach into another
    federation's subtree), so leaving them out of the list must not unlink them.
    """
    if serializer.instance is None:
        return chosen
    reachable = serializer.fields[field_name].child_relation.get_queryset()
    kept = getattr(serializer.instance, field_name).exclude(pk__in=reachable.values("pk"))
    return [*chosen, *kept]


class WallClockTimeSchema(OpenApiSerializerFieldExtension):
    """A time of day (an event's start, 14:30:00) is a wall-clock time in the federation's zone,
    written without an offset; the schema's default, format "time", is RFC 3339's full-time,
    which needs one, so every such answer broke its own schema."""

    target_class = "rest_framework.fields.TimeField"

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict:
        return {
            "type": "string",
            "format": "partial-time",
            "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$",
            "example": "14:30:00",
        }


def _serializer_errors(error: DjangoValidationError) -> dict:
    detail = serializers.as_serializer_error(error)
    if NON_FIELD_ERRORS in detail:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
    return detail


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, and: a service's ValidationError is a 400 with its messages at the fields
    they name (Django's PermissionDenied is already a 403, Http404 a 404); a 429 is in the
    user's language, worded by the throttle that refused (a public endpoint names the union
    hotline) or in general terms."""
    if isinstance(exc, DjangoValidationError):
        exc = serializers.ValidationError(_serializer_errors(exc))
    if isinstance(exc, Throttled) and not isinstance(exc, TooManyRequests):
        message = getattr(context.get("view"), "rate_limit_message", None)
        exc = TooManyRequests(wait=getattr(exc, "wait", None), detail=message)
    return drf_exception_handler(exc, context)


@contextmanager
def service_errors() -> Iterator[None]:
    """A service's ValidationError becomes a 400 with its messages at the fields they name."""
    try:
        yield
    except DjangoValidationError as error:
        raise serializers.ValidationError(_serializer_errors(error)) from error


# Sent by queue.js when the person waits on the form page for this answer (not when a queued
# item is delivered later, in the background).
FOREGROUND_HEADER = "X-Zhidao-Foreground"


def tell_the_page(request: Request, notes: Iterable[tuple[int, str]]) -> None:
    """Django messages for the page the browser opens next, when a form page sent this write
    and waits for it (the offline queue's foreground submit): the person then sees the same
    success message as after a plain form post. A queued item delivered later, or a token
    client, gets none, so no message turns up on an unrelated page."""
    if not request.headers.get(FOREGROUND_HEADER):
        return
    for level, text in notes:
        messages.add_message(request._request, level, text, fail_silently=True)


@contextmanager
def audited_as(request: Request) -> Iterator[None]:
    """Name the API user as the actor of the audit entries a write makes.

    AuditlogMiddleware reads request.user before the view runs; a token is checked only inside
    DRF, later, so without this a token client's writes would be logged with no actor.
    """
    current = auditlog_value.get(None)
    if current is None or current.get("actor") is not None or not request.user.is_authenticated:
        yield
        return
    with set_actor(
        request.user,
        remote_addr=current.get("remote_addr"),
        remote_port=current.get("remote_port"),
    ):
        yield


# The rules permission of the standard actions, by verb (`app.verb_model`).
STANDARD_VERBS = {
    "list": "view",
    "retrieve": "view",
    "create": "add",
    "update": "change",
    "partial_update": "change",
}


class RulesPermission(permissions.BasePermission):
    """Each action asks the apps' rules permission it is declared with (the same names the
    pages declare, `zhidao.core.permissions`).

    A viewset declares `permission_required = {action: "app.verb_model"}` (or, for an action
    answering GET and POST, `{action: {"GET": …, "POST": …}}`); the standard actions
    default to `view_`, `add_` and `change_` of the queryset's model. An action with no
    permission is refused. Actions on the collection ask without an object; actions on one
    row ask on the object, after the scoped lookup, so another scope's row stays a 404 and a
    role that sees it but may not act gets a 403.
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        if view.action in (None, "metadata"):
            return True  # a method the route does not have: the view answers 405
        permission = required_permission(view)
        if permission is None:
            return False
        if view.detail:
            return True  # decided on the object, after the scoped lookup
        return request.user.has_perm(permission)

    def has_object_permission(self, request: Request, view: Any, obj: Model) -> bool:
        permission = required_permission(view)
        return permission is not None and request.user.has_perm(permission, obj)


def required_permission(view: Any) -> str | None:
    """The rules permission the view's current action needs (None: not declared)."""
    declared = getattr(view, "permission_required", None) or {}
    if view.action in declared:
        permission = declared[view.action]
        if isinstance(permission, Mapping):  # an action with a GET and a POST
            method = view.request.method
            return permission.get("GET" if method == "HEAD" else method)
        return permission
    verb = STANDARD_VERBS.get(view.action)
    if verb is None or not hasattr(view, "get_queryset"):
        return None
    options = view.get_queryset().model._meta
    return f"{options.app_label}.{verb}_{options.model_name}"


class ScopedReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List and detail through a scoped selector: another scope's row is a 404, never a 403.

    Subclasses build get_queryset() on their `*_visible_to` selector, with the related rows
    their serializer reads, so a list costs the same number of queries whatever its length.
    """

    permission_classes = [permissions.IsAuthenticated, RulesPermission]

    def refetch(self, instance: Model) -> Model:
        """The row again, with the related rows and scoped prefetches the response shows."""
        return self.get_queryset().get(pk=instance.pk)


class ServiceUpdateMixin(mixins.UpdateModelMixin):
    """PUT/PATCH through `update_service(<model name>=instance, **changes)`."""

    update_service: Callable[..., Any]

    def perform_update(self, serializer: serializers.ModelSerializer) -> None:
        instance = serializer.instance
        with audited_as(self.request), service_errors():
            self.update_service(
                **{instance._meta.model_name: instance}, **serializer.validated_data
            )
        serializer.instance = self.refetch(instance)


class ServiceCreateMixin(mixins.CreateModelMixin):
    """POST through `create_service(**fields)`."""

    create_service: Callable[..., Model]

    def perform_create(self, serializer: serializers.ModelSerializer) -> None:
        with audited_as(self.request), service_errors():
            instance = self.create_service(**serializer.validated_data)
        serializer.instance = self.refetch(instance)


class ServiceViewSet(ServiceCreateMixin, ServiceUpdateMixin, ScopedReadViewSet):
    """Read, create and update; there is no DELETE: rows are deactivated through their status."""
