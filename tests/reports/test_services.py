from datetime import date, timedelta

import chinese_calendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests import factories
from tests.reports.conftest import on_site, work_record
from zhidao.fieldwork.models import Duty, OnSiteDay, WorkRecord
from zhidao.reports import services
from zhidao.reports.figures import due_date
from zhidao.reports.models import QuarterlyReport, ReportStatus

pytestmark = pytest.mark.django_db


def _draft(mine, year=2026, quarter=3):
    return services.create_or_get_draft(
        actor=mine["instructor_user"], assignment=mine["assignment"], year=year, quarter=quarter
    )


def _fill(report, actor):
    return services.update_narrative(
        actor=actor,
        report=report,
        work_done="开展走访调研",
        problems="部分职工参与度不高",
        next_plan="推动召开职代会",
    )


def _submitted(mine):
    report = _fill(_draft(mine), mine["instructor_user"])
    return services.submit_report(actor=mine["instructor_user"], report=report)


def test_draft_figures_equal_counts_computed_from_the_records(q3_records):
    """FIGURES.md by hand: Q3's weeks are those whose Thursday falls in July–September (the
    week of Monday 29 June counts, that of 28 September does not); dated facts by their date."""
    report = _draft(q3_records)
    mondays = [date(2026, 6, 29) + timedelta(weeks=n) for n in range(13)]
    assert mondays[-1] == date(2026, 9, 21)
    confirmed = set(OnSiteDay.objects.filter(status="confirmed").values_list("on_date", flat=True))
    met = exempt = missed = 0
    for monday in mondays:
        week = [monday + timedelta(days=offset) for offset in range(7)]
        working = [day for day in week if chinese_calendar.is_workday(day)]
        on_leave = all(date(2026, 8, 10) <= day <= date(2026, 8, 14) for day in working)
        if confirmed & set(week):
            met += 1
        elif not working or on_leave:
            exempt += 1
        else:
            missed += 1
    counts = report.figures["counts"]
    assert (counts["weeks_met"], counts["weeks_exempt"], counts["weeks_missed"]) == (
        met,
        exempt,
        missed,
    )
    assert counts["weeks_met"] == 4  # 29 June counts: its Thursday is in Q3
    assert counts["weeks_required"] == 13
    assert counts["on_site_days"] == 4  # 30 June is a Q2 date although its week is Q3's
    assert counts["days_pending"] == 1
    assert counts["work_records"] == 3
    assert report.figures["by_duty"] == [
        {"duty": "investigation", "count": 2, "dates": ["2026-07-06", "2026-07-15"]},
        {"duty": "guidance", "count": 1, "dates": ["2026-09-02"]},
    ]
    assert (counts["findings_opened"], counts["findings_closed"]) == (3, 2)
    assert counts["findings_opened_closed"] == 1
    assert report.figures["findings_overdue"] == 2
    assert (counts["matters_done"], counts["beneficiaries_workers"]) == (2, 150)
    assert counts["beneficiaries_enterprises"] == 0
    assert report.figures["appeals_handled"] == 2
    missed_week = next(w for w in report.figures["weeks"] if w["week_start"] == "2026-07-20")
    assert (missed_week["state"], missed_week["pending"]) == ("missed", ["2026-07-22"])
    assert report.data_as_of
    assert report.status == ReportStatus.DRAFT


def test_a_term_starting_on_a_wednesday_counts_its_first_week(world):
    mine = world["mine"]
    assignment = factories.make_assignment(
        instructor=factories.InstructorFactory(federation=mine["city"]),
        organizations=[mine["organization"]],
        batch=mine["batch"],
        starts_on=date(2026, 7, 8),  # a Wednesday
        ends_on=date(2027, 7, 7),
        today=date(2026, 7, 8),
    )
    on_site(assignment, date(2026, 7, 9))
    report = services.create_or_get_draft(
        actor=assignment.instructor.user, assignment=assignment, year=2026, quarter=3
    )
    weeks = {w["week_start"]: w["state"] for w in report.figures["weeks"]}
    assert weeks["2026-07-06"] == "met"
    assert report.figures["counts"]["weeks_met"] == 1


def test_create_or_get_draft_returns_the_existing_report(q3_records):
    assert _draft(q3_records).pk == _draft(q3_records).pk
    assert QuarterlyReport.objects.count() == 1


