"""Instructor pages: creating the instructor with its account, the phone kept secret."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from tests import factories
from zhidao.accounts.models import User
from zhidao.accounts.scope import scope_of
from zhidao.dispatch.models import Instructor

CREATE_URL = reverse("dispatch:instructor_create")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def password_error(response, code):
    """The password field's error with the given validator code (the message is translated)."""
    errors = response.context["form"].errors.as_data()["password"]
    matching = [error for error in errors if error.code == code]
    assert matching, [(error.code, error.messages) for error in errors]
    return matching[0]


def create_data(world, **overrides):
    data = {
        "name": "李华",
        "username": "lihua",
        "password": "Strong#Pass2026",
        "federation": world["mine"]["city"].pk,
        "department": "基层工作部",
        "title": "副部长",
        "phone": "139 0731 5678",
        "status": "active",
    }
    data.update(overrides)
    return data


@pytest.fixture
def admin_client(client, world):
    client.force_login(world["mine"]["admin"])
    return client


def test_admin_creates_instructor_with_login_account(admin_client, world):
    response = admin_client.post(CREATE_URL, create_data(world))
    instructor = Instructor.objects.get(name="李华")
    assert response.status_code == 302
    assert response["Location"] == reverse("dispatch:instructor_detail", args=[instructor.pk])
    assert instructor.user.username == "lihua"
    assert instructor.user.full_name == "李华"
    assert instructor.user.must_change_password is True
    assert instructor.phone == "13907315678"


def test_created_instructor_can_log_in_and_holds_the_instructor_role(client, world):
    client.force_login(world["mine"]["admin"])
    client.post(CREATE_URL, create_data(world))
    client.logout()
    response = client.post(
        reverse("accounts:login"), {"username": "lihua", "password": "Strong#Pass2026"}
    )
    assert response.status_code == 302
    user = User.objects.get(username="lihua")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert scope_of(user).is_instructor
    assert scope_of(user).instructor_id == Instructor.objects.get(user=user).pk


def test_instructor_creation_rejects_a_weak_password_and_keeps_typed_values(admin_client, world):
    response = admin_client.post(CREATE_URL, create_data(world, password="abcdefgh"))
    assert response.status_code == 200
    error = password_error(response, "password_too_simple")
    assert CHINESE.search(error.messages[0]), error.messages
    content = response.content.decode()
    assert 'value="李华"' in content
    assert 'value="lihua"' in content
    assert 'value="基层工作部"' in content
    assert not Instructor.objects.filter(name="李华").exists()
    assert not User.objects.filter(username="lihua").exists()


def test_instructor_creation_rejects_a_short_password_in_chinese(admin_client, world):
    response = admin_client.post(CREATE_URL, create_data(world, password="Ab1!"))
    error = password_error(response, "password_too_short")
    assert CHINESE.search(error.messages[0]), error.messages


def test_instructor_creation_rejects_the_username_as_password(admin_client, world):
    response = admin_client.post(
        CREATE_URL, create_data(world, username="ZhangSan2026", password="ZhangSan2026")
    )
    password_error(response, "password_is_username")
    assert not User.objects.filter(username="ZhangSan2026").exists()


def test_instructor_creation_rejects_a_taken_username(admin_client, world):
    taken = world["mine"]["leader"].username
    response = admin_client.post(CREATE_URL, create_data(world, username=taken))
    assert response.context["form"].errors["username"]
    assert not Instructor.objects.filter(name="李华").exists()


def test_instructor_creation_rejects_an_invalid_phone_in_chinese(admin_client, world):
    response = admin_client.post(CREATE_URL, create_data(world, phone="12345"))
    errors = response.context["form"].errors["phone"]
    assert "手机" in errors[0]
    assert not Instructor.objects.filter(name="李华").exists()


def test_instructor_creation_accepts_a_landline_with_area_code(admin_client, world):
    admin_client.post(CREATE_URL, create_data(world, phone="0731-58581234"))
    assert Instructor.objects.get(name="李华").phone == "073158581234"


def test_admin_cannot_create_an_instructor_in_another_federation(admin_client, world):
    response = admin_client.post(
        CREATE_URL, create_data(world, federation=world["other"]["city"].pk)
    )
    assert "federation" in response.context["form"].errors
    assert not Instructor.objects.filter(name="李华").exists()


