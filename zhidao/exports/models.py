"""A list export run in the background (more rows than a page should wait for): who asked, for
which list and query, and the file once it is written. The file is its requester's only."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhidao.core.scoping import ScopedManager, Scoping, roles


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ExportFile(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="export_files",
    )
    list_key = models.CharField(_("list"), max_length=64)
    query = models.CharField(_("filters"), max_length=2000, blank=True)
    filename = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to="exports/", blank=True)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ScopedManager()
    # One's own files only: anybody else's is a 404 (the superuser's included).
    scoping = Scoping(
        roles=roles(view=set(), change=set()),
        also=lambda user, scope, action: Q(user=user) if user.is_authenticated else None,
    )

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_at"], name="exportfile_created")]

    def __str__(self) -> str:
        return self.filename
