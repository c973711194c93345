"""The quarterly report list filters alike on the page and in the API, and only ever inside the
user's own scope."""

from datetime import date

import pytest

from tests import factories
from tests.list_filters import (
    assert_invalid_value_is_ignored_by_the_page_and_refused_by_the_api,
    assert_same_rows,
)
from zhidao.reports.models import QuarterlyReport


def report(assignment, year, quarter, **fields):
    return QuarterlyReport.objects.create(
        assignment=assignment,
        year=year,
        quarter=quarter,
        due_on=date(year, quarter * 3, 28),
        **fields,
    )


@pytest.fixture
def reports(world):
    def make(side):
        colleague = factories.make_assignment(
            instructor=factories.InstructorFactory(
                name=f"{side['city'].name[:2]}李明", federation=side["city"]
            ),
            organizations=[factories.OrganizationFactory(federation=side["district"])],
            batch=side["batch"],
        )
        own = side["assignment"]
        return {
            "q2": report(own, 2026, 2, status="approved"),
            "q3 late": report(own, 2026, 3, status="submitted", is_late=True),
            "colleague q3": report(colleague, 2026, 3, status="draft"),
            "last year": report(own, 2025, 4, status="approved"),
        }

    make(world["other"])
    return make(world["mine"])


CASES = {
    "year": ({"year": 2025}, ["last year"]),
    "quarter": ({"quarter": 3}, ["q3 late", "colleague q3"]),
    "status": ({"status": "approved"}, ["q2", "last year"]),
    "late": ({"is_late": "true"}, ["q3 late"]),
    "on time": ({"is_late": "false"}, ["q2", "colleague q3", "last year"]),
    "search by instructor": ({"q": "湘潭李明"}, ["colleague q3"]),
    "search by initials": ({"q": "xtlm"}, ["colleague q3"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_page_and_api_list_the_same_reports(world, reports, case):
    params, names = CASES[case]
    assert_same_rows(
        world["mine"]["admin"],
        page="reports:report_list",
        api="quarterly-reports",
        params=params,
        expected=[reports[name] for name in names],
    )


def test_reports_by_assignment_on_both(world, reports):
    assert_same_rows(
        world["mine"]["admin"],
        page="reports:report_list",
        api="quarterly-reports",
        params={"assignment": world["mine"]["assignment"].pk},
        expected=[reports[name] for name in ("q2", "q3 late", "last year")],
    )


def test_an_instructor_gets_the_same_own_reports_on_both(world, reports):
    assert_same_rows(
        world["mine"]["instructor_user"],
        page="reports:report_list",
        api="quarterly-reports",
        params={"year": 2026},
        expected=[reports["q2"], reports["q3 late"]],
    )


@pytest.mark.parametrize(
    ("name", "value"), [("quarter", 5), ("year", 1800), ("assignment", "other")]
)
def test_a_wrong_report_filter_is_ignored_by_the_page_and_refused_by_the_api(
    world, reports, name, value
):
    if value == "other":
        value = world["other"]["assignment"].pk
    assert_invalid_value_is_ignored_by_the_page_and_refused_by_the_api(
        world["mine"]["admin"],
        page="reports:report_list",
        api="quarterly-reports",
        name=name,
        value=value,
        unfiltered=reports.values(),
    )


def test_a_wrong_year_leaves_the_other_filters_applied_on_the_page(world, reports, client):
    client.force_login(world["mine"]["admin"])
    response = client.get("/reports/", {"year": 1800, "quarter": 3})
    listed = {row.pk for row in response.context["page_obj"]}
    assert listed == {reports["q3 late"].pk, reports["colleague q3"].pk}
    assert response.context["rollup_year"] is None
