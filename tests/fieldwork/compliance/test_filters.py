"""The leave request list filters alike on the page and in the API, and only ever inside the
user's own scope."""

from datetime import date

import pytest

from tests import factories
from tests.list_filters import (
    assert_invalid_value_is_ignored_by_the_page_and_refused_by_the_api,
    assert_same_rows,
)

from .helpers import leave


@pytest.fixture
def requests(world):
    def make(side):
        colleague = factories.InstructorFactory(
            name=f"{side['city'].name[:2]}李明", federation=side["district"]
        )
        return {
            "approved": leave(side["instructor"], date(2026, 11, 2), date(2026, 11, 3)),
            "pending": leave(
                side["instructor"], date(2026, 12, 1), date(2026, 12, 2), status="pending"
            ),
            "travel": leave(
                colleague, date(2026, 11, 9), date(2026, 11, 13), kind="official_travel"
            ),
        }

    make(world["other"])
    return make(world["mine"])


CASES = {
    "status": ({"status": "pending"}, ["pending"]),
    "kind": ({"kind": "official_travel"}, ["travel"]),
    "search by name": ({"q": "湘潭李明"}, ["travel"]),
    "search by initials": ({"q": "xtlm"}, ["travel"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_page_and_api_list_the_same_leave_requests(world, requests, case):
    params, names = CASES[case]
    assert_same_rows(
        world["mine"]["admin"],
        page="fieldwork:leave_list",
        api="leave-requests",
        params=params,
        expected=[requests[name] for name in names],
    )


def test_leave_requests_by_instructor_on_both(world, requests):
    assert_same_rows(
        world["mine"]["admin"],
        page="fieldwork:leave_list",
        api="leave-requests",
        params={"instructor": world["mine"]["instructor"].pk},
        expected=[requests["approved"], requests["pending"]],
    )


def test_an_instructor_gets_the_same_own_requests_on_both(world, requests):
    assert_same_rows(
        world["mine"]["instructor_user"],
        page="fieldwork:leave_list",
        api="leave-requests",
        params={"kind": "leave"},
        expected=[requests["approved"], requests["pending"]],
    )


@pytest.mark.parametrize(("name", "value"), [("status", "maybe"), ("instructor", "other")])
def test_a_wrong_leave_filter_is_ignored_by_the_page_and_refused_by_the_api(
    world, requests, name, value
):
    if value == "other":
        value = world["other"]["instructor"].pk
    assert_invalid_value_is_ignored_by_the_page_and_refused_by_the_api(
        world["mine"]["admin"],
        page="fieldwork:leave_list",
        api="leave-requests",
        name=name,
        value=value,
        unfiltered=requests.values(),
    )
