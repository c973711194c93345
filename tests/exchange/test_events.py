from datetime import date, time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhidao.exchange import selectors, services
from zhidao.exchange.models import Audience, Registration
from zhidao.figures.statistics import participation_by_person

from .conftest import make_event


def test_event_list_query_count_does_not_grow(world, client, during):
    mine = world["mine"]
    make_event(mine)
    client.force_login(mine["instructor_user"])
    url = reverse("exchange:event_list")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for number in range(29):
        make_event(mine, title=f"活动{number}", held_on=date(2026, 12, 1 + number % 28))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 30
    assert len(many) == len(one)


def test_officer_does_not_see_an_instructors_only_event(world, during):
    event = make_event(world["mine"], audience=Audience.INSTRUCTORS)
    assert event not in selectors.events_visible_to(world["mine"]["officer"])
    assert event in selectors.events_visible_to(world["mine"]["instructor_user"])


def test_another_federation_gets_404_on_the_event(world, client, during):
    event = make_event(world["mine"])
    client.force_login(world["other"]["admin"])
    assert client.get(reverse("exchange:event_detail", args=[event.pk])).status_code == 404
    assert client.get(reverse("exchange:event_edit", args=[event.pk])).status_code == 404


def test_instructor_cannot_open_the_event_create_page(world, client):
    client.force_login(world["mine"]["instructor_user"])
    assert client.get(reverse("exchange:event_create")).status_code == 403


def test_admin_creates_an_event_and_a_bad_time_is_shown_at_its_field(world, client, during):
    mine = world["mine"]
    client.force_login(mine["admin"])
    data = {
        "title": "实地观摩",
        "kind": "site_visit",
        "federation": mine["city"].pk,
        "held_on": "2026-12-02",
        "starts_at": "15:00",
        "ends_at": "14:00",
        "place": "吉利",
        "audience": "both",
    }
    response = client.post(reverse("exchange:event_create"), data)
    assert response.status_code == 200
    assert "结束时间必须晚于开始时间" in response.content.decode()
    assert "请选择承办实地观摩的基层工会" in response.content.decode()
    data.update(ends_at="17:00", host_union=mine["union"].pk)
    response = client.post(reverse("exchange:event_create"), data)
    assert response.status_code == 302


def test_registration_and_cancel_before_the_start(world, client):
    import time_machine

    with time_machine.travel("2026-11-25 09:00:00 +08:00", tick=False):
        event = make_event(world["mine"])
        user = world["mine"]["instructor_user"]
        client.force_login(user)
        client.post(reverse("exchange:event_register", args=[event.pk]))
        assert Registration.objects.filter(event=event, user=user).exists()
        client.post(reverse("exchange:event_register", args=[event.pk]), {"cancel": "1"})
        assert not Registration.objects.filter(event=event, user=user).exists()


def test_registration_is_closed_after_the_start(world, during):
    event = make_event(world["mine"])
    import pytest

    with pytest.raises(services.ValidationError):
        services.register(event=event, user=world["mine"]["instructor_user"])


def test_participation_statistics_count_sign_ins_by_kind(world, client, during):
    mine = world["mine"]
    event = make_event(mine, starts_at=time(14, 0))
    services.sign_in(token=event.sign_in_token, user=mine["instructor_user"])
    person = participation_by_person(selectors.events_administered_by(mine["admin"])).get()
    assert (person.attended_total, person.attended_lecture, person.attended_online) == (1, 1, 0)
    client.force_login(mine["admin"])
    response = client.get(reverse("figures:exchange_statistics"))
    assert response.status_code == 200
    (row,) = response.context["federations"]
    assert (row["events"], row["registered"], row["walk_ins"]) == (1, 0, 1)  # not registered
    assert str(row["attendance"]) == "—"  # nobody registered: no rate, never 150 %
