"""The rules of account administration, asked of the services directly."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests import factories
from zhidao.accounts.models import Role, RoleGrant, User
from zhidao.audit.models import AccessEvent, AccessEventKind
from zhidao.people import selectors, services


def usernames(queryset) -> set[str]:
    return set(queryset.values_list("username", flat=True))


def test_district_admin_sees_only_the_accounts_of_its_district(tree):
    seen = usernames(selectors.accounts_visible_to(tree["yuhu_admin"]))
    assert seen == {"yuhu_admin", "yuhu_officer", "yuhu_ins"}


def test_city_admin_sees_its_whole_subtree_and_not_the_other_city(tree):
    seen = usernames(selectors.accounts_visible_to(tree["city_admin"]))
    assert seen == {
        "city_admin",
        "yuhu_admin",
        "yuhu_officer",
        "yuetang_officer",
        "yuhu_ins",
        "rights",
    }


def test_superusers_are_never_listed_or_managed(tree):
    root = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    factories.grant(root, Role.FEDERATION_ADMIN, federation=tree["yuhu"])
    assert "root" not in usernames(selectors.accounts_visible_to(tree["city_admin"]))
    with pytest.raises(PermissionDenied):
        services.deactivate_account(actor=tree["city_admin"], account=root)


def test_account_with_a_role_elsewhere_is_visible_but_not_managed(tree):
    officer = tree["yuhu_officer"]
    factories.grant(officer, Role.FEDERATION_LEADER, federation=tree["yuetang"])
    admin = tree["yuhu_admin"]
    assert "yuhu_officer" in usernames(selectors.accounts_visible_to(admin))
    assert "yuhu_officer" not in usernames(selectors.accounts_managed_by(admin))
    # The city admin above both manages it.
    assert "yuhu_officer" in usernames(selectors.accounts_managed_by(tree["city_admin"]))
    with pytest.raises(PermissionDenied):
        services.update_account(actor=admin, account=officer, full_name="改名")
    with pytest.raises(PermissionDenied):
        services.reset_password(actor=admin, account=officer)


def test_instructor_of_another_federation_is_not_managed(tree):
    # An officer of 雨湖 who is also an instructor of 岳塘.
    officer = tree["yuhu_officer"]
    factories.InstructorFactory(name="兼职指导员", federation=tree["yuetang"], user=officer)
    assert "yuhu_officer" not in usernames(selectors.accounts_managed_by(tree["yuhu_admin"]))


def test_district_admin_cannot_create_an_account_outside_its_district(tree):
    with pytest.raises(PermissionDenied):
        services.create_account(
            actor=tree["yuhu_admin"],
            username="yt_chair",
            full_name="岳塘主席",
            role=Role.UNION_OFFICER,
            union=tree["yuetang_union"],
        )
    assert not User.objects.filter(username="yt_chair").exists()


def test_district_admin_cannot_grant_a_scope_above_its_own(tree):
    with pytest.raises(PermissionDenied):
        services.grant_role(
            actor=tree["yuhu_admin"],
            account=tree["yuhu_officer"],
            role=Role.FEDERATION_ADMIN,
            federation=tree["city"],
        )
    assert not tree["yuhu_officer"].role_grants.filter(role=Role.FEDERATION_ADMIN).exists()


def test_district_admin_creates_an_admin_of_its_own_federation(tree):
    account, password = services.create_account(
        actor=tree["yuhu_admin"],
        username="yuhu_admin2",
        full_name="雨湖管理员二",
        phone="139 0731 5678",
        role=Role.FEDERATION_ADMIN,
        federation=tree["yuhu"],
    )
    account.refresh_from_db()
    assert account.must_change_password
    assert account.check_password(password)
    assert account.phone == "13907315678"
    assert account.phone_suffix == "5678"
    assert list(account.role_grants.values_list("role", "federation")) == [
        (Role.FEDERATION_ADMIN, tree["yuhu"].pk)
    ]


def test_a_wrong_phone_is_refused_at_the_phone(tree):
    with pytest.raises(ValidationError) as error:
        services.create_account(
            actor=tree["yuhu_admin"],
            username="x1",
            full_name="某人",
            phone="12345",
            role=Role.FEDERATION_LEADER,
            federation=tree["yuhu"],
        )
    assert "phone" in error.value.message_dict


def test_non_admins_manage_nothing(tree):
    assert not selectors.accounts_visible_to(tree["rights"]).exists()
    with pytest.raises(PermissionDenied):
        services.create_account(
            actor=tree["rights"],
            username="x2",
            full_name="某人",
            role=Role.FEDERATION_LEADER,
            federation=tree["city"],
        )


def test_instructor_role_is_not_granted_here(tree):
    with pytest.raises(ValidationError):
        services.grant_role(
            actor=tree["city_admin"], account=tree["yuhu_officer"], role=Role.INSTRUCTOR
        )


def test_admin_cannot_revoke_its_own_last_admin_role(tree):
    admin = tree["yuhu_admin"]
    factories.grant(admin, Role.FEDERATION_LEADER, federation=tree["yuhu"])
    grant = admin.role_grants.get(role=Role.FEDERATION_ADMIN)
    with pytest.raises(ValidationError):
        services.revoke_role(actor=admin, grant=grant)
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


def test_the_only_role_of_an_account_is_not_revoked(tree):
    grant = tree["yuhu_officer"].role_grants.get()
    with pytest.raises(ValidationError):
        services.revoke_role(actor=tree["yuhu_admin"], grant=grant)


def test_revoking_a_second_role_keeps_the_first(tree):
    officer = tree["yuhu_officer"]
    extra = services.grant_role(
        actor=tree["yuhu_admin"],
        account=officer,
        role=Role.FEDERATION_LEADER,
        federation=tree["yuhu"],
    )
    services.revoke_role(actor=tree["yuhu_admin"], grant=extra)
    assert list(officer.role_grants.values_list("role", flat=True)) == [Role.UNION_OFFICER]


def test_admin_cannot_deactivate_itself(tree):
    with pytest.raises(ValidationError):
        services.deactivate_account(actor=tree["yuhu_admin"], account=tree["yuhu_admin"])
    tree["yuhu_admin"].refresh_from_db()
    assert tree["yuhu_admin"].is_active


def test_deactivating_an_instructors_account_makes_the_instructor_inactive(tree):
    instructor = tree["yuhu_instructor"]
    services.deactivate_account(actor=tree["yuhu_admin"], account=instructor.user)
    instructor.refresh_from_db()
    assert instructor.status == "inactive"
    services.reactivate_account(actor=tree["yuhu_admin"], account=instructor.user)
    instructor.refresh_from_db()
    instructor.user.refresh_from_db()
    assert instructor.status == "active"
    assert instructor.user.is_active


def test_every_act_is_recorded_with_its_actor(tree):
    admin, officer = tree["yuhu_admin"], tree["yuhu_officer"]
    account, _password = services.create_account(
        actor=admin,
        username="new_one",
        full_name="新人",
        role=Role.FEDERATION_LEADER,
        federation=tree["yuhu"],
    )
    services.update_account(actor=admin, account=officer, full_name="新名字")
    grant = services.grant_role(
        actor=admin, account=officer, role=Role.RIGHTS_STAFF, federation=tree["yuhu"]
    )
    services.revoke_role(actor=admin, grant=grant)
    services.deactivate_account(actor=admin, account=officer)
    services.reactivate_account(actor=admin, account=officer)
    services.reset_password(actor=admin, account=officer)
    services.unlock_account(actor=admin, account=officer)
    events = AccessEvent.objects.filter(user=admin).order_by("created_at", "id")
    assert [event.kind for event in events] == [
        AccessEventKind.ACCOUNT_CREATED,
        AccessEventKind.ACCOUNT_CHANGED,
        AccessEventKind.ROLE_GRANTED,
        AccessEventKind.ROLE_REVOKED,
        AccessEventKind.ACCOUNT_DISABLED,
        AccessEventKind.ACCOUNT_ENABLED,
        AccessEventKind.PASSWORD_RESET,
        AccessEventKind.ACCOUNT_UNLOCKED,
    ]
    assert "new_one" in events[0].detail
    assert all("yuhu_officer" in event.detail for event in events[1:])
    assert {event.username for event in events} == {"yuhu_admin"}


def test_the_audit_log_records_the_change_without_the_password_hash(tree):
    from auditlog.models import LogEntry

    officer = tree["yuhu_officer"]
    services.reset_password(actor=tree["yuhu_admin"], account=officer)
    entry = LogEntry.objects.get_for_object(officer).latest("timestamp")
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    assert "password" in changes
    assert officer.password not in str(entry.changes)
