"""Each outside channel against a local fake of its provider: what it sends (method, path,
JSON, signature), what it does with a refusal (retried with backoff, then given up), and the
user's choice of channels."""

import base64
import hashlib
import hmac
import json
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from zhidao.notifications import delivery
from zhidao.notifications.models import (
    ChannelAddress,
    ChannelPreference,
    Delivery,
    DeliveryStatus,
    KindGroup,
    NotificationKind,
)
from zhidao.notifications.services import notify, save_preferences

from .fake_http import FakeProvider

pytestmark = pytest.mark.django_db

PHONE = "13812345678"


@pytest.fixture
def provider():
    cache.clear()  # the access tokens are cached
    with FakeProvider() as fake:
        yield fake
    cache.clear()


@pytest.fixture
def person(world):
    user = world["mine"]["instructor_user"]
    user.phone = PHONE
    user.save(update_fields=["phone"])
    ChannelAddress.objects.create(user=user, wecom_userid="ouyang", dingtalk_userid="ding-007")
    return user


def only(settings, *names):
    settings.NOTIFICATION_CHANNELS = [
        "zhidao.notifications.channels.InAppChannel",
        *(f"zhidao.notifications.channels.{name}" for name in names),
    ]


def turn_on(user, channel, group=KindGroup.REPORTS):
    ChannelPreference.objects.update_or_create(
        user=user, group=group, channel=channel, defaults={"enabled": True}
    )


def send(user, key="k1", kind=NotificationKind.REPORT_RETURNED, capture=None):
    with capture(execute=True):
        return notify(
            user,
            kind=kind,
            cause_key=key,
            title="季度报告被退回",
            body="请修改后重新提交",
            link="/reports/1/",
        )


# ----- SMS -----


@pytest.fixture
def sms(settings, provider):
    only(settings, "SmsChannel")
    settings.NOTIFICATION_SMS = {
        "URL": f"{provider.url}/sms/send",
        "APP_KEY": "key-1",
        "APP_SECRET": "s3cret",
        "SIGN_NAME": "湘潭市总工会",
        "TEMPLATE_ID": "",
    }
    return provider


def test_sms_posts_the_phone_sign_name_and_text_signed_with_the_secret(
    sms, person, django_capture_on_commit_callbacks
):
    turn_on(person, "sms")
    notification = send(person, capture=django_capture_on_commit_callbacks)

    [request] = sms.to("/sms/send")
    assert request.method == "POST"
    assert request.body["phoneNumbers"] == [PHONE]
    assert request.body["signName"] == "湘潭市总工会"
    assert request.body["content"].startswith("季度报告被退回\n请修改后重新提交")
    headers = request.headers
    expected = hmac.new(
        b"s3cret",
        f"key-1\n{headers['x-timestamp']}\n{headers['x-nonce']}\n".encode() + request.raw,
        hashlib.sha256,
    ).hexdigest()
    assert headers["x-app-key"] == "key-1"
    assert headers["x-signature"] == expected
    assert notification.deliveries.get().status == DeliveryStatus.SENT


def test_sms_is_off_until_the_user_turns_it_on(sms, person, django_capture_on_commit_callbacks):
    send(person, capture=django_capture_on_commit_callbacks)
    assert sms.received == []
    assert not Delivery.objects.exists()


def test_a_refused_sms_is_retried_with_backoff_until_it_is_sent(
    sms, person, django_capture_on_commit_callbacks
):
    turn_on(person, "sms")
    sms.answer("/sms/send", (500, {"message": "busy"}), (200, {"code": "OK"}))
    start = timezone.now()
    notification = send(person, capture=django_capture_on_commit_callbacks)

    waiting = notification.deliveries.get()
    assert (waiting.status, waiting.attempts) == (DeliveryStatus.PENDING, 1)
    assert "HTTP 500" in waiting.last_error
    assert waiting.next_attempt_at == start + timedelta(minutes=delivery.BACKOFF_MINUTES[0])
    assert delivery.retry_due(start) == 0  # not due yet: nothing is sent again
    assert len(sms.to("/sms/send")) == 1

    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        assert delivery.retry_due() == 1
    waiting.refresh_from_db()
    assert (waiting.status, waiting.attempts, waiting.last_error) == (DeliveryStatus.SENT, 2, "")
    assert len(sms.to("/sms/send")) == 2


