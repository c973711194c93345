"""Service rules the pages rely on."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests import factories
from zhidao.dispatch import services


def test_editing_dates_moves_a_planned_assignment_to_active(world):
    assignment = factories.make_assignment(
        instructor=world["mine"]["instructor"],
        organizations=[factories.OrganizationFactory(federation=world["mine"]["district"])],
        batch=world["mine"]["batch"],
        starts_on=date(2026, 9, 1),
        today=date(2026, 6, 1),
    )
    assert assignment.status == "planned"
    changed = services.update_assignment(
        assignment=assignment, starts_on=date(2026, 5, 1), today=date(2026, 6, 1)
    )
    assignment.refresh_from_db()
    assert assignment.status == "active"
    assert "status" in changed


def test_editing_dates_into_the_past_completes_an_active_assignment(world):
    assignment = world["mine"]["assignment"]
    services.update_assignment(
        assignment=assignment,
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        today=date(2026, 6, 1),
    )
    assignment.refresh_from_db()
    assert assignment.status == "completed"


def test_editing_dates_keeps_an_assignment_ended_early(world):
    assignment = services.end_assignment_early(
        assignment=world["mine"]["assignment"], ended_on=date(2026, 5, 1), reason="调动"
    )
    services.update_assignment(
        assignment=assignment, ends_on=date(2027, 1, 31), today=date(2026, 6, 1)
    )
    assignment.refresh_from_db()
    assert assignment.status == "ended_early"


def test_clearing_the_end_date_on_edit_restores_the_one_year_term(world):
    assignment = world["mine"]["assignment"]
    services.update_assignment(
        assignment=assignment, starts_on=date(2026, 4, 1), ends_on=None, today=date(2026, 6, 1)
    )
    assignment.refresh_from_db()
    assert assignment.ends_on == date(2027, 3, 31)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13812341234", "13812341234"),
        ("+86 138-1234-1234", "13812341234"),
        ("0731-58581234", "073158581234"),
        ("010 6512 3456", "01065123456"),
        ("", ""),
    ],
)
def test_work_phone_is_normalized(typed, stored):
    assert services.normalize_work_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12345", "1381234123", "abc", "+1 415 555 2671"])
def test_invalid_work_phone_is_refused_at_the_phone_field(typed):
    with pytest.raises(ValidationError) as caught:
        services.normalize_work_phone(typed)
    assert "phone" in caught.value.message_dict


def test_instructor_account_is_not_created_when_the_password_is_weak(world):
    from zhidao.accounts.models import User

    with pytest.raises(ValidationError) as caught:
        services.create_instructor_with_account(
            username="weak", password="password", name="弱密码", federation=world["mine"]["city"]
        )
    assert "password" in caught.value.message_dict
    assert not User.objects.filter(username="weak").exists()
