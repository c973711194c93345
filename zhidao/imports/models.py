"""An import: the uploaded file, its check (the preview) and, once confirmed, its result."""

from __future__ import annotations

import os

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhidao.core.scoping import ScopedManager, Scoping, roles

# The preview keeps this many rows to create or update, and this many cleaned cells; the
# errors are kept whole (a file with errors is fixed and uploaded again).
PREVIEW_ROWS = 200
PREVIEW_CLEANINGS = 500


class ImportStatus(models.TextChoices):
    CHECKING = "checking", pgettext_lazy("import", "Checking")
    CHECKED = "checked", pgettext_lazy("import", "Checked")
    IMPORTING = "importing", pgettext_lazy("import", "Importing")
    DONE = "done", pgettext_lazy("import", "Imported")
    FAILED = "failed", pgettext_lazy("import", "Failed")


def upload_path(instance: ImportJob, filename: str) -> str:
    stamp = timezone.now()
    extension = os.path.splitext(filename)[1].lower()[:8]
    return f"imports/{stamp:%Y/%m}/{instance.kind}-{stamp:%Y%m%d%H%M%S}{extension}"


class ImportJob(models.Model):
    kind = models.CharField(pgettext_lazy("import", "kind"), max_length=32)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="import_jobs",
    )
    # The uploader's outermost federation: admins of its subtree see the job. Empty for the
    # superuser's imports.
    federation = models.ForeignKey(
        "orgs.Federation",
        verbose_name=_("federation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to=upload_path)
    file_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.CHECKING
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("to create"), default=0)
    updated_count = models.PositiveIntegerField(_("to update"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    error_rows = models.PositiveIntegerField(_("rows with errors"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    failure = models.TextField(_("failure"), blank=True)
    # Login accounts the import created, with their one-time passwords, Fernet-encrypted until
    # the uploader has seen them once (then emptied).
    sealed_accounts = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ScopedManager()
    scoping = Scoping(federation="federation__path", roles=roles(view={"admin"}, change={"admin"}))

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name}"

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.CHECKING, ImportStatus.IMPORTING)

    @property
    def can_confirm(self) -> bool:
        return self.status == ImportStatus.CHECKED and not self.errors and self.total_rows > 0

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, self.processed_rows * 100 // self.total_rows)
