"""The audit log's two lists page by keyset (zhidao/core/pagination.py): 下一页 and 上一页 walk
every entry once, newest first, ties on the time broken by the id; a bad cursor shows the first
page; the count stops at a cap; the page's queries do not grow with the log."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from tests import factories
from tests.keyset_pages import (
    chunks,
    count_queries,
    last_page_query,
    links,
    row_ids,
    walk,
    walk_back,
)
from zhidao.audit.models import AccessEvent, AccessEventKind
from zhidao.core import pagination
from zhidao.orgs.models import Organization

ENTRIES = reverse("audit:entry_list")
ACCESS = reverse("audit:access_list")
START = datetime(2026, 11, 2, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def auditor(world):
    return factories.audit_admin(world["mine"]["city"])


@pytest.fixture
def acting(world):
    """A federation admin of my city with a name no other account contains."""
    return factories.federation_admin(world["mine"]["city"], username="keysetactor")


def log_entries(actor, count: int) -> list[LogEntry]:
    """Entries two by two at the same second (a tie the id breaks)."""
    content_type = ContentType.objects.get_for_model(Organization)
    return [
        LogEntry.objects.create(
            content_type=content_type,
            object_pk=str(number),
            object_id=number,
            object_repr=f"组织{number}",
            action=LogEntry.Action.UPDATE,
            actor=actor,
            timestamp=START + timedelta(seconds=number // 2),
        )
        for number in range(count)
    ]


def access_events(user, count: int, kind=AccessEventKind.LOGIN) -> list[AccessEvent]:
    return [
        AccessEvent.objects.create(
            kind=kind,
            user=user,
            username=user.username,
            created_at=START + timedelta(seconds=number // 3),
        )
        for number in range(count)
    ]


def newest_first(rows, time_field: str) -> list[int]:
    ordered = sorted(rows, key=lambda row: (getattr(row, time_field), row.pk), reverse=True)
    return [row.pk for row in ordered]


def test_entry_pages_list_every_entry_once_newest_first(client, auditor, acting):
    entries = log_entries(acting, 11)
    client.force_login(auditor)
    query = "q=keysetactor&per_page=4"
    assert walk(client, ENTRIES, query) == chunks(newest_first(entries, "timestamp"), 4)
    last = last_page_query(client, ENTRIES, query)
    back = walk_back(client, ENTRIES, last)
    assert list(reversed(back)) == chunks(newest_first(entries, "timestamp"), 4)


def test_entry_pages_keep_the_filters(client, auditor, acting):
    entries = log_entries(acting, 9)
    client.force_login(auditor)
    pages = walk(client, ENTRIES, f"q=keysetactor&action={LogEntry.Action.UPDATE}&per_page=2")
    assert pages == chunks(newest_first(entries, "timestamp"), 2)
    assert walk(client, ENTRIES, f"q=keysetactor&action={LogEntry.Action.DELETE}") == [[]]


def test_access_pages_list_every_event_once_newest_first(client, world, auditor):
    officer = world["mine"]["officer"]
    events = access_events(officer, 10)
    access_events(world["other"]["officer"], 10)
    client.force_login(auditor)
    events += AccessEvent.objects.filter(user=auditor, kind=AccessEventKind.LOGIN)  # its own
    query = f"kind={AccessEventKind.LOGIN}&per_page=3"
    assert walk(client, ACCESS, query) == chunks(newest_first(events, "created_at"), 3)
    last = last_page_query(client, ACCESS, query)
    back = walk_back(client, ACCESS, last)
    assert list(reversed(back)) == chunks(newest_first(events, "created_at"), 3)


@pytest.mark.parametrize("url", [ENTRIES, ACCESS])
def test_a_bad_cursor_shows_the_first_page(client, world, auditor, acting, url):
    log_entries(acting, 6)
    access_events(world["mine"]["officer"], 6)
    client.force_login(auditor)
    first = row_ids(client.get(url, {"per_page": 2}))
    response = client.get(url, {"per_page": 2, "cursor": "not-a-cursor"})
    assert response.status_code == 200
    assert row_ids(response) == first


def test_the_audit_count_says_more_than_past_the_cap(client, auditor, acting, monkeypatch):
    log_entries(acting, 6)
    client.force_login(auditor)
    assert "共 6 条记录" in client.get(ENTRIES, {"q": "keysetactor"}).content.decode()
    monkeypatch.setattr(pagination, "KEYSET_COUNT_CAP", 5)
    assert "超过 5 条记录" in client.get(ENTRIES, {"q": "keysetactor"}).content.decode()


def test_the_pages_rows_are_described_and_linked(client, auditor, acting):
    log_entries(acting, 30)
    client.force_login(auditor)
    response = client.get(ENTRIES, {"q": "keysetactor"})
    assert len(response.context["rows"]) == 25
    assert "组织29" in response.content.decode()
    assert "q=keysetactor" in links(response)["next"]


@pytest.mark.parametrize("url", [ENTRIES, ACCESS])
def test_audit_page_queries_do_not_grow_with_the_log(client, world, auditor, acting, url):
    officer = world["mine"]["officer"]
    log_entries(acting, 1)
    access_events(officer, 1)
    client.force_login(auditor)
    client.get(url)  # warm caches (content types) before counting
    one = count_queries(client, url)
    log_entries(acting, 40)
    access_events(officer, 40)
    many = count_queries(client, url)
    second_page = count_queries(client, f"{url}?{links(client.get(url))['next']}")
    assert one == many == second_page
