"""Loaded on any day of any year, the demo is current: its current term holds that day, it has
reports and a field-work history up to that day, and nothing in it is dated after the load.

Each class loads the small demo once with the clock frozen at its moment; the checks are plain
queries written here, not the loader's own helpers.
"""

from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.db.models import F, Max, Min
from django.test import TestCase
from django.utils import timezone

from zhidao.accounts.models import Role, RoleGrant
from zhidao.appeals.models import Appeal, AppealEvent
from zhidao.dispatch.models import Assignment, AssignmentStatus, Batch
from zhidao.evaluation.models import Evaluation
from zhidao.exchange.models import Attendance, Event
from zhidao.fieldwork.models import (
    Finding,
    FindingTransition,
    OnSiteDay,
    PracticalMatter,
    WorkRecord,
)
from zhidao.reports.models import QuarterlyReport, ReportStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")
CITY = "湘潭市总工会"
GEELY = "湖南吉利汽车部件有限公司"
SMALL = ["--size", "small", "--organizations", "40"]

# Dates that lie ahead by nature: the end of a term, deadlines, the holiday calendar, and exchange
# events announced for later (those are checked apart: nobody has signed in to them).
AHEAD_BY_NATURE = {
    ("dispatch", "batch", "ends_on"),
    ("dispatch", "assignment", "ends_on"),
    ("fieldwork", "finding", "due_on"),
    ("appeals", "appeal", "accept_due"),
    ("appeals", "appeal", "first_answer_due"),
    ("appeals", "appeal", "resolve_due"),
    ("reports", "quarterlyreport", "due_on"),
    ("holidays", "calendarday", "date"),
    ("exchange", "event", "held_on"),
}


def term_start_holding(day: date) -> date:
    """The 1 March on or before the day: the programme's terms start then."""
    return date(day.year if (day.month, day.day) >= (3, 1) else day.year - 1, 3, 1)


def quarter_due_dates(first: date, last: date) -> list[tuple[int, int, date]]:
    """(year, quarter, due date) of the quarters overlapping first..last; due 10 days after."""
    quarters = []
    year, quarter = first.year, (first.month - 1) // 3 + 1
    while date(year, 3 * quarter - 2, 1) <= last:
        next_start = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
        quarters.append((year, quarter, next_start - timedelta(days=1) + timedelta(days=10)))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return quarters


