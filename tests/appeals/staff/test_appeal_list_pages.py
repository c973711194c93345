"""The staff's appeal list pages by keyset (zhidao/core/pagination.py): 下一页 and 上一页 walk
every appeal once, newest first, ties on the time broken by the id; a bad cursor shows the first
page; the count stops at a cap; the page's queries do not grow with the appeals."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.keyset_pages import (
    chunks,
    count_queries,
    last_page_query,
    links,
    row_ids,
    walk,
    walk_back,
)
from zhidao.appeals.models import Appeal
from zhidao.core import pagination

from .conftest import make_appeal

URL = reverse("appeals:appeal_list")
START = datetime(2026, 11, 2, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


def appeals(side, count: int, **kwargs) -> list[Appeal]:
    """Appeals three by three at the same second (a tie the id breaks)."""
    made = [make_appeal(side["organization"], **kwargs) for _ in range(count)]
    for number, appeal in enumerate(made):
        Appeal.objects.filter(pk=appeal.pk).update(
            created_at=START + timedelta(seconds=number // 3)
        )
    return list(Appeal.objects.filter(pk__in=[appeal.pk for appeal in made]))


def newest_first(rows) -> list[int]:
    return [row.pk for row in sorted(rows, key=lambda row: (row.created_at, row.pk), reverse=True)]


@pytest.fixture
def listed(world):
    appeals(world["other"], 5)
    return appeals(world["mine"], 10)


def test_next_and_previous_pages_list_every_appeal_once_newest_first(client, world, listed):
    client.force_login(world["mine"]["admin"])
    expected = chunks(newest_first(listed), 4)
    assert walk(client, URL, "per_page=4") == expected
    last = last_page_query(client, URL, "per_page=4")
    assert list(reversed(walk_back(client, URL, last))) == expected


def test_a_filter_walks_its_own_rows_with_the_cursor(client, world, listed):
    safety = appeals(world["mine"], 5, category="safety_health")
    client.force_login(world["mine"]["admin"])
    assert walk(client, URL, "category=safety_health&per_page=2") == chunks(newest_first(safety), 2)


def test_a_bad_cursor_shows_the_first_page(client, world, listed):
    client.force_login(world["mine"]["admin"])
    response = client.get(URL, {"per_page": 4, "cursor": "forged"})
    assert response.status_code == 200
    assert row_ids(response) == newest_first(listed)[:4]


def test_the_count_says_more_than_past_the_cap(client, world, listed, monkeypatch):
    client.force_login(world["mine"]["admin"])
    assert "共 10 条记录" in client.get(URL).content.decode()
    monkeypatch.setattr(pagination, "KEYSET_COUNT_CAP", 5)
    assert "超过 5 条记录" in client.get(URL).content.decode()


def test_page_queries_do_not_grow_with_the_appeals(client, world):
    side = world["mine"]
    appeals(side, 1)
    client.force_login(side["admin"])
    one = count_queries(client, URL)
    appeals(side, 30)
    many = count_queries(client, URL)
    second_page = count_queries(client, f"{URL}?{links(client.get(URL))['next']}")
    assert one == many == second_page
