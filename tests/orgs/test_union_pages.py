"""Union pages: list filters, detail with covered organizations and instructors, create/edit."""

import pytest
from django.urls import reverse

from tests import factories
from tests.keyset_pages import chunks, links, walk
from zhidao.orgs.models import Union


@pytest.fixture
def admin_client(world, login):
    return login(world["mine"]["admin"])


def union_data(world, **changes):
    data = {
        "name": "湘潭创业园联合工会",
        "federation": world["mine"]["district"].pk,
        "is_joint": "on",
        "founded_on": "2024-05-01",
        "chair_name": "李主席",
        "member_count": "45",
        "status": "active",
        "organization_codes": "",
    }
    data.update(changes)
    return data


def test_detail_shows_organizations_and_current_instructors(world, admin_client):
    union = world["mine"]["union"]
    response = admin_client.get(reverse("orgs:union_detail", args=[union.pk]))
    assert response.context["organizations"] == [world["mine"]["organization"]]
    page = response.content.decode()
    current = page.split('<ul class="card-list">', 1)[1].split("</ul>", 1)[0]
    assert world["mine"]["instructor"].name in current


def test_admin_creates_a_joint_union_covering_two_organizations(world, admin_client):
    first = world["mine"]["organization"]
    second = factories.OrganizationFactory(federation=world["mine"]["district"])
    codes = f"{first.credit_code}\n{second.credit_code.lower()}"
    response = admin_client.post(
        reverse("orgs:union_create"), union_data(world, organization_codes=codes)
    )
    union = Union.objects.get(name="湘潭创业园联合工会")
    assert response.status_code == 302
    assert set(union.organizations.all()) == {first, second}


def test_single_union_cannot_cover_two_organizations(world, admin_client):
    second = factories.OrganizationFactory(federation=world["mine"]["district"])
    codes = f"{world['mine']['organization'].credit_code}、{second.credit_code}"
    data = union_data(world, organization_codes=codes)
    del data["is_joint"]
    response = admin_client.post(reverse("orgs:union_create"), data)
    assert list(response.context["form"].errors) == ["organization_codes"]
    assert codes in response.content.decode()


def test_organization_of_another_scope_cannot_be_chosen(world, admin_client):
    other_code = world["other"]["organization"].credit_code
    response = admin_client.post(
        reverse("orgs:union_create"), union_data(world, organization_codes=other_code)
    )
    errors = response.context["form"].errors
    assert list(errors) == ["organization_codes"]
    assert other_code in errors["organization_codes"][0]
    assert world["other"]["organization"].union == world["other"]["union"]


def test_admin_edits_a_union_and_its_organizations(world, admin_client):
    union = world["mine"]["union"]
    response = admin_client.post(
        reverse("orgs:union_edit", args=[union.pk]),
        union_data(world, name="湘潭测试工会（改）", organization_codes=""),
    )
    union.refresh_from_db()
    assert response.status_code == 302
    assert union.name == "湘潭测试工会（改）"
    assert not union.organizations.exists()


def test_edit_form_lists_the_current_organizations_codes(world, admin_client):
    union = world["mine"]["union"]
    form = admin_client.get(reverse("orgs:union_edit", args=[union.pk])).context["form"]
    assert form.initial["organization_codes"] == world["mine"]["organization"].credit_code


@pytest.mark.parametrize(("value", "joint"), [("yes", True), ("no", False)])
def test_joint_filter(world, admin_client, value, joint):
    joint_union = factories.UnionFactory(federation=world["mine"]["district"], is_joint=True)
    response = admin_client.get(reverse("orgs:union_list"), {"is_joint": value})
    rows = list(response.context["page_obj"])
    assert (joint_union in rows) is joint
    assert (world["mine"]["union"] in rows) is not joint


def test_status_filter(world, admin_client):
    dissolved = factories.UnionFactory(federation=world["mine"]["district"], status="dissolved")
    response = admin_client.get(reverse("orgs:union_list"), {"status": "dissolved"})
    assert list(response.context["page_obj"]) == [dissolved]


def test_instructor_sees_only_own_organizations_of_a_joint_union(world, login):
    union = world["mine"]["union"]
    stranger = factories.OrganizationFactory(
        name="湘潭无关企业有限公司", federation=world["mine"]["district"], union=union
    )
    client = login(world["mine"]["instructor_user"])
    response = client.get(reverse("orgs:union_detail", args=[union.pk]))
    assert stranger not in response.context["organizations"]
    assert "湘潭无关企业有限公司" not in response.content.decode()
    listed = client.get(reverse("orgs:union_list")).context["page_obj"]
    assert [row.organization_total for row in listed] == [1]


def test_organization_outside_the_admins_subtree_may_stay_in_the_union(db, login):
    city = factories.make_federation(name="湘潭市总工会")
    yuhu = factories.make_federation(name="雨湖区总工会", level="district", parent=city)
    yuetang = factories.make_federation(name="岳塘区总工会", level="district", parent=city)
    union = factories.UnionFactory(federation=yuhu, name="雨湖联合工会", is_joint=True)
    inside = factories.OrganizationFactory(federation=yuhu, union=union)
    outside = factories.OrganizationFactory(federation=yuetang, union=union)
    client = login(factories.federation_admin(yuhu))
    url = reverse("orgs:union_edit", args=[union.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(is_joint="on", founded_on="", federation=yuhu.pk)
    response = client.post(url, data)
    assert response.status_code == 302
    assert set(union.organizations.all()) == {inside, outside}


def test_the_list_pages_by_keyset_and_counts_each_pages_organizations(world, admin_client):
    district = world["mine"]["district"]
    unions = [world["mine"]["union"]]
    for number, organizations in enumerate([3, 0, 2, 1]):
        union = factories.UnionFactory(
            federation=district, name=f"湘潭{number}号联合工会", is_joint=True
        )
        for _ in range(organizations):
            factories.OrganizationFactory(federation=district, union=union)
        unions.append(union)
    expected = {union.pk: union.organizations.count() for union in unions}
    in_order = [union.pk for union in sorted(unions, key=lambda union: (union.name, union.pk))]
    pages = walk(admin_client, reverse("orgs:union_list"), "per_page=2")
    assert pages == chunks(in_order, 2)
    first = admin_client.get(reverse("orgs:union_list"), {"per_page": 2})
    following = admin_client.get(f"{reverse('orgs:union_list')}?{links(first)['next']}")
    for response in (first, following):
        for row in response.context["page_obj"]:
            assert row.organization_total == expected[row.pk]
    assert "共 5 条记录" in first.content.decode()