class DemoLoadedOn(TestCase):
    __test__ = False
    moment: datetime

    @classmethod
    def setUpTestData(cls):
        cls.day = cls.moment.date()
        cls.term_start = term_start_holding(cls.day)
        cls.previous_term_start = cls.term_start.replace(year=cls.term_start.year - 1)
        # Rows the migrations wrote (holidays, indicator sets) carry the real clock's time.
        cls.before_load = {
            model: set(model._base_manager.values_list("pk", flat=True))
            for model in apps.get_models()
        }
        with time_machine.travel(cls.moment, tick=False):
            call_command("load_demo", *SMALL, stdout=StringIO())

    def test_the_current_city_term_starts_on_the_1_march_before_the_day(self):
        city_terms = Batch.objects.filter(federation__name=CITY)
        current = city_terms.get(starts_on__lte=self.day, ends_on__gte=self.day)
        assert current.name == "第六期"
        assert current.starts_on == self.term_start
        assert current.year == self.term_start.year
        assert city_terms.get(name="第一期").starts_on == date(self.term_start.year - 5, 4, 1)
        assert not Batch.objects.filter(starts_on__gt=self.day).exists()
        for batch in Batch.objects.all():
            assert batch.year == batch.starts_on.year, batch.name

    def test_each_district_third_term_holds_the_day(self):
        district_terms = Batch.objects.exclude(federation__name=CITY).filter(
            name__endswith="第三期"
        )
        assert district_terms.exists()
        for batch in district_terms:
            assert batch.starts_on <= self.day <= batch.ends_on, batch.name

    def test_the_active_assignments_are_those_whose_term_holds_the_day(self):
        active = Assignment.objects.filter(status=AssignmentStatus.ACTIVE)
        assert active.exists()
        assert not active.exclude(starts_on__lte=self.day, ends_on__gte=self.day).exists()
        holding = Assignment.objects.filter(starts_on__lte=self.day, ends_on__gte=self.day)
        assert set(holding.values_list("status", flat=True)) == {AssignmentStatus.ACTIVE}
        ouyang = active.get(instructor__name="欧阳新建")
        assert GEELY in set(ouyang.organizations.values_list("name", flat=True))

    def test_there_are_approved_reports_of_this_term_and_the_previous_one(self):
        reports = QuarterlyReport.objects.all()
        approved = reports.filter(status=ReportStatus.APPROVED)
        assert approved.filter(assignment__starts_on=self.previous_term_start).exists()
        assert not reports.filter(due_on__gte=self.day).exists()
        # A quarter of this term due a month ago has been approved for every active assignment.
        for assignment in Assignment.objects.filter(status=AssignmentStatus.ACTIVE):
            for year, quarter, due_on in quarter_due_dates(assignment.starts_on, self.day):
                if due_on <= self.day - timedelta(days=30):
                    assert approved.filter(
                        assignment=assignment, year=year, quarter=quarter
                    ).exists(), (assignment, year, quarter)

    def test_the_evaluations_are_of_the_previous_term(self):
        terms = set(Evaluation.objects.values_list("assignment__starts_on", flat=True))
        assert terms == {self.previous_term_start}

    def test_the_history_covers_the_current_term_so_far_and_the_last_week(self):
        first_day = OnSiteDay.objects.aggregate(first=Min("on_date"))["first"]
        assert first_day <= self.term_start
        last_week = OnSiteDay.objects.filter(
            on_date__gte=self.day - timedelta(days=7), on_date__lt=self.day
        )
        assert last_week.exists()
        # Every week of the term before this one has someone on site.
        monday = self.term_start - timedelta(days=self.term_start.weekday())
        this_monday = self.day - timedelta(days=self.day.weekday())
        while monday < this_monday:
            week = OnSiteDay.objects.filter(
                on_date__gte=monday, on_date__lt=monday + timedelta(days=7)
            )
            assert week.exists(), monday
            monday += timedelta(days=7)

    def test_no_row_the_demo_wrote_is_dated_after_the_load(self):
        late = []
        for model in apps.get_models():
            rows = model._base_manager.exclude(pk__in=self.before_load[model])
            for field in model._meta.concrete_fields:
                key = (model._meta.app_label, model._meta.model_name, field.name)
                if key in AHEAD_BY_NATURE:
                    continue
                if isinstance(field, models.DateTimeField):
                    limit = self.moment
                elif isinstance(field, models.DateField):
                    limit = self.day
                else:
                    continue
                latest = rows.aggregate(latest=Max(field.name))["latest"]
                if latest is not None and latest > limit:
                    late.append((key, latest))
        assert late == []

    def test_upcoming_exchange_events_have_nobody_signed_in(self):
        upcoming = Event.objects.filter(held_on__gt=self.day)
        assert not Attendance.objects.filter(event__in=upcoming).exists()

    def test_each_step_comes_after_the_one_before(self):
        days = OnSiteDay.objects.all()
        assert not days.filter(confirmed_at__lt=F("checked_in_at")).exists()
        assert not days.filter(disputed_at__lt=F("checked_in_at")).exists()
        assert not days.filter(checked_out_at__lt=F("checked_in_at")).exists()
        for on_date, checked_in_at in days.values_list("on_date", "checked_in_at"):
            assert timezone.localtime(checked_in_at, SHANGHAI).date() == on_date
        assert not WorkRecord.objects.filter(recorded_on__lt=F("worked_on")).exists()
        findings = Finding.objects.all()
        assert not findings.filter(due_on__lte=F("found_on")).exists()
        assert not findings.filter(closed_at__lt=F("answered_at")).exists()
        for found_on, answered_at, closed_at in findings.values_list(
            "found_on", "answered_at", "closed_at"
        ):
            for moment in (answered_at, closed_at):
                assert moment is None or timezone.localtime(moment, SHANGHAI).date() >= found_on
        for found_on, at in FindingTransition.objects.values_list("finding__found_on", "at"):
            assert timezone.localtime(at, SHANGHAI).date() >= found_on
        matters = PracticalMatter.objects.all()
        assert not matters.filter(completed_on__lt=F("started_on")).exists()
        appeals = Appeal.objects.all()
        for later in ("accepted_at", "first_answered_at", "resolved_at", "closed_at"):
            assert not appeals.filter(**{f"{later}__lt": F("created_at")}).exists(), later
        assert not AppealEvent.objects.filter(at__lt=F("appeal__created_at")).exists()

    def test_findings_matters_and_appeals_lie_in_their_term_and_the_history(self):
        # The small demo's history starts with the previous term.
        history_start = self.previous_term_start
        findings = Finding.objects.all()
        assert findings.exists()
        assert not findings.filter(found_on__lt=F("assignment__starts_on")).exists()
        assert not findings.filter(found_on__gt=F("assignment__ends_on")).exists()
        assert not findings.filter(found_on__lt=history_start).exists()
        matters = PracticalMatter.objects.all()
        assert matters.exists()
        assert not matters.filter(started_on__lt=F("assignment__starts_on")).exists()
        assert not matters.filter(completed_on__gt=F("assignment__ends_on")).exists()
        assert not matters.filter(started_on__lt=history_start).exists()
        for created_at in Appeal.objects.values_list("created_at", flat=True):
            assert timezone.localtime(created_at, SHANGHAI).date() >= history_start

    def test_findings_matters_and_appeals_are_spread_over_the_history(self):
        def months(dates) -> set[tuple[int, int]]:
            return {(day.year, day.month) for day in dates}

        assert len(months(Finding.objects.values_list("found_on", flat=True))) >= 6
        assert len(months(PracticalMatter.objects.values_list("started_on", flat=True))) >= 6
        received = Appeal.objects.values_list("created_at", flat=True)
        assert len({timezone.localtime(at, SHANGHAI).date() for at in received}) >= 10

    def test_union_officers_are_named_after_their_union(self):
        grants = RoleGrant.objects.filter(
            role=Role.UNION_OFFICER, user__username__startswith="officer"
        ).select_related("user", "union")
        assert grants.exists()
        for grant in grants:
            assert grant.user.full_name == f"{grant.union.name}主席"


