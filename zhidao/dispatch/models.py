from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhidao.core.crypto import EncryptedCharField, mask_phone
from zhidao.core.models import TimeStampedModel
from zhidao.core.scoping import ScopedManager, Scoping, roles
from zhidao.core.text import pinyin_full, pinyin_initials
from zhidao.orgs.models import Federation, Organization


def one_year_after(start: date) -> date:
    """The default term: one year, ending the day before the anniversary."""
    try:
        anniversary = start.replace(year=start.year + 1)
    except ValueError:  # 29 February
        anniversary = start.replace(year=start.year + 1, day=28)
    return date.fromordinal(anniversary.toordinal() - 1)


# Status labels carry a context: "Active" is 在岗 for a person but 派驻中 for an assignment, and
# other apps' catalogues translate a bare "Active" their own way.
class InstructorStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("instructor status", "Active")
    INACTIVE = "inactive", pgettext_lazy("instructor status", "Inactive")


class Instructor(TimeStampedModel):
    """A federation cadre who can be dispatched (工会指导员)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.PROTECT,
        related_name="instructor",
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    name_initials = models.CharField(max_length=100, blank=True, db_index=True, editable=False)
    # The full pinyin (hunanjiliqiche), for searches typed in pinyin; see zhidao/core/selectors.py.
    name_pinyin = models.CharField(max_length=300, blank=True, db_index=True, editable=False)
    federation = models.ForeignKey(
        Federation,
        verbose_name=_("federation"),
        on_delete=models.PROTECT,
        related_name="instructors",
    )
    department = models.CharField(_("department"), max_length=100, blank=True)
    title = models.CharField(_("position"), max_length=100, blank=True)
    phone = EncryptedCharField(_("work phone"), blank=True, default="")
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InstructorStatus.choices,
        default=InstructorStatus.ACTIVE,
    )

    objects = ScopedManager()
    scoping = Scoping(
        federation="federation__path",
        instructor="pk",
        union="assignments__organization_links__organization__union_id",
    )

    class Meta:
        verbose_name = _("instructor")
        verbose_name_plural = _("instructors")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["federation", "status"], name="instructor_federation_status"),
            models.Index(fields=["name", "id"], name="instructor_name_id"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    def save(self, *args, **kwargs):
        self.name_initials = pinyin_initials(self.name)
        self.name_pinyin = pinyin_full(self.name)
        super().save(*args, **kwargs)


class Batch(TimeStampedModel):
    """A dispatch round (期), e.g. 第一期 2021."""

    federation = models.ForeignKey(
        Federation,
        verbose_name=_("federation"),
        on_delete=models.PROTECT,
        related_name="batches",
    )
    name = models.CharField(_("name"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = ScopedManager()
    scoping = Scoping(
        federation="federation__path",
        instructor="assignments__instructor_id",
        union="assignments__organization_links__organization__union_id",
    )

    class Meta:
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["federation", "name"], name="unique_batch_name"),
        ]
        indexes = [models.Index(fields=["federation", "-starts_on"], name="batch_fed_start")]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.starts_on and not self.ends_on:
            self.ends_on = one_year_after(self.starts_on)
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})


class AssignmentStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("assignment status", "Planned")
    ACTIVE = "active", pgettext_lazy("assignment status", "Active")
    COMPLETED = "completed", pgettext_lazy("assignment status", "Completed")
    ENDED_EARLY = "ended_early", pgettext_lazy("assignment status", "Ended early")


class Assignment(TimeStampedModel):
    """An instructor dispatched to one or more organizations for a term (派驻)."""

    batch = models.ForeignKey(
        Batch,
        verbose_name=_("batch"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    instructor = models.ForeignKey(
        Instructor,
        verbose_name=_("instructor"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("organizations"),
        through="AssignmentOrganization",
        related_name="assignments",
    )
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"), blank=True)
    min_days_per_week = models.PositiveSmallIntegerField(
        _("minimum on-site days per week"), default=1
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.PLANNED,
    )
    ended_on = models.DateField(_("actual end date"), null=True, blank=True)
    end_reason = models.TextField(_("reason for ending early"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = ScopedManager()
    # `record`: the instructor's own assignments, on which it records field work.
    scoping = Scoping(
        federation="batch__federation__path",
        instructor="instructor_id",
        union="organization_links__organization__union_id",
        roles=roles(
            view={"admin", "leader", "instructor", "union"}, change={"admin"}, record={"instructor"}
        ),
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-starts_on", "id"]
        indexes = [
            models.Index(fields=["instructor", "status"], name="assignment_instructor_status"),
            models.Index(
                fields=["status", "starts_on", "ends_on"],
                name="assignment_status_dates",
            ),
            models.Index(fields=["batch", "status"], name="assignment_batch_status"),
        ]
        constraints = [
            models.CheckConstraint(
                name="assignment_min_days_1_to_7",
                condition=models.Q(min_days_per_week__gte=1, min_days_per_week__lte=7),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instructor} · {self.starts_on:%Y-%m-%d}"

    @property
    def effective_end(self) -> date:
        return self.ended_on or self.ends_on

    def clean(self):
        errors = {}
        if self.starts_on and not self.ends_on:
            self.ends_on = one_year_after(self.starts_on)
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end date cannot be before the start date.")
        if self.min_days_per_week is not None and not 1 <= self.min_days_per_week <= 7:
            errors["min_days_per_week"] = _("Enter a number of days between 1 and 7.")
        if self.status == AssignmentStatus.ENDED_EARLY:
            if not (self.end_reason or "").strip():
                errors["end_reason"] = _("Give the reason the assignment ended early.")
            if not self.ended_on:
                errors["ended_on"] = _("Give the date the assignment actually ended.")
        if self.ended_on and self.starts_on and self.ended_on < self.starts_on:
            errors["ended_on"] = _("The actual end date cannot be before the start date.")
        if errors:
            raise ValidationError(errors)


class AssignmentOrganization(models.Model):
    """An organization covered by an assignment (the explicit through table keeps it indexed)."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="organization_links"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="assignment_links"
    )

    class Meta:
        verbose_name = _("assigned organization")
        verbose_name_plural = _("assigned organizations")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "organization"],
                name="unique_assignment_organization",
            ),
        ]
        indexes = [models.Index(fields=["organization", "assignment"], name="ao_org_assignment")]

    def __str__(self) -> str:
        return f"{self.assignment_id} → {self.organization_id}"
