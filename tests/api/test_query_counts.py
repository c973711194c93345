"""Each list costs the same number of queries for 1 row as for 20 (DESIGN.md "query budget")."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from zhidao.orgs.services import create_federation

from .endpoints import ENDPOINTS, list_url

PAGE = 20


def _add_federation(mine, n):
    create_federation(name=f"湘潭第{n}区总工会", level="district", parent=mine["city"])


def _add_organization(mine, n):
    factories.OrganizationFactory(federation=mine["district"], union=mine["union"])


def _add_union(mine, n):
    union = factories.UnionFactory(federation=mine["district"])
    factories.OrganizationFactory(federation=mine["district"], union=union)


def _add_instructor(mine, n):
    factories.InstructorFactory(federation=mine["city"])


def _add_batch(mine, n):
    factories.BatchFactory(federation=mine["city"])


def _add_assignment(mine, n):
    factories.make_assignment(
        instructor=factories.InstructorFactory(federation=mine["city"]),
        organizations=[
            factories.OrganizationFactory(federation=mine["district"], union=mine["union"]),
            mine["organization"],
        ],
        batch=mine["batch"],
    )


ADD_ROW = {
    "federations": _add_federation,
    "organizations": _add_organization,
    "unions": _add_union,
    "instructors": _add_instructor,
    "batches": _add_batch,
    "assignments": _add_assignment,
}


def _list_and_count_queries(client, endpoint):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(list_url(endpoint), {"page_size": PAGE})
    assert response.status_code == 200
    return len(response.json()["results"]), len(captured.captured_queries)


@pytest.mark.parametrize("role", ["admin", "leader"])
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_list_query_count_does_not_grow_with_rows(world, client_for, endpoint, role):
    mine = world["mine"]
    client = client_for(mine[role])
    rows_before, queries_before = _list_and_count_queries(client, endpoint)
    for n in range(PAGE - rows_before):
        ADD_ROW[endpoint](mine, n)
    rows_after, queries_after = _list_and_count_queries(client, endpoint)
    assert (rows_before, rows_after) == (rows_before, PAGE)
    assert queries_after == queries_before


@pytest.mark.parametrize(
    ("role", "endpoint"),
    [
        ("instructor_user", "organizations"),
        ("instructor_user", "unions"),
        ("instructor_user", "assignments"),
        ("officer", "organizations"),
        ("officer", "assignments"),
    ],
)
def test_field_roles_lists_query_count_does_not_grow_with_rows(world, client_for, role, endpoint):
    mine = world["mine"]
    client = client_for(mine[role])
    _rows, queries_before = _list_and_count_queries(client, endpoint)
    # More assignments of the role's instructor, each to another organization: in the officer's
    # union for the officer, each in a union of its own for the instructor's union list.
    for _n in range(PAGE):
        union = mine["union"] if role == "officer" else factories.UnionFactory()
        organization = factories.OrganizationFactory(federation=mine["district"], union=union)
        factories.make_assignment(
            instructor=mine["instructor"], organizations=[organization], batch=mine["batch"]
        )
    rows_after, queries_after = _list_and_count_queries(client, endpoint)
    assert rows_after == PAGE
    assert queries_after == queries_before
