"""A NUL character (PostgreSQL text cannot hold one) is refused with a 400, never a server error:
in the address and the headers by the middleware, in a form or a JSON body at its field."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from zhidao.orgs.models import Organization


@pytest.fixture
def admin(world):
    return world["mine"]["admin"]


@pytest.fixture
def api(admin):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=admin).key}")
    return client


@pytest.mark.parametrize(
    "name",
    [
        "orgs:organization_list",
        "dispatch:instructor_list",
        "fieldwork:work_record_list",
        "appeals:appeal_list",
        "reports:report_list",
    ],
)
def test_a_nul_in_a_list_pages_search_is_a_bad_request(client, admin, name):
    client.force_login(admin)
    response = client.get(reverse(name), {"q": "吉利\x00"})
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_nul_in_an_api_search_answers_400_in_json(api):
    response = api.get("/api/cases/", {"q": "经费\x00"})
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_a_nul_in_a_query_parameter_name_is_a_bad_request(api):
    assert api.get("/api/organizations/?a%00b=1").status_code == 400


def test_a_nul_in_a_path_is_a_bad_request(db):
    assert APIClient().get("/api/public/tickets/ABC%00DEF/").status_code == 400


def test_a_session_cookie_with_a_nul_is_a_bad_request_not_a_lookup(db):
    client = Client()
    client.cookies["sessionid"] = "abcdefghij\x00klmnop"
    assert client.get(reverse("accounts:login")).status_code == 400


def test_a_nul_typed_into_a_page_form_is_refused_at_its_field_keeping_the_rest(
    client, admin, world
):
    client.force_login(admin)
    response = client.post(
        reverse("orgs:organization_edit", args=[world["mine"]["organization"].pk]),
        {"name": "湘潭\x00有限公司", "address": "湘潭市岳塘区建设南路1号"},
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert "湘潭市岳塘区建设南路1号" in response.content.decode()


def test_a_nul_in_a_json_field_is_a_400_at_that_field(api, world):
    organization = world["mine"]["organization"]
    response = api.patch(
        f"/api/organizations/{organization.pk}/", {"name": "湘潭\x00有限公司"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["name"]
    organization.refresh_from_db()
    assert "\x00" not in organization.name


def test_a_normal_search_still_lists(client, admin):
    client.force_login(admin)
    response = client.get(reverse("orgs:organization_list"), {"q": "测试"})
    assert response.status_code == 200
    assert Organization.objects.exists()
