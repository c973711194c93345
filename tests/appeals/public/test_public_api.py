"""The public API: submit to a poster token, follow by ticket code, reply, rate — no account."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from zhidao.appeals import services
from zhidao.appeals.models import Appeal, AppealState
from zhidao.appeals.public_services import (
    current_poster_token,
    rotate_poster_token,
    submit_appeal,
)

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
ANSWER = "已联系企业财务，下周一前补发工资。"


@pytest.fixture(autouse=True)
def _frozen_and_clean_cache():
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient(enforce_csrf_checks=True)


@pytest.fixture
def poster(world):
    return current_poster_token(organization=world["mine"]["organization"])


def _submit_url(token: str) -> str:
    return f"/api/public/posters/{token}/appeals/"


def _ticket_url(code: str, action: str = "") -> str:
    return f"/api/public/tickets/{code}/" + (f"{action}/" if action else "")


def _anonymous(**extra) -> dict:
    return {"category": "wages", "description": "三个月没发工资了", "anonymous": True, **extra}


def _resolved(world, appeal: Appeal) -> Appeal:
    handler = world["mine"]["instructor_user"]
    services.accept_appeal(appeal=appeal, actor=handler)
    services.start_work(appeal=appeal, actor=handler)
    services.answer(appeal=appeal, actor=handler, text=ANSWER)
    return services.resolve_appeal(appeal=appeal, actor=handler, resolution="企业已补发工资。")


def test_anonymous_submit_returns_a_ticket_code_without_session_or_csrf(api, poster):
    response = api.post(_submit_url(poster.token), _anonymous(), format="json")

    assert response.status_code == 201
    appeal = Appeal.objects.get(code=response.json()["code"])
    assert appeal.organization_id == poster.organization_id
    assert appeal.anonymous and appeal.submitter_phone == ""


def test_named_submit_without_consent_is_refused_at_the_field(api, poster):
    response = api.post(
        _submit_url(poster.token),
        _anonymous(anonymous=False, name="张三", phone="13812345678"),
        format="json",
    )

    assert response.status_code == 400
    assert "consent" in response.json()
    assert not Appeal.objects.exists()


def test_named_submit_checks_the_phone_like_the_page(api, poster):
    response = api.post(
        _submit_url(poster.token),
        _anonymous(anonymous=False, name="张三", phone="12ab", consent=True),
        format="json",
    )

    assert response.status_code == 400
    assert "phone" in response.json()


def test_fake_image_is_refused(api, poster):
    fake = SimpleUploadedFile("x.jpg", b"not a picture", content_type="image/jpeg")
    response = api.post(
        _submit_url(poster.token), {**_anonymous(), "photos": [fake]}, format="multipart"
    )

    assert response.status_code == 400
    assert "photos" in response.json()


def test_submit_with_a_photo_keeps_it(api, poster):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "red").save(buffer, format="PNG")
    photo = SimpleUploadedFile("p.png", buffer.getvalue(), content_type="image/png")

    response = api.post(
        _submit_url(poster.token), {**_anonymous(), "photos": [photo]}, format="multipart"
    )

    assert response.status_code == 201
    assert Appeal.objects.get(code=response.json()["code"]).photos.count() == 1


def test_retired_poster_token_answers_410(api, world, poster):
    rotate_poster_token(organization=world["mine"]["organization"], by=world["mine"]["admin"])

    response = api.post(_submit_url(poster.token), _anonymous(), format="json")

    assert response.status_code == 410
    assert not Appeal.objects.exists()


def test_sixth_submit_within_the_hour_gets_429(api, poster):
    for _ in range(5):
        ok = api.post(
            _submit_url(poster.token), _anonymous(), format="json", REMOTE_ADDR="10.7.7.7"
        )
        assert ok.status_code == 201

    response = api.post(
        _submit_url(poster.token), _anonymous(), format="json", REMOTE_ADDR="10.7.7.7"
    )

    assert response.status_code == 429
    assert "12351" in response.json()["detail"] and "请" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0
    assert Appeal.objects.count() == 5


def test_a_refused_submission_counts_too(api, poster):
    for _ in range(5):
        refused = api.post(_submit_url(poster.token), {"category": "wages"}, format="json")
        assert refused.status_code == 400

    response = api.post(_submit_url(poster.token), _anonymous(), format="json")

    assert response.status_code == 429
    assert not Appeal.objects.exists()


def test_one_poster_takes_only_so_many_appeals_from_all_addresses(api, poster, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "appeal_submit_poster": "2/h"}
    for address in ("10.1.0.1", "10.1.0.2"):
        ok = api.post(_submit_url(poster.token), _anonymous(), format="json", REMOTE_ADDR=address)
        assert ok.status_code == 201

    response = api.post(
        _submit_url(poster.token), _anonymous(), format="json", REMOTE_ADDR="10.1.0.3"
    )

    assert response.status_code == 429
    assert Appeal.objects.count() == 2


def test_api_and_page_share_the_submission_limit(api, client, poster):
    page = f"/v/{poster.token}/"
    for _ in range(5):
        client.post(
            page,
            {"category": "wages", "description": "拖欠", "identity": "anonymous"},
            REMOTE_ADDR="10.8.8.8",
        )

    response = api.post(
        _submit_url(poster.token), _anonymous(), format="json", REMOTE_ADDR="10.8.8.8"
    )

    assert response.status_code == 429


def test_follow_shows_the_plain_timeline_without_staff_names(api, world, poster):
    code = api.post(_submit_url(poster.token), _anonymous(), format="json").json()["code"]
    appeal = Appeal.objects.get(code=code)
    other = submit_appeal(
        organization=poster.organization,
        category="safety_health",
        description="另一个人的事：车间粉尘太大",
        anonymous=True,
    )
    _resolved(world, appeal)

    response = api.get(_ticket_url(code))

    assert response.status_code == 200
    body = response.json()
    text = response.content.decode()
    assert body["code"] == code and body["state"] == AppealState.RESOLVED
    assert body["can_rate"] is True
    assert len(body["timeline"]) >= 4
    assert ANSWER in [message["text"] for message in body["messages"]]
    handler = world["mine"]["instructor_user"]
    assert handler.full_name not in text
    assert world["mine"]["instructor"].name not in text
    assert other.code not in text and "粉尘" not in text


def test_wrong_and_malformed_codes_get_the_same_404(api, poster):
    api.post(_submit_url(poster.token), _anonymous(), format="json")

    unknown = api.get(_ticket_url("KKK-KKK-KKK"))
    malformed = api.get(_ticket_url("nonsense"))

    assert unknown.status_code == malformed.status_code == 404
    assert unknown.content == malformed.content


def test_lookups_are_rate_limited(api, db):
    for _ in range(20):
        api.get(_ticket_url("KKK-KKK-KKK"), REMOTE_ADDR="10.6.6.6")

    response = api.get(_ticket_url("KKK-KKK-KKK"), REMOTE_ADDR="10.6.6.6")

    assert response.status_code == 429
    assert "十分钟" in response.json()["detail"]
    assert api.get(_ticket_url("KKK-KKK-KKK"), REMOTE_ADDR="10.6.6.7").status_code == 404


def test_reply_is_added_as_a_submitter_message(api, poster):
    code = api.post(_submit_url(poster.token), _anonymous(), format="json").json()["code"]

    response = api.post(_ticket_url(code, "reply"), {"text": "补充：共有十二人"}, format="json")

    assert response.status_code == 200
    assert response.json()["messages"][-1] == {
        "sender": "submitter",
        "at": response.json()["messages"][-1]["at"],
        "text": "补充：共有十二人",
    }


def test_rating_closes_a_resolved_appeal(api, world, poster):
    code = api.post(_submit_url(poster.token), _anonymous(), format="json").json()["code"]
    _resolved(world, Appeal.objects.get(code=code))

    response = api.post(_ticket_url(code, "rating"), {"satisfaction": 5}, format="json")

    assert response.status_code == 200
    assert response.json()["state"] == AppealState.CLOSED
    appeal = Appeal.objects.get(code=code)
    assert appeal.state == AppealState.CLOSED and appeal.satisfaction == 5


def test_rating_before_resolution_is_refused(api, poster):
    code = api.post(_submit_url(poster.token), _anonymous(), format="json").json()["code"]

    response = api.post(_ticket_url(code, "rating"), {"satisfaction": 5}, format="json")

    assert response.status_code == 400
    assert Appeal.objects.get(code=code).state == AppealState.RECEIVED


def test_public_endpoints_are_in_the_schema_without_authentication(db):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()

    submit = schema["paths"]["/api/public/posters/{token}/appeals/"]["post"]
    follow = schema["paths"]["/api/public/tickets/{code}/"]["get"]
    assert "/api/public/tickets/{code}/rating/" in schema["paths"]
    assert "/api/public/tickets/{code}/reply/" in schema["paths"]
    assert "security" not in schema and "security" not in submit
    assert "429" in follow["responses"] and "404" in follow["responses"]
