"""The instructor's phone loop as pages and the offline queue's API calls see it: a success
message after check-in, record and check-out (the API leaves it only for a form page that waits
for the answer), the work-record form starting at today's check-in, 记录工作 and 签退 on the day
page, and what to follow up from the previous visit."""

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from zhidao.core.api import FOREGROUND_HEADER
from zhidao.fieldwork.models import (
    Finding,
    FindingStatus,
    OnSiteDay,
    OnSiteDayStatus,
    WorkRecord,
)
from zhidao.fieldwork.onsite.selectors import FOLLOW_UP_FINDINGS

from .conftest import NOW, check_in, place

TZ = ZoneInfo("Asia/Shanghai")
TODAY = NOW.date()  # Wednesday 2026-11-25, 10:00
CHECK_IN = reverse("fieldwork:check_in")
NEW_RECORD = reverse("fieldwork:work_record_create")
API_DAYS = reverse("api:on-site-day-list")
API_CHECK_OUT = reverse("api:on-site-day-check-out-by-key")
API_RECORDS = reverse("api:work-record-list")
# What queue.js sends with a submit the person waits for on the form page.
FOREGROUND = {"headers": {FOREGROUND_HEADER: "1"}}


def day_url(day) -> str:
    return reverse("fieldwork:on_site_day_detail", args=[day.pk])


def shown_messages(response) -> list[tuple[str, str]]:
    return [(message.tags, str(message)) for message in get_messages(response.wsgi_request)]


def next_page_messages(client) -> list[str]:
    """The messages the next page the browser opens shows (and so consumes)."""
    response = client.get(reverse("core:home"))
    return [str(message) for message in response.context["messages"]]


def past_day(world, on: date, *, summary="", side="mine", organization=None):
    part = world[side]
    return OnSiteDay.objects.create(
        assignment=part["assignment"],
        organization=organization or part["organization"],
        instructor=part["instructor"],
        on_date=on,
        checked_in_at=datetime(on.year, on.month, on.day, 9, tzinfo=TZ),
        checked_out_at=datetime(on.year, on.month, on.day, 16, tzinfo=TZ),
        summary=summary,
        status=OnSiteDayStatus.CONFIRMED,
    )


def finding(world, status=FindingStatus.OPEN, *, due_on=TODAY + timedelta(days=10), **kwargs):
    part = world[kwargs.pop("side", "mine")]
    organization = kwargs.pop("organization", part["organization"])
    return Finding.objects.create(
        assignment=part["assignment"],
        organization=organization,
        union=organization.union,
        category="rules",
        description=kwargs.pop("description", "工会制度未上墙"),
        recommendation="制定并公开工会制度",
        found_on=date(2026, 10, 1),
        due_on=due_on,
        status=status,
        created_by=part["instructor_user"],
    )


def record(world, day, content, *, side="mine"):
    part = world[side]
    return WorkRecord.objects.create(
        assignment=part["assignment"],
        organization=day.organization,
        instructor=part["instructor"],
        on_site_day=day,
        duty="investigation",
        worked_on=day.on_date,
        content=content,
        recorded_on=day.on_date,
    )


# ----- the success messages -----


def test_check_in_page_says_where_and_when_and_reminds_to_check_out(world, client):
    client.force_login(world["mine"]["instructor_user"])
    response = client.post(CHECK_IN, {"client_uuid": str(uuid.uuid4()), "place": place(world)})
    assert response.status_code == 302
    assert shown_messages(response) == [
        ("success", "已签到：湘潭测试有限公司，10:00。离开时记得签退。")
    ]


def test_a_check_in_sent_twice_says_it_was_already_received(world, client):
    client.force_login(world["mine"]["instructor_user"])
    data = {"client_uuid": str(uuid.uuid4()), "place": place(world)}
    client.post(CHECK_IN, data)
    next_page_messages(client)
    response = client.post(CHECK_IN, data)
    assert shown_messages(response) == [("info", "该签到已提交过，以下是已保存的记录。")]
    assert OnSiteDay.objects.count() == 1


def test_check_in_from_the_form_page_through_the_api_leaves_the_message_for_the_day_page(
    world, client
):
    client.force_login(world["mine"]["instructor_user"])
    data = {"client_uuid": str(uuid.uuid4()), "place": place(world)}
    response = client.post(API_DAYS, data, **FOREGROUND)
    assert response.status_code == 201
    assert response.json()["url"] == day_url(OnSiteDay.objects.get())
    assert next_page_messages(client) == ["已签到：湘潭测试有限公司，10:00。离开时记得签退。"]