def test_a_delivery_gives_up_after_the_last_attempt(
    sms, person, django_capture_on_commit_callbacks
):
    turn_on(person, "sms")
    sms.answer("/sms/send", (200, {"code": "isv.MOBILE_NUMBER_ILLEGAL", "message": "号码无效"}))
    start = timezone.now()
    notification = send(person, capture=django_capture_on_commit_callbacks)
    moment = start
    for minutes in delivery.BACKOFF_MINUTES:
        moment += timedelta(minutes=minutes, seconds=1)
        delivery.retry_due(moment)
    failed = notification.deliveries.get()
    assert (failed.status, failed.attempts) == (DeliveryStatus.FAILED, delivery.MAX_ATTEMPTS)
    assert "MOBILE_NUMBER_ILLEGAL" in failed.last_error
    assert len(sms.to("/sms/send")) == delivery.MAX_ATTEMPTS
    assert delivery.retry_due(moment + timedelta(days=1)) == 0


def test_an_unreachable_gateway_is_a_retried_failure(
    settings, person, django_capture_on_commit_callbacks
):
    only(settings, "SmsChannel")
    settings.NOTIFICATION_SMS = {"URL": "http://127.0.0.1:9/", "APP_KEY": "k", "APP_SECRET": "s"}
    turn_on(person, "sms")
    notification = send(person, capture=django_capture_on_commit_callbacks)
    waiting = notification.deliveries.get()
    assert waiting.status == DeliveryStatus.PENDING
    assert "unreachable" in waiting.last_error


# ----- 企业微信 -----


@pytest.fixture
def wecom(settings, provider):
    only(settings, "WecomAppChannel")
    settings.NOTIFICATION_WECOM = {
        "CORP_ID": "ww-corp",
        "CORP_SECRET": "corp-secret",
        "AGENT_ID": "1000002",
        "API_BASE": provider.url,
    }
    provider.answer(
        "/cgi-bin/gettoken",
        (200, {"errcode": 0, "access_token": "TOKEN-1", "expires_in": 7200}),
    )
    return provider


def test_wecom_gets_a_token_then_sends_to_the_users_wecom_id(
    wecom, person, django_capture_on_commit_callbacks
):
    send(person, "a", capture=django_capture_on_commit_callbacks)
    send(person, "b", capture=django_capture_on_commit_callbacks)

    [token] = wecom.to("/cgi-bin/gettoken")  # the token is reused for the second message
    assert token.method == "GET"
    assert token.query == {"corpid": "ww-corp", "corpsecret": "corp-secret"}
    first, second = wecom.to("/cgi-bin/message/send")
    assert first.method == "POST"
    assert first.query == {"access_token": "TOKEN-1"}
    assert first.body["touser"] == "ouyang"
    assert first.body["agentid"] == 1000002
    assert first.body["msgtype"] == "text"
    assert first.body["text"]["content"].startswith("季度报告被退回")
    assert Delivery.objects.filter(status=DeliveryStatus.SENT, channel="wecom").count() == 2


def test_wecom_fetches_a_new_token_when_the_old_one_expired(
    wecom, person, django_capture_on_commit_callbacks
):
    cache.set("notifications:wecom:token", "OLD", 600)
    wecom.answer(
        "/cgi-bin/message/send",
        (200, {"errcode": 42001, "errmsg": "access_token expired"}),
        (200, {"errcode": 0, "errmsg": "ok"}),
    )
    notification = send(person, capture=django_capture_on_commit_callbacks)

    tokens = [request.query["access_token"] for request in wecom.to("/cgi-bin/message/send")]
    assert tokens == ["OLD", "TOKEN-1"]
    assert notification.deliveries.get().status == DeliveryStatus.SENT


def test_a_user_without_a_wecom_id_gets_no_wecom_delivery(
    wecom, world, django_capture_on_commit_callbacks
):
    send(world["mine"]["officer"], capture=django_capture_on_commit_callbacks)
    assert wecom.received == []
    assert not Delivery.objects.exists()


def test_wecom_group_robot_posts_a_text_mentioning_the_phone(
    settings, provider, person, django_capture_on_commit_callbacks
):
    only(settings, "WecomRobotChannel")
    settings.NOTIFICATION_WECOM_ROBOT = {
        "WEBHOOK_URL": f"{provider.url}/cgi-bin/webhook/send?key=robot-key"
    }
    turn_on(person, "wecom_robot")
    send(person, capture=django_capture_on_commit_callbacks)

    [request] = provider.to("/cgi-bin/webhook/send")
    assert request.method == "POST"
    assert request.query == {"key": "robot-key"}
    assert request.body["msgtype"] == "text"
    assert "季度报告被退回" in request.body["text"]["content"]
    assert request.body["text"]["mentioned_mobile_list"] == [PHONE]


# ----- 钉钉 -----


