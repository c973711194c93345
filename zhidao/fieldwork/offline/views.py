"""Offline field work: the service worker, the offline fallback page and the page listing what
is still queued on this phone. The queue itself posts to the same REST endpoints as every other
client (/api/on-site-days/, /api/work-records/), with the client UUID as its idempotency key."""

import hashlib
import json

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

from zhidao.core.permissions import permission_required, public

# The app shell the service worker keeps for offline use (besides the offline page itself).
SHELL_STATIC = (
    "core/css/app.css",
    "core/js/app.js",
    "core/img/logo.svg",
    "fieldwork/offline/queue.js",
)

# The pages an instructor needs on site, kept for offline use when the worker installs.
OFFLINE_PAGES = ("fieldwork:check_in", "fieldwork:work_record_create", "fieldwork:offline_queue")


@public
@require_GET
def service_worker(request):
    """The service worker script, rendered with the app shell's current static URLs: a new
    deployment changes the URLs, so the browser sees a new worker and refreshes its caches."""
    shell = [static(path) for path in SHELL_STATIC]
    offline_url = reverse("fieldwork:offline_page")
    # What the worker shows when the page a stored save leads to cannot load: it says the save
    # arrived, so nobody saves twice.
    offline_stored_url = f"{offline_url}?stored=1"
    version = hashlib.sha256("|".join([*shell, offline_stored_url]).encode()).hexdigest()[:12]
    body = render_to_string(
        "fieldwork/offline/sw.js",
        {
            "config": json.dumps(
                {
                    "version": version,
                    "shell": [*shell, offline_url],
                    "offline": offline_url,
                    "offlineStored": offline_stored_url,
                    # The instructor's pages kept at install, before any visit.
                    "keep": [reverse(name) for name in OFFLINE_PAGES],
                    "queueScript": static("fieldwork/offline/queue.js"),
                    "csrfUrl": reverse("api:csrf"),
                    "pagePrefixes": ["/fieldwork/"],
                    "pages": [reverse("core:home")],
                    "never": ["/api/", "/fieldwork/sw.js"],
                }
            )
        },
    )
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@public
@require_GET
def offline_page(request):
    """What the service worker shows when a page is neither online nor kept: no personal data,
    so it can be kept for everyone. With ?stored=1 it first says that the save just made has
    been stored on the server (only the page after it could not be loaded)."""
    return render(
        request, "fieldwork/offline/offline.html", {"stored": request.GET.get("stored") == "1"}
    )


@require_GET
@permission_required("fieldwork.view_offline_queue")
def offline_queue(request):
    """The submissions still queued on this phone; the list itself is read from IndexedDB by
    queue.js (the server does not know what has not arrived)."""
    return render(request, "fieldwork/offline/queue.html")
