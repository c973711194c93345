"""Offline that tells the truth: what the phone says about a submission matches what the server
holds. Queued items sync with "已同步 N 条", refused ones are listed with the field and the reason,
two check-outs of one day both arrive, a second tap cannot queue an empty record, a full phone
says so, and a seeded run of dropped requests, lost answers and double submits stores every
valid item exactly once and shows every invalid one as refused."""

import io
import random

import pytest
from django.utils import timezone
from PIL import Image

from zhidao.demo.data import DEMO_PASSWORD
from zhidao.fieldwork.models import OnSiteDay, WorkRecord

from .conftest import log_in
from .test_offline_fieldwork import GEELY, demo, wait_for_service_worker

pytestmark = pytest.mark.browser

__all__ = ["demo"]  # the fixture, imported so pytest finds it here

RECORD_FORM = "form[data-offline-form=work-record]"
SAVE = f"{RECORD_FORM} button[type=submit]"
INDICATOR = "[data-offline-indicator]"
SUMMARY = "[data-offline-summary]"
SEED = 20261202
# Settled: what is still on the phone is only what the server refused.
NOTHING_WAITING = (
    "ZhidaoQueue.all(null).then(function (items) {"
    " return items.every(function (i) { return i.state === 'rejected'; }); })"
)


def fill_record(page, content: str, worked_on: str | None = None) -> None:
    page.select_option("select[name=organization]", label=GEELY)
    page.select_option("select[name=duty]", "investigation")
    if worked_on:
        page.fill("input[name=worked_on]", worked_on)
    page.fill("textarea[name=content]", content)


def wait_for_queue_cards(page, count: int) -> None:
    """The queue page draws its cards from the phone's store after it loads: wait until it has."""
    page.wait_for_function(
        f"() => document.querySelectorAll('.offline-item').length === {count}", timeout=20_000
    )


def queued_count(page) -> int:
    return page.evaluate("ZhidaoQueue.all(null).then(function (items) { return items.length; })")


def wait_until_nothing_waits(page, seconds: int) -> None:
    """Until what is left on the phone is only what the server refused (at most `seconds`)."""
    for _ in range(seconds * 4):
        if page.evaluate(NOTHING_WAITING):
            return
        page.wait_for_timeout(250)
    raise AssertionError("items are still waiting to sync")


# What the page shows after 保存, recorded as it appears: a queued notice may be replaced by the
# sync summary a moment later (the worker's background sync refuses the item at once).
WATCH_WHAT_THE_PHONE_SAYS = """() => {
  window.__phoneSaid = [];
  new MutationObserver(function (mutations) {
    mutations.forEach(function (m) {
      m.addedNodes.forEach(function (node) {
        if (!node.classList) { return; }
        if (node.classList.contains("offline-error")) { window.__phoneSaid.push("refused"); }
        else if (node.classList.contains("is-queued")) { window.__phoneSaid.push("queued"); }
        else if (node.classList.contains("is-failed")) { window.__phoneSaid.push("failed"); }
      });
    });
  }).observe(document.body, { childList: true, subtree: true });
}"""


def said(page, what: str = "") -> str:
    """What the phone said after 保存: "stored" (the next page), "refused" (at the field) or
    "queued" (saved on this phone). Polled, as the answer may come with a navigation; call
    `page.evaluate(WATCH_WHAT_THE_PHONE_SAYS)` before 保存."""
    from playwright.sync_api import Error as PlaywrightError

    for _ in range(200):
        try:
            if "/fieldwork/records/new/" not in page.url:
                page.wait_for_load_state()
                return "stored"
            heard = page.evaluate("window.__phoneSaid || []")
            if heard:
                return heard[0]
        except PlaywrightError:
            pass  # the page was navigating just then
        page.wait_for_timeout(100)
    try:
        state = page.evaluate(
            "ZhidaoQueue.all(null).then(function (items) {"
            " return JSON.stringify(items.map(function (i) { return [i.key, i.state]; })); })"
        )
        buttons = page.evaluate(
            "JSON.stringify(Array.from(document.querySelectorAll('form button[type=submit]'))"
            ".map(function (b) { return b.disabled; }))"
        )
    except PlaywrightError as error:
        state = buttons = f"unreadable ({error})"
    raise AssertionError(
        f"the phone said nothing after 保存 ({what}); at {page.url}; queue {state};"
        f" buttons disabled {buttons}"
    )