def test_refresh_figures_recomputes_a_draft(q3_records):
    report = _draft(q3_records)
    work_record(q3_records["assignment"], date(2026, 9, 10), Duty.RIGHTS_PROTECTION)
    report = services.refresh_figures(actor=q3_records["instructor_user"], report=report)
    assert report.figures["counts"]["work_records"] == 4


def test_editing_a_record_after_approval_does_not_change_the_report(q3_records):
    report = _submitted(q3_records)
    report = services.approve_report(actor=q3_records["admin"], report=report)
    before = report.figures
    WorkRecord.objects.filter(assignment=q3_records["assignment"]).update(duty=Duty.OTHER)
    on_site(q3_records["assignment"], date(2026, 9, 15))
    report.refresh_from_db()
    assert report.figures == before
    with pytest.raises(ValidationError):
        services.refresh_figures(actor=q3_records["instructor_user"], report=report)
    report.refresh_from_db()
    assert report.figures["counts"]["on_site_days"] == 4


def test_submit_records_the_transition_and_marks_late_after_the_due_date(world):
    report = _submitted(world["mine"])
    assert report.status == ReportStatus.SUBMITTED
    assert report.due_on == date(2026, 10, 10)
    assert report.is_late  # today is 2026-11-25
    transition = report.transitions.last()
    assert (transition.from_status, transition.to_status) == ("draft", "submitted")
    assert transition.actor == world["mine"]["instructor_user"]


def test_due_date_is_the_tenth_day_after_the_quarter_ends():
    assert due_date(2026, 3) == date(2026, 10, 10)
    assert due_date(2026, 4) == date(2027, 1, 10)


def test_due_date_follows_the_setting(settings):
    settings.REPORTS_DUE_DAYS_AFTER_QUARTER = 15
    assert due_date(2026, 1) == date(2026, 4, 15)


def test_submission_before_the_due_date_is_not_late(world):
    mine = world["mine"]
    report = _fill(_draft(mine, 2026, 4), mine["instructor_user"])
    report = services.submit_report(actor=mine["instructor_user"], report=report)
    assert not report.is_late


def test_submit_requires_the_narrative(world):
    report = _draft(world["mine"])
    with pytest.raises(ValidationError) as error:
        services.submit_report(actor=world["mine"]["instructor_user"], report=report)
    assert "work_done" in error.value.message_dict


def test_only_the_assignments_instructor_may_submit(world):
    report = _fill(_draft(world["mine"]), world["mine"]["instructor_user"])
    for user in (world["mine"]["admin"], world["other"]["instructor_user"]):
        with pytest.raises(PermissionDenied):
            services.submit_report(actor=user, report=report)


def test_return_requires_a_comment_and_sends_the_report_back_for_editing(world):
    mine = world["mine"]
    report = _submitted(mine)
    with pytest.raises(ValidationError):
        services.return_report(actor=mine["admin"], report=report, comment="  ")
    report = services.return_report(actor=mine["admin"], report=report, comment="请补充实事情况")
    assert report.status == ReportStatus.RETURNED
    assert report.transitions.last().comment == "请补充实事情况"
    report = _fill(report, mine["instructor_user"])
    report = services.submit_report(actor=mine["instructor_user"], report=report)
    assert report.status == ReportStatus.SUBMITTED


@pytest.mark.parametrize("who", ["leader", "instructor_user", "officer", "other_admin"])
def test_only_an_admin_of_the_subtree_may_approve(world, who):
    report = _submitted(world["mine"])
    actor = world["other"]["admin"] if who == "other_admin" else world["mine"][who]
    with pytest.raises(PermissionDenied):
        services.approve_report(actor=actor, report=report)
    with pytest.raises(PermissionDenied):
        services.return_report(actor=actor, report=report, comment="退回")


def test_a_draft_cannot_be_approved(world):
    report = _draft(world["mine"])
    with pytest.raises(ValidationError):
        services.approve_report(actor=world["mine"]["admin"], report=report)


def test_second_admin_approving_is_refused(world):
    mine = world["mine"]
    second_admin = factories.federation_admin(mine["city"])
    report = _submitted(mine)
    stale = QuarterlyReport.objects.get(pk=report.pk)
    services.approve_report(actor=mine["admin"], report=report)
    with pytest.raises(ValidationError):
        services.approve_report(actor=second_admin, report=stale)
    assert report.transitions.filter(to_status=ReportStatus.APPROVED).count() == 1


def test_a_quarter_that_has_not_begun_cannot_be_drafted(world):
    with pytest.raises(ValidationError):
        _draft(world["mine"], 2027, 1)
