"""Pieces every endpoint shares: scoped reads, admin-only writes through the services."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from auditlog.context import auditlog_value, set_actor
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.settings import api_settings

from zhidao.core.selectors import apply_search

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


@contextmanager
def service_errors() -> Iterator[None]:
    """A service's ValidationError becomes a 400 with its messages at the fields they name."""
    try:
        yield
    except DjangoValidationError as error:
        raise serializers.ValidationError(_serializer_errors(error)) from error


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


class FederationAdminWrites(permissions.BasePermission):
    """Everyone reads what their scope shows; writes follow the apps' rules (`add_<model>`,
    `change_<model>`): federation admins only, inside their own subtree.

    Detail writes are decided on the object, after the scoped lookup, so another scope's row
    stays a 404 for writers too.
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS or view.detail:
            return True
        return request.user.has_perm(_permission_name(view, "add"))

    def has_object_permission(self, request: Request, view: Any, obj: Model) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return request.user.has_perm(_permission_name(view, "change"), obj)


def _permission_name(view: Any, verb: str) -> str:
    options = view.get_queryset().model._meta
    return f"{options.app_label}.{verb}_{options.model_name}"


class ScopedReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List and detail through a scoped selector: another scope's row is a 404, never a 403.

    Subclasses build get_queryset() on their `*_visible_to` selector, with the related rows
    their serializer reads, so a list costs the same number of queries whatever its length.
    """

    permission_classes = [permissions.IsAuthenticated, FederationAdminWrites]

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


def for_request(selector: Selector) -> Callable[[Request | None], QuerySet]:
    """A django-filter choice queryset: what the selector gives the request's user."""
    return lambda request: selector(getattr(request, "user", None))


class SearchFilterSet(filters.FilterSet):
    """Adds `search`: name, pinyin initials, and the prefix of `search_prefix_fields`."""

    search = filters.CharFilter(
        method="filter_search", label=_("Name, its pinyin initials or a code prefix")
    )
    search_prefix_fields: tuple[str, ...] = ()

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return apply_search(queryset, value, extra_exact=self.search_prefix_fields)
