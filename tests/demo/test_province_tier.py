"""The province tier (`load_demo --tier province`) and `--organizations` at sizes the name draw
used to run out at. The counts the data is checked against are computed here, independently:
from the bundled division list, from chinese_calendar and from the rows themselves."""

import csv
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import chinese_calendar
import time_machine
from django.core.management import call_command
from django.db.models import Max, Min, Sum
from django.test import TestCase

from zhidao.accounts.models import Role, RoleGrant, User
from zhidao.appeals.models import (
    Appeal,
    AppealCategoryFigures,
    AppealEvent,
    AppealMonthFigures,
)
from zhidao.audit.models import AccessEvent, AccessEventKind
from zhidao.dispatch.models import (
    Assignment,
    AssignmentOrganization,
    AssignmentStatus,
    Instructor,
)
from zhidao.fieldwork.models import OnSiteDay, OnSiteDayStatus, WorkRecord
from zhidao.figures.models import AssignmentWeekFigures
from zhidao.orgs import divisions
from zhidao.orgs.models import Federation, Organization, Union
from zhidao.orgs.validators import validate_credit_code

TODAY = datetime(2026, 11, 25, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
TODAY_STARTS = TODAY.replace(hour=0)


def run(*args: str) -> str:
    out = StringIO()
    with time_machine.travel(TODAY, tick=False):
        call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def hunan_divisions() -> tuple[set[str], dict[str, str]]:
    """Hunan's prefecture codes and county code -> prefecture code, read from the CSV itself."""
    cities, counties = set(), {}
    with divisions.DATA_FILE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if not row["code"].startswith("43"):
                continue
            if row["level"] == "prefecture":
                cities.add(row["code"])
            elif row["level"] == "county":
                counties[row["code"]] = row["parent_code"]
    return cities, counties


class TestOrganizationsAtAnySize(TestCase):
    """`--organizations 5000` stopped with "Ran out of distinct organization names"."""

    @classmethod
    def setUpTestData(cls):
        cls.output = run("--size", "small", "--organizations", "5000")

    def test_all_organizations_are_written_with_unique_names(self):
        assert Organization.objects.count() == 5000
        names = list(Organization.objects.values_list("name", flat=True))
        assert len(set(names)) == 5000

    def test_every_credit_code_is_valid_and_unique(self):
        codes = list(Organization.objects.values_list("credit_code", flat=True))
        assert len(set(codes)) == len(codes) == 5000
        for code in codes:
            validate_credit_code(code)


class TestProvinceTier(TestCase):
    """A proportional mini province (--scale 0.01: 1,000 organizations, 30 instructors)."""

    @classmethod
    def setUpTestData(cls):
        cls.output = run("--tier", "province", "--scale", "0.01")

    def test_the_whole_federation_tree_of_the_province_is_there(self):
        cities, counties = hunan_divisions()
        province = Federation.objects.get(region_code="430000")
        assert province.name == "湖南省总工会" and province.parent is None
        city_federations = Federation.objects.filter(parent=province, level="city")
        assert set(city_federations.values_list("region_code", flat=True)) == cities
        assert len(cities) == 14
        for county, city in counties.items():
            federation = Federation.objects.get(region_code=county)
            assert federation.level == "district"
            assert federation.parent.region_code == city
        assert Federation.objects.count() == 1 + len(cities) + len(counties)

    def test_every_organization_is_in_a_county_under_a_city_under_the_province(self):
        _cities, counties = hunan_divisions()
        federations = {f.pk: f for f in Federation.objects.all()}
        by_code = {f.region_code: f for f in federations.values()}
        organizations = list(Organization.objects.values("name", "credit_code", "federation_id"))
        assert len(organizations) == 1000
        for row in organizations:
            county = row["credit_code"][2:8]  # the registering county's GB/T 2260 code
            assert county in counties, row
            county_path = by_code[county].path
            owner = federations[row["federation_id"]]
            # Owned by the county's federation, or directly by its city's or the province's.
            assert county_path.startswith(owner.path), row
            assert by_code[counties[county]].parent.region_code == "430000"

    def test_names_are_unique_and_credit_codes_valid_and_unique(self):
        names = Counter(Organization.objects.values_list("name", flat=True))
        assert max(names.values()) == 1
        codes = list(Organization.objects.values_list("credit_code", flat=True))
        assert len(set(codes)) == len(codes)
        for code in codes:
            validate_credit_code(code)

    def test_search_columns_are_filled_as_the_models_save_would(self):
        for model in (Organization, Union, Instructor):
            assert not model.objects.filter(name_initials="").exists(), model

    def test_instructors_have_unique_logins_named_after_them(self):
        instructors = list(Instructor.objects.select_related("user"))
        assert len(instructors) == 30
        assert len({i.user.username for i in instructors}) == 30
        assert all(i.user.full_name == i.name for i in instructors)
        granted = set(
            RoleGrant.objects.filter(role=Role.INSTRUCTOR).values_list("user_id", flat=True)
        )
        assert {i.user_id for i in instructors} == granted
        inactive = [i for i in instructors if i.status != "active"]
        assert all(not i.user.is_active for i in inactive)

    def test_assignments_follow_the_dispatch_rules(self):
        paths = dict(Federation.objects.values_list("pk", "path"))
        today = TODAY.date()
        per_term = Counter()
        held = Counter()
        for link in AssignmentOrganization.objects.select_related(
            "assignment__instructor", "assignment__batch", "organization"
        ):
            assignment = link.assignment
            own = paths[assignment.instructor.federation_id]
            # Only units of the instructor's own federation's subtree.
            assert paths[link.organization.federation_id].startswith(own)
            assert assignment.batch.federation_id == assignment.instructor.federation_id
            held[(link.organization_id, assignment.batch.year)] += 1
        for assignment in Assignment.objects.select_related("batch"):
            per_term[(assignment.instructor_id, assignment.batch.year)] += 1
            assert (assignment.starts_on, assignment.ends_on) == (
                assignment.batch.starts_on,
                assignment.batch.ends_on,
            )
            expected = (
                AssignmentStatus.COMPLETED
                if assignment.ends_on < today
                else AssignmentStatus.ACTIVE
            )
            assert assignment.status == expected
        assert max(per_term.values()) == 1  # one assignment per instructor and term
        assert max(held.values()) == 1  # one instructor per unit and term
        assert Assignment.objects.filter(status=AssignmentStatus.ACTIVE).exists()

    def test_on_site_days_are_working_days_inside_the_term_and_before_today(self):
        days = list(
            OnSiteDay.objects.select_related("assignment").values(
                "on_date",
                "assignment__starts_on",
                "assignment__ends_on",
                "organization_id",
                "assignment_id",
                "status",
                "checked_in_at",
                "confirmed_at",
                "confirmed_by__role_grants__union_id",
                "organization__union_id",
            )
        )
        assert 4000 < len(days) < 12000  # ~7,000 at 1 % of ~700,000
        links = set(AssignmentOrganization.objects.values_list("assignment_id", "organization_id"))
        for day in days:
            assert chinese_calendar.is_workday(day["on_date"]), day
            assert day["assignment__starts_on"] <= day["on_date"] <= day["assignment__ends_on"]
            assert day["on_date"] < TODAY.date()
            assert (day["assignment_id"], day["organization_id"]) in links
            if day["status"] == OnSiteDayStatus.CONFIRMED:
                assert day["checked_in_at"] < day["confirmed_at"] < TODAY_STARTS
                # Confirmed by the officer of that organization's own union.
                assert day["confirmed_by__role_grants__union_id"] == day["organization__union_id"]
        statuses = Counter(day["status"] for day in days)
        assert statuses[OnSiteDayStatus.CONFIRMED] > 0.8 * len(days)
        assert statuses[OnSiteDayStatus.DISPUTED] > 0

    def test_history_spans_three_years_and_nothing_lies_in_the_future(self):
        span = OnSiteDay.objects.aggregate(first=Min("on_date"), last=Max("on_date"))
        assert span["first"] <= TODAY.date() - timedelta(days=3 * 365 - 14)
        assert span["last"] < TODAY.date()
        assert not WorkRecord.objects.filter(recorded_on__gte=TODAY.date()).exists()
        assert not Appeal.objects.filter(created_at__gte=TODAY_STARTS).exists()
        assert not AppealEvent.objects.filter(at__gte=TODAY_STARTS).exists()
        assert not AccessEvent.objects.filter(created_at__gte=TODAY_STARTS).exists()
        assert not OnSiteDay.objects.filter(confirmed_at__gte=TODAY_STARTS).exists()

    def test_work_records_belong_to_their_on_site_day(self):
        records = WorkRecord.objects.values_list(
            "worked_on",
            "on_site_day__on_date",
            "organization_id",
            "on_site_day__organization_id",
            "recorded_on",
        )
        assert 1.8 * OnSiteDay.objects.count() < len(records) < 2.6 * OnSiteDay.objects.count()
        for worked_on, day_date, organization, day_organization, recorded_on in records:
            assert worked_on == day_date
            assert organization == day_organization
            assert recorded_on >= worked_on

    def test_appeals_have_unique_codes_and_working_day_deadlines(self):
        appeals = list(Appeal.objects.values("code", "created_at", "accept_due", "resolve_due"))
        assert len(appeals) == 1000
        assert len({a["code"] for a in appeals}) == 1000
        for appeal in appeals:
            received = appeal["created_at"].astimezone(TODAY.tzinfo).date()
            assert appeal["accept_due"] > received
            assert chinese_calendar.is_workday(appeal["accept_due"])
            assert chinese_calendar.is_workday(appeal["resolve_due"])
            assert appeal["resolve_due"] > appeal["accept_due"]
        assert AppealEvent.objects.values("appeal").distinct().count() == 1000

    def test_handled_appeals_keep_their_handling(self):
        """The generator writes an appeal's row after its timeline set the handling columns."""
        for state, at_field in (
            ("accepted", "accepted_at"),
            ("resolved", "resolved_at"),
            ("closed", "closed_at"),
        ):
            with_state = Appeal.objects.filter(state=state)
            assert with_state.exists(), state
            assert not with_state.filter(**{f"{at_field}__isnull": True}).exists(), state
        rated = AppealEvent.objects.filter(kind="rated").values("appeal")
        assert Appeal.objects.filter(pk__in=rated, satisfaction__isnull=True).count() == 0
        assert Appeal.objects.filter(satisfaction__isnull=False).count() == rated.count() > 0

    def test_the_appeal_statistics_rows_add_up_to_the_appeals(self):
        received = AppealCategoryFigures.objects.aggregate(n=Sum("received"))["n"]
        assert received == AppealMonthFigures.objects.aggregate(n=Sum("received"))["n"] == 1000
        rated = AppealCategoryFigures.objects.aggregate(n=Sum("rated"))["n"]
        assert rated == AppealEvent.objects.filter(kind="rated").count()
        assert "appeal statistics rows" in self.output

    def test_every_on_site_day_leaves_a_login_of_its_instructor(self):
        logins = defaultdict(set)
        for username, at in AccessEvent.objects.filter(kind=AccessEventKind.LOGIN).values_list(
            "username", "created_at"
        ):
            logins[username].add(at.astimezone(TODAY.tzinfo).date())
        for username, on_date in OnSiteDay.objects.values_list(
            "instructor__user__username", "on_date"
        ).distinct():
            assert on_date in logins[username]

    def test_the_summary_rows_count_the_confirmed_days(self):
        confirmed = (
            OnSiteDay.objects.filter(status=OnSiteDayStatus.CONFIRMED)
            .values("assignment_id", "on_date")
            .distinct()
            .count()
        )
        rows = AssignmentWeekFigures.objects.values_list("on_site_days", flat=True)
        assert sum(rows) == confirmed
        assert "figures rows" in self.output

    def test_new_rows_after_the_load_get_fresh_ids(self):
        federation = Federation.objects.get(region_code="430000")
        union = Union.objects.create(name="新建测试工会", federation=federation)
        assert union.pk > Union.objects.exclude(pk=union.pk).aggregate(m=Max("pk"))["m"]
        user = User.objects.create(username="after_load")
        assert user.pk > User.objects.exclude(pk=user.pk).aggregate(m=Max("pk"))["m"]

    def test_running_again_changes_nothing(self):
        before = OnSiteDay.objects.count()
        output = run("--tier", "province", "--scale", "0.01")
        assert "already loaded" in output
        assert OnSiteDay.objects.count() == before
