import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

LOGIN_AT_SESSION_KEY = "zhidao_login_at"


def remember_login_time(request) -> None:
    """Called at login (accounts/signals.py): the absolute lifetime counts from here."""
    request.session[LOGIN_AT_SESSION_KEY] = time.time()


class SessionLifetimeMiddleware:
    """Absolute session lifetime (12 h by default) on top of the 30-minute idle timeout.

    The idle timeout is Django's own: SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST moves
    the server-side expiry on every request. This caps how long a session may live however
    active it is (SECURITY.md "Sessions").
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(LOGIN_AT_SESSION_KEY)
            now = time.time()
            if started is None:
                request.session[LOGIN_AT_SESSION_KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_LIFETIME:
                logout(request)
                messages.info(request, _("Your session has expired. Please log in again."))
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """A user whose password an administrator set (must_change_password) changes it first.

    Every page but the password change page itself, logout and the static files sends such
    a user to the password change page (SECURITY.md "admins may force a change").
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed_prefixes = None

    def _allowed(self, path: str) -> bool:
        if self._allowed_prefixes is None:
            self._allowed_prefixes = (
                reverse("accounts:password_change"),
                reverse("accounts:logout"),
                reverse("set_language"),
                settings.STATIC_URL,
            )
        return path.startswith(self._allowed_prefixes)

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.must_change_password
            and not self._allowed(request.path)
        ):
            messages.warning(
                request, _("Please set a new password of your own before you continue.")
            )
            return redirect("accounts:password_change")
        return self.get_response(request)
