"""The work-record, finding and practical-matter lists filter alike on the page and in the
API, and only ever inside the user's own scope."""

from datetime import date, timedelta

import pytest

from tests import factories
from tests.list_filters import (
    assert_invalid_value_is_ignored_by_the_page_and_refused_by_the_api,
    assert_same_rows,
)
from zhidao.fieldwork.models import Finding

from .conftest import TODAY, make_finding, make_matter, make_record


def with_colleague(side: dict) -> dict:
    """The side's world, plus a colleague instructor at a textile firm in another district."""
    organization = factories.OrganizationFactory(
        name=f"{side['city'].name[:2]}纺织有限公司", federation=side["district"], district="岳塘区"
    )
    instructor = factories.InstructorFactory(federation=side["city"])
    assignment = factories.make_assignment(
        instructor=instructor, organizations=[organization], batch=side["batch"]
    )
    colleague = {
        "instructor_user": instructor.user,
        "assignment": assignment,
        "organization": organization,
    }
    return {**side, "colleague": colleague}


def on_both_sides(world, make) -> dict:
    make(with_colleague(world["other"]))
    return make(with_colleague(world["mine"]))


@pytest.fixture
def records(world):
    def make(side):
        return {
            "investigation": make_record(side, duty="investigation"),
            "late": make_record(side, duty="guidance", worked_on=TODAY - timedelta(days=10)),
            "october": make_record(side, duty="guidance", worked_on=date(2026, 10, 12)),
            "colleague": make_record(side["colleague"], duty="guidance"),
        }

    return on_both_sides(world, make)


RECORD_CASES = {
    "duty": ({"duty": "investigation"}, ["investigation"]),
    "after": ({"worked_after": "2026-11-01"}, ["investigation", "late", "colleague"]),
    "before": ({"worked_before": "2026-10-31"}, ["october"]),
    # The record "October" was entered weeks later, so it is late as well.
    "late, ticked": ({"is_late": "on"}, ["late", "october"]),
    "on time, the API's words": ({"is_late": "false"}, ["investigation", "colleague"]),
    "search by organization": ({"q": "湘潭纺织"}, ["colleague"]),
}


@pytest.mark.parametrize("case", list(RECORD_CASES))
def test_page_and_api_list_the_same_work_records(world, records, case):
    params, names = RECORD_CASES[case]
    assert_same_rows(
        world["mine"]["admin"],
        page="fieldwork:work_record_list",
        api="work-records",
        params=params,
        expected=[records[name] for name in names],
    )


def test_work_records_by_instructor_and_organization_on_both(world, records):
    colleague = records["colleague"]
    for params in (
        {"instructor": colleague.instructor_id},
        {"organization": colleague.organization_id},
    ):
        assert_same_rows(
            world["mine"]["admin"],
            page="fieldwork:work_record_list",
            api="work-records",
            params=params,
            expected=[colleague],
        )


def test_an_instructor_gets_the_same_own_records_on_both(world, records):
    assert_same_rows(
        world["mine"]["instructor_user"],
        page="fieldwork:work_record_list",
        api="work-records",
        params={"duty": "guidance"},
        expected=[records["late"], records["october"]],
    )


@pytest.mark.parametrize(
    ("name", "value"), [("duty", "sleeping"), ("worked_after", "yesterday"), ("instructor", "x")]
)
def test_a_wrong_work_record_filter_is_ignored_by_the_page_and_refused_by_the_api(
    world, records, name, value
):
    if name == "instructor":
        value = world["other"]["instructor"].pk
    assert_invalid_value_is_ignored_by_the_page_and_refused_by_the_api(
        world["mine"]["admin"],
        page="fieldwork:work_record_list",
        api="work-records",
        name=name,
        value=value,
        unfiltered=records.values(),
    )


