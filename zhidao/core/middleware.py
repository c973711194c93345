"""Checks on the raw request that every entry path (pages, API, public QR pages) shares."""

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
_NUL = "\x00"


def carries_nul(request: HttpRequest) -> bool:
    """Whether the path, a query-string name or value, a header or a cookie holds a NUL."""
    if _NUL in request.path_info:
        return True
    for name, values in request.GET.lists():
        if _NUL in name or any(_NUL in value for value in values):
            return True
    if any(_NUL in name or _NUL in value for name, value in request.COOKIES.items()):
        return True  # the header spells it \000 in a quoted value, the parsed cookie holds it
    return any(
        _NUL in value
        for key, value in request.META.items()
        if key.startswith("HTTP_") and isinstance(value, str)
    )


class RejectNulMiddleware:
    """A NUL character in the address, a header or a cookie answers 400 Bad Request.

    PostgreSQL text cannot hold NUL, so any lookup or search that passed one on (`?q=`, a
    ticket code in the path, a session cookie) failed inside the database as a server error;
    SQLite stored it. No person types a NUL and an address is never data to keep, so the request
    is refused before anything reads it. Bodies are left to their fields: Django's and DRF's
    CharField refuse a NUL at the field, with a message, keeping the other values entered.

    It runs before the session middleware, which would otherwise look up such a cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if carries_nul(request):
            message = _("The request's address, a header or a cookie contains a NUL character.")
            if request.path_info.startswith(API_PREFIX):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
