"""Every role × every endpoint: its own object answers, another scope's is a 404 and never
listed (SECURITY.md "A permission matrix test")."""

import pytest

from .endpoints import ENDPOINTS, ROLES, detail_url, list_url, lists, row_ids, sees_own


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_role_reads_its_own_object(world, client_for, endpoint, role):
    own = world["mine"][ENDPOINTS[endpoint]]
    response = client_for(world["mine"][role]).get(detail_url(endpoint, own.pk))
    assert response.status_code == (200 if sees_own(endpoint, role) else 404)
    if response.status_code == 200:
        assert response.json()["id"] == own.pk


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_other_scopes_object_is_not_found(world, client_for, endpoint, role):
    other = world["other"][ENDPOINTS[endpoint]]
    response = client_for(world["mine"][role]).get(detail_url(endpoint, other.pk))
    assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_list_never_contains_other_scopes_rows(world, client_for, endpoint, role):
    response = client_for(world["mine"][role]).get(list_url(endpoint))
    if not lists(endpoint, role):
        assert response.status_code == 403
        return
    assert response.status_code == 200
    listed = row_ids(response)
    assert world["other"][ENDPOINTS[endpoint]].pk not in listed
    assert (world["mine"][ENDPOINTS[endpoint]].pk in listed) == sees_own(endpoint, role)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_other_scopes_object_is_not_found_for_writes_either(world, client_for, endpoint, role):
    other = world["other"][ENDPOINTS[endpoint]]
    response = client_for(world["mine"][role]).patch(
        detail_url(endpoint, other.pk), {"notes": "x"}, format="json"
    )
    assert response.status_code == 404


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_search_never_finds_other_scopes_rows(world, client_for, endpoint):
    other = world["other"][ENDPOINTS[endpoint]]
    response = client_for(world["mine"]["admin"]).get(
        list_url(endpoint), {"search": str(other)[:2]}
    )
    assert response.status_code == 200
    assert other.pk not in row_ids(response)


def test_user_without_any_role_lists_nothing(db, world, client_for):
    from tests.factories import UserFactory

    client = client_for(UserFactory())
    for endpoint in ENDPOINTS:
        response = client.get(list_url(endpoint))
        if lists(endpoint, None):
            assert response.json()["results"] == []
        else:
            assert response.status_code == 403  # the federation tree is the staff's


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_unauthenticated_request_is_refused(world, endpoint):
    from rest_framework.test import APIClient

    own = world["mine"][ENDPOINTS[endpoint]]
    client = APIClient()
    assert client.get(list_url(endpoint)).status_code in (401, 403)
    assert client.get(detail_url(endpoint, own.pk)).status_code in (401, 403)
