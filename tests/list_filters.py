"""A list asked the same question on its page and in the API: the same rows come back.

Each app's `test_filters.py` builds its rows with factories, names the rows a filter must keep
(the expectation, written without the code under test) and checks both entry paths with it; the
other federation's look-alike rows must never come back.
"""

from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def page_rows(user, url_name: str, params: dict) -> set[int]:
    client = Client()
    client.force_login(user)
    response = client.get(reverse(url_name), params)
    assert response.status_code == 200
    return {row.pk for row in response.context["page_obj"]}


def api_client(user) -> APIClient:
    token, _created = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def api_response(user, endpoint: str, params: dict):
    return api_client(user).get(f"/api/{endpoint}/", params)


def api_rows(user, endpoint: str, params: dict, *, id_key: str = "id") -> set[int]:
    response = api_response(user, endpoint, params)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["next"] is None  # every row on one page, so the sets compare whole lists
    return {row[id_key] for row in body["results"]}


def assert_same_rows(user, *, page: str, api: str, params: dict, expected, id_key: str = "id"):
    """The page and the API list exactly the expected rows for these parameters."""
    wanted = {row.pk for row in expected}
    assert page_rows(user, page, params) == wanted
    assert api_rows(user, api, params, id_key=id_key) == wanted


def assert_invalid_value_is_ignored_by_the_page_and_refused_by_the_api(
    user, *, page: str, api: str, name: str, value, unfiltered
):
    """The page lists as if the value were not given; the API answers 400 in Chinese."""
    assert page_rows(user, page, {name: value}) == {row.pk for row in unfiltered}
    response = api_response(user, api, {name: value})
    assert response.status_code == 400
    (message,) = response.json()[name]
    assert any("\u4e00" <= character <= "\u9fff" for character in message), message
