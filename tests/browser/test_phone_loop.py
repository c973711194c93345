"""The instructor's day on a 390-px phone, from the home page: check in, record the work, check
out — at most 3, 5 and 2 actions (a tap or a field filled), each answered by a success message;
the bottom tab bar marks where the instructor is."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from zhidao.demo.data import DEMO_PASSWORD
from zhidao.fieldwork.models import OnSiteDay, WorkRecord

from .conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", size="small", organizations=60, verbosity=0)
    # The demo leaves this week open for 欧阳新建; make sure today holds no day yet.
    OnSiteDay.objects.filter(
        instructor__user__username="ouyang", on_date=timezone.localdate()
    ).delete()


class Actions:
    """Counts what the instructor does: each tap or field filled is one action."""

    def __init__(self, page):
        self.page = page
        self.count = 0

    def tap(self, selector: str) -> None:
        self.count += 1
        self.page.locator(selector).first.click()

    def fill(self, selector: str, value: str) -> None:
        self.count += 1
        self.page.fill(selector, value)

    def choose(self, selector: str, value: str) -> None:
        self.count += 1
        self.page.select_option(selector, value)


def success_message(page) -> str:
    message = page.locator(".messages .message-success")
    message.first.wait_for()
    return message.first.inner_text()


def current_tab(page) -> str:
    return page.locator(".tabbar [aria-current=page]").get_attribute("data-tab")


def test_check_in_record_and_check_out_from_the_home_page(demo, phone_page, screenshot):
    page = phone_page
    log_in(page, "ouyang", DEMO_PASSWORD)
    today = timezone.localdate()

    # ----- check in: 签到 on the home page, then 签到 on the check-in page -----
    page.goto("/")
    assert current_tab(page) == "home"
    assert page.locator(".tabbar").is_visible()
    check_in = Actions(page)
    check_in.tap("[data-item=check_in]")
    page.wait_for_url("**/fieldwork/check-in/")
    assert current_tab(page) == "check_in"
    if not page.locator("input[name=place]:checked").count():
        check_in.tap("#field-place label")  # no earlier check-in to start from
    check_in.tap("form[data-offline-form=check-in] button[type=submit]")
    page.wait_for_url("**/fieldwork/days/*/")
    assert "已签到" in success_message(page)
    assert check_in.count <= 3, check_in.count
    day = OnSiteDay.objects.get(instructor__user__username="ouyang", on_date=today)
    assert day.checked_out_at is None
    # Right after checking in: what to follow up from the previous visit.
    follow_up = page.locator(f"[data-follow-up='{day.organization_id}']")
    assert "待跟进" in follow_up.inner_text()
    assert "上次驻点" in follow_up.inner_text()
    screenshot(page, "phone-loop-checked-in-390")

    # ----- record: 记录工作 on the home page; the organization and the day are filled in -----
    page.goto("/")
    assert not page.locator("[data-item=check_in]").count()  # not offered twice
    assert day.organization.name in page.locator("[data-item=today_day]").inner_text()
    screenshot(page, "phone-loop-home-checked-in-390")
    record = Actions(page)
    record.tap("[data-item=record_work]")
    page.wait_for_url("**/fieldwork/records/new/")
    assert current_tab(page) == "record"
    assert page.input_value("select[name=organization]") == str(day.organization_id)
    assert page.input_value("select[name=on_site_day]") == str(day.pk)
    assert page.input_value("input[name=worked_on]") == today.isoformat()
    content = "走访总装车间，听取职工对夜班班车的意见 8 条"
    record.choose("select[name=duty]", "investigation")
    record.fill("textarea[name=content]", content)
    record.tap("form[data-offline-form=work-record] button[type=submit]")
    page.wait_for_url("**/fieldwork/records/*/")
    assert "工作记录已保存" in success_message(page)
    assert record.count <= 5, record.count
    stored = WorkRecord.objects.get(content=content)
    assert (stored.organization_id, stored.on_site_day_id) == (day.organization_id, day.pk)

    # ----- check out: 签退 on the home page, then 签退 on the day page -----
    page.goto("/")
    check_out = Actions(page)
    check_out.tap("[data-item=check_out]")
    page.wait_for_url(f"**/fieldwork/days/{day.pk}/#check-out")
    check_out.tap("form[data-offline-form=check-out] button[type=submit]")
    page.wait_for_function(
        "() => document.querySelector('.messages .message-success') !== null"
        " && location.hash === ''"
    )
    assert "已签退" in success_message(page)
    assert check_out.count <= 2, check_out.count
    day.refresh_from_db()
    assert day.checked_out_at is not None
    assert page.locator("[data-day-records]").get_attribute("data-day-records") == "1"
    screenshot(page, "phone-loop-checked-out-390")

    # Afterwards the home page offers neither 签到 nor 签退 again, only today's day and 记录工作.
    page.goto("/")
    assert not page.locator("[data-item=check_in]").count()
    assert not page.locator("[data-item=check_out]").count()
    assert page.locator("[data-item=record_work]").is_visible()


def test_the_tab_bar_is_a_phone_thing(demo, page, phone_page):
    log_in(phone_page, "ouyang", DEMO_PASSWORD)
    phone_page.goto("/inbox/")
    tabs = phone_page.locator(".tabbar .tab")
    assert tabs.all_inner_texts()[:1] == ["首页"]
    assert [text.strip().split("\n")[0] for text in tabs.all_inner_texts()] == [
        "首页",
        "签到",
        "记录",
        "消息",
        "我的",
    ]
    assert current_tab(phone_page) == "messages"
    for box in (tab.bounding_box() for tab in tabs.all()):
        assert box is not None and box["height"] >= 44
    # The side menu's 22 entries are on 我的, not in a drawer.
    assert not phone_page.locator("[data-nav-toggle]").is_visible()
    phone_page.locator(".tabbar [data-tab=me]").click()
    phone_page.wait_for_url("**/accounts/me/")
    assert current_tab(phone_page) == "me"
    assert phone_page.locator(".me-menu a[href='/fieldwork/leave/']").is_visible()

    log_in(page, "ouyang", DEMO_PASSWORD)
    page.goto("/")
    assert not page.locator(".tabbar").is_visible()
    assert page.locator("#sidenav").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".tabbar").is_visible()
