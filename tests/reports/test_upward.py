"""The upward statistical report: rows per direct child federation, 本级直属 and 合计 that add up,
the same numbers as the dashboard and as counts made here, in the page, the .xlsx (with its
口径说明), the .docx for stamping and the API; admins and leaders only."""

from datetime import date, datetime, time, timedelta
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook
from rest_framework.test import APIClient

from tests import factories
from zhidao.appeals.models import Appeal, AppealState
from zhidao.audit.models import AccessEvent, AccessEventKind
from zhidao.exchange.models import Attendance, Event, Registration
from zhidao.fieldwork.models import Finding, OnSiteDay, PracticalMatter, WorkRecord
from zhidao.figures.refresh import rebuild
from zhidao.figures.upward import COUNT_KEYS
from zhidao.standards.models import Activity, Honour, HonourTitle

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)
PAGE = reverse("reports:upward")
API = "/api/upward-report/"
Q4 = {"period": "2026-Q4"}


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        yield


def _aware(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def programme(world):
    """湘潭: an assignment covering an organization of its district and one of a second district
    (primary: the first district's), an organization directly under the city, and a little of
    everything in Q4 (and some in Q3 that must not count)."""
    mine = world["mine"]
    city = mine["city"]
    second = factories.make_federation(name="湘潭第二区总工会", level="district", parent=city)
    elsewhere = factories.OrganizationFactory(
        name="第二区企业", federation=second, union=factories.UnionFactory(federation=second)
    )
    direct = factories.OrganizationFactory(
        name="市直属企业",
        kind="new_social",
        sub_kind="social_group",
        federation=city,
        union=factories.UnionFactory(federation=city),
    )
    instructor = factories.InstructorFactory(name="跨区指导员", federation=city)
    spanning = factories.make_assignment(
        instructor=instructor,
        organizations=[mine["organization"], elsewhere],
        batch=mine["batch"],
        today=TODAY,
    )
    for day, where in [
        (date(2026, 11, 3), mine["organization"]),
        (date(2026, 11, 3), elsewhere),  # same day: two visits, one on-site day
        (date(2026, 11, 17), elsewhere),
        (date(2026, 9, 15), elsewhere),  # Q3
    ]:
        OnSiteDay.objects.create(
            assignment=spanning,
            organization=where,
            instructor=instructor,
            on_date=day,
            checked_in_at=_aware(day),
            status="confirmed",
        )
    for day in (date(2026, 11, 4), date(2026, 11, 18)):
        WorkRecord.objects.create(
            assignment=spanning,
            organization=elsewhere,
            instructor=instructor,
            duty="guidance",
            worked_on=day,
            recorded_on=day,
            content="指导",
        )
    PracticalMatter.objects.create(
        assignment=spanning,
        organization=elsewhere,
        title="户外劳动者驿站",
        beneficiary="workers",
        category="rest_station",
        beneficiaries_count=60,
        status="done",
        completed_on=date(2026, 11, 10),
    )
    PracticalMatter.objects.create(
        assignment=spanning,
        organization=mine["organization"],
        title="协助办理许可证",
        beneficiary="enterprise",
        category="policy_licence",
        beneficiaries_count=1,
        status="done",
        completed_on=date(2026, 10, 20),
    )
    Finding.objects.create(
        assignment=spanning,
        organization=elsewhere,
        category="congress",
        description="未召开职代会",
        recommendation="召开职代会",
        found_on=date(2026, 10, 12),
        due_on=date(2026, 12, 31),
        status="closed",
        closed_at=_aware(date(2026, 11, 20)),
        created_by=instructor.user,
    )
    title = HonourTitle.objects.get_or_create(name="模范职工之家", defaults={"recipient": "union"})[
        0
    ]
    Honour.objects.create(
        union=direct.union,
        title=title,
        level="city",
        awarded_on=date(2026, 10, 8),
        year=2026,
        created_by=mine["admin"],
    )
    Activity.objects.create(
        union=elsewhere.union,
        kind="skills",
        title="焊工技能比武",
        held_on=date(2026, 11, 12),
        participant_count=40,
        created_by=mine["admin"],
    )
    event = Event.objects.create(
        title="工会法授课",
        kind="lecture",
        federation=second,
        held_on=date(2026, 11, 6),
        starts_at=time(9),
        ends_at=time(11),
        audience="both",
        created_by=mine["admin"],
    )
    people = [factories.UserFactory() for _ in range(3)]
    for person in people[:2]:
        Registration.objects.create(event=event, user=person)
    Attendance.objects.create(event=event, user=people[0], signed_in_at=_aware(date(2026, 11, 6)))
    Attendance.objects.create(event=event, user=people[2], signed_in_at=_aware(date(2026, 11, 6)))
    appeal = Appeal.objects.create(
        organization=elsewhere,
        federation=second,
        category="wages",
        description="加班费",
        state=AppealState.CLOSED,
        resolve_due=date(2026, 11, 20),
        resolved_at=_aware(date(2026, 11, 18)),
        closed_at=_aware(date(2026, 11, 24)),
        satisfaction=4,
    )
    Appeal.objects.filter(pk=appeal.pk).update(created_at=_aware(date(2026, 11, 2)))
    rebuild(today=TODAY)
    return {**mine, "second": second, "spanning": spanning, "elsewhere": elsewhere}


def _api(user, **params):
    client = APIClient()
    client.force_authenticate(user)
    return client.get(API, {**Q4, **params})


def test_rows_add_up_and_facts_land_where_they_happened(programme):
    data = _api(programme["admin"]).json()
    names = [row["name"] for row in data["rows"]]
    assert names == [programme["district"].name, "湘潭第二区总工会", programme["city"].name]
    for key in COUNT_KEYS:
        assert sum(row[key] for row in data["rows"]) == data["total"][key], key
    by_name = {row["name"]: row for row in data["rows"]}
    first, second, direct = (by_name[name] for name in names)
    # The assignment's weeks and on-site days go to its primary organization's district; the
    # visits, records, findings and matters to the district where they happened.
    assert (first["on_site_days"], second["on_site_days"]) == (2, 0)
    assert (first["site_visits"], second["site_visits"]) == (1, 2)
    assert (second["work_records"], second["findings_opened"], second["findings_closed"]) == (
        2,
        1,
        1,
    )
    assert (second["beneficiaries_workers"], first["beneficiaries_enterprises"]) == (60, 1)
    assert (direct["honours_city"], second["activities_skills"], second["events_lecture"]) == (
        1,
        1,
        1,
    )
    assert (second["registered"], second["registered_attended"], second["walk_ins"]) == (2, 1, 1)
    assert second["attendance_rate"]["percent"] == 50  # never counts the walk-in
    assert (second["appeals_received"], second["appeals_on_time"]) == (1, 1)
    assert second["satisfaction"] == 4
    assert direct["organizations_social"] == 1 and direct["unions"] == 1


def test_the_same_numbers_as_the_dashboard_and_an_independent_count(client, programme):
    report = _api(programme["leader"]).json()["total"]
    client.force_login(programme["leader"])
    dashboard = client.get("/api/dashboard/", {"quarter": "2026-Q4"}).json()["totals"]
    for key in ("weeks_met", "weeks_missed", "on_site_days", "site_visits", "work_records"):
        assert report[key] == dashboard[key], key
    q4 = {"on_date__gte": date(2026, 10, 1), "on_date__lte": date(2026, 12, 31)}
    confirmed = OnSiteDay.objects.filter(status="confirmed", **q4)
    assert report["on_site_days"] == len(set(confirmed.values_list("assignment", "on_date")))
    assert report["site_visits"] == confirmed.count()
    matters = PracticalMatter.objects.filter(completed_on__gte=date(2026, 10, 1))
    assert report["matters_done"] == matters.count()
    categories = {
        row["category"]: row for row in _api(programme["admin"]).json()["matters_by_category"]
    }
    assert sum(row["done"] for row in categories.values()) == report["matters_done"]
    assert categories["rest_station"]["workers"] == 60


@pytest.mark.parametrize("who", ["instructor_user", "officer"])
def test_instructors_and_union_officers_cannot_produce_it(client, programme, who):
    client.force_login(programme[who])
    assert client.get(PAGE).status_code == 403
    assert client.get(reverse("reports:upward_xlsx")).status_code == 403
    assert _api(programme[who]).status_code == 403


def test_another_federation_is_404(client, world, programme):
    client.force_login(programme["admin"])
    other = world["other"]["city"]
    assert client.get(PAGE, {"federation": other.pk}).status_code == 404
    assert _api(programme["admin"], federation=other.pk).status_code == 404
    assert client.get(PAGE, {"federation": programme["second"].pk, **Q4}).status_code == 200


def test_page_shows_every_section_with_its_total_row(client, programme):
    client.force_login(programme["leader"])
    html = client.get(PAGE, Q4).content.decode()
    for section in ("dispatch", "onsite", "records", "findings", "matters", "honours", "exchange"):
        assert f'data-table="{section}"' in html
    assert html.count('data-row="total"') >= 9
    assert "本级直属" in html and "统计口径说明" in html


def test_xlsx_has_the_table_and_the_definitions_and_is_logged(client, programme):
    client.force_login(programme["admin"])
    response = client.get(reverse("reports:upward_xlsx"), Q4)
    assert response.status_code == 200
    assert "filename*=UTF-8''%E7%BB%9F%E8%AE%A1%E8%A1%A8" in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["统计表", "口径说明"]
    rows = list(workbook["统计表"].iter_rows(values_only=True))
    assert rows[0][0].startswith("两新组织工会指导员工作统计表")
    header = next(i for i, row in enumerate(rows) if "驻点天数" in row)
    total = next(row for row in rows[header:] if row[0] == "合计")
    assert total[list(rows[header]).index("驻点天数")] == 2
    definitions = [row[0] for row in workbook["口径说明"].iter_rows(values_only=True)]
    assert "驻点天数" in definitions and "归属" in definitions
    assert AccessEvent.objects.filter(kind=AccessEventKind.EXPORT, user=programme["admin"]).exists()


def test_docx_is_laid_out_for_printing_and_stamping(client, programme):
    client.force_login(programme["admin"])
    response = client.get(reverse("reports:upward_docx"), Q4)
    document = Document(BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert text.startswith("两新组织工会指导员工作统计表（2026年第4季度）")
    assert "填报单位（盖章）：湘潭市总工会" in text
    assert "制表人：" in text and "审核人：" in text
    assert document.sections[0].page_width > document.sections[0].page_height  # landscape
    onsite = document.tables[1]
    assert [c.text for c in onsite.rows[-1].cells][0] == "合计"
    assert len(document.tables) == 11  # nine sections, categories, batches


def test_the_default_period_is_the_last_quarter_that_ended(client, programme):
    client.force_login(programme["admin"])
    assert _api(programme["admin"], period="").json()["period"]["key"] == "2026-Q3"
    year = _api(programme["admin"], period="2026").json()
    assert year["period"] == {"key": "2026", "first": "2026-01-01", "last": "2026-12-31"}
    assert year["total"]["on_site_days"] == 3  # Q3's day as well
    assert (TODAY - timedelta(days=0)).year == 2026
