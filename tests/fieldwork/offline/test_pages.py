"""The service worker, the offline fallback page, the queued-items page and the shell partial."""

import pytest
from django.urls import reverse

from .conftest import client_for

pytestmark = pytest.mark.django_db


def test_service_worker_may_control_the_whole_site_and_is_not_cached(client):
    answer = client.get(reverse("fieldwork:service_worker"))
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/javascript")
    assert answer["Service-Worker-Allowed"] == "/"
    assert answer["Cache-Control"] == "no-cache"
    body = answer.content.decode()
    assert "/static/core/css/app.css" in body
    assert reverse("fieldwork:offline_page") in body


def test_offline_page_is_chinese_and_carries_no_personal_data(world):
    user = world["mine"]["instructor_user"]
    answer = client_for(user).get(reverse("fieldwork:offline_page"))
    text = answer.content.decode()
    assert answer.status_code == 200
    assert "没有网络" in text
    assert user.username not in text
    assert "<script" not in text


def test_queue_page_needs_login(client):
    answer = client.get(reverse("fieldwork:offline_queue"))
    assert answer.status_code == 302
    assert "/accounts/login/" in answer["Location"]


def test_logged_in_pages_carry_the_queue_settings_and_indicator(world):
    user = world["mine"]["instructor_user"]
    text = client_for(user).get(reverse("fieldwork:offline_queue")).content.decode()
    assert f'data-user="{user.pk}"' in text
    assert reverse("api:work-record-list") in text
    assert reverse("api:csrf") in text
    assert "fieldwork/offline/queue.js" in text
    assert "data-offline-indicator hidden" in text
    assert "待同步" in text


def test_login_page_tells_the_queue_nobody_is_logged_in(client):
    text = client.get(reverse("accounts:login")).content.decode()
    assert 'data-user=""' in text


def test_service_worker_keeps_the_instructors_offline_pages_at_install(client):
    body = client.get(reverse("fieldwork:service_worker")).content.decode()
    for name in ("fieldwork:check_in", "fieldwork:work_record_create", "fieldwork:offline_queue"):
        assert f'"{reverse(name)}"' in body
    assert f'"{reverse("fieldwork:offline_page")}?stored=1"' in body


def test_offline_page_after_a_stored_save_says_it_arrived(world):
    client = client_for(world["mine"]["instructor_user"])
    stored = client.get(reverse("fieldwork:offline_page"), {"stored": "1"}).content.decode()
    plain = client.get(reverse("fieldwork:offline_page")).content.decode()
    assert "已保存到服务器，请勿重复提交" in stored
    assert "本机此前没有打开过这个页面" not in stored
    assert "已保存到服务器" not in plain
    assert "本机此前没有打开过这个页面" in plain
    assert "<script" not in stored
