"""How often the public side may be used (SECURITY.md): appeals per address and per poster in an
hour, ticket look-ups per address. The counters are django-ratelimit's (core/ratelimits.py), one
per scope for the pages and the API alike: five appeals from one address are five, whichever way
they came. Every attempt counts, also one the form then refuses."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from rest_framework.request import Request

from zhidao.core.ratelimits import RateLimit, hashed_client_address, over_limit

# Scopes of settings.RATE_LIMITS.
SUBMISSIONS_PER_ADDRESS = "appeal_submit_address"
SUBMISSIONS_PER_POSTER = "appeal_submit_poster"
LOOKUPS_PER_ADDRESS = "ticket_lookup_address"

TOO_MANY_APPEALS = _(
    "Too many appeals were sent from here in the last hour. Please try again later, or call the "
    "union hotline 12351."
)
TOO_MANY_LOOKUPS = _("Too many look-ups from here. Please wait ten minutes and try again.")


def submission_over_limit(request: HttpRequest | Request, poster_token: str) -> bool:
    """Count one appeal for the address and one for the poster; True when either is over."""
    by_address = over_limit(request, SUBMISSIONS_PER_ADDRESS, hashed_client_address(request))
    by_poster = over_limit(request, SUBMISSIONS_PER_POSTER, poster_token)
    return by_address or by_poster


def lookup_over_limit(request: HttpRequest | Request) -> bool:
    return over_limit(request, LOOKUPS_PER_ADDRESS, hashed_client_address(request))


class SubmissionsPerAddress(RateLimit):
    scope = SUBMISSIONS_PER_ADDRESS
    message = TOO_MANY_APPEALS

    def ident(self, request: Request, view: Any) -> str | None:
        return hashed_client_address(request)


class SubmissionsPerPoster(RateLimit):
    scope = SUBMISSIONS_PER_POSTER
    message = TOO_MANY_APPEALS

    def ident(self, request: Request, view: Any) -> str | None:
        return view.kwargs.get("token")


class LookupsPerAddress(RateLimit):
    scope = LOOKUPS_PER_ADDRESS
    message = TOO_MANY_LOOKUPS

    def ident(self, request: Request, view: Any) -> str | None:
        return hashed_client_address(request)
