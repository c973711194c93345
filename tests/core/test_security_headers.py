"""The Content-Security-Policy and Permissions-Policy headers, and pages that need nothing the
policy refuses: no inline script, no inline style, no event-handler attribute."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from zhidao.accounts.models import User
from zhidao.appeals.models import PosterToken

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_a_page_allows_scripts_and_styles_from_this_site_only(client):
    directives = policy(client.get("/accounts/login/"))
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:", "blob:"]
    header = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header


def test_a_signed_in_page_and_the_service_worker_carry_the_same_policy(client):
    user = User.objects.create_user("csp", password="Pass-w0rd-long!")
    client.force_login(user)
    home = client.get("/")
    assert policy(home)["script-src"] == ["'self'"]
    worker = client.get("/fieldwork/sw.js")
    assert worker.status_code == 200
    assert policy(worker)["connect-src"] == ["'self'"]


def test_permissions_policy_allows_location_and_copying_only(client):
    header = client.get("/accounts/login/")["Permissions-Policy"]
    features = dict(part.split("=", 1) for part in header.split(", "))
    assert features["geolocation"] == "(self)"
    assert features["clipboard-write"] == "(self)"
    for feature in ("camera", "microphone", "payment", "usb", "display-capture"):
        assert features[feature] == "()"
    assert {
        value for name, value in features.items() if name not in {"geolocation", "clipboard-write"}
    } == {"()"}


def test_only_redoc_allows_inline_styles_and_a_blob_worker(client):
    redoc = policy(client.get("/api/redoc/"))
    assert redoc["style-src"] == ["'self'", "'unsafe-inline'"]
    assert redoc["worker-src"] == ["'self'", "blob:"]
    assert redoc["script-src"] == ["'self'"]
    swagger = policy(client.get("/api/docs/"))
    assert swagger["style-src"] == ["'self'"]
    assert swagger["script-src"] == ["'self'"]


class InlineFinder(HTMLParser):
    """Collects what a strict policy refuses: <script> without src (a JSON data block is not run),
    <style>, style= and on*= attributes, javascript: addresses."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        json_data = attributes.get("type") == "application/json"
        if tag == "script" and "src" not in attributes and not json_data:
            self.found.append(f"inline <script {attributes}>")
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs:
            if name == "style":
                self.found.append(f"<{tag} style={value!r}>")
            elif name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            elif name in {"href", "src", "action"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}={value!r}>")


def inline_parts(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


def test_the_finder_sees_what_the_policy_refuses():
    html = (
        '<script>alert(1)</script><script src="/a.js"></script>'
        '<script type="application/json" id="d">{}</script>'
        '<p style="color:red" onclick="x()"><a href="javascript:void(0)">a</a></p>'
        "<style>p{}</style>"
    )
    assert len(inline_parts(html)) == 5


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href and href.startswith("/") and not href.startswith("//"):
            self.hrefs.append(href)


# Each demo role, and the pages its own navigation and home page link to (lists, details, forms).
DEMO_LOGINS = ("admin", "yuhu_admin", "leader", "ouyang", "zouqian", "geely_chair", "rights")
# Pages no link reaches from a home page, or reached before signing in.
EXTRA_PAGES = (
    "/orgs/organizations/new/",
    "/fieldwork/check-in/",
    "/fieldwork/records/new/",
    "/fieldwork/offline/queue/",
    "/appeals/new/",
)
PUBLIC_PAGES = (
    "/accounts/login/",
    "/v/ticket/",
    "/fieldwork/offline/",
    "/fieldwork/offline/?stored=1",
)
SKIP = ("/logout", "/export", "/download", "/static/", "/media/", "/api/", "/admin/")


def _check(client, path: str, seen: set[str], found: list[str]) -> str | None:
    path = urlsplit(path)._replace(fragment="").geturl()
    if path in seen or any(part in path for part in SKIP):
        return None
    seen.add(path)
    response = client.get(path)
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return None
    html = response.content.decode()
    found.extend(f"{path}: {part}" for part in inline_parts(html))
    return html


@pytest.fixture
def demo(db):
    call_command("load_demo", size="small", organizations=30, verbosity=0)


def test_demo_pages_have_no_inline_script_or_style(demo):
    found: list[str] = []
    checked = 0
    anonymous = Client()
    token = PosterToken.objects.filter(active=True).order_by("id").first()
    for path in (*PUBLIC_PAGES, f"/v/{token.token}/"):
        checked += _check(anonymous, path, set(), found) is not None
    for username in DEMO_LOGINS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        seen: set[str] = set()
        home = _check(client, "/", seen, found)
        assert home is not None, username
        links = Links()
        links.feed(home)
        for path in (*links.hrefs, *EXTRA_PAGES):
            html = _check(client, path, seen, found)
            checked += html is not None
            if html is not None and len(seen) < 60:
                # One level further: the detail pages a list links to.
                deeper = Links()
                deeper.feed(html)
                for detail in deeper.hrefs[:40]:
                    checked += _check(client, detail, seen, found) is not None
    assert checked > 200
    assert found == []
