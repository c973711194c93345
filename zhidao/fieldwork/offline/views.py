"""Offline field work: the JSON sync endpoints the phone's queue posts to, the service worker,
the offline fallback page and the page listing what is still queued on this phone.

The sync endpoints are ordinary session views behind Django's CSRF check (the queue sends the
token from the cookie in X-CSRFToken). A submission is stored once per client UUID: the first
delivery answers 201, any repeat 200 with the same record.
"""

import hashlib
import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhidao.fieldwork.offline import services as offline_services
from zhidao.fieldwork.offline.forms import CheckInSyncForm, CheckOutSyncForm, WorkRecordSyncForm
from zhidao.fieldwork.selectors import on_site_days_visible_to

# The app shell the service worker keeps for offline use (besides the offline page itself).
SHELL_STATIC = (
    "core/css/app.css",
    "core/js/app.js",
    "core/img/logo.svg",
    "fieldwork/offline/queue.js",
)


def _json_login_required(view):
    """Anonymous (or timed-out) callers get a JSON 403 the queue understands, not a login page:
    the submission stays queued until the instructor logs in again."""

    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            message = _("Your session has ended. Log in again and the queue will be sent.")
            return JsonResponse({"errors": {"__all__": [message]}, "login": True}, status=403)
        queued_by = request.headers.get("X-Zhidao-User")
        if queued_by and queued_by != str(request.user.pk):
            # Queued on this phone by someone else: it waits until that user logs in again.
            message = _("This was saved by another user on this phone.")
            return JsonResponse({"errors": {"__all__": [message]}, "login": True}, status=403)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _payload(request) -> tuple[QueryDict | dict, dict]:
    """Fields and files of a JSON or multipart body, with the same names as the forms."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise ValidationError(_("The submission could not be read."))
        return {key: "" if value is None else value for key, value in data.items()}, {}
    return request.POST, request.FILES


def _errors(error: ValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {
            ("__all__" if field is None else field): messages
            for field, messages in error.message_dict.items()
        }
    return {"__all__": error.messages}


def _bad(errors: dict) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=400)


def _url(name: str, pk: int, fallback: str) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return reverse(fallback)


def _answer(stored, url: str) -> JsonResponse:
    record = stored.record
    return JsonResponse(
        {
            "id": record.pk,
            "client_uuid": str(record.client_uuid),
            "url": url,
            "status": getattr(record, "status", "stored"),
            "created": stored.created,
        },
        status=201 if stored.created else 200,
    )


def _day_url(day) -> str:
    return _url("fieldwork:on_site_day_detail", day.pk, "fieldwork:on_site_day_list")


def _sync(request, form_class, store) -> JsonResponse:
    """Read the body, check the fields, store through `store(data, files)`: 201 the first time,
    200 on a repeat, 400 with the messages at their fields when the server refuses."""
    try:
        data, files = _payload(request)
    except ValidationError as error:
        return _bad(_errors(error))
    form = form_class(data)
    if not form.is_valid():
        return _bad(_form_errors(form))
    try:
        stored, url = store(form.cleaned_data, files)
    except ValidationError as error:
        return _bad(_errors(error))
    return _answer(stored, url)


def _files(files, name: str) -> list:
    return files.getlist(name) if files else []


@require_POST
@_json_login_required
def sync_check_in(request):
    def store(data, files):
        photos = _files(files, "photos")
        stored = offline_services.sync_check_in(actor=request.user, data=data, photos=photos)
        return stored, _day_url(stored.record)

    return _sync(request, CheckInSyncForm, store)


@require_POST
@_json_login_required
def sync_check_out(request):
    def store(data, files):
        # Another scope's day answers 404, like every page.
        day = get_object_or_404(
            on_site_days_visible_to(request.user), client_uuid=data["client_uuid"]
        )
        stored = offline_services.sync_check_out(
            actor=request.user, day=day, data=data, photos=_files(files, "photos")
        )
        return stored, _day_url(stored.record)

    return _sync(request, CheckOutSyncForm, store)


@require_POST
@_json_login_required
def sync_work_record(request):
    def store(data, files):
        day = None
        if data.get("on_site_day"):
            day = get_object_or_404(on_site_days_visible_to(request.user), pk=data["on_site_day"])
        stored = offline_services.sync_work_record(
            actor=request.user,
            data=data,
            on_site_day=day,
            attachments=_files(files, "attachments"),
        )
        url = _url("fieldwork:work_record_detail", stored.record.pk, "fieldwork:work_record_list")
        return stored, url

    return _sync(request, WorkRecordSyncForm, store)


def _form_errors(form) -> dict:
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


@require_GET
def service_worker(request):
    """The service worker script, rendered with the app shell's current static URLs: a new
    deployment changes the URLs, so the browser sees a new worker and refreshes its caches."""
    shell = [static(path) for path in SHELL_STATIC]
    offline_url = reverse("fieldwork:offline_page")
    version = hashlib.sha256("|".join([*shell, offline_url]).encode()).hexdigest()[:12]
    body = render_to_string(
        "fieldwork/offline/sw.js",
        {
            "config": json.dumps(
                {
                    "version": version,
                    "shell": [*shell, offline_url],
                    "offline": offline_url,
                    "queueScript": static("fieldwork/offline/queue.js"),
                    "pagePrefixes": ["/fieldwork/"],
                    "pages": [reverse("core:home")],
                    "never": ["/fieldwork/offline/sync/", "/fieldwork/sw.js"],
                }
            )
        },
    )
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline_page(request):
    """What the service worker shows when a page is neither online nor kept: no personal data,
    so it can be kept for everyone."""
    return render(request, "fieldwork/offline/offline.html")


@login_required
@require_GET
def offline_queue(request):
    """The submissions still queued on this phone; the list itself is read from IndexedDB by
    queue.js (the server does not know what has not arrived)."""
    return render(request, "fieldwork/offline/queue.html")