def test_instructor_phone_is_stored_encrypted(world):
    instructor = world["mine"]["instructor"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM dispatch_instructor WHERE id = %s", [instructor.pk])
        (raw,) = cursor.fetchone()
    assert raw
    assert "13812341234" not in raw
    assert "1234" not in raw[:4]
    assert Instructor.objects.get(pk=instructor.pk).phone == "13812341234"


@pytest.mark.parametrize("role", ["admin", "leader", "instructor_user", "officer"])
def test_instructor_phone_is_masked_on_list_and_detail(client, world, role):
    client.force_login(world["mine"][role])
    instructor = world["mine"]["instructor"]
    pages = [
        reverse("dispatch:instructor_list"),
        reverse("dispatch:instructor_detail", args=[instructor.pk]),
        reverse("dispatch:assignment_detail", args=[world["mine"]["assignment"].pk]),
    ]
    for url in pages:
        content = client.get(url).content.decode()
        assert "138****1234" in content, url
        assert "13812341234" not in content, url


def test_admin_edit_form_shows_the_phone_in_clear(admin_client, world):
    instructor = world["mine"]["instructor"]
    content = admin_client.get(
        reverse("dispatch:instructor_edit", args=[instructor.pk])
    ).content.decode()
    assert 'value="13812341234"' in content


def test_admin_edits_an_instructor(admin_client, world):
    instructor = world["mine"]["instructor"]
    response = admin_client.post(
        reverse("dispatch:instructor_edit", args=[instructor.pk]),
        {
            "name": "湘潭指导员甲",
            "federation": world["mine"]["district"].pk,
            "department": "权益保障部",
            "title": "部长",
            "phone": "13900001111",
            "status": "inactive",
        },
    )
    assert response.status_code == 302
    instructor.refresh_from_db()
    assert instructor.name == "湘潭指导员甲"
    assert instructor.federation == world["mine"]["district"]
    assert instructor.phone == "13900001111"
    assert instructor.status == "inactive"
    assert User.objects.get(pk=instructor.user_id).full_name == "湘潭指导员甲"


def test_instructor_list_filters_by_department_and_status(admin_client, world):
    other_department = factories.InstructorFactory(
        name="王五", federation=world["mine"]["city"], department="宣教部"
    )
    url = reverse("dispatch:instructor_list")
    content = admin_client.get(url, {"department": "宣教部"}).content.decode()
    assert reverse("dispatch:instructor_detail", args=[other_department.pk]) in content
    assert world["mine"]["instructor"].name not in content.split("<tbody>")[1]
    content = admin_client.get(url, {"status": "inactive"}).content.decode()
    assert "王五" not in content.split("<tbody>")[1]


def test_instructor_list_filters_by_federation_subtree(admin_client, world):
    district_instructor = factories.InstructorFactory(
        name="赵六", federation=world["mine"]["district"]
    )
    url = reverse("dispatch:instructor_list")
    rows = admin_client.get(url, {"federation": world["mine"]["district"].pk}).content.decode()
    assert "赵六" in rows
    assert world["mine"]["instructor"].name not in rows.split("<tbody>")[1]
    rows = admin_client.get(url, {"federation": world["mine"]["city"].pk}).content.decode()
    assert "赵六" in rows and world["mine"]["instructor"].name in rows
    assert district_instructor.pk


def test_instructor_list_counts_active_assignments(admin_client, world):
    response = admin_client.get(reverse("dispatch:instructor_list"))
    row = next(i for i in response.context["page_obj"] if i == world["mine"]["instructor"])
    assert row.active_assignment_count == 1


def test_instructor_sees_only_itself_in_the_list(client, world):
    colleague = factories.InstructorFactory(name="同事", federation=world["mine"]["city"])
    client.force_login(world["mine"]["instructor_user"])
    content = client.get(reverse("dispatch:instructor_list")).content.decode()
    assert world["mine"]["instructor"].name in content
    assert reverse("dispatch:instructor_detail", args=[colleague.pk]) not in content


def test_instructor_detail_lists_its_assignments(client, world):
    client.force_login(world["mine"]["leader"])
    instructor = world["mine"]["instructor"]
    content = client.get(reverse("dispatch:instructor_detail", args=[instructor.pk])).content
    content = content.decode()
    assert reverse("dispatch:assignment_detail", args=[world["mine"]["assignment"].pk]) in content
    assert world["mine"]["organization"].name in content
    assert world["mine"]["batch"].name in content


def test_instructor_creation_shows_password_and_phone_errors_together(admin_client, world):
    response = admin_client.post(CREATE_URL, create_data(world, password="abcdefgh", phone="1"))
    errors = response.context["form"].errors
    assert "password" in errors
    assert "phone" in errors


def test_union_officer_sees_only_instructors_assigned_to_its_union(client, world):
    unassigned = factories.InstructorFactory(name="未派驻", federation=world["mine"]["city"])
    client.force_login(world["mine"]["officer"])
    content = client.get(reverse("dispatch:instructor_list")).content.decode()
    assert reverse("dispatch:instructor_detail", args=[world["mine"]["instructor"].pk]) in content
    assert reverse("dispatch:instructor_detail", args=[unassigned.pk]) not in content
    detail = reverse("dispatch:instructor_detail", args=[unassigned.pk])
    assert client.get(detail).status_code == 404


def test_opening_the_edit_form_with_the_clear_phone_is_audited(client, world):
    from zhidao.audit.models import AccessEvent, AccessEventKind

    admin = world["mine"]["admin"]
    instructor = world["mine"]["instructor"]
    client.force_login(admin)
    response = client.get(f"/dispatch/instructors/{instructor.pk}/edit/")
    assert response.status_code == 200
    event = AccessEvent.objects.get(kind=AccessEventKind.UNMASKED_VIEW)
    assert event.user == admin
    assert str(instructor.pk) in event.detail
