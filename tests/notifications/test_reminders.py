"""The beat tasks: each reminder once per cause, also when the task runs twice."""

from datetime import date, timedelta

import pytest
from django.core import mail

from tests import factories
from tests.fieldwork.compliance.helpers import leave, on_site_day
from zhidao.dashboard import tasks as dashboard_tasks
from zhidao.dashboard.digest import digest_counts, send_daily_digests
from zhidao.fieldwork import tasks
from zhidao.fieldwork.compliance.reminders import send_onsite_reminders
from zhidao.fieldwork.models import Finding, FindingStatus, OnSiteDayStatus
from zhidao.notifications.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db
THURSDAY = date(2026, 11, 26)


def kinds_for(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind))


def test_thursday_reminder_is_sent_once_under_a_double_run(world):
    mine = world["mine"]
    assert send_onsite_reminders(today=THURSDAY) == 2  # both federations' instructors
    assert send_onsite_reminders(today=THURSDAY) == 0
    sent = kinds_for(mine["instructor_user"], NotificationKind.ONSITE_REMINDER)
    assert len(sent) == 1
    assert sent[0].cause_key == f"onsite:{mine['assignment'].pk}:2026-W48"
    assert "湘潭测试有限公司" in sent[0].body


def test_thursday_reminder_through_the_task_twice_creates_one_row(world):
    tasks.onsite_reminders.delay()
    tasks.onsite_reminders.delay()
    user = world["mine"]["instructor_user"]
    assert len(kinds_for(user, NotificationKind.ONSITE_REMINDER)) == 1


def test_thursday_reminder_skips_an_instructor_with_a_confirmed_day(world):
    on_site_day(world["mine"]["assignment"], date(2026, 11, 24))
    send_onsite_reminders(today=THURSDAY)
    assert kinds_for(world["mine"]["instructor_user"], NotificationKind.ONSITE_REMINDER) == []
    assert len(kinds_for(world["other"]["instructor_user"], NotificationKind.ONSITE_REMINDER)) == 1


def test_thursday_reminder_counts_an_unconfirmed_day_as_not_yet(world):
    on_site_day(world["mine"]["assignment"], date(2026, 11, 24), OnSiteDayStatus.UNCONFIRMED)
    send_onsite_reminders(today=THURSDAY)
    assert len(kinds_for(world["mine"]["instructor_user"], NotificationKind.ONSITE_REMINDER)) == 1


def test_no_thursday_reminder_in_a_week_of_approved_leave(world):
    leave(world["mine"]["instructor"], date(2026, 11, 23), date(2026, 11, 27))
    send_onsite_reminders(today=THURSDAY)
    assert kinds_for(world["mine"]["instructor_user"], NotificationKind.ONSITE_REMINDER) == []


def test_pending_leave_does_not_stop_the_thursday_reminder(world):
    leave(world["mine"]["instructor"], date(2026, 11, 23), date(2026, 11, 27), status="pending")
    send_onsite_reminders(today=THURSDAY)
    assert len(kinds_for(world["mine"]["instructor_user"], NotificationKind.ONSITE_REMINDER)) == 1


def test_no_thursday_reminder_in_the_spring_festival_week(world):
    # 2026-W08 (2-16 to 2-22) is all 春节 holidays; the world's assignments start on 2026-03-01,
    # so this one covers the festival.
    mine = world["mine"]
    factories.make_assignment(
        instructor=mine["instructor"],
        organizations=[mine["organization"]],
        batch=mine["batch"],
        starts_on=date(2026, 1, 5),
        ends_on=date(2026, 2, 28),
        today=date(2026, 1, 5),
    )
    sent = send_onsite_reminders(today=date(2026, 2, 19))
    assert sent == 0
    assert not Notification.objects.exists()
    # the week before is an ordinary one
    assert send_onsite_reminders(today=date(2026, 2, 12)) == 1


def test_thursday_reminder_is_also_sent_by_email(world, django_capture_on_commit_callbacks):
    user = world["mine"]["instructor_user"]
    user.email = "zhidao@example.com"
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        send_onsite_reminders(today=THURSDAY)
        send_onsite_reminders(today=THURSDAY)
    to_user = [message for message in mail.outbox if message.to == ["zhidao@example.com"]]
    assert len(to_user) == 1
    assert to_user[0].subject == "本周尚无已确认的驻点日"


# ----- digest -----


def finding(assignment, *, due_on, status=FindingStatus.OPEN):
    return Finding.objects.create(
        assignment=assignment,
        organization=assignment.organizations.first(),
        category="other",
        description="缺少职代会记录",
        recommendation="补齐",
        due_on=due_on,
        status=status,
        created_by=assignment.instructor.user,
    )


def test_digest_counts_missed_weeks_and_overdue_rectifications_in_scope(world):
    mine, other = world["mine"], world["other"]
    today = date(2026, 11, 25)
    finding(mine["assignment"], due_on=today - timedelta(days=1))
    finding(mine["assignment"], due_on=today - timedelta(days=5), status=FindingStatus.ANSWERED)
    finding(mine["assignment"], due_on=today - timedelta(days=5), status=FindingStatus.CLOSED)
    finding(mine["assignment"], due_on=today)  # not yet overdue
    finding(other["assignment"], due_on=today - timedelta(days=3))
    on_site_day(other["assignment"], date(2026, 11, 17))  # other met last week
    counts = digest_counts(mine["admin"], today=today)
    assert counts["missed_weeks"] == 1
    assert counts["overdue_findings"] == 2
    assert digest_counts(other["admin"], today=today)["missed_weeks"] == 0
    assert digest_counts(other["admin"], today=today)["overdue_findings"] == 1


def test_digest_is_one_notification_per_admin_per_day(world):
    mine = world["mine"]
    today = date(2026, 11, 25)
    finding(mine["assignment"], due_on=today - timedelta(days=1))
    send_daily_digests(today=today)
    dashboard_tasks.daily_digest.delay()
    digests = kinds_for(mine["admin"], NotificationKind.DAILY_DIGEST)
    assert len(digests) == 1
    assert digests[0].cause_key == "digest:2026-11-25"
    assert "已逾期的整改：1" in digests[0].body.replace(" ", "")
    send_daily_digests(today=today + timedelta(days=1))
    assert len(kinds_for(mine["admin"], NotificationKind.DAILY_DIGEST)) == 2


def test_digest_goes_to_admins_only(world):
    send_daily_digests(today=date(2026, 11, 25))
    recipients = set(
        Notification.objects.filter(kind=NotificationKind.DAILY_DIGEST).values_list(
            "recipient", flat=True
        )
    )
    assert recipients == {world["mine"]["admin"].pk, world["other"]["admin"].pk}
