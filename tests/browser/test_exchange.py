"""A union officer scans the event's QR code on a phone (opens its sign-in URL) and is signed in."""

from datetime import time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from zhidao.demo.data import DEMO_PASSWORD
from zhidao.exchange.models import Attendance, Audience, Event, EventKind
from zhidao.orgs.models import Federation

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", size="small", organizations=60, verbosity=0)


def test_union_officer_signs_in_at_an_event_by_opening_its_qr_url(demo, phone_page, screenshot):
    now = timezone.localtime()
    # Started ten minutes ago (or at midnight), ends at the end of the day: inside the window.
    ten_minutes_ago = now - timedelta(minutes=10)
    start = ten_minutes_ago.time() if ten_minutes_ago.date() == now.date() else time(0)
    start = start.replace(second=0, microsecond=0)
    end = time(23, 59, 59)
    event = Event.objects.create(
        title="基层工会干部会务公开培训",
        kind=EventKind.LECTURE,
        federation=Federation.objects.get(name="湘潭市总工会"),
        held_on=now.date(),
        starts_at=start,
        ends_at=end,
        place="湘潭市总工会四楼会议室",
        audience=Audience.OFFICERS,
        created_by=get_user_model().objects.get(username="admin"),
    )
    sign_in_path = f"/exchange/sign-in/{event.sign_in_token}/"
    phone_page.goto(sign_in_path)
    assert "/accounts/login/" in phone_page.url  # not logged in: log in first, then back
    phone_page.fill("input[name=username]", "geely_chair")
    phone_page.fill("input[name=password]", DEMO_PASSWORD)
    phone_page.click("button[type=submit]")
    phone_page.wait_for_load_state("networkidle")
    assert sign_in_path in phone_page.url
    assert phone_page.locator("[data-sign-in=signed-in]").is_visible()
    assert "签到成功" in phone_page.locator(".sign-in-message").inner_text()
    screenshot(phone_page, "exchange-sign-in-phone")
    assert Attendance.objects.filter(event=event, user__username="geely_chair").count() == 1
    phone_page.goto(sign_in_path)
    assert "您已签到" in phone_page.locator(".sign-in-message").inner_text()
