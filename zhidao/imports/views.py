"""Pages of the imports: the hub, the upload of each kind, the job (progress, preview, result),
and the downloads (template, export, the uploaded file, the new accounts once)."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhidao.core.crypto import encrypt, fernet
from zhidao.core.permissions import permission_required
from zhidao.core.workbooks import XLSX_CONTENT_TYPE
from zhidao.exports import views as export_views

from . import selectors, services
from .accounts_workbook import accounts_workbook
from .kinds import all_kinds, get_kind
from .kinds.base import ImportKind
from .models import ImportJob, ImportStatus
from .reading import max_bytes, max_rows
from .template_workbook import build_template, template_filename

ERRORS_PER_PAGE = 50
# The new accounts' .xlsx may be fetched once, within this many seconds of the result page.
ACCOUNTS_DOWNLOAD_SECONDS = 600


def _accounts_session_key(job: ImportJob) -> str:
    return f"zhidao_import_accounts_{job.pk}"


def kind_or_404(key: str) -> ImportKind:
    kind = get_kind(key)
    if kind is None:
        raise Http404
    return kind


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


@require_GET
@permission_required("imports.use_imports")
def hub(request):
    waiting = request.GET.get("waiting") == "on"
    return render(
        request,
        "imports/hub.html",
        {
            "kinds": all_kinds(),
            "waiting": waiting,
            "jobs": (
                selectors.waiting_jobs(request.user)
                if waiting
                else selectors.recent_jobs(request.user)
            ),
        },
    )


@require_GET
@permission_required("imports.use_imports")
def template_download(request, kind):
    kind = kind_or_404(kind)
    return xlsx_response(build_template(kind), template_filename(kind))


@require_GET
@permission_required("imports.use_imports")
def export(request, kind):
    """The list export of the kind: at once, or in the background with a notification when it
    has more than EXPORT_SYNC_MAX_ROWS rows (zhidao/exports)."""
    kind = kind_or_404(kind)
    return export_views.export_list(request, key=kind.key)


@require_http_methods(["GET", "POST"])
@permission_required("imports.use_imports")
def upload(request, kind):
    kind = kind_or_404(kind)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.check_upload(
                actor=request.user, kind=kind, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("imports:job_detail", job.pk)
    return render(
        request,
        "imports/upload.html",
        {
            "kind": kind,
            "form": form,
            "max_mb": max_bytes() // 1024 // 1024,
            "max_rows": max_rows(),
            "sync_rows": services.sync_max_rows(),
            "required_headers": [str(c.header) for c in kind.columns if c.required],
        },
    )


@require_GET
@permission_required("imports.view_importjob", ImportJob)
def job_detail(request, pk):
    job = selectors.jobs_visible_to(request.user).get(pk=pk)
    kind = kind_or_404(job.kind)
    accounts = []
    if job.status == ImportStatus.DONE and job.sealed_accounts:
        accounts = services.take_accounts(actor=request.user, job=job)
        if accounts:
            request.session[_accounts_session_key(job)] = encrypt(json.dumps(accounts))
    errors_page = Paginator(job.errors, ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "imports/job.html",
        {
            "job": job,
            "kind": kind,
            "errors_page": errors_page,
            "page_obj": errors_page,
            "accounts": accounts,
            "can_confirm": job.can_confirm
            and request.user.has_perm("imports.change_importjob", job),
        },
    )


@require_GET
@permission_required("imports.view_importjob", ImportJob)
def job_progress(request, pk):
    job = ImportJob.objects.visible_to(request.user).defer("errors", "preview").get(pk=pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "processed": job.processed_rows,
            "total": job.total_rows,
            "percent": job.progress_percent,
            "running": job.is_running,
        }
    )


@require_POST
@permission_required("imports.change_importjob", ImportJob)
def job_confirm(request, pk):
    job = ImportJob.objects.visible_to(request.user).get(pk=pk)
    try:
        job = services.confirm_import(actor=request.user, job=job)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("imports:job_detail", job.pk)
    if job.status == ImportStatus.CHECKED:
        messages.error(request, _("The data changed since the check: see the errors below."))
    elif job.status == ImportStatus.FAILED:
        messages.error(request, job.failure)
    return redirect("imports:job_detail", job.pk)


@require_GET
@permission_required("imports.view_importjob", ImportJob)
def job_accounts(request, pk):
    """The .xlsx of the accounts the import created, once, shortly after the result page."""
    job = ImportJob.objects.visible_to(request.user).get(pk=pk)
    sealed = request.session.pop(_accounts_session_key(job), None)
    if not sealed:
        raise Http404
    try:
        accounts = json.loads(fernet().decrypt(sealed.encode(), ttl=ACCOUNTS_DOWNLOAD_SECONDS))
    except Exception:  # an expired or damaged entry
        raise Http404 from None
    kind = kind_or_404(job.kind)
    name = _("%(kind)s_accounts_%(job)d.xlsx") % {"kind": kind.label, "job": job.pk}
    return xlsx_response(accounts_workbook(accounts), name)


@require_GET
@permission_required("imports.view_importjob", ImportJob)
def job_file(request, pk):
    job = ImportJob.objects.visible_to(request.user).get(pk=pk)
    try:
        handle = job.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=job.file_name)
