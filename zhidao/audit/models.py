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
    # A file sent as an attachment that no export event already covers (audit/middleware.py).
    DOWNLOAD = "download", _("Downloaded a file")
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


class ChainLink(models.Model):
    """One audit record's place in the hash chain (zhidao/audit/chain.py explains the chain).

    The audit records themselves (django-auditlog's LogEntry, AccessEvent) are not changed: the
    chain is a table of its own, one row per record, in the order the records were sealed.
    """

    seq = models.PositiveBigIntegerField(_("chain position"), unique=True)
    # "logentry" or "accessevent"; the record's id in its table (no foreign key: the chain must
    # outlive nothing but its own archive).
    record_type = models.CharField(_("record type"), max_length=16)
    record_id = models.BigIntegerField(_("record id"))
    # The record's actor when it was sealed: deleting an account sets the record's actor to
    # NULL (the only change the trigger allows), and the chain still knows who it was.
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    algorithm = models.CharField(_("algorithm"), max_length=16)
    prev_hash = models.CharField(_("previous hash"), max_length=128)
    hash = models.CharField(_("hash"), max_length=128)
    sealed_at = models.DateTimeField(_("sealed at"), default=timezone.now)

    class Meta:
        verbose_name = _("audit chain link")
        verbose_name_plural = _("audit chain links")
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "record_id"], name="chain_link_one_per_record"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.record_type}:{self.record_id}"


class ChainHead(models.Model):
    """The single row every seal locks: the last position and hash of the chain (or of the
    last archive, when everything sealed so far has been archived)."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=128, blank=True)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.seq}"


class AuditArchive(models.Model):
    """An archive file the archive command wrote: which stretch of the chain it holds.

    The verifier starts after the last archive: its last hash is the first remaining link's
    previous hash.
    """

    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    first_seq = models.PositiveBigIntegerField(_("first position"))
    last_seq = models.PositiveBigIntegerField(_("last position"))
    last_hash = models.CharField(_("last hash"), max_length=128)
    log_entries = models.PositiveIntegerField(_("change log entries"), default=0)
    access_events = models.PositiveIntegerField(_("access events"), default=0)
    cutoff = models.DateTimeField(_("records before"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("audit archive")
        verbose_name_plural = _("audit archives")
        ordering = ["-last_seq"]

    def __str__(self) -> str:
        return f"{self.file_name} (#{self.first_seq}–#{self.last_seq})"
