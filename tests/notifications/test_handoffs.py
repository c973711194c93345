"""Every hand-off tells the next person once, after the write commits, and nobody else.

The cause rule: one notification per transition. A report resubmitted after a return, or a
finding answered again after it was reopened, is a new hand-off and notifies again; the same
transition never notifies twice (the cause key carries the transition's id, or the object's
id for what happens once in its life: a day confirmed, a leave decided, an appeal assigned)."""

import uuid
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from tests import factories
from tests.appeals.staff.conftest import make_appeal
from tests.evaluation.conftest import ended_assignment
from tests.fieldwork.records.conftest import make_finding
from zhidao.accounts.models import Role
from zhidao.appeals import services as appeal_services
from zhidao.evaluation import services as evaluation_services
from zhidao.fieldwork.compliance import services as leave_services
from zhidao.fieldwork.onsite import services as onsite_services
from zhidao.fieldwork.records import services as records_services
from zhidao.notifications.models import Notification, NotificationKind
from zhidao.reports import services as report_services

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def told(kind) -> list:
    """(recipient, cause) of every notification of the kind, in the order sent."""
    return list(
        Notification.objects.filter(kind=kind).order_by("pk").values_list("recipient", flat=True)
    )


@pytest.fixture
def bystanders(world):
    """Those who must not hear of the first city's hand-offs: the district's admin (below the
    issuing city), the other city's people."""
    district_admin = factories.federation_admin(world["mine"]["district"])
    return {"district_admin": district_admin, "other": world["other"]}


# ----- quarterly reports -----


def draft(side):
    report = report_services.create_or_get_draft(
        actor=side["instructor_user"], assignment=side["assignment"], year=2026, quarter=4
    )
    return report_services.update_narrative(
        actor=side["instructor_user"],
        report=report,
        work_done="走访职工",
        problems="经费账户未独立",
        next_plan="督促整改",
    )


def test_a_submitted_report_reaches_the_reviewing_admins_after_the_commit(
    world, bystanders, django_capture_on_commit_callbacks
):
    mine = world["mine"]
    report = draft(mine)
    with django_capture_on_commit_callbacks(execute=True):
        report_services.submit_report(actor=mine["instructor_user"], report=report)
        assert told(NotificationKind.REPORT_SUBMITTED) == []  # not before the commit

    assert told(NotificationKind.REPORT_SUBMITTED) == [mine["admin"].pk]
    notification = Notification.objects.get(kind=NotificationKind.REPORT_SUBMITTED)
    assert notification.title == "季度报告待审核：湘潭指导员，2026年第4季度"
    assert notification.link == f"/reports/{report.pk}/"


def test_a_returned_report_reaches_the_instructor_and_a_resubmission_notifies_again(
    world, django_capture_on_commit_callbacks
):
    mine = world["mine"]
    report = draft(mine)
    with django_capture_on_commit_callbacks(execute=True):
        report_services.submit_report(actor=mine["instructor_user"], report=report)
    with django_capture_on_commit_callbacks(execute=True):
        report_services.return_report(actor=mine["admin"], report=report, comment="补充实事")
    assert told(NotificationKind.REPORT_RETURNED) == [mine["instructor_user"].pk]
    returned = Notification.objects.get(kind=NotificationKind.REPORT_RETURNED)
    assert "补充实事" in returned.body

    with django_capture_on_commit_callbacks(execute=True):
        report_services.submit_report(actor=mine["instructor_user"], report=report)
    with django_capture_on_commit_callbacks(execute=True):
        report_services.approve_report(actor=mine["admin"], report=report)
    # Two submissions, two hand-offs to the admin; one approval to the instructor.
    assert told(NotificationKind.REPORT_SUBMITTED) == [mine["admin"].pk, mine["admin"].pk]
    assert told(NotificationKind.REPORT_APPROVED) == [mine["instructor_user"].pk]
    assert not Notification.objects.filter(recipient=world["other"]["admin"]).exists()


