from rest_framework.test import APIClient

from zhidao.exchange.models import Attendance, Audience, CaseStatus

from .conftest import make_case, make_event


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_sign_in_once_then_already(world, during):
    event = make_event(world["mine"])
    client = _client(world["mine"]["instructor_user"])
    first = client.post("/api/exchange-events/sign-in/", {"token": event.sign_in_token})
    second = client.post("/api/exchange-events/sign-in/", {"token": event.sign_in_token})
    assert (first.status_code, second.status_code) == (201, 200)
    assert Attendance.objects.count() == 1


def test_api_sign_in_refused_outside_the_audience(world, during):
    event = make_event(world["mine"], audience=Audience.INSTRUCTORS)
    response = _client(world["mine"]["officer"]).post(
        "/api/exchange-events/sign-in/", {"token": event.sign_in_token}
    )
    assert response.status_code == 403
    assert "不面向您" in response.json()["detail"]


def test_api_event_of_another_federation_is_404(world, during):
    event = make_event(world["mine"])
    response = _client(world["other"]["admin"]).get(f"/api/exchange-events/{event.pk}/")
    assert response.status_code == 404


def _event_payload(world, **changes) -> dict:
    return {
        "title": "讲座",
        "kind": "lecture",
        "federation": world["mine"]["city"].pk,
        "held_on": "2026-12-01",
        "starts_at": "14:00",
        "ends_at": "15:00",
        "place": "会议室",
        "audience": "both",
        **changes,
    }


def test_api_instructor_cannot_create_an_event(world):
    response = _client(world["mine"]["instructor_user"]).post(
        "/api/exchange-events/", _event_payload(world)
    )
    assert response.status_code in (400, 403)
    assert response.status_code == 403 or "federation" in response.json()


def test_api_bad_end_time_is_a_400_at_the_field(world):
    response = _client(world["mine"]["admin"]).post(
        "/api/exchange-events/", _event_payload(world, starts_at="15:00", ends_at="14:00")
    )
    assert response.status_code == 400
    assert "ends_at" in response.json()


def test_api_case_create_submit_approve_and_search(world):
    mine = world["mine"]
    author = _client(mine["instructor_user"])
    created = author.post(
        "/api/cases/",
        {"title": "职工食堂改造", "union": mine["union"].pk, "text": "改造食堂。"},
        format="json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    assert author.post(f"/api/cases/{pk}/submit/").json()["status"] == CaseStatus.SUBMITTED
    assert _client(world["other"]["admin"]).post(f"/api/cases/{pk}/approve/").status_code == 404
    approved = _client(mine["admin"]).post(f"/api/cases/{pk}/approve/", {"comment": "好"})
    assert approved.json()["status"] == CaseStatus.PUBLISHED
    found = _client(mine["officer"]).get("/api/cases/", {"q": "食堂"}).json()
    assert [row["id"] for row in found["results"]] == [pk]


def test_api_useful_once_and_comments(world):
    case = make_case(world["mine"], title="户外劳动者驿站", text="建设驿站。")
    client = _client(world["mine"]["officer"])
    client.post(f"/api/cases/{case.pk}/useful/")
    again = client.post(f"/api/cases/{case.pk}/useful/")
    assert again.json()["useful_count"] == 1
    assert client.post(f"/api/cases/{case.pk}/comments/", {"text": "好"}).status_code == 201
    assert len(client.get(f"/api/cases/{case.pk}/comments/").json()) == 1
    question = client.post(f"/api/cases/{case.pk}/posts/", {"text": "多少钱？"}).json()
    client.post(f"/api/cases/{case.pk}/posts/", {"text": "十万", "parent": question["id"]})
    board = client.get(f"/api/cases/{case.pk}/posts/").json()
    assert board[0]["replies"][0]["text"] == "十万"
