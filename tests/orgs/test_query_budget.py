"""Each list page issues the same number of queries for 1 row as for 30 (filters applied)."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories


def add_organizations(world, count: int, *, own_unions: bool) -> None:
    """Organizations every role of `mine` sees: each with the mine instructor on an active
    assignment, in the officer's union or (own_unions) each in a union of its own."""
    mine = world["mine"]
    for number in range(count):
        union = (
            factories.UnionFactory(federation=mine["district"], name=f"湘潭测试{number}号工会")
            if own_unions
            else mine["union"]
        )
        organization = factories.OrganizationFactory(
            federation=mine["district"], union=union, name=f"湘潭测试{number}号有限公司"
        )
        factories.make_assignment(
            instructor=mine["instructor"],
            organizations=[organization],
            batch=mine["batch"],
            starts_on=date(2026, 3, 1),
        )


def rows_and_queries(client, url_name: str, params: dict) -> tuple[int, int]:
    cache.clear()  # each count with the filters' values read afresh (the districts are kept)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(url_name), params)
    assert response.status_code == 200
    return len(response.context["page_obj"]), len(captured)


def tree_filter(world, role: str) -> dict:
    # Field roles have no federation filter; staff filter by their city's subtree.
    if role in ("instructor_user", "officer"):
        return {}
    return {"federation": world["mine"]["city"].pk}


@pytest.mark.parametrize("role", ["admin", "leader", "instructor_user", "officer"])
def test_organization_list_query_count_does_not_grow_with_rows(world, login, role):
    client = login(world["mine"][role])
    params = {
        "q": "湘潭测试",
        "status": "active",
        "kind": "new_economic",
        "coverage": "covered",
        "district": "雨湖区",
        **tree_filter(world, role),
    }
    rows_one, queries_one = rows_and_queries(client, "orgs:organization_list", params)
    add_organizations(world, 29, own_unions=False)
    rows_thirty, queries_thirty = rows_and_queries(client, "orgs:organization_list", params)
    assert (rows_one, rows_thirty) == (1, 25)  # 25 a page
    assert queries_one == queries_thirty


@pytest.mark.parametrize("role", ["admin", "leader", "instructor_user"])
def test_union_list_query_count_does_not_grow_with_rows(world, login, role):
    client = login(world["mine"][role])
    params = {"q": "湘潭测试", "status": "active", "is_joint": "no", **tree_filter(world, role)}
    rows_one, queries_one = rows_and_queries(client, "orgs:union_list", params)
    add_organizations(world, 29, own_unions=True)
    rows_thirty, queries_thirty = rows_and_queries(client, "orgs:union_list", params)
    assert (rows_one, rows_thirty) == (1, 25)
    assert queries_one == queries_thirty


@pytest.mark.parametrize("role", ["admin", "leader"])
def test_federation_list_query_count_does_not_grow_with_rows(world, login, role):
    client = login(world["mine"][role])
    params = {"q": "湘潭", "level": "district"}
    rows_one, queries_one = rows_and_queries(client, "orgs:federation_list", params)
    for number in range(29):
        factories.make_federation(
            name=f"湘潭测试{number}区总工会", level="district", parent=world["mine"]["city"]
        )
    rows_thirty, queries_thirty = rows_and_queries(client, "orgs:federation_list", params)
    assert (rows_one, rows_thirty) == (1, 30)
    assert queries_one == queries_thirty
