"""`/exports/<key>/`: the list page's rows as .xlsx, at once or, when there are many, in the
background with a notification; `/exports/files/<pk>/`: a background export's file, for the
user who asked for it."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zhidao.audit.models import AccessEventKind
from zhidao.audit.services import record_access_event
from zhidao.core import exports as list_exports
from zhidao.core.db_router import replica_reads
from zhidao.core.permissions import permission_required

from . import services
from .models import ExportFile, ExportStatus


def _list_permission(kwargs) -> str | None:
    export = list_exports.get_export(kwargs.get("key", ""))
    return export.permission if export is not None else None


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _back_to_list(export, query: str):
    try:
        url = reverse(export.list_url) if export.list_url else reverse("core:home")
    except NoReverseMatch:
        url = reverse("core:home")
    return redirect(f"{url}?{query}" if query else url)


@permission_required(_list_permission)
@require_GET
@replica_reads
def export_list(request, key: str):
    export = list_exports.get_export(key)
    assert export is not None  # the permission check answered 404 for an unknown key
    query = _query(request)
    rows = list_exports.filtered(export, request.user, request.GET, request)
    count = rows.count()
    if count > list_exports.sync_max_rows():
        _record_export(request, export, count, query)
        services.start_background_export(user=request.user, export=export, query=query)
        messages.info(
            request,
            _("The export is running in the background; you will be notified when it is done."),
        )
        return _back_to_list(export, query)
    _record_export(request, export, count, query)
    content, _count = list_exports.write_workbook(export, request.user, rows)
    name = list_exports.download_name(export.title, request.user)
    return list_exports.attachment_response(content, name, fallback=_fallback(export.key, name))


def _record_export(request, export, count: int, query: str) -> None:
    record_access_event(
        kind=AccessEventKind.EXPORT,
        request=request,
        user=request.user,
        detail=(
            _("%(what)s: %(count)s rows") % {"what": export.title, "count": count}
            + (f" ({query})" if query else "")
        )[:500],
    )


def _fallback(key: str, name: str) -> str:
    return f"{key}_{name.rsplit('_', 1)[-1]}"


@permission_required("exports.view_exportfile", ExportFile)
@require_GET
def download(request, pk: int):
    export_file = ExportFile.objects.visible_to(request.user).get(pk=pk)
    if export_file.status != ExportStatus.DONE or not export_file.file:
        raise Http404
    try:
        handle = export_file.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    record_access_event(
        kind=AccessEventKind.EXPORT,
        request=request,
        user=request.user,
        detail=_("Download of %(name)s") % {"name": export_file.filename},
    )
    response = FileResponse(handle, content_type=list_exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = list_exports.attachment_header(
        export_file.filename, fallback=_fallback(export_file.list_key, export_file.filename)
    )
    return response
