"""The federations' roll-up rows: the dashboard of a subtree reads one row per federation and
period, and those rows give the same figures as the records, counted here by hand, for every
federation and period; they follow the writes once they commit (records, organizations)."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from tests import factories
from zhidao.fieldwork.models import OnSiteDay, WorkRecord
from zhidao.figures.models import FederationPeriodFigures, FederationWeekFigures
from zhidao.figures.periods import Period
from zhidao.figures.refresh import rebuild
from zhidao.figures.summary import subtree_figures
from zhidao.orgs import services as org_services
from zhidao.orgs.models import Federation, Organization, OrganizationStatus

NOW = datetime(2026, 11, 25, 10, 0)
TODAY = NOW.date()
PERIODS = [Period.quarter(2026, n) for n in (1, 2, 3, 4)] + [Period.year(2026)]


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(timezone.make_aware(NOW), tick=False):
        yield


@pytest.fixture
def province(db):
    """A province, two cities (one with two districts), organizations in each, and three
    assignments: one in a district, one spanning two districts, one at the city itself."""
    root = factories.make_federation(name="湖南省总工会", level="province")
    city = factories.make_federation(name="湘潭市总工会", level="city", parent=root)
    other_city = factories.make_federation(name="株洲市总工会", level="city", parent=root)
    east = factories.make_federation(name="雨湖区总工会", level="district", parent=city)
    west = factories.make_federation(name="岳塘区总工会", level="district", parent=city)
    organizations = {}
    for federation in (city, other_city, east, west):
        for n in range(3):
            union = factories.UnionFactory(
                name=f"{federation.name}{n}号工会", federation=federation
            )
            organizations[(federation.pk, n)] = factories.OrganizationFactory(
                name=f"{federation.name}{n}号公司", federation=federation, union=union
            )

    def assignment(name, places, starts_on):
        instructor = factories.InstructorFactory(name=name, federation=city)
        return factories.make_assignment(
            instructor=instructor,
            organizations=places,
            batch=factories.BatchFactory(federation=city, name=f"{name}批次"),
            starts_on=starts_on,
        )

    a = assignment("甲", [organizations[(east.pk, 0)]], date(2026, 1, 5))
    b = assignment(
        "乙", [organizations[(west.pk, 0)], organizations[(east.pk, 1)]], date(2026, 4, 6)
    )
    c = assignment("丙", [organizations[(city.pk, 0)]], date(2026, 5, 4))
    # Days and records over the year, some organizations on the same day.
    plan = [
        (a, organizations[(east.pk, 0)], date(2026, 1, 7), "confirmed"),
        (a, organizations[(east.pk, 0)], date(2026, 3, 31), "confirmed"),
        (a, organizations[(east.pk, 0)], date(2026, 4, 2), "unconfirmed"),
        (b, organizations[(west.pk, 0)], date(2026, 5, 12), "confirmed"),
        (b, organizations[(east.pk, 1)], date(2026, 5, 12), "confirmed"),
        (b, organizations[(east.pk, 1)], date(2026, 9, 30), "confirmed"),
        (c, organizations[(city.pk, 0)], date(2026, 10, 1), "confirmed"),
        (c, organizations[(city.pk, 0)], date(2026, 11, 24), "disputed"),
    ]
    for assignment_, organization, day, status in plan:
        OnSiteDay.objects.create(
            assignment=assignment_,
            organization=organization,
            instructor=assignment_.instructor,
            on_date=day,
            checked_in_at=timezone.make_aware(datetime.combine(day, datetime.min.time())),
            status=status,
        )
        WorkRecord.objects.create(
            assignment=assignment_,
            organization=organization,
            instructor=assignment_.instructor,
            duty="guidance",
            worked_on=day,
            recorded_on=day,
            content="指导工作",
        )
    # The organizations existed long before; one joined only in the summer.
    Organization.objects.update(created_at=timezone.make_aware(datetime(2025, 12, 1)))
    Organization.objects.filter(pk=organizations[(other_city.pk, 2)].pk).update(
        created_at=timezone.make_aware(datetime(2026, 7, 15))
    )
    rebuild(today=TODAY)
    return {
        "root": root,
        "city": city,
        "other_city": other_city,
        "east": east,
        "west": west,
        "organizations": organizations,
        "plan": plan,
    }


def _by_hand(federation, period, plan):
    """The figures counted from the plan and the organizations, not from any summary row."""
    inside = [
        (assignment, organization, day, status)
        for assignment, organization, day, status in plan
        if organization.federation.path.startswith(federation.path) and period.contains(day)
    ]
    confirmed = [row for row in inside if row[3] == "confirmed"]
    day = period.as_of(TODAY)
    active = [
        organization
        for organization in Organization.objects.filter(
            federation__path__startswith=federation.path, status=OrganizationStatus.ACTIVE
        )
        if timezone.localdate(organization.created_at) <= day
    ]
    covered = {
        organization.pk
        for organization in active
        for link in organization.assignment_links.select_related("assignment")
        if link.assignment.status != "planned"
        and link.assignment.starts_on <= day <= link.assignment.ends_on
    }
    return {
        "work_records": len(inside),
        "site_visits": len(confirmed),
        "organizations_active": len(active),
        "organizations_covered": len(covered),
    }


def _on_site_days_by_hand(federation, period, plan):
    # An assignment's days count where its primary (first) organization is.
    days = set()
    for assignment, _organization, day, status in plan:
        primary = assignment.organizations.order_by("assignment_links__id").first()
        if (
            status == "confirmed"
            and period.contains(day)
            and primary.federation.path.startswith(federation.path)
        ):
            days.add((assignment.pk, day))
    return len(days)


def test_every_subtree_and_period_matches_the_records_counted_by_hand(province):
    for federation in Federation.objects.all():
        for period in PERIODS:
            figures = subtree_figures(federation, period, today=TODAY)
            expected = _by_hand(federation, period, province["plan"])
            got = {key: figures.totals[key] for key in expected}
            assert got == expected, (federation.name, period.key)
            assert figures.totals["on_site_days"] == _on_site_days_by_hand(
                federation, period, province["plan"]
            ), (federation.name, period.key)
            # The rows of the breakdown add up to the totals.
            for key in ("work_records", "site_visits", "organizations_active"):
                assert sum(row[key] for row in figures.breakdown) == figures.totals[key]


def test_the_province_dashboard_reads_one_row_per_federation(province):
    rows = FederationPeriodFigures.objects.filter(year=2026, quarter=4)
    assert rows.count() == Federation.objects.count()
    assert sorted(rows.values_list("federation_id", flat=True)) == sorted(
        Federation.objects.values_list("pk", flat=True)
    )
    # Weeks of required compliance per federation: the chart's rows.
    weeks = FederationWeekFigures.objects.filter(year=2026, quarter=2, federation=province["east"])
    required = sum(w.met + w.missed + w.exempt + w.pending for w in weeks)
    assert required == 13  # assignment 甲's 13 weeks of Q2 (乙's primary is in 岳塘区)


def test_an_organization_added_or_suspended_changes_the_coverage_once_committed(
    province, django_capture_on_commit_callbacks
):
    east, root = province["east"], province["root"]
    quarter = Period.quarter(2026, 4)
    before = subtree_figures(root, quarter, today=TODAY).totals["organizations_active"]
    with django_capture_on_commit_callbacks(execute=True):
        union = factories.UnionFactory(name="新成立工会", federation=east)
        factories.OrganizationFactory(name="新成立有限公司", federation=east, union=union)
    after = subtree_figures(root, quarter, today=TODAY)
    assert after.totals["organizations_active"] == before + 1
    covered = after.totals["organizations_covered"]
    with django_capture_on_commit_callbacks(execute=True):
        org_services.update_organization(
            organization=province["organizations"][(east.pk, 1)],
            status=OrganizationStatus.SUSPENDED,
        )
    suspended = subtree_figures(root, quarter, today=TODAY).totals
    assert suspended["organizations_active"] == before
    assert suspended["organizations_covered"] == covered - 1  # 乙 covered it


def test_a_new_record_reaches_every_ancestor_once_committed(
    province, django_capture_on_commit_callbacks
):
    west = province["west"]
    organization = province["organizations"][(west.pk, 0)]
    assignment = organization.assignment_links.get().assignment
    totals = {
        federation.pk: subtree_figures(federation, Period.year(2026), today=TODAY).totals
        for federation in (province["root"], province["city"], west, province["east"])
    }
    with django_capture_on_commit_callbacks(execute=True):
        WorkRecord.objects.create(
            assignment=assignment,
            organization=organization,
            instructor=assignment.instructor,
            duty="guidance",
            worked_on=TODAY - timedelta(days=1),
            recorded_on=TODAY,
            content="指导工作",
        )
    for federation, grew in (
        (province["root"], 1),
        (province["city"], 1),
        (west, 1),
        (province["east"], 0),
    ):
        now = subtree_figures(federation, Period.year(2026), today=TODAY).totals
        assert now["work_records"] == totals[federation.pk]["work_records"] + grew
