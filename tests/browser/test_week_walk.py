"""Issue 12's done-when as one walk, on phones, as the roles would do it in a week.

The instructor checks in at 湖南吉利汽车部件有限公司; the union officer's workbench shows one more
day to confirm at its next load, and the officer confirms it; the instructor's inbox says so. The
federation admin returns the instructor's submitted report: it reaches the instructor in-app and
through 企业微信 (a local fake of the WeCom API records what it received). A worker's appeal that
nobody accepted in time reaches the rights-protection staff. The counts are taken from the
database independently of the workbench's providers.

The action counts of the day's loop (test_phone_loop.py), the offline queue's "已同步 3 条"
(test_offline_sync.py) and axe at both widths (test_accessibility.py) are proven in their own
files; this one walks the hand-offs between people.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from zhidao.appeals.models import Appeal, AppealState, PosterToken
from zhidao.appeals.tasks import appeals_tick
from zhidao.demo.data import DEMO_PASSWORD
from zhidao.fieldwork.models import OnSiteDay, OnSiteDayStatus
from zhidao.notifications.models import (
    ChannelPreference,
    Delivery,
    DeliveryStatus,
    KindGroup,
    Notification,
    NotificationKind,
)
from zhidao.orgs.models import Organization
from zhidao.reports.models import QuarterlyReport, ReportStatus

from ..notifications.fake_http import FakeProvider
from .conftest import PHONE, log_in

pytestmark = pytest.mark.browser

GEELY = "湖南吉利汽车部件有限公司"


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", size="small", organizations=60, verbosity=0)
    OnSiteDay.objects.filter(
        instructor__user__username="ouyang", on_date=timezone.localdate()
    ).delete()


@pytest.fixture
def wecom(settings):
    cache.clear()  # the WeCom access token is cached
    with FakeProvider() as provider:
        provider.answer(
            "/cgi-bin/gettoken",
            (200, {"errcode": 0, "access_token": "TOKEN-W", "expires_in": 7200}),
        )
        settings.NOTIFICATION_CHANNELS = [
            "zhidao.notifications.channels.InAppChannel",
            "zhidao.notifications.channels.WecomAppChannel",
        ]
        settings.NOTIFICATION_WECOM = {
            "CORP_ID": "ww-xiangtan",
            "CORP_SECRET": "secret",
            "AGENT_ID": "1000002",
            "API_BASE": provider.url,
        }
        yield provider
    cache.clear()


@pytest.fixture
def phones(browser, live_server):
    """A phone per person: each a browser context of its own (its own cookies)."""
    contexts = []

    def open_phone():
        context = browser.new_context(
            viewport=PHONE,
            locale="zh-CN",
            base_url=live_server.url,
            is_mobile=True,
            has_touch=True,
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context.new_page()

    yield open_phone
    for context in contexts:
        context.close()


def card_count(page, kind: str) -> int:
    card = page.locator(f"[data-item={kind}]")
    return int(card.get_attribute("data-count")) if card.count() else 0


def test_a_week_of_hand_offs_between_the_roles(demo, wecom, phones, screenshot):
    today = timezone.localdate()
    geely = Organization.objects.get(name=GEELY)
    instructor, officer, admin, rights = phones(), phones(), phones(), phones()
    log_in(instructor, "ouyang", DEMO_PASSWORD)
    log_in(officer, "geely_chair", DEMO_PASSWORD)
    log_in(admin, "admin", DEMO_PASSWORD)
    log_in(rights, "rights", DEMO_PASSWORD)

    # The instructor turns on 企业微信 for reports, with the WeCom user id, on the settings page.
    instructor.goto("/inbox/settings/")
    instructor.check("input[name=pref-reports-wecom]")
    instructor.fill("input[name=wecom_userid]", "ouyang-wecom")
    instructor.locator("form.preferences-form button[type=submit]").click()
    instructor.wait_for_load_state("networkidle")
    assert ChannelPreference.objects.get(
        user__username="ouyang", group=KindGroup.REPORTS, channel="wecom"
    ).enabled

    # ----- Monday: the officer's workbench before and after the check-in -----
    officer.goto("/")
    before = card_count(officer, "days_to_confirm")

    instructor.goto("/fieldwork/check-in/")
    instructor.locator(f"#field-place label:has-text('{GEELY}')").first.click()
    instructor.locator("form[data-offline-form=check-in] button[type=submit]").click()
    instructor.wait_for_url("**/fieldwork/days/*/")
    day = OnSiteDay.objects.get(instructor__user__username="ouyang", on_date=today)
    assert day.organization_id == geely.pk

    officer.goto("/")  # the officer's next look, seconds later
    after = card_count(officer, "days_to_confirm")
    assert after == before + 1
    screenshot(officer, "week-officer-workbench-390")

    # The officer taps the card and confirms the day.
    officer.locator("[data-item=days_to_confirm]").click()
    officer.wait_for_url("**/fieldwork/confirmations/")
    officer.locator(f"#day-{day.pk} button.button-confirm").click()
    officer.wait_for_load_state("networkidle")
    day.refresh_from_db()
    assert day.status == OnSiteDayStatus.CONFIRMED
    officer.goto("/")
    assert card_count(officer, "days_to_confirm") == after - 1

    # The instructor sees the confirmation in the inbox.
    instructor.goto("/inbox/")
    confirmed = Notification.objects.get(
        recipient__username="ouyang", kind=NotificationKind.DAY_CONFIRMED
    )
    assert f"{today:%Y-%m-%d}" in confirmed.title
    assert confirmed.title in instructor.locator("main").inner_text()

    # ----- Wednesday: the admin returns a submitted report -----
    report = (
        QuarterlyReport.objects.filter(
            assignment__instructor__user__username="ouyang", status=ReportStatus.SUBMITTED
        )
        .order_by("-year", "-quarter")
        .first()
    )
    if report is None:  # the demo's submitted reports may all be reviewed: submit one
        report = QuarterlyReport.objects.filter(
            assignment__instructor__user__username="ouyang"
        ).first()
        QuarterlyReport.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED)
    admin.goto(f"/reports/{report.pk}/")
    return_form = admin.locator("form[action$='/return/']")
    return_form.locator("textarea").fill("请补充本季度走访职工的人数")
    return_form.locator("button[type=submit]").click()
    admin.wait_for_load_state("networkidle")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED

    instructor.goto("/inbox/")
    returned = Notification.objects.get(
        recipient__username="ouyang", kind=NotificationKind.REPORT_RETURNED
    )
    assert returned.title in instructor.locator("main").inner_text()
    sent = wecom.to("/cgi-bin/message/send")
    assert {request.body["touser"] for request in sent} == {"ouyang-wecom"}
    [message] = [  # once per cause; other report messages of the week may come too
        request for request in sent if request.body["text"]["content"].startswith(returned.title)
    ]
    assert "请补充本季度走访职工的人数" in message.body["text"]["content"]
    assert Delivery.objects.get(notification=returned, channel="wecom").status == (
        DeliveryStatus.SENT
    )
    screenshot(instructor, "week-instructor-inbox-390")

    # ----- Friday: a worker's appeal nobody accepted in time reaches the rights staff -----
    worker = phones()
    token = PosterToken.objects.get(organization=geely, active=True)
    worker.goto(f"/v/{token.token}/")
    worker.select_option("select[name=category]", "wages")
    worker.fill("textarea[name=description]", "车间夜班班车取消后无人协调，职工下班无法回家")
    worker.check("input[name=identity][value=anonymous]")
    worker.locator("button[type=submit]").click()
    worker.wait_for_load_state("networkidle")
    appeal = Appeal.objects.get(description__startswith="车间夜班班车取消后")
    assert appeal.state == AppealState.RECEIVED
    rights.goto("/")
    overdue_before = card_count(rights, "appeals_overdue")
    # Its days pass: the acceptance deadline is now yesterday.
    Appeal.objects.filter(pk=appeal.pk).update(accept_due=today - timedelta(days=1))
    appeals_tick()  # what the schedule runs every 15 minutes

    rights.goto("/")
    assert card_count(rights, "appeals_overdue") == overdue_before + 1
    rights.goto("/inbox/")
    escalated = Notification.objects.get(
        recipient__username="rights",
        kind=NotificationKind.APPEAL_ESCALATED,
        link__contains=str(appeal.pk),
    )
    assert appeal.code in escalated.title
    assert escalated.title in rights.locator("main").inner_text()
    screenshot(rights, "week-rights-inbox-390")
