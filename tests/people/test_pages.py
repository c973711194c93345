"""The account pages as an admin uses them: the list of its subtree, creating an account with a
one-time password, granting and revoking, deactivating, resetting and unlocking."""

import io
import re
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories
from tests.people.conftest import log_in
from zhidao.accounts.models import Role, User
from zhidao.audit.models import AccessEvent, AccessEventKind

LIST = reverse("people:account_list")
HOME = reverse("core:home")
LOGIN = reverse("accounts:login")


def detail_url(account) -> str:
    return reverse("people:account_detail", args=[account.pk])


@pytest.fixture
def yuhu_client(client, tree):
    client.force_login(tree["yuhu_admin"])
    return client


def test_list_shows_the_district_accounts_only(yuhu_client, tree):
    page = yuhu_client.get(LIST).content.decode()
    assert "yuhu_officer" in page
    assert "yuhu_ins" in page
    assert "yuetang_officer" not in page
    assert "other_admin" not in page
    assert "雨湖测试工会" in page  # the officer's scope


def test_list_filters_by_role(client, tree):
    client.force_login(tree["city_admin"])
    response = client.get(LIST, {"role": Role.UNION_OFFICER})
    listed = {row.account.username for row in response.context["rows"]}
    assert listed == {"yuhu_officer", "yuetang_officer"}


def test_list_filters_by_federation_subtree(client, tree):
    client.force_login(tree["city_admin"])
    response = client.get(LIST, {"federation": tree["yuetang"].pk})
    assert {row.account.username for row in response.context["rows"]} == {"yuetang_officer"}


def test_list_filters_by_active_state(yuhu_client, tree):
    officer = tree["yuhu_officer"]
    officer.is_active = False
    officer.save()
    response = yuhu_client.get(LIST, {"active": "false"})
    assert [row.account.username for row in response.context["rows"]] == ["yuhu_officer"]


def test_search_by_the_phones_last_digits(yuhu_client, tree):
    officer = tree["yuhu_officer"]
    officer.phone = "13907315678"
    officer.save()
    response = yuhu_client.get(LIST, {"q": "5678"})
    assert [row.account.username for row in response.context["rows"]] == ["yuhu_officer"]
    response = yuhu_client.get(LIST, {"q": "测试不存在"})
    assert list(response.context["rows"]) == []


