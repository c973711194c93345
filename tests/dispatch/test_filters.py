"""The instructor, batch and assignment lists filter alike on the page and in the API, and only
ever inside the user's own scope."""

from datetime import date

import pytest

from tests import factories
from tests.list_filters import (
    assert_invalid_value_is_ignored_by_the_page_and_refused_by_the_api,
    assert_same_rows,
)


def on_both_sides(world, make):
    """The row made for my federation; its look-alike in the other one is made too."""
    make(world["other"])
    return make(world["mine"])


@pytest.fixture
def instructors(world):
    def rights_officer(side):
        return factories.InstructorFactory(
            name=f"{side['city'].name[:2]}权益干事",
            federation=side["district"],
            department="权益保障部",
        )

    def retired(side):
        return factories.InstructorFactory(federation=side["city"], status="inactive")

    return {
        "own": world["mine"]["instructor"],  # 基层工作部 at the city, active
        "rights": on_both_sides(world, rights_officer),
        "retired": on_both_sides(world, retired),
    }


INSTRUCTOR_CASES = {
    "department": ({"department": "权益保障部"}, ["rights"]),
    "status": ({"status": "inactive"}, ["retired"]),
    "federation": ({"federation": "district"}, ["rights"]),
    "search": ({"q": "湘潭权益"}, ["rights"]),
    "search by initials, the API's name": ({"search": "xtqy"}, ["rights"]),
}


def _resolved(world, params: dict) -> dict:
    return {
        key: world["mine"][value].pk
        if key in {"federation", "batch"} and value in world["mine"]
        else value
        for key, value in params.items()
    }


@pytest.mark.parametrize("case", list(INSTRUCTOR_CASES))
def test_page_and_api_list_the_same_instructors(world, instructors, case):
    params, names = INSTRUCTOR_CASES[case]
    assert_same_rows(
        world["mine"]["admin"],
        page="dispatch:instructor_list",
        api="instructors",
        params=_resolved(world, params),
        expected=[instructors[name] for name in names],
    )


def test_a_department_nobody_has_lists_no_instructor_on_either(world, instructors):
    assert_same_rows(
        world["mine"]["admin"],
        page="dispatch:instructor_list",
        api="instructors",
        params={"department": "宣传部"},
        expected=[],
    )


def test_an_instructor_filtered_by_another_federation_is_ignored_by_the_page(world, instructors):
    assert_invalid_value_is_ignored_by_the_page_and_refused_by_the_api(
        world["mine"]["admin"],
        page="dispatch:instructor_list",
        api="instructors",
        name="federation",
        value=world["other"]["district"].pk,
        unfiltered=instructors.values(),
    )


@pytest.fixture
def batches(world):
    def earlier(side):
        return factories.BatchFactory(
            federation=side["district"],
            name=f"{side['district'].name[:2]}区第二期",
            year=2025,
            starts_on=date(2025, 3, 1),
            ends_on=date(2026, 2, 28),
        )

    return {"own": world["mine"]["batch"], "earlier": on_both_sides(world, earlier)}


BATCH_CASES = {
    "year": ({"year": 2025}, ["earlier"]),
    "this year": ({"year": 2026}, ["own"]),
    "federation": ({"federation": "district"}, ["earlier"]),
    "search": ({"q": "第二期"}, ["earlier"]),
    "search, the API's name": ({"search": "第一期"}, ["own"]),
}


@pytest.mark.parametrize("case", list(BATCH_CASES))
def test_page_and_api_list_the_same_batches(world, batches, case):
    params, names = BATCH_CASES[case]
    assert_same_rows(
        world["mine"]["admin"],
        page="dispatch:batch_list",
        api="batches",
        params=_resolved(world, params),
        expected=[batches[name] for name in names],
    )


def test_a_batch_year_that_is_no_number_is_ignored_by_the_page(world, batches):
    assert_invalid_value_is_ignored_by_the_page_and_refused_by_the_api(
        world["mine"]["admin"],
        page="dispatch:batch_list",
        api="batches",
        name="year",
        value="2025.5",
        unfiltered=batches.values(),
    )


@pytest.fixture
def assignments(world):
    def planned(side):
        organization = factories.OrganizationFactory(
            name=f"{side['city'].name[:2]}新材料有限公司", federation=side["district"]
        )
        batch = factories.BatchFactory(federation=side["district"], name="区第二期")
        return factories.make_assignment(
            instructor=factories.InstructorFactory(federation=side["district"]),
            organizations=[organization],
            batch=batch,
            starts_on=date(2026, 9, 1),
        )

    return {"own": world["mine"]["assignment"], "planned": on_both_sides(world, planned)}


ASSIGNMENT_CASES = {
    "status": ({"status": "planned"}, ["planned"]),
    "active": ({"status": "active"}, ["own"]),
    "batch": ({"batch": "batch"}, ["own"]),
    "federation": ({"federation": "district"}, ["planned"]),
    "search by organization": ({"q": "湘潭新材料"}, ["planned"]),
    "search by instructor": ({"q": "湘潭指导员"}, ["own"]),
}


@pytest.mark.parametrize("case", list(ASSIGNMENT_CASES))
def test_page_and_api_list_the_same_assignments(world, assignments, case):
    params, names = ASSIGNMENT_CASES[case]
    assert_same_rows(
        world["mine"]["admin"],
        page="dispatch:assignment_list",
        api="assignments",
        params=_resolved(world, params),
        expected=[assignments[name] for name in names],
    )


def test_assignments_by_instructor_and_by_organization_on_both(world, assignments):
    planned = assignments["planned"]
    for params in (
        {"instructor": planned.instructor_id},
        {"organization": planned.organizations.get().pk},
    ):
        assert_same_rows(
            world["mine"]["admin"],
            page="dispatch:assignment_list",
            api="assignments",
            params=params,
            expected=[planned],
        )


@pytest.mark.parametrize("role", ["instructor_user", "officer"])
def test_field_roles_get_the_same_assignments_on_both(world, assignments, role):
    assert_same_rows(
        world["mine"][role],
        page="dispatch:assignment_list",
        api="assignments",
        params={"status": "active"},
        expected=[assignments["own"]],
    )


@pytest.mark.parametrize("name", ["batch", "instructor", "organization"])
def test_an_assignment_filter_by_another_scopes_row_is_ignored_by_the_page(
    world, assignments, name
):
    other = world["other"]
    value = {
        "batch": other["batch"],
        "instructor": other["instructor"],
        "organization": other["organization"],
    }[name].pk
    assert_invalid_value_is_ignored_by_the_page_and_refused_by_the_api(
        world["mine"]["admin"],
        page="dispatch:assignment_list",
        api="assignments",
        name=name,
        value=value,
        unfiltered=assignments.values(),
    )
