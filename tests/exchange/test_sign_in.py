import time_machine
from django.urls import reverse

from zhidao.exchange.models import Attendance, Audience

from .conftest import make_event


def _sign_in_url(event):
    return reverse("exchange:sign_in", args=[event.sign_in_token])


def test_opening_the_sign_in_url_signs_the_instructor_in(world, client, during):
    event = make_event(world["mine"])
    client.force_login(world["mine"]["instructor_user"])
    response = client.get(_sign_in_url(event))
    assert response.status_code == 200
    assert "签到成功" in response.content.decode()
    assert Attendance.objects.filter(event=event, user=world["mine"]["instructor_user"]).exists()


def test_second_scan_says_already_signed_in_and_keeps_one_attendance(world, client, during):
    event = make_event(world["mine"])
    client.force_login(world["mine"]["instructor_user"])
    client.get(_sign_in_url(event))
    response = client.get(_sign_in_url(event))
    assert "您已签到" in response.content.decode()
    assert Attendance.objects.filter(event=event).count() == 1


def test_sign_in_is_refused_before_the_window_opens(world, client):
    with time_machine.travel("2026-11-25 13:00:00 +08:00", tick=False):
        event = make_event(world["mine"])
        client.force_login(world["mine"]["instructor_user"])
        response = client.get(_sign_in_url(event))
    assert response.status_code == 400
    assert "签到尚未开始" in response.content.decode()
    assert not Attendance.objects.exists()


def test_sign_in_opens_thirty_minutes_before_the_start(world, client):
    with time_machine.travel("2026-11-25 13:31:00 +08:00", tick=False):
        event = make_event(world["mine"])
        client.force_login(world["mine"]["instructor_user"])
        response = client.get(_sign_in_url(event))
    assert response.status_code == 200
    assert Attendance.objects.count() == 1


def test_sign_in_is_refused_after_the_end(world, client):
    with time_machine.travel("2026-11-25 16:01:00 +08:00", tick=False):
        event = make_event(world["mine"])
        client.force_login(world["mine"]["instructor_user"])
        response = client.get(_sign_in_url(event))
    assert response.status_code == 400
    assert "签到已关闭" in response.content.decode()
    assert not Attendance.objects.exists()


def test_officer_is_refused_at_an_instructors_only_lecture(world, client, during):
    event = make_event(world["mine"], audience=Audience.INSTRUCTORS)
    client.force_login(world["mine"]["officer"])
    response = client.get(_sign_in_url(event))
    assert response.status_code == 403
    assert "不面向您" in response.content.decode()
    assert not Attendance.objects.exists()


def test_officer_signs_in_at_an_event_for_officers(world, client, during):
    event = make_event(world["mine"], audience=Audience.OFFICERS)
    client.force_login(world["mine"]["officer"])
    assert client.get(_sign_in_url(event)).status_code == 200
    assert Attendance.objects.filter(user=world["mine"]["officer"]).exists()


def test_another_federations_instructor_is_refused(world, client, during):
    event = make_event(world["mine"])
    client.force_login(world["other"]["instructor_user"])
    response = client.get(_sign_in_url(event))
    assert response.status_code == 403
    assert not Attendance.objects.exists()


def test_an_unknown_token_is_refused(world, client, during):
    client.force_login(world["mine"]["instructor_user"])
    response = client.get(reverse("exchange:sign_in", args=["not-a-token"]))
    assert response.status_code == 400
    assert "签到码无效" in response.content.decode()


def test_anonymous_scan_goes_to_login_and_back(world, client, during):
    event = make_event(world["mine"])
    response = client.get(_sign_in_url(event))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert event.sign_in_token in response["Location"]


def test_admin_sees_the_qr_code_and_the_attendance_export(world, client, during):
    event = make_event(world["mine"])
    client.force_login(world["mine"]["instructor_user"])
    client.get(_sign_in_url(event))
    client.force_login(world["mine"]["admin"])
    page = client.get(reverse("exchange:event_detail", args=[event.pk])).content.decode()
    assert "<svg" in page and event.sign_in_token in page
    export = client.get(reverse("exchange:attendance_export", args=[event.pk]))
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(reverse("exchange:event_qr", args=[event.pk]))["Content-Type"] == "image/png"


def test_instructor_does_not_see_the_qr_code(world, client, during):
    event = make_event(world["mine"])
    client.force_login(world["mine"]["instructor_user"])
    page = client.get(reverse("exchange:event_detail", args=[event.pk])).content.decode()
    assert event.sign_in_token not in page
    assert client.get(reverse("exchange:event_qr", args=[event.pk])).status_code == 403
