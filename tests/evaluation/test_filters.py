"""The evaluation list filters alike on the page and in the API, only ever inside the user's own
scope, and never lets a union officer learn a grade by filtering on it."""

import pytest

from tests.list_filters import (
    assert_invalid_value_is_ignored_by_the_page_and_refused_by_the_api,
    assert_same_rows,
)
from zhidao.evaluation.models import Evaluation

from .conftest import ended_assignment


@pytest.fixture
def evaluations(world):
    def make(side):
        excellent = ended_assignment(side)
        Evaluation.objects.create(assignment=excellent, grade="excellent")
        competent = ended_assignment(side)
        Evaluation.objects.create(assignment=competent, grade="competent")
        return {"excellent": excellent, "competent": competent, "ungraded": ended_assignment(side)}

    make(world["other"])
    return make(world["mine"])


@pytest.mark.parametrize("role", ["admin", "leader"])
def test_page_and_api_list_the_same_graded_evaluations(world, evaluations, role):
    assert_same_rows(
        world["mine"][role],
        page="evaluation:evaluation_list",
        api="evaluations",
        params={"grade": "excellent"},
        expected=[evaluations["excellent"]],
        id_key="assignment",
    )


def test_page_and_api_find_the_same_instructor(world, evaluations):
    instructor = evaluations["competent"].instructor
    assert_same_rows(
        world["mine"]["admin"],
        page="evaluation:evaluation_list",
        api="evaluations",
        params={"q": instructor.name},
        expected=[evaluations["competent"]],
        id_key="assignment",
    )


def test_a_union_officer_cannot_find_out_a_grade_by_filtering(world, evaluations):
    officer = world["mine"]["officer"]
    assert_same_rows(
        officer,
        page="evaluation:evaluation_list",
        api="evaluations",
        params={},
        expected=evaluations.values(),
        id_key="assignment",
    )
    assert_same_rows(
        officer,
        page="evaluation:evaluation_list",
        api="evaluations",
        params={"grade": "excellent"},
        expected=[],
        id_key="assignment",
    )


def test_a_grade_that_does_not_exist_is_ignored_by_the_page(world, evaluations):
    assert_invalid_value_is_ignored_by_the_page_and_refused_by_the_api(
        world["mine"]["admin"],
        page="evaluation:evaluation_list",
        api="evaluations",
        name="grade",
        value="brilliant",
        unfiltered=evaluations.values(),
    )
