"""Office habits: a keyboard user skips the menu, a clerk prints a list without the navigation
and with the federation and the date on top, a phone user taps a whole list card, selects
start at 全部 (filters) or 请选择 (forms), and a worker's appeal form and ticket page."""

import re
from datetime import date

import pytest
from django.core.management import call_command

from zhidao.appeals.models import Appeal, MessageSender, PosterToken
from zhidao.demo.data import DEMO_PASSWORD

from .conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", size="small", organizations=60, verbosity=0)


def blank_options(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(
        f"{selector} select:not([multiple])",
        "selects => selects.filter(s => s.options.length && s.options[0].value === '')"
        ".map(s => s.options[0].textContent.trim())",
    )


def test_keyboard_print_and_empty_choices_on_the_desktop(demo, page, screenshot):
    log_in(page, "admin", DEMO_PASSWORD)
    page.goto("/fieldwork/days/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => [document.activeElement.className, document.activeElement.textContent]"
    )
    assert focused == ["skip-link", "跳到主要内容"]
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"

    filters = blank_options(page, "form.filters")
    assert len(filters) >= 2 and set(filters) == {"全部"}

    # 打印 opens the browser's print dialog (stubbed here: headless Chromium has none).
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.get_by_role("button", name="打印").click()
    assert page.evaluate("() => window.printed") == 1

    assert page.locator(".print-header").is_hidden()
    page.emulate_media(media="print")
    for shell in (".topbar", ".sidenav", "form.filters", ".print-button", ".footer"):
        assert page.locator(shell).first.is_hidden(), shell
    header = page.locator(".print-header").inner_text()
    today = date.today()
    assert "湘潭市总工会" in header and f"{today.year}年{today.month}月{today.day}日" in header
    assert page.locator("table.list tbody tr").first.is_visible()
    screenshot(page, "office-print-days-desktop")
    page.emulate_media(media="screen")

    page.goto("/orgs/organizations/new/")
    prompts = blank_options(page, "main form[method=post]")
    # kind, sub-kind, industry, federation; the union's blank keeps its own words (尚未建会)
    assert prompts.count("请选择") == 4 and "---------" not in prompts


def test_a_list_card_opens_its_record_wherever_it_is_tapped_on_a_phone(demo, phone_page):
    page = phone_page
    log_in(page, "admin", DEMO_PASSWORD)
    page.goto("/fieldwork/days/")
    for target in page.locator("main .page-actions .button, form.filters .button").all():
        assert target.bounding_box()["height"] >= 44
    first_row = page.locator("table.list tbody tr").first
    detail = first_row.locator("td.primary a").get_attribute("href")
    # A tap on the instructor's name, not on the link: the row's link covers the whole card.
    cell = first_row.locator("td[data-label=工会指导员]")
    cell.scroll_into_view_if_needed()
    box = cell.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(re.compile(re.escape(detail) + "$"))


def test_worker_form_hides_contact_when_anonymous_and_ticket_page_helps_keep_the_code(
    demo, phone_page, screenshot
):
    page = phone_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    token = PosterToken.objects.filter(active=True).order_by("id").first()
    page.goto(f"/v/{token.token}/")
    category = page.locator("select[name=category]")
    assert category.input_value() == ""
    assert category.locator("option").first.inner_text() == "请选择"
    assert page.locator("input[name=identity][value=anonymous]").is_checked()
    assert page.locator("input[name=name]").is_hidden()
    assert page.locator("input[name=phone]").is_hidden()
    page.check("input[name=identity][value=named]")
    assert page.locator("input[name=name]").is_visible()
    assert page.locator("input[name=phone]").is_visible()
    page.check("input[name=identity][value=anonymous]")
    assert page.locator("input[name=phone]").is_hidden()

    page.select_option("select[name=category]", "wages")
    page.fill("textarea[name=description]", "食堂承包商拖欠我们两个月工资。")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/v/ticket/[A-Z0-9-]+/\?new=1$"))
    code = page.locator(".ticket-code")
    assert float(code.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")) >= 32
    assert page.locator("text=请截图保存").is_visible()
    page.get_by_role("button", name="复制").click()
    page.locator(".ticket-copy-status", has_text="已复制").wait_for()
    assert page.evaluate("() => navigator.clipboard.readText()") == code.inner_text().strip()
    screenshot(page, "office-ticket-phone")

    answered = (
        Appeal.objects.unscoped()
        .select_related("federation")
        .filter(messages__sender=MessageSender.STAFF)
        .order_by("id")
        .first()
    )
    page.goto(f"/v/ticket/{answered.code}/")
    signatures = page.locator(".appeal-messages li.from-staff strong").all_inner_texts()
    assert signatures and set(signatures) == {answered.federation.name}
    assert "基层工会" not in signatures
