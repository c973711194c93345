"""On-site days in the REST API: scoped, idempotent check-in, officer actions."""

import threading
import uuid

import pytest
from django.db import connection, connections
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from zhidao.fieldwork.models import OnSiteDay, OnSiteDayStatus
from zhidao.fieldwork.onsite import services as onsite_services

from .conftest import NOW, check_in

LIST = "/api/on-site-days/"


def _client(user) -> APIClient:
    token, _created = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _payload(world, **overrides) -> dict:
    payload = {
        "client_uuid": str(uuid.uuid4()),
        "assignment": world["mine"]["assignment"].pk,
        "organization": world["mine"]["organization"].pk,
        "summary": "座谈",
    }
    payload.update(overrides)
    return payload


def test_check_in_answers_201_first_and_200_with_the_same_record_on_repeat(world):
    client = _client(world["mine"]["instructor_user"])
    payload = _payload(world)
    first = client.post(LIST, payload, format="json")
    second = client.post(LIST, payload, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert OnSiteDay.objects.count() == 1


def test_check_in_outside_the_assignments_is_a_400_at_the_field(world):
    client = _client(world["mine"]["instructor_user"])
    response = client.post(
        LIST, _payload(world, organization=world["other"]["organization"].pk), format="json"
    )
    assert response.status_code == 400
    assert response.json()["organization"] == ["该两新组织不在此次派驻范围内。"]


def test_officer_cannot_check_in_through_the_api(world):
    response = _client(world["mine"]["officer"]).post(LIST, _payload(world), format="json")
    assert response.status_code == 403
    assert not OnSiteDay.objects.exists()


def test_each_role_lists_its_scope_and_gets_404_on_another_scopes_day(world):
    mine, other = check_in(world), check_in(world, "other")
    for role in ("admin", "leader", "instructor_user", "officer"):
        client = _client(world["mine"][role])
        ids = {row["id"] for row in client.get(LIST).json()["results"]}
        assert ids == {mine.pk}, role
        assert client.get(f"{LIST}{other.pk}/").status_code == 404, role


def test_instructor_checks_out_through_the_api(world):
    day = check_in(world)
    response = _client(world["mine"]["instructor_user"]).post(
        f"{LIST}{day.pk}/check-out/", {"summary": "完成了调研"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["summary"] == "完成了调研"
    assert response.json()["checked_out_at"] is not None


def test_officer_confirms_through_the_api(world):
    day = check_in(world)
    response = _client(world["mine"]["officer"]).post(f"{LIST}{day.pk}/confirm/")
    assert response.status_code == 200
    assert response.json()["status"] == OnSiteDayStatus.CONFIRMED
    day.refresh_from_db()
    assert (day.confirmed_by, day.confirmed_at) == (world["mine"]["officer"], NOW)


def test_dispute_through_the_api_needs_a_reason(world):
    day = check_in(world)
    client = _client(world["mine"]["officer"])
    assert client.post(f"{LIST}{day.pk}/dispute/", {}, format="json").status_code == 400
    response = client.post(f"{LIST}{day.pk}/dispute/", {"reason": "没来"}, format="json")
    assert response.json()["status"] == OnSiteDayStatus.DISPUTED


def test_confirming_twice_through_the_api_is_a_400(world):
    day = check_in(world)
    client = _client(world["mine"]["officer"])
    client.post(f"{LIST}{day.pk}/confirm/")
    response = client.post(f"{LIST}{day.pk}/dispute/", {"reason": "点错"}, format="json")
    assert response.status_code == 400
    assert "该驻点已确认。" in str(response.json())


def test_another_unions_officer_gets_404_and_the_instructor_403_on_officer_actions(world):
    day = check_in(world)
    assert _client(world["other"]["officer"]).post(f"{LIST}{day.pk}/confirm/").status_code == 404
    # The instructor sees its day but is not its union's officer.
    assert (
        _client(world["mine"]["instructor_user"]).post(f"{LIST}{day.pk}/confirm/").status_code
        == 403
    )
    assert _client(world["mine"]["officer"]).post(f"{LIST}{day.pk}/check-out/").status_code == 403


def test_check_in_with_the_officers_code_through_the_api_is_confirmed(world):
    code = onsite_services.issue_confirmation_code(
        officer=world["mine"]["officer"], union=world["mine"]["union"]
    )
    response = _client(world["mine"]["instructor_user"]).post(
        LIST, _payload(world, code=code.code), format="json"
    )
    assert response.status_code == 201
    assert response.json()["confirmation_method"] == "face_to_face_code"


@pytest.mark.django_db(transaction=True)
def test_same_check_in_sent_concurrently_gives_one_record_on_postgresql(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent check-ins need PostgreSQL (SQLite serializes writers)")
    client_uuid = uuid.uuid4()
    actor = world["mine"]["instructor_user"]
    barrier = threading.Barrier(4)
    results, errors = [], []

    def send():
        try:
            barrier.wait()
            stored = onsite_services.check_in_on_site(
                actor=actor,
                client_uuid=client_uuid,
                assignment_id=world["mine"]["assignment"].pk,
                organization_id=world["mine"]["organization"].pk,
            )
            results.append(stored)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert OnSiteDay.objects.filter(client_uuid=client_uuid).count() == 1
    assert sum(stored.created for stored in results) == 1
    assert len({stored.record.pk for stored in results}) == 1
