"""Weekly compliance: met, missed, exempt, pending and the "calendar missing" mark."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.fieldwork.compliance.helpers import leave, on_site_day
from zhidao.fieldwork.compliance.selectors import WeekState, compliance_grid, weekly_compliance
from zhidao.fieldwork.models import OnSiteDayStatus
from zhidao.holidays.models import CalendarDay, CalendarYear

TODAY = date(2026, 11, 25)  # Wednesday of ISO week 2026-W48
pytestmark = pytest.mark.django_db


def monday(year: int, week: int) -> date:
    return date.fromisocalendar(year, week, 1)


def another_organization(mine):
    return factories.OrganizationFactory(federation=mine["district"], union=mine["union"])


def cell_of(user, assignment, week_monday: date, today: date = TODAY):
    grid = weekly_compliance(user, weeks=[week_monday], today=today)
    row = next(row for row in grid.rows if row.assignment.pk == assignment.pk)
    return row.cells[0]


def test_week_with_a_confirmed_day_is_met(world):
    mine = world["mine"]
    on_site_day(mine["assignment"], date(2026, 11, 18))
    assert cell_of(mine["admin"], mine["assignment"], monday(2026, 47)).state == WeekState.MET


def test_week_with_only_an_unconfirmed_day_is_missed(world):
    mine = world["mine"]
    on_site_day(mine["assignment"], date(2026, 11, 18), OnSiteDayStatus.UNCONFIRMED)
    cell = cell_of(mine["admin"], mine["assignment"], monday(2026, 47))
    assert cell.state == WeekState.MISSED
    assert cell.unconfirmed_days == 1


def test_current_week_with_only_an_unconfirmed_day_is_pending(world):
    mine = world["mine"]
    on_site_day(mine["assignment"], date(2026, 11, 24), OnSiteDayStatus.UNCONFIRMED)
    assert cell_of(mine["admin"], mine["assignment"], monday(2026, 48)).state == WeekState.PENDING


def test_current_week_with_a_confirmed_day_is_met(world):
    mine = world["mine"]
    on_site_day(mine["assignment"], date(2026, 11, 24))
    assert cell_of(mine["admin"], mine["assignment"], monday(2026, 48)).state == WeekState.MET


def test_week_with_a_disputed_day_is_missed(world):
    mine = world["mine"]
    on_site_day(mine["assignment"], date(2026, 11, 18), OnSiteDayStatus.DISPUTED)
    cell = cell_of(mine["admin"], mine["assignment"], monday(2026, 47))
    assert cell.state == WeekState.MISSED
    assert cell.disputed_days == 1


def test_spring_festival_week_2026_is_exempt(world):
    # chinese-calendar 2026: 春节 holidays 2-15 (Sun) to 2-23 (Mon); 调休 on Sat 2-14 and 2-28,
    # so ISO week 2026-W08 (2-16 to 2-22) has no working day at all.
    mine = world["mine"]
    assignment = factories.make_assignment(
        instructor=mine["instructor"],
        organizations=[mine["organization"]],
        batch=mine["batch"],
        starts_on=date(2026, 1, 5),
        ends_on=date(2026, 2, 28),
    )
    cell = cell_of(mine["admin"], assignment, monday(2026, 8))
    assert cell.state == WeekState.EXEMPT
    assert cell.exempt_reason == "holiday"
    assert not cell.calendar_missing


def test_week_with_an_adjusted_working_saturday_is_not_exempt(world):
    # 2026-W07 (2-9 to 2-15) ends the working year with 调休 on Saturday 2-14.
    mine = world["mine"]
    assignment = factories.make_assignment(
        instructor=mine["instructor"],
        organizations=[mine["organization"]],
        batch=mine["batch"],
        starts_on=date(2026, 1, 5),
        ends_on=date(2026, 2, 28),
    )
    assert cell_of(mine["admin"], assignment, monday(2026, 7)).state == WeekState.MISSED


def test_holiday_week_with_a_working_saturday_in_it_is_not_exempt(world):
    # Monday to Friday all holidays, but the Saturday is worked (调休): one day is owed.
    mine = world["mine"]
    year = CalendarYear.objects.create(year=2030, source="manual")
    holidays = [date(2030, 2, 4) + timedelta(days=offset) for offset in range(5)]
    CalendarDay.objects.bulk_create(
        [CalendarDay(date=day, kind="holiday", name="春节", calendar_year=year) for day in holidays]
        + [CalendarDay(date=date(2030, 2, 9), kind="workday", calendar_year=year)]
    )
    assignment = factories.make_assignment(
        instructor=mine["instructor"],
        organizations=[mine["organization"]],
        batch=mine["batch"],
        starts_on=date(2030, 1, 7),
        ends_on=date(2030, 12, 31),
        today=date(2030, 1, 7),
    )
    with time_machine.travel("2030-03-01 10:00 +0800", tick=False):
        cell = cell_of(mine["admin"], assignment, monday(2030, 6), today=date(2030, 3, 1))
    assert cell.state == WeekState.MISSED
    assert not cell.calendar_missing


def test_approved_leave_covering_the_week_exempts_it(world):
    mine = world["mine"]
    leave(mine["instructor"], date(2026, 11, 16), date(2026, 11, 20))
    cell = cell_of(mine["admin"], mine["assignment"], monday(2026, 47))
    assert cell.state == WeekState.EXEMPT
    assert cell.exempt_reason == "leave"


def test_rejected_leave_does_not_exempt_the_week(world):
    mine = world["mine"]
    leave(mine["instructor"], date(2026, 11, 16), date(2026, 11, 20), status="rejected")
    assert cell_of(mine["admin"], mine["assignment"], monday(2026, 47)).state == WeekState.MISSED


def test_leave_covering_only_part_of_the_working_days_does_not_exempt(world):
    mine = world["mine"]
    leave(mine["instructor"], date(2026, 11, 16), date(2026, 11, 19))
    assert cell_of(mine["admin"], mine["assignment"], monday(2026, 47)).state == WeekState.MISSED


def test_week_of_a_year_without_calendar_data_is_ordinary_and_marked(world):
    mine = world["mine"]
    assert not CalendarYear.objects.filter(year=2030).exists()
    assignment = factories.make_assignment(
        instructor=mine["instructor"],
        organizations=[mine["organization"]],
        batch=mine["batch"],
        starts_on=date(2030, 1, 7),
        ends_on=date(2030, 12, 31),
        today=date(2030, 1, 7),
    )
    on_site_day(assignment, date(2030, 1, 1 + 7))  # Tuesday of 2030-W02
    with time_machine.travel("2030-03-01 10:00 +0800", tick=False):
        grid = weekly_compliance(
            mine["admin"], weeks=[monday(2030, 2), monday(2030, 3)], today=date(2030, 3, 1)
        )
    row = next(row for row in grid.rows if row.assignment.pk == assignment.pk)
    assert [cell.state for cell in row.cells] == [WeekState.MET, WeekState.MISSED]
    assert all(cell.calendar_missing for cell in row.cells)


def test_first_partial_week_of_a_term_starting_mid_week_counts(world):
    mine = world["mine"]
    assignment = factories.make_assignment(
        instructor=mine["instructor"],
        organizations=[another_organization(mine)],
        batch=mine["batch"],
        starts_on=date(2026, 11, 11),  # a Wednesday
        ends_on=date(2027, 11, 10),
        today=date(2026, 11, 11),
    )
    grid = weekly_compliance(mine["admin"], weeks=[monday(2026, 45), monday(2026, 46)], today=TODAY)
    row = next(row for row in grid.rows if row.assignment.pk == assignment.pk)
    assert [cell.state for cell in row.cells] == [WeekState.OUTSIDE, WeekState.MISSED]
    on_site_day(assignment, date(2026, 11, 12))
    grid = weekly_compliance(mine["admin"], weeks=[monday(2026, 46)], today=TODAY)
    row = next(row for row in grid.rows if row.assignment.pk == assignment.pk)
    assert row.cells[0].state == WeekState.MET


def test_leave_over_the_term_part_of_a_partial_week_exempts_it(world):
    mine = world["mine"]
    assignment = factories.make_assignment(
        instructor=mine["instructor"],
        organizations=[another_organization(mine)],
        batch=mine["batch"],
        starts_on=date(2026, 11, 11),
        ends_on=date(2027, 11, 10),
        today=date(2026, 11, 11),
    )
    leave(mine["instructor"], date(2026, 11, 11), date(2026, 11, 13))
    assert cell_of(mine["admin"], assignment, monday(2026, 46)).state == WeekState.EXEMPT


def test_assignment_with_two_days_a_week_needs_two_confirmed_days(world):
    mine = world["mine"]
    assignment = mine["assignment"]
    assignment.min_days_per_week = 2
    assignment.save()
    on_site_day(assignment, date(2026, 11, 16))
    assert cell_of(mine["admin"], assignment, monday(2026, 47)).state == WeekState.MISSED
    on_site_day(assignment, date(2026, 11, 17))
    assert cell_of(mine["admin"], assignment, monday(2026, 47)).state == WeekState.MET


def test_two_organizations_on_the_same_date_count_as_one_day(world):
    mine = world["mine"]
    first, second = another_organization(mine), another_organization(mine)
    assignment = factories.make_assignment(
        instructor=mine["instructor"],
        organizations=[first, second],
        batch=mine["batch"],
        min_days_per_week=2,
    )
    on_site_day(assignment, date(2026, 11, 16))
    on_site_day(assignment, date(2026, 11, 16), organization=second)
    cell = cell_of(mine["admin"], assignment, monday(2026, 47))
    assert cell.confirmed_days == 1
    assert cell.state == WeekState.MISSED


def test_rate_leaves_out_exempt_and_pending_weeks(world):
    mine = world["mine"]
    assignment = mine["assignment"]
    on_site_day(assignment, date(2026, 11, 3))  # W45 met
    leave(mine["instructor"], date(2026, 11, 9), date(2026, 11, 13))  # W46 exempt
    # W47 missed, W48 (current) pending
    weeks = [monday(2026, week) for week in (45, 46, 47, 48)]
    row = next(
        row
        for row in weekly_compliance(mine["admin"], weeks=weeks, today=TODAY).rows
        if row.assignment.pk == assignment.pk
    )
    assert [cell.state for cell in row.cells] == ["met", "exempt", "missed", "pending"]
    assert row.rate == 0.5


def test_other_federations_assignments_are_not_in_the_grid(world):
    grid = weekly_compliance(world["mine"]["leader"], weeks=[monday(2026, 47)], today=TODAY)
    assert {row.assignment.pk for row in grid.rows} == {world["mine"]["assignment"].pk}


def test_days_outside_the_weeks_shown_are_not_read(world):
    mine = world["mine"]
    on_site_day(mine["assignment"], date(2026, 6, 3))
    with CaptureQueriesContext(connection) as queries:
        weekly_compliance(mine["admin"], weeks=[monday(2026, 47)], today=TODAY)
    day_query = next(q["sql"] for q in queries if "fieldwork_onsiteday" in q["sql"])
    assert "2026-11-16" in day_query and "2026-11-22" in day_query


def test_grid_costs_the_same_queries_for_few_and_many_assignments(world):
    mine = world["mine"]
    weeks = [monday(2026, week) for week in range(40, 49)]

    def count():
        with CaptureQueriesContext(connection) as queries:
            grid = weekly_compliance(mine["admin"], weeks=weeks, today=TODAY)
            for row in grid.rows:
                list(row.assignment.organizations.all())
        return len(queries), len(grid.rows)

    count()  # the user's scope is read once, then cached
    few, rows_before = count()
    for _ in range(6):
        instructor = factories.InstructorFactory(federation=mine["city"])
        assignment = factories.make_assignment(
            instructor=instructor, organizations=[mine["organization"]], batch=mine["batch"]
        )
        on_site_day(assignment, date(2026, 11, 17))
        leave(instructor, date(2026, 10, 5), date(2026, 10, 9))
    many, rows_after = count()
    assert rows_after == rows_before + 6
    assert many == few


def test_compliance_grid_of_no_assignments_is_empty():
    grid = compliance_grid([], mondays=[monday(2026, 47)], today=TODAY)
    assert grid.rows == []
    assert len(grid.weeks) == 1
