"""Field work: on-site days (驻点), work records (工作记录), findings and their rectification
(问题 → 整改), practical matters (实事), and the instructor's leave that exempts a week."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhidao.core.models import TimeStampedModel
from zhidao.core.scoping import ScopedManager, Scoping, roles
from zhidao.dispatch.models import Assignment, Instructor
from zhidao.orgs.models import Organization, Union

# Every field-work row belongs to an assignment and an organization: federation staff see it
# through the assignment's batch, the instructor its own, the union officer its union's.
# Changes are the instructor's (its own records); a union officer confirms days and answers
# findings of its union; the instructor verifies its findings.
FIELD_WORK_SCOPING = Scoping(
    federation="assignment__batch__federation__path",
    instructor="assignment__instructor_id",
    union="organization__union_id",
    roles=roles(
        view={"admin", "leader", "instructor", "union"},
        change={"instructor"},
        confirm={"union"},
        answer={"union"},
        verify={"instructor"},
    ),
)


def upload_path(instance, filename: str) -> str:
    # Random names: the stored name never leaks what the user called the file.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"fieldwork/{instance._meta.model_name}/{uuid.uuid4().hex}.{extension}"


class OnSiteDayStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Unconfirmed")
    CONFIRMED = "confirmed", _("Confirmed")
    DISPUTED = "disputed", _("Disputed")


class ConfirmationMethod(models.TextChoices):
    OFFICER_ACCOUNT = "officer_account", _("Confirmed by the union officer's account")
    FACE_TO_FACE_CODE = "face_to_face_code", _("Confirmed face to face with the officer's code")


class OnSiteDay(TimeStampedModel):
    """A day the instructor spent at an assigned organization (驻点)."""

    client_uuid = models.UUIDField(_("client id"), unique=True, default=uuid.uuid4)
    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="on_site_days"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="on_site_days"
    )
    # Copied from the assignment so per-instructor lists and the heat map stay one index away.
    instructor = models.ForeignKey(
        Instructor, on_delete=models.PROTECT, related_name="on_site_days"
    )
    on_date = models.DateField(_("date"))
    checked_in_at = models.DateTimeField(_("checked in at"))
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.PositiveIntegerField(_("location accuracy (m)"), null=True, blank=True)
    distance_m = models.PositiveIntegerField(
        _("distance from the organization (m)"), null=True, blank=True
    )
    is_far = models.BooleanField(_("more than 1 km away"), default=False)
    summary = models.TextField(_("what was done"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=OnSiteDayStatus.choices,
        default=OnSiteDayStatus.UNCONFIRMED,
    )
    confirmation_method = models.CharField(
        _("confirmed how"), max_length=24, choices=ConfirmationMethod.choices, blank=True
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    dispute_reason = models.TextField(_("why it is disputed"), blank=True)
    disputed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("disputed by"),
    )
    disputed_at = models.DateTimeField(_("disputed at"), null=True, blank=True)

    objects = ScopedManager()
    scoping = FIELD_WORK_SCOPING

    class Meta:
        verbose_name = _("on-site day")
        verbose_name_plural = _("on-site days")
        ordering = ["-on_date", "-checked_in_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["instructor", "organization", "on_date"], name="one_on_site_day_per_org"
            ),
        ]
        indexes = [
            models.Index(fields=["assignment", "on_date", "status"], name="onsite_assignment_date"),
            models.Index(fields=["instructor", "-on_date"], name="onsite_instructor_date"),
            models.Index(fields=["organization", "status"], name="onsite_org_status"),
            # The day list's order (onsite/selectors.py ON_SITE_DAY_ORDER), read backwards.
            models.Index(fields=["on_date", "checked_in_at", "id"], name="onsite_list_order"),
        ]

    def __str__(self) -> str:
        return f"{self.instructor_id} @ {self.organization_id} {self.on_date}"


class OnSiteDayPhoto(models.Model):
    # No database constraint: on PostgreSQL the days are partitioned by year and their id alone
    # is not unique there (docs/partitioning.md); Django's delete collector still cascades.
    day = models.ForeignKey(
        OnSiteDay, on_delete=models.CASCADE, related_name="photos", db_constraint=False
    )
    image = models.ImageField(_("photo"), upload_to=upload_path)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # The key of the check-out (or edit) that brought the photo, sent by the phone's queue: a
    # repeated delivery of that submission finds its photos already stored and adds none.
    submission_uuid = models.UUIDField(_("submission id"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("on-site photo")
        verbose_name_plural = _("on-site photos")

    def __str__(self) -> str:
        return self.image.name


class ConfirmationCode(models.Model):
    """A short one-time code the union officer's page shows; the instructor types it into the
    check-in as proof that the two met."""

    union = models.ForeignKey(Union, on_delete=models.CASCADE, related_name="confirmation_codes")
    code = models.CharField(pgettext_lazy("confirmation", "code"), max_length=8)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(null=True, blank=True)
    # No database constraint: the days are partitioned on PostgreSQL (see OnSiteDayPhoto.day).
    used_for = models.OneToOneField(
        OnSiteDay,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )

    class Meta:
        verbose_name = _("confirmation code")
        verbose_name_plural = _("confirmation codes")
        indexes = [models.Index(fields=["union", "code", "expires_at"], name="code_lookup")]

    def __str__(self) -> str:
        return f"{self.union_id}:{self.code}"


class Duty(models.TextChoices):
    INVESTIGATION = "investigation", _("Investigation and research")
    GUIDANCE = "guidance", _("Guiding and pushing work")
    PRACTICAL_MATTER = "practical_matter", _("Practical matter")
    RIGHTS_PROTECTION = "rights_protection", _("Rights protection")
    ENTERPRISE_SERVICE = "enterprise_service", _("Enterprise service")
    OTHER = "other", pgettext_lazy("duty", "Other")


class WorkRecord(TimeStampedModel):
    """A piece of guidance work, recorded by duty (工作记录)."""

    client_uuid = models.UUIDField(_("client id"), unique=True, default=uuid.uuid4)
    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="work_records"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="work_records"
    )
    instructor = models.ForeignKey(
        Instructor, on_delete=models.PROTECT, related_name="work_records"
    )
    # No database constraint: the days are partitioned on PostgreSQL (see OnSiteDayPhoto.day).
    on_site_day = models.ForeignKey(
        OnSiteDay,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="work_records",
        verbose_name=_("on-site day"),
        db_constraint=False,
    )
    duty = models.CharField(_("duty"), max_length=24, choices=Duty.choices)
    worked_on = models.DateField(_("date of the work"))
    participants = models.CharField(_("participants"), max_length=255, blank=True)
    content = models.TextField(pgettext_lazy("work record", "content"))
    recorded_on = models.DateField(_("recorded on"))
    # "Recorded promptly" = within settings.RECORD_PROMPT_DAYS of the work.
    is_late = models.BooleanField(_("recorded late"), default=False)

    objects = ScopedManager()
    scoping = FIELD_WORK_SCOPING

    class Meta:
        verbose_name = _("work record")
        verbose_name_plural = _("work records")
        ordering = ["-worked_on", "-id"]
        indexes = [
            models.Index(fields=["assignment", "worked_on"], name="record_assignment_date"),
            models.Index(fields=["instructor", "-worked_on"], name="record_instructor_date"),
            models.Index(fields=["duty", "worked_on"], name="record_duty_date"),
            # The record list's order (records/selectors.py WORK_RECORD_ORDER), read backwards.
            models.Index(fields=["worked_on", "id"], name="record_list_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_duty_display()} {self.worked_on}"


class WorkRecordAttachment(models.Model):
    # No database constraint: the records are partitioned on PostgreSQL (see OnSiteDayPhoto.day).
    record = models.ForeignKey(
        WorkRecord, on_delete=models.CASCADE, related_name="attachments", db_constraint=False
    )
    file = models.FileField(_("file"), upload_to=upload_path)
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class FindingCategory(models.TextChoices):
    ORGANIZATION = "organization", _("Union organization incomplete")
    FUND_ACCOUNT = "fund_account", _("No independent union-fund account")
    CONGRESS = "congress", _("No workers' congress this year")
    RULES = "rules", _("Rules and systems missing")
    RIGHTS = "rights", _("Workers' rights not protected")
    AFFAIRS_PUBLIC = "affairs_public", _("Union affairs not made public")
    OTHER = "other", pgettext_lazy("finding category", "Other")


class FindingStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("finding status", "Open")
    ANSWERED = "answered", _("Answered by the union")
    CLOSED = "closed", _("Verified and closed")
    REOPENED = "reopened", _("Reopened")


class Finding(TimeStampedModel):
    """A gap in the union's work and its rectification (问题清单 → 整改闭环)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="findings")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="findings"
    )
    union = models.ForeignKey(
        Union, on_delete=models.PROTECT, null=True, blank=True, related_name="findings"
    )
    category = models.CharField(_("category"), max_length=24, choices=FindingCategory.choices)
    description = models.TextField(_("what is missing"))
    recommendation = models.TextField(_("recommendation"))
    # The day the gap was found (FIGURES.md: a finding counts in the period that holds it); it
    # may be back-dated into the assignment's term, never later than today.
    found_on = models.DateField(_("found on"), default=timezone.localdate)
    due_on = models.DateField(pgettext_lazy("finding", "due date"))
    status = models.CharField(
        _("status"), max_length=16, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    answer = models.TextField(_("union's answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(pgettext_lazy("finding", "closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedManager()
    scoping = FIELD_WORK_SCOPING

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["assignment", "status"], name="finding_assignment_status"),
            models.Index(fields=["union", "status"], name="finding_union_status"),
            models.Index(fields=["status", "due_on"], name="finding_status_due"),
            models.Index(fields=["assignment", "found_on"], name="finding_assignment_found"),
            models.Index(fields=["found_on"], name="finding_found_on"),
            # The staff's overdue badge on every page counts the findings not closed and past
            # due from the index alone (PostgreSQL; SQLite has no INCLUDE): 4,800 of a
            # province's 34,000, 6.3 → 4.7 ms.
            models.Index(
                fields=["due_on"],
                include=["id", "assignment"],
                name="finding_open_due",
                condition=models.Q(
                    status__in=[FindingStatus.OPEN, FindingStatus.ANSWERED, FindingStatus.REOPENED]
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} · {self.organization_id}"


class FindingTransition(models.Model):
    """Every change of a finding's state, with who and when."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=FindingStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=FindingStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("finding transition")
        verbose_name_plural = _("finding transitions")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class FindingEvidence(models.Model):
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("evidence"), upload_to=upload_path)
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name


class Beneficiary(models.TextChoices):
    WORKERS = "workers", _("Workers")
    ENTERPRISE = "enterprise", _("Enterprise")


class PracticalMatterCategory(models.TextChoices):
    CANTEEN = "canteen", _("Canteen")
    SPORTS = "sports", _("Sports and fitness")
    REST_STATION = "rest_station", _("Rest station for outdoor workers")
    CHILD_CARE = "child_care", _("Child care")
    TRAINING = "training", pgettext_lazy("practical matter category", "Training")
    POLICY_LICENCE = "policy_licence", _("Policy and licence help")
    FINANCING = "financing", _("Financing")
    LEGAL = "legal", _("Legal help")
    OTHER = "other", pgettext_lazy("practical matter category", "Other")


class PracticalMatterStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("practical matter status", "Planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("practical matter status", "In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class PracticalMatter(TimeStampedModel):
    """A practical thing done for workers or the enterprise (实事)."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="practical_matters"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="practical_matters"
    )
    title = models.CharField(pgettext_lazy("practical matter", "title"), max_length=200)
    beneficiary = models.CharField(_("for whom"), max_length=16, choices=Beneficiary.choices)
    category = models.CharField(
        _("category"), max_length=24, choices=PracticalMatterCategory.choices
    )
    beneficiaries_count = models.PositiveIntegerField(_("number of beneficiaries"), default=0)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PracticalMatterStatus.choices,
        default=PracticalMatterStatus.PLANNED,
    )
    result = models.TextField(_("result"), blank=True)
    funds_source = models.CharField(_("source of funds"), max_length=200, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    objects = ScopedManager()
    scoping = FIELD_WORK_SCOPING

    class Meta:
        verbose_name = _("practical matter")
        verbose_name_plural = _("practical matters")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["assignment", "status"], name="matter_assignment_status"),
            models.Index(fields=["status", "completed_on"], name="matter_status_completed"),
            models.Index(fields=["category", "status"], name="matter_category_status"),
        ]

    def __str__(self) -> str:
        return self.title


class PracticalMatterPhoto(models.Model):
    matter = models.ForeignKey(PracticalMatter, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=upload_path)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("practical matter photo")
        verbose_name_plural = _("practical matter photos")

    def __str__(self) -> str:
        return self.image.name


class LeaveKind(models.TextChoices):
    LEAVE = "leave", _("Leave")
    OFFICIAL_TRAVEL = "official_travel", _("Official travel")


class LeaveStatus(models.TextChoices):
    PENDING = "pending", _("Pending approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class LeaveRequest(TimeStampedModel):
    """Approved leave or official travel of the instructor exempts the weeks it covers."""

    instructor = models.ForeignKey(
        Instructor, on_delete=models.PROTECT, related_name="leave_requests"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=LeaveKind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=16, choices=LeaveStatus.choices, default=LeaveStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("comment"), blank=True)

    objects = ScopedManager()
    scoping = Scoping(federation="instructor__federation__path", instructor="instructor_id")

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["instructor", "status", "starts_on"], name="leave_instructor"),
            models.Index(fields=["status", "-created_at"], name="leave_status_created"),
        ]

    def __str__(self) -> str:
        return f"{self.instructor_id} {self.starts_on}–{self.ends_on}"