def test_a_queued_item_delivered_in_the_background_leaves_no_message(world, client):
    client.force_login(world["mine"]["instructor_user"])
    day_key = str(uuid.uuid4())
    responses = [
        client.post(API_DAYS, {"client_uuid": day_key, "place": place(world)}),
        client.post(API_CHECK_OUT, {"client_uuid": day_key}),
        client.post(
            API_RECORDS,
            {
                "client_uuid": str(uuid.uuid4()),
                "organization": world["mine"]["organization"].pk,
                "duty": "investigation",
                "worked_on": TODAY.isoformat(),
                "content": "离线时记录的走访",
            },
        ),
    ]
    assert [response.status_code for response in responses] == [201, 200, 201]
    assert next_page_messages(client) == []


def test_check_out_says_the_time_and_that_the_officer_confirms_next(world, client):
    day = check_in(world)
    client.force_login(world["mine"]["instructor_user"])
    check_out = reverse("fieldwork:on_site_day_check_out", args=[day.pk])
    response = client.post(check_out, {"client_uuid": str(day.client_uuid), "summary": "座谈"})
    assert response.status_code == 302
    assert shown_messages(response) == [("success", "已签退（10:00）。本次驻点等待工会干部确认。")]
    next_page_messages(client)
    # Later saves edit what was done; the first check-out time stays.
    response = client.post(check_out, {"client_uuid": str(day.client_uuid), "summary": "座谈会"})
    assert shown_messages(response) == [("success", "工作内容已保存。")]


def test_check_out_through_the_api_from_the_day_page_leaves_the_message(world, client):
    day = check_in(world)
    client.force_login(world["mine"]["instructor_user"])
    response = client.post(API_CHECK_OUT, {"client_uuid": str(day.client_uuid)}, **FOREGROUND)
    assert response.status_code == 200
    assert next_page_messages(client) == ["已签退（10:00）。本次驻点等待工会干部确认。"]


def test_work_record_saved_through_the_api_from_the_form_page_leaves_the_message(world, client):
    client.force_login(world["mine"]["instructor_user"])
    data = {
        "client_uuid": str(uuid.uuid4()),
        "organization": world["mine"]["organization"].pk,
        "duty": "investigation",
        "worked_on": TODAY.isoformat(),
        "content": "走访车间",
    }
    response = client.post(API_RECORDS, data, **FOREGROUND)
    assert response.status_code == 201
    assert next_page_messages(client) == ["工作记录已保存。"]
    client.post(API_RECORDS, data, **FOREGROUND)  # the same client_uuid again
    assert next_page_messages(client) == ["该工作记录此前已保存。"]
    assert WorkRecord.objects.count() == 1


# ----- the work-record form starts at today's check-in -----


def test_record_form_starts_at_todays_check_in(world, client):
    day = check_in(world)
    client.force_login(world["mine"]["instructor_user"])
    form = client.get(NEW_RECORD).context["form"]
    assert form["organization"].value() == day.organization_id
    assert form["on_site_day"].value() == day.pk
    assert form["worked_on"].value() == TODAY


def test_record_form_prefers_the_day_still_open(world, client):
    second = factories.OrganizationFactory(
        name="湘潭第二有限公司", federation=world["mine"]["district"]
    )
    world["mine"]["assignment"].organizations.add(second)
    # Checked in at 08:00 at the second organization and still there; at 09:30 a short visit
    # to the first, already checked out: the newest check-in alone would choose the wrong day.
    open_day = check_in(world, organization_id=second.pk, checked_in_at=NOW - timedelta(hours=2))
    OnSiteDay.objects.create(
        assignment=world["mine"]["assignment"],
        organization=world["mine"]["organization"],
        instructor=world["mine"]["instructor"],
        on_date=TODAY,
        checked_in_at=NOW - timedelta(minutes=30),
        checked_out_at=NOW - timedelta(minutes=10),
    )
    client.force_login(world["mine"]["instructor_user"])
    form = client.get(NEW_RECORD).context["form"]
    assert (form["organization"].value(), form["on_site_day"].value()) == (second.pk, open_day.pk)


def test_record_form_from_a_day_page_starts_at_that_day(world, client):
    earlier = past_day(world, TODAY - timedelta(days=6))
    check_in(world)
    client.force_login(world["mine"]["instructor_user"])
    form = client.get(NEW_RECORD, {"day": earlier.pk}).context["form"]
    assert form["on_site_day"].value() == earlier.pk
    assert form["worked_on"].value() == earlier.on_date


