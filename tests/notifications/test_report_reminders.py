"""Quarterly report reminders: 3 days before the due date and once overdue, each once per report.
The reports app is built in parallel; these tests skip until its QuarterlyReport exists."""

from datetime import date, timedelta

import pytest
from django.apps import apps

from zhidao.dashboard.digest import digest_counts
from zhidao.notifications.models import Notification, NotificationKind
from zhidao.reports.reminders import send_report_reminders

pytestmark = pytest.mark.django_db
DUE = date(2026, 10, 14)


@pytest.fixture
def report_model():
    try:
        return apps.get_model("reports", "QuarterlyReport")
    except LookupError:
        pytest.skip("the reports app has no QuarterlyReport yet")


def report(model, assignment, *, status="draft", due_on=DUE, quarter=3):
    return model.objects.create(
        assignment=assignment, year=2026, quarter=quarter, status=status, due_on=due_on
    )


def sent(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind))


def test_due_soon_reminder_three_days_before_once_under_a_double_run(world, report_model):
    mine = world["mine"]
    report(report_model, mine["assignment"])
    assert send_report_reminders(today=DUE - timedelta(days=4)) == 0
    assert send_report_reminders(today=DUE - timedelta(days=3)) == 1
    assert send_report_reminders(today=DUE - timedelta(days=3)) == 0
    assert send_report_reminders(today=DUE - timedelta(days=2)) == 0
    reminders_sent = sent(mine["instructor_user"], NotificationKind.REPORT_DUE)
    assert len(reminders_sent) == 1
    assert "2026年第3季度" in reminders_sent[0].body


def test_overdue_reminder_on_the_day_after_the_due_date_once(world, report_model):
    mine = world["mine"]
    report(report_model, mine["assignment"])
    assert send_report_reminders(today=DUE) >= 0
    assert sent(mine["instructor_user"], NotificationKind.REPORT_OVERDUE) == []
    send_report_reminders(today=DUE + timedelta(days=1))
    send_report_reminders(today=DUE + timedelta(days=1))
    send_report_reminders(today=DUE + timedelta(days=2))
    assert len(sent(mine["instructor_user"], NotificationKind.REPORT_OVERDUE)) == 1


def test_no_report_reminder_for_a_submitted_report(world, report_model):
    mine = world["mine"]
    report(report_model, mine["assignment"], status="submitted")
    send_report_reminders(today=DUE - timedelta(days=3))
    send_report_reminders(today=DUE + timedelta(days=1))
    assert not Notification.objects.filter(recipient=mine["instructor_user"]).exists()


def test_digest_counts_overdue_reports_in_scope(world, report_model):
    mine, other = world["mine"], world["other"]
    report(report_model, mine["assignment"], due_on=DUE)
    report(report_model, mine["assignment"], due_on=DUE, quarter=2, status="approved")
    report(report_model, other["assignment"], due_on=DUE)
    counts = digest_counts(mine["admin"], today=DUE + timedelta(days=1))
    assert counts["overdue_reports"] == 1
