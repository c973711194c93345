"""The separated administrators (三员分立, SECURITY.md "Separate duties"): each reaches its own
pages and nothing else. Every route the URLconf registers is asked by each of the three, with the
URL arguments of the permission matrix's expectations (a row of the first city)."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests import factories

from .expectations import EXPECTATIONS
from .routes import all_routes

ROUTES = all_routes()

# What every account may open: its own login, password and second factor, the language, the
# API's sign-in (token, revoke, CSRF).
EVERYBODY = {"set_language", "api:csrf", "api:token", "api:token-revoke"}
OWN_PAGES = {
    "audit": {"audit:entry_list", "audit:access_list"},
    "system": {
        name
        for name in (route.name for route in ROUTES)
        if name.startswith(("people:account_", "api:account-"))
    },
    "security": {"people:security", "people:security_reset_second_factor", "audit:retention"},
}
MAKE = {
    "audit": factories.audit_admin,
    "system": factories.system_admin,
    "security": factories.security_admin,
}


def _url(route, world) -> str:
    expectation = EXPECTATIONS[route.name][0]
    return reverse(route.name, kwargs=expectation.kwargs(world, "own", "admin"))


def _ask(client, route, url):
    cache.clear()
    method = EXPECTATIONS[route.name][0].method
    if method == "GET":
        return client.get(url)
    if route.is_api:
        return client.generic(method, url, data="{}", content_type="application/json")
    return client.post(url, {})


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    return client


@pytest.mark.parametrize("duty", ["audit", "system", "security"])
def test_each_administrator_is_refused_every_page_outside_its_duty(duty, matrix_world, db):
    user = MAKE[duty](matrix_world["mine"]["city"])
    client = _client(user)
    allowed = EVERYBODY | OWN_PAGES[duty]
    refused, asked = [], 0
    for route in ROUTES:
        if route.name.startswith("accounts:") or route.name in allowed:
            continue
        if route.name in ("exports:export", "core:home"):
            continue  # asked key by key, and the way home, below
        url = _url(route, matrix_world)
        client.cookies[settings.SESSION_COOKIE_NAME] = client.session_key
        with transaction.atomic():
            response = _ask(client, route, url)
            transaction.set_rollback(True)
        asked += 1
        if response.status_code != 403:
            refused.append(f"{route.name} {url}: {response.status_code}")
    assert not refused, "answered other than 403:\n" + "\n".join(refused)
    # The walk asked (nearly) every route: 300 or so, not a handful.
    assert asked > 200


def test_home_leads_each_administrator_to_its_own_page(matrix_world, db):
    landing = {
        "audit": reverse("audit:entry_list"),
        "system": reverse("people:account_list"),
        "security": reverse("people:security"),
    }
    for duty, make in MAKE.items():
        client = _client(make(matrix_world["mine"]["city"]))
        response = client.get(reverse("core:home"))
        assert (response.status_code, response.url) == (302, landing[duty])


def test_audit_administrator_reads_and_exports_the_log_and_nothing_else(matrix_world, db):
    client = _client(factories.audit_admin(matrix_world["mine"]["city"]))
    for url in (reverse("audit:entry_list"), reverse("audit:access_list")):
        assert client.get(url).status_code == 200
    for key in ("audit-log", "access-events"):
        export = client.get(reverse("exports:export", args=[key]))
        assert export.status_code == 200
        assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    for key in ("appeals", "on-site-days", "organizations", "instructors"):
        assert client.get(reverse("exports:export", args=[key])).status_code == 403
    for url in ("/admin/", "/api/federations/", "/api/accounts/", "/people/", "/people/security/"):
        assert client.get(url).status_code == 403, url


def test_system_and_security_administrators_open_their_own_pages(matrix_world, db):
    officer = matrix_world["mine"]["officer"]
    system = _client(factories.system_admin(matrix_world["mine"]["city"]))
    assert system.get(reverse("people:account_list")).status_code == 200
    assert system.get(reverse("people:account_detail", args=[officer.pk])).status_code == 200
    assert system.get(reverse("api:account-detail", args=[officer.pk])).status_code == 200
    assert system.get(reverse("audit:entry_list")).status_code == 403
    security = _client(factories.security_admin(matrix_world["mine"]["city"]))
    assert security.get(reverse("people:security")).status_code == 200
    assert security.get(reverse("audit:retention")).status_code == 200
    assert security.get(reverse("people:account_list")).status_code == 403
    # Another city's account is not found.
    other = matrix_world["other"]["officer"]
    url = reverse("people:security_reset_second_factor", args=[other.pk])
    assert security.post(url).status_code == 404
    assert system.get(reverse("people:account_detail", args=[other.pk])).status_code == 404
