"""A person with a browser: every demo login reaches its own home page; a bad credit code is
shown at its field with everything else still typed; the organization list on desktop and phone."""

import pytest
from django.core.management import call_command

from zhidao.demo.data import DEMO_PASSWORD

from .conftest import log_in

pytestmark = pytest.mark.browser

# username -> something only that role's home page shows
HOME_MARKERS = {
    "admin": "[data-figure=organizations]",
    "yuhu_admin": "[data-figure=organizations]",
    "leader": "[data-figure=organizations]",
    "ouyang": "text=湖南吉利汽车部件有限公司",
    "zouqian": "text=湖南软件职业技术大学",
    "geely_chair": "text=欧阳新建",
    "rights": "[data-item=appeals_new]",
}


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", size="small", organizations=60, verbosity=0)


@pytest.mark.parametrize("username", list(HOME_MARKERS))
def test_each_demo_login_sees_its_home_page(demo, page, screenshot, username):
    log_in(page, username, DEMO_PASSWORD)
    assert "/accounts/login/" not in page.url
    assert page.locator(HOME_MARKERS[username]).first.is_visible()
    assert page.locator("text=退出").first.is_visible()  # Chinese shell, logged in
    screenshot(page, f"home-{username}")


def test_instructor_home_does_not_show_federation_figures(demo, page):
    log_in(page, "ouyang", DEMO_PASSWORD)
    assert page.locator("[data-figure=organizations]").count() == 0


def test_wrong_password_stays_on_login_with_chinese_message(demo, page):
    log_in(page, "admin", "wrong-Password1")
    assert "/accounts/login/" in page.url
    assert page.locator(".form-errors").inner_text().strip() != ""
    assert "用户名或密码" in page.locator(".form-errors").inner_text()


def test_bad_credit_code_is_shown_at_its_field_and_typed_values_stay(demo, page, screenshot):
    log_in(page, "admin", DEMO_PASSWORD)
    page.goto("/orgs/organizations/new/")
    page.fill("input[name=name]", "湘潭浏览器测试有限公司")
    page.fill("input[name=credit_code]", "91430300MA4L1A2B3X")  # wrong check character
    page.select_option("select[name=kind]", "new_economic")
    page.select_option("select[name=sub_kind]", "private_enterprise")
    page.select_option("select[name=industry]", "C")
    page.select_option("select[name=federation]", label="雨湖区总工会")
    page.fill("input[name=district]", "雨湖区")
    page.fill("input[name=address]", "湘潭市雨湖区测试路1号")
    page.fill("input[name=employee_count]", "321")
    page.click("form.form-card button[type=submit]")
    page.wait_for_load_state("networkidle")

    error = page.locator("#field-credit_code .field-errors")
    assert error.is_visible()
    assert "校验" in error.inner_text()
    # nothing else is marked wrong, and everything typed is still there
    assert page.locator(".field.has-error").count() == 1
    assert page.input_value("input[name=name]") == "湘潭浏览器测试有限公司"
    assert page.input_value("input[name=credit_code]") == "91430300MA4L1A2B3X"
    assert page.input_value("select[name=sub_kind]") == "private_enterprise"
    assert page.input_value("input[name=address]") == "湘潭市雨湖区测试路1号"
    assert page.input_value("input[name=employee_count]") == "321"
    screenshot(page, "organization-form-bad-credit-code")


def test_organization_list_on_desktop_and_phone(demo, page, phone_page, screenshot):
    for viewport_page, name in ((page, "desktop"), (phone_page, "phone")):
        log_in(viewport_page, "admin", DEMO_PASSWORD)
        viewport_page.goto("/orgs/organizations/")
        rows = viewport_page.locator("table.list tbody tr")
        assert rows.count() > 0
        assert viewport_page.locator("text=湖南吉利汽车部件有限公司").first.is_visible()
        path = screenshot(viewport_page, f"organization-list-{name}")
        assert path.stat().st_size > 10_000
    # on a phone the table turns into cards: no horizontal scrolling of the page
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1


def test_phone_menu_is_on_me_and_reaches_a_page(demo, phone_page):
    # On a phone the bottom tab bar replaces the drawer; every menu entry is on 我的.
    log_in(phone_page, "admin", DEMO_PASSWORD)
    assert not phone_page.locator("#sidenav").is_visible()
    assert not phone_page.locator("[data-nav-toggle]").is_visible()
    phone_page.click(".tabbar [data-tab=me]")
    phone_page.wait_for_url("**/accounts/me/")
    phone_page.click(".me-menu >> text=派驻批次")
    phone_page.wait_for_load_state("networkidle")
    assert "/dispatch/batches/" in phone_page.url


def test_tablet_menu_opens_and_reaches_a_page(demo, browser, live_server):
    # Between the phone and the desktop (641-860 px) the side menu is a drawer.
    context = browser.new_context(
        viewport={"width": 800, "height": 1000}, locale="zh-CN", base_url=live_server.url
    )
    context.set_default_timeout(15_000)
    tablet = context.new_page()
    try:
        log_in(tablet, "admin", DEMO_PASSWORD)
        nav = tablet.locator("#sidenav")
        assert not nav.is_visible() or nav.bounding_box()["x"] < 0
        assert not tablet.locator(".tabbar").is_visible()
        tablet.click("[data-nav-toggle]")
        tablet.wait_for_timeout(300)
        tablet.click("#sidenav >> text=派驻批次")
        tablet.wait_for_load_state("networkidle")
        assert "/dispatch/batches/" in tablet.url
    finally:
        context.close()
