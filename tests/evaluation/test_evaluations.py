from datetime import date
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from tests import factories
from zhidao.evaluation import services
from zhidao.evaluation.models import Evaluation, EvaluationRating
from zhidao.evaluation.selectors import compute_metrics

from .conftest import (
    TODAY,
    assessment,
    ended_assignment,
    finding,
    matter,
    on_site,
    work_record,
)


@pytest.fixture
def term(world):
    """March 2026 (4 weeks): on site in weeks 1 and 3, 6 records, 3 findings (1 closed),
    matters done 2 (30 + 12 people) and one in progress, baseline 60 → term end 75.5."""
    assignment = ended_assignment(world["mine"])
    on_site(assignment, date(2026, 3, 3))
    on_site(assignment, date(2026, 3, 18))
    for day in range(2, 8):
        work_record(assignment, date(2026, 3, day))
    finding(assignment, closed=True)
    finding(assignment, closed=False)
    finding(assignment, closed=False)
    matter(assignment, beneficiaries=30)
    matter(assignment, beneficiaries=12)
    matter(assignment, beneficiaries=99, done=False)
    assessment(assignment, kind="baseline", total="60.00", on=date(2026, 3, 3))
    assessment(assignment, kind="term_end", total="75.50", on=date(2026, 3, 27))
    return assignment


def test_metrics_equal_the_counts_of_the_fixture(term):
    metrics = compute_metrics(term, today=TODAY)
    days = (date(2026, 3, 29) - date(2026, 3, 2)).days + 1
    assert metrics["compliance"]["met"] == 2
    assert metrics["compliance"]["missed"] == 2
    assert metrics["compliance"]["rate"] == 50
    assert metrics["work_records"] == 6
    assert metrics["work_records_per_month"] == f"{6 / (days / 30.4375):.1f}"
    assert (metrics["findings_closed"], metrics["findings_opened"]) == (1, 3)
    assert (metrics["matters_done"], metrics["beneficiaries_workers"]) == (2, 42)
    assert metrics["beneficiaries_enterprises"] == 0
    assert metrics["on_site_days"] == 2
    assert metrics["standardization_change"] == "15.50"


def test_standardization_change_adds_unrounded_totals_and_rounds_once(world):
    assignment = ended_assignment(world["mine"])
    assessment(assignment, kind="baseline", total="29.998600", on=date(2026, 3, 3))
    assessment(assignment, kind="term_end", total="75.324000", on=date(2026, 3, 27))
    assert compute_metrics(assignment, today=TODAY)["standardization_change"] == "45.33"


def test_standardization_change_is_none_without_a_term_end_assessment(world):
    assignment = ended_assignment(world["mine"])
    assessment(assignment, kind="baseline", total="60.00", on=date(2026, 3, 3))
    assert compute_metrics(assignment, today=TODAY)["standardization_change"] is None


def test_officer_rates_once(client, world, term):
    officer = world["mine"]["officer"]
    client.force_login(officer)
    url = reverse("evaluation:evaluation_rate", args=[term.pk])
    response = client.post(url, {"satisfaction": 5, "comments": "很满意"})
    assert response.status_code == 302
    response = client.post(url, {"satisfaction": 1, "comments": "再来一次"})
    assert response.status_code == 400
    assert EvaluationRating.objects.filter(officer=officer).count() == 1
    assert EvaluationRating.objects.get(officer=officer).satisfaction == 5


def test_other_unions_officer_gets_404_on_rating(client, world, term):
    client.force_login(world["other"]["officer"])
    response = client.post(
        reverse("evaluation:evaluation_rate", args=[term.pk]), {"satisfaction": 5}
    )
    assert response.status_code == 404
    assert not EvaluationRating.objects.exists()


@pytest.mark.parametrize("role", ["leader", "instructor_user", "officer"])
def test_only_an_admin_of_the_subtree_may_grade(client, world, term, role):
    client.force_login(world["mine"][role])
    response = client.post(
        reverse("evaluation:evaluation_grade", args=[term.pk]), {"grade": "excellent"}
    )
    # The leader and the union's officer see the evaluation; the term is not this instructor's.
    assert response.status_code == (404 if role == "instructor_user" else 403)
    assert not Evaluation.objects.filter(grade="excellent").exists()


def test_other_federations_admin_gets_404_on_grading(client, world, term):
    client.force_login(world["other"]["admin"])
    response = client.post(
        reverse("evaluation:evaluation_grade", args=[term.pk]), {"grade": "excellent"}
    )
    assert response.status_code == 404


