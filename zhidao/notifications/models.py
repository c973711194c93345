"""In-app notifications (站内通知): one row per recipient and cause, so a reminder sent twice
for the same cause (a task that runs twice) creates nothing new."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhidao.core.scoping import ScopedManager, Scoping, roles


class NotificationKind(models.TextChoices):
    ONSITE_REMINDER = "onsite_reminder", _("On-site day reminder")
    REPORT_DUE = "report_due", _("Quarterly report due soon")
    REPORT_OVERDUE = "report_overdue", _("Quarterly report overdue")
    DAILY_DIGEST = "daily_digest", _("Daily digest")
    APPEAL_ESCALATED = "appeal_escalated", _("Appeal escalated")
    OTHER = "other", _("Other")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="inbox_notifications",
    )
    kind = models.CharField(
        _("kind"), max_length=32, choices=NotificationKind.choices, default=NotificationKind.OTHER
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    cause_key = models.CharField(_("cause"), max_length=200)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = ScopedManager()
    # One's own notifications only: anybody else's is a 404.
    scoping = Scoping(
        roles=roles(view=set(), change=set()),
        also=lambda user, scope, action: Q(recipient=user) if user.is_authenticated else None,
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "cause_key"], name="notification_once_per_cause"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
