"""The federation dashboard: figures equal counts computed here from the fixture data, scoping
(a county admin sees only its county), drill-down, the .xlsx, the API, the refresh task and a
query count that does not grow with years of history."""

import re
from datetime import date, datetime, timedelta
from io import BytesIO

import chinese_calendar
import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from tests import factories
from zhidao.audit.models import AccessEvent, AccessEventKind
from zhidao.fieldwork.models import Finding, OnSiteDay, PracticalMatter, WorkRecord
from zhidao.figures.models import AssignmentWeekFigures, OrganizationWeekFigures
from zhidao.figures.refresh import rebuild, refresh
from zhidao.figures.tasks import refresh_recent_task


def refresh_dashboard_aggregates(*, since, today):
    return rebuild(since=since, today=today)


URL = reverse("core:federation_dashboard")
XLSX = reverse("core:federation_dashboard_xlsx")
API = "/api/dashboard/"
TODAY = date(2026, 11, 25)
Q4_START = date(2026, 10, 1)
MET_WEEKS = [date(2026, 10, 5), date(2026, 10, 12), date(2026, 11, 16)]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        yield


def _day(assignment, on_date, status="confirmed"):
    organization = assignment.organizations.first()
    return OnSiteDay.objects.create(
        assignment=assignment,
        organization=organization,
        instructor=assignment.instructor,
        on_date=on_date,
        checked_in_at=timezone.make_aware(datetime.combine(on_date, datetime.min.time())),
        status=status,
    )


def _record(assignment, worked_on, duty):
    return WorkRecord.objects.create(
        assignment=assignment,
        organization=assignment.organizations.first(),
        instructor=assignment.instructor,
        duty=duty,
        worked_on=worked_on,
        recorded_on=worked_on,
        content="走访职工",
    )


def _matter(assignment, completed_on, people, status="done"):
    return PracticalMatter.objects.create(
        assignment=assignment,
        organization=assignment.organizations.first(),
        title="户外劳动者驿站",
        beneficiary="workers",
        category="rest_station",
        beneficiaries_count=people,
        status=status,
        completed_on=completed_on,
    )


def _finding(assignment, user, found_on, status="open"):
    closed_at = None
    if status == "closed":
        closed_at = timezone.make_aware(
            datetime.combine(found_on + timedelta(days=9), datetime.min.time())
        )
    return Finding.objects.create(
        assignment=assignment,
        organization=assignment.organizations.first(),
        category="fund_account",
        description="未设立工会经费独立账户",
        recommendation="设立独立账户",
        found_on=found_on,
        due_on=found_on + timedelta(days=30),
        status=status,
        closed_at=closed_at,
        created_by=user,
    )


def _history(mine):
    assignment = mine["assignment"]
    for monday in MET_WEEKS:
        _day(assignment, monday + timedelta(days=1))
    _day(assignment, date(2026, 10, 20), status="unconfirmed")  # not met
    _day(assignment, date(2026, 9, 22))  # last quarter
    for duty, day in [
        ("guidance", date(2026, 10, 6)),
        ("guidance", date(2026, 11, 17)),
        ("guidance", date(2026, 11, 24)),
        ("investigation", date(2026, 10, 13)),
        ("investigation", date(2026, 11, 3)),
        ("rights_protection", date(2026, 9, 15)),  # last quarter
    ]:
        _record(assignment, day, duty)
    _matter(assignment, date(2026, 10, 14), 30)
    _matter(assignment, date(2026, 11, 18), 12)
    _matter(assignment, None, 99, status="in_progress")
    _finding(assignment, mine["admin"], date(2026, 10, 7), status="closed")
    _finding(assignment, mine["admin"], date(2026, 10, 21))
    _finding(assignment, mine["admin"], date(2026, 11, 10))


@pytest.fixture
def dashboard(world):
    _history(world["mine"])
    refresh_dashboard_aggregates(since=date(2026, 7, 1), today=TODAY)
    return world


