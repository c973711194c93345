"""Key pages in a Chinese browser and in an English one.

A Chinese user's browser sends Accept-Language zh-CN; Django's LocaleMiddleware maps zh-cn to
zh-hans (LANG_INFO's fallback), so the page is Chinese. The site is Chinese by default
(LANGUAGE_CODE zh-hans) with English available (LANGUAGES, DESIGN.md "English available"): an
English browser (en-US → en) gets the English interface whole — every label is its msgid, none
is left in Chinese — while the data (names of organizations, people, places) stays as entered,
and the language switcher names each language in itself (简体中文 / English)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from zhidao.demo.data import DEMO_PASSWORD

from .conftest import DESKTOP, log_in

pytestmark = pytest.mark.browser

CJK = re.compile(r"[\u3400-\u9fff]")
# Elements that hold interface text only (never data) on the pages below: the menu, section
# titles, table headers, form labels, buttons (the language switcher aside), figure labels, the
# top bar's brand and the home page's date.
INTERFACE = (
    "nav.sidenav, h2, thead th, label, button:not(.language-form button), .stat-label,"
    " .brand-text, .subtitle"
)


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", size="small", organizations=60, verbosity=0)


@pytest.fixture
def english_page(browser, live_server):
    context = browser.new_context(viewport=DESKTOP, locale="en-US", base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def chinese_in_interface(page, data: tuple[str, ...] = ()) -> list[str]:
    """Interface texts holding Chinese once the given data (a person's name) is taken out."""
    texts = page.locator(INTERFACE).all_inner_texts()
    assert len(texts) > 10  # the selectors still find the interface
    for value in data:
        texts = [text.replace(value, "") for text in texts]
    return [text.strip() for text in texts if CJK.search(text)]


def test_a_chinese_browser_gets_chinese_pages(demo, page, screenshot):
    assert page.evaluate("navigator.language") == "zh-CN"
    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator(".login-card button[type=submit]").inner_text().strip() == "登录"
    screenshot(page, "locale-zh-login")

    log_in(page, "admin", DEMO_PASSWORD)
    assert page.locator("[data-figure=organizations]").is_visible()
    assert page.locator("nav.sidenav").get_by_text("两新组织", exact=True).is_visible()

    page.goto("/orgs/organizations/")
    assert page.locator("h1").inner_text().strip() == "两新组织"
    assert "组织类型" in page.locator("thead").first.inner_text()

    page.goto("/dashboard/")
    button = page.locator("form.dashboard-filters button[type=submit]")
    assert button.inner_text().strip() == "查询"  # not the inbox tabs' 显示范围
    screenshot(page, "locale-zh-dashboard")

    page.goto("/fieldwork/matters/?status=in_progress")
    statuses = page.locator("tbody .badge-matter-in_progress").all_inner_texts()
    assert statuses and set(statuses) == {"推进中"}  # not the assignments' 派驻中


def test_rights_staff_home_page_in_a_chinese_browser_lists_appeals_to_handle(demo, page):
    log_in(page, "rights", DEMO_PASSWORD)
    main = page.locator("main").inner_text()
    assert "待受理的新诉求" in main and "办理中的诉求" in main
    assert "尚未分配角色" not in main
    assert page.locator("[data-item=appeals_open]").is_visible()


def test_an_english_browser_gets_the_whole_interface_in_english(demo, english_page, screenshot):
    page = english_page
    assert page.evaluate("navigator.language") == "en-US"
    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".login-card button[type=submit]").inner_text().strip() == "Log in"
    # No data on the login page: the only Chinese is the switcher's own name for Chinese.
    assert CJK.findall(page.locator("body").inner_text().replace("简体中文", "")) == []
    screenshot(page, "locale-en-login")

    log_in(page, "admin", DEMO_PASSWORD)
    # The home page greets the user by name, which is data and stays as entered.
    name = str(get_user_model().objects.get(username="admin"))
    assert CJK.search(name)
    for path in ("/", "/orgs/organizations/", "/dashboard/", "/fieldwork/matters/"):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == "en", path
        assert chinese_in_interface(page, data=(name,)) == [], path
    assert page.locator("nav.sidenav").get_by_text("Practical matters", exact=True).is_visible()
    screenshot(page, "locale-en-practical-matters")
