"""The federation admins' daily digest: what their subtree owes (weeks missed last week, overdue
reports, overdue rectifications); one per admin and day, none when there is nothing to say."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from zhidao.accounts.models import Role
from zhidao.dispatch.selectors import assignments_visible_to
from zhidao.fieldwork.compliance.selectors import WeekState, weekly_compliance
from zhidao.fieldwork.models import FindingStatus
from zhidao.fieldwork.selectors import findings_visible_to
from zhidao.holidays.calendar import week_start
from zhidao.notifications.models import NotificationKind
from zhidao.notifications.services import notify
from zhidao.reports.models import QuarterlyReport
from zhidao.reports.reminders import REPORT_OPEN_STATES


def _language():
    return translation.override(settings.LANGUAGE_CODE)


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
    reports = QuarterlyReport.objects.filter(
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
