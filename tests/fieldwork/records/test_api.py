"""The API of work records, findings and practical matters: same scoping and rules as the
pages."""

import uuid

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from zhidao.fieldwork.models import FindingStatus, WorkRecord
from zhidao.fieldwork.records import services as records_services

from .conftest import TODAY, make_finding, make_matter, make_record

ROLES = ["admin", "leader", "instructor_user", "officer"]


@pytest.fixture
def api():
    def make(user) -> APIClient:
        token, _created = Token.objects.get_or_create(user=user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


def _record_body(side, client_uuid) -> dict:
    return {
        "client_uuid": str(client_uuid),
        "assignment": side["assignment"].pk,
        "organization": side["organization"].pk,
        "duty": "rights_protection",
        "worked_on": TODAY.isoformat(),
        "content": "协调解决加班费争议",
    }


def test_work_record_create_is_201_then_200_with_the_same_record(api, world):
    mine = world["mine"]
    client = api(mine["instructor_user"])
    client_uuid = uuid.uuid4()
    responses = [
        client.post("/api/work-records/", _record_body(mine, client_uuid), format="json")
        for _ in range(3)
    ]
    assert [r.status_code for r in responses] == [201, 200, 200]
    assert len({r.json()["id"] for r in responses}) == 1
    assert WorkRecord.objects.count() == 1


def test_work_record_for_another_scopes_organization_is_400_at_the_field(api, world):
    mine, other = world["mine"], world["other"]
    body = _record_body(mine, uuid.uuid4())
    body["organization"] = other["organization"].pk
    response = api(mine["instructor_user"]).post("/api/work-records/", body, format="json")
    assert response.status_code == 400
    assert "organization" in response.json()


@pytest.mark.parametrize("role", ["admin", "leader", "officer"])
def test_only_instructors_create_work_records(api, world, role):
    mine = world["mine"]
    response = api(mine[role]).post(
        "/api/work-records/", _record_body(mine, uuid.uuid4()), format="json"
    )
    assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_another_scopes_rows_are_404(api, world, role):
    other = world["other"]
    urls = [
        f"/api/work-records/{make_record(other).pk}/",
        f"/api/findings/{make_finding(other).pk}/",
        f"/api/practical-matters/{make_matter(other).pk}/",
    ]
    client = api(world["mine"][role])
    for url in urls:
        assert client.get(url).status_code == 404, url
    for endpoint in ["work-records", "findings", "practical-matters"]:
        assert client.get(f"/api/{endpoint}/").json()["count"] == 0


def test_finding_loop_through_the_api(api, world):
    mine = world["mine"]
    instructor, officer = api(mine["instructor_user"]), api(mine["officer"])
    created = instructor.post(
        "/api/findings/",
        {
            "assignment": mine["assignment"].pk,
            "organization": mine["organization"].pk,
            "category": "rules",
            "description": "缺少厂务公开制度",
            "recommendation": "制定并公示",
            "due_on": "2026-12-20",
        },
        format="json",
    )
    assert created.status_code == 201
    url = f"/api/findings/{created.json()['id']}/"
    assert officer.post(url + "answer/", {"answer": "已制定"}, format="json").status_code == 200
    reopened = instructor.post(url + "reopen/", {"comment": "未公示"}, format="json")
    assert reopened.json()["status"] == FindingStatus.REOPENED
    officer.post(url + "answer/", {"answer": "已公示"}, format="json")
    closed = instructor.post(url + "close/", {}, format="json").json()
    assert closed["status"] == FindingStatus.CLOSED
    assert [step["to_status"] for step in closed["transitions"]] == [
        "open",
        "answered",
        "reopened",
        "answered",
        "closed",
    ]


def test_wrong_role_on_a_finding_action_is_403_and_wrong_state_400(api, world):
    mine = world["mine"]
    finding = make_finding(mine)
    url = f"/api/findings/{finding.pk}/"
    assert api(mine["instructor_user"]).post(url + "answer/", {"answer": "x"}).status_code == 403
    assert api(mine["officer"]).post(url + "close/", {}).status_code == 403
    wrong_state = api(mine["instructor_user"]).post(url + "close/", {}, format="json")
    assert wrong_state.status_code == 400
    assert api(world["other"]["officer"]).post(url + "answer/", {"answer": "x"}).status_code == 404


def test_instructor_updates_its_matter_and_officer_cannot(api, world):
    mine = world["mine"]
    matter = make_matter(mine, status="in_progress")
    url = f"/api/practical-matters/{matter.pk}/"
    done = api(mine["instructor_user"]).patch(url, {"status": "done"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert api(mine["officer"]).patch(url, {"status": "dropped"}, format="json").status_code == 403


def test_matter_create_through_the_api(api, world):
    mine = world["mine"]
    response = api(mine["instructor_user"]).post(
        "/api/practical-matters/",
        {
            "assignment": mine["assignment"].pk,
            "organization": mine["organization"].pk,
            "title": "职工子女暑期托管班",
            "beneficiary": "workers",
            "category": "child_care",
            "beneficiaries_count": 40,
            "status": "planned",
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["organization_name"] == mine["organization"].name


def test_overdue_flag_and_filter_in_the_api(api, world):
    mine = world["mine"]
    make_finding(mine, due_on=TODAY)
    late = records_services.open_finding(
        actor=mine["instructor_user"],
        assignment_id=mine["assignment"].pk,
        organization_id=mine["organization"].pk,
        category="other",
        description="x",
        recommendation="y",
        due_on=TODAY,
    )
    late.due_on = TODAY.replace(day=1)
    late.save()
    rows = api(mine["officer"]).get("/api/findings/", {"overdue": "true"}).json()["results"]
    assert [row["id"] for row in rows] == [late.pk]
