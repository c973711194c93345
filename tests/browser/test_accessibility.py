"""Someone using a screen reader, the keyboard or a phone in the sun: axe-core finds no serious
or critical violation (WCAG 2 A and AA rules) on one page of each kind, for each role, at the
phone and the desktop width.

axe-core comes from the axe-playwright-python package (its bundled axe.min.js), injected from the
local file: nothing is loaded from the network."""

import re
from pathlib import Path

import axe_playwright_python
import pytest
from django.core.management import call_command

from zhidao.appeals.models import Appeal, MessageSender, PosterToken
from zhidao.demo.data import DEMO_PASSWORD

from .conftest import DESKTOP, PHONE, log_in

pytestmark = pytest.mark.browser

AXE_JS = Path(axe_playwright_python.__file__).with_name("axe.min.js")
AXE_SOURCE = AXE_JS.read_text(encoding="utf-8")
# axe's own WCAG 2.0/2.1 A and AA rule tags (best-practice rules are left to review).
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING = {"serious", "critical"}

# (login or None, page, the first link to follow from it to reach a detail page)
STAFF_PAGES = [
    ("admin", "/", None),  # workbench with the headline figures
    ("admin", "/dashboard/", None),
    ("admin", "/orgs/organizations/", None),  # a list with its filter bar
    ("admin", "/orgs/organizations/", r"^/orgs/organizations/\d+/$"),  # a detail page
    ("admin", "/orgs/organizations/new/", None),  # a form
    ("admin", "/fieldwork/days/", None),  # the day list
    ("admin", "/reports/", r"^/reports/\d+/$"),  # a quarterly report
    ("admin", "/reports/statistics/", None),  # the upward report's wide tables
    ("admin", "/dispatch/evaluations/", r"^/dispatch/evaluations/\d+/$"),
    ("admin", "/appeals/new/", None),  # staff intake of an appeal
    ("leader", "/", None),
    ("ouyang", "/", None),
    ("ouyang", "/fieldwork/check-in/", None),
    ("geely_chair", "/", None),
    ("rights", "/", None),
    ("rights", "/appeals/", None),
    ("rights", "/appeals/", r"^/appeals/\d+/$"),
    ("rights", "/appeals/stats/", None),
]


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", size="small", organizations=60, verbosity=0)


def blocking_violations(page) -> list[str]:
    # Evaluated through the DevTools protocol, not added as an inline <script> (which the
    # Content-Security-Policy would refuse, and the conftest would report).
    page.evaluate(AXE_SOURCE)
    violations = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]
    return [
        f"{violation['id']} ({violation['impact']}) at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
        for violation in violations
        if violation["impact"] in BLOCKING
    ]


def follow_first_link(page, pattern: str) -> None:
    href = page.evaluate(
        """pattern => {
            const re = new RegExp(pattern);
            const link = [...document.querySelectorAll("main a[href]")]
                .find(a => re.test(new URL(a.href).pathname));
            return link ? link.getAttribute("href") : null;
        }""",
        pattern,
    )
    assert href, f"no link matching {pattern} on {page.url}"
    page.goto(href)


def public_pages() -> list[str]:
    token = PosterToken.objects.filter(active=True).order_by("id").first()
    answered = (
        Appeal.objects.unscoped()
        .filter(messages__sender=MessageSender.STAFF)
        .order_by("id")
        .first()
    )
    assert token is not None and answered is not None  # the demo has posters and answers
    return [
        "/accounts/login/",
        f"/v/{token.token}/",
        "/v/ticket/",
        f"/v/ticket/{answered.code}/?new=1",
    ]


def test_no_serious_or_critical_axe_violation_on_any_page_kind(demo, browser, live_server):
    pages = [(None, path, None) for path in public_pages()] + STAFF_PAGES
    found: list[str] = []
    checked = 0
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        contexts: dict[str | None, object] = {}
        for username, path, follow in pages:
            if username not in contexts:
                context = browser.new_context(
                    viewport=viewport,
                    locale="zh-CN",
                    base_url=live_server.url,
                    is_mobile=viewport is PHONE,
                    has_touch=viewport is PHONE,
                )
                context.set_default_timeout(15_000)
                contexts[username] = context.new_page()
                if username:
                    log_in(contexts[username], username, DEMO_PASSWORD)
            page = contexts[username]
            page.goto(path)
            if follow:
                follow_first_link(page, follow)
            assert page.locator("main").count() == 1, page.url
            checked += 1
            for violation in blocking_violations(page):
                found.append(f"{name} {username or 'anonymous'} {page.url}: {violation}")
        for page in contexts.values():
            page.context.close()
    assert checked == 2 * len(pages)
    assert found == []


def test_axe_itself_reports_a_low_contrast_text(demo, page):
    """The check can fail: grey text of 2.3:1 on white is a serious violation for axe."""
    page.goto("/accounts/login/")
    assert blocking_violations(page) == []
    page.evaluate(
        "() => { const p = document.createElement('p'); p.textContent = '浅灰色文字';"
        " p.style.color = '#aaaaaa'; p.style.background = '#ffffff';"
        " document.querySelector('main').append(p); }"
    )
    assert any(re.match(r"color-contrast \(serious\)", v) for v in blocking_violations(page))
