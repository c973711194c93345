"""Union standardization (规范化建设): versioned indicator sets, assessments, honours, activities.

An indicator set is never edited in place: an edit writes the next version (copy-on-write) and
leaves the old one frozen, so an assessment keeps the exact indicators and rules it was scored
with. The assessment stores its total and per-category scores at the time it is made.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhidao.accounts.scope import scope_of
from zhidao.core.models import TimeStampedModel
from zhidao.core.scoping import CHANGE, ScopedManager, Scoping
from zhidao.core.selectors import NOTHING, any_of, subtree_q
from zhidao.dispatch.models import Assignment, Instructor
from zhidao.orgs.models import Federation, Union, ancestor_paths


def upload_path(instance, filename: str) -> str:
    # Random names: the stored name never leaks what the user called the file.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"standards/{instance._meta.model_name}/{uuid.uuid4().hex}.{extension}"


# Assessments, honours and activities are the union's: seen as the union is seen, changed by
# the admins of its federation.
THROUGH_THE_UNION = Scoping(
    federation="union__federation__path",
    instructor="union__organizations__assignment_links__assignment__instructor_id",
    union="union_id",
)


def home_paths(user) -> list[str]:
    """The federations the user works under: its own, its instructor's, its unions'."""
    scope = scope_of(user)
    paths = list(scope.federation_paths)
    if scope.instructor_id is not None:
        # The user's own federations, to reach the sets of their ancestors.
        paths += (
            Federation.objects.unscoped()
            .filter(instructors__pk=scope.instructor_id)
            .values_list("path", flat=True)
        )
    if scope.union_ids:
        paths += (
            Federation.objects.unscoped()
            .filter(unions__pk__in=scope.union_ids)
            .values_list("path", flat=True)
        )
    return paths


def _indicator_set_scope(user, scope, action: str) -> Q | None:
    """The platform default and the sets of the user's federations, of those above them (which
    they inherit) and, for staff, of their subtree; admins `change` their subtree's sets and
    the platform default (an edit of it starts their federation's own set)."""
    if action == CHANGE:
        if not scope.admin_paths:
            return NOTHING
        return any_of([Q(federation__isnull=True), *subtree_q(scope.admin_paths)])
    home = home_paths(user)
    ancestors = sorted({path for home_path in home for path in ancestor_paths(home_path)})
    conditions = [Q(federation__isnull=True), *subtree_q(scope.federation_paths)]
    if ancestors:
        conditions.append(Q(federation__path__in=ancestors))
    return any_of(conditions)


class IndicatorSet(TimeStampedModel):
    """One version of a federation's indicator set; `lineage` ties the versions together."""

    federation = models.ForeignKey(
        Federation,
        verbose_name=_("owning federation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicator_sets",
        help_text=_("Empty for the platform-wide default set."),
    )
    lineage = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    name = models.CharField(_("name"), max_length=100)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current version"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ScopedManager()
    scoping = Scoping(also=_indicator_set_scope)

    class Meta:
        verbose_name = _("indicator set")
        verbose_name_plural = _("indicator sets")
        ordering = ["name", "-version", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["lineage", "version"], name="standards_unique_set_version"
            ),
            models.UniqueConstraint(
                fields=["lineage"],
                condition=models.Q(is_current=True),
                name="standards_one_current_version",
            ),
        ]
        indexes = [models.Index(fields=["federation", "is_current"], name="indset_fed_current")]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class IndicatorCategory(models.Model):
    indicator_set = models.ForeignKey(
        IndicatorSet, on_delete=models.CASCADE, related_name="categories"
    )
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator category")
        verbose_name_plural = _("indicator categories")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class RuleKind(models.TextChoices):
    YES_NO = "yes_no", _("Yes / no")
    LEVEL = "level", _("Level")
    NUMBER = "number", _("Number with thresholds")


class Indicator(models.Model):
    """One item of the checklist.

    Scoring (the points never exceed `weight`):
    - yes/no: yes earns the weight, no earns nothing;
    - level 0…max: weight × level / max (labels name each level);
    - number: the points of the highest threshold the value reaches, thresholds being
      [[minimum, points], …] (e.g. membership rate 60 % → 4, 80 % → 7, 95 % → 10).
    """

    indicator_set = models.ForeignKey(
        IndicatorSet, on_delete=models.CASCADE, related_name="indicators"
    )
    category = models.ForeignKey(
        IndicatorCategory, on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("code"), max_length=32)
    text = models.CharField(_("indicator"), max_length=255)
    guidance = models.TextField(_("how to judge"), blank=True)
    weight = models.DecimalField(
        _("weight (points)"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    rule = models.CharField(_("scoring rule"), max_length=8, choices=RuleKind.choices)
    level_labels = models.JSONField(_("level labels"), default=list, blank=True)
    thresholds = models.JSONField(_("thresholds"), default=list, blank=True)
    unit = models.CharField(_("unit"), max_length=16, blank=True)
    finding_category = models.CharField(
        _("rectification category"), max_length=24, blank=True, default="other"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["category__position", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_set", "code"], name="standards_unique_indicator_code"
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def max_level(self) -> int:
        return max(len(self.level_labels) - 1, 1)

    def clean(self):
        if self.rule == RuleKind.LEVEL and len(self.level_labels or []) < 2:
            raise ValidationError({"level_labels": _("A level rule needs at least two levels.")})
        if self.rule == RuleKind.NUMBER:
            try:
                pairs = [(float(low), float(points)) for low, points in self.thresholds or []]
            except (TypeError, ValueError):
                pairs = []
            if not pairs:
                raise ValidationError(
                    {"thresholds": _("A number rule needs thresholds as pairs of value, points.")}
                )
            if any(points > float(self.weight or 0) for _low, points in pairs):
                raise ValidationError(
                    {"thresholds": _("A threshold cannot give more points than the weight.")}
                )


class AssessmentKind(models.TextChoices):
    BASELINE = "baseline", _("Term start (baseline)")
    TERM_END = "term_end", _("Term end")
    AD_HOC = "ad_hoc", _("At will")


class Assessment(TimeStampedModel):
    """An instructor's scored checklist of one union; the scores are frozen when it is made."""

    union = models.ForeignKey(
        Union, verbose_name=_("union"), on_delete=models.PROTECT, related_name="assessments"
    )
    indicator_set = models.ForeignKey(
        IndicatorSet,
        verbose_name=_("indicator set"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    instructor = models.ForeignKey(
        Instructor,
        verbose_name=_("instructor"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AssessmentKind.choices)
    assessed_on = models.DateField(_("date of assessment"))
    # Kept unrounded (six places) and rounded once for display (FIGURES.md "rounding"), so that a
    # sum or a difference of totals is not off by a cent.
    total_score = models.DecimalField(_("total score"), max_digits=12, decimal_places=6)
    category_scores = models.JSONField(_("scores by category"), default=list)
    notes = models.TextField(_("notes"), blank=True)

    objects = ScopedManager()
    scoping = THROUGH_THE_UNION

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-assessed_on", "-id"]
        indexes = [
            models.Index(fields=["union", "-assessed_on"], name="assessment_union_date"),
            models.Index(fields=["assignment", "kind"], name="assessment_assignment_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.union} · {self.assessed_on:%Y-%m-%d}"


class AssessmentAnswer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="answers")
    yes = models.BooleanField(null=True, blank=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    number = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    points = models.DecimalField(_("points"), max_digits=12, decimal_places=6)
    note = models.CharField(_("note"), max_length=500, blank=True)
    finding = models.ForeignKey(
        "fieldwork.Finding",
        verbose_name=_("rectification item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["indicator__category__position", "indicator__position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"], name="standards_one_answer_per_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.points}"


class AssessmentEvidence(models.Model):
    answer = models.ForeignKey(AssessmentAnswer, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("evidence"), upload_to=upload_path)
    original_name = models.CharField(_("file name"), max_length=255)
    is_image = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class HonourLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", pgettext_lazy("honour level", "City")
    COUNTY = "county", _("County")


class HonourRecipient(models.TextChoices):
    UNION = "union", pgettext_lazy("honour recipient", "Union")
    WORKER = "worker", _("Worker")


class HonourTitle(models.Model):
    """A title that can be awarded (模范职工之家, 芙蓉百岗明星 …); admins keep the list."""

    name = models.CharField(pgettext_lazy("honour", "title"), max_length=100, unique=True)
    recipient = models.CharField(_("awarded to"), max_length=8, choices=HonourRecipient.choices)
    is_active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("honour title")
        verbose_name_plural = _("honour titles")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Honour(TimeStampedModel):
    union = models.ForeignKey(
        Union, verbose_name=_("union"), on_delete=models.PROTECT, related_name="honours"
    )
    title = models.ForeignKey(
        HonourTitle,
        verbose_name=pgettext_lazy("honour", "title"),
        on_delete=models.PROTECT,
        related_name="honours",
    )
    level = models.CharField(_("level"), max_length=12, choices=HonourLevel.choices)
    # The day it was awarded places the honour in a quarter (FIGURES.md "periods"); the year is
    # kept for the lists and filters that have always shown it.
    awarded_on = models.DateField(_("date awarded"))
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1950), MaxValueValidator(2100)]
    )
    person_name = models.CharField(_("person honoured"), max_length=50, blank=True)
    notes = models.CharField(_("notes"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedManager()
    scoping = THROUGH_THE_UNION

    class Meta:
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        ordering = ["-year", "-id"]
        indexes = [
            models.Index(fields=["union", "-year"], name="honour_union_year"),
            models.Index(fields=["level", "year"], name="honour_level_year"),
            models.Index(fields=["awarded_on"], name="honour_awarded_on"),
        ]

    def __str__(self) -> str:
        return f"{self.title} · {self.year}"

    def clean(self):
        is_worker_honour = self.title_id and self.title.recipient == HonourRecipient.WORKER
        if is_worker_honour and not (self.person_name or "").strip():
            raise ValidationError(
                {"person_name": _("Give the name of the worker who was honoured.")}
            )


class ActivityKind(models.TextChoices):
    SKILLS_COMPETITION = "skills", _("Skills competition")
    SPEECH_CONTEST = "speech", _("Speech contest")
    SPORTS = "sports", _("Sports")
    TRAINING = "training", pgettext_lazy("activity kind", "Training")
    OTHER = "other", pgettext_lazy("activity kind", "Other")


class Activity(TimeStampedModel):
    union = models.ForeignKey(
        Union, verbose_name=_("union"), on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ActivityKind.choices)
    title = models.CharField(pgettext_lazy("activity", "title"), max_length=200)
    held_on = models.DateField(_("date"))
    participant_count = models.PositiveIntegerField(
        pgettext_lazy("activity", "participants"), default=0
    )
    report = models.TextField(_("short report"), blank=True, max_length=5000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedManager()
    scoping = THROUGH_THE_UNION

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["union", "-held_on"], name="activity_union_date"),
            models.Index(fields=["kind", "held_on"], name="activity_kind_date"),
        ]

    def __str__(self) -> str:
        return self.title


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to=upload_path)

    class Meta:
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.image.name
