"""Offline field work on a phone: check in online with the union officer's one-time code, go
offline, record work on the page the service worker kept, come back online and see it stored
exactly once; the queued-items page keeps a submission the server refused, with its message."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from zhidao.accounts.models import User
from zhidao.demo.data import DEMO_PASSWORD
from zhidao.fieldwork.models import OnSiteDay, OnSiteDayStatus, WorkRecord
from zhidao.fieldwork.onsite import services as onsite_services
from zhidao.orgs.models import Union

from .conftest import log_in

pytestmark = pytest.mark.browser

GEELY = "湖南吉利汽车部件有限公司"


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", size="small", organizations=60, verbosity=0)
    # A clean slate for today at Geely: the demo history may already hold a day there.
    OnSiteDay.objects.filter(
        instructor__user__username="ouyang", on_date=timezone.localdate()
    ).delete()


def officer_code() -> str:
    officer = User.objects.get(username="geely_chair")
    union = Union.objects.get(name=f"{GEELY}工会")
    return onsite_services.issue_confirmation_code(officer=officer, union=union).code


def wait_for_service_worker(page) -> None:
    # Installing fetches the app shell and three pages: on a loaded CI machine that can take a
    # while. A page whose navigation was under way when the worker activated is not claimed
    # (clients.claim() ran before that document existed) and stays uncontrolled; as for a user,
    # its next load is controlled.
    activated = page.evaluate(
        """() => Promise.race([
            navigator.serviceWorker.ready.then(registration => new Promise(resolve => {
                const worker = registration.active;
                if (worker.state === "activated") { resolve(true); return; }
                worker.addEventListener("statechange", () => {
                    if (worker.state === "activated") { resolve(true); }
                });
            })),
            new Promise(resolve => setTimeout(() => resolve(false), 60000)),
        ])"""
    )
    assert activated, "the service worker did not activate within 60 s"
    if page.evaluate("navigator.serviceWorker.controller === null"):
        page.reload()
    try:
        page.wait_for_function(
            "() => navigator.serviceWorker && navigator.serviceWorker.controller !== null",
            timeout=15_000,
        )
    except PlaywrightTimeoutError:
        # Say why: each registration's workers and their states.
        state = page.evaluate(
            """() => navigator.serviceWorker.getRegistrations().then(regs => JSON.stringify(
                regs.map(r => [r.scope, r.installing && r.installing.state,
                    r.waiting && r.waiting.state, r.active && r.active.state])))"""
        )
        raise AssertionError(f"no service worker controls the page: {state}") from None


def test_work_recorded_offline_is_synced_exactly_once(demo, phone_page, screenshot):
    page = phone_page
    log_in(page, "ouyang", DEMO_PASSWORD)
    page.goto("/fieldwork/check-in/")
    wait_for_service_worker(page)

    # Check in online, with the code the officer shows face to face.
    page.locator("label", has_text=GEELY).first.click()
    page.fill("textarea[name=summary]", "与工会主席座谈，检查制度上墙")
    page.fill("input[name=code]", officer_code())
    page.click("form[data-offline-form=check-in] button[type=submit]")
    page.wait_for_url("**/fieldwork/days/*/")
    day = OnSiteDay.objects.get(instructor__user__username="ouyang", on_date=timezone.localdate())
    assert day.status == OnSiteDayStatus.CONFIRMED
    assert "已确认" in page.locator("main").inner_text()

    # Open the work-record form once online, so the service worker keeps it.
    page.goto("/fieldwork/records/new/")
    page.wait_for_selector("form[data-offline-form=work-record]")

    page.context.set_offline(True)
    response = page.goto("/fieldwork/records/new/")
    assert response is not None and response.from_service_worker
    page.select_option("select[name=organization]", label=GEELY)
    page.select_option("select[name=duty]", "investigation")
    content = "离线记录：走访总装车间，收集职工对食堂的意见 12 条"
    page.fill("textarea[name=content]", content)
    page.click("form[data-offline-form=work-record] button[type=submit]")
    notice = page.locator(".offline-notice")
    notice.wait_for()
    assert "已保存在本机，联网后自动同步" in notice.inner_text()
    indicator = page.locator("[data-offline-indicator]")
    assert indicator.is_visible()
    assert "待同步 1 条" in indicator.inner_text()
    assert WorkRecord.objects.filter(content=content).count() == 0
    screenshot(page, "offline-queued-work-record-phone")

    page.context.set_offline(False)
    indicator.wait_for(state="hidden")
    records = WorkRecord.objects.filter(content=content)
    assert records.count() == 1
    assert records.get().organization.name == GEELY

    # Another page load (and another sync attempt) changes nothing.
    page.goto("/fieldwork/offline/queue/")
    assert page.locator("#offline-queue-empty").is_visible()
    assert WorkRecord.objects.filter(content=content).count() == 1


def test_error_on_an_online_submit_is_shown_at_the_form_and_not_queued(demo, phone_page):
    page = phone_page
    log_in(page, "ouyang", DEMO_PASSWORD)
    page.goto("/fieldwork/records/new/")
    wait_for_service_worker(page)
    page.select_option("select[name=organization]", label=GEELY)
    page.select_option("select[name=duty]", "guidance")
    page.fill("input[name=worked_on]", "2019-01-07")  # long before the assignment began
    page.fill("textarea[name=content]", "指导工会换届选举")
    page.click("form[data-offline-form=work-record] button[type=submit]")
    page.locator(".offline-error").first.wait_for()
    assert "派驻期" in page.locator("form[data-offline-form=work-record]").inner_text()
    assert page.input_value("textarea[name=content]") == "指导工会换届选举"
    assert not page.locator("[data-offline-indicator]").is_visible()
    assert WorkRecord.objects.filter(content="指导工会换届选举").count() == 0


def test_refused_submission_stays_with_the_servers_message(demo, phone_page, screenshot):
    page = phone_page
    log_in(page, "ouyang", DEMO_PASSWORD)
    page.goto("/fieldwork/records/new/")
    wait_for_service_worker(page)
    page.context.set_offline(True)
    page.select_option("select[name=organization]", label=GEELY)
    page.select_option("select[name=duty]", "guidance")
    page.fill("input[name=worked_on]", "2019-01-07")  # long before the assignment began
    page.fill("textarea[name=content]", "指导工会换届选举")
    page.click("form[data-offline-form=work-record] button[type=submit]")
    page.locator("text=已保存在本机").first.wait_for()
    page.context.set_offline(False)

    page.goto("/fieldwork/offline/queue/")
    # The queue syncs as the page loads; the server's refusal then replaces "等待联网".
    item = page.locator(".offline-item", has_text="被服务器退回")
    item.wait_for()
    assert "派驻期" in item.inner_text()
    assert item.locator("text=修改后重试").is_visible()
    assert item.locator("text=删除").is_visible()
    assert "待同步 1 条" in page.locator("[data-offline-indicator]").inner_text()
    screenshot(page, "offline-queue-rejected-phone")

    # "修改后重试" brings the typed values back into the form.
    item.locator("text=修改后重试").click()
    page.wait_for_function(
        "() => document.querySelector('textarea[name=content]').value === '指导工会换届选举'"
    )
    assert WorkRecord.objects.filter(content="指导工会换届选举").count() == 0


def test_unvisited_page_offline_shows_the_chinese_fallback(demo, phone_page, screenshot):
    page = phone_page
    log_in(page, "ouyang", DEMO_PASSWORD)
    page.goto("/fieldwork/check-in/")
    wait_for_service_worker(page)
    page.context.set_offline(True)
    page.goto("/fieldwork/findings/")
    assert "当前没有网络连接" in page.locator("h1").inner_text()
    screenshot(page, "offline-fallback-phone")


def test_check_in_page_first_load_stays_within_150_kb(demo, phone_page):
    """PERFORMANCE.md: the check-in page's first load (service worker install included) is at
    most 150 KB; bodies are counted uncompressed, so the real transfer is smaller still."""
    page = phone_page
    log_in(page, "ouyang", DEMO_PASSWORD)
    sizes = {}

    def count(response):
        try:
            sizes[response.url] = len(response.body())
        except Exception:  # a redirect has no body
            sizes[response.url] = 0

    page.context.on("response", count)
    page.goto("/fieldwork/check-in/")
    wait_for_service_worker(page)
    page.wait_for_load_state("networkidle")
    assert any("/fieldwork/check-in/" in url for url in sizes)
    assert sum(sizes.values()) <= 150 * 1024, sizes
