"""Getting in: a token for a username and password, under the login page's lockout."""

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import TEST_PASSWORD

TOKEN_URL = "/api/token/"


def _ask_token(client: APIClient, username: str, password: str):
    return client.post(TOKEN_URL, {"username": username, "password": password}, format="json")


def test_user_obtains_a_token_and_reads_with_it(world):
    admin = world["mine"]["admin"]
    response = _ask_token(APIClient(), admin.username, TEST_PASSWORD)
    assert response.status_code == 200
    key = response.json()["token"]
    assert Token.objects.get(key=key).user == admin

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    listed = client.get("/api/organizations/")
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [world["mine"]["organization"].pk]


def test_wrong_password_gets_no_token(world):
    response = _ask_token(APIClient(), world["mine"]["admin"].username, "wrong-Password1")
    assert response.status_code == 400
    assert "token" not in response.json()


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(world):
    known = _ask_token(APIClient(), world["mine"]["admin"].username, "wrong-Password1")
    unknown = _ask_token(APIClient(), "nobody-here", "wrong-Password1")
    assert unknown.status_code == known.status_code
    assert unknown.json() == known.json()


def test_lockout_after_failures_applies_to_the_token_endpoint(world):
    admin = world["mine"]["admin"]
    client = APIClient()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _ask_token(client, admin.username, "wrong-Password1")
    response = _ask_token(client, admin.username, TEST_PASSWORD)
    assert response.status_code == settings.AXES_HTTP_RESPONSE_CODE
    assert "token" not in response.json()
    assert not Token.objects.filter(user=admin).exists()


def test_success_before_the_limit_clears_the_failures(world):
    admin = world["mine"]["admin"]
    client = APIClient()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _ask_token(client, admin.username, "wrong-Password1")
    assert _ask_token(client, admin.username, TEST_PASSWORD).status_code == 200
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _ask_token(client, admin.username, "wrong-Password1")
    assert _ask_token(client, admin.username, TEST_PASSWORD).status_code == 200


def test_invalid_token_is_refused(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    assert client.get("/api/organizations/").status_code in (401, 403)


def test_session_login_works_for_the_api_too(world):
    client = APIClient()
    client.force_login(world["mine"]["leader"])
    assert client.get("/api/organizations/").status_code == 200


def test_session_writes_need_the_csrf_token(world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world["mine"]["admin"])
    organization = world["mine"]["organization"]
    response = client.patch(
        f"/api/organizations/{organization.pk}/", {"address": "x"}, format="json"
    )
    assert response.status_code == 403


@pytest.mark.parametrize("use_token", [True, False])
def test_api_write_is_audited_with_its_actor(world, client_for, use_token):
    admin = world["mine"]["admin"]
    if use_token:
        client = client_for(admin)
    else:
        client = APIClient()
        client.force_login(admin)
    organization = world["mine"]["organization"]
    response = client.patch(
        f"/api/organizations/{organization.pk}/", {"address": "雨湖区某路1号"}, format="json"
    )
    assert response.status_code == 200
    entry = LogEntry.objects.get_for_object(organization).order_by("-timestamp").first()
    assert entry.actor == admin
    assert "address" in entry.changes_dict
