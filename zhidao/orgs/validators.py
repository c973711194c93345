"""统一社会信用代码 (GB 32100-2015) checks, each failure with its own message."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
)

# The code's alphabet: digits and capitals without I, O, S, V, Z.
_ALPHABET = re.compile(r"^[0-9A-HJ-NPQRTUWXY]+$")


def validate_credit_code(value: str) -> None:
    code = uscc.compact(value or "")
    if len(code) != 18:
        raise ValidationError(
            _("The credit code must be 18 characters long (you entered %(count)d)."),
            code="length",
            params={"count": len(code)},
        )
    if not _ALPHABET.match(code):
        raise ValidationError(
            _(
                "The credit code may contain only digits and capital letters "
                "other than I, O, S, V and Z."
            ),
            code="characters",
        )
    try:
        uscc.validate(code)
    except InvalidChecksum:
        raise ValidationError(
            _("The credit code's check character is wrong; please check every character."),
            code="checksum",
        ) from None
    except (InvalidFormat, InvalidComponent, InvalidLength):
        raise ValidationError(
            _("This is not a valid unified social credit code."), code="format"
        ) from None


def could_begin_credit_code(text: str) -> bool:
    """Whether some valid credit code starts with the text (upper-cased, as codes are stored):
    its first eight characters are digits (GB 32100: the authority, the kind and the division),
    the others of the code's alphabet. The search skips the code prefix when none could:
    stored codes are validated, so it would find nothing, and on PostgreSQL that inexact prefix
    match makes the whole search condition be checked again on every row found (issue 14)."""
    code = text.strip().upper()
    if not 0 < len(code) <= 18:
        return False
    return code[:8].isdigit() and code[:8].isascii() and bool(_ALPHABET.match(code))


def make_credit_code(body: str) -> str:
    """Append the check character to a 17-character body (for generators and tests)."""
    return body + uscc.calc_check_digit(body)
