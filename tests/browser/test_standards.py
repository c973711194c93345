"""An instructor assesses its union on a phone, with an evidence photo, and sees the radar."""

import pytest
from django.core.management import call_command
from PIL import Image

from zhidao.demo.data import DEMO_PASSWORD
from zhidao.orgs.models import Union
from zhidao.standards import selectors
from zhidao.standards.models import Assessment, AssessmentEvidence, RuleKind

from .conftest import log_in

pytestmark = pytest.mark.browser

GEELY_UNION = "湖南吉利汽车部件有限公司工会"


@pytest.fixture
def demo(transactional_db):
    # No time travel here: the browser keeps the real clock, and a server clock hours away from
    # it would send session cookies that have already expired.
    call_command("load_demo", size="small", organizations=60, verbosity=0)


def test_instructor_assesses_geely_union_with_photo_and_sees_radar(
    demo, phone_page, screenshot, tmp_path
):
    page = phone_page
    photo = tmp_path / "congress.png"
    Image.new("RGB", (320, 240), (180, 40, 40)).save(photo, format="PNG")
    union = Union.objects.get(name=GEELY_UNION)
    indicators = selectors.indicators_of(selectors.current_indicator_set_for(union))

    log_in(page, "ouyang", DEMO_PASSWORD)
    page.goto(f"/standards/assessments/new/{union.pk}/")
    page.select_option("select[name=kind]", "ad_hoc")
    for indicator in indicators:
        name = f"indicator_{indicator.pk}"
        if indicator.rule == RuleKind.YES_NO:
            page.check(f"input[name={name}][value=yes]")
        elif indicator.rule == RuleKind.LEVEL:
            page.check(f"input[name={name}][value='{indicator.max_level}']")
        else:
            page.fill(f"input[name={name}]", "90")
    page.set_input_files(f"input[name=evidence_{indicators[0].pk}]", str(photo))
    screenshot(page, "standards-assessment-form")
    page.click("form.form-card button[type=submit]")

    page.wait_for_selector("[data-chart=radar] canvas")
    assert "/standards/assessments/" in page.url
    assert page.locator(".score-total").inner_text().startswith("97.00")
    assert page.locator("img.evidence-thumb").count() == 1
    screenshot(page, "standards-assessment-detail")

    assessment = Assessment.objects.filter(union=union).latest("pk")  # the demo has older ones
    assert AssessmentEvidence.objects.filter(answer__assessment=assessment).count() == 1

    page.goto(f"/orgs/unions/{union.pk}/")
    page.wait_for_selector("[data-chart=radar] canvas")
    page.locator("#standardization").scroll_into_view_if_needed()
    screenshot(page, "standards-union-page")