def test_a_submission_that_rolls_back_notifies_nobody(world, django_capture_on_commit_callbacks):
    mine = world["mine"]
    report = draft(mine)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        report_services.submit_report(actor=mine["instructor_user"], report=report)
        raise Rollback
    assert callbacks == []
    assert not Notification.objects.exists()


def test_the_same_transition_notifies_once_even_if_its_callback_runs_twice(
    world, django_capture_on_commit_callbacks
):
    mine = world["mine"]
    report = draft(mine)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report_services.submit_report(actor=mine["instructor_user"], report=report)
    for callback in callbacks + callbacks:
        callback()
    assert told(NotificationKind.REPORT_SUBMITTED) == [mine["admin"].pk]


# ----- findings -----


def test_a_finding_goes_to_the_officers_its_answer_to_the_instructor_its_verdict_back(
    world, bystanders, django_capture_on_commit_callbacks
):
    mine = world["mine"]
    with django_capture_on_commit_callbacks(execute=True):
        finding = make_finding(mine)
        assert told(NotificationKind.FINDING_RAISED) == []
    assert told(NotificationKind.FINDING_RAISED) == [mine["officer"].pk]
    assert Notification.objects.get(kind=NotificationKind.FINDING_RAISED).link == (
        f"/fieldwork/findings/{finding.pk}/"
    )

    with django_capture_on_commit_callbacks(execute=True):
        records_services.answer_finding(actor=mine["officer"], finding=finding, answer="已开户")
    assert told(NotificationKind.FINDING_ANSWERED) == [mine["instructor_user"].pk]

    with django_capture_on_commit_callbacks(execute=True):
        records_services.reopen_finding(
            actor=mine["instructor_user"], finding=finding, comment="缺开户许可证"
        )
    with django_capture_on_commit_callbacks(execute=True):
        records_services.answer_finding(actor=mine["officer"], finding=finding, answer="已补")
    with django_capture_on_commit_callbacks(execute=True):
        records_services.close_finding(actor=mine["instructor_user"], finding=finding)

    assert told(NotificationKind.FINDING_VERIFIED) == [mine["officer"].pk, mine["officer"].pk]
    assert told(NotificationKind.FINDING_ANSWERED) == [mine["instructor_user"].pk] * 2
    titles = list(
        Notification.objects.filter(kind=NotificationKind.FINDING_VERIFIED)
        .order_by("pk")
        .values_list("title", flat=True)
    )
    assert titles == [
        "湘潭测试有限公司的整改尚未完成",
        "湘潭测试有限公司的整改已通过核实",
    ]
    everybody_told = set(Notification.objects.values_list("recipient", flat=True))
    assert everybody_told == {mine["officer"].pk, mine["instructor_user"].pk}


# ----- on-site days -----


def check_in(side):
    return onsite_services.check_in_on_site(
        actor=side["instructor_user"],
        client_uuid=uuid.uuid4(),
        assignment_id=side["assignment"].pk,
        organization_id=side["organization"].pk,
    ).record


def test_a_confirmed_day_reaches_the_instructor(world, django_capture_on_commit_callbacks):
    mine = world["mine"]
    day = check_in(mine)
    with django_capture_on_commit_callbacks(execute=True):
        onsite_services.confirm_day(actor=mine["officer"], day=day)
        assert told(NotificationKind.DAY_CONFIRMED) == []
    assert told(NotificationKind.DAY_CONFIRMED) == [mine["instructor_user"].pk]
    assert Notification.objects.get().title == "2026-11-25的驻点已确认"


def test_a_disputed_day_reaches_the_instructor_with_the_reason(
    world, django_capture_on_commit_callbacks
):
    mine = world["mine"]
    day = check_in(mine)
    with django_capture_on_commit_callbacks(execute=True):
        onsite_services.dispute_day(actor=mine["officer"], day=day, reason="当天未见到指导员")
    assert told(NotificationKind.DAY_DISPUTED) == [mine["instructor_user"].pk]
    assert "当天未见到指导员" in Notification.objects.get().body
    assert told(NotificationKind.DAY_CONFIRMED) == []


