"""A worker on a phone: opens the poster link, sends an anonymous wage-arrears appeal, writes
down the ticket code and follows the appeal by it."""

import random
from datetime import date

import pytest
from django.core.management import call_command

from zhidao.appeals.demo import load_demo_appeals
from zhidao.appeals.models import Appeal, PosterToken

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", size="small", verbosity=0)
    load_demo_appeals(today=date(2026, 11, 25), rng=random.Random(5))


def test_worker_sends_an_anonymous_appeal_and_follows_it(demo, phone_page, screenshot):
    page = phone_page
    token = PosterToken.objects.get(organization__name="湖南吉利汽车部件有限公司", active=True)
    page.goto(f"/v/{token.token}/")
    assert page.locator("text=湖南吉利汽车部件有限公司").first.is_visible()
    assert page.locator("text=欧阳新建").first.is_visible()
    screenshot(page, "appeals-public-1-form")

    page.select_option("select[name=category]", "wages")
    page.fill("textarea[name=description]", "我们班组三个月没有发工资了，请工会帮忙。")
    page.check("input[name=identity][value=anonymous]")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("text=请记下您的查询码").is_visible()
    code = page.locator(".ticket-code").inner_text().strip()
    screenshot(page, "appeals-public-2-code")
    appeal = Appeal.objects.get(code=code)
    assert appeal.anonymous and appeal.submitter_phone == ""

    page.goto("/v/ticket/")
    page.fill("input[name=code]", code.lower().replace("-", " "))
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("text=三个月没有发工资").is_visible()
    assert page.locator("text=您的诉求已收到").is_visible()
    screenshot(page, "appeals-public-3-follow")
