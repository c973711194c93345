"""A person with a browser uses the filter bars: what the page submits is what the API reads."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import call_command

from zhidao.demo.data import DEMO_PASSWORD

from .conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", size="small", organizations=60, verbosity=0)


def _filter(page) -> dict[str, list[str]]:
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    return parse_qs(urlparse(page.url).query)


def test_ticking_late_records_only_lists_late_records(demo, page, screenshot):
    log_in(page, "admin", DEMO_PASSWORD)
    page.goto("/fieldwork/records/")
    page.check("input[name=is_late]")
    assert _filter(page)["is_late"] == ["on"]
    assert page.is_checked("input[name=is_late]")
    rows = page.locator("table.list tbody tr")
    assert rows.count() > 0
    for index in range(rows.count()):
        assert "补录" in rows.nth(index).inner_text()
    screenshot(page, "work-records-late-only")


def test_choosing_joint_unions_submits_the_apis_words(demo, page):
    log_in(page, "admin", DEMO_PASSWORD)
    page.goto("/orgs/unions/")
    page.select_option("select[name=is_joint]", label="联合工会")
    assert _filter(page)["is_joint"] == ["true"]
    assert page.input_value("select[name=is_joint]") == "true"
    assert page.locator("table.list tbody tr").count() > 0
