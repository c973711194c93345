"""Column parsers the kinds share: choices by their Chinese label, dates, numbers, yes/no,
credit codes (one or several in a cell), login accounts and phone numbers."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from stdnum.cn import uscc

from zhidao.dispatch.services import normalize_work_phone
from zhidao.orgs.validators import validate_credit_code

from ..cleaning import clean_text
from .base import Column


def choice_column(key: str, header, choices, **options) -> Column:
    """A coded column: the sheet holds the label (新经济组织); the value (new_economic) and the
    label are both accepted on import; the export writes the label."""
    pairs = [(str(value), label) for value, label in choices]
    by_language: dict[str, tuple[dict[str, str], dict[str, str]]] = {}

    def tables() -> tuple[dict[str, str], dict[str, str]]:
        # The labels in the current language, once per language: a lazy label costs a gettext
        # each time it is turned into text, and a 100,000-row file would ask millions of times.
        # (accepted text -> value, value -> label)
        language = get_language() or ""
        if language not in by_language:
            accepted = {value: value for value, _label in pairs}
            accepted.update({clean_text(str(label)): value for value, label in pairs})
            by_language[language] = (accepted, {value: str(label) for value, label in pairs})
        return by_language[language]

    def parse(text: str):
        value = tables()[0].get(text)
        if value is not None:
            return value
        raise ValidationError(
            _("“%(text)s” is not one of the allowed values: %(allowed)s.")
            % {"text": text, "allowed": "、".join(str(label) for _v, label in pairs)}
        )

    def format(value) -> str:
        return tables()[1].get(value, str(value))

    return Column(key=key, header=header, choices=pairs, parse=parse, format=format, **options)


def parse_date(text: str) -> date | None:
    if not text:
        return None
    normalized = text.replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-")
    normalized = normalized.replace("日", "").split(" ")[0]
    try:
        year, month, day = (int(part) for part in normalized.split("-"))
        return date(year, month, day)
    except (TypeError, ValueError):
        raise ValidationError(
            _("“%(text)s” is not a date; write it as 2026-03-01.") % {"text": text}
        ) from None


def format_date(value) -> str:
    return value.isoformat() if value else ""


def date_column(key: str, header, **options) -> Column:
    options.setdefault("blank", None)
    return Column(key=key, header=header, parse=parse_date, format=format_date, **options)


def int_column(key: str, header, *, minimum: int = 0, maximum: int | None = None, **options):
    def parse(text: str) -> int | None:
        if not text:
            return None
        try:
            number = int(Decimal(text))
        except (InvalidOperation, ValueError):
            raise ValidationError(_("“%(text)s” is not a whole number.") % {"text": text}) from None
        if number < minimum or (maximum is not None and number > maximum):
            raise ValidationError(
                _("Enter a number from %(minimum)d to %(maximum)s.")
                % {"minimum": minimum, "maximum": maximum if maximum is not None else "∞"}
            )
        return number

    options.setdefault("blank", None)
    return Column(key=key, header=header, parse=parse, codes=True, **options)


def decimal_column(key: str, header, *, places: int, minimum, maximum, **options) -> Column:
    quantum = Decimal(1).scaleb(-places)

    def parse(text: str) -> Decimal | None:
        if not text:
            return None
        try:
            number = Decimal(text).quantize(quantum)
        except InvalidOperation:
            raise ValidationError(_("“%(text)s” is not a number.") % {"text": text}) from None
        if not Decimal(minimum) <= number <= Decimal(maximum):
            raise ValidationError(
                _("Enter a number from %(minimum)s to %(maximum)s.")
                % {"minimum": minimum, "maximum": maximum}
            )
        return number

    options.setdefault("blank", None)
    return Column(
        key=key,
        header=header,
        parse=parse,
        format=lambda v: f"{v:.{places}f}",
        codes=True,
        **options,
    )


def yes_no_column(key: str, header, **options) -> Column:
    def parse(text: str) -> bool:
        if text in ("是", "Y", "y", "yes", "1", "true", "TRUE"):
            return True
        if text in ("", "否", "N", "n", "no", "0", "false", "FALSE"):
            return False
        raise ValidationError(_("Write 是 or 否."))

    return Column(
        key=key,
        header=header,
        choices=[("是", "是"), ("否", "否")],
        parse=parse,
        format=lambda value: "是" if value else "否",
        blank=False,
        **options,
    )


_CODE_SEPARATORS = re.compile(r"[、,;]+")


def parse_credit_codes(text: str) -> tuple[str, ...]:
    """One or several credit codes separated by 、 , ; or line breaks (cleaning has turned full-
    width ， ； into , ; and a line break into a space), in the order given, each once."""
    codes: list[str] = []
    problems: list[str] = []
    for part in _CODE_SEPARATORS.split(text):
        # A code typed with spaces inside ("9143 0300 …") is one code; codes on separate lines
        # (now separated by one space) are several.
        compact = part.replace(" ", "")
        pieces = [compact] if len(compact) <= 18 else part.split()
        for piece in pieces:
            code = uscc.compact(piece).upper()
            if not code:
                continue
            try:
                validate_credit_code(code)
            except ValidationError as error:
                problems += [f"“{piece}”：{message}" for message in error.messages]
                continue
            if code not in codes:
                codes.append(code)
    if problems:
        raise ValidationError(problems)
    if not codes:
        raise ValidationError(_("This column is required."))
    return tuple(codes)


def credit_codes_column(key: str, header, *, sort: bool, **options) -> Column:
    """Several organizations' codes in one cell; the export joins them with 、 (sorted, or in
    the record's own order when the order means something)."""

    def format(value) -> str:
        return "、".join(sorted(value) if sort else value)

    def parse(text: str) -> tuple[str, ...]:
        codes = parse_credit_codes(text)
        return tuple(sorted(codes)) if sort else codes

    return Column(key=key, header=header, parse=parse, format=format, width=24, **options)


def parse_username(text: str) -> str:
    field = get_user_model()._meta.get_field("username")
    if field.max_length and len(text) > field.max_length:
        raise ValidationError(
            _("A login account has at most %(count)d characters.") % {"count": field.max_length}
        )
    for validator in field.validators:
        validator(text)
    return text


def username_column(key: str, header, **options) -> Column:
    return Column(key=key, header=header, parse=parse_username, codes=True, **options)


def parse_phone(text: str) -> str:
    try:
        return normalize_work_phone(text)
    except ValidationError as error:
        raise ValidationError(error.messages) from None


def phone_column(key: str, header, **options) -> Column:
    return Column(key=key, header=header, parse=parse_phone, codes=True, **options)
