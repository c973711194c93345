"""The superuser's first-run page: from an empty database to a federation tree and its admin."""

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory, federation_admin, make_federation
from zhidao.accounts.models import Role, RoleGrant, User
from zhidao.orgs.models import Federation

pytestmark = pytest.mark.django_db

SETUP = reverse("orgs:setup")
DONE = reverse("orgs:setup_done")
XIANGTAN_NAMES = {
    "name_430300": "湘潭市总工会",
    "name_430302": "雨湖区总工会",
    "name_430304": "岳塘区总工会",
    "name_430321": "湘潭县总工会",
    "name_430381": "湘乡市总工会",
    "name_430382": "韶山市总工会",
}


@pytest.fixture
def superuser():
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def confirm(client, **changes):
    data = {"division": "430300", "admin_username": "xt_admin", **XIANGTAN_NAMES, **changes}
    return client.post(SETUP, data)


def test_the_superuser_is_taken_to_the_setup_page_after_login(client, superuser):
    response = client.post(
        reverse("accounts:login"), {"username": "root", "password": TEST_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == SETUP
    page = response.content.decode()
    assert "建立工会组织" in page and "湖南省" in page


def test_choosing_a_province_offers_its_cities_and_the_whole_province(client, superuser):
    client.force_login(superuser)
    page = client.get(SETUP, {"province": "430000"}).content.decode()
    assert "整个省：湖南省总工会" in page
    assert '<option value="430300">湘潭市</option>' in page
    assert "name_430300" not in page  # no tree before a city is chosen


def test_choosing_a_city_previews_its_tree_with_the_derived_names(client, superuser):
    client.force_login(superuser)
    page = client.get(SETUP, {"province": "430000", "city": "430300"}).content.decode()
    for field, name in XIANGTAN_NAMES.items():
        assert f'name="{field}"' in page and f'value="{name}"' in page
    assert "将建立的 6 个工会" in page
    assert Federation.objects.count() == 0


def test_a_city_of_another_province_counts_as_not_chosen(client, superuser):
    client.force_login(superuser)
    page = client.get(SETUP, {"province": "110000", "city": "430300"}).content.decode()
    assert "name_430300" not in page and "整个直辖市：北京市总工会" in page


def test_the_preview_reads_nothing_per_row(client, superuser, django_assert_max_num_queries):
    client.force_login(superuser)
    with django_assert_max_num_queries(8):
        page = client.get(SETUP, {"province": "430000", "city": "430000"})
    assert page.content.decode().count('name="name_43') == 137


def test_confirming_creates_the_tree_and_shows_the_one_time_password_once(client, superuser):
    client.force_login(superuser)
    response = confirm(client, name_430302="湘潭市雨湖区总工会")
    assert response.status_code == 302 and response.url == DONE

    city = Federation.objects.get(region_code="430300")
    assert city.parent is None and city.children.count() == 5
    assert Federation.objects.get(region_code="430302").name == "湘潭市雨湖区总工会"
    admin = User.objects.get(username="xt_admin")
    assert admin.must_change_password
    assert RoleGrant.objects.filter(user=admin, role=Role.FEDERATION_ADMIN, federation=city)

    done = client.get(DONE).content.decode()
    assert "工会组织已建立" in done and "一次性密码" in done and "xt_admin" in done
    assert client.get(DONE).status_code == 404  # shown once


def test_the_admin_logs_in_with_the_shown_password(client, superuser):
    client.force_login(superuser)
    confirm(client, admin_password="Lianc#2026x")
    assert "一次性密码" not in client.get(DONE).content.decode()
    client.logout()
    login = client.post(
        reverse("accounts:login"), {"username": "xt_admin", "password": "Lianc#2026x"}
    )
    assert login.status_code == 302


def test_after_setup_the_page_is_not_offered_again(client, superuser):
    client.force_login(superuser)
    confirm(client)
    assert client.get(SETUP).status_code == 404
    assert confirm(client, division="430100").status_code == 404
    assert client.get(reverse("core:home")).status_code == 200
    assert Federation.objects.count() == 6


def test_a_bad_admin_username_is_shown_at_its_field_and_the_names_are_kept(client, superuser):
    UserFactory(username="xt_admin")
    client.force_login(superuser)
    response = confirm(client, name_430302="湘潭市雨湖区总工会")
    page = response.content.decode()
    assert response.status_code == 200
    assert "用户名“xt_admin”已被其他账号使用" in page
    assert 'value="湘潭市雨湖区总工会"' in page
    assert Federation.objects.count() == 0


def test_a_weak_password_is_refused_at_its_field(client, superuser):
    client.force_login(superuser)
    page = confirm(client, admin_password="12345678").content.decode()
    assert 'id="field-admin_password"' in page and "field-errors" in page
    assert Federation.objects.count() == 0


def test_an_empty_name_is_refused(client, superuser):
    client.force_login(superuser)
    page = confirm(client, name_430304="").content.decode()
    assert "该字段是必填项" in page
    assert Federation.objects.count() == 0


def test_a_user_who_is_not_superuser_cannot_reach_it(client):
    client.force_login(UserFactory())
    assert client.get(SETUP).status_code == 403  # the page is the superuser's (permission matrix)
    assert confirm(client).status_code == 403
    assert Federation.objects.count() == 0


def test_a_federation_admin_cannot_reach_it_either(client):
    client.force_login(federation_admin(make_federation()))
    assert client.get(SETUP).status_code == 403


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get(SETUP)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_home_is_home_once_a_federation_exists(client, superuser):
    make_federation()
    client.force_login(superuser)
    assert client.get(reverse("core:home")).status_code == 200
