"""Account administration over the API: the same selectors, rules and services as the pages.

A one-time password is answered once, by the request that made it (create, reset-password);
it is stored nowhere in clear. The phone is written in clear and read back masked only.
"""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from zhidao.accounts.models import Role, RoleGrant, User
from zhidao.core.api import (
    ScopedPrimaryKeyRelatedField,
    ScopedReadViewSet,
    audited_as,
    service_errors,
)

from . import selectors, services
from .filters import AccountFilterSet
from .presentation import AccountRow, account_rows


class GrantSerializer(serializers.ModelSerializer):
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    federation_name = serializers.CharField(
        source="federation.name", read_only=True, allow_null=True, default=None
    )
    union_name = serializers.CharField(
        source="union.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = RoleGrant
        fields = [
            "id",
            "role",
            "role_display",
            "federation",
            "federation_name",
            "union",
            "union_name",
            "created_at",
        ]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class ScopedIdField(ScopedPrimaryKeyRelatedField):
    """The id of one of the user's federations or unions (an integer in the schema)."""


class GrantWriteSerializer(serializers.Serializer):
    # Every role is named in the schema (one enum with the grants' `role`); the instructor's is
    # refused by the service, which gives it with the instructor's record.
    role = serializers.ChoiceField(choices=Role.choices)
    federation = ScopedIdField(
        selector=selectors.grantable_federations,
        required=False,
        allow_null=True,
        help_text=_("For a federation admin, leader or rights-protection staff."),
    )
    union = ScopedIdField(
        selector=selectors.grantable_unions,
        required=False,
        allow_null=True,
        help_text=_("For a union officer."),
    )


class AccountSerializer(serializers.ModelSerializer):
    masked_phone = serializers.CharField(read_only=True, label=_("mobile phone (masked)"))
    phone = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=20, label=_("mobile phone")
    )
    grants = GrantSerializer(source="role_grants", many=True, read_only=True)
    is_locked = serializers.SerializerMethodField(label=_("locked out"))
    is_managed = serializers.SerializerMethodField(label=_("you may change it"))

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "phone",
            "masked_phone",
            "is_active",
            "must_change_password",
            "is_locked",
            "is_managed",
            "last_login",
            "date_joined",
            "grants",
        ]
        read_only_fields = [
            "username",
            "is_active",
            "must_change_password",
            "last_login",
            "date_joined",
        ]

    def _row(self, account: User) -> AccountRow | None:
        return self.context.get("rows", {}).get(account.pk)

    def get_is_locked(self, account: User) -> bool:
        row = self._row(account)
        return bool(row and row.locked)

    def get_is_managed(self, account: User) -> bool:
        row = self._row(account)
        return bool(row and row.managed)


class AccountCreateSerializer(GrantWriteSerializer):
    username = serializers.CharField(max_length=150)
    full_name = serializers.CharField(max_length=50)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20)


def _with_password(name: str) -> Any:
    return inline_serializer(
        name=name,
        fields={
            "account": AccountSerializer(),
            "one_time_password": serializers.CharField(
                help_text=_("Shown once; the account must change it at the next login.")
            ),
        },
    )


