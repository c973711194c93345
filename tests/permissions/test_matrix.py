"""The permission matrix (SECURITY.md "How it is tested"): every route the URLconf registers —
pages, the router's API routes, the public QR pages — asked by every role, about a row of its
own scope and about one of another scope, with every method the route answers. The answers
expected are kept in `expectations.py`, keyed by URL name; a route without one fails here."""

from dataclasses import replace

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from .expectations import EXPECTATIONS, LOGIN
from .routes import all_routes
from .world import ROLES

ROUTES = all_routes()
SCOPES = ("own", "other")


def test_every_route_has_an_expectation():
    names = {route.name for route in ROUTES}
    missing = sorted(names - set(EXPECTATIONS))
    assert not missing, (
        "These routes have no expectation in tests/permissions/expectations.py; say what each "
        "role may do there (and check the view declares its permission): " + ", ".join(missing)
    )
    stale = sorted(set(EXPECTATIONS) - names)
    assert not stale, "Expectations for routes that no longer exist: " + ", ".join(stale)


def _clients(world) -> dict[str, Client]:
    clients = {"anonymous": Client()}
    for role in ROLES[1:]:
        user = world["superuser"] if role == "superuser" else world["mine"][role]
        client = Client()
        client.force_login(user)
        # Kept, and put back before each request: a request that logs out must not log the
        # role out for the next one.
        client.session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
        clients[role] = client
    return clients


def _ask(client: Client, route, method: str, url: str):
    if hasattr(client, "session_key"):
        client.cookies[settings.SESSION_COOKIE_NAME] = client.session_key
    cache.clear()  # the public pages' rate limits count per address
    if method == "GET":
        return client.get(url)
    if route.is_api:
        return client.generic(method, url, data="{}", content_type="application/json")
    return client.post(url, {})


def _observed(response):
    location = response.get("Location", "")
    if response.status_code == 302 and location.startswith(resolve_url(settings.LOGIN_URL)):
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_route_answers_each_role_as_expected(route, matrix_world, db):
    expectations = EXPECTATIONS.get(route.name)
    if expectations is None:
        pytest.fail(f"{route.name} ({route.pattern}) has no expectation in expectations.py")
    declared = {expectation.method for expectation in expectations}
    if route.is_api:
        assert declared == set(route.methods), (
            f"{route.name} answers {sorted(route.methods)}; "
            f"its expectation names {sorted(declared)}"
        )
    # A method the route does not take is a 405 for everybody, asked before any permission.
    everybody_405 = dict.fromkeys(ROLES, 405)
    refused = [
        replace(expectations[0], method=method, own=everybody_405, other=everybody_405)
        for method in sorted(set(route.methods) - declared)
    ]
    clients = _clients(matrix_world)
    mismatches = []
    for expectation in [*expectations, *refused]:
        for scope in SCOPES if expectation.has_scope else ("own",):
            for role in ROLES:
                url = reverse(route.name, kwargs=expectation.kwargs(matrix_world, scope, role))
                with transaction.atomic():
                    response = _ask(clients[role], route, expectation.method, url)
                    transaction.set_rollback(True)
                got = _observed(response)
                want = expectation.answer(scope, role)
                if got != want:
                    mismatches.append(
                        f"  {expectation.method:5} {url:58} {scope:5} {role:10} "
                        f"want {want}, got {got}"
                    )
    assert not mismatches, f"{route.name}:\n" + "\n".join(mismatches)
