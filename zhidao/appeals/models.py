"""Worker and enterprise appeals (诉求): poster tokens, appeals, their timeline, replies, photos.

Workers have no account: they reach an organization's public page through the QR code on a
poster, which carries an unguessable token (never the database id). Each appeal gets a ticket code
that is short, easy to read aloud and unguessable; the submitter follows the appeal with it.
"""

import math
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhidao.core.crypto import EncryptedCharField, mask_phone
from zhidao.core.models import TimeStampedModel
from zhidao.core.scoping import VIEW, ScopedManager, Scoping, roles
from zhidao.orgs.models import Federation, Organization

# Ticket codes: no 0/O, 1/I/L, so a code read over the phone cannot be misheard or mistyped.
TICKET_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TICKET_LENGTH = 9
TICKET_GROUP = 3
TICKET_ENTROPY_BITS = TICKET_LENGTH * math.log2(len(TICKET_ALPHABET))  # ≈ 44.6 bits


def format_ticket_code(raw: str) -> str:
    """'K7M49QXTZ' → 'K7M-49Q-XTZ'."""
    return "-".join(raw[i : i + TICKET_GROUP] for i in range(0, len(raw), TICKET_GROUP))


def new_ticket_code() -> str:
    return format_ticket_code(
        "".join(secrets.choice(TICKET_ALPHABET) for _ in range(TICKET_LENGTH))
    )


def normalize_ticket_code(text: str) -> str | None:
    """The canonical code for what a person typed (case, spaces and dashes forgiven), or None."""
    raw = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if len(raw) != TICKET_LENGTH or any(ch not in TICKET_ALPHABET for ch in raw):
        return None
    return format_ticket_code(raw)


def new_poster_token() -> str:
    return secrets.token_urlsafe(24)  # 192 bits


def upload_path(instance, filename: str) -> str:
    # Random names: the stored name never leaks what the person called the file.
    return f"appeals/{instance._meta.model_name}/{uuid.uuid4().hex}.jpg"


class AppealChannel(models.TextChoices):
    QR = "qr", _("QR poster")
    PHONE = "phone", _("Phone call")
    ON_SITE = "on_site", _("On site")
    HOTLINE_12351 = "hotline_12351", _("12351 hotline")
    LETTER = "letter", _("Letter")
    OTHER = "other", _("Other channel")


class AppealCategory(models.TextChoices):
    WAGES = "wages", _("Wages and wage arrears")
    LABOUR_CONTRACT = "labour_contract", _("Labour contract")
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance")
    WORKING_HOURS = "working_hours", _("Working hours and overtime")
    SAFETY_HEALTH = "safety_health", _("Occupational safety and health")
    WELFARE = "welfare", _("Welfare and benefits")
    MANAGEMENT_DISPUTE = "management_dispute", _("Dispute with management")
    ENTERPRISE_DIFFICULTY = "enterprise_difficulty", _("Enterprise difficulty")
    SUGGESTION = "suggestion", _("Suggestion")
    OTHER = "other", _("Other matter")


