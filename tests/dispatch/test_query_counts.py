"""Every list page issues the same number of queries for 1 row as for 30."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories

PAGES = [
    "dispatch:instructor_list",
    "dispatch:batch_list",
    "dispatch:assignment_list",
]


def add_rows(city, rows: int, start: int = 0) -> None:
    """Instructors, batches and assignments (two organizations each) under the city."""
    for number in range(start, start + rows):
        instructor = factories.InstructorFactory(federation=city, department=f"部门{number % 3}")
        batch = factories.BatchFactory(federation=city, name=f"第{number}期")
        organizations = [factories.OrganizationFactory(federation=city) for _ in range(2)]
        factories.make_assignment(instructor=instructor, organizations=organizations, batch=batch)


def build(rows: int):
    city = factories.make_federation(name="湘潭市总工会")
    admin = factories.federation_admin(city)
    add_rows(city, rows)
    return admin, city


# The page's own queries plus the shell's (session, user, scope, the top bar's unread count).
# The list's own reads, plus the navigation's workbench badges: one aggregate per provider
# (zhidao/core/workbench.py), at most 5 for a federation admin.
# The session is not written back on every request (accounts/middleware.py renews it at most
# once a minute), so a page view costs no UPDATE.
PAGE_BUDGET = 13 + 5


def count_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", PAGES)
def test_list_page_queries_do_not_grow_with_rows(client, db, page):
    admin, city = build(1)
    client.force_login(admin)
    url = reverse(page)
    one_row = count_queries(client, url)
    add_rows(city, 29, start=1)
    thirty_rows = count_queries(client, url)
    assert one_row == thirty_rows
    assert thirty_rows <= PAGE_BUDGET


def test_instructor_detail_and_batch_detail_queries_do_not_grow(client, db):
    admin, city = build(1)
    batch = factories.BatchFactory(federation=city, name="大批次")
    instructor = factories.InstructorFactory(federation=city)
    factories.make_assignment(
        instructor=instructor,
        organizations=[factories.OrganizationFactory(federation=city)],
        batch=batch,
    )
    client.force_login(admin)
    batch_url = reverse("dispatch:batch_detail", args=[batch.pk])
    instructor_url = reverse("dispatch:instructor_detail", args=[instructor.pk])
    before = (count_queries(client, batch_url), count_queries(client, instructor_url))
    for year in range(2030, 2040):
        factories.make_assignment(
            instructor=instructor,
            organizations=[factories.OrganizationFactory(federation=city)],
            batch=batch,
            starts_on=date(year, 3, 1),
        )
    after = (count_queries(client, batch_url), count_queries(client, instructor_url))
    assert before == after


@pytest.mark.parametrize("role", ["leader", "instructor_user", "officer"])
@pytest.mark.parametrize("page", PAGES)
def test_list_page_queries_are_bounded_for_every_role(client, world, role, page):
    client.force_login(world["mine"][role])
    assert count_queries(client, reverse(page)) <= PAGE_BUDGET