@extend_schema(tags=["accounts"])
class AccountViewSet(mixins.CreateModelMixin, ScopedReadViewSet):
    """The accounts of your federation's subtree (账号管理). Accounts that also hold a role
    outside it are listed read-only (`is_managed` false); superusers are never listed."""

    serializer_class = AccountSerializer
    filterset_class = AccountFilterSet
    ordering_fields = ["username", "last_login", "date_joined"]
    permission_required = {
        "list": "people.view_account",
        "retrieve": "people.view_account",
        "create": "people.add_account",
        "partial_update": "people.change_account",
        "deactivate": "people.change_account",
        "reactivate": "people.change_account",
        "reset_password": "people.change_account",
        "unlock": "people.change_account",
        "revoke_tokens": "people.change_account",
        "grants": "people.change_account",
        "revoke_grant": "people.change_account",
    }

    def get_queryset(self) -> QuerySet[User]:
        return selectors.account_detail(self.request.user).order_by("username", "id")

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        context.setdefault("rows", {})
        return context

    def _serialize(self, accounts: list[User]) -> Any:
        rows = {row.account.pk: row for row in account_rows(self.request.user, accounts)}
        return AccountSerializer(
            accounts, many=True, context={**self.get_serializer_context(), "rows": rows}
        ).data

    def _one(self, account: User) -> Any:
        return self._serialize([self.refetch(account)])[0]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        if page is not None:
            return self.get_paginated_response(self._serialize(list(page)))
        return Response(self._serialize(list(queryset)))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self._one(self.get_object()))

    @extend_schema(
        request=AccountCreateSerializer, responses={201: _with_password("AccountCreated")}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Create an account with its first role and a one-time password."""
        form = AccountCreateSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        with audited_as(request), service_errors():
            account, password = services.create_account(actor=request.user, **form.validated_data)
        return Response(
            {"account": self._one(account), "one_time_password": password},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=inline_serializer(
            name="AccountChange",
            fields={
                "full_name": serializers.CharField(required=False, max_length=50),
                "phone": serializers.CharField(required=False, allow_blank=True, max_length=20),
            },
        ),
        responses=AccountSerializer,
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change the full name or the phone."""
        account = self.get_object()
        form = AccountSerializer(account, data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        changes = {
            name: form.validated_data[name]
            for name in ("full_name", "phone")
            if name in form.validated_data
        }
        with audited_as(request), service_errors():
            services.update_account(actor=request.user, account=account, **changes)
        return Response(self._one(account))

    def _act(self, request: Request, act) -> Response:
        account = self.get_object()
        with audited_as(request), service_errors():
            act(actor=request.user, account=account)
        return Response(self._one(account))

    @extend_schema(request=None, responses=AccountSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request: Request, pk: str | None = None) -> Response:
        """The account can no longer log in; its sessions and tokens end at once."""
        return self._act(request, services.deactivate_account)

    @extend_schema(request=None, responses=AccountSerializer)
    @action(detail=True, methods=["post"])
    def reactivate(self, request: Request, pk: str | None = None) -> Response:
        return self._act(request, services.reactivate_account)

    @extend_schema(request=None, responses=AccountSerializer)
    @action(detail=True, methods=["post"])
    def unlock(self, request: Request, pk: str | None = None) -> Response:
        """Forget the failed logins that lock the username out."""
        return self._act(request, services.unlock_account)

    @extend_schema(request=None, responses=AccountSerializer)
    @action(detail=True, methods=["post"], url_path="revoke-tokens")
    def revoke_tokens(self, request: Request, pk: str | None = None) -> Response:
        """The account's API tokens stop working now (its sessions stay)."""
        return self._act(request, services.revoke_api_tokens)

    @extend_schema(request=None, responses=_with_password("PasswordReset"))
    @action(detail=True, methods=["post"], url_path="reset-password")
    def reset_password(self, request: Request, pk: str | None = None) -> Response:
        """A one-time password, answered once; the sessions and tokens of the account end."""
        account = self.get_object()
        with audited_as(request), service_errors():
            password = services.reset_password(actor=request.user, account=account)
        return Response({"account": self._one(account), "one_time_password": password})

    @extend_schema(request=GrantWriteSerializer, responses={201: GrantSerializer})
    @action(detail=True, methods=["post"])
    def grants(self, request: Request, pk: str | None = None) -> Response:
        """Grant a role with its scope (a federation, or a union for a union officer)."""
        account = self.get_object()
        form = GrantWriteSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        with audited_as(request), service_errors():
            grant = services.grant_role(actor=request.user, account=account, **form.validated_data)
        return Response(GrantSerializer(grant).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={204: None},
        parameters=[OpenApiParameter("grant_id", int, OpenApiParameter.PATH)],
    )
    @action(detail=True, methods=["delete"], url_path=r"grants/(?P<grant_id>\d+)")
    def revoke_grant(self, request: Request, pk: str | None = None, grant_id: str = "") -> Response:
        """Revoke one of the account's roles (an account keeps at least one)."""
        account = self.get_object()
        grant = get_object_or_404(
            RoleGrant.objects.select_related("user"), pk=grant_id, user=account
        )
        with audited_as(request), service_errors():
            services.revoke_role(actor=request.user, grant=grant)
        return Response(status=status.HTTP_204_NO_CONTENT)
