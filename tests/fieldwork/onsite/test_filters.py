"""The on-site day list filters alike on the page and in the API, and only ever inside the
user's own scope."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from tests import factories
from tests.list_filters import (
    assert_invalid_value_is_ignored_by_the_page_and_refused_by_the_api,
    assert_same_rows,
)
from zhidao.fieldwork.models import OnSiteDay

SHANGHAI = ZoneInfo("Asia/Shanghai")


def day(side, on_date: date, *, assignment=None, **fields) -> OnSiteDay:
    assignment = assignment or side["assignment"]
    return OnSiteDay.objects.create(
        assignment=assignment,
        organization=assignment.organizations.first(),
        instructor=assignment.instructor,
        on_date=on_date,
        checked_in_at=datetime.combine(on_date, time(9), tzinfo=SHANGHAI),
        **fields,
    )


@pytest.fixture
def days(world):
    """My days, each differing in one way; the other federation gets the same ones."""

    def make(side):
        colleague = factories.make_assignment(
            instructor=factories.InstructorFactory(
                name=f"{side['city'].name[:2]}同事", federation=side["city"]
            ),
            organizations=[
                factories.OrganizationFactory(
                    name=f"{side['city'].name[:2]}纺织有限公司", federation=side["district"]
                )
            ],
            batch=side["batch"],
        )
        return {
            "october": day(side, date(2026, 10, 14), status="confirmed"),
            "far": day(side, date(2026, 11, 18), is_far=True),
            "disputed": day(side, date(2026, 11, 23), status="disputed"),
            "colleague": day(side, date(2026, 11, 24), assignment=colleague),
        }

    make(world["other"])
    return make(world["mine"])


CASES = {
    "status": ({"status": "disputed"}, ["disputed"]),
    "from": ({"date_from": "2026-11-20"}, ["disputed", "colleague"]),
    "to": ({"date_to": "2026-10-31"}, ["october"]),
    "far, ticked": ({"is_far": "on"}, ["far"]),
    "far, the API's words": ({"is_far": "true"}, ["far"]),
    "not far": ({"is_far": "false"}, ["october", "disputed", "colleague"]),
    "search by organization": ({"q": "湘潭纺织"}, ["colleague"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_page_and_api_list_the_same_days(world, days, case):
    params, names = CASES[case]
    assert_same_rows(
        world["mine"]["admin"],
        page="fieldwork:on_site_day_list",
        api="on-site-days",
        params=params,
        expected=[days[name] for name in names],
    )


def test_days_by_instructor_organization_and_assignment_on_both(world, days):
    colleague = days["colleague"]
    for params in (
        {"instructor": colleague.instructor_id},
        {"organization": colleague.organization_id},
        {"assignment": colleague.assignment_id},
    ):
        assert_same_rows(
            world["mine"]["admin"],
            page="fieldwork:on_site_day_list",
            api="on-site-days",
            params=params,
            expected=[colleague],
        )


@pytest.mark.parametrize("role", ["instructor_user", "officer"])
def test_field_roles_get_the_same_days_on_both(world, days, role):
    assert_same_rows(
        world["mine"][role],
        page="fieldwork:on_site_day_list",
        api="on-site-days",
        params={"date_from": "2026-11-01"},
        expected=[days["far"], days["disputed"]],
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [("status", "lost"), ("date_from", "2026-13-01"), ("instructor", "other instructor")],
)
def test_a_wrong_day_filter_is_ignored_by_the_page_and_refused_by_the_api(world, days, name, value):
    if value == "other instructor":
        value = world["other"]["instructor"].pk
    assert_invalid_value_is_ignored_by_the_page_and_refused_by_the_api(
        world["mine"]["admin"],
        page="fieldwork:on_site_day_list",
        api="on-site-days",
        name=name,
        value=value,
        unfiltered=days.values(),
    )
