"""In-app notifications (站内通知): one row per recipient and cause, so a reminder sent twice
for the same cause (a task that runs twice) creates nothing new."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhidao.core.crypto import EncryptedCharField
from zhidao.core.scoping import ScopedManager, Scoping, roles


class NotificationKind(models.TextChoices):
    ONSITE_REMINDER = "onsite_reminder", _("On-site day reminder")
    REPORT_DUE = "report_due", _("Quarterly report due soon")
    REPORT_OVERDUE = "report_overdue", _("Quarterly report overdue")
    DAILY_DIGEST = "daily_digest", _("Daily digest")
    APPEAL_ESCALATED = "appeal_escalated", _("Appeal escalated")
    # Hand-offs: somebody else's write that is now one's own to act on (issue 12).
    REPORT_SUBMITTED = "report_submitted", _("Quarterly report submitted")
    REPORT_RETURNED = "report_returned", _("Quarterly report returned")
    REPORT_APPROVED = "report_approved", _("Quarterly report approved")
    FINDING_RAISED = "finding_raised", _("Finding raised")
    FINDING_ANSWERED = "finding_answered", _("Finding answered")
    FINDING_VERIFIED = "finding_verified", _("Finding verified")
    DAY_CONFIRMED = "day_confirmed", _("On-site day confirmed")
    DAY_DISPUTED = "day_disputed", _("On-site day disputed")
    LEAVE_DECIDED = "leave_decided", _("Leave decided")
    APPEAL_ASSIGNED = "appeal_assigned", _("Appeal assigned")
    APPEAL_DUE_SOON = "appeal_due_soon", _("Appeal deadline near")
    RATING_RECEIVED = "rating_received", _("Rating received")
    EXPORT_FINISHED = "export_finished", _("Export finished")
    IMPORT_FINISHED = "import_finished", _("Import finished")
    OTHER = "other", _("Other")


class KindGroup(models.TextChoices):
    """What a user chooses channels for (the preferences page): a few groups, not 20 kinds."""

    REPORTS = "reports", pgettext_lazy("notification group", "Quarterly reports")
    FIELDWORK = "fieldwork", pgettext_lazy("notification group", "On-site days and findings")
    LEAVE = "leave", pgettext_lazy("notification group", "Leave")
    APPEALS = "appeals", pgettext_lazy("notification group", "Workers' appeals")
    EVALUATION = "evaluation", pgettext_lazy("notification group", "Ratings and evaluation")
    SYSTEM = "system", pgettext_lazy("notification group", "Exports, imports and digests")


GROUP_OF_KIND: dict[str, str] = {
    NotificationKind.ONSITE_REMINDER: KindGroup.FIELDWORK,
    NotificationKind.REPORT_DUE: KindGroup.REPORTS,
    NotificationKind.REPORT_OVERDUE: KindGroup.REPORTS,
    NotificationKind.DAILY_DIGEST: KindGroup.SYSTEM,
    NotificationKind.APPEAL_ESCALATED: KindGroup.APPEALS,
    NotificationKind.REPORT_SUBMITTED: KindGroup.REPORTS,
    NotificationKind.REPORT_RETURNED: KindGroup.REPORTS,
    NotificationKind.REPORT_APPROVED: KindGroup.REPORTS,
    NotificationKind.FINDING_RAISED: KindGroup.FIELDWORK,
    NotificationKind.FINDING_ANSWERED: KindGroup.FIELDWORK,
    NotificationKind.FINDING_VERIFIED: KindGroup.FIELDWORK,
    NotificationKind.DAY_CONFIRMED: KindGroup.FIELDWORK,
    NotificationKind.DAY_DISPUTED: KindGroup.FIELDWORK,
    NotificationKind.LEAVE_DECIDED: KindGroup.LEAVE,
    NotificationKind.APPEAL_ASSIGNED: KindGroup.APPEALS,
    NotificationKind.APPEAL_DUE_SOON: KindGroup.APPEALS,
    NotificationKind.RATING_RECEIVED: KindGroup.EVALUATION,
    NotificationKind.EXPORT_FINISHED: KindGroup.SYSTEM,
    NotificationKind.IMPORT_FINISHED: KindGroup.SYSTEM,
    NotificationKind.OTHER: KindGroup.SYSTEM,
}


def group_of(kind: str) -> str:
    return GROUP_OF_KIND.get(kind, KindGroup.SYSTEM)


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


class ChannelAddress(models.Model):
    """Where the user's own enterprise-chat messages go. The mobile phone for SMS is the
    account's own (User.phone, encrypted); the chat user ids are encrypted too, since they
    often are the phone number or the staff number."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="channel_address",
    )
    wecom_userid = EncryptedCharField(_("WeCom user id"), blank=True, default="")
    dingtalk_userid = EncryptedCharField(_("DingTalk user id"), blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()
    scoping = Scoping(
        roles=roles(view=set(), change=set()),
        also=lambda user, scope, action: Q(user=user) if user.is_authenticated else None,
    )

    class Meta:
        verbose_name = _("channel address")
        verbose_name_plural = _("channel addresses")

    def __str__(self) -> str:
        return str(self.user)


class ChannelPreference(models.Model):
    """The user's choice for one group of kinds and one channel; a missing row means the
    channel's default (channels.Channel.default_enabled). In-app has no row: always on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="channel_preferences",
    )
    group = models.CharField(_("kind of notification"), max_length=32, choices=KindGroup.choices)
    channel = models.CharField(_("channel"), max_length=32)
    enabled = models.BooleanField(_("enabled"), default=True)

    objects = ScopedManager()
    scoping = Scoping(
        roles=roles(view=set(), change=set()),
        also=lambda user, scope, action: Q(user=user) if user.is_authenticated else None,
    )

    class Meta:
        verbose_name = _("channel preference")
        verbose_name_plural = _("channel preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "group", "channel"], name="channel_preference_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.group} · {self.channel}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("delivery", "Waiting to be sent")
    SENT = "sent", pgettext_lazy("delivery", "Sent")
    FAILED = "failed", pgettext_lazy("delivery", "Failed")


def _recipient_in_admin_subtree(user, scope, action) -> Q | None:
    """A recipient belongs to the federations of its grants (handled by `federation`), of its
    union officer grants' unions and of its instructor record."""
    paths = scope.admin_paths
    if not paths:
        return None
    condition = Q()
    for path in paths:
        condition |= Q(notification__recipient__instructor__federation__path__startswith=path)
        condition |= Q(
            pk__in=Delivery.objects.filter(
                notification__recipient__role_grants__union__federation__path__startswith=path
            ).values("pk")
        )
    return condition


class Delivery(models.Model):
    """One notification through one outside channel (e-mail, SMS, 企业微信, 钉钉): tried once
    after the commit, retried with backoff until it is sent or gives up; federation admins see
    the failed ones of their subtree's users and can try again."""

    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    channel = models.CharField(_("channel"), max_length=32)
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()
    # Federation admins: the deliveries to the users of their subtree (a to-many path: a
    # recipient with several grants is still one row).
    scoping = Scoping(
        federation="notification__recipient__role_grants__federation__path",
        roles=roles(view={"admin"}, change={"admin"}),
        also=_recipient_in_admin_subtree,
    )

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="delivery_once_per_channel"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} · {self.channel} · {self.status}"
