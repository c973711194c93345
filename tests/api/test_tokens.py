"""API tokens expire (API_TOKEN_DAYS after they were issued) and are revoked by their user and by
the system administrator; the schema and docs need a login in production (API_SCHEMA_PUBLIC)."""

from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories
from tests.factories import TEST_PASSWORD
from zhidao.audit.models import AccessEvent, AccessEventKind

TOKEN_URL = "/api/token/"
REVOKE_URL = "/api/token/revoke/"
READ_URL = "/api/organizations/"


def token_for(user) -> str:
    response = APIClient().post(
        TOKEN_URL, {"username": user.username, "password": TEST_PASSWORD}, format="json"
    )
    assert response.status_code == 200
    return response.json()["token"]


def with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@override_settings(API_TOKEN_DAYS=30)
def test_token_works_until_it_expires_and_a_new_one_is_issued_then(world):
    admin = world["mine"]["admin"]
    issued = timezone.now()
    with time_machine.travel(issued, tick=False):
        response = APIClient().post(
            TOKEN_URL, {"username": admin.username, "password": TEST_PASSWORD}, format="json"
        )
        key = response.json()["token"]
        expires = response.json()["expires"]
    assert expires.startswith((issued + timedelta(days=30)).date().isoformat())
    with time_machine.travel(issued + timedelta(days=29, hours=23), tick=False):
        assert with_token(key).get(READ_URL).status_code == 200
        # Asking again within the 30 days gives the same token.
        assert token_for(admin) == key
    with time_machine.travel(issued + timedelta(days=30, minutes=1), tick=False):
        expired = with_token(key).get(READ_URL)
        assert expired.status_code == 401
        assert expired["WWW-Authenticate"] == "Token"
        assert "过期" in expired.json()["detail"]
        assert not Token.objects.filter(key=key).exists()
        fresh = token_for(admin)
        assert fresh != key
        assert with_token(fresh).get(READ_URL).status_code == 200


@override_settings(API_TOKEN_DAYS=7)
def test_the_number_of_days_is_a_setting(world):
    admin = world["mine"]["admin"]
    issued = timezone.now()
    with time_machine.travel(issued, tick=False):
        key = token_for(admin)
    with time_machine.travel(issued + timedelta(days=7, seconds=1), tick=False):
        assert with_token(key).get(READ_URL).status_code in (401, 403)


def test_user_revokes_its_own_token(world):
    admin = world["mine"]["admin"]
    key = token_for(admin)
    client = with_token(key)
    response = client.post(REVOKE_URL)
    assert response.status_code == 200 and response.json() == {"revoked": 1}
    revoked = client.get(READ_URL)
    assert revoked.status_code == 401 and revoked["WWW-Authenticate"] == "Token"
    assert not Token.objects.filter(user=admin).exists()


def test_revoking_needs_a_login(db):
    assert APIClient().post(REVOKE_URL).status_code == 401


def test_a_token_opens_nothing_while_its_password_must_be_changed(world):
    admin = world["mine"]["admin"]
    key = token_for(admin)
    admin.must_change_password = True
    admin.save(update_fields=["must_change_password"])
    refused = with_token(key).get(READ_URL)
    assert refused.status_code == 403
    assert "修改" in refused.json()["detail"]
    admin.must_change_password = False
    admin.save(update_fields=["must_change_password"])
    assert with_token(key).get(READ_URL).status_code == 200


@pytest.mark.parametrize("way", ["page", "api"])
def test_system_administrator_revokes_an_accounts_tokens_and_it_is_audited(world, way):
    officer = world["mine"]["officer"]
    key = token_for(officer)
    system = factories.system_admin(world["mine"]["city"])
    if way == "page":
        client = APIClient()
        client.force_login(system)
        response = client.post(f"/people/{officer.pk}/revoke-tokens/")
        assert response.status_code == 302
    else:
        client = APIClient()
        client.force_authenticate(system)
        response = client.post(f"/api/accounts/{officer.pk}/revoke-tokens/")
        assert response.status_code == 200
    assert with_token(key).get(READ_URL).status_code in (401, 403)
    event = AccessEvent.objects.get(kind=AccessEventKind.ACCOUNT_CHANGED, user=system)
    assert "API tokens revoked" in event.detail and officer.username in event.detail


def test_system_administrator_of_another_city_cannot_revoke(world):
    officer = world["mine"]["officer"]
    key = token_for(officer)
    client = APIClient()
    client.force_login(factories.system_admin(world["other"]["city"]))
    assert client.post(f"/people/{officer.pk}/revoke-tokens/").status_code == 404
    assert with_token(key).get(READ_URL).status_code == 200


SCHEMA_URLS = ["/api/schema/", "/api/docs/", "/api/redoc/"]


@override_settings(API_SCHEMA_PUBLIC=False)
@pytest.mark.parametrize("url", SCHEMA_URLS)
def test_schema_and_docs_need_a_login_in_production(world, url):
    assert APIClient().get(url).status_code in (401, 403)
    client = APIClient()
    client.force_login(world["mine"]["officer"])
    assert client.get(url).status_code == 200


@override_settings(API_SCHEMA_PUBLIC=True)
@pytest.mark.parametrize("url", SCHEMA_URLS)
def test_schema_and_docs_are_open_in_development(db, url):
    assert APIClient().get(url).status_code == 200


def test_an_administrators_token_opens_its_duty_only(world):
    auditor = factories.audit_admin(world["mine"]["city"])
    client = with_token(token_for(auditor))
    assert client.get(READ_URL).status_code == 403
    assert client.get("/api/accounts/").status_code == 403
    system = with_token(token_for(factories.system_admin(world["mine"]["city"])))
    assert system.get("/api/accounts/").status_code == 200
    assert system.get(READ_URL).status_code == 403
    assert client.post(REVOKE_URL).status_code == 200