class TestLoadedOnFirstDecember2026(DemoLoadedOn):
    """The reference term (2026-03-01 → 2027-02-28), early in the morning."""

    __test__ = True
    moment = datetime(2026, 12, 1, 7, 5, tzinfo=SHANGHAI)

    def test_the_terms_are_those_of_the_reference_calendar(self):
        current = Batch.objects.get(federation__name=CITY, name="第六期")
        assert (current.starts_on, current.ends_on) == (date(2026, 3, 1), date(2027, 2, 28))
        third = Batch.objects.get(federation__name=CITY, name="第三期")
        assert (third.starts_on, third.ends_on) == (date(2023, 4, 1), date(2024, 2, 29))


class TestLoadedInTheNextTerm(DemoLoadedOn):
    """Two weeks into the term after the reference one, late at night: every term moved a year."""

    __test__ = True
    moment = datetime(2027, 3, 15, 23, 50, tzinfo=SHANGHAI)

    def test_every_term_moved_one_year(self):
        first = Assignment.objects.get(instructor__name="邹谦", batch__name="第一期")
        assert first.starts_on == date(2022, 4, 1)
        third = Batch.objects.get(federation__name=CITY, name="第三期")
        # It still ends on the last day of February, a common year's this time.
        assert (third.starts_on, third.ends_on) == (date(2024, 4, 1), date(2025, 2, 28))


class TestLoadedOnTheSecondDayOfATerm(DemoLoadedOn):
    moment = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
    __test__ = True


class TestLoadedYearsAhead(DemoLoadedOn):
    """A year the holiday package may not know yet."""

    moment = datetime(2031, 8, 1, 12, 0, tzinfo=SHANGHAI)
    __test__ = True


class TestLoadedOnALeapDay(DemoLoadedOn):
    """The last day of a term that ends on 29 February."""

    moment = datetime(2028, 2, 29, 16, 30, tzinfo=SHANGHAI)
    __test__ = True

    def test_the_current_term_ends_today(self):
        current = Batch.objects.get(federation__name=CITY, name="第六期")
        assert (current.starts_on, current.ends_on) == (date(2027, 3, 1), date(2028, 2, 29))


def fieldwork_snapshot() -> dict:
    return {
        "days": sorted(
            OnSiteDay.objects.values_list("client_uuid", "on_date", "status", "checked_in_at")
        ),
        "findings": sorted(
            Finding.objects.values_list("organization__name", "found_on", "status", "closed_at")
        ),
        "matters": sorted(PracticalMatter.objects.values_list("title", "started_on", "status")),
        "appeals": sorted(Appeal.objects.values_list("description", "created_at", "state")),
        "reports": sorted(
            QuarterlyReport.objects.values_list(
                "assignment__instructor__name", "year", "quarter", "status", "approved_at"
            )
        ),
    }


@pytest.mark.django_db(transaction=True)
def test_the_same_seed_on_the_same_day_gives_the_same_data_at_any_hour():
    with time_machine.travel(datetime(2027, 3, 15, 7, 0, tzinfo=SHANGHAI), tick=False):
        call_command("load_demo", *SMALL, stdout=StringIO())
    morning = fieldwork_snapshot()
    with time_machine.travel(datetime(2027, 3, 15, 22, 30, tzinfo=SHANGHAI), tick=False):
        call_command("load_demo", *SMALL, "--reset", "--noinput", stdout=StringIO())
    assert morning["days"]
    assert fieldwork_snapshot() == morning
