"""Pre-aggregated dashboard figures (看板汇总表).

The federation dashboard never reads the raw records: it reads one row per (assignment,
organization, ISO week), maintained by `aggregates.refresh_dashboard_aggregates`. A quarter is
13 weeks of rows whatever the number of years of history.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WeeklyFigures(models.Model):
    federation = models.ForeignKey(
        "orgs.Federation", on_delete=models.CASCADE, related_name="+", verbose_name=_("federation")
    )
    federation_path = models.CharField(max_length=255, db_index=True)
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+"
    )
    assignment = models.ForeignKey(
        "dispatch.Assignment", on_delete=models.CASCADE, related_name="+"
    )
    instructor = models.ForeignKey(
        "dispatch.Instructor", on_delete=models.CASCADE, related_name="+"
    )
    week_start = models.DateField(_("week"))
    state = models.CharField(_("compliance"), max_length=16)
    confirmed_days = models.PositiveSmallIntegerField(default=0)
    work_records = models.PositiveIntegerField(default=0)
    work_records_by_duty = models.JSONField(default=dict)
    matters_done = models.PositiveIntegerField(default=0)
    beneficiaries = models.PositiveIntegerField(default=0)
    findings_opened = models.PositiveIntegerField(default=0)
    findings_closed = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("weekly figures")
        verbose_name_plural = _("weekly figures")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "organization", "week_start"], name="weekly_figures_unique"
            )
        ]
        indexes = [models.Index(fields=["week_start", "federation_path"], name="weekly_fig_week")]

    def __str__(self) -> str:
        return f"{self.organization_id}@{self.week_start}"
