"""统一社会信用代码 checks: each kind of bad code has its own message."""

import pytest
from django.core.exceptions import ValidationError

from zhidao.orgs.validators import (
    could_begin_credit_code,
    make_credit_code,
    validate_credit_code,
)

VALID = make_credit_code("91430300MA4L1A2B3")


def error_of(code: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_credit_code(code)
    return caught.value


@pytest.mark.parametrize(
    "code", [VALID, VALID.lower(), f" {VALID} ", "91430300MA4L1A2B3" + VALID[-1]]
)
def test_valid_codes_are_accepted(code):
    validate_credit_code(code)


def test_published_code_of_a_real_company_is_accepted():
    # Example from GB 32100-2015 tooling (python-stdnum's documentation).
    validate_credit_code("91110000600037341L")


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        (VALID[:-1], "length"),
        (VALID + "1", "length"),
        ("91430300MA4L1A2BO" + "1", "characters"),  # O is not in the code's alphabet
        ("91430300MA4L1AIB3" + "1", "characters"),  # neither is I
        ("9143030AMA4L1A2B3" + "1", "format"),  # the region part must be digits
    ],
)
def test_each_bad_kind_has_its_own_code(code, kind):
    assert error_of(code).code == kind


def test_wrong_check_character_is_reported_as_checksum():
    wrong = VALID[:-1] + ("0" if VALID[-1] != "0" else "1")
    assert error_of(wrong).code == "checksum"


def test_messages_differ_between_kinds_and_are_chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    from django.utils import translation

    with translation.override("zh-hans"):
        messages = {
            error_of(VALID[:-1]).messages[0],
            error_of("91430300MA4L1A2BO1").messages[0],
            error_of(VALID[:-1] + ("0" if VALID[-1] != "0" else "1")).messages[0],
        }
    assert len(messages) == 3
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in message) for message in messages)


@pytest.mark.parametrize(
    ("text", "could"),
    [
        ("9143", True),
        ("91430300MA4L", True),
        ("91430300ma4l", True),  # compared upper-cased, as codes are stored
        ("jl", False),  # the first eight characters are digits
        ("MA4L", False),
        ("吉利", False),
        ("91430300MA4I", False),  # I is not of the alphabet
        ("１２", False),  # full-width digits are not the code's
        ("9" * 19, False),  # longer than a code
    ],
)
def test_could_begin_credit_code(text, could):
    assert could_begin_credit_code(text) is could


def test_every_valid_code_could_begin_with_each_of_its_prefixes():
    code = make_credit_code("91430300MA4L16JQ9")
    validate_credit_code(code)
    assert all(could_begin_credit_code(code[:end]) for end in range(1, 19))