def test_record_form_ignores_another_instructors_day_and_starts_empty_without_a_check_in(
    world, client
):
    theirs = check_in(world, side="other")
    client.force_login(world["mine"]["instructor_user"])
    form = client.get(NEW_RECORD, {"day": theirs.pk}).context["form"]
    assert form["organization"].value() is None
    assert form["on_site_day"].value() is None
    assert form["worked_on"].value() == TODAY
    form = client.get(NEW_RECORD).context["form"]
    assert form["organization"].value() is None


# ----- the day page: 记录工作, 签退, today's records, what to follow up -----


def test_day_page_offers_record_and_check_out_once_checked_in_and_not_after(world, client):
    day = check_in(world)
    client.force_login(world["mine"]["instructor_user"])
    html = client.get(day_url(day)).content.decode()
    assert f'href="{NEW_RECORD}?day={day.pk}"' in html
    assert 'form="check-out-form"' in html and 'id="check-out-form"' in html
    assert 'id="check-out"' in html  # where the home page's 签退 lands
    client.post(
        reverse("fieldwork:on_site_day_check_out", args=[day.pk]),
        {"client_uuid": str(day.client_uuid)},
    )
    html = client.get(day_url(day)).content.decode()
    assert 'data-action="check_out"' not in html
    assert 'data-action="record_work"' in html  # work of the day can still be recorded


def test_the_officer_sees_the_days_records_but_no_instructor_actions(world, client):
    day = check_in(world)
    record(world, day, "与工会主席座谈")
    client.force_login(world["mine"]["officer"])
    html = client.get(day_url(day)).content.decode()
    assert "与工会主席座谈" in html
    assert 'data-day-records="1"' in html
    assert 'data-action="' not in html
    assert "data-follow-up" not in html


def test_day_page_lists_the_open_rectifications_and_the_previous_visit(world, client):
    previous = past_day(world, TODAY - timedelta(days=7), summary="检查职代会台账")
    record(world, previous, "收集职工对食堂的意见 12 条")
    older = past_day(world, TODAY - timedelta(days=14), summary="更早一次的驻点")
    record(world, older, "更早一次的记录")
    open_one = finding(world, description="未建立经费独立账户", due_on=TODAY - timedelta(days=1))
    answered = finding(world, FindingStatus.ANSWERED, description="职代会制度待完善")
    finding(world, FindingStatus.CLOSED, description="已经销号的问题")
    finding(world, side="other", description="另一个城市的问题")
    day = check_in(world)

    client.force_login(world["mine"]["instructor_user"])
    response = client.get(day_url(day))
    follow_up = response.context["follow_up"]
    assert [item.pk for item in follow_up.open_findings] == [open_one.pk, answered.pk]
    assert follow_up.open_count == 2
    assert follow_up.last_visit == previous
    html = response.content.decode()
    assert "未建立经费独立账户" in html and "职代会制度待完善" in html
    assert "已经销号的问题" not in html and "另一个城市的问题" not in html
    assert "检查职代会台账" in html and "收集职工对食堂的意见 12 条" in html
    assert "更早一次的驻点" not in html and "更早一次的记录" not in html
    assert 'data-open-count="2"' in html
    assert "已逾期" in html  # the open one was due yesterday


def test_follow_up_lists_a_few_and_links_to_all_open_rectifications(world, client):
    for number in range(FOLLOW_UP_FINDINGS + 2):
        finding(world, description=f"问题 {number}", due_on=TODAY + timedelta(days=number))
    finding(world, FindingStatus.CLOSED)
    day = check_in(world)
    client.force_login(world["mine"]["instructor_user"])
    response = client.get(day_url(day))
    follow_up = response.context["follow_up"]
    assert len(follow_up.open_findings) == FOLLOW_UP_FINDINGS
    assert follow_up.open_count == FOLLOW_UP_FINDINGS + 2
    organization = world["mine"]["organization"].pk
    link = f"{reverse('fieldwork:finding_list')}?organization={organization}&amp;open=on"
    assert link in response.content.decode()
    assert f"全部 {FOLLOW_UP_FINDINGS + 2} 项未销号整改" in response.content.decode()
    listed = client.get(link.replace("&amp;", "&")).context["page_obj"].paginator.count
    assert listed == FOLLOW_UP_FINDINGS + 2


def test_a_first_visit_has_nothing_to_follow_up(world, client):
    day = check_in(world)
    client.force_login(world["mine"]["instructor_user"])
    response = client.get(day_url(day))
    assert not response.context["follow_up"]
    assert "暂无待跟进事项" in response.content.decode()