# ----- leave -----


def test_a_leave_decision_reaches_the_instructor(world, django_capture_on_commit_callbacks):
    mine = world["mine"]
    leave = leave_services.request_leave(
        actor=mine["instructor_user"],
        kind="leave",
        starts_on=date(2026, 12, 1),
        ends_on=date(2026, 12, 4),
        reason="住院",
    )
    assert not Notification.objects.exists()  # asking is not a hand-off to the instructor
    with django_capture_on_commit_callbacks(execute=True):
        leave_services.reject_leave(actor=mine["admin"], leave=leave, comment="年底任务重")
    assert told(NotificationKind.LEAVE_DECIDED) == [mine["instructor_user"].pk]
    notification = Notification.objects.get()
    assert notification.title == "请假 2026-12-01 至 2026-12-04 未获批准"
    assert "年底任务重" in notification.body


# ----- appeals -----


@pytest.fixture
def rights(world):
    user = factories.UserFactory()
    factories.grant(user, Role.RIGHTS_STAFF, federation=world["mine"]["city"])
    return user


def test_an_accepted_appeal_reaches_its_assigned_instructor(
    world, rights, django_capture_on_commit_callbacks
):
    mine = world["mine"]
    appeal = make_appeal(mine["organization"], anonymous=True)
    with django_capture_on_commit_callbacks(execute=True):
        appeal_services.accept_appeal(appeal=appeal, actor=rights)
        assert told(NotificationKind.APPEAL_ASSIGNED) == []
    assert told(NotificationKind.APPEAL_ASSIGNED) == [mine["instructor_user"].pk]
    assert appeal.code in Notification.objects.get().title


def test_an_appeal_near_its_deadline_reaches_the_assignee_and_the_rights_staff_once(world, rights):
    mine = world["mine"]
    appeal = make_appeal(mine["organization"], anonymous=True)
    appeal_services.accept_appeal(appeal=appeal, actor=rights)
    today = timezone.localdate()
    type(appeal).objects.unscoped().filter(pk=appeal.pk).update(
        first_answer_due=today, resolve_due=today + timedelta(days=30)
    )
    far = make_appeal(mine["organization"], anonymous=True)  # its deadlines are days away
    type(far).objects.unscoped().filter(pk=far.pk).update(accept_due=today + timedelta(days=9))
    Notification.objects.all().delete()

    assert appeal_services.send_deadline_reminders() == 2
    assert appeal_services.send_deadline_reminders() == 0  # once per appeal and deadline
    assert sorted(told(NotificationKind.APPEAL_DUE_SOON)) == sorted(
        [mine["instructor_user"].pk, rights.pk]
    )
    assert all(appeal.code in n.title for n in Notification.objects.all())


def test_an_overdue_appeal_is_told_by_its_escalation_not_by_a_reminder(world, rights):
    mine = world["mine"]
    appeal = make_appeal(mine["organization"], anonymous=True)
    yesterday = timezone.localdate() - timedelta(days=1)
    type(appeal).objects.unscoped().filter(pk=appeal.pk).update(accept_due=yesterday)

    assert appeal_services.send_deadline_reminders() == 0
    appeal_services.escalate_overdue_appeals()
    assert told(NotificationKind.APPEAL_ESCALATED) == [rights.pk]
    assert told(NotificationKind.APPEAL_DUE_SOON) == []


# ----- ratings -----


def test_a_rating_reaches_the_rated_instructor(world, django_capture_on_commit_callbacks):
    mine = world["mine"]
    term = ended_assignment(mine)
    with django_capture_on_commit_callbacks(execute=True):
        evaluation_services.rate_instructor(actor=mine["officer"], assignment=term, satisfaction=5)
    assert told(NotificationKind.RATING_RECEIVED) == [term.instructor.user.pk]
    assert Notification.objects.get().link == f"/dispatch/evaluations/{term.pk}/"
