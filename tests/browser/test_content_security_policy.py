"""The Content-Security-Policy in a browser: the conftest's watcher sees what it refuses, and the
API's two readers and Django's admin render under it (Swagger UI under the site's own policy,
Redoc under its page's relaxed one, api/urls.py) with nothing refused."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from zhidao.demo.data import DEMO_PASSWORD

from .conftest import log_in

pytestmark = pytest.mark.browser


INJECTED = """
document.body.insertAdjacentHTML("beforeend", '<p style="color: red">styled</p>');
const script = document.createElement("script");
script.textContent = "window.ran = true";
document.body.append(script);
"""


def test_the_watcher_reports_an_inline_style_and_script(db, page, policy_violations):
    """The check can fail: markup with a style attribute and an inline script, added by a
    script, are refused and reported."""
    page.goto("/accounts/login/")
    page.evaluate(INJECTED)
    page.wait_for_timeout(300)
    assert page.evaluate("window.ran") is None
    assert any("style-src-attr" in line for line in policy_violations)
    assert any("script-src-elem" in line for line in policy_violations)
    policy_violations.clear()


def test_swagger_ui_renders_the_schema(db, page):
    page.goto("/api/docs/")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "zhidao API" in page.locator(".swagger-ui .info .title").inner_text()
    page.locator(".opblock-tag").first.wait_for()


# Redoc's attribution always shows its logo from its CDN (hiding it when it fails to load):
# the policy refuses it, which is what it should do, and nothing else.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def test_redoc_renders_the_schema(db, page, policy_violations):
    page.goto("/api/redoc/")
    page.get_by_role("heading", name="zhidao API").first.wait_for()
    # Its search runs in a worker from a blob: address, which its page allows.
    page.get_by_placeholder("Search...").fill("federation")
    page.locator("[data-role='search:results']").first.wait_for()
    assert policy_violations and all(REDOC_LOGO in line for line in policy_violations)
    policy_violations.clear()


def test_admin_login_and_index_render(db, page):
    get_user_model().objects.create_superuser("root", "root@example.com", "Sup3r-secret-pass!")
    page.goto("/admin/login/")
    page.fill("input[name=username]", "root")
    page.fill("input[name=password]", "Sup3r-secret-pass!")
    page.click("input[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/admin/"), page.url
    # A change list (its actions, filters) and a change form (its widgets' scripts).
    for path in ("/admin/orgs/organization/", "/admin/orgs/organization/add/"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert page.locator("#content").count() == 1, page.url


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", size="small", organizations=30, verbosity=0)


def _hover_charts(page) -> int:
    page.locator("[data-chart] canvas").first.wait_for()
    charts = page.locator("[data-chart]")
    for index in range(charts.count()):
        box = charts.nth(index).bounding_box()
        assert box is not None
        for fraction in (0.3, 0.5, 0.7):
            page.mouse.move(box["x"] + box["width"] * fraction, box["y"] + box["height"] * 0.5)
            page.wait_for_timeout(150)
    return charts.count()


def test_chart_tooltips_draw_without_inline_styles(demo, page, screenshot):
    """ECharts' HTML tooltips are markup with style attributes; the charts draw theirs on the
    canvas instead (dashboard.js, charts.js), so hovering a chart refuses nothing."""
    log_in(page, "admin", DEMO_PASSWORD)
    hovered = 0
    for path in ("/dashboard/", "/standards/assessments/statistics/"):
        page.goto(path)
        hovered += _hover_charts(page)
        screenshot(page, f"chart-tooltip-{path.strip('/').replace('/', '-')}")
    page.goto("/standards/assessments/")
    detail = page.evaluate(
        """() => [...document.querySelectorAll("main a[href]")]
            .map(a => a.getAttribute("href"))
            .find(href => /^\\/standards\\/assessments\\/\\d+\\/$/.test(href))"""
    )
    assert detail, "no assessment in the demo"
    page.goto(detail)
    hovered += _hover_charts(page)
    assert hovered >= 4
