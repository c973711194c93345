"""The user's notification settings page, and the admin's page of failed deliveries."""

import pytest
from django.urls import reverse

from zhidao.notifications.models import (
    ChannelAddress,
    ChannelPreference,
    Delivery,
    DeliveryStatus,
    KindGroup,
    Notification,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def wecom_on(settings):
    settings.NOTIFICATION_WECOM = {
        "CORP_ID": "ww",
        "CORP_SECRET": "s",
        "AGENT_ID": "1",
        "API_BASE": "http://127.0.0.1:9",
    }


def test_the_settings_page_lists_every_group_and_greys_out_channels_not_set_up(client, world):
    client.force_login(world["mine"]["instructor_user"])
    page = client.get(reverse("notifications:preferences")).content.decode()
    for label in ("季度报告", "驻点与问题整改", "职工诉求", "企业微信", "钉钉", "短信"):
        assert label in page
    assert "企业微信：本平台尚未开通" in page
    assert 'name="pref-reports-wecom" disabled' in page


def test_saving_the_settings_stores_the_choice_and_the_encrypted_wecom_id(client, world, wecom_on):
    user = world["mine"]["instructor_user"]
    client.force_login(user)
    response = client.post(
        reverse("notifications:preferences"),
        {"pref-fieldwork-wecom": "on", "wecom_userid": " ouyang ", "dingtalk_userid": ""},
    )
    assert response.status_code == 302
    wanted = dict(
        ChannelPreference.objects.filter(user=user, channel="wecom").values_list("group", "enabled")
    )
    assert wanted == {group: group == KindGroup.FIELDWORK for group in KindGroup.values}
    assert ChannelAddress.objects.get(user=user).wecom_userid == "ouyang"
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'name="pref-fieldwork-wecom" checked' in page
    assert 'name="pref-reports-wecom">' in page.replace("\n", "").replace("  ", "")


def failed(user, title="季度报告被退回"):
    notification = Notification.objects.create(
        recipient=user, kind="report_returned", cause_key=f"t-{user.pk}", title=title
    )
    return Delivery.objects.create(
        notification=notification,
        channel="wecom",
        status=DeliveryStatus.FAILED,
        attempts=6,
        last_error="errcode 60111: userid not found",
    )


def test_an_admin_sees_the_failed_deliveries_of_its_subtree_only(client, world):
    mine, other = world["mine"], world["other"]
    failed(mine["officer"], "湘潭的通知")  # an officer of a union of the district below
    failed(mine["instructor_user"], "湘潭指导员的通知")
    failed(other["instructor_user"], "株洲的通知")
    client.force_login(mine["admin"])
    page = client.get(reverse("notifications:failed_deliveries")).content.decode()
    assert "湘潭的通知" in page and "湘潭指导员的通知" in page
    assert "株洲的通知" not in page
    assert "userid not found" in page


def test_retrying_sends_the_delivery_again_with_a_fresh_count(
    client, world, wecom_on, django_capture_on_commit_callbacks
):
    delivery = failed(world["mine"]["instructor_user"])
    ChannelAddress.objects.create(user=world["mine"]["instructor_user"], wecom_userid="x")
    client.force_login(world["mine"]["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:retry_delivery", args=[delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    # The fake address refuses again: one new attempt, waiting for the next.
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert "unreachable" in delivery.last_error


def test_another_federations_admin_cannot_retry(client, world):
    delivery = failed(world["mine"]["instructor_user"])
    client.force_login(world["other"]["admin"])
    response = client.post(reverse("notifications:retry_delivery", args=[delivery.pk]))
    assert response.status_code == 404
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED


def test_the_failed_deliveries_page_is_for_admins(client, world):
    client.force_login(world["mine"]["instructor_user"])
    assert client.get(reverse("notifications:failed_deliveries")).status_code == 403
