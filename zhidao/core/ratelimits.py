"""Rate limits (SECURITY.md) on django-ratelimit's counters.

Each request is one atomic add-or-increment in the shared cache (Redis INCR in production),
never a read, a check and a later write, so parallel requests cannot slip in between the check
and the count. The rates live in settings.RATE_LIMITS under a scope name, in django-ratelimit's
notation ("5/h", "20/10m"). Pages call `over_limit(request, scope, ident)`; API views list
`RateLimit` throttles (DRF's throttle interface) of the same scopes, so a page and an endpoint
of one scope draw on one counter. Counter keys never hold a raw IP address: `hash_address` is
an HMAC of it.
"""

import hashlib
import hmac
import math
from typing import Any

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_ratelimit.core import get_usage
from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle


def hash_address(ip: str | None) -> str | None:
    """The HMAC of an IP address: what an appeal keeps for 30 days against abuse, and what the
    counters are keyed by."""
    if not ip:
        return None
    return hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()


def hashed_client_address(request: HttpRequest | Request) -> str | None:
    """The client's address as axes and the audit log take it (REMOTE_ADDR unless a proxy count
    is configured: a client-sent X-Forwarded-For cannot pick its own counter), hashed."""
    address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    return hash_address(address)


def count(request: HttpRequest | Request, scope: str, ident: str | None) -> dict[str, Any] | None:
    """Count this request of `ident` (a hashed address, a poster token, a user) in `scope`:
    django-ratelimit's usage (count, limit, should_limit, time_left), or None when the scope has
    no rate or there is nobody to count."""
    rate = settings.RATE_LIMITS.get(scope)
    if not rate or not ident:
        return None
    return get_usage(
        request, group=scope, key=lambda _group, _request: ident, rate=rate, increment=True
    )


def over_limit(request: HttpRequest | Request, scope: str, ident: str | None) -> bool:
    """Count the request; True when it is over the scope's rate."""
    usage = count(request, scope, ident)
    return usage is not None and bool(usage["should_limit"])


class RateLimit(BaseThrottle):
    """A DRF throttle counted by django-ratelimit (not DRF's own request history, which is read,
    checked and written back). Subclasses name the scope and whom a request counts for."""

    scope = ""
    # The 429's text instead of the general one (e.g. where else to turn).
    message: str | Promise | None = None

    def __init__(self) -> None:
        self.time_left: int | None = None

    def ident(self, request: Request, view: Any) -> str | None:
        raise NotImplementedError

    def allow_request(self, request: Request, view: Any) -> bool:
        usage = count(request, self.scope, self.ident(request, view))
        if usage is None or not usage["should_limit"]:
            return True
        self.time_left = max(int(usage["time_left"]), 1)
        # The exception handler words the 429 with the first refusing throttle's message.
        if self.message and not hasattr(view, "rate_limit_message"):
            view.rate_limit_message = self.message
        return False

    def wait(self) -> float | None:
        return self.time_left


class AnonymousRateLimit(RateLimit):
    """Requests without an account, by address."""

    scope = "anon"

    def ident(self, request: Request, view: Any) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return hashed_client_address(request)


class UserRateLimit(RateLimit):
    """Requests of an account (session or token), by user."""

    scope = "user"

    def ident(self, request: Request, view: Any) -> str | None:
        if request.user and request.user.is_authenticated:
            return f"user:{request.user.pk}"
        return None


class TooManyRequests(Throttled):
    """A 429 worded in the user's language from start to end: DRF's own Throttled appends its
    "Expected available in N seconds" in English whatever the language (it fills in the number
    before it looks up the translation)."""

    def __init__(self, wait: float | None = None, detail: str | Promise | None = None) -> None:
        seconds = math.ceil(wait) if wait is not None else None
        text = str(detail) if detail else _("Too many requests. Please try again later.")
        if seconds:
            text = " ".join(
                (
                    text,
                    ngettext(
                        "You can try again in %(seconds)d second.",
                        "You can try again in %(seconds)d seconds.",
                        seconds,
                    )
                    % {"seconds": seconds},
                )
            )
        super().__init__(wait=None, detail=text)
        self.wait = seconds
