"""The instructor filter of a list finds an instructor by pinyin as the admin types, on a desktop
and on a phone; what it submits is the instructor's id, as the API reads it."""

from urllib.parse import parse_qs, urlparse

import pytest

from zhidao.demo.data import DEMO_PASSWORD
from zhidao.dispatch.models import Instructor

from .conftest import log_in
from .test_list_filters import demo

pytestmark = pytest.mark.browser

__all__ = ["demo"]  # the fixture, imported so pytest finds it here

BOX = "form.filters input#id_instructor"


def choose_by_pinyin(page, screenshot, name: str) -> None:
    page.goto("/fieldwork/records/")
    # The page holds no list of every instructor: the blank choice only.
    assert page.locator("select[name=instructor] option").count() == 1
    page.click(BOX)
    page.type(BOX, "ouyang", delay=30)
    option = page.locator(".autocomplete-list [role=option]", has_text="欧阳新建")
    option.wait_for()
    screenshot(page, name)
    page.keyboard.press("ArrowDown")
    assert page.locator(".autocomplete-option.is-active").inner_text() == "欧阳新建"
    page.keyboard.press("Enter")  # chooses; the form is not sent yet
    assert "/fieldwork/records/" in page.url and "instructor" not in page.url
    assert page.input_value(BOX) == "欧阳新建"


def test_an_admin_finds_an_instructor_by_pinyin_and_filters_by_them(demo, page, screenshot):
    ouyang = Instructor.objects.get(user__username="ouyang")
    log_in(page, "admin", DEMO_PASSWORD)
    choose_by_pinyin(page, screenshot, "autocomplete-instructor-desktop")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert parse_qs(urlparse(page.url).query)["instructor"] == [str(ouyang.pk)]
    # The chosen instructor is shown again on the filtered page.
    assert page.input_value(BOX) == "欧阳新建"
    rows = page.locator("table.list tbody tr")
    assert rows.count() > 0
    for index in range(rows.count()):
        assert "欧阳新建" in rows.nth(index).inner_text()
    # Emptying the box filters by nobody again.
    page.fill(BOX, "")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert parse_qs(urlparse(page.url).query).get("instructor") in (None, [""])


def test_the_box_works_on_a_phone(demo, phone_page, screenshot):
    log_in(phone_page, "admin", DEMO_PASSWORD)
    choose_by_pinyin(phone_page, screenshot, "autocomplete-instructor-phone")
