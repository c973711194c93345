"""The appeals 'done when' flow in the demo: a worker on a phone sends an anonymous wage-arrears
appeal from the poster link, the instructor handles it on the staff pages, the worker sees the
answer by ticket code and rates it; a named appeal's identity stays hidden from the employer's
union officer and is shown (and logged) to rights-protection staff."""

import pytest
from django.core.management import call_command

from zhidao.appeals.models import Appeal, AppealState
from zhidao.appeals.public_services import current_poster_token
from zhidao.audit.models import AccessEvent, AccessEventKind
from zhidao.demo.data import DEMO_PASSWORD
from zhidao.orgs.models import Organization

from .conftest import DESKTOP, log_in

pytestmark = pytest.mark.browser

GEELY = "湖南吉利汽车部件有限公司"
ANSWER = "已约谈企业负责人，企业承诺本周五前补发拖欠工资。"
RESOLUTION = "企业已于11月27日补发全部拖欠工资，请核对工资条。"
NAME = "张三"
PHONE = "13812345678"


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", size="small", verbosity=0)


@pytest.fixture
def poster_url(demo):
    organization = Organization.objects.get(name=GEELY)
    return f"/v/{current_poster_token(organization=organization).token}/"


@pytest.fixture
def desktop(browser, live_server):
    """Open a fresh desktop browser session (one per staff member)."""
    contexts = []

    def open_page():
        context = browser.new_context(viewport=DESKTOP, locale="zh-CN", base_url=live_server.url)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def _submit(page, poster_url: str, description: str, *, name: str = "", phone: str = "") -> str:
    page.goto(poster_url)
    page.select_option("select[name=category]", "wages")
    page.fill("textarea[name=description]", description)
    if name:
        page.check("input[name=identity][value=named]")
        page.fill("input[name=name]", name)
        page.fill("input[name=phone]", phone)
        page.check("input[name=consent]")
    else:
        page.check("input[name=identity][value=anonymous]")
    page.click("form button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page.locator(".ticket-code").inner_text().strip()


def _act(page, action: str, fields: dict[str, str] | None = None) -> None:
    form = page.locator(f"form[action$='/{action}/']")
    for name, value in (fields or {}).items():
        form.locator(f"[name={name}]").fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def test_anonymous_wage_appeal_is_handled_and_rated(poster_url, phone_page, page, screenshot):
    worker = phone_page
    code = _submit(worker, poster_url, "我们班组12个人，9月到11月的工资一直没发。")
    assert worker.locator("text=请记下您的查询码").is_visible()
    screenshot(worker, "appeals-handling-1-worker-code")
    appeal = Appeal.objects.get(code=code)
    assert appeal.anonymous and appeal.submitter_name == "" and appeal.submitter_phone == ""

    log_in(page, "ouyang", DEMO_PASSWORD)
    page.goto("/appeals/")
    page.click(f"text={code}")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/appeals/{appeal.pk}/")
    screenshot(page, "appeals-handling-2-instructor-received")
    _act(page, "accept", {"note": "电话联系企业人事核实"})
    _act(page, "start")
    _act(page, "answer", {"text": ANSWER})
    _act(page, "resolve", {"resolution": RESOLUTION})
    assert page.locator(".page-header .badge").first.inner_text().strip() == "已办结"
    assert page.locator("text=已分派给欧阳新建。").is_visible()  # the internal note is Chinese
    screenshot(page, "appeals-handling-3-instructor-resolved")
    appeal.refresh_from_db()
    assert appeal.state == AppealState.RESOLVED
    assert appeal.assigned_instructor.name == "欧阳新建"

    worker.goto(f"/v/ticket/{code}/")
    assert worker.locator(f"text={RESOLUTION}").is_visible()
    assert worker.locator(f"text={ANSWER}").is_visible()
    timeline = worker.locator("ol.timeline").inner_text()
    assert "欧阳新建" not in worker.content()  # the plain timeline names no staff
    assert len(worker.locator("ol.timeline li").all()) >= 4
    assert timeline.strip() != ""
    screenshot(worker, "appeals-handling-4-worker-resolution")
    worker.check("input[name=satisfaction][value='5']")
    worker.click("form:has(input[name=action][value=rate]) button[type=submit]")
    worker.wait_for_load_state("networkidle")
    screenshot(worker, "appeals-handling-5-worker-rated")
    appeal.refresh_from_db()
    assert appeal.state == AppealState.CLOSED and appeal.satisfaction == 5
    assert worker.locator(".details .badge").inner_text().strip() == "已关闭"
    assert worker.locator("input[name=satisfaction]").count() == 0


def test_union_officer_never_sees_a_named_submitter_but_rights_staff_do(
    poster_url, phone_page, desktop, screenshot
):
    code = _submit(
        phone_page,
        poster_url,
        f"我是{NAME}，冲压车间工人，电话{PHONE}，10月加班费没有发。",
        name=NAME,
        phone=PHONE,
    )
    appeal = Appeal.objects.get(code=code)
    assert not appeal.anonymous

    officer = desktop()
    log_in(officer, "geely_chair", DEMO_PASSWORD)
    officer.goto(f"/appeals/{appeal.pk}/")
    html = officer.content()
    assert "加班费没有发" in html  # the officer does see the matter
    assert NAME not in html
    assert PHONE not in html and PHONE[-4:] not in html
    screenshot(officer, "appeals-handling-6-officer-no-identity")
    assert not AccessEvent.objects.filter(
        kind=AccessEventKind.UNMASKED_VIEW, username="geely_chair"
    ).exists()

    rights = desktop()
    log_in(rights, "rights", DEMO_PASSWORD)
    rights.goto(f"/appeals/{appeal.pk}/")
    assert PHONE in rights.content()
    screenshot(rights, "appeals-handling-7-rights-in-clear")
    event = AccessEvent.objects.get(kind=AccessEventKind.UNMASKED_VIEW, user__username="rights")
    assert code in event.detail
