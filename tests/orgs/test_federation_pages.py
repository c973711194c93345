"""Federation pages: a tree in path order with counts; admins create and edit in their subtree."""

import pytest
from django.urls import reverse

from tests import factories
from zhidao.orgs.models import Federation


@pytest.fixture
def admin_client(world, login):
    return login(world["mine"]["admin"])


def test_list_is_in_tree_order_with_subtree_counts(world, admin_client):
    city, district = world["mine"]["city"], world["mine"]["district"]
    factories.OrganizationFactory(federation=city)
    response = admin_client.get(reverse("orgs:federation_list"))
    rows = list(response.context["page_obj"])
    assert rows == [city, district]
    assert (rows[0].organization_total, rows[0].union_total, rows[0].child_total) == (2, 1, 1)
    assert (rows[1].organization_total, rows[1].union_total, rows[1].child_total) == (1, 1, 0)


def test_a_filtered_page_counts_the_subtrees_of_its_own_rows(world, admin_client):
    city, district = world["mine"]["city"], world["mine"]["district"]
    county = factories.make_federation("湘潭县总工会", level="district", parent=city)
    factories.OrganizationFactory(federation=city)
    factories.OrganizationFactory(federation=county)
    factories.OrganizationFactory(federation=county)
    response = admin_client.get(reverse("orgs:federation_list"), {"level": "district"})
    totals = {row: row.organization_total for row in response.context["page_obj"]}
    assert totals == {district: 1, county: 2}
    everything = admin_client.get(reverse("orgs:federation_list")).context["page_obj"]
    assert {row: row.organization_total for row in everything}[city] == 4


def test_subordinate_rows_are_indented_below_the_admins_federation(world, admin_client):
    response = admin_client.get(reverse("orgs:federation_list"))
    assert [row.tree_level for row in response.context["page_obj"]] == [0, 1]
    assert "tree-level-1" in response.content.decode()


def test_detail_shows_children_and_counts(world, admin_client):
    city = world["mine"]["city"]
    response = admin_client.get(reverse("orgs:federation_detail", args=[city.pk]))
    assert list(response.context["children"]) == [world["mine"]["district"]]
    assert response.context["federation"].own_organization_total == 0
    assert response.context["federation"].organization_total == 1


def test_admin_creates_a_district_under_the_own_city(world, admin_client):
    city = world["mine"]["city"]
    response = admin_client.post(
        reverse("orgs:federation_create"),
        {"name": "湘潭岳塘区总工会", "level": "district", "parent": city.pk},
    )
    created = Federation.objects.get(name="湘潭岳塘区总工会")
    assert response.status_code == 302
    assert created.parent == city
    assert created.path.startswith(city.path)


def test_level_not_below_the_parent_is_rejected_at_level(world, admin_client):
    response = admin_client.post(
        reverse("orgs:federation_create"),
        {"name": "湘潭某市总工会", "level": "city", "parent": world["mine"]["city"].pk},
    )
    form = response.context["form"]
    assert list(form.errors) == ["level"]
    assert "湘潭某市总工会" in response.content.decode()
    assert not Federation.objects.filter(name="湘潭某市总工会").exists()


def test_parent_of_another_scope_cannot_be_chosen(world, admin_client):
    response = admin_client.post(
        reverse("orgs:federation_create"),
        {"name": "越界区总工会", "level": "district", "parent": world["other"]["city"].pk},
    )
    assert list(response.context["form"].errors) == ["parent"]


def test_parent_choices_are_the_admins_federations(world, admin_client):
    form = admin_client.get(reverse("orgs:federation_create")).context["form"]
    assert set(form.fields["parent"].queryset) == {
        world["mine"]["city"],
        world["mine"]["district"],
    }


def test_admin_renames_a_federation_in_the_subtree(world, admin_client):
    district = world["mine"]["district"]
    response = admin_client.post(
        reverse("orgs:federation_edit", args=[district.pk]),
        {"name": "湘潭雨湖区总工会", "level": "district", "parent": world["mine"]["city"].pk},
    )
    district.refresh_from_db()
    assert response.status_code == 302
    assert district.name == "湘潭雨湖区总工会"


def test_admins_own_top_federation_keeps_its_place_in_the_tree(world, admin_client):
    city = world["mine"]["city"]
    form = admin_client.get(reverse("orgs:federation_edit", args=[city.pk])).context["form"]
    assert "parent" not in form.fields


def test_admin_cannot_open_the_parent_above_the_own_federation(db, login):
    province = factories.make_federation(name="湖南省总工会", level="province")
    city = factories.make_federation(name="湘潭市总工会", parent=province)
    client = login(factories.federation_admin(city))
    assert client.get(reverse("orgs:federation_edit", args=[province.pk])).status_code == 404
    assert client.get(reverse("orgs:federation_detail", args=[province.pk])).status_code == 404


def test_leader_sees_the_tree_but_no_create_button(world, login):
    client = login(world["mine"]["leader"])
    page = client.get(reverse("orgs:federation_list")).content.decode()
    assert world["mine"]["district"].name in page
    assert reverse("orgs:federation_create") not in page