def figures(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-figure="(\w+)">([^<]*)<', html))


def _independent_counts(mine) -> dict:
    """FIGURES.md by hand: the weeks whose Thursday falls in Q4, up to the current week; a
    week is met with a confirmed day, exempt when chinese-calendar has no working day in it,
    pending while current, missed otherwise."""
    assignment = mine["assignment"]
    mondays = [date(2026, 9, 28) + timedelta(weeks=n) for n in range(9)]  # Thu 10-01 … 11-26
    assert all(monday + timedelta(days=3) >= Q4_START for monday in mondays)
    met = missed = exempt = pending = 0
    for monday in mondays:
        days = [monday + timedelta(days=offset) for offset in range(7)]
        if OnSiteDay.objects.filter(
            assignment=assignment, status="confirmed", on_date__range=(days[0], days[-1])
        ).exists():
            met += 1
        elif not any(chinese_calendar.is_workday(day) for day in days):
            exempt += 1
        elif monday == mondays[-1]:
            pending += 1
        else:
            missed += 1
    matters = PracticalMatter.objects.filter(status="done", completed_on__gte=Q4_START)
    findings = Finding.objects.filter(found_on__gte=Q4_START)
    return {
        "weeks_met": met,
        "weeks_missed": missed,
        "weeks_exempt": exempt,
        "weeks_pending": pending,
        "on_site_days": OnSiteDay.objects.filter(status="confirmed", on_date__gte=Q4_START)
        .values("assignment", "on_date")
        .distinct()
        .count(),
        "days_pending": OnSiteDay.objects.filter(status="unconfirmed", on_date__gte=Q4_START)
        .values("assignment", "on_date")
        .distinct()
        .count(),
        "work_records": WorkRecord.objects.filter(worked_on__gte=Q4_START).count(),
        "matters_done": matters.count(),
        "beneficiaries_workers": sum(matter.beneficiaries_count for matter in matters),
        "findings_opened": findings.count(),
        "findings_closed": findings.filter(closed_at__isnull=False).count(),
    }


def test_figures_equal_counts_computed_from_the_records(client, dashboard):
    mine = dashboard["mine"]
    client.force_login(mine["admin"])
    response = client.get(URL)
    assert response.status_code == 200
    shown = figures(response.content.decode())
    expected = _independent_counts(mine)
    assert expected["weeks_met"] == 3 and expected["work_records"] == 5  # as the fixture says
    for name, value in expected.items():
        assert shown[name] == str(value), name
    assert shown["compliance_rate"] == f"{round(3 * 100 / (3 + expected['weeks_missed']))}%"
    assert shown["closure_rate"] == "33%"
    assert "数据截至" in response.content.decode()
    assert shown["covered"] == "1" and shown["active"] == "1"


def test_records_by_duty_are_counted_per_duty(client, dashboard):
    client.force_login(dashboard["mine"]["admin"])
    data = client.get(API).json()
    by_duty = {item["duty"]: item["count"] for item in data["by_duty"]}
    assert by_duty["guidance"] == 3
    assert by_duty["investigation"] == 2
    assert by_duty["rights_protection"] == 0  # recorded last quarter


def test_trend_counts_met_missed_and_exempt_per_week(client, dashboard):
    client.force_login(dashboard["mine"]["leader"])
    weeks = {week["week_start"]: week for week in client.get(API).json()["weeks"]}
    assert weeks["2026-10-05"]["met"] == 1
    assert weeks["2026-10-19"]["missed"] == 1
    assert weeks["2026-11-23"]["pending"] == 1
    assert weeks["2026-11-30"]["met"] + weeks["2026-11-30"]["missed"] == 0  # not yet begun


def test_county_admin_sees_only_its_county(client, dashboard):
    mine = dashboard["mine"]
    county_admin = factories.federation_admin(mine["district"])
    client.force_login(county_admin)
    response = client.get(URL)
    assert response.status_code == 200
    assert mine["district"].name in response.content.decode()
    assert client.get(URL, {"federation": mine["city"].pk}).status_code == 404
    assert client.get(API, {"federation": mine["city"].pk}).status_code == 404


@pytest.mark.parametrize("who", ["instructor_user", "officer"])
def test_non_federation_staff_get_403(client, dashboard, who):
    client.force_login(dashboard["mine"][who])
    assert client.get(URL).status_code == 403
    assert client.get(API).status_code == 403


def test_another_scope_is_404(client, dashboard):
    client.force_login(dashboard["mine"]["admin"])
    other = dashboard["other"]
    assert client.get(URL, {"federation": other["city"].pk}).status_code == 404
    assert client.get(URL, {"organization": other["organization"].pk}).status_code == 404
    assert client.get(XLSX, {"federation": other["district"].pk}).status_code == 404


def test_other_scope_figures_are_not_counted(client, dashboard):
    other = dashboard["other"]
    _record(other["assignment"], date(2026, 11, 2), "guidance")
    refresh_dashboard_aggregates(since=Q4_START, today=TODAY)
    client.force_login(dashboard["mine"]["admin"])
    assert client.get(API).json()["totals"]["work_records"] == 5


def test_drill_down_goes_district_then_organization_then_instructor(client, dashboard):
    mine = dashboard["mine"]
    client.force_login(mine["admin"])
    data = client.get(API).json()
    assert [row["name"] for row in data["breakdown"]] == [mine["district"].name, mine["city"].name]
    assert [row["is_direct"] for row in data["breakdown"]] == [False, True]
    city = data["drill_down"]
    assert city["level"] == "district"
    html = client.get(URL).content.decode()
    assert f"?federation={mine['district'].pk}&amp;quarter=2026-Q4" in html
    district = client.get(API, {"district": mine["district"].pk}).json()["drill_down"]
    assert district["level"] == "organization"
    assert district["rows"][0]["name"] == mine["organization"].name
    html = client.get(URL, {"federation": mine["district"].pk}).content.decode()
    assert f"organization={mine['organization'].pk}" in html
    assert reverse("orgs:organization_detail", args=[mine["organization"].pk]) in html
    params = {"federation": mine["district"].pk, "organization": mine["organization"].pk}
    response = client.get(URL, params)
    assert reverse("dispatch:instructor_detail", args=[mine["instructor"].pk]) in (
        response.content.decode()
    )
    assert figures(response.content.decode())["work_records"] == "5"


def test_an_earlier_quarter_is_chosen_with_the_filter(client, dashboard):
    client.force_login(dashboard["mine"]["admin"])
    data = client.get(API, {"quarter": "2026-Q3"}).json()
    assert data["quarter"] == "2026-Q3"
    assert data["totals"]["work_records"] == 1
    assert data["totals"]["weeks_met"] == 1


def test_xlsx_has_every_figure_and_is_logged(client, dashboard):
    mine = dashboard["mine"]
    client.force_login(mine["admin"])
    response = client.get(XLSX)
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(response.content))
    with translation.override("zh-hans"):
        names = [
            "Overview",
            "Compliance by week",
            "Work records by duty",
            "Breakdown",
            "Definitions",
        ]
        assert workbook.sheetnames == [gettext(name) for name in names]
    assert workbook.sheetnames[0] == "概况"
    overview = {row[0]: row[1] for row in workbook["概况"].iter_rows(values_only=True)}
    assert overview["工作记录"] == 5
    assert overview["惠及职工"] == 42
    weeks = workbook.worksheets[1]
    assert weeks.freeze_panes == "A2"
    last = list(weeks.iter_rows(values_only=True))[-1]
    assert last[0] == "合计" and last[1] == 3
    breakdown = list(workbook.worksheets[3].iter_rows(values_only=True))
    assert breakdown[1][0] == mine["district"].name
    assert breakdown[-1][0] == "合计"
    assert workbook.worksheets[4].title == "口径说明"
    assert "统计口径" not in response["Content-Disposition"]  # a Chinese file name, not that
    assert AccessEvent.objects.filter(kind=AccessEventKind.EXPORT, user=mine["admin"]).exists()


