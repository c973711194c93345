"""REST endpoints of federations, organizations and unions, and the owning-federation field
that other apps' endpoints use (their filters are the pages' ones, in filters.py)."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from stdnum.cn import uscc

from zhidao.accounts.scope import scope_of
from zhidao.core.api import (
    ScopedPrimaryKeyRelatedField,
    ServiceViewSet,
    keep_links_out_of_reach,
)
from zhidao.orgs import services
from zhidao.orgs.filters import FederationFilterSet, OrganizationFilterSet, UnionFilterSet
from zhidao.orgs.models import Federation, Organization, Union
from zhidao.orgs.selectors import (
    federations_administered_by,
    federations_visible_to,
    organizations_administered_by,
    organizations_visible_to,
    unions_administered_by,
    unions_visible_to,
)
from zhidao.orgs.validators import validate_credit_code


def owning_federation_field() -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(
        selector=federations_administered_by, help_text=_("A federation you administer.")
    )


class FederationSerializer(serializers.ModelSerializer):
    """A federation as read and edited; moving it to another parent is not offered here."""

    class Meta:
        model = Federation
        fields = ["id", "name", "short_name", "level", "parent", "path", "depth", "region_code"]
        read_only_fields = ["parent"]


class FederationCreateSerializer(FederationSerializer):
    parent = ScopedPrimaryKeyRelatedField(
        selector=federations_administered_by,
        allow_null=True,
        help_text=_("The federation the new one sits under; one you administer."),
    )

    def validate_parent(self, parent: Federation | None) -> Federation | None:
        # Only a superuser may start a new tree; an admin adds inside its own subtree.
        if parent is None and not scope_of(self.context["request"].user).is_superuser:
            raise serializers.ValidationError(_("Choose the parent federation."))
        return parent


class CreditCodeField(serializers.CharField):
    """Takes the code as people type it (spaces, dashes, lower case) and keeps its compact form."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(validators=[validate_credit_code], **kwargs)

    def to_internal_value(self, data: Any) -> str:
        return uscc.compact(super().to_internal_value(data))


class OrganizationSerializer(serializers.ModelSerializer):
    credit_code = CreditCodeField(label=Organization._meta.get_field("credit_code").verbose_name)
    federation = owning_federation_field()
    federation_name = serializers.CharField(source="federation.name", read_only=True)
    union = ScopedPrimaryKeyRelatedField(
        selector=unions_administered_by, allow_null=True, required=False
    )
    union_name = serializers.CharField(source="union.name", read_only=True, allow_null=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "credit_code",
            "kind",
            "sub_kind",
            "industry",
            "federation",
            "federation_name",
            "district",
            "address",
            "latitude",
            "longitude",
            "employee_count",
            "union",
            "union_name",
            "status",
            "created_at",
            "updated_at",
        ]


class UnionSerializer(serializers.ModelSerializer):
    federation = owning_federation_field()
    federation_name = serializers.CharField(source="federation.name", read_only=True)
    organizations = ScopedPrimaryKeyRelatedField(
        selector=organizations_administered_by,
        many=True,
        required=False,
        help_text=_("The organizations this union covers (several for a joint union)."),
    )

    class Meta:
        model = Union
        fields = [
            "id",
            "name",
            "federation",
            "federation_name",
            "is_joint",
            "founded_on",
            "chair_name",
            "member_count",
            "status",
            "organizations",
            "created_at",
            "updated_at",
        ]

    def validate_organizations(self, organizations: list[Organization]) -> list[Organization]:
        return keep_links_out_of_reach(self, "organizations", organizations)


@extend_schema(tags=["federations"])
class FederationViewSet(ServiceViewSet):
    filterset_class = FederationFilterSet
    ordering_fields = ["path", "name", "level"]
    create_service = staticmethod(services.create_federation)
    update_service = staticmethod(services.update_federation)

    def get_queryset(self) -> QuerySet[Federation]:
        return federations_visible_to(self.request.user).order_by("path")

    def get_serializer_class(self) -> type[serializers.ModelSerializer]:
        return FederationCreateSerializer if self.action == "create" else FederationSerializer


@extend_schema(tags=["organizations"])
class OrganizationViewSet(ServiceViewSet):
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilterSet
    ordering_fields = ["name", "credit_code", "employee_count", "created_at", "updated_at"]
    create_service = staticmethod(services.create_organization)
    update_service = staticmethod(services.update_organization)

    def get_queryset(self) -> QuerySet[Organization]:
        return (
            organizations_visible_to(self.request.user)
            .select_related("federation", "union")
            .order_by("name", "id")
        )


@extend_schema(tags=["unions"])
class UnionViewSet(ServiceViewSet):
    serializer_class = UnionSerializer
    filterset_class = UnionFilterSet
    ordering_fields = ["name", "member_count", "founded_on", "created_at"]
    create_service = staticmethod(services.create_union)
    update_service = staticmethod(services.update_union)

    def get_queryset(self) -> QuerySet[Union]:
        user = self.request.user
        # A joint union may cover organizations outside the reader's scope: list only the
        # ones the reader may see.
        visible_organizations = organizations_visible_to(user).only("id", "union_id")
        return (
            unions_visible_to(user)
            .select_related("federation")
            .prefetch_related(Prefetch("organizations", queryset=visible_organizations))
            .order_by("name", "id")
        )
