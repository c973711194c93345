from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYearSource(models.TextChoices):
    PACKAGE = "package", _("Official calendar (chinese-calendar package)")
    MANUAL = "manual", _("Entered by a federation admin")


class CalendarYear(models.Model):
    """A year whose official holiday arrangement is known. Weeks of a year without a row here
    are computed as ordinary weeks and marked "calendar missing"."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=16, choices=CalendarYearSource.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday")
    # 调休: a Saturday or Sunday that is a working day counts as a normal working day.
    WORKDAY = "workday", _("Adjusted working day")


class CalendarDay(models.Model):
    """An exception to the Monday–Friday rule: a public holiday on a weekday-or-weekend, or a
    weekend day that is worked (调休)."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=CalendarDayKind.choices)
    name = models.CharField(_("name"), max_length=50, blank=True)
    calendar_year = models.ForeignKey(
        CalendarYear, on_delete=models.CASCADE, related_name="days", verbose_name=_("year")
    )

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        indexes = [models.Index(fields=["kind", "date"], name="calendar_day_kind_date")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"