def test_query_count_does_not_grow_with_two_more_years_of_history(client, dashboard):
    mine = dashboard["mine"]
    client.force_login(mine["admin"])
    client.get(URL)  # warm the session and the caches
    with CaptureQueriesContext(connection) as before:
        assert client.get(URL).status_code == 200
    old = factories.make_assignment(
        instructor=mine["instructor"],
        organizations=[mine["organization"]],
        batch=mine["batch"],
        starts_on=date(2024, 9, 2),
        ends_on=date(2026, 2, 27),
        today=date(2024, 9, 2),
    )
    day = date(2024, 9, 3)
    while day < date(2026, 2, 27):
        _day(old, day)
        _record(old, day, "guidance")
        _matter(old, day, 5)
        day += timedelta(days=7)
    refresh_dashboard_aggregates(since=date(2024, 9, 1), today=TODAY)
    assert AssignmentWeekFigures.objects.filter(week_start__lt=date(2026, 3, 1)).count() > 70
    with CaptureQueriesContext(connection) as after:
        response = client.get(URL)
    assert len(after.captured_queries) == len(before.captured_queries)
    assert figures(response.content.decode())["work_records"] == "5"  # Q4 only


def test_refresh_replaces_the_rows_of_the_weeks_refreshed(dashboard):
    rows = AssignmentWeekFigures.objects.count() + OrganizationWeekFigures.objects.count()
    assert refresh_dashboard_aggregates(since=date(2026, 7, 1), today=TODAY) == rows
    assert AssignmentWeekFigures.objects.count() + OrganizationWeekFigures.objects.count() == rows


def test_celery_task_and_command_refresh_the_rows(dashboard):
    mine = dashboard["mine"]
    _record(mine["assignment"], date(2026, 11, 25), "investigation")
    refresh_recent_task.delay()
    row = OrganizationWeekFigures.objects.get(
        week_start=date(2026, 11, 23), organization=mine["organization"]
    )
    assert (row.records_guidance, row.records_investigation) == (1, 1)
    AssignmentWeekFigures.objects.all().delete()
    call_command("refresh_figures", "--since", "2026-10-01", stdout=BytesIOText())
    assert not AssignmentWeekFigures.objects.filter(week_start__lt=date(2026, 9, 28)).exists()
    assert AssignmentWeekFigures.objects.filter(week_start=date(2026, 10, 5), state="met").exists()
    refresh([mine["assignment"].pk], first=date(2026, 10, 5), last=date(2026, 10, 11), today=TODAY)
    assert AssignmentWeekFigures.objects.filter(week_start=date(2026, 10, 5), state="met").exists()


class BytesIOText:
    def write(self, text):
        return len(text)

    def flush(self):
        pass
