"""/api/accounts/: the same scope and rules as the pages, the one-time password answered once."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.people.conftest import log_in
from zhidao.accounts.models import Role, User

URL = "/api/accounts/"


@pytest.fixture
def api_as():
    def make(user) -> APIClient:
        token, _created = Token.objects.get_or_create(user=user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


def test_list_answers_the_district_accounts_with_their_grants(api_as, tree):
    response = api_as(tree["yuhu_admin"]).get(URL)
    assert response.status_code == 200
    results = response.json()["results"]
    assert {row["username"] for row in results} == {"yuhu_admin", "yuhu_officer", "yuhu_ins"}
    officer = next(row for row in results if row["username"] == "yuhu_officer")
    assert set(officer) >= {
        "id",
        "username",
        "full_name",
        "masked_phone",
        "is_active",
        "is_locked",
        "is_managed",
        "must_change_password",
        "last_login",
        "grants",
    }
    assert "password" not in officer and "phone" not in officer
    assert officer["is_managed"] is True
    assert officer["grants"][0]["role"] == Role.UNION_OFFICER
    assert officer["grants"][0]["union"] == tree["yuhu_union"].pk


def test_list_filters_by_role(api_as, tree):
    response = api_as(tree["city_admin"]).get(URL, {"role": Role.RIGHTS_STAFF})
    assert [row["username"] for row in response.json()["results"]] == ["rights"]


def test_another_districts_account_is_a_404(api_as, tree):
    client = api_as(tree["yuhu_admin"])
    pk = tree["yuetang_officer"].pk
    assert client.get(f"{URL}{pk}/").status_code == 404
    assert client.post(f"{URL}{pk}/deactivate/").status_code == 404
    assert client.patch(f"{URL}{pk}/", {"full_name": "x"}, format="json").status_code == 404


def test_non_admin_is_refused(api_as, tree):
    assert api_as(tree["yuhu_officer"]).get(URL).status_code == 403


def test_create_answers_the_one_time_password_once(api_as, tree):
    client = api_as(tree["yuhu_admin"])
    response = client.post(
        URL,
        {
            "username": "api_chair",
            "full_name": "接口主席",
            "role": Role.UNION_OFFICER,
            "union": tree["yuhu_union"].pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    password = body["one_time_password"]
    assert body["account"]["username"] == "api_chair"
    assert body["account"]["must_change_password"] is True
    account = User.objects.get(username="api_chair")
    assert account.check_password(password)
    assert password not in client.get(f"{URL}{account.pk}/").content.decode()


def test_create_with_a_union_outside_the_district_is_a_400(api_as, tree):
    response = api_as(tree["yuhu_admin"]).post(
        URL,
        {
            "username": "api_x",
            "full_name": "某人",
            "role": Role.UNION_OFFICER,
            "union": tree["yuetang_union"].pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "union" in response.json()
    assert not User.objects.filter(username="api_x").exists()


def test_grant_above_the_district_is_a_400_and_revoke_works(api_as, tree):
    client = api_as(tree["yuhu_admin"])
    pk = tree["yuhu_officer"].pk
    above = client.post(
        f"{URL}{pk}/grants/",
        {"role": Role.FEDERATION_ADMIN, "federation": tree["city"].pk},
        format="json",
    )
    assert above.status_code == 400
    granted = client.post(
        f"{URL}{pk}/grants/",
        {"role": Role.FEDERATION_LEADER, "federation": tree["yuhu"].pk},
        format="json",
    )
    assert granted.status_code == 201
    assert granted.json()["federation_name"] == "雨湖区总工会"
    grant_id = granted.json()["id"]
    assert client.delete(f"{URL}{pk}/grants/{grant_id}/").status_code == 204
    assert client.delete(f"{URL}{pk}/grants/{grant_id}/").status_code == 404
    only = tree["yuhu_officer"].role_grants.get()
    assert client.delete(f"{URL}{pk}/grants/{only.pk}/").status_code == 400


def test_deactivate_deletes_the_accounts_tokens(api_as, tree):
    officer_api = api_as(tree["yuhu_officer"])
    assert officer_api.get("/api/unions/").status_code == 200
    response = api_as(tree["yuhu_admin"]).post(f"{URL}{tree['yuhu_officer'].pk}/deactivate/")
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    # The deleted token is refused with a 401: the same answer as a token that never existed.
    refused = officer_api.get("/api/unions/")
    assert refused.status_code == 401
    stranger = APIClient()
    stranger.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert refused.json() == stranger.get("/api/unions/").json()
    assert not Token.objects.filter(user=tree["yuhu_officer"]).exists()


def test_reset_password_answers_a_working_one_time_password(api_as, tree, client):
    response = api_as(tree["yuhu_admin"]).post(f"{URL}{tree['yuhu_officer'].pk}/reset-password/")
    assert response.status_code == 200
    password = response.json()["one_time_password"]
    assert log_in(client, "yuhu_officer", password).status_code == 302


def test_patch_changes_name_and_masks_the_phone(api_as, tree):
    response = api_as(tree["yuhu_admin"]).patch(
        f"{URL}{tree['yuhu_officer'].pk}/",
        {"full_name": "改过的名字", "phone": "13907315678"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["full_name"] == "改过的名字"
    assert response.json()["masked_phone"] == "139****5678"


def test_unlock_and_reactivate_answer_the_account(api_as, tree):
    client = api_as(tree["yuhu_admin"])
    pk = tree["yuhu_officer"].pk
    assert client.post(f"{URL}{pk}/unlock/").json()["is_locked"] is False
    assert client.post(f"{URL}{pk}/reactivate/").status_code == 400  # already active
