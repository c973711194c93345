"""Password rules: ≥ 8 characters, three of four character classes, not the username, not common.

Each rule is checked twice: through validate_password and through the password change page,
and each rejection says why in Chinese.
"""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.accounts.helpers import post_password_change
from tests.factories import TEST_PASSWORD, UserFactory

RULES = [
    pytest.param("Ab#1234", "密码太短，至少需要 8 个字符。", id="too-short"),
    pytest.param(
        "qwmznxbv37", "密码至少要包含小写字母、大写字母、数字和符号中的三类。", id="two-classes"
    ),
    pytest.param("Zhang_San2026", "密码不能与用户名相同。", id="same-as-username"),
    pytest.param("P@ssw0rd", "这个密码太常见了。", id="common"),
]


@pytest.fixture
def user(db):
    return UserFactory(username="zhang_san2026", full_name="张三")


@pytest.mark.parametrize(("password", "message"), RULES)
def test_validate_password_rejects_with_chinese_message(user, password, message):
    with pytest.raises(ValidationError) as caught:
        validate_password(password, user)
    assert message in caught.value.messages


@pytest.mark.parametrize(("password", "message"), RULES)
def test_password_change_page_rejects_with_chinese_message_at_the_field(
    client, user, password, message
):
    client.force_login(user)
    response = post_password_change(client, password)
    assert response.status_code == 200
    assert message in response.context["form"].errors["new_password2"]
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


@pytest.mark.parametrize("password", ["Xiangtan#2027", "xiangtan2027#", "XIANGTAN2027x"])
def test_a_good_password_passes_every_rule(user, password):
    validate_password(password, user)


def test_password_change_page_accepts_a_good_password(client, user):
    client.force_login(user)
    response = post_password_change(client, "Xiangtan#2027")
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Xiangtan#2027")


def test_password_change_page_explains_the_rules_in_chinese(client, user):
    client.force_login(user)
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "小写字母、大写字母、数字和符号中的至少三类" in page
    assert "Change password" not in page


def test_passwords_are_hashed_with_argon2_outside_tests(settings):
    from zhidao.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
