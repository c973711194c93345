"""The on-site day list pages by keyset (zhidao/core/pagination.py): 下一页 and 上一页 walk every
day once in the list's order, whatever the ties; a bad cursor shows the first page; the count
stops at a cap; the page's queries do not grow with the history."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.dispatch.test_query_counts import PAGE_BUDGET
from tests.keyset_pages import (
    chunks,
    count_queries,
    last_page_query,
    links,
    row_ids,
    walk,
    walk_back,
)
from zhidao.core import pagination
from zhidao.fieldwork.models import OnSiteDay, OnSiteDayPhoto

URL = reverse("fieldwork:on_site_day_list")
SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST_DAY = date(2026, 11, 2)


def organizations(side, count: int, name: str = "纺织有限公司", **fields):
    return [
        factories.OrganizationFactory(
            name=f"{side['city'].name[:2]}{number}号{name}", federation=side["district"], **fields
        )
        for number in range(count)
    ]


def make_day(side, organization, on_date: date, at: time, **fields) -> OnSiteDay:
    assignment = side["assignment"]
    return OnSiteDay.objects.create(
        assignment=assignment,
        organization=organization,
        instructor=assignment.instructor,
        on_date=on_date,
        checked_in_at=datetime.combine(on_date, at, tzinfo=SHANGHAI),
        **fields,
    )


@pytest.fixture
def history(world):
    """Five dates × three organizations of mine; two of each date's check-ins at the same
    minute (a tie the id breaks), the other federation with the same days."""

    def make(side):
        places = organizations(side, 3)
        days = []
        for offset in range(5):
            on_date = FIRST_DAY + timedelta(days=offset)
            for organization, at in zip(places, (time(9), time(9), time(8)), strict=True):
                days.append(make_day(side, organization, on_date, at))
        return days

    make(world["other"])
    return make(world["mine"])


def newest_first(days) -> list[int]:
    """The list's order, written out: date, then check-in time, then id, newest first."""
    ordered = sorted(days, key=lambda day: (day.on_date, day.checked_in_at, day.pk), reverse=True)
    return [day.pk for day in ordered]


def test_next_pages_list_every_day_once_in_order_with_ties(client, world, history):
    client.force_login(world["mine"]["admin"])
    pages = walk(client, URL, "per_page=4")
    assert pages == chunks(newest_first(history), 4)
    assert len(pages) == 4


def test_previous_pages_lead_back_to_the_first(client, world, history):
    client.force_login(world["mine"]["admin"])
    last = last_page_query(client, URL, "per_page=4")
    back = walk_back(client, URL, last)
    assert list(reversed(back)) == chunks(newest_first(history), 4)
    first = client.get(f"{URL}?{last}")
    assert "第一页" in first.content.decode() and "上一页" in first.content.decode()
    assert links(first)["first"] == "per_page=4"


def test_the_first_page_has_no_previous_link(client, world, history):
    client.force_login(world["mine"]["admin"])
    response = client.get(URL, {"per_page": 4})
    assert set(links(response)) == {"next"}
    assert "下一页" in response.content.decode()


@pytest.mark.parametrize("cursor", ["garbage", "a" * 200, ""])
def test_a_bad_cursor_shows_the_first_page(client, world, history, cursor):
    client.force_login(world["mine"]["admin"])
    response = client.get(URL, {"per_page": 4, "cursor": cursor})
    assert response.status_code == 200
    assert row_ids(response) == newest_first(history)[:4]


def test_a_tampered_cursor_shows_the_first_page(client, world, history):
    client.force_login(world["mine"]["admin"])
    following = links(client.get(URL, {"per_page": 4}))["next"]
    tampered = following.replace("cursor=", "cursor=x")
    assert row_ids(client.get(f"{URL}?{tampered}")) == newest_first(history)[:4]


def test_a_cursor_of_the_search_order_shows_the_first_page_without_the_search(
    client, world, history
):
    client.force_login(world["mine"]["admin"])
    searched = links(client.get(URL, {"per_page": 4, "q": "纺织"}))["next"]
    cursor = dict(part.split("=", 1) for part in searched.split("&"))["cursor"]
    response = client.get(f"{URL}?per_page=4&cursor={cursor}")
    assert row_ids(response) == newest_first(history)[:4]


def test_the_count_is_exact_up_to_the_cap(client, world, history):
    client.force_login(world["mine"]["admin"])
    assert "共 15 条记录" in client.get(URL).content.decode()


def test_past_the_cap_the_count_says_more_than(client, world, history, monkeypatch):
    monkeypatch.setattr(pagination, "KEYSET_COUNT_CAP", 5)
    client.force_login(world["mine"]["admin"])
    text = client.get(URL).content.decode()
    assert "超过 5 条记录" in text and "共 15 条" not in text