def test_dingtalk_work_notification_goes_to_the_users_dingtalk_id(
    settings, provider, person, django_capture_on_commit_callbacks
):
    only(settings, "DingtalkWorkChannel")
    settings.NOTIFICATION_DINGTALK = {
        "APP_KEY": "ding-app",
        "APP_SECRET": "ding-secret",
        "AGENT_ID": "2001",
        "API_BASE": provider.url,
    }
    provider.answer("/gettoken", (200, {"errcode": 0, "access_token": "DT", "expires_in": 7200}))
    send(person, capture=django_capture_on_commit_callbacks)

    [token] = provider.to("/gettoken")
    assert token.query == {"appkey": "ding-app", "appsecret": "ding-secret"}
    [request] = provider.to("/topapi/message/corpconversation/asyncsend_v2")
    assert request.query == {"access_token": "DT"}
    assert request.body["agent_id"] == 2001
    assert request.body["userid_list"] == "ding-007"
    assert request.body["msg"]["msgtype"] == "text"


@pytest.fixture
def ding_robot(settings, provider):
    only(settings, "DingtalkRobotChannel")
    settings.NOTIFICATION_DINGTALK_ROBOT = {
        "WEBHOOK_URL": f"{provider.url}/robot/send?access_token=robot-token",
        "SECRET": "SEC-robot",
    }
    return provider


def test_dingtalk_robot_signs_the_url_with_timestamp_and_hmac(
    ding_robot, person, django_capture_on_commit_callbacks
):
    turn_on(person, "dingtalk_robot")
    send(person, capture=django_capture_on_commit_callbacks)

    [request] = ding_robot.to("/robot/send")
    timestamp = request.query["timestamp"]
    digest = hmac.new(b"SEC-robot", f"{timestamp}\nSEC-robot".encode(), hashlib.sha256).digest()
    assert request.query["sign"] == base64.b64encode(digest).decode()
    assert request.query["access_token"] == "robot-token"
    assert abs(int(timestamp) / 1000 - timezone.now().timestamp()) < 3600
    assert request.body["msgtype"] == "markdown"
    assert request.body["markdown"]["title"] == "季度报告被退回"
    assert request.body["at"] == {"atMobiles": [PHONE], "isAtAll": False}


def test_a_dingtalk_refusal_is_recorded_with_its_errcode(
    ding_robot, person, django_capture_on_commit_callbacks
):
    turn_on(person, "dingtalk_robot")
    ding_robot.answer("/robot/send", (200, {"errcode": 310000, "errmsg": "sign not match"}))
    notification = send(person, capture=django_capture_on_commit_callbacks)
    waiting = notification.deliveries.get()
    assert waiting.status == DeliveryStatus.PENDING
    assert waiting.last_error == "errcode 310000: sign not match"


# ----- the user's choice -----


def test_the_choice_applies_per_group_of_kinds(wecom, person, django_capture_on_commit_callbacks):
    save_preferences(
        user=person,
        enabled={(KindGroup.FIELDWORK, "wecom")},
        wecom_userid="ouyang",
    )
    send(
        person,
        "report",
        kind=NotificationKind.REPORT_RETURNED,
        capture=django_capture_on_commit_callbacks,
    )
    send(
        person,
        "day",
        kind=NotificationKind.DAY_CONFIRMED,
        capture=django_capture_on_commit_callbacks,
    )

    [request] = wecom.to("/cgi-bin/message/send")
    assert Delivery.objects.get().notification.kind == NotificationKind.DAY_CONFIRMED
    assert request.body["touser"] == "ouyang"


def test_chat_ids_are_encrypted_at_rest(person):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT wecom_userid, dingtalk_userid FROM notifications_channeladdress "
            "WHERE user_id = %s",
            [person.pk],
        )
        stored = cursor.fetchone()
    assert "ouyang" not in stored[0] and "ding-007" not in stored[1]
    assert ChannelAddress.objects.get(user=person).wecom_userid == "ouyang"


def test_a_webhook_url_must_be_http(settings, person, django_capture_on_commit_callbacks):
    only(settings, "WecomRobotChannel")
    settings.NOTIFICATION_WECOM_ROBOT = {"WEBHOOK_URL": "file:///etc/passwd"}
    turn_on(person, "wecom_robot")
    notification = send(person, capture=django_capture_on_commit_callbacks)
    assert "not an HTTP URL" in notification.deliveries.get().last_error


def test_payloads_are_json_with_chinese_kept(sms, person, django_capture_on_commit_callbacks):
    turn_on(person, "sms")
    send(person, capture=django_capture_on_commit_callbacks)
    [request] = sms.to("/sms/send")
    assert "季度报告".encode() in request.raw
    assert json.loads(request.raw) == request.body
