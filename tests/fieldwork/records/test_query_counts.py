"""The list pages issue the same number of queries for 1 row as for 30."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhidao.core.pagination import KeysetPage

from .conftest import make_finding, make_matter, make_record

MAKERS = {
    "fieldwork:work_record_list": make_record,
    "fieldwork:finding_list": make_finding,
    "fieldwork:practical_matter_list": make_matter,
}


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", list(MAKERS))
@pytest.mark.parametrize("role", ["admin", "instructor_user", "officer"])
def test_list_page_queries_do_not_grow_with_rows(client, world, page, role):
    mine = world["mine"]
    make = MAKERS[page]
    make(mine)
    client.force_login(mine[role])
    url = reverse(page)
    one_row = _count(client, url)
    for _ in range(29):
        make(mine)
    thirty_rows = _count(client, url)
    assert one_row == thirty_rows
    # The list's own reads, plus the navigation's workbench badges (at most 5 aggregates).
    assert thirty_rows <= 14 + 5


@pytest.mark.parametrize("page", list(MAKERS))
def test_list_page_with_rows_of_thirty_shows_them(client, world, page):
    mine = world["mine"]
    for _ in range(30):
        MAKERS[page](mine)
    client.force_login(mine["admin"])
    page_obj = client.get(reverse(page)).context["page_obj"]
    # The record list is a keyset list (core/pagination.py): its count is capped, not exact.
    listed = page_obj.count if isinstance(page_obj, KeysetPage) else page_obj.paginator.count
    assert listed == 30
