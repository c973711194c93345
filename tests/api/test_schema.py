"""The OpenAPI schema and its two readers, served with nothing from another host."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from rest_framework.test import APIClient

from .endpoints import ENDPOINTS

_URL_ATTRIBUTE = re.compile(r"""(?:src|href|spec-url)\s*=\s*["']([^"']+)["']""")
_ABSOLUTE_URL = re.compile(r"""https?://[^\s"'<>)]+""")


def _assert_only_local_references(text: str) -> list[str]:
    assert _ABSOLUTE_URL.findall(text) == []
    urls = _URL_ATTRIBUTE.findall(text)
    for url in urls:
        assert url.startswith("/") and not url.startswith("//"), url
    return urls


def _assert_static_files_exist(urls: list[str]) -> None:
    for url in urls:
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url


def test_schema_is_openapi_3_with_every_endpoint(db):
    response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for endpoint in ENDPOINTS:
        assert f"/api/{endpoint}/" in schema["paths"]
        assert f"/api/{endpoint}/{{id}}/" in schema["paths"]
        assert "delete" not in schema["paths"][f"/api/{endpoint}/{{id}}/"]
    assert "/api/token/" in schema["paths"]
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_schema_generates_without_errors_or_warnings(db, tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3")


def test_phones_appear_in_the_schema_only_masked_on_output(db):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    instructor = schema["components"]["schemas"]["Instructor"]["properties"]
    assert "phone" not in instructor
    assert "masked_phone" in instructor


def test_swagger_page_loads_everything_from_this_site(db):
    client = APIClient()
    page = client.get("/api/docs/")
    assert page.status_code == 200
    urls = _assert_only_local_references(page.content.decode())
    _assert_static_files_exist(urls)
    assert any("drf_spectacular_sidecar" in url for url in urls)

    # The start-up script is a file of its own (no inline script for the CSP to allow).
    script_url = next(url for url in urls if url.startswith("/api/docs/"))
    script = client.get(script_url)
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    _assert_only_local_references(script.content.decode())


def test_redoc_page_loads_everything_from_this_site(db):
    page = APIClient().get("/api/redoc/")
    assert page.status_code == 200
    html = page.content.decode()
    urls = _assert_only_local_references(html)
    _assert_static_files_exist(urls)
    assert "fonts.googleapis.com" not in html


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/", "/api/schema/"])
def test_docs_are_readable_without_an_account(db, path):
    # The schema describes endpoints, never data; integrators read it before they have an account.
    assert APIClient().get(path).status_code == 200
