"""A city with two districts, each with a union, an officer and an instructor; a city admin
and a district admin (雨湖区); another city beside it. The factories' password logs in."""

import pytest
from django.urls import reverse

from tests import factories
from tests.factories import TEST_PASSWORD
from zhidao.accounts.models import Role

LOGIN = reverse("accounts:login")


@pytest.fixture
def tree(db):
    city = factories.make_federation(name="湘潭市总工会")
    yuhu = factories.make_federation(name="雨湖区总工会", level="district", parent=city)
    yuetang = factories.make_federation(name="岳塘区总工会", level="district", parent=city)
    other_city = factories.make_federation(name="株洲市总工会")
    yuhu_union = factories.UnionFactory(name="雨湖测试工会", federation=yuhu)
    yuetang_union = factories.UnionFactory(name="岳塘测试工会", federation=yuetang)
    rights = factories.UserFactory(username="rights")
    factories.grant(rights, Role.RIGHTS_STAFF, federation=city)
    return {
        "city": city,
        "yuhu": yuhu,
        "yuetang": yuetang,
        "other_city": other_city,
        "yuhu_union": yuhu_union,
        "yuetang_union": yuetang_union,
        "city_admin": factories.federation_admin(city, username="city_admin"),
        "yuhu_admin": factories.federation_admin(yuhu, username="yuhu_admin"),
        "yuhu_officer": factories.union_officer(yuhu_union, username="yuhu_officer"),
        "yuetang_officer": factories.union_officer(yuetang_union, username="yuetang_officer"),
        "yuhu_instructor": factories.InstructorFactory(
            name="雨湖指导员", federation=yuhu, user=factories.UserFactory(username="yuhu_ins")
        ),
        "other_admin": factories.federation_admin(other_city, username="other_admin"),
        "rights": rights,
    }


def log_in(client, username: str, password: str = TEST_PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})
