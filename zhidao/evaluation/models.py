"""Term-end evaluation (考核) of an assignment: metrics from the figures module, frozen when it is
finalized; the union officers' ratings; the admin's grade. Above field work, reports and
standards, whose figures it reads."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhidao.core.models import TimeStampedModel
from zhidao.core.scoping import ScopedManager, Scoping, roles
from zhidao.dispatch.models import Assignment


class EvaluationGrade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    COMPETENT = "competent", _("Competent")
    BASICALLY_COMPETENT = "basic", _("Basically competent")
    INCOMPETENT = "incompetent", _("Incompetent")


class EvaluationStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("evaluation status", "Open")
    FINALIZED = "finalized", pgettext_lazy("evaluation status", "Finalized")


class Evaluation(TimeStampedModel):
    """The term-end evaluation of an assignment; its metrics are frozen when it is finalized."""

    assignment = models.OneToOneField(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.PROTECT,
        related_name="evaluation",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.OPEN,
    )
    metrics = models.JSONField(_("metrics"), default=dict, blank=True)
    grade = models.CharField(_("grade"), max_length=16, choices=EvaluationGrade.choices, blank=True)
    grade_comments = models.TextField(_("comments on the grade"), blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    graded_at = models.DateTimeField(_("graded at"), null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    finalized_at = models.DateTimeField(_("finalized at"), null=True, blank=True)

    objects = ScopedManager()
    # The grade is the federation's and the instructor's, not the union officers' (`grade`).
    scoping = Scoping(
        federation="assignment__batch__federation__path",
        instructor="assignment__instructor_id",
        union="assignment__organization_links__organization__union_id",
        roles=roles(
            view={"admin", "leader", "instructor", "union"},
            change={"admin"},
            grade={"admin", "leader", "instructor"},
        ),
    )

    class Meta:
        db_table = "dispatch_evaluation"  # kept from when evaluations lived in dispatch
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-assignment__starts_on", "id"]
        indexes = [models.Index(fields=["status"], name="evaluation_status")]

    def __str__(self) -> str:
        return str(self.assignment)


class EvaluationRating(models.Model):
    """A union officer's satisfaction with the instructor (one per officer and evaluation)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="ratings")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    union = models.ForeignKey(
        "orgs.Union", verbose_name=_("union"), on_delete=models.PROTECT, related_name="+"
    )
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1–5)"))
    comments = models.TextField(_("comments"), blank=True)
    rated_at = models.DateTimeField(_("rated at"), auto_now_add=True)

    objects = ScopedManager()
    # A union officer sees its own union's rating only, never another union's.
    scoping = Scoping(
        federation="evaluation__assignment__batch__federation__path",
        instructor="evaluation__assignment__instructor_id",
        union="union_id",
    )

    class Meta:
        db_table = "dispatch_evaluationrating"
        verbose_name = _("officer rating")
        verbose_name_plural = _("officer ratings")
        ordering = ["rated_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "officer"], name="unique_evaluation_officer"
            ),
            models.CheckConstraint(
                name="rating_satisfaction_1_to_5",
                condition=models.Q(satisfaction__gte=1, satisfaction__lte=5),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id} · {self.satisfaction}"