@pytest.fixture
def findings(world):
    def make(side):
        overdue = make_finding(side, category="rules")
        Finding.objects.filter(pk=overdue.pk).update(due_on=TODAY - timedelta(days=1))
        closed = make_finding(side, category="rules")
        Finding.objects.filter(pk=closed.pk).update(
            due_on=TODAY - timedelta(days=1), status="closed"
        )
        return {
            "fund": make_finding(side),
            "overdue": overdue,
            "closed": closed,
            "colleague": make_finding(side["colleague"]),
        }

    return on_both_sides(world, make)


FINDING_CASES = {
    "status": ({"status": "closed"}, ["closed"]),
    "category": ({"category": "rules"}, ["overdue", "closed"]),
    "overdue, ticked": ({"overdue": "on"}, ["overdue"]),
    "not overdue, the API's words": ({"overdue": "false"}, ["fund", "closed", "colleague"]),
    "search by organization": ({"q": "湘潭纺织"}, ["colleague"]),
}


@pytest.mark.parametrize("case", list(FINDING_CASES))
def test_page_and_api_list_the_same_findings(world, findings, case):
    params, names = FINDING_CASES[case]
    assert_same_rows(
        world["mine"]["admin"],
        page="fieldwork:finding_list",
        api="findings",
        params=params,
        expected=[findings[name] for name in names],
    )


def test_findings_by_organization_on_both(world, findings):
    assert_same_rows(
        world["mine"]["officer"],
        page="fieldwork:finding_list",
        api="findings",
        params={"organization": world["mine"]["organization"].pk},
        expected=[findings[name] for name in ("fund", "overdue", "closed")],
    )


def test_a_finding_filter_by_another_scopes_organization_is_ignored_by_the_page(world, findings):
    assert_invalid_value_is_ignored_by_the_page_and_refused_by_the_api(
        world["mine"]["admin"],
        page="fieldwork:finding_list",
        api="findings",
        name="organization",
        value=world["other"]["organization"].pk,
        unfiltered=findings.values(),
    )


@pytest.fixture
def matters(world):
    def make(side):
        return {
            "canteen": make_matter(side, started_on=date(2026, 5, 1)),
            "loan": make_matter(
                side,
                title="协调银行贷款",
                beneficiary="enterprise",
                category="financing",
                beneficiaries_count=1,
                status="in_progress",
                started_on=date(2026, 9, 1),
            ),
            # Not started: its creation day (today) stands for the start.
            "planned": make_matter(side, title="篮球场", category="sports", status="planned"),
            "colleague": make_matter(side["colleague"], title="户外驿站", category="rest_station"),
        }

    return on_both_sides(world, make)


MATTER_CASES = {
    "category": ({"category": "financing"}, ["loan"]),
    "status": ({"status": "planned"}, ["planned"]),
    "beneficiary": ({"beneficiary": "enterprise"}, ["loan"]),
    "district": ({"district": "岳塘区"}, ["colleague"]),
    "from": ({"date_from": "2026-08-01"}, ["loan", "planned", "colleague"]),
    "to": ({"date_to": "2026-10-01"}, ["canteen", "loan"]),
    "search by organization": ({"q": "湘潭纺织"}, ["colleague"]),
}


@pytest.mark.parametrize("case", list(MATTER_CASES))
def test_page_and_api_list_the_same_practical_matters(world, matters, case):
    params, names = MATTER_CASES[case]
    assert_same_rows(
        world["mine"]["admin"],
        page="fieldwork:practical_matter_list",
        api="practical-matters",
        params=params,
        expected=[matters[name] for name in names],
    )


def test_a_district_nobody_has_lists_no_matter_on_either(world, matters):
    assert_same_rows(
        world["mine"]["admin"],
        page="fieldwork:practical_matter_list",
        api="practical-matters",
        params={"district": "芦淞区"},
        expected=[],
    )


def test_a_practical_matter_date_that_is_no_date_is_ignored_by_the_page(world, matters):
    assert_invalid_value_is_ignored_by_the_page_and_refused_by_the_api(
        world["mine"]["admin"],
        page="fieldwork:practical_matter_list",
        api="practical-matters",
        name="date_from",
        value="2026-02-30",
        unfiltered=matters.values(),
    )
