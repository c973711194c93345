"""Organization list: filters, coverage, pinyin search and the instructors shown per row."""

import pytest
from django.urls import reverse

from tests import factories


@pytest.fixture
def admin_client(world, login):
    return login(world["mine"]["admin"])


def listed(client, **params):
    return list(client.get(reverse("orgs:organization_list"), params).context["page_obj"])


def test_pinyin_initials_jl_find_geely(world, admin_client):
    geely = factories.OrganizationFactory(
        name="湖南吉利汽车部件有限公司", federation=world["mine"]["district"]
    )
    assert listed(admin_client, q="jl") == [geely]


def test_credit_code_prefix_finds_the_organization(world, admin_client):
    organization = world["mine"]["organization"]
    assert listed(admin_client, q=organization.credit_code[:12]) == [organization]


def test_no_instructor_filter_returns_uncovered_and_not_covered(world, admin_client):
    uncovered = factories.OrganizationFactory(federation=world["mine"]["district"])
    rows = listed(admin_client, coverage="uncovered", status="active")
    assert uncovered in rows
    assert world["mine"]["organization"] not in rows


def test_has_instructor_filter_returns_covered_only(world, admin_client):
    uncovered = factories.OrganizationFactory(federation=world["mine"]["district"])
    rows = listed(admin_client, coverage="covered")
    assert rows == [world["mine"]["organization"]]
    assert uncovered not in rows


def test_federation_filter_includes_the_whole_subtree(world, admin_client):
    city_owned = factories.OrganizationFactory(federation=world["mine"]["city"])
    rows = listed(admin_client, federation=world["mine"]["city"].pk)
    assert set(rows) == {city_owned, world["mine"]["organization"]}
    rows = listed(admin_client, federation=world["mine"]["district"].pk)
    assert rows == [world["mine"]["organization"]]


@pytest.mark.parametrize(
    ("field", "value", "other_value"),
    [
        ("kind", "new_social", "new_economic"),
        ("industry", "P", "C"),
        ("district", "岳塘区", "雨湖区"),
        ("status", "suspended", "active"),
    ],
)
def test_simple_filters(world, admin_client, field, value, other_value):
    extra = {"sub_kind": "private_non_enterprise"} if field == "kind" else {}
    matching = factories.OrganizationFactory(
        federation=world["mine"]["district"], **{field: value}, **extra
    )
    assert getattr(world["mine"]["organization"], field) == other_value
    assert listed(admin_client, **{field: value}) == [matching]


def test_sub_kind_filter(world, admin_client):
    foundation = factories.OrganizationFactory(
        federation=world["mine"]["district"], kind="new_social", sub_kind="foundation"
    )
    assert listed(admin_client, sub_kind="foundation") == [foundation]


def test_unknown_filter_value_is_ignored(world, admin_client):
    assert listed(admin_client, status="nonsense") == [world["mine"]["organization"]]


def test_row_shows_the_current_instructor(world, admin_client):
    response = admin_client.get(reverse("orgs:organization_list"))
    row = (
        response.content.decode().split(world["mine"]["organization"].name, 1)[1].split("</tr>")[0]
    )
    assert world["mine"]["instructor"].name in row


def test_detail_lists_the_assignments(world, admin_client):
    organization = world["mine"]["organization"]
    response = admin_client.get(reverse("orgs:organization_detail", args=[organization.pk]))
    page = response.content.decode()
    assert reverse("dispatch:assignment_detail", args=[world["mine"]["assignment"].pk]) in page
    assert world["mine"]["batch"].name in page
    assert world["mine"]["union"].name in page
