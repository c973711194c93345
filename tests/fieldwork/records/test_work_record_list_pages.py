"""The work record list pages by keyset (zhidao/core/pagination.py): 下一页 and 上一页 walk every
record once in the list's order (date of the work, newest first, then id), a bad cursor shows the
first page, the count stops at a cap, and each row's attachments are counted for the page alone."""

from datetime import timedelta

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
from zhidao.core import pagination
from zhidao.fieldwork.models import Duty, WorkRecordAttachment

from .conftest import TODAY, make_record

URL = reverse("fieldwork:work_record_list")


@pytest.fixture
def records(world):
    """Four dates with three records each (ties the id breaks), two duties; the other
    federation with the same records."""

    def make(side):
        made = []
        for offset in range(4):
            for number in range(3):
                duty = Duty.GUIDANCE if number == 1 else Duty.INVESTIGATION
                made.append(make_record(side, worked_on=TODAY - timedelta(days=offset), duty=duty))
        return made

    make(world["other"])
    return make(world["mine"])


def newest_first(records) -> list[int]:
    """The list's order, written out: the date of the work, then the id, newest first."""
    return [r.pk for r in sorted(records, key=lambda r: (r.worked_on, r.pk), reverse=True)]


def test_next_pages_list_every_record_once_in_order_with_ties(client, world, records):
    client.force_login(world["mine"]["admin"])
    assert walk(client, URL, "per_page=5") == chunks(newest_first(records), 5)


def test_previous_pages_lead_back_to_the_first(client, world, records):
    client.force_login(world["mine"]["admin"])
    last = last_page_query(client, URL, "per_page=5")
    assert list(reversed(walk_back(client, URL, last))) == chunks(newest_first(records), 5)


@pytest.mark.parametrize("cursor", ["garbage", "1:2:3", ""])
def test_a_bad_cursor_shows_the_first_page(client, world, records, cursor):
    client.force_login(world["mine"]["admin"])
    response = client.get(URL, {"per_page": 5, "cursor": cursor})
    assert response.status_code == 200
    assert row_ids(response) == newest_first(records)[:5]


def test_the_count_is_exact_up_to_the_cap_and_more_than_past_it(
    client, world, records, monkeypatch
):
    client.force_login(world["mine"]["admin"])
    assert "共 12 条记录" in client.get(URL).content.decode()
    monkeypatch.setattr(pagination, "KEYSET_COUNT_CAP", 5)
    assert "超过 5 条记录" in client.get(URL).content.decode()


def test_a_filter_walks_its_own_rows_with_the_cursor(client, world, records):
    client.force_login(world["mine"]["admin"])
    guidance = [record for record in records if record.duty == Duty.GUIDANCE]
    pages = walk(client, URL, f"duty={Duty.GUIDANCE}&per_page=3")
    assert pages == chunks(newest_first(guidance), 3)
    assert (
        f"duty={Duty.GUIDANCE}"
        in links(client.get(URL, {"duty": Duty.GUIDANCE, "per_page": 3}))["next"]
    )


def test_each_row_counts_its_own_attachments(client, world, records):
    for number in range(2):
        WorkRecordAttachment.objects.create(
            record=records[0], file=f"records/{number}.pdf", original_name=f"{number}.pdf"
        )
    client.force_login(world["mine"]["admin"])
    page_obj = client.get(URL, {"per_page": 100}).context["page_obj"]
    counts = {record.pk: record.attachment_count for record in page_obj}
    assert counts[records[0].pk] == 2
    assert sum(counts.values()) == 2


@pytest.mark.parametrize("role", ["admin", "instructor_user", "officer"])
def test_page_queries_do_not_grow_with_the_history_nor_the_page(client, world, role):
    side = world["mine"]
    make_record(side)
    client.force_login(side[role])
    one_row = count_queries(client, URL)
    for offset in range(40):
        record = make_record(side, worked_on=TODAY - timedelta(days=offset % 7))
        WorkRecordAttachment.objects.create(record=record, file="records/x.pdf", original_name="x")
    many_rows = count_queries(client, URL)
    second_page = count_queries(client, f"{URL}?{links(client.get(URL))['next']}")
    assert one_row == many_rows == second_page
    assert many_rows <= 14 + 5