class AppealState(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    # Context: other apps translate a bare "In progress" differently (派驻中 for assignments).
    IN_PROGRESS = "in_progress", pgettext_lazy("appeal state", "In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Not accepted")


OPEN_STATES = (AppealState.RECEIVED, AppealState.ACCEPTED, AppealState.IN_PROGRESS)


class EscalationReason(models.TextChoices):
    ACCEPT_OVERDUE = "accept_overdue", _("Not accepted in time")
    ANSWER_OVERDUE = "answer_overdue", _("No first answer in time")
    RESOLVE_OVERDUE = "resolve_overdue", _("Not resolved in time")
    MANUAL = "manual", _("Escalated by staff")


class AppealSettings(models.Model):
    """A federation's service levels for appeals, in working days. Without a row the defaults
    below apply (accept within 1 working day, first answer within 3, resolve within 15)."""

    federation = models.OneToOneField(
        Federation,
        verbose_name=_("federation"),
        on_delete=models.CASCADE,
        related_name="appeal_settings",
    )
    accept_days = models.PositiveSmallIntegerField(_("accept within (working days)"), default=1)
    first_answer_days = models.PositiveSmallIntegerField(
        _("first answer within (working days)"), default=3
    )
    resolve_days = models.PositiveSmallIntegerField(
        _("resolve or escalate within (working days)"), default=15
    )
    auto_close_days = models.PositiveSmallIntegerField(
        _("close automatically after resolution (days)"), default=7
    )
    rights_department = models.CharField(
        _("rights-protection department"), max_length=100, default="权益保障部"
    )
    hotline = models.CharField(_("hotline"), max_length=30, default="12351")

    class Meta:
        verbose_name = _("appeal settings")
        verbose_name_plural = _("appeal settings")

    def __str__(self) -> str:
        return str(self.federation)


class PosterToken(models.Model):
    """The token in an organization's QR poster. Rotating creates a new one and retires the old:
    the old poster's link then shows a friendly "this code has been replaced" page."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="poster_tokens",
    )
    token = models.CharField(
        _("token"), max_length=64, unique=True, default=new_poster_token, editable=False
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        verbose_name = _("poster token")
        verbose_name_plural = _("poster tokens")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(active=True),
                name="one_active_poster_token_per_org",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} · {self.created_at:%Y-%m-%d}"


def instructor_appeals_q(instructor_id: int) -> Q:
    """The appeals an instructor sees: about an organization of any of its assignments, or
    assigned to it. One `pk IN (… UNION …)`: PostgreSQL reads each half from its index, where the
    OR of the two (a subquery OR a column) made it scan every appeal of the province, 24 ms at
    100,000 appeals on each instructor home (bench/pages.py at the full province tier)."""
    of_organizations = (
        Appeal._base_manager.filter(
            organization__assignment_links__assignment__instructor_id=instructor_id
        )
        .order_by()
        .values("pk")
    )
    assigned = (
        Appeal._base_manager.filter(assigned_instructor_id=instructor_id).order_by().values("pk")
    )
    return Q(pk__in=of_organizations.union(assigned))


class Appeal(TimeStampedModel):
    """One appeal from a worker or an enterprise, from any channel."""

    code = models.CharField(
        _("ticket code"), max_length=16, unique=True, default=new_ticket_code, editable=False
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    federation = models.ForeignKey(
        Federation,
        verbose_name=_("owning federation"),
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    poster = models.ForeignKey(
        PosterToken,
        verbose_name=_("poster"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appeals",
    )
    channel = models.CharField(
        _("channel"), max_length=16, choices=AppealChannel.choices, default=AppealChannel.QR
    )
    category = models.CharField(_("category"), max_length=32, choices=AppealCategory.choices)
    description = models.TextField(pgettext_lazy("appeal", "description"))
    anonymous = models.BooleanField(_("anonymous"), default=True)
    submitter_name = EncryptedCharField(pgettext_lazy("person", "name"), blank=True, default="")
    submitter_phone = EncryptedCharField(_("phone"), blank=True, default="")
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    contact_erased_at = models.DateTimeField(_("contact erased at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    state = models.CharField(
        _("state"), max_length=16, choices=AppealState.choices, default=AppealState.RECEIVED
    )
    assigned_instructor = models.ForeignKey(
        "dispatch.Instructor",
        verbose_name=_("assigned instructor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appeals",
    )
    assigned_department = models.CharField(_("assigned department"), max_length=100, blank=True)

    accept_due = models.DateField(_("accept by"), null=True, blank=True)
    first_answer_due = models.DateField(_("first answer by"), null=True, blank=True)
    resolve_due = models.DateField(_("resolve by"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    first_answered_at = models.DateTimeField(_("first answered at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_automatically = models.BooleanField(_("closed automatically"), default=False)
    resolution = models.TextField(_("answer to the submitter"), blank=True)

    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalation_reason = models.CharField(
        _("escalation reason"), max_length=20, choices=EscalationReason.choices, blank=True
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    # The last deadline that escalated automatically (0 none, 1 accept, 2 first answer,
    # 3 resolve): the periodic check escalates once per missed deadline, however often it runs.
    escalated_deadline = models.PositiveSmallIntegerField(
        _("last deadline escalated"), default=0, editable=False
    )

    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"), null=True, blank=True)
    satisfaction_comment = models.TextField(_("comment on the handling"), blank=True)
    rejection_reason = models.TextField(_("reason for not accepting"), blank=True)
    referral = models.TextField(_("where to go instead"), blank=True)

    # Abuse protection only: HMAC-SHA256 of the submitter's IP, erased after 30 days.
    ip_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)

    objects = ScopedManager()
    # Staff of the federation (and its rights-protection department), the instructors of the
    # organization and the one the appeal is assigned to, the organization's union officers —
    # who see no identity: appeals.selectors.contact_access.
    scoping = Scoping(
        federation="federation__path",
        union="organization__union_id",
        roles=roles(view={"admin", "leader", "rights", "instructor", "union"}, change={"admin"}),
        also=lambda user, scope, action: (
            instructor_appeals_q(scope.instructor_id)
            if action == VIEW and scope.instructor_id is not None
            else None
        ),
    )

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["federation", "state"], name="appeal_federation_state"),
            models.Index(fields=["organization", "state"], name="appeal_org_state"),
            models.Index(fields=["assigned_instructor", "state"], name="appeal_instructor_state"),
            models.Index(fields=["state", "resolve_due"], name="appeal_state_resolve_due"),
            models.Index(fields=["category", "created_at"], name="appeal_category_created"),
            models.Index(fields=["-created_at", "-id"], name="appeal_created"),
            # The median time to resolve reads the newest resolved appeals (selectors.
            # appeal_stats): walked newest first instead of sorting every resolved appeal, and
            # from the index alone (PostgreSQL; SQLite has no INCLUDE). Index-only, the planner
            # takes it for a city's subtree too, where it scanned every appeal (60 → 2.5 ms).
            models.Index(
                fields=["-resolved_at"],
                include=["created_at", "federation"],
                name="appeal_resolved",
                condition=models.Q(resolved_at__isnull=False),
            ),
            # The open appeals with their deadlines, from the index alone (PostgreSQL): the
            # staff's appeal badge on every page and the statistics' open and overdue read a
            # province's 1,600 open appeals without visiting 1,400 heap pages (3.2 → 1.7 ms,
            # 3.0 → 0.6 ms).
            models.Index(
                fields=["federation", "state"],
                include=[
                    "id",
                    "resolve_due",
                    "first_answer_due",
                    "first_answered_at",
                    "accept_due",
                    "assigned_instructor",
                ],
                name="appeal_open_deadlines",
                condition=models.Q(state__in=OPEN_STATES),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="appeal_satisfaction_1_to_5",
                condition=models.Q(satisfaction__isnull=True)
                | models.Q(satisfaction__gte=1, satisfaction__lte=5),
            ),
            models.CheckConstraint(
                name="appeal_anonymous_has_no_contact",
                condition=models.Q(anonymous=False)
                | models.Q(submitter_name="", submitter_phone=""),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_escalated(self) -> bool:
        return self.escalation_level > 0

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.submitter_phone)

    @property
    def masked_name(self) -> str:
        name = self.submitter_name
        return f"{name[:1]}{'*' * max(len(name) - 1, 1)}" if name else ""


class AppealEventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    ASSIGNED = "assigned", _("Assigned")
    STARTED = "started", _("Handling started")
    ANSWERED = "answered", _("Answered")
    MESSAGE = "message", _("Message")
    ESCALATED = "escalated", _("Escalated")
    RESOLVED = "resolved", _("Resolved")
    RATED = "rated", _("Rated")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Not accepted")
    NOTE = "note", _("Internal note")
    UNMASKED = "unmasked", _("Contact details viewed")


class AppealEvent(models.Model):
    """One step of an appeal's timeline. `public_text` is what the submitter sees (plain
    Chinese, never a staff name); an empty public_text keeps the step internal."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=16, choices=AppealEventKind.choices)
    public_text = models.TextField(_("text shown to the submitter"), blank=True)
    internal_note = models.TextField(_("internal note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("appeal event")
        verbose_name_plural = _("appeal events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["appeal", "at"], name="appeal_event_appeal_at")]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class MessageSender(models.TextChoices):
    SUBMITTER = "submitter", _("Submitter")
    STAFF = "staff", _("Union staff")


class AppealMessage(models.Model):
    """A reply on the ticket, from the submitter (through the follow page) or from staff."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(
        pgettext_lazy("appeal message", "from"), max_length=16, choices=MessageSender.choices
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("text"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("appeal message")
        verbose_name_plural = _("appeal messages")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["appeal", "at"], name="appeal_message_appeal_at")]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.sender} {self.at:%Y-%m-%d %H:%M}"


class AppealPhoto(models.Model):
    """A photo attached to an appeal (re-encoded by clean_image: no EXIF, bounded size)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=upload_path)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("appeal photo")
        verbose_name_plural = _("appeal photos")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.image.name


class AppealMonthFigures(models.Model):
    """Summary row: the appeals received by one federation in one month (the local month of
    `created_at`, FIGURES.md: an appeal by the day it was received). Read by the statistics
    page for its months; rebuilt for the cells an appeal write touched (stats.py)."""

    federation = models.ForeignKey(
        Federation, verbose_name=_("owning federation"), on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("month"))
    received = models.PositiveIntegerField(_("received"), default=0)

    class Meta:
        verbose_name = _("monthly appeal figures")
        verbose_name_plural = _("monthly appeal figures")
        constraints = [
            models.UniqueConstraint(
                fields=["federation", "month"], name="appeal_month_figures_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.federation_id}@{self.month:%Y-%m}"


class AppealCategoryFigures(models.Model):
    """Summary row: one federation's appeals of one category, all time: received, rated and
    the sum of their satisfaction (the totals and the by-category table of the statistics)."""

    federation = models.ForeignKey(
        Federation, verbose_name=_("owning federation"), on_delete=models.CASCADE, related_name="+"
    )
    category = models.CharField(_("category"), max_length=32, choices=AppealCategory.choices)
    received = models.PositiveIntegerField(_("received"), default=0)
    rated = models.PositiveIntegerField(_("rated"), default=0)
    satisfaction_sum = models.PositiveIntegerField(_("sum of satisfaction"), default=0)

    class Meta:
        verbose_name = _("appeal figures by category")
        verbose_name_plural = _("appeal figures by category")
        constraints = [
            models.UniqueConstraint(
                fields=["federation", "category"], name="appeal_category_figures_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.federation_id}/{self.category}"
