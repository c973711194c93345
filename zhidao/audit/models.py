"""Access events: logins, failed logins, logouts, exports and admins' acts on accounts.

django-auditlog records create/update/delete of the domain models; it has no notion of
authentication or of data leaving the system, which SECURITY.md "Audit" also asks to log.
The log is append-only for the application: a saved event cannot be changed or deleted
through the ORM (the admin shows it read-only to superusers).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AccessEventKind(models.TextChoices):
    LOGIN = "login", pgettext_lazy("access event", "Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOCKED_OUT = "locked_out", _("Failed login, locked out")
    LOGOUT = "logout", pgettext_lazy("access event", "Logged out")
    EXPORT = "export", _("Exported data")
    UNMASKED_VIEW = "unmasked_view", _("Viewed personal data in clear")
    # An admin's acts on another account (people/services.py); the account is in the detail.
    ACCOUNT_CREATED = "account_created", _("Created an account")
    ACCOUNT_CHANGED = "account_changed", _("Changed an account")
    ROLE_GRANTED = "role_granted", _("Granted a role")
    ROLE_REVOKED = "role_revoked", _("Revoked a role")
    ACCOUNT_DISABLED = "account_disabled", _("Deactivated an account")
    ACCOUNT_ENABLED = "account_enabled", _("Reactivated an account")
    PASSWORD_RESET = "password_reset", _("Reset a password")
    ACCOUNT_UNLOCKED = "account_unlocked", _("Unlocked an account")


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit record."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Access events cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Access events cannot be deleted.")


class AccessEvent(models.Model):
    kind = models.CharField(_("event"), max_length=16, choices=AccessEventKind.choices)
    # Kept when the account is deleted later: the username below still says who it was.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_events",
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=255, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("access event")
        verbose_name_plural = _("access events")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="access_event_time"),
            models.Index(fields=["user", "-created_at"], name="access_event_user_time"),
            models.Index(fields=["kind", "-created_at"], name="access_event_kind_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.username}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Access events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Access events cannot be deleted.")
