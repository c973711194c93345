"""An instructor's status and its login agree: set inactive, it cannot log in and its sessions
and tokens end; set active again, it logs in."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.people.conftest import log_in

HOME = reverse("core:home")
LOGIN = reverse("accounts:login")


def edit_data(instructor, **changes):
    data = {
        "name": instructor.name,
        "federation": instructor.federation.pk,
        "department": instructor.department,
        "title": instructor.title,
        "phone": instructor.phone,
        "status": instructor.status,
    }
    data.update(changes)
    return data


@pytest.fixture
def admin_client(tree):
    client = Client()
    client.force_login(tree["yuhu_admin"])
    return client


def test_inactive_instructor_is_signed_out_and_cannot_log_in(admin_client, tree):
    instructor = tree["yuhu_instructor"]
    own = Client()
    assert log_in(own, "yuhu_ins").status_code == 302
    edit = reverse("dispatch:instructor_edit", args=[instructor.pk])

    response = admin_client.post(edit, edit_data(instructor, status="inactive"))
    assert response.status_code == 302

    assert own.get(HOME).url.startswith(LOGIN)
    assert log_in(Client(), "yuhu_ins").status_code == 200  # the login form again

    instructor.refresh_from_db()
    admin_client.post(edit, edit_data(instructor, status="active"))
    assert log_in(Client(), "yuhu_ins").status_code == 302


def test_inactive_instructor_through_the_api_loses_its_token(tree):
    instructor = tree["yuhu_instructor"]
    token = Token.objects.create(user=instructor.user)
    own = APIClient()
    own.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert own.get("/api/assignments/").status_code == 200
    admin = APIClient()
    admin.force_authenticate(tree["yuhu_admin"])

    response = admin.patch(
        f"/api/instructors/{instructor.pk}/", {"status": "inactive"}, format="json"
    )
    assert response.status_code == 200

    assert own.get("/api/assignments/").status_code == 401  # an unknown token
    assert not Token.objects.filter(user=instructor.user).exists()
    instructor.user.refresh_from_db()
    assert not instructor.user.is_active
