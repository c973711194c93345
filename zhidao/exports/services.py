"""Background exports: start one, write its file, deliver it to the inbox, delete it when old."""

import logging
import tempfile
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhidao.accounts.models import User
from zhidao.core import exports as list_exports
from zhidao.core.scoping import unguarded_call, use_case
from zhidao.notifications.models import NotificationKind
from zhidao.notifications.services import notify

from .models import ExportFile, ExportStatus

logger = logging.getLogger(__name__)

DEFAULT_FILE_DAYS = 7


def file_days() -> int:
    return getattr(settings, "EXPORT_FILE_DAYS", DEFAULT_FILE_DAYS)


def _queue_build(export_file_id: int) -> None:
    from .tasks import build_export

    try:
        build_export.delay(export_file_id)
    except Exception:  # the broker is down: the request stays pending, the cleanup removes it
        logger.exception("export %s: could not be queued", export_file_id)


@use_case
def start_background_export(
    *, user: User, export: list_exports.ListExport, query: str
) -> ExportFile:
    """Record the request; its file is written by a task once this transaction commits."""
    export_file = ExportFile(
        user=user,
        list_key=export.key,
        query=query[:2000],
        filename=list_exports.download_name(export.title, user),
    )
    export_file.full_clean(exclude=["file"])
    export_file.save()
    export_file_id = export_file.pk
    transaction.on_commit(lambda: _queue_build(export_file_id), robust=True)
    return export_file


@unguarded_call
def build_export_file(*, export_file_id: int) -> ExportFile | None:
    """Write the file of a pending export and tell its requester (failure included)."""
    export_file = (
        ExportFile.objects.unscoped()
        .select_related("user")
        .filter(pk=export_file_id, status=ExportStatus.PENDING)
        .first()
    )
    if export_file is None:
        return None
    export = list_exports.get_export(export_file.list_key)
    user = export_file.user
    try:
        if export is None or not user.is_active or not user.has_perm(export.permission):
            raise PermissionError(f"{export_file.list_key}: not available to {user}")
        queryset = list_exports.filtered(export, user, QueryDict(export_file.query))
        workbook, count = list_exports.fill_workbook(export, user, queryset)
        with tempfile.TemporaryFile() as target:
            workbook.save(target)
            target.seek(0)
            export_file.file.save(f"{export_file.pk}.xlsx", File(target), save=False)
    except Exception as error:
        logger.exception("export %s failed", export_file.pk)
        export_file.status = ExportStatus.FAILED
        export_file.error = str(error)[:2000]
        export_file.finished_at = timezone.now()
        export_file.save(update_fields=["status", "error", "finished_at"])
        notify(
            user,
            kind=NotificationKind.EXPORT_FINISHED,
            cause_key=f"export:{export_file.pk}",
            title=_("The export %(name)s could not be made") % {"name": export_file.filename},
            body=_("Please try again, or narrow the list with its filters."),
        )
        return export_file
    export_file.row_count = count
    export_file.status = ExportStatus.DONE
    export_file.finished_at = timezone.now()
    export_file.save(update_fields=["file", "row_count", "status", "finished_at"])
    notify(
        user,
        kind=NotificationKind.EXPORT_FINISHED,
        cause_key=f"export:{export_file.pk}",
        title=_("Your export is ready: %(name)s") % {"name": export_file.filename},
        body=_("%(count)s rows. The file can be downloaded for %(days)s days.")
        % {"count": count, "days": file_days()},
        link=reverse("exports:download", args=[export_file.pk]),
    )
    return export_file


@unguarded_call
def delete_expired_exports(*, now: datetime | None = None) -> int:
    """Delete the files (and their rows) older than EXPORT_FILE_DAYS days."""
    cutoff = (now or timezone.now()) - timedelta(days=file_days())
    expired = list(ExportFile.objects.unscoped().filter(created_at__lt=cutoff))
    for export_file in expired:
        if export_file.file:
            export_file.file.delete(save=False)
        export_file.delete()
    return len(expired)