def test_a_past_days_page_shows_no_follow_up(world, client):
    day = past_day(world, TODAY - timedelta(days=3))
    client.force_login(world["mine"]["instructor_user"])
    assert client.get(day_url(day)).context["follow_up"] is None


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_day_page_query_count_does_not_grow_with_findings_visits_or_records(world, client):
    previous = past_day(world, TODAY - timedelta(days=7), summary="上次")
    record(world, previous, "上次的记录")
    finding(world)
    day = check_in(world)
    record(world, day, "今天的记录")
    client.force_login(world["mine"]["instructor_user"])
    one = _queries(client, day_url(day))
    for weeks in range(2, 12):
        past = past_day(world, TODAY - timedelta(days=7 * weeks), summary=f"第 {weeks} 次")
        record(world, past, "更早的记录")
        record(world, previous, f"上次的第 {weeks} 条记录")
        record(world, day, f"今天的第 {weeks} 条记录")
        finding(world, description=f"问题 {weeks}")
    assert _queries(client, day_url(day)) == one


def _add_place(world, number: int):
    organization = factories.OrganizationFactory(
        name=f"湘潭新增{number}有限公司", federation=world["mine"]["district"]
    )
    world["mine"]["assignment"].organizations.add(organization)
    return organization


def test_check_in_page_shows_each_places_follow_up_in_the_same_queries(world, client):
    client.force_login(world["mine"]["instructor_user"])
    finding(world)
    past_day(world, TODAY - timedelta(days=7), summary="上次座谈")
    second = _add_place(world, 0)  # two places: the page also looks up the last one used
    one = _queries(client, CHECK_IN)
    response = client.get(CHECK_IN)
    follow_ups = dict(response.context["place_follow_ups"])
    mine = next(p for p in follow_ups if p.organization_id == world["mine"]["organization"].pk)
    assert follow_ups[mine].open_count == 1
    assert follow_ups[mine].last_visit.summary == "上次座谈"
    other = next(p for p in follow_ups if p.organization_id == second.pk)
    assert not follow_ups[other]
    html = response.content.decode()
    assert f'data-follow-up-place="{place(world)}"' in html
    assert f'data-follow-up-place="{other.value}"' in html
    for number in range(1, 5):
        organization = _add_place(world, number)
        finding(world, organization=organization)
        finding(world, organization=organization, description="第二个问题")
        past_day(world, TODAY - timedelta(days=number + 1), organization=organization)
        past_day(world, TODAY - timedelta(days=number + 8), organization=organization)
    response = client.get(CHECK_IN)
    follow_ups = dict(response.context["place_follow_ups"])
    assert len(follow_ups) == 6
    assert sorted(follow_up.open_count for follow_up in follow_ups.values()) == [0, 1, 2, 2, 2, 2]
    assert _queries(client, CHECK_IN) == one


def test_finding_list_open_filter_leaves_out_the_closed(world, client):
    kept = {finding(world).pk, finding(world, FindingStatus.ANSWERED).pk}
    kept.add(finding(world, FindingStatus.REOPENED).pk)
    closed = finding(world, FindingStatus.CLOSED)
    client.force_login(world["mine"]["instructor_user"])
    url = reverse("fieldwork:finding_list")
    listed = {row.pk for row in client.get(url, {"open": "on"}).context["page_obj"]}
    assert listed == kept
    listed = {row.pk for row in client.get(url, {"open": "false"}).context["page_obj"]}
    assert listed == {closed.pk}


@pytest.mark.parametrize("open_filter", ["true", "false"])
def test_api_finding_open_filter(world, client, open_filter):
    finding(world)
    finding(world, FindingStatus.CLOSED)
    client.force_login(world["mine"]["instructor_user"])
    rows = client.get(reverse("api:finding-list"), {"open": open_filter}).json()["results"]
    expected = FindingStatus.CLOSED if open_filter == "false" else FindingStatus.OPEN
    assert [row["status"] for row in rows] == [expected]


def test_check_in_page_after_todays_check_in_still_shows_the_visit_before_today(world, client):
    previous = past_day(world, TODAY - timedelta(days=7), summary="上周的座谈")
    check_in(world, summary="今天的驻点")
    client.force_login(world["mine"]["instructor_user"])
    [(_place, follow_up)] = client.get(CHECK_IN).context["place_follow_ups"]
    assert follow_up.last_visit == previous
