import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.translation import gettext as _

_LOGIN_AT = "zhidao_login_at"


class SessionLifetimeMiddleware:
    """Absolute session lifetime (12 h by default) on top of the 30-minute idle timeout.

    The idle timeout is Django's own cookie age renewed on every request; this caps how long a
    session may live however active it is (SECURITY.md "Sessions").
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(_LOGIN_AT)
            now = time.time()
            if started is None:
                request.session[_LOGIN_AT] = now
            elif now - started > settings.SESSION_ABSOLUTE_LIFETIME:
                logout(request)
                messages.info(request, _("Your session has expired. Please log in again."))
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)
