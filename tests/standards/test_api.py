from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from tests.standards.conftest import assess

pytestmark = pytest.mark.django_db


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_assessment_is_scored_by_the_server(world, fixture_set, monkeypatch):
    monkeypatch.setattr(
        "zhidao.standards.selectors.current_indicator_set_for", lambda union: fixture_set["set"]
    )
    mine = world["mine"]
    response = _client(mine["instructor_user"]).post(
        "/api/assessments/",
        {
            "union": mine["union"].pk,
            "kind": "baseline",
            "assessed_on": "2026-11-25",
            "answers": [
                {"indicator": fixture_set["committee"].pk, "yes": True},
                {"indicator": fixture_set["rules"].pk, "level": 2},
                {"indicator": fixture_set["rate"].pk, "number": "85"},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    assert Decimal(response.data["total_score"]) == Decimal("75.00")


def test_api_missing_answer_is_400_at_the_indicator(world, fixture_set, monkeypatch):
    monkeypatch.setattr(
        "zhidao.standards.selectors.current_indicator_set_for", lambda union: fixture_set["set"]
    )
    mine = world["mine"]
    response = _client(mine["instructor_user"]).post(
        "/api/assessments/",
        {"union": mine["union"].pk, "kind": "baseline", "assessed_on": "2026-11-25", "answers": []},
        format="json",
    )
    assert response.status_code == 400
    assert f"indicator_{fixture_set['committee'].pk}" in response.data


def test_api_other_scope_assessment_is_404_and_not_listed(world, fixture_set):
    theirs = assess(world["other"], fixture_set)
    client = _client(world["mine"]["admin"])
    assert client.get(f"/api/assessments/{theirs.pk}/").status_code == 404
    assert client.get("/api/assessments/").data["count"] == 0


def test_api_officer_cannot_create_new_indicator_set_version(world, fixture_set):
    client = _client(world["mine"]["officer"])
    response = client.post(
        f"/api/indicator-sets/{fixture_set['set'].pk}/new-version/",
        {"name": "x", "categories": []},
        format="json",
    )
    assert response.status_code == 403


def test_api_officer_records_an_activity_of_its_union(world):
    mine = world["mine"]
    response = _client(mine["officer"]).post(
        "/api/activities/",
        {
            "union": mine["union"].pk,
            "kind": "speech",
            "title": "演讲比赛",
            "held_on": "2026-10-01",
            "participant_count": 40,
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    other = _client(world["other"]["officer"]).get(f"/api/activities/{response.data['id']}/")
    assert other.status_code == 404


def test_api_activity_without_participants_is_400_at_the_field_like_the_page(world):
    mine = world["mine"]
    response = _client(mine["officer"]).post(
        "/api/activities/",
        {"union": mine["union"].pk, "kind": "speech", "title": "演讲比赛", "held_on": "2026-10-01"},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.data) == ["participant_count"]
