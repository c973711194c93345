"""The evaluation endpoints: the same scoping and rules as the pages."""

from io import BytesIO

import pytest
from docx import Document
from rest_framework.test import APIClient

from zhidao.evaluation.models import Evaluation, EvaluationRating

from .test_evaluations import term  # noqa: F401  (the fixture)


@pytest.fixture
def api():
    return APIClient()


def test_list_and_detail_in_scope_and_404_elsewhere(api, world, term):  # noqa: F811
    api.force_authenticate(world["mine"]["leader"])
    listed = api.get("/api/evaluations/").json()["results"]
    assert [row["assignment"] for row in listed] == [term.pk]
    detail = api.get(f"/api/evaluations/{term.pk}/").json()
    assert detail["metrics"]["work_records"] == 6
    assert (detail["metrics"]["findings_opened"], detail["metrics"]["findings_closed"]) == (3, 1)
    api.force_authenticate(world["other"]["admin"])
    assert api.get(f"/api/evaluations/{term.pk}/").status_code == 404
    assert api.get("/api/evaluations/").json()["results"] == []


def test_officer_rates_once_and_other_officer_gets_404(api, world, term):  # noqa: F811
    api.force_authenticate(world["mine"]["officer"])
    url = f"/api/evaluations/{term.pk}/rate/"
    assert api.post(url, {"satisfaction": 4, "comments": "满意"}).status_code == 200
    assert api.post(url, {"satisfaction": 1}).status_code == 400
    assert EvaluationRating.objects.get().satisfaction == 4
    api.force_authenticate(world["other"]["officer"])
    assert api.post(url, {"satisfaction": 5}).status_code == 404


@pytest.mark.parametrize("role", ["leader", "instructor_user", "officer"])
def test_only_the_admin_grades(api, world, term, role):  # noqa: F811
    api.force_authenticate(world["mine"][role])
    response = api.post(f"/api/evaluations/{term.pk}/grade/", {"grade": "excellent"})
    # The leader and the union's officer see the evaluation; the term is not this instructor's.
    assert response.status_code == (404 if role == "instructor_user" else 403)
    assert not Evaluation.objects.filter(grade="excellent").exists()


def test_admin_grades_finalizes_and_downloads(api, world, term):  # noqa: F811
    admin = world["mine"]["admin"]
    api.force_authenticate(admin)
    graded = api.post(
        f"/api/evaluations/{term.pk}/grade/", {"grade": "competent", "comments": "扎实"}
    )
    assert graded.status_code == 200 and graded.json()["grade"] == "competent"
    finalized = api.post(f"/api/evaluations/{term.pk}/finalize/")
    assert finalized.status_code == 200 and finalized.json()["status"] == "finalized"
    assert Evaluation.objects.get(assignment=term).finalized_by == admin
    again = api.post(f"/api/evaluations/{term.pk}/grade/", {"grade": "excellent"})
    assert again.status_code == 400
    download = api.get(f"/api/evaluations/{term.pk}/download/")
    assert download.status_code == 200
    document = Document(BytesIO(download.content))
    assert any(table.rows for table in document.tables)