def test_list_costs_the_same_queries_for_more_rows(client, tree):
    client.force_login(tree["city_admin"])
    client.get(LIST)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for number in range(10):
        factories.union_officer(tree["yuetang_union"], username=f"extra{number}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert len(response.context["rows"]) == 16
    assert len(many) == len(few)


def test_another_districts_account_is_a_404(yuhu_client, tree):
    assert yuhu_client.get(detail_url(tree["yuetang_officer"])).status_code == 404
    deactivate = reverse("people:account_deactivate", args=[tree["yuetang_officer"].pk])
    assert yuhu_client.post(deactivate).status_code == 404
    tree["yuetang_officer"].refresh_from_db()
    assert tree["yuetang_officer"].is_active


def test_an_account_with_a_role_elsewhere_is_read_only(yuhu_client, tree):
    officer = tree["yuhu_officer"]
    factories.grant(officer, Role.FEDERATION_LEADER, federation=tree["yuetang"])
    page = yuhu_client.get(detail_url(officer))
    assert page.status_code == 200
    assert "只读" in page.content.decode()
    edit = yuhu_client.get(reverse("people:account_edit", args=[officer.pk]))
    assert edit.status_code == 403


def test_leader_and_officer_cannot_open_the_list(client, tree):
    client.force_login(tree["yuhu_officer"])
    assert client.get(LIST).status_code == 403


def test_admin_creates_a_union_officer_and_sees_the_password_once(yuhu_client, tree):
    response = yuhu_client.post(
        reverse("people:account_create"),
        {
            "username": "chair_wang",
            "full_name": "王主席",
            "phone": "",
            "role": Role.UNION_OFFICER,
            "union": tree["yuhu_union"].pk,
        },
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = response.context["password"]
    assert password in response.content.decode()
    account = User.objects.get(username="chair_wang")
    assert account.role_grants.get().union == tree["yuhu_union"]
    # The detail page never shows it again.
    assert password not in yuhu_client.get(detail_url(account)).content.decode()


def test_create_offers_no_union_outside_the_district(yuhu_client, tree):
    response = yuhu_client.post(
        reverse("people:account_create"),
        {
            "username": "chair_li",
            "full_name": "李主席",
            "role": Role.UNION_OFFICER,
            "union": tree["yuetang_union"].pk,
        },
    )
    assert response.status_code == 200
    assert "union" in response.context["form"].errors
    assert not User.objects.filter(username="chair_li").exists()


def test_one_time_password_logs_in_once_and_forces_a_change(yuhu_client, tree):
    client = Client()
    response = yuhu_client.post(
        reverse("people:account_reset_password", args=[tree["yuhu_officer"].pk])
    )
    password = response.context["password"]
    assert log_in(client, "yuhu_officer", password).status_code == 302
    # Every page sends the account to the password change first.
    forced = client.get(HOME)
    assert forced.status_code == 302 and forced.url == reverse("accounts:password_change")
    new_password = "Own#Choice2026x"
    changed = client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": new_password, "new_password2": new_password},
    )
    assert changed.status_code == 302
    assert client.get(HOME).status_code == 200
    client.post(reverse("accounts:logout"))
    # The one-time password is spent: only the new one works.
    assert log_in(client, "yuhu_officer", password).status_code == 200
    assert log_in(client, "yuhu_officer", new_password).status_code == 302


def test_deactivation_ends_a_logged_in_session(yuhu_client, tree):
    officer_client = Client()
    assert log_in(officer_client, "yuhu_officer").status_code == 302
    assert officer_client.get(HOME).status_code == 200

    response = yuhu_client.post(
        reverse("people:account_deactivate", args=[tree["yuhu_officer"].pk])
    )
    assert response.status_code == 302

    next_request = officer_client.get(HOME)
    assert next_request.status_code == 302 and next_request.url.startswith(LOGIN)
    # And it cannot log in again until reactivated.
    assert log_in(Client(), "yuhu_officer").status_code == 200
    yuhu_client.post(reverse("people:account_reactivate", args=[tree["yuhu_officer"].pk]))
    assert log_in(Client(), "yuhu_officer").status_code == 302


def test_reset_password_ends_a_logged_in_session(yuhu_client, tree):
    officer_client = Client()
    log_in(officer_client, "yuhu_officer")
    yuhu_client.post(reverse("people:account_reset_password", args=[tree["yuhu_officer"].pk]))
    assert officer_client.get(HOME).url.startswith(LOGIN)


def test_unlock_lets_a_locked_username_log_in_again(yuhu_client, tree):
    locked = Client()
    for _ in range(5):
        log_in(locked, "yuhu_officer", "wrong-password")
    assert log_in(locked, "yuhu_officer").status_code == 429
    page = yuhu_client.get(detail_url(tree["yuhu_officer"])).content.decode()
    assert "已锁定" in page

    response = yuhu_client.post(reverse("people:account_unlock", args=[tree["yuhu_officer"].pk]))
    assert response.status_code == 302

    assert log_in(locked, "yuhu_officer").status_code == 302
    assert AccessEvent.objects.filter(
        kind=AccessEventKind.ACCOUNT_UNLOCKED, user=tree["yuhu_admin"]
    ).exists()


def test_grant_and_revoke_through_the_page(yuhu_client, tree):
    officer = tree["yuhu_officer"]
    response = yuhu_client.post(
        reverse("people:account_grant", args=[officer.pk]),
        {"role": Role.FEDERATION_LEADER, "federation": tree["yuhu"].pk},
    )
    assert response.status_code == 302
    grant = officer.role_grants.get(role=Role.FEDERATION_LEADER)
    yuhu_client.post(reverse("people:account_revoke", args=[officer.pk, grant.pk]))
    assert not officer.role_grants.filter(role=Role.FEDERATION_LEADER).exists()


def test_granting_above_the_district_is_refused_on_the_page(yuhu_client, tree):
    officer = tree["yuhu_officer"]
    response = yuhu_client.post(
        reverse("people:account_grant", args=[officer.pk]),
        {"role": Role.FEDERATION_ADMIN, "federation": tree["city"].pk},
    )
    assert response.status_code == 200
    assert "federation" in response.context["grant_form"].errors
    assert list(officer.role_grants.values_list("role", flat=True)) == [Role.UNION_OFFICER]


def test_edit_saves_name_and_phone(yuhu_client, tree):
    officer = tree["yuhu_officer"]
    response = yuhu_client.post(
        reverse("people:account_edit", args=[officer.pk]),
        {"full_name": "雨湖主席", "phone": "+86 139-0731-1234"},
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert (officer.full_name, officer.phone) == ("雨湖主席", "13907311234")


def test_export_has_a_chinese_file_name_and_the_listed_rows(client, tree):
    client.force_login(tree["city_admin"])
    response = client.get(reverse("people:account_export"), {"role": Role.UNION_OFFICER})
    disposition = response["Content-Disposition"]
    assert re.search(r'filename="accounts_\d{8}\.xlsx"', disposition)
    encoded = re.search(r"filename\*=UTF-8''(\S+)", disposition).group(1)
    assert re.fullmatch(r"账号_湘潭市总工会_\d{8}\.xlsx", unquote(encoded))
    sheet = load_workbook(io.BytesIO(response.content)).active
    usernames = sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert usernames == ["yuetang_officer", "yuhu_officer"]
    assert AccessEvent.objects.filter(kind=AccessEventKind.EXPORT, user=tree["city_admin"]).exists()
