"""The union officer confirms or disputes a day, from its account or with a face-to-face code."""

import uuid
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests import factories
from zhidao.fieldwork.models import (
    ConfirmationCode,
    ConfirmationMethod,
    OnSiteDay,
    OnSiteDayStatus,
)
from zhidao.fieldwork.onsite import services as onsite_services

from .conftest import NOW, check_in, place

CONFIRMATIONS = reverse("fieldwork:officer_confirmations")


def _confirm_url(day):
    return reverse("fieldwork:on_site_day_confirm", args=[day.pk])


def _dispute_url(day):
    return reverse("fieldwork:on_site_day_dispute", args=[day.pk])


def _code(world, side="mine") -> ConfirmationCode:
    return onsite_services.issue_confirmation_code(
        officer=world[side]["officer"], union=world[side]["union"]
    )


def test_officer_sees_the_unconfirmed_days_of_its_union_only(world, client):
    mine, other = check_in(world), check_in(world, "other")
    client.force_login(world["mine"]["officer"])
    response = client.get(CONFIRMATIONS)
    shown = list(response.context["page_obj"])
    assert shown == [mine] and other not in shown
    assert "生成验证码" in response.content.decode()


def test_officer_confirms_a_day_and_actor_and_time_are_recorded(world, client):
    day = check_in(world)
    client.force_login(world["mine"]["officer"])
    response = client.post(_confirm_url(day))
    day.refresh_from_db()
    assert response.status_code == 302
    assert day.status == OnSiteDayStatus.CONFIRMED
    assert day.confirmation_method == ConfirmationMethod.OFFICER_ACCOUNT
    assert day.confirmed_by == world["mine"]["officer"]
    assert day.confirmed_at == NOW


def test_dispute_needs_a_reason(world, client):
    day = check_in(world)
    client.force_login(world["mine"]["officer"])
    response = client.post(_dispute_url(day), {"reason": "  "})
    day.refresh_from_db()
    assert response.status_code == 200
    assert "请填写异议理由" in response.content.decode()
    assert day.status == OnSiteDayStatus.UNCONFIRMED


def test_officer_disputes_a_day_with_a_reason(world, client):
    day = check_in(world)
    client.force_login(world["mine"]["officer"])
    client.post(_dispute_url(day), {"reason": "当天厂区停工，没有见到指导员"})
    day.refresh_from_db()
    assert day.status == OnSiteDayStatus.DISPUTED
    assert day.dispute_reason == "当天厂区停工，没有见到指导员"
    assert (day.disputed_by, day.disputed_at) == (world["mine"]["officer"], NOW)


def test_a_confirmed_day_cannot_be_disputed_or_confirmed_again(world, client):
    day = check_in(world)
    onsite_services.confirm_day(actor=world["mine"]["officer"], day=day)
    client.force_login(world["mine"]["officer"])
    client.post(_dispute_url(day), {"reason": "点错了"})
    response = client.post(_confirm_url(day), follow=True)
    day.refresh_from_db()
    assert day.status == OnSiteDayStatus.CONFIRMED and day.dispute_reason == ""
    assert "该驻点已确认。" in response.content.decode()


def test_a_disputed_day_cannot_be_confirmed_by_another_click(world):
    day = check_in(world)
    onsite_services.dispute_day(actor=world["mine"]["officer"], day=day, reason="没来")
    with pytest.raises(ValidationError, match="该驻点已被提出异议。"):
        onsite_services.confirm_day(actor=world["mine"]["officer"], day=day)


def test_officer_of_another_union_gets_404_confirming_a_day_not_theirs(world, client):
    day = check_in(world)
    client.force_login(world["other"]["officer"])
    assert client.post(_confirm_url(day)).status_code == 404
    assert client.post(_dispute_url(day), {"reason": "不认识"}).status_code == 404
    day.refresh_from_db()
    assert day.status == OnSiteDayStatus.UNCONFIRMED


def test_instructor_cannot_confirm_its_own_day(world, client):
    day = check_in(world)
    client.force_login(world["mine"]["instructor_user"])
    assert client.post(_confirm_url(day)).status_code == 403


# ----- face-to-face code -----


def test_officer_generates_a_six_digit_code_valid_for_the_configured_minutes(
    world, client, settings
):
    client.force_login(world["mine"]["officer"])
    client.post(reverse("fieldwork:officer_issue_code", args=[world["mine"]["union"].pk]))
    code = ConfirmationCode.objects.get()
    assert len(code.code) == 6 and code.code.isdigit()
    assert code.expires_at == NOW + timedelta(minutes=settings.FIELDWORK_CODE_VALID_MINUTES)
    page = client.get(CONFIRMATIONS).content.decode()
    assert code.code[:3] in page and code.code[3:] in page
    assert "生成新的验证码" in page