def test_admin_grades_and_finalizes_with_actor_and_time(client, world, term):
    admin = world["mine"]["admin"]
    client.force_login(admin)
    client.post(
        reverse("evaluation:evaluation_grade", args=[term.pk]),
        {"grade": "competent", "comments": "工作扎实"},
    )
    client.post(reverse("evaluation:evaluation_finalize", args=[term.pk]))
    evaluation = Evaluation.objects.get(assignment=term)
    assert evaluation.status == "finalized"
    assert evaluation.grade == "competent"
    assert evaluation.finalized_by == admin
    assert evaluation.finalized_at is not None


def test_finalize_freezes_metrics(world, term):
    admin = world["mine"]["admin"]
    services.grade_instructor(actor=admin, assignment=term, grade="excellent")
    services.finalize_evaluation(actor=admin, assignment=term, today=TODAY)
    work_record(term, date(2026, 3, 20))
    finding(term, closed=True)
    evaluation = Evaluation.objects.get(assignment=term)
    assert evaluation.metrics["work_records"] == 6
    assert evaluation.metrics["findings_opened"] == 3
    assert compute_metrics(term, today=TODAY)["work_records"] == 7


def test_finalized_evaluation_refuses_a_new_grade(world, term):
    from django.core.exceptions import ValidationError

    admin = world["mine"]["admin"]
    services.grade_instructor(actor=admin, assignment=term, grade="excellent")
    services.finalize_evaluation(actor=admin, assignment=term, today=TODAY)
    with pytest.raises(ValidationError):
        services.grade_instructor(actor=admin, assignment=term, grade="incompetent")


def test_docx_reopens_with_the_metrics_table(client, world, term):
    admin = world["mine"]["admin"]
    services.rate_instructor(
        actor=world["mine"]["officer"], assignment=term, satisfaction=4, comments="认真负责"
    )
    services.grade_instructor(actor=admin, assignment=term, grade="excellent", comments="好")
    client.force_login(admin)
    response = client.get(reverse("evaluation:evaluation_download", args=[term.pk]))
    assert response.status_code == 200
    document = Document(BytesIO(response.content))
    metrics = {row.cells[0].text: row.cells[1].text for row in document.tables[1].rows}
    assert metrics["整改问题（已销号 / 已提出）"] == "1 / 3"
    assert metrics["办成实事"] == "2 件（惠及职工 42 人次，惠及企业 0 家）"
    assert metrics["规范化建设得分变化"] == "15.50"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "优秀" in text
    assert "4/5" in text
    info = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert info["工会指导员"] == term.instructor.name


def test_handover_shows_previous_open_findings_to_the_next_instructor(client, world):
    previous = ended_assignment(world["mine"])
    finding(previous, closed=False, description="职代会未召开")
    finding(previous, closed=True, description="已整改的账户问题")
    organization = previous.organizations.first()
    successor = factories.InstructorFactory(federation=world["mine"]["city"])
    following = factories.make_assignment(
        instructor=successor,
        organizations=[organization],
        batch=world["mine"]["batch"],
        starts_on=date(2026, 4, 1),
        today=TODAY,
    )
    client.force_login(successor.user)
    response = client.get(reverse("dispatch:assignment_detail", args=[following.pk]))
    content = response.content.decode()
    assert "职代会未召开" in content
    assert "已整改的账户问题" not in content


def test_other_scope_gets_404_on_evaluation_detail(client, world, term):
    for role in ("admin", "leader", "instructor_user", "officer"):
        client.force_login(world["other"][role])
        response = client.get(reverse("evaluation:evaluation_detail", args=[term.pk]))
        assert response.status_code == 404, role


def test_officer_of_the_union_sees_the_rating_form(client, world, term):
    client.force_login(world["mine"]["officer"])
    response = client.get(reverse("evaluation:evaluation_detail", args=[term.pk]))
    assert response.status_code == 200
    assert reverse("evaluation:evaluation_rate", args=[term.pk]) in response.content.decode()


def test_instructor_list_shows_only_own_evaluations(client, world, term):
    other = ended_assignment(world["mine"])
    client.force_login(term.instructor.user)
    page = client.get(reverse("evaluation:evaluation_list")).content.decode()
    assert reverse("evaluation:evaluation_detail", args=[term.pk]) in page
    assert reverse("evaluation:evaluation_detail", args=[other.pk]) not in page


def _list_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("evaluation:evaluation_list")).status_code == 200
    return len(queries)


def test_list_query_count_does_not_grow_with_rows(client, world):
    admin = world["mine"]["admin"]
    services_admin = admin
    first = ended_assignment(world["mine"])
    services.grade_instructor(actor=services_admin, assignment=first, grade="competent")
    one = _list_queries(client, admin)
    for _n in range(10):
        assignment = ended_assignment(world["mine"])
        services.grade_instructor(actor=admin, assignment=assignment, grade="excellent")
    assert _list_queries(client, admin) == one
