"""Error pages: the API's addresses answer in the API's own format."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework.exceptions import NotFound

from .middleware import API_PREFIX


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """An /api/ address that no route matches (a ticket code with a character the route does
    not take, a misspelt endpoint) is a JSON 404 like the endpoints' own, not an HTML page."""
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)
