"""Key rotation: `reencrypt` moves every encrypted field to the newest key; values stay the same."""

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.factories import UserFactory
from zhidao.accounts.models import User

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def stored_phone(user) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM accounts_user WHERE id = %s", [user.pk])
        return cursor.fetchone()[0]


@pytest.fixture
def users(db, settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    people = [UserFactory(phone=f"1381234567{n}") for n in range(3)]
    people.append(UserFactory(phone=""))
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    return people


def test_every_value_moves_to_the_newest_key_and_reads_the_same(users, settings, capsys):
    call_command("reencrypt")

    assert "accounts.User: 3 values re-encrypted, 0 unreadable" in capsys.readouterr().out
    for n, user in enumerate(users[:3]):
        assert (
            Fernet(NEW.encode()).decrypt(stored_phone(user).encode()).decode() == f"1381234567{n}"
        )
        with pytest.raises(InvalidToken):
            Fernet(OLD.encode()).decrypt(stored_phone(user).encode())
    assert stored_phone(users[3]) == ""
    # The old key can go now.
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    assert [User.objects.get(pk=u.pk).phone for u in users] == [
        "13812345670",
        "13812345671",
        "13812345672",
        "",
    ]


def test_a_second_run_changes_nothing(users, capsys):
    call_command("reencrypt")
    tokens = [stored_phone(user) for user in users]
    capsys.readouterr()

    call_command("reencrypt")

    assert "accounts.User: 0 values re-encrypted" in capsys.readouterr().out
    assert [stored_phone(user) for user in users] == tokens


def test_a_dry_run_counts_and_changes_nothing(users, capsys):
    tokens = [stored_phone(user) for user in users]

    call_command("reencrypt", dry_run=True)

    assert "accounts.User: 3 values re-encrypted" in capsys.readouterr().out
    assert [stored_phone(user) for user in users] == tokens


def test_a_value_no_key_reads_is_reported_and_kept(users, settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    token = stored_phone(users[0])

    with pytest.raises(CommandError, match="3 values could not be read"):
        call_command("reencrypt")
    assert stored_phone(users[0]) == token
