"""Rate limits on django-ratelimit's atomic counters: the API's default throttles by user and by
address, a Chinese 429, and no request slipping through between a check and a count."""

import threading

import pytest
from django.test import RequestFactory
from rest_framework.test import APIClient

from tests import factories
from zhidao.core.ratelimits import hash_address, over_limit

pytestmark = pytest.mark.django_db


def test_the_api_refuses_the_request_over_the_users_rate_with_a_chinese_429(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "user": "3/m"}
    me, other = APIClient(), APIClient()
    me.force_authenticate(factories.UserFactory())
    other.force_authenticate(factories.UserFactory())
    for _ in range(3):
        assert me.get("/api/notifications/").status_code == 200

    refused = me.get("/api/notifications/")

    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("请求过于频繁，请稍后再试。")
    assert "秒后可再试" in refused.json()["detail"]
    assert 0 < int(refused["Retry-After"]) <= 60
    assert other.get("/api/notifications/").status_code == 200


def test_requests_without_an_account_are_counted_by_address(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "anon": "2/m"}
    client = APIClient()
    for _ in range(2):
        assert client.get("/api/docs/", REMOTE_ADDR="10.3.3.3").status_code == 200

    assert client.get("/api/docs/", REMOTE_ADDR="10.3.3.3").status_code == 429
    assert client.get("/api/docs/", REMOTE_ADDR="10.3.3.4").status_code == 200


def test_a_forwarded_for_header_does_not_pick_a_fresh_counter(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "anon": "1/m"}
    client = APIClient()
    client.get("/api/docs/", REMOTE_ADDR="10.3.3.5")

    response = client.get("/api/docs/", REMOTE_ADDR="10.3.3.5", HTTP_X_FORWARDED_FOR="1.2.3.4")

    assert response.status_code == 429


def test_parallel_requests_get_exactly_the_rate(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "burst": "5/m"}
    request = RequestFactory().post("/")
    ident = hash_address("10.4.4.4")
    start = threading.Barrier(20)
    refused = []

    def attempt():
        start.wait()
        refused.append(over_limit(request, "burst", ident))

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert refused.count(False) == 5 and refused.count(True) == 15


def test_a_scope_without_a_rate_is_not_limited():
    request = RequestFactory().get("/")
    assert not any(over_limit(request, "no-such-scope", "someone") for _ in range(100))


def test_counter_keys_hold_no_address():
    assert hash_address("10.5.5.5") != hash_address("10.5.5.6")
    assert "10.5.5.5" not in hash_address("10.5.5.5")
