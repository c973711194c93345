"""Creating and editing organizations: credit-code messages at the field, values kept."""

import pytest
from django.urls import reverse

from tests import factories
from zhidao.orgs.models import Organization
from zhidao.orgs.validators import make_credit_code

VALID = make_credit_code("91430300MA4L1A2B3")
WRONG_CHECK = VALID[:-1] + ("0" if VALID[-1] != "0" else "1")


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.fixture
def admin_client(world, login):
    return login(world["mine"]["admin"])


@pytest.fixture
def form_data(world):
    return {
        "name": "湘潭新材料科技有限公司",
        "credit_code": VALID,
        "kind": "new_economic",
        "sub_kind": "private_enterprise",
        "industry": "C",
        "federation": world["mine"]["district"].pk,
        "district": "岳塘区",
        "address": "湘潭市岳塘区建设南路1号",
        "latitude": "27.859100",
        "longitude": "112.951200",
        "employee_count": "260",
        "union": world["mine"]["union"].pk,
        "status": "active",
    }


def post_create(client, data):
    return client.post(reverse("orgs:organization_create"), data)


def test_admin_creates_an_organization_with_a_valid_code(admin_client, form_data):
    response = post_create(admin_client, form_data)
    organization = Organization.objects.get(credit_code=VALID)
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:organization_detail", args=[organization.pk])
    assert organization.name == "湘潭新材料科技有限公司"
    assert organization.employee_count == 260


def test_lower_case_code_with_spaces_is_stored_in_capitals(admin_client, form_data):
    form_data["credit_code"] = f" {VALID[:9].lower()} {VALID[9:].lower()} "
    post_create(admin_client, form_data)
    assert Organization.objects.filter(credit_code=VALID).exists()


@pytest.mark.parametrize(
    "bad_code",
    [VALID[:-1], "91430300MA4L1A2BO1", "91430300MA4L1AIB31", WRONG_CHECK],
    ids=["length", "letter-O", "letter-I", "checksum"],
)
def test_bad_code_is_rejected_at_the_code_field_keeping_typed_values(
    admin_client, form_data, bad_code
):
    form_data["credit_code"] = bad_code
    response = post_create(admin_client, form_data)
    form = response.context["form"]
    assert response.status_code == 200
    assert list(form.errors) == ["credit_code"]
    assert has_chinese(form.errors["credit_code"][0])
    page = response.content.decode()
    for typed in ("湘潭新材料科技有限公司", "湘潭市岳塘区建设南路1号", "27.859100", "260"):
        assert typed in page
    assert f'value="{bad_code}"' in page
    assert 'id="id_credit_code_error"' in page
    assert not Organization.objects.filter(name="湘潭新材料科技有限公司").exists()


def test_each_kind_of_bad_code_has_its_own_message(admin_client, form_data):
    messages = []
    for bad_code in (VALID[:-1], "91430300MA4L1A2BO1", WRONG_CHECK):
        form_data["credit_code"] = bad_code
        response = post_create(admin_client, form_data)
        messages.append(response.context["form"].errors["credit_code"][0])
    assert len(set(messages)) == 3


def test_duplicate_code_is_rejected_with_a_chinese_message(admin_client, form_data, world):
    form_data["credit_code"] = world["other"]["organization"].credit_code.lower()
    response = post_create(admin_client, form_data)
    errors = response.context["form"].errors
    assert list(errors) == ["credit_code"]
    assert has_chinese(errors["credit_code"][0])


def test_sub_kind_of_the_other_kind_is_rejected_at_sub_kind(admin_client, form_data):
    form_data["sub_kind"] = "foundation"  # a new social organization's sub-kind
    response = post_create(admin_client, form_data)
    errors = response.context["form"].errors
    assert list(errors) == ["sub_kind"]
    assert has_chinese(errors["sub_kind"][0])


def test_latitude_without_longitude_is_rejected(admin_client, form_data):
    form_data["longitude"] = ""
    response = post_create(admin_client, form_data)
    assert "longitude" in response.context["form"].errors


def test_organization_without_coordinates_is_accepted(admin_client, form_data):
    form_data["latitude"] = form_data["longitude"] = ""
    assert post_create(admin_client, form_data).status_code == 302


@pytest.mark.parametrize("field", ["federation", "union"])
def test_other_scopes_federation_or_union_cannot_be_chosen(admin_client, form_data, world, field):
    form_data[field] = world["other"][{"federation": "district", "union": "union"}[field]].pk
    response = post_create(admin_client, form_data)
    assert list(response.context["form"].errors) == [field]


def test_form_offers_only_the_admins_federations_and_unions(admin_client, world):
    form = admin_client.get(reverse("orgs:organization_create")).context["form"]
    assert set(form.fields["federation"].queryset) == {
        world["mine"]["city"],
        world["mine"]["district"],
    }
    assert set(form.fields["union"].queryset) == {world["mine"]["union"]}


def test_admin_edits_an_organization_of_the_own_scope(admin_client, form_data, world):
    organization = world["mine"]["organization"]
    form_data["credit_code"] = organization.credit_code
    form_data["employee_count"] = "999"
    response = admin_client.post(
        reverse("orgs:organization_edit", args=[organization.pk]), form_data
    )
    organization.refresh_from_db()
    assert response.status_code == 302
    assert organization.employee_count == 999
    assert organization.name == "湘潭新材料科技有限公司"


def test_edit_form_starts_with_the_stored_values(admin_client, world):
    organization = world["mine"]["organization"]
    page = admin_client.get(reverse("orgs:organization_edit", args=[organization.pk]))
    assert f'value="{organization.credit_code}"' in page.content.decode()


def test_editing_keeps_the_own_credit_code_valid(admin_client, form_data, world):
    organization = factories.OrganizationFactory(federation=world["mine"]["district"])
    form_data["credit_code"] = organization.credit_code
    response = admin_client.post(
        reverse("orgs:organization_edit", args=[organization.pk]), form_data
    )
    assert response.status_code == 302


def test_union_owned_by_a_federation_above_stays_selectable(db, login):
    city = factories.make_federation(name="湘潭市总工会")
    district = factories.make_federation(name="雨湖区总工会", level="district", parent=city)
    city_union = factories.UnionFactory(federation=city, name="湘潭市某联合工会")
    organization = factories.OrganizationFactory(federation=district, union=city_union)
    client = login(factories.federation_admin(district))
    url = reverse("orgs:organization_edit", args=[organization.pk])
    form = client.get(url).context["form"]
    assert set(form.fields["union"].queryset) == {city_union}
    data = {name: value for name, value in form.initial.items() if value is not None}
    assert client.post(url, {**data, "union": city_union.pk}).status_code == 302
