"""The federation, organization and union lists filter alike on the page and in the API, and
only ever inside the user's own tree."""

import pytest

from tests import factories
from tests.list_filters import (
    assert_invalid_value_is_ignored_by_the_page_and_refused_by_the_api,
    assert_same_rows,
)


def both_sides(world, make):
    """The same row in each federation: (mine, the other's look-alike)."""
    return make(world["mine"]), make(world["other"])


@pytest.fixture
def organizations(world):
    """Look-alike organizations in both trees, each differing from the world's own in one way."""

    def organization(**fields):
        def make(side):
            return factories.OrganizationFactory(federation=side["district"], **fields)

        return both_sides(world, make)[0]

    return {
        "own": world["mine"]["organization"],  # economic, C, 雨湖区, active, has an instructor
        "social": organization(kind="new_social", sub_kind="foundation"),
        "school": organization(industry="P", district="岳塘区"),
        "suspended": organization(status="suspended"),
        "at_the_city": both_sides(
            world, lambda side: factories.OrganizationFactory(federation=side["city"])
        )[0],
    }


ORGANIZATION_CASES = {
    "kind": ({"kind": "new_social"}, ["social"]),
    "sub_kind": ({"sub_kind": "foundation"}, ["social"]),
    "industry": ({"industry": "P"}, ["school"]),
    "district": ({"district": "岳塘区"}, ["school"]),
    "status": ({"status": "suspended"}, ["suspended"]),
    "covered": ({"coverage": "covered"}, ["own"]),
    "uncovered and active": (
        {"coverage": "uncovered", "status": "active"},
        ["social", "school", "at_the_city"],
    ),
    "search by initials": ({"q": "xtcsyx"}, ["own"]),
    "search by name": ({"q": "湘潭测试有限公司"}, ["own"]),
}


@pytest.mark.parametrize("case", list(ORGANIZATION_CASES))
def test_page_and_api_list_the_same_organizations(world, organizations, case):
    params, names = ORGANIZATION_CASES[case]
    assert_same_rows(
        world["mine"]["admin"],
        page="orgs:organization_list",
        api="organizations",
        params=params,
        expected=[organizations[name] for name in names],
    )


def test_organizations_by_federation_cover_its_subtree_on_both(world, organizations):
    mine = world["mine"]
    everything = set(organizations.values())
    for federation, expected in (
        (mine["city"], everything),
        (mine["district"], everything - {organizations["at_the_city"]}),
    ):
        assert_same_rows(
            mine["admin"],
            page="orgs:organization_list",
            api="organizations",
            params={"federation": federation.pk},
            expected=expected,
        )


def test_organizations_by_union_on_both(world, organizations):
    assert_same_rows(
        world["mine"]["admin"],
        page="orgs:organization_list",
        api="organizations",
        params={"union": world["mine"]["union"].pk},
        expected=[organizations["own"]],
    )


@pytest.mark.parametrize(
    ("role", "params", "name"),
    [
        ("leader", {"kind": "new_social"}, "social"),
        # An instructor and an officer see the organization of their assignment and union.
        ("instructor_user", {"kind": "new_economic"}, "own"),
        ("officer", {"kind": "new_economic"}, "own"),
    ],
)
def test_other_roles_get_the_same_organizations_on_both(world, organizations, role, params, name):
    assert_same_rows(
        world["mine"][role],
        page="orgs:organization_list",
        api="organizations",
        params=params,
        expected=[organizations[name]],
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [("status", "nonsense"), ("federation", "other city"), ("union", "other union")],
)
def test_a_wrong_organization_filter_is_ignored_by_the_page_and_refused_by_the_api(
    world, organizations, name, value
):
    value = {
        "other city": world["other"]["city"].pk,
        "other union": world["other"]["union"].pk,
    }.get(value, value)
    assert_invalid_value_is_ignored_by_the_page_and_refused_by_the_api(
        world["mine"]["admin"],
        page="orgs:organization_list",
        api="organizations",
        name=name,
        value=value,
        unfiltered=organizations.values(),
    )


@pytest.fixture
def unions(world):
    def union(**fields):
        def make(side):
            return factories.UnionFactory(federation=side["district"], **fields)

        return both_sides(world, make)[0]

    return {
        "own": world["mine"]["union"],
        "joint": union(is_joint=True, name="湘潭联合工会"),
        "dissolved": union(status="dissolved"),
        "at_the_city": both_sides(
            world, lambda side: factories.UnionFactory(federation=side["city"])
        )[0],
    }


UNION_CASES = {
    "joint": ({"is_joint": "true"}, ["joint"]),
    "single": ({"is_joint": "false"}, ["own", "dissolved", "at_the_city"]),
    # The page's select sent yes/no before it sent the API's words; both still work.
    "joint, as the page used to say": ({"is_joint": "yes"}, ["joint"]),
    "status": ({"status": "dissolved"}, ["dissolved"]),
    "search": ({"q": "联合"}, ["joint"]),
    "search, the API's name": ({"search": "联合"}, ["joint"]),
}


@pytest.mark.parametrize("case", list(UNION_CASES))
def test_page_and_api_list_the_same_unions(world, unions, case):
    params, names = UNION_CASES[case]
    assert_same_rows(
        world["mine"]["admin"],
        page="orgs:union_list",
        api="unions",
        params=params,
        expected=[unions[name] for name in names],
    )


def test_unions_by_federation_cover_its_subtree_on_both(world, unions):
    assert_same_rows(
        world["mine"]["admin"],
        page="orgs:union_list",
        api="unions",
        params={"federation": world["mine"]["district"].pk},
        expected=[unions[name] for name in ("own", "joint", "dissolved")],
    )


def test_page_and_api_list_the_same_federations(world):
    mine = world["mine"]
    county = factories.make_federation(name="湘潭县总工会", level="district", parent=mine["city"])
    factories.make_federation(name="株洲县总工会", level="district", parent=world["other"]["city"])
    for params, expected in (
        ({"level": "district"}, [mine["district"], county]),
        ({"level": "city"}, [mine["city"]]),
        ({"q": "湘潭县"}, [county]),
        ({"search": "xtx"}, [county]),
        ({"parent": mine["city"].pk}, [mine["district"], county]),
    ):
        assert_same_rows(
            mine["admin"],
            page="orgs:federation_list",
            api="federations",
            params=params,
            expected=expected,
        )


def test_the_district_options_are_kept_ten_minutes_then_read_again(world, login):
    import re
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    mine = world["mine"]
    client = login(mine["admin"])
    factories.OrganizationFactory(federation=mine["district"], district="雨湖区")

    def options():
        page = client.get("/orgs/organizations/").content.decode()
        select = re.search(r'<select name="district".*?</select>', page, re.S).group(0)
        return re.findall(r'<option value="([^"]+)"', select)

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert "雨湖区" in options()
        factories.OrganizationFactory(federation=mine["district"], district="岳塘区")
        assert "岳塘区" not in options()  # kept
    with time_machine.travel(start + timedelta(minutes=11), tick=False):
        assert "岳塘区" in options()
    # Another city's admin has its own list.
    other = login(world["other"]["admin"])
    page = other.get("/orgs/organizations/").content.decode()
    assert "岳塘区" not in re.search(r'<select name="district".*?</select>', page, re.S).group(0)
