"""Quarterly reports (季度工作报告): figures drafted from the quarter's records and frozen on
submission, the instructor's narrative, and the review workflow with every transition recorded."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhidao.core.models import TimeStampedModel
from zhidao.core.scoping import ScopedManager, Scoping, roles
from zhidao.dispatch.models import Assignment


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("report status", "Submitted")
    RETURNED = "returned", pgettext_lazy("report status", "Returned for revision")
    APPROVED = "approved", pgettext_lazy("report status", "Approved")


# A returned report is back in the instructor's hands: editable like a draft.
EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class QuarterlyReport(TimeStampedModel):
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.PROTECT,
        related_name="quarterly_reports",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    due_on = models.DateField(pgettext_lazy("report", "due date"))
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    figures_computed_at = models.DateTimeField(_("figures computed at"), null=True, blank=True)
    data_as_of = models.CharField(_("data as of"), max_length=255, blank=True)
    work_done = models.TextField(_("work done"), blank=True)
    problems = models.TextField(_("problems and difficulties"), blank=True)
    next_plan = models.TextField(_("plan for next quarter"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    is_late = models.BooleanField(_("submitted late"), default=False)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    objects = ScopedManager()
    scoping = Scoping(
        federation="assignment__batch__federation__path",
        instructor="assignment__instructor_id",
        roles=roles(view={"admin", "leader", "instructor"}, change={"admin"}),
    )

    class Meta:
        verbose_name = _("quarterly report")
        verbose_name_plural = _("quarterly reports")
        ordering = ["-year", "-quarter", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "year", "quarter"], name="one_report_per_quarter"
            ),
            models.CheckConstraint(
                name="report_quarter_1_to_4",
                condition=models.Q(quarter__gte=1, quarter__lte=4),
            ),
        ]
        indexes = [
            models.Index(fields=["year", "quarter", "status"], name="report_quarter_status"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.year}Q{self.quarter}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class ReportTransition(models.Model):
    report = models.ForeignKey(
        QuarterlyReport, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(max_length=16, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=ReportStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("report transition")
        verbose_name_plural = _("report transitions")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"
