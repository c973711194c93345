"""The API token: a username and password in, a token out, under the same lockout as the
login page (django-axes)."""

from axes.helpers import get_lockout_message
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.middleware.csrf import get_token
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class ObtainTokenView(ObtainAuthToken):
    # No session authentication here: a token client has no CSRF cookie to send.
    authentication_classes = ()
    # Open to anyone: it is the way in (locked out like the login page).
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["auth"],
        summary="Obtain the API token",
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
        # A token is a login: axes clears the failures and the login is recorded like any other.
        user_logged_in.send(sender=type(user), request=request, user=user)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


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
