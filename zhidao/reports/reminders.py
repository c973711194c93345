"""Quarterly report reminders: from 3 days before the due date, and once overdue; each once per
report (a missed beat run is caught up the next day)."""

from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from zhidao.notifications.models import NotificationKind
from zhidao.notifications.services import notify

from .models import QuarterlyReport, ReportStatus

REPORT_DUE_SOON_DAYS = 3
# Report states in which the instructor still owes the report.
REPORT_OPEN_STATES = (ReportStatus.DRAFT, ReportStatus.RETURNED)


def _language():
    return translation.override(settings.LANGUAGE_CODE)


def open_reports():
    return QuarterlyReport.objects.filter(
        status__in=REPORT_OPEN_STATES, assignment__instructor__user__is_active=True
    ).select_related("assignment__instructor__user")


def _report_link(report) -> str:
    return reverse("reports:report_detail", args=[report.pk])


def send_report_reminders(*, today: date) -> int:
    """A reminder from 3 days before the due date, and one once the report is overdue; each
    once per report (a missed beat run is caught up the next day)."""
    sent = 0
    reports = open_reports()
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
