import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

LOGIN_AT_SESSION_KEY = "zhidao_login_at"
RENEWED_AT_SESSION_KEY = "zhidao_renewed_at"


def remember_login_time(request) -> None:
    """Called at login (accounts/signals.py): the absolute lifetime counts from here, and the
    login's own session write is the first renewal of the idle expiry."""
    now = time.time()
    request.session[LOGIN_AT_SESSION_KEY] = now
    request.session[RENEWED_AT_SESSION_KEY] = now


class SessionLifetimeMiddleware:
    """The 30-minute idle timeout, renewed at most once a minute, and the absolute lifetime
    (12 h by default) on top of it (SECURITY.md "Sessions").

    Django's SESSION_SAVE_EVERY_REQUEST would write the session row on every page view (issue
    14: one UPDATE per request, on the hottest pages). Here the session is marked modified only
    when the last renewal is older than SESSION_RENEW_AFTER, which moves the server-side expiry
    and the cookie's; an idle session therefore ends between 29 and 30 minutes after the last
    request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session = request.session
            started = session.get(LOGIN_AT_SESSION_KEY)
            now = time.time()
            if started is None:
                session[LOGIN_AT_SESSION_KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_LIFETIME:
                logout(request)
                messages.info(request, _("Your session has expired. Please log in again."))
                return redirect(settings.LOGIN_URL)
            renewed = session.get(RENEWED_AT_SESSION_KEY, 0)
            if now - renewed >= settings.SESSION_RENEW_AFTER:
                session[RENEWED_AT_SESSION_KEY] = now
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
                SECOND_FACTOR_PATH,
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


# What the login decided (accounts/signals.py), kept in the session so that a request reads no
# table to know it: whether this login needs a second factor ("verify" with the user's device,
# "enrol" for a required user with none yet), and the separated administrators' roles.
SECOND_FACTOR_SESSION_KEY = "zhidao_second_factor"
DUTIES_SESSION_KEY = "zhidao_duties"
SECOND_FACTOR_PATH = "/accounts/2fa/"


def remember_login_policy(request, user) -> None:
    """Called at login: what the session must pass (a second factor) and which administrator
    duties limit it."""
    from . import second_factor
    from .scope import scope_of

    if second_factor.is_enrolled(user):
        request.session[SECOND_FACTOR_SESSION_KEY] = "verify"
    elif second_factor.is_required(user):
        request.session[SECOND_FACTOR_SESSION_KEY] = "enrol"
    else:
        request.session.pop(SECOND_FACTOR_SESSION_KEY, None)
    duties = duties_of(scope_of(user))
    if duties:
        request.session[DUTIES_SESSION_KEY] = duties
    else:
        request.session.pop(DUTIES_SESSION_KEY, None)


def duties_of(scope) -> list[str]:
    """The separated administrators' duties the scope holds ("system", "security", "audit")."""
    return [
        name
        for name, held in (
            ("system", scope.is_system_admin),
            ("security", scope.is_security_admin),
            ("audit", scope.is_audit_admin),
        )
        if held
    ]


def _refuse(request, message: str):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=403)
    raise PermissionDenied(message)


class SecondFactorMiddleware:
    """A session whose login needs a second factor reaches nothing but the second-factor pages,
    logout and the language switch until it has passed one (django-otp's is_verified)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed_prefixes = None

    def _allowed(self, path: str) -> bool:
        if self._allowed_prefixes is None:
            self._allowed_prefixes = (
                SECOND_FACTOR_PATH,
                reverse("accounts:logout"),
                reverse("set_language"),
                settings.STATIC_URL,
            )
        return path.startswith(self._allowed_prefixes)

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            needed = request.session.get(SECOND_FACTOR_SESSION_KEY)
            if needed and not user.is_verified() and not self._allowed(request.path):
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": _("Pass the second factor of your login first.")}, status=403
                    )
                target = "accounts:otp_verify" if needed == "verify" else "accounts:otp_setup"
                url = reverse(target)
                if request.method == "GET" and request.path != reverse("core:home"):
                    url += "?" + urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
                return redirect(url)
        return self.get_response(request)


# The pages each separated administrator works on (三员分立), by URL name: the audit
# administrator reads, searches and exports the audit log and nothing else; the system
# administrator administers accounts and roles; the security administrator the security policy
# and the second factors. Their own login, password and second factor are everybody's.
_EVERYBODY = ("accounts:", "set_language", "api:csrf", "api:token", "api:token-revoke")
_DUTIES = {
    "audit": (
        "audit:entry_list",
        "audit:access_list",
        "exports:export:audit-log",
        "exports:export:access-events",
    ),
    "system": ("people:account_", "api:account-"),
    "security": ("people:security", "people:security_", "audit:retention"),
}
_LANDING = {
    "audit": "audit:entry_list",
    "system": "people:account_list",
    "security": "people:security",
}


def route_name(request) -> str:
    """The URL name the request goes to (an export with its list: exports:export:audit-log)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return ""
    name = match.view_name
    if name == "exports:export":
        name += ":" + str(match.kwargs.get("key", ""))
    return name


def duty_allows(duties, name: str) -> bool:
    allowed = [*_EVERYBODY, *(prefix for duty in duties for prefix in _DUTIES.get(duty, ()))]
    return any(
        name == prefix or (prefix.endswith((":", "_", "-")) and name.startswith(prefix))
        for prefix in allowed
    )


class SeparatedDutiesMiddleware:
    """A separated administrator's session opens only its duty's pages (403 elsewhere; the home
    page leads to the first of them). Static files and unknown addresses are left to Django."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        duties = (
            request.session.get(DUTIES_SESSION_KEY)
            if user is not None and user.is_authenticated
            else None
        )
        if duties and not request.path.startswith(settings.STATIC_URL):
            name = route_name(request)
            if name == "core:home":
                return redirect(_LANDING[duties[0]])
            if name and not duty_allows(duties, name):
                return _refuse(request, _("This page is not part of your administrator duties."))
        return self.get_response(request)
