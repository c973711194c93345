"""Batch pages: create and edit with the one-year default term and clear date errors."""

from datetime import date

import pytest
from django.urls import reverse

from tests import factories
from zhidao.dispatch.models import Batch

CREATE_URL = reverse("dispatch:batch_create")


@pytest.fixture
def admin_client(client, world):
    client.force_login(world["mine"]["admin"])
    return client


def batch_data(world, **overrides):
    data = {
        "name": "第二期",
        "year": 2027,
        "federation": world["mine"]["city"].pk,
        "starts_on": "2027-03-01",
        "ends_on": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_admin_creates_a_batch_ending_one_year_after_its_start(admin_client, world):
    response = admin_client.post(CREATE_URL, batch_data(world))
    batch = Batch.objects.get(name="第二期")
    assert response["Location"] == reverse("dispatch:batch_detail", args=[batch.pk])
    assert batch.ends_on == date(2028, 2, 29)


def test_batch_end_before_start_is_refused_at_the_end_date(admin_client, world):
    response = admin_client.post(CREATE_URL, batch_data(world, ends_on="2027-01-01"))
    assert response.context["form"].errors["ends_on"] == ["结束日期不能早于开始日期。"]
    assert 'value="第二期"' in response.content.decode()
    assert not Batch.objects.filter(name="第二期").exists()


def test_batch_name_must_be_unique_in_its_federation(admin_client, world):
    response = admin_client.post(CREATE_URL, batch_data(world, name=world["mine"]["batch"].name))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Batch.objects.filter(name=world["mine"]["batch"].name).count() == 1


def test_admin_cannot_create_a_batch_in_another_federation(admin_client, world):
    response = admin_client.post(
        CREATE_URL, batch_data(world, federation=world["other"]["city"].pk)
    )
    assert "federation" in response.context["form"].errors


def test_admin_edits_a_batch(admin_client, world):
    batch = world["mine"]["batch"]
    response = admin_client.post(
        reverse("dispatch:batch_edit", args=[batch.pk]),
        batch_data(world, name="第一期（2026）", year=2026, starts_on="2026-03-01"),
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.name == "第一期（2026）"
    assert batch.ends_on == date(2027, 2, 28)


def test_batch_list_counts_assignments(admin_client, world):
    factories.make_assignment(
        instructor=factories.InstructorFactory(federation=world["mine"]["city"]),
        organizations=[world["mine"]["organization"]],
        batch=world["mine"]["batch"],
        starts_on=date(2027, 3, 1),
    )
    response = admin_client.get(reverse("dispatch:batch_list"))
    (batch,) = response.context["page_obj"]
    assert batch.assignment_count == 2
    assert batch.active_assignment_count == 1


def test_union_officer_counts_only_the_assignments_it_can_see(client, world):
    elsewhere = factories.OrganizationFactory(federation=world["mine"]["district"])
    factories.make_assignment(
        instructor=factories.InstructorFactory(federation=world["mine"]["city"]),
        organizations=[elsewhere],
        batch=world["mine"]["batch"],
    )
    client.force_login(world["mine"]["officer"])
    (batch,) = client.get(reverse("dispatch:batch_list")).context["page_obj"]
    assert batch.assignment_count == 1


def test_batch_detail_lists_its_assignments(admin_client, world):
    batch = world["mine"]["batch"]
    content = admin_client.get(reverse("dispatch:batch_detail", args=[batch.pk])).content
    assert world["mine"]["instructor"].name in content.decode()
