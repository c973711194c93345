"""Encryption at rest for personal data (SECURITY.md "Data protection").

Keys come from settings.FIELD_ENCRYPTION_KEYS, newest first; MultiFernet decrypts with any of
them and encrypts with the first, so a key can be rotated without a flag day.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        # A value written under a key that has since been dropped cannot be read; say so
        # rather than crash the page that shows it.
        return ""


def is_current(token: str) -> bool:
    """Encrypted with the newest key (the first of FIELD_ENCRYPTION_KEYS)?"""
    try:
        _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS[:1])).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def reencrypt(token: str) -> str:
    """The same value under the newest key; raises InvalidToken when no key reads it."""
    return fernet().rotate(token.encode()).decode()


class EncryptedCharField(models.TextField):
    """A short text stored as a Fernet token. Not searchable or sortable, by design."""

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(str(value))


def mask_phone(phone: str) -> str:
    """138****1234: enough to recognise, not enough to call."""
    if not phone:
        return ""
    digits = phone.strip()
    if len(digits) <= 7:
        return digits[:1] + "*" * (len(digits) - 1)
    return f"{digits[:3]}****{digits[-4:]}"
