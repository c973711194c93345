"""Seeding the holiday table from the `chinese-calendar` package (the State Council's yearly
notices on public holidays, 国务院办公厅关于节假日安排的通知).

The functions take the model classes as arguments so the data migration can pass its historical
models and the `seed_holidays` command the current ones.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

# The package names holidays in English; the table keeps the names the notices use.
CHINESE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}

HOLIDAY = "holiday"
WORKDAY = "workday"
PACKAGE = "package"
MANUAL = "manual"


def package_days() -> dict[int, dict[date, tuple[str, str]]]:
    """{year: {date: (kind, Chinese name)}} for every year the package covers."""
    import chinese_calendar

    by_year: dict[int, dict[date, tuple[str, str]]] = defaultdict(dict)
    for kind, days in ((HOLIDAY, chinese_calendar.holidays), (WORKDAY, chinese_calendar.workdays)):
        for day, name in days.items():
            label = CHINESE_NAMES.get(name, name or "")
            if kind == WORKDAY:
                label = f"{label}调休上班" if label else "调休上班"
            by_year[day.year][day] = (kind, label[:50])
    return dict(by_year)


@dataclass
class SeedReport:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    skipped_manual: list[int] = field(default_factory=list)


def seed_from_package(calendar_year_model, calendar_day_model, *, overwrite_manual=False):
    """Make the table hold exactly the package's days for each year it covers. Idempotent: a
    second run changes nothing. A year a federation admin entered by hand is kept unless asked."""
    report = SeedReport()
    existing = {row.year: row for row in calendar_year_model.objects.all()}
    for year, days in sorted(package_days().items()):
        calendar_year = existing.get(year)
        if calendar_year is None:
            calendar_year = calendar_year_model.objects.create(year=year, source=PACKAGE)
            calendar_day_model.objects.bulk_create(
                calendar_day_model(date=day, kind=kind, name=name, calendar_year=calendar_year)
                for day, (kind, name) in sorted(days.items())
            )
            report.created.append(year)
            continue
        if calendar_year.source == MANUAL and not overwrite_manual:
            report.skipped_manual.append(year)
            continue
        stored = {
            row.date: (row.kind, row.name, row.calendar_year_id)
            for row in calendar_day_model.objects.filter(date__year=year)
        }
        wanted = {day: (kind, name, calendar_year.pk) for day, (kind, name) in days.items()}
        if stored == wanted and calendar_year.source == PACKAGE:
            report.unchanged.append(year)
            continue
        calendar_day_model.objects.filter(date__year=year).delete()
        calendar_day_model.objects.filter(calendar_year=calendar_year).delete()
        calendar_day_model.objects.bulk_create(
            calendar_day_model(date=day, kind=kind, name=name, calendar_year=calendar_year)
            for day, (kind, name) in sorted(days.items())
        )
        if calendar_year.source != PACKAGE:
            calendar_year.source = PACKAGE
            calendar_year.save(update_fields=["source"])
        report.updated.append(year)
    return report


def unseed_package_years(calendar_year_model) -> None:
    calendar_year_model.objects.filter(source=PACKAGE).delete()