def jpeg(colour) -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), colour).save(buffer, format="JPEG")
    return {"name": "现场.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def test_three_items_queued_offline_sync_with_a_count(demo, phone_page, screenshot):
    page = phone_page
    log_in(page, "ouyang", DEMO_PASSWORD)
    page.goto("/fieldwork/check-in/")
    wait_for_service_worker(page)
    # Kept at install, never visited: the new-record page opens offline.
    page.context.set_offline(True)
    response = page.goto("/fieldwork/records/new/")
    assert response is not None and response.from_service_worker
    contents = [f"离线走访第{n}次：了解职工诉求" for n in (1, 2, 3)]
    for n, content in enumerate(contents, start=1):
        fill_record(page, content)
        page.click(SAVE)
        page.wait_for_function(
            f"() => document.querySelector('[data-offline-count]').textContent === '{n}'"
        )
        notice = page.locator(".offline-notice")
        assert "已保存在本机" in notice.inner_text()
        # Next to the button, not at the top of the form.
        assert page.locator(f"{RECORD_FORM} .form-actions + .offline-notice").count() == 1
        # The emptied form waits for input: 保存 again cannot queue an empty record.
        assert page.locator(SAVE).is_disabled()
        page.evaluate(f"document.querySelector('{RECORD_FORM}').requestSubmit()")
        assert queued_count(page) == n
    assert "待同步 3 条" in page.locator(INDICATOR).inner_text()
    screenshot(page, "offline-three-queued-phone")

    # The queue shows each item's own content, not the organization three times.
    page.goto("/fieldwork/offline/queue/")
    wait_for_queue_cards(page, 3)
    cards = page.locator(".offline-item")
    assert [cards.nth(i).locator(".offline-item-excerpt").inner_text() for i in range(3)] == (
        contents
    )
    assert GEELY in cards.first.locator(".offline-item-place").inner_text()
    screenshot(page, "offline-queue-three-phone")
    assert WorkRecord.objects.filter(content__in=contents).count() == 0

    page.context.set_offline(False)
    summary = page.locator(SUMMARY)
    summary.wait_for()
    page.wait_for_function("() => !document.querySelector('#offline-queue-empty').hidden")
    assert "已同步 3 条" in summary.inner_text()
    assert page.locator(INDICATOR).is_hidden()
    assert sorted(
        WorkRecord.objects.filter(content__in=contents).values_list("content", flat=True)
    ) == (sorted(contents))
    screenshot(page, "offline-synced-three-phone")


def test_refused_items_are_listed_with_the_field_and_the_reason(demo, page, screenshot):
    page.set_default_timeout(20_000)
    log_in(page, "ouyang", DEMO_PASSWORD)
    page.goto("/fieldwork/records/new/")
    wait_for_service_worker(page)
    page.context.set_offline(True)
    fill_record(page, "走访车间，记录职工诉求")
    page.click(SAVE)
    page.locator(".offline-notice").wait_for()
    fill_record(page, "", worked_on=None)  # no content: the server's rule, not the phone's
    page.click(SAVE)
    page.wait_for_function(
        "() => document.querySelector('[data-offline-count]').textContent === '2'"
    )
    screenshot(page, "offline-topbar-badge-desktop")

    page.context.set_offline(False)
    summary = page.locator(SUMMARY)
    summary.wait_for()
    page.wait_for_function(
        "() => document.querySelector('[data-offline-summary]').textContent.indexOf('退回') >= 0"
    )
    text = summary.inner_text()
    assert "已同步 1 条" in text
    assert "1 条被服务器退回" in text
    assert "内容：该字段不能为空。" in text
    screenshot(page, "offline-sync-summary-desktop")

    page.goto("/fieldwork/offline/queue/")
    card = page.locator(".offline-item", has_text="被服务器退回")
    card.wait_for()
    assert "内容：该字段不能为空。" in card.inner_text()
    assert WorkRecord.objects.filter(content="走访车间，记录职工诉求").count() == 1
    screenshot(page, "offline-queue-refused-desktop")


def test_a_check_out_and_an_edit_offline_both_arrive_with_their_photos(demo, phone_page):
    page = phone_page
    log_in(page, "ouyang", DEMO_PASSWORD)
    page.goto("/fieldwork/check-in/")
    wait_for_service_worker(page)
    page.locator("label", has_text=GEELY).first.click()
    page.fill("textarea[name=summary]", "到岗")
    page.click("form[data-offline-form=check-in] button[type=submit]")
    page.wait_for_url("**/fieldwork/days/*/")
    day = OnSiteDay.objects.get(instructor__user__username="ouyang", on_date=timezone.localdate())
    detail = f"/fieldwork/days/{day.pk}/"
    page.goto(detail)  # kept by the worker for the offline visit

    form = "form[data-offline-form=check-out]"
    page.context.set_offline(True)
    page.goto(detail)
    page.fill(f"{form} textarea[name=summary]", "走访总装车间")
    page.set_input_files(f"{form} input[name=photos]", jpeg((200, 40, 40)))
    page.click(f"{form} button[type=submit]")
    page.locator(f"{form} .offline-notice").wait_for()
    page.goto(detail)  # the kept page again: a second submission of the same day
    page.fill(f"{form} textarea[name=summary]", "走访总装车间，与工会主席座谈")
    page.set_input_files(f"{form} input[name=photos]", jpeg((40, 40, 200)))
    page.click(f"{form} button[type=submit]")
    page.wait_for_function(
        "() => document.querySelector('[data-offline-count]').textContent === '2'"
    )

    page.context.set_offline(False)
    page.locator(INDICATOR).wait_for(state="hidden")
    day.refresh_from_db()
    assert day.checked_out_at is not None
    assert day.summary == "走访总装车间，与工会主席座谈"
    assert day.photos.count() == 2


def test_a_full_phone_says_the_submission_was_not_kept(demo, phone_page):
    page = phone_page
    log_in(page, "ouyang", DEMO_PASSWORD)
    page.goto("/fieldwork/records/new/")
    wait_for_service_worker(page)
    # The phone's storage is full: every write to the queue fails as a real quota failure does.
    page.evaluate(
        """() => { IDBObjectStore.prototype.put = function () {
             throw new DOMException("full", "QuotaExceededError"); }; }"""
    )
    page.context.set_offline(True)
    fill_record(page, "存储已满时的记录")
    page.click(SAVE)
    notice = page.locator(".offline-notice.is-failed")
    notice.wait_for()
    assert "存储空间已满" in notice.inner_text()
    # Nothing was lost: the form keeps what was typed, and can be sent again.
    assert page.input_value("textarea[name=content]") == "存储已满时的记录"
    assert page.locator(SAVE).is_enabled()
    assert page.locator(INDICATOR).is_hidden()


def test_a_stored_save_whose_next_page_fails_says_it_arrived(demo, phone_page):
    page = phone_page
    log_in(page, "ouyang", DEMO_PASSWORD)
    page.goto("/fieldwork/records/new/")
    wait_for_service_worker(page)
    # The save reaches the server; the network drops before the next page loads.
    page.context.route(
        "**/fieldwork/records/*/?stored=1", lambda route: route.abort("internetdisconnected")
    )
    fill_record(page, "保存后网络中断的记录")
    page.click(SAVE)
    page.locator(".offline-stored").wait_for()
    assert "已保存到服务器" in page.locator(".offline-stored").inner_text()
    assert WorkRecord.objects.filter(content="保存后网络中断的记录").count() == 1


def test_seeded_drops_lost_answers_and_double_submits_store_each_valid_item_once(demo, phone_page):
    """A fixed seed, 15 items: each is sent online, offline, with its request dropped, with the
    server's answer lost after it stored it, or twice (a double tap and a doubled request);
    one in three is invalid."""
    page = phone_page
    page.set_default_timeout(20_000)
    rng = random.Random(SEED)
    log_in(page, "ouyang", DEMO_PASSWORD)
    page.goto("/fieldwork/records/new/")
    wait_for_service_worker(page)

    # What happens to the first delivery of the item being saved (found by its client UUID);
    # later deliveries (the queue's retries and syncs) pass.
    fate = {"key": None, "plan": "pass"}
    applied = []

    def handle(route):
        body = route.request.post_data_buffer or b""
        if route.request.method != "POST" or not fate["key"] or fate["key"] not in body:
            return route.continue_()
        plan, fate["key"] = fate["plan"], None
        applied.append(plan)
        if plan == "pass":  # through the browser's own network, offline when the phone is
            return route.continue_()
        if plan == "drop":
            return route.abort("connectionreset")
        response = route.fetch()
        if plan == "lost":  # stored on the server, the answer never arrives
            return route.abort("connectionreset")
        if plan == "doubled":  # a flaky proxy sends the same request again
            response = route.fetch()
        return route.fulfill(response=response)

    page.context.route("**/api/**", handle)

    # Each kind of trouble three times, once with an invalid item (no content, or a date
    # before the term), in an order the seed shuffles.
    modes = ["online", "offline", "drop", "lost", "double"]
    schedule = [(mode, None) for mode in modes for _ in range(2)]
    schedule += [(mode, "blank" if i % 2 else "before-term") for i, mode in enumerate(modes)]
    rng.shuffle(schedule)

    # What the phone must say after 保存, worked out from the schedule alone.
    answered = {"online": "stored", "double": "stored"}
    valid, invalid, said_by_mode = [], [], []
    for n, (mode, bad) in enumerate(schedule):
        content = "" if bad == "blank" else f"随机离线记录{n:02d}：走访车间"
        worked_on = "2019-01-07" if bad == "before-term" else None
        page.context.set_offline(mode == "offline")
        response = page.goto("/fieldwork/records/new/")
        assert response is not None
        fill_record(page, content, worked_on)
        fate["key"] = page.input_value("input[name=client_uuid]").encode()
        fate["plan"] = {"drop": "drop", "lost": "lost", "double": "doubled"}.get(mode, "pass")
        page.evaluate(WATCH_WHAT_THE_PHONE_SAYS)
        if mode == "double":
            page.evaluate(
                f"() => {{ var f = document.querySelector('{RECORD_FORM}');"
                " f.requestSubmit(); f.requestSubmit(); }"
            )
        else:
            page.click(SAVE)
        outcome = said(page, f"item {n}, {mode}, {bad or 'valid'}")
        expected = answered.get(mode, "queued")
        if bad and expected == "stored":
            expected = "refused"  # refused while the instructor is still on the form
        said_by_mode.append((mode, bad, outcome, expected))
        if outcome == "queued":
            # A second tap on the emptied form queues nothing.
            page.locator(SAVE).click(force=True)
            if mode in ("drop", "lost") and not bad:
                # Online again at once: the queue tries again without waiting for a reload.
                wait_until_nothing_waits(page, seconds=20)
        if bad and outcome == "queued":
            invalid.append(content or worked_on)
        elif not bad:
            valid.append(content)
    assert [(m, b, o) for m, b, o, _ in said_by_mode] == [(m, b, e) for m, b, _, e in said_by_mode]
    assert sorted(set(applied)) == ["doubled", "drop", "lost", "pass"]
    assert len(invalid) == 3  # the offline, dropped and lost invalid items

    page.context.set_offline(False)
    page.goto("/fieldwork/offline/queue/")
    # Settled: everything left is refused (with its reason), nothing is waiting silently.
    wait_until_nothing_waits(page, seconds=60)
    page.reload()
    wait_for_queue_cards(page, len(invalid))
    cards = page.locator(".offline-item.offline-rejected")
    assert cards.count() == len(invalid)
    for i in range(cards.count()):
        assert cards.nth(i).locator(".form-errors").inner_text().strip()
    assert queued_count(page) == len(invalid)

    assert page.locator(".offline-item.offline-pending, .offline-item.offline-login").count() == 0

    # Every valid item exactly once; no invalid one (nor an empty one) stored.
    stored = WorkRecord.objects.filter(
        instructor__user__username="ouyang", content__contains="走访车间"
    )
    assert len(valid) == 10
    assert sorted(stored.values_list("content", flat=True)) == sorted(valid)
    assert not WorkRecord.objects.filter(content="").exists()
