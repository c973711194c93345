import io
import math
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from PIL import Image

from zhidao.appeals import public_forms
from zhidao.appeals.models import (
    TICKET_ALPHABET,
    TICKET_LENGTH,
    Appeal,
    AppealState,
    PosterToken,
    new_ticket_code,
)
from zhidao.appeals.public_services import purge_ip_hashes, submit_appeal

from .conftest import NOW


def _url(poster):
    return reverse("appeals_public:appeal", args=[poster.token])


def _anonymous(**extra):
    return {
        "category": "wages",
        "description": "三个月没发工资了",
        "identity": "anonymous",
        **extra,
    }


def _png(size=(40, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format="PNG")
    return buffer.getvalue()


def test_ticket_codes_have_at_least_40_bits_of_entropy():
    assert set("0O1IL").isdisjoint(TICKET_ALPHABET)
    assert TICKET_LENGTH * math.log2(len(TICKET_ALPHABET)) >= 40


def test_a_thousand_ticket_codes_are_unique_and_readable():
    codes = {new_ticket_code() for _ in range(1000)}
    assert len(codes) == 1000
    assert all(set(code.replace("-", "")) <= set(TICKET_ALPHABET) for code in codes)


def test_poster_token_is_long_and_not_the_database_id(poster):
    assert len(poster.token) >= 32
    assert str(poster.organization_id) != poster.token


def test_public_page_shows_organization_and_instructor(client, world, poster):
    response = client.get(_url(poster))
    assert response.status_code == 200
    text = response.content.decode()
    assert world["mine"]["organization"].name in text
    assert world["mine"]["instructor"].name in text
    assert len(response.content) < 50_000
    assert "<script" not in text


def test_anonymous_appeal_stores_no_contact_and_no_raw_ip(client, world, poster):
    response = client.post(
        _url(poster), _anonymous(name="张三", phone="13812345678"), REMOTE_ADDR="10.1.2.3"
    )
    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert appeal.code in response["Location"]
    assert appeal.anonymous and appeal.submitter_name == "" and appeal.submitter_phone == ""
    assert appeal.consent_at is None
    assert appeal.ip_hash and "10.1.2.3" not in appeal.ip_hash
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM appeals_appeal")
        row = " ".join(str(value) for value in cursor.fetchone())
    assert "10.1.2.3" not in row and "13812345678" not in row
    assert appeal.accept_due is not None and appeal.resolve_due is not None


def test_named_appeal_contact_is_encrypted_at_rest(client, poster):
    client.post(
        _url(poster),
        _anonymous(identity="named", name="李四", phone="13812345678", consent="on"),
    )
    appeal = Appeal.objects.get()
    assert appeal.submitter_phone == "13812345678"
    with connection.cursor() as cursor:
        cursor.execute("SELECT submitter_name, submitter_phone FROM appeals_appeal")
        name, phone = cursor.fetchone()
    assert "13812345678" not in phone and "李四" not in name


def test_named_appeal_without_consent_is_refused_with_the_text_kept(client, poster):
    response = client.post(
        _url(poster), _anonymous(identity="named", name="李四", phone="13812345678")
    )
    assert response.status_code == 200
    assert Appeal.objects.count() == 0
    text = response.content.decode()
    assert "三个月没发工资了" in text
    assert "同意" in text


def test_rate_limit_gives_a_chinese_429_page_with_the_text_kept(client, poster):
    for _ in range(5):
        client.post(_url(poster), _anonymous(), REMOTE_ADDR="10.9.9.9")
    response = client.post(
        _url(poster), _anonymous(description="第六次提交的内容"), REMOTE_ADDR="10.9.9.9"
    )
    assert response.status_code == 429
    text = response.content.decode()
    assert "第六次提交的内容" in text
    assert "12351" in text and "稍后" in text
    assert Appeal.objects.count() == 5


def test_fake_image_upload_is_rejected_with_a_message(client, poster):
    fake = SimpleUploadedFile("photo.jpg", b"not really a picture", content_type="image/jpeg")
    response = client.post(_url(poster), {**_anonymous(), "photos": [fake]})
    assert response.status_code == 200
    assert Appeal.objects.count() == 0
    assert "不是图片" in response.content.decode() or "照片" in response.content.decode()


def test_oversize_photo_is_rejected_with_a_message(client, poster, monkeypatch):
    monkeypatch.setattr(public_forms, "PHOTO_MAX_BYTES", 1024 * 1024)
    big = SimpleUploadedFile("big.png", _png() + b"\0" * (1024 * 1024 + 10), "image/png")
    response = client.post(_url(poster), {**_anonymous(), "photos": [big]})
    assert response.status_code == 200
    assert Appeal.objects.count() == 0
    assert "MB" in response.content.decode()


def test_real_photo_is_kept(client, poster, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photo = SimpleUploadedFile("p.png", _png(), "image/png")
    client.post(_url(poster), {**_anonymous(), "photos": [photo]})
    assert Appeal.objects.get().photos.count() == 1


def test_following_with_a_wrong_code_shows_nothing_like_a_malformed_one(client, world, poster):
    submit_appeal(
        organization=world["mine"]["organization"],
        category="wages",
        description="秘密内容",
        anonymous=True,
    )
    unknown = client.get(reverse("appeals_public:ticket", args=["ABC-DEF-GHJ"]))
    malformed = client.get(reverse("appeals_public:ticket", args=["nonsense!"]))
    assert unknown.status_code == malformed.status_code == 404
    assert unknown.content == malformed.content
    assert "秘密内容" not in unknown.content.decode()
    assert "未找到" in unknown.content.decode()


def test_following_by_code_shows_the_public_timeline(client, world):
    appeal = submit_appeal(
        organization=world["mine"]["organization"],
        category="wages",
        description="工资拖欠",
        anonymous=True,
    )
    response = client.get(reverse("appeals_public:ticket_lookup"), {"code": appeal.code.lower()})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "工资拖欠" in page and "已收到" in page


def test_ticket_lookups_are_rate_limited(client, db):
    for _ in range(20):
        client.get(reverse("appeals_public:ticket_lookup"), {"code": "ABC-DEF-GHJ"})
    response = client.get(reverse("appeals_public:ticket_lookup"), {"code": "ABC-DEF-GHJ"})
    assert response.status_code == 429


def test_submitter_rates_a_resolved_appeal_which_closes_it(client, world):
    appeal = submit_appeal(
        organization=world["mine"]["organization"],
        category="wages",
        description="工资拖欠",
        anonymous=True,
    )
    Appeal.objects.filter(pk=appeal.pk).update(state=AppealState.RESOLVED)
    url = reverse("appeals_public:ticket", args=[appeal.code])
    client.post(url, {"action": "rate", "satisfaction": "5", "comment": "很好"})
    appeal.refresh_from_db()
    assert appeal.state == AppealState.CLOSED and appeal.satisfaction == 5


def test_rotated_token_shows_the_friendly_retired_page(client, world, poster):
    admin = world["mine"]["admin"]
    client.force_login(admin)
    org = world["mine"]["organization"]
    client.post(reverse("appeals_public:rotate", args=[org.pk]))
    client.logout()
    response = client.get(_url(poster))
    assert response.status_code == 410
    assert "此二维码已更换" in response.content.decode()
    assert "12351" in response.content.decode()
    assert PosterToken.objects.filter(organization=org, active=True).count() == 1


def test_instructor_cannot_rotate_the_token(client, world, poster):
    client.force_login(world["mine"]["instructor_user"])
    org = world["mine"]["organization"]
    response = client.post(reverse("appeals_public:rotate", args=[org.pk]))
    assert response.status_code == 403


def test_other_scope_admin_gets_404_on_the_poster_page(client, world):
    client.force_login(world["other"]["admin"])
    org = world["mine"]["organization"]
    assert client.get(reverse("appeals_public:poster", args=[org.pk])).status_code == 404


@pytest.mark.parametrize("kind,content_type", [("pdf", "application/pdf"), ("png", "image/png")])
def test_poster_files_are_generated(client, world, kind, content_type):
    client.force_login(world["mine"]["instructor_user"])
    org = world["mine"]["organization"]
    response = client.get(reverse("appeals_public:poster_file", args=[org.pk, kind]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert len(response.content) > 10_000
    if kind == "png":
        image = Image.open(io.BytesIO(response.content))
        assert abs(image.height / image.width - 297 / 210) < 0.01
    else:
        assert response.content.startswith(b"%PDF")


def test_ip_hashes_are_purged_after_30_days(world):
    appeal = submit_appeal(
        organization=world["mine"]["organization"],
        category="wages",
        description="x",
        anonymous=True,
        ip="10.0.0.1",
    )
    assert purge_ip_hashes(now=NOW + timedelta(days=29)) == 0
    assert purge_ip_hashes(now=NOW + timedelta(days=31)) == 1
    appeal.refresh_from_db()
    assert appeal.ip_hash is None


def test_staff_entry_from_the_hotline_needs_no_consent_and_keeps_the_channel(world):
    appeal = submit_appeal(
        organization=world["mine"]["organization"],
        category="social_insurance",
        description="电话反映社保未缴",
        anonymous=False,
        name="王五",
        phone="13900000000",
        channel="hotline_12351",
        by=world["mine"]["admin"],
    )
    assert appeal.channel == "hotline_12351" and appeal.ip_hash is None
