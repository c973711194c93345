"""What the beat tasks send. Each function takes `today` and returns how many notifications it
created; the cause keys make a second run on the same day (or for the same week / report)
create nothing new."""

from datetime import date, timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from zhidao.accounts.models import Role
from zhidao.dispatch.models import Assignment, AssignmentStatus
from zhidao.fieldwork.compliance.selectors import WeekState, compliance_grid, weekly_compliance
from zhidao.fieldwork.models import FindingStatus
from zhidao.fieldwork.selectors import findings_visible_to
from zhidao.holidays.calendar import week_start

from .models import NotificationKind
from .services import notify

REPORT_DUE_SOON_DAYS = 3
# Report states in which the instructor still owes the report.
REPORT_OPEN_STATES = ("draft", "returned")


def _language():
    return translation.override(settings.LANGUAGE_CODE)


# ----- Thursday: no confirmed on-site day yet this week -----


def send_onsite_reminders(*, today: date) -> int:
    """Instructors on an active assignment with no confirmed on-site day yet in today's ISO week,
    unless the week is exempt (public-holiday week, approved leave covering it)."""
    monday = week_start(today)
    assignments = (
        Assignment.objects.filter(status=AssignmentStatus.ACTIVE, starts_on__lte=today)
        .select_related("instructor__user")
        .prefetch_related("organizations")
        .order_by("pk")
    )
    grid = compliance_grid(
        assignments,
        mondays=[monday],
        today=today,
        assignment_ids=assignments.values("pk"),
    )
    year, week, _weekday = monday.isocalendar()
    sent = 0
    with _language():
        link = reverse("fieldwork:check_in")
        for row in grid.rows:
            cell = row.cells[0]
            if cell.state in (WeekState.EXEMPT, WeekState.OUTSIDE, WeekState.UPCOMING):
                continue
            if cell.confirmed_days:
                continue
            assignment = row.assignment
            organizations = "、".join(o.name for o in assignment.organizations.all())
            created = notify(
                assignment.instructor.user,
                kind=NotificationKind.ONSITE_REMINDER,
                cause_key=f"onsite:{assignment.pk}:{year}-W{week:02d}",
                title=_("No confirmed on-site day yet this week"),
                body=_(
                    "Week %(week)s: there is no confirmed on-site day yet at %(organizations)s. "
                    "Please plan at least one day on site before the week ends."
                )
                % {"week": f"{year}-W{week:02d}", "organizations": organizations},
                link=link,
            )
            sent += created is not None
    return sent


# ----- quarterly reports: 3 days before the due date, and once overdue -----


def _report_model():
    """The reports app's QuarterlyReport, or None while it is not installed / not built yet."""
    if not apps.is_installed("zhidao.reports"):
        return None
    try:
        return apps.get_model("reports", "QuarterlyReport")
    except LookupError:
        return None


def _open_reports(model):
    return model.objects.filter(
        status__in=REPORT_OPEN_STATES, assignment__instructor__user__is_active=True
    ).select_related("assignment__instructor__user")


def _report_link(report) -> str:
    try:
        return reverse("reports:report_detail", args=[report.pk])
    except Exception:
        return reverse("reports:report_list")


def send_report_reminders(*, today: date) -> int:
    """A reminder from 3 days before the due date, and one once the report is overdue; each
    once per report (a missed beat run is caught up the next day)."""
    model = _report_model()
    if model is None:
        return 0
    sent = 0
    reports = _open_reports(model)
    with _language():
        due_soon = reports.filter(
            due_on__gte=today, due_on__lte=today + timedelta(days=REPORT_DUE_SOON_DAYS)
        )
        for report in due_soon:
            created = notify(
                report.assignment.instructor.user,
                kind=NotificationKind.REPORT_DUE,
                cause_key=f"report-due:{report.pk}",
                title=_("Quarterly report due on %(date)s") % {"date": report.due_on},
                body=_("The report for %(year)s Q%(quarter)s is due on %(date)s.")
                % {"year": report.year, "quarter": report.quarter, "date": report.due_on},
                link=_report_link(report),
            )
            sent += created is not None
        for report in reports.filter(due_on__lt=today):
            created = notify(
                report.assignment.instructor.user,
                kind=NotificationKind.REPORT_OVERDUE,
                cause_key=f"report-overdue:{report.pk}",
                title=_("Quarterly report overdue"),
                body=_(
                    "The report for %(year)s Q%(quarter)s was due on %(date)s and has not been "
                    "submitted."
                )
                % {"year": report.year, "quarter": report.quarter, "date": report.due_on},
                link=_report_link(report),
            )
            sent += created is not None
    return sent


# ----- daily digest for federation admins -----


def digest_counts(user, *, today: date) -> dict[str, int]:
    """What the admin's subtree owes: weeks missed last week, overdue reports, overdue
    rectifications (findings not closed past their due date)."""
    last_monday = week_start(today) - timedelta(weeks=1)
    grid = weekly_compliance(user, weeks=[last_monday], today=today)
    missed = sum(1 for row in grid.rows if row.cells[0].state == WeekState.MISSED)
    findings = (
        findings_visible_to(user)
        .filter(due_on__lt=today)
        .exclude(status=FindingStatus.CLOSED)
        .count()
    )
    reports = 0
    model = _report_model()
    if model is not None:
        from zhidao.dispatch.selectors import assignments_visible_to

        reports = model.objects.filter(
            status__in=REPORT_OPEN_STATES,
            due_on__lt=today,
            assignment__in=assignments_visible_to(user).values("pk"),
        ).count()
    return {"missed_weeks": missed, "overdue_reports": reports, "overdue_findings": findings}


def federation_admins():
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(role_grants__role=Role.FEDERATION_ADMIN))
        .distinct()
        .order_by("pk")
    )


def send_daily_digests(*, today: date) -> int:
    """One digest per admin and day; nothing is sent when there is nothing to report."""
    sent = 0
    with _language():
        link = reverse("fieldwork:compliance_heatmap")
        for admin in federation_admins():
            counts = digest_counts(admin, today=today)
            if not any(counts.values()):
                continue
            created = notify(
                admin,
                kind=NotificationKind.DAILY_DIGEST,
                cause_key=f"digest:{today.isoformat()}",
                title=_("Daily digest %(date)s") % {"date": today.isoformat()},
                body=_(
                    "Weeks missed last week: %(missed_weeks)s\n"
                    "Overdue quarterly reports: %(overdue_reports)s\n"
                    "Overdue rectifications: %(overdue_findings)s"
                )
                % counts,
                link=link,
            )
            sent += created is not None
    return sent
