"""The API token: a username and password in, a token out, under the same lockout as the
login page (django-axes)."""

from axes.helpers import get_lockout_message
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.middleware.csrf import get_token
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import second_factor, services
from .forms import _address
from .tokens import token_expires_at


class ObtainTokenView(ObtainAuthToken):
    # No session authentication here: a token client has no CSRF cookie to send.
    authentication_classes = ()
    # Open to anyone: it is the way in (locked out like the login page).
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["auth"],
        summary="Obtain the API token",
        description=(
            "The token expires API_TOKEN_DAYS days after it was issued (`expires`). An account "
            "that logs in with a second factor sends its current code as `otp`."
        ),
        responses={
            200: ObtainAuthToken.serializer_class,
            400: OpenApiResponse(description="Wrong username or password."),
            429: OpenApiResponse(description="Too many failed attempts: locked out for a while."),
        },
    )
    def post(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            # AuthTokenSerializer passes this DRF request to authenticate(), so axes flags the
            # lockout on it, where AxesMiddleware (which sees the Django request) cannot.
            if getattr(request, "axes_locked_out", False):
                return Response(
                    {"detail": get_lockout_message()}, status=settings.AXES_HTTP_RESPONSE_CODE
                )
            raise ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        if not second_factor.login_address_allowed(user, _address(request)):
            return Response(
                {"detail": _("Administrators cannot log in from this network.")}, status=403
            )
        if second_factor.is_asked(user) and not second_factor.verify_code(
            user, str(request.data.get("otp") or "")
        ):
            # The password was right: axes' failure count stays as it is, the code is throttled
            # by django-otp itself (each wrong code doubles the wait before the next).
            return Response(
                {
                    "otp": [
                        _("Enter the 6-digit code of your authenticator app (or a recovery code).")
                    ]
                },
                status=400,
            )
        # A token is a login: axes clears the failures and the login is recorded like any other.
        user_logged_in.send(sender=type(user), request=request, user=user)
        token = services.current_token(user=user)
        return Response({"token": token.key, "expires": token_expires_at(token)})


class RevokeTokenView(APIView):
    """The user's own API tokens end now (the token sent with this request too)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["auth"],
        summary="Revoke your API tokens",
        request=None,
        responses={
            200: inline_serializer("TokensRevoked", {"revoked": serializers.IntegerField()})
        },
    )
    def post(self, request: Request) -> Response:
        return Response({"revoked": services.revoke_tokens(user=request.user)})


class CsrfTokenView(APIView):
    """The session's current CSRF token, for a client that cannot read the cookie (the phone's
    service worker sending the offline queue after a new login); 403 when logged out."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["auth"],
        responses={200: inline_serializer("CsrfToken", {"csrf": serializers.CharField()})},
    )
    def get(self, request: Request) -> Response:
        return Response({"csrf": get_token(request)})
