"""Every create, update and delete is logged with actor, time, IP and the changed fields."""

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry

from tests import factories
from tests.accounts.helpers import post_password_change
from zhidao.dispatch import services as dispatch_services
from zhidao.orgs import services as org_services
from zhidao.orgs.models import Organization

ADDRESS = "10.12.0.8"


def entries_for(instance):
    return LogEntry.objects.get_for_object(instance).order_by("timestamp", "id")


@pytest.fixture
def admin_context(world):
    admin = world["mine"]["admin"]
    with set_actor(admin, remote_addr=ADDRESS):
        yield admin


def test_creating_an_organization_is_logged_with_actor_and_address(world, admin_context):
    organization = org_services.create_organization(
        name="湘潭新材料科技有限公司",
        credit_code=factories.credit_code(),
        kind="new_economic",
        sub_kind="private_enterprise",
        industry="C",
        federation=world["mine"]["district"],
    )
    (entry,) = entries_for(organization)
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == admin_context
    assert entry.remote_addr == ADDRESS
    assert entry.timestamp is not None
    assert entry.changes_dict["name"] == ["None", "湘潭新材料科技有限公司"]


def test_updating_an_organization_logs_only_the_changed_fields(world, admin_context):
    organization = world["mine"]["organization"]
    old_name = organization.name
    org_services.update_organization(organization=organization, name="湘潭改名有限公司")
    entry = entries_for(organization).last()
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == admin_context
    assert entry.remote_addr == ADDRESS
    assert entry.changes_dict["name"] == [old_name, "湘潭改名有限公司"]
    assert "credit_code" not in entry.changes_dict


def test_deleting_an_organization_is_logged(world, admin_context):
    organization = factories.OrganizationFactory(federation=world["mine"]["district"])
    pk = organization.pk
    organization.delete()
    entry = LogEntry.objects.filter(object_pk=str(pk), content_type__model="organization").latest(
        "timestamp"
    )
    assert entry.action == LogEntry.Action.DELETE
    assert entry.actor == admin_context
    assert entry.remote_addr == ADDRESS
    assert not Organization.objects.filter(pk=pk).exists()


def test_instructor_phone_is_masked_in_the_log(world, admin_context):
    instructor = world["mine"]["instructor"]
    dispatch_services.update_instructor(instructor=instructor, phone="13907321234")
    entry = entries_for(instructor).last()
    assert entry.changes_dict["phone"] == ["138****1234", "139****1234"]
    assert "13907321234" not in str(entry.changes)
    assert "13812341234" not in str(entry.changes)


def test_password_hash_never_reaches_the_log(world, admin_context):
    user = world["mine"]["leader"]
    user.set_password("Another#Pass2027")
    user.save()
    entry = entries_for(user).last()
    assert entry.changes_dict["password"] == ["******", "******"]
    assert user.password not in str(entry.changes)


def test_password_change_page_logs_the_user_update_with_actor_and_address(client, db):
    user = factories.UserFactory(username="zhaoliu")
    client.force_login(user)
    response = post_password_change(client, "Xiangtan#2027", REMOTE_ADDR="10.20.30.40")
    assert response.status_code == 302
    entry = entries_for(user).last()
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == user
    assert entry.remote_addr == "10.20.30.40"
    assert "password" in entry.changes_dict


def test_a_forwarded_for_header_cannot_choose_the_logged_address(client, db):
    user = factories.UserFactory(username="sunqi")
    client.force_login(user)
    post_password_change(
        client, "Xiangtan#2027", REMOTE_ADDR="10.20.30.41", HTTP_X_FORWARDED_FOR="1.2.3.4"
    )
    assert entries_for(user).last().remote_addr == "10.20.30.41"


def test_foreign_keys_without_a_verbose_name_are_labelled_by_the_related_model(world):
    from zhidao.audit.display import describe_entries

    admin = world["mine"]["admin"]
    with set_actor(admin, remote_addr=ADDRESS):
        grant = factories.grant(
            factories.UserFactory(full_name="新领导"),
            "federation_leader",
            federation=world["mine"]["city"],
        )
    (row,) = describe_entries(entries_for(grant))
    labels = {line.label: line.new for line in row.changes}
    assert labels["用户"] == "新领导"
    assert labels["角色"] == "工会领导"
    assert labels["工会"] == world["mine"]["city"].name
