"""The instructor checks in and out on the phone page."""

import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests import factories
from zhidao.dispatch import services as dispatch_services
from zhidao.fieldwork.models import OnSiteDay, OnSiteDayStatus
from zhidao.fieldwork.onsite import services as onsite_services

from .conftest import SITE, check_in, place

URL = reverse("fieldwork:check_in")


def _login(client, user):
    client.force_login(user)
    return client


def _post(client, world, **fields):
    data = {"client_uuid": str(uuid.uuid4()), "place": place(world), "summary": "见了工会主席"}
    data.update(fields)
    return client.post(URL, data)


def test_check_in_page_offers_the_only_place_chosen_with_a_client_id(site, client):
    response = _login(client, site["mine"]["instructor_user"]).get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-offline-form="check-in"' in html
    assert 'name="client_uuid"' in html
    assert response.context["form"]["place"].value() == place(site)
    assert 'id="id_place_0"\n checked' in html or "checked" in html.split('id="id_place_0"')[1][:40]
    assert "获取位置" in html
    assert "<script>" not in html  # no inline script (CSP)


def test_instructor_checks_in_and_one_day_is_created(site, client):
    latitude, longitude = SITE
    response = _post(
        _login(client, site["mine"]["instructor_user"]),
        site,
        latitude=str(latitude),
        longitude=str(longitude),
        accuracy_m="12.7",
    )
    day = OnSiteDay.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("fieldwork:on_site_day_detail", args=[day.pk])
    assert day.on_date == date(2026, 11, 25)
    assert day.instructor == site["mine"]["instructor"]
    assert (day.latitude, day.longitude, day.accuracy_m, day.distance_m) == (
        latitude,
        longitude,
        13,
        0,
    )
    assert day.status == OnSiteDayStatus.UNCONFIRMED
    assert day.summary == "见了工会主席"


def test_same_client_uuid_three_times_gives_one_day(site, client):
    _login(client, site["mine"]["instructor_user"])
    client_uuid = str(uuid.uuid4())
    answers = [_post(client, site, client_uuid=client_uuid) for _ in range(3)]
    day = OnSiteDay.objects.get()
    assert {answer.url for answer in answers} == {
        reverse("fieldwork:on_site_day_detail", args=[day.pk])
    }


def test_check_in_without_location_is_saved(site, client):
    _post(_login(client, site["mine"]["instructor_user"]), site)
    day = OnSiteDay.objects.get()
    assert day.latitude is None and day.distance_m is None and not day.is_far


def test_location_more_than_1_km_away_is_flagged_but_saved(site, client):
    # About 2.2 km north of the organization.
    response = _post(
        _login(client, site["mine"]["instructor_user"]),
        site,
        latitude=str(SITE[0] + Decimal("0.02")),
        longitude=str(SITE[1]),
    )
    day = OnSiteDay.objects.get()
    assert response.status_code == 302
    assert day.is_far and 2000 < day.distance_m < 2400
    detail = client.get(response.url).content.decode()
    assert "距离较远" in detail


def test_instructor_cannot_check_in_at_an_organization_outside_its_assignments(site):
    with pytest.raises(ValidationError) as caught:
        onsite_services.check_in_on_site(
            actor=site["mine"]["instructor_user"],
            client_uuid=uuid.uuid4(),
            assignment_id=site["mine"]["assignment"].pk,
            organization_id=site["other"]["organization"].pk,
        )
    assert caught.value.message_dict["organization"] == ["该两新组织不在此次派驻范围内。"]
    with pytest.raises(ValidationError) as caught:
        onsite_services.check_in_on_site(
            actor=site["mine"]["instructor_user"],
            client_uuid=uuid.uuid4(),
            assignment_id=site["other"]["assignment"].pk,
            organization_id=site["other"]["organization"].pk,
        )
    assert caught.value.message_dict["assignment"] == ["这不是您的派驻。"]
    assert not OnSiteDay.objects.exists()


def test_a_forged_place_on_the_page_is_refused_at_the_place_field(site, client):
    response = _post(
        _login(client, site["mine"]["instructor_user"]), site, place=place(site, "other")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["place"]
    assert not OnSiteDay.objects.exists()


def test_instructor_cannot_check_in_on_an_ended_assignment(site, client):
    dispatch_services.end_assignment_early(
        assignment=site["mine"]["assignment"], ended_on=date(2026, 11, 1), reason="调任"
    )
    with pytest.raises(ValidationError) as caught:
        check_in(site)
    assert caught.value.message_dict["assignment"] == ["该派驻已不在进行中，不能再记录。"]
    # The page no longer offers the ended assignment at all.
    response = _login(client, site["mine"]["instructor_user"]).get(URL)
    assert "没有进行中的派驻" in response.content.decode()


def test_union_officer_gets_403_on_the_check_in_page(site, client):
    response = _login(client, site["mine"]["officer"]).get(URL)
    assert response.status_code == 403


def test_last_used_place_is_chosen_when_there_are_several(site, client):
    second = factories.OrganizationFactory(
        federation=site["mine"]["district"], union=site["mine"]["union"]
    )
    assignment = factories.make_assignment(
        instructor=site["mine"]["instructor"],
        organizations=[second],
        batch=site["mine"]["batch"],
        starts_on=date(2026, 4, 1),
    )
    check_in(site, organization_id=second.pk, assignment_id=assignment.pk)
    response = _login(client, site["mine"]["instructor_user"]).get(URL)
    assert response.context["form"].initial["place"] == f"{assignment.pk}:{second.pk}"


def test_instructor_checks_out_and_edits_what_was_done(site, client):
    day = check_in(site)
    _login(client, site["mine"]["instructor_user"])
    detail = client.get(reverse("fieldwork:on_site_day_detail", args=[day.pk])).content.decode()
    assert 'data-offline-form="check-out"' in detail
    assert f'value="{day.client_uuid}"' in detail
    response = client.post(
        reverse("fieldwork:on_site_day_check_out", args=[day.pk]),
        {"client_uuid": str(day.client_uuid), "summary": "检查了工会经费账户"},
    )
    day.refresh_from_db()
    assert response.status_code == 302
    assert day.checked_out_at is not None
    assert day.summary == "检查了工会经费账户"


def test_confirmed_day_can_no_longer_be_edited(site):
    day = check_in(site, summary="原来的")
    onsite_services.confirm_day(actor=site["mine"]["officer"], day=day)
    with pytest.raises(ValidationError) as caught:
        onsite_services.check_out_on_site(
            actor=site["mine"]["instructor_user"], day=day, summary="改过的"
        )
    assert caught.value.message_dict["summary"] == ["该驻点已确认。"]
    day.refresh_from_db()
    assert day.summary == "原来的"
