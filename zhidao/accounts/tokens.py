"""API tokens that expire (settings.API_TOKEN_DAYS after they were issued) and that their user or
the system administrator revokes (services.revoke_tokens)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.permissions import BasePermission


def token_expires_at(token):
    return token.created + timedelta(days=settings.API_TOKEN_DAYS)


def token_expired(token, now=None) -> bool:
    return (now or timezone.now()) >= token_expires_at(token)


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token, refused once it is older than API_TOKEN_DAYS days (and deleted then, so
    that a new one is issued at the next sign-in)."""

    def authenticate(self, request):
        """A separated administrator's token opens its duty's endpoints only, as its session
        does (SeparatedDutiesMiddleware sees no user in a token request)."""
        result = super().authenticate(request)
        if result is not None:
            from .middleware import duties_of, duty_allows, route_name
            from .scope import scope_of

            duties = duties_of(scope_of(result[0]))
            if duties and not duty_allows(duties, route_name(request._request)):
                raise PermissionDenied(_("This page is not part of your administrator duties."))
        return result

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            token.delete()
            raise AuthenticationFailed(_("The token has expired. Please sign in again."))
        if user.must_change_password:
            # As on the pages (PasswordChangeRequiredMiddleware): a password an administrator
            # set opens nothing until its user has chosen a new one.
            raise PermissionDenied(
                _("Your password was set by an administrator. Change it on the website first.")
            )
        return user, token


class SchemaReaders(BasePermission):
    """The API schema and docs: anybody where API_SCHEMA_PUBLIC (development), else logged-in
    users only (production)."""

    def has_permission(self, request, view) -> bool:
        if settings.API_SCHEMA_PUBLIC:
            return True
        return bool(request.user and request.user.is_authenticated)