def test_the_cap_is_written_with_thousands_separators(client, world, history):
    client.force_login(world["mine"]["admin"])
    page_obj = client.get(URL).context["page_obj"]
    assert (page_obj.count, page_obj.cap, page_obj.count_is_capped) == (15, 1000, False)
    # zh-hans groups no digits (1000): the cap reads 超过 1,000 条 all the same.
    assert page_obj.cap_text == "1,000"


def test_a_filter_walks_its_own_rows_with_the_cursor(client, world, history):
    confirmed = [day for index, day in enumerate(history) if index % 2 == 0]
    OnSiteDay.objects.filter(pk__in=[day.pk for day in confirmed]).update(status="confirmed")
    client.force_login(world["mine"]["admin"])
    pages = walk(client, URL, "status=confirmed&per_page=3")
    assert pages == chunks(newest_first(confirmed), 3)


def test_a_search_walks_its_matches_best_first_then_by_name_then_newest(client, world, history):
    side = world["mine"]
    others = organizations(side, 2, name="机械制造公司")
    for offset, organization in enumerate(others):
        make_day(side, organization, FIRST_DAY + timedelta(days=offset), time(9))
    client.force_login(side["admin"])
    pages = walk(client, URL, "q=纺织&per_page=4")
    # Every match contains the text (the same rank): then the organization's name, then the
    # list's order.
    expected = sorted(
        history,
        key=lambda day: (
            day.organization.name,
            -day.on_date.toordinal(),
            -day.checked_in_at.timestamp(),
            -day.pk,
        ),
    )
    assert pages == chunks([day.pk for day in expected], 4)


def test_changing_a_filter_starts_at_the_first_page(client, world, history):
    client.force_login(world["mine"]["admin"])
    second = client.get(f"{URL}?{links(client.get(URL, {'per_page': 4}))['next']}")
    body = second.content.decode()
    # The filter bar submits its own fields only: no cursor rides along.
    form = body[body.index('<form method="get" class="filters"') :]
    form = form[: form.index("</form>")]
    assert "cursor" not in form
    # The export takes every page's rows, whatever page it was pressed on.
    assert "cursor=" not in body[body.index("/exports/on-site-days/") :].split('"')[0]


def test_each_row_counts_its_own_photos(client, world, history):
    photographed = history[0]
    for number in range(3):
        OnSiteDayPhoto.objects.create(day=photographed, image=f"onsite/{number}.jpg")
    OnSiteDayPhoto.objects.create(day=history[1], image="onsite/one.jpg")
    client.force_login(world["mine"]["admin"])
    counts = {
        day.pk: day.photo_count for day in client.get(URL, {"per_page": 100}).context["page_obj"]
    }
    assert counts[photographed.pk] == 3
    assert counts[history[1].pk] == 1
    assert sum(counts.values()) == 4


@pytest.mark.parametrize("role", ["admin", "instructor_user", "officer"])
def test_page_queries_do_not_grow_with_the_history(client, world, role):
    side = world["mine"]
    make_day(side, side["organization"], FIRST_DAY, time(9))
    client.force_login(side[role])
    one_row = count_queries(client, URL)
    # In the officer's union too, so that every role sees them.
    places = organizations(side, 30, union=side["union"])
    for organization in places:
        day = make_day(side, organization, FIRST_DAY, time(10))
        OnSiteDayPhoto.objects.create(day=day, image="onsite/x.jpg")
    many_rows = count_queries(client, URL)
    following = links(client.get(URL))["next"]
    second_page = count_queries(client, f"{URL}?{following}")
    assert one_row == many_rows == second_page
    assert many_rows <= PAGE_BUDGET


def test_the_api_counts_the_photos_of_the_answered_days_only(client, world, history):
    photographed = history[0]
    for number in range(2):
        OnSiteDayPhoto.objects.create(day=photographed, image=f"onsite/api{number}.jpg")
    client.force_login(world["mine"]["admin"])
    with CaptureQueriesContext(connection) as queries:
        answer = client.get("/api/on-site-days/", {"page_size": 100}).json()
    counts = {row["id"]: row["photo_count"] for row in answer["results"]}
    assert counts[photographed.pk] == 2
    assert sum(counts.values()) == 2
    assert sorted(counts) == sorted(day.pk for day in history)
    # The counts come from one query over the answered days, not grouped in the list's query.
    photo_queries = [q["sql"] for q in queries.captured_queries if "onsitedayphoto" in q["sql"]]
    assert len(photo_queries) == 1
    assert "GROUP BY" not in next(
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "fieldwork_onsiteday"' in q["sql"] and "LIMIT" in q["sql"]
    )
    detail = client.get(f"/api/on-site-days/{photographed.pk}/").json()
    assert detail["photo_count"] == 2
