"""The summary rows follow every write once it commits (a background task, eager in tests and
in the demo), only for what changed, and the write never waits for or fails on it."""

import uuid
from datetime import date, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from zhidao.fieldwork import services
from zhidao.fieldwork.compliance import services as compliance_services
from zhidao.fieldwork.models import Finding, FindingStatus, LeaveKind, OnSiteDay, WorkRecord
from zhidao.fieldwork.onsite import services as onsite_services
from zhidao.figures import tasks
from zhidao.figures.models import AssignmentWeekFigures, OrganizationWeekFigures
from zhidao.figures.periods import Period
from zhidao.figures.refresh import refresh
from zhidao.figures.summary import subtree_figures
from zhidao.orgs import services as org_services

NOW = datetime(2026, 11, 25, 10, 0)  # a Wednesday
MONDAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(timezone.make_aware(NOW), tick=False):
        yield


def _check_in(mine, when=None):
    return services.check_in(
        actor=mine["instructor_user"],
        client_uuid=uuid.uuid4(),
        assignment_id=mine["assignment"].pk,
        organization_id=mine["organization"].pk,
        checked_in_at=when,
    ).record


def _week(mine, monday=MONDAY):
    return AssignmentWeekFigures.objects.filter(
        assignment=mine["assignment"], week_start=monday
    ).first()


def test_a_confirmation_shows_on_the_dashboard_once_it_commits(
    world, django_capture_on_commit_callbacks
):
    mine = world["mine"]
    with django_capture_on_commit_callbacks(execute=True):
        day = _check_in(mine)
    row = _week(mine)
    assert (row.state, row.on_site_days, row.days_pending) == ("pending", 0, 1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        onsite_services.confirm_day(actor=mine["officer"], day=day)
    assert len(callbacks) >= 1
    row = _week(mine)
    assert (row.state, row.on_site_days, row.days_pending) == ("met", 1, 0)
    quarter = subtree_figures(mine["city"], Period.quarter(2026, 4), today=NOW.date())
    assert quarter.totals["on_site_days"] == 1 and quarter.as_of is not None


def test_nothing_is_sent_before_the_commit(world, django_capture_on_commit_callbacks):
    mine = world["mine"]
    with mock.patch.object(tasks.refresh_noted, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            _check_in(mine)
            assert not delay.called  # still inside the transaction
        assert not delay.called
        for callback in callbacks:
            callback()
        assert delay.call_count == 1  # one task for the whole commit, however many notes
        payload = delay.call_args.args[0]
    assert ["assignment", mine["assignment"].pk, "2026-11-25", "2026-11-25"] in payload


def test_a_write_that_rolls_back_refreshes_nothing(world, django_capture_on_commit_callbacks):
    mine = world["mine"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                _check_in(mine)
                raise RuntimeError("the request failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not OnSiteDay.objects.exists()
    assert not AssignmentWeekFigures.objects.filter(on_site_days__gt=0).exists()
    assert not AssignmentWeekFigures.objects.filter(days_pending__gt=0).exists()


def test_a_broker_that_is_down_does_not_fail_the_write(world, django_capture_on_commit_callbacks):
    mine = world["mine"]
    with (
        mock.patch.object(tasks.refresh_noted, "delay", side_effect=ConnectionError("down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        day = _check_in(mine)
    assert OnSiteDay.objects.filter(pk=day.pk).exists()


def test_leave_approved_after_the_week_exempts_it_as_reported_late(
    world, django_capture_on_commit_callbacks
):
    mine = world["mine"]
    leave = compliance_services.request_leave(
        actor=mine["instructor_user"],
        kind=LeaveKind.LEAVE,
        starts_on=date(2026, 11, 9),
        ends_on=date(2026, 11, 13),
        reason="病假",
    )
    refresh([mine["assignment"].pk], first=date(2026, 11, 9), last=date(2026, 11, 15))
    assert _week(mine, date(2026, 11, 9)).state == "missed"
    with django_capture_on_commit_callbacks(execute=True):
        compliance_services.approve_leave(actor=mine["admin"], leave=leave)
    row = _week(mine, date(2026, 11, 9))
    assert (row.state, row.exempt_reason, row.exempt_late) == ("exempt", "leave", True)


def test_an_organization_moved_to_another_district_takes_its_figures_along(
    world, django_capture_on_commit_callbacks
):
    mine = world["mine"]
    other_district = factories.make_federation(
        name="湘潭第二区总工会", level="district", parent=mine["city"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        WorkRecord.objects.create(
            assignment=mine["assignment"],
            organization=mine["organization"],
            instructor=mine["instructor"],
            duty="guidance",
            worked_on=date(2026, 11, 24),
            recorded_on=date(2026, 11, 24),
            content="指导换届",
        )
    assert OrganizationWeekFigures.objects.get().federation == mine["district"]
    with django_capture_on_commit_callbacks(execute=True):
        org_services.update_organization(
            organization=mine["organization"], federation=other_district
        )
    assert OrganizationWeekFigures.objects.get().federation == other_district
    assert AssignmentWeekFigures.objects.filter(federation=other_district).exists()


def test_a_finding_closed_after_the_term_counts_in_the_quarter_it_was_closed(
    world, django_capture_on_commit_callbacks
):
    mine = world["mine"]
    assignment = mine["assignment"]
    with django_capture_on_commit_callbacks(execute=True):
        finding = _open_finding(mine, assignment)
    with django_capture_on_commit_callbacks(execute=True):
        finding.status = FindingStatus.CLOSED
        finding.closed_at = timezone.now()
        finding.save()
    q4 = subtree_figures(mine["city"], Period.quarter(2026, 4), today=NOW.date()).totals
    q2 = subtree_figures(mine["city"], Period.quarter(2026, 2), today=NOW.date()).totals
    assert (q2["findings_opened"], q2["findings_closed"], q2["findings_opened_closed"]) == (1, 0, 0)
    assert q4["findings_closed"] == 1
    year = subtree_figures(mine["city"], Period.year(2026), today=NOW.date()).totals
    assert year["findings_opened_closed"] == 1  # found and closed within 2026


def _open_finding(mine, assignment):
    return Finding.objects.create(
        assignment=assignment,
        organization=mine["organization"],
        category="rules",
        description="制度不健全",
        recommendation="建立制度",
        found_on=date(2026, 5, 6),
        due_on=date(2026, 6, 30),
        status=FindingStatus.ANSWERED,
        created_by=mine["instructor_user"],
    )


def test_refreshing_a_week_costs_the_same_whatever_the_history(world):
    mine = world["mine"]
    assignment = mine["assignment"]

    def cost():
        with CaptureQueriesContext(connection) as queries:
            refresh([assignment.pk], first=MONDAY, last=MONDAY + timedelta(days=6))
        return len(queries)

    before = cost()
    day = date(2026, 3, 2)
    while day < MONDAY:
        OnSiteDay.objects.create(
            assignment=assignment,
            organization=mine["organization"],
            instructor=mine["instructor"],
            on_date=day,
            checked_in_at=timezone.make_aware(datetime.combine(day, datetime.min.time())),
            status="confirmed",
        )
        day += timedelta(days=3)
    assert cost() == before
