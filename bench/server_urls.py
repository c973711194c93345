"""The app's URLs plus the bench's bare view, mounted only by bench/server_settings.py."""

from django.http import HttpResponse
from django.urls import include, path

handler404 = "zhidao.core.errors.page_not_found"


def hello(request):
    # The baseline of the throughput check: the whole middleware stack, no query of its own.
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("__bench__/hello/", hello),
    path("", include("zhidao.urls")),
]
