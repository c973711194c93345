"""Summary rows behind the dashboard and the upward report (看板汇总表).

Their grain makes double counting impossible:

- `AssignmentWeekFigures`: an assignment's own facts (its weeks and on-site days), once per
  assignment and *week part*, attributed to the federation of its primary organization;
- `OrganizationWeekFigures`: facts at an organization (site visits, records, findings, practical
  matters), once per assignment, organization and week part, attributed to the organization's
  federation.

A week part is a whole week, or one side of a week that straddles two quarters (periods.py), so
that every dated fact lands in the quarter of its date while the week's state is kept once, on
the part that holds its Thursday. A quarter or a year is then a plain filter on (year, quarter).
The rows are rebuilt for what changed after each write commits, and nightly (refresh.py).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class _WeekPart(models.Model):
    assignment = models.ForeignKey(
        "dispatch.Assignment", on_delete=models.CASCADE, related_name="+"
    )
    instructor = models.ForeignKey(
        "dispatch.Instructor", on_delete=models.CASCADE, related_name="+"
    )
    batch = models.ForeignKey("dispatch.Batch", on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField(_("week"))
    part_start = models.DateField(_("first day of the week part"))
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    # The federation the row is attributed to (FIGURES.md "attribution") and its tree path, so
    # that a subtree is one indexed prefix.
    federation = models.ForeignKey("orgs.Federation", on_delete=models.CASCADE, related_name="+")
    federation_path = models.CharField(max_length=255)
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+"
    )
    refreshed_at = models.DateTimeField(_("computed at"))

    class Meta:
        abstract = True


class AssignmentWeekFigures(_WeekPart):
    """An assignment's weeks and on-site days; `organization` is its primary organization."""

    # met / missed / exempt / pending on the part that holds the Thursday of a required week;
    # empty on the other part and on weeks that are not required.
    state = models.CharField(_("compliance"), max_length=16, blank=True)
    exempt_reason = models.CharField(max_length=16, blank=True)
    exempt_late = models.BooleanField(default=False)
    on_site_days = models.PositiveSmallIntegerField(default=0)
    days_pending = models.PositiveSmallIntegerField(default=0)
    days_disputed = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("weekly figures of an assignment")
        verbose_name_plural = _("weekly figures of assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "part_start"], name="figures_assignment_part_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["year", "quarter", "federation_path"], name="figures_aw_quarter_path"
            ),
            models.Index(fields=["assignment", "week_start"], name="figures_aw_assignment_week"),
            models.Index(fields=["organization", "year", "quarter"], name="figures_aw_org_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}@{self.part_start}"


class _OrganizationCounts(models.Model):
    """The facts at organizations, counted the same way in a week part and in a roll-up."""

    site_visits = models.PositiveIntegerField(default=0)
    work_records = models.PositiveIntegerField(default=0)
    prompt_records = models.PositiveIntegerField(default=0)
    records_investigation = models.PositiveIntegerField(default=0)
    records_guidance = models.PositiveIntegerField(default=0)
    records_practical_matter = models.PositiveIntegerField(default=0)
    records_rights_protection = models.PositiveIntegerField(default=0)
    records_enterprise_service = models.PositiveIntegerField(default=0)
    records_other = models.PositiveIntegerField(default=0)
    findings_opened = models.PositiveIntegerField(default=0)
    findings_closed = models.PositiveIntegerField(default=0)
    matters_done = models.PositiveIntegerField(default=0)
    beneficiaries_workers = models.PositiveIntegerField(default=0)
    beneficiaries_enterprises = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class OrganizationWeekFigures(_WeekPart, _OrganizationCounts):
    # Of the findings opened in this part: closed by the end of their quarter / of their year
    # (the numerators of the closure rate of a quarter and of a year).
    findings_opened_closed_in_quarter = models.PositiveIntegerField(default=0)
    findings_opened_closed_in_year = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("weekly figures of an organization")
        verbose_name_plural = _("weekly figures of organizations")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "organization", "part_start"],
                name="figures_organization_part_unique",
            )
        ]
        indexes = [
            models.Index(
                fields=["year", "quarter", "federation_path"], name="figures_ow_quarter_path"
            ),
            models.Index(fields=["assignment", "week_start"], name="figures_ow_assignment_week"),
            models.Index(fields=["organization", "year", "quarter"], name="figures_ow_org_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}/{self.organization_id}@{self.part_start}"


class FederationPeriodFigures(_OrganizationCounts):
    """The rows of one federation (its own, not its subtree's) summed for a quarter, or for a
    year (`quarter` 0), with its coverage on the period's day: the dashboard's roll-up, so that a
    province's subtree is at most one row per federation, whatever the assignments and weeks.

    Recomputed from the rows above for each (federation, year) a refresh touched (rollup.py),
    nightly for today's coverage, and when an organization of the federation changes."""

    federation = models.ForeignKey("orgs.Federation", on_delete=models.CASCADE, related_name="+")
    federation_path = models.CharField(max_length=255)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))  # 0: the whole year
    assignments = models.PositiveIntegerField(default=0)
    weeks_required = models.PositiveIntegerField(default=0)
    weeks_met = models.PositiveIntegerField(default=0)
    weeks_missed = models.PositiveIntegerField(default=0)
    weeks_exempt = models.PositiveIntegerField(default=0)
    weeks_pending = models.PositiveIntegerField(default=0)
    weeks_exempt_late = models.PositiveIntegerField(default=0)
    on_site_days = models.PositiveIntegerField(default=0)
    days_pending = models.PositiveIntegerField(default=0)
    days_disputed = models.PositiveIntegerField(default=0)
    findings_opened_closed = models.PositiveIntegerField(default=0)
    organizations_active = models.PositiveIntegerField(default=0)
    organizations_covered = models.PositiveIntegerField(default=0)
    # The newest refresh of the rows summed here (the dashboard's 数据截至); empty without rows.
    refreshed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    computed_at = models.DateTimeField(_("rolled up at"))

    class Meta:
        verbose_name = _("period figures of a federation")
        verbose_name_plural = _("period figures of federations")
        constraints = [
            models.UniqueConstraint(
                fields=["federation", "year", "quarter"], name="figures_fp_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["year", "quarter", "federation_path"], name="figures_fp_period_path"
            )
        ]

    def __str__(self) -> str:
        return f"{self.federation_id}@{self.year}Q{self.quarter}"


class FederationWeekFigures(models.Model):
    """A federation's required weeks by state, per week (the dashboard's weekly chart)."""

    federation = models.ForeignKey("orgs.Federation", on_delete=models.CASCADE, related_name="+")
    federation_path = models.CharField(max_length=255)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    week_start = models.DateField(_("week"))
    met = models.PositiveIntegerField(default=0)
    missed = models.PositiveIntegerField(default=0)
    exempt = models.PositiveIntegerField(default=0)
    pending = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("weekly compliance of a federation")
        verbose_name_plural = _("weekly compliance of federations")
        constraints = [
            models.UniqueConstraint(
                fields=["federation", "week_start", "year", "quarter"], name="figures_fw_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["year", "quarter", "federation_path"], name="figures_fw_period_path"
            )
        ]

    def __str__(self) -> str:
        return f"{self.federation_id}@{self.week_start}"