def test_a_new_code_replaces_the_previous_one(world):
    first = _code(world)
    second = _code(world)
    day = check_in(world)
    with pytest.raises(ValidationError, match="已过期"):
        onsite_services.confirm_with_code(
            actor=world["mine"]["instructor_user"], day=day, code=first.code
        )
    if first.code != second.code:
        onsite_services.confirm_with_code(
            actor=world["mine"]["instructor_user"], day=day, code=second.code
        )
        day.refresh_from_db()
        assert day.status == OnSiteDayStatus.CONFIRMED


def test_valid_code_at_check_in_confirms_the_day(world, client):
    code = _code(world)
    client.force_login(world["mine"]["instructor_user"])
    client.post(
        reverse("fieldwork:check_in"),
        {"client_uuid": str(uuid.uuid4()), "place": place(world), "code": code.code},
    )
    day = OnSiteDay.objects.get()
    code.refresh_from_db()
    assert day.status == OnSiteDayStatus.CONFIRMED
    assert day.confirmation_method == ConfirmationMethod.FACE_TO_FACE_CODE
    assert day.confirmed_by == world["mine"]["officer"]
    assert (code.used_at, code.used_for) == (NOW, day)


def test_wrong_code_is_refused_at_the_code_field_and_nothing_is_saved(world, client):
    code = _code(world)
    wrong = f"{(int(code.code) + 1) % 1_000_000:06d}"
    client.force_login(world["mine"]["instructor_user"])
    response = client.post(
        reverse("fieldwork:check_in"),
        {
            "client_uuid": str(uuid.uuid4()),
            "place": place(world),
            "code": wrong,
            "summary": "座谈",
        },
    )
    form = response.context["form"]
    assert response.status_code == 200
    assert form.errors["code"] == ["验证码不正确，请向工会干部核对其手机上显示的验证码。"]
    assert form["summary"].value() == "座谈"
    assert not OnSiteDay.objects.exists()


def test_another_unions_code_does_not_confirm(world):
    code = _code(world, "other")
    day = check_in(world)
    with pytest.raises(ValidationError, match="验证码不正确"):
        onsite_services.confirm_with_code(
            actor=world["mine"]["instructor_user"], day=day, code=code.code
        )


def test_expired_code_is_refused(world, time_machine, settings):
    code = _code(world)
    day = check_in(world)
    time_machine.move_to(NOW + timedelta(minutes=settings.FIELDWORK_CODE_VALID_MINUTES, seconds=1))
    with pytest.raises(ValidationError) as caught:
        onsite_services.confirm_with_code(
            actor=world["mine"]["instructor_user"], day=day, code=code.code
        )
    assert caught.value.message_dict["code"] == ["该验证码已过期，请工会干部生成新的验证码。"]


def test_a_code_confirms_once_only(world):
    code = _code(world)
    first = check_in(world)
    onsite_services.confirm_with_code(
        actor=world["mine"]["instructor_user"], day=first, code=code.code
    )
    # A second organization of the same union, on another assignment of the same instructor.
    neighbour = factories.OrganizationFactory(
        federation=world["mine"]["district"], union=world["mine"]["union"]
    )
    assignment = factories.make_assignment(
        instructor=world["mine"]["instructor"],
        organizations=[neighbour],
        batch=world["mine"]["batch"],
        starts_on=date(2026, 4, 1),
    )
    second = check_in(world, assignment_id=assignment.pk, organization_id=neighbour.pk)
    with pytest.raises(ValidationError, match="已使用过"):
        onsite_services.confirm_with_code(
            actor=world["mine"]["instructor_user"], day=second, code=code.code
        )
    code.refresh_from_db()
    assert code.used_for == first


def test_instructor_confirms_later_on_the_day_page_with_a_code(world, client):
    day = check_in(world)
    code = _code(world)
    client.force_login(world["mine"]["instructor_user"])
    response = client.post(
        reverse("fieldwork:on_site_day_confirm_code", args=[day.pk]), {"code": code.code}
    )
    day.refresh_from_db()
    assert response.status_code == 302
    assert day.status == OnSiteDayStatus.CONFIRMED
    detail = client.get(response.url).content.decode()
    assert "当面验证码确认" in detail


def test_officer_of_another_union_gets_404_on_the_code_button_of_a_union_not_theirs(world, client):
    client.force_login(world["other"]["officer"])
    response = client.post(
        reverse("fieldwork:officer_issue_code", args=[world["mine"]["union"].pk])
    )
    assert response.status_code == 404
    assert not ConfirmationCode.objects.exists()
