"""Encryption at rest for personal data (SECURITY.md "Data protection").

Two suites, chosen by settings.CRYPTO_SUITE; both are always read, so data written under one
keeps working after a switch (`manage.py reencrypt` then moves it to the chosen one):

- "standard": Fernet (AES-128-CBC + HMAC-SHA256). Keys come from settings.FIELD_ENCRYPTION_KEYS,
  newest first; MultiFernet decrypts with any of them and encrypts with the first, so a key can
  be rotated without a flag day.
- "gm" (国密, GB/T 39786): SM4-GCM. A value is stored as

      sm4gcm:<version>:base64(nonce ‖ ciphertext ‖ tag)

  with a 12-byte random nonce, a 16-byte tag and the prefix "sm4gcm:<version>" as associated
  data (a token cannot be relabelled with another key version). Keys are versioned: the
  environment's SM4_KEYS ("v2:<base64 16 bytes>,v1:...", newest first) and, when KMS_URL is
  set, the keys a key-management service returns (see `kms_keys`). Keys never come from the
  database.
"""

import base64
import binascii
import json
import os
import urllib.request
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

__all__ = ["InvalidToken", "decrypt", "encrypt", "is_current", "reencrypt"]

SM4_PREFIX = "sm4gcm"
NONCE_BYTES = 12
TAG_BYTES = 16
KMS_TIMEOUT = 5


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def gm_enabled() -> bool:
    return settings.CRYPTO_SUITE == "gm"


# --- SM4 keys -------------------------------------------------------------------------------


def _sm4_key(version: str, encoded: str, source: str) -> tuple[str, bytes]:
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ImproperlyConfigured(f"{source}: SM4 key {version} is not base64.") from error
    if len(key) != 16 or not version or ":" in version:
        raise ImproperlyConfigured(f"{source}: SM4 key {version!r} must be 16 bytes, named v1…")
    return version, key


@lru_cache(maxsize=4)
def _env_keys(entries: tuple[str, ...]) -> tuple[tuple[str, bytes], ...]:
    keys = []
    for entry in entries:
        version, _, encoded = entry.strip().partition(":")
        keys.append(_sm4_key(version, encoded, "SM4_KEYS"))
    return tuple(keys)


@lru_cache(maxsize=4)
def kms_keys(url: str) -> tuple[tuple[str, bytes], ...]:
    """The SM4 keys of the key-management service, fetched once per process.

    The service answers a GET with JSON ``{"keys": [{"version": "v2", "key": "<base64>"}, …]}``,
    newest first. A failure stops the request that needed a key (better than writing a value
    under the wrong key, or showing blanks)."""
    if not url.startswith(("https://", "http://")):
        raise ImproperlyConfigured("KMS_URL must be an http(s) URL.")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    token = settings.KMS_TOKEN
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        # B310: the scheme is checked above (http or https), so no file: URL is ever opened.
        response = urllib.request.urlopen(request, timeout=KMS_TIMEOUT)  # noqa: S310  # nosec B310
        with response:
            data = json.load(response)
        entries = data["keys"]
        return tuple(_sm4_key(str(entry["version"]), str(entry["key"]), "KMS") for entry in entries)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ImproperlyConfigured(f"The key-management service failed: {error}") from error


def sm4_keys() -> tuple[tuple[str, bytes], ...]:
    """(version, key) pairs, newest first: the KMS's, then the environment's."""
    keys = []
    if settings.KMS_URL:
        keys.extend(kms_keys(settings.KMS_URL))
    keys.extend(_env_keys(tuple(settings.SM4_KEYS)))
    return tuple(keys)


def _sm4_key_for(version: str) -> bytes | None:
    for name, key in sm4_keys():
        if name == version:
            return key
    return None


def _sm4_current() -> tuple[str, bytes]:
    keys = sm4_keys()
    if not keys:
        raise ImproperlyConfigured("CRYPTO_SUITE=gm needs an SM4 key (SM4_KEYS or KMS_URL).")
    return keys[0]


def sm4_encrypt(value: str, *, version: str, key: bytes) -> str:
    prefix = f"{SM4_PREFIX}:{version}"
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(prefix.encode())
    ciphertext = encryptor.update(value.encode()) + encryptor.finalize()
    payload = base64.b64encode(nonce + ciphertext + encryptor.tag).decode()
    return f"{prefix}:{payload}"


def _sm4_decrypt(token: str) -> str:
    """Raises InvalidToken when the token is malformed, its key unknown or it was altered."""
    _, version, payload = token.split(":", 2)
    key = _sm4_key_for(version)
    if key is None:
        raise InvalidToken
    try:
        raw = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as error:
        raise InvalidToken from error
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise InvalidToken
    nonce, ciphertext, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(f"{SM4_PREFIX}:{version}".encode())
    try:
        return (decryptor.update(ciphertext) + decryptor.finalize()).decode()
    except (InvalidTag, UnicodeDecodeError) as error:
        raise InvalidToken from error


def is_sm4(token: str) -> bool:
    return token.startswith(f"{SM4_PREFIX}:") and token.count(":") >= 2


# --- the field API --------------------------------------------------------------------------


def encrypt(value: str) -> str:
    if gm_enabled():
        version, key = _sm4_current()
        return sm4_encrypt(value, version=version, key=key)
    return fernet().encrypt(value.encode()).decode()


def _decrypt_strict(token: str) -> str:
    if is_sm4(token):
        return _sm4_decrypt(token)
    return fernet().decrypt(token.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _decrypt_strict(token)
    except InvalidToken:
        # A value written under a key that has since been dropped cannot be read; say so
        # rather than crash the page that shows it.
        return ""


def is_current(token: str) -> bool:
    """Written by the chosen suite with its newest key (and readable)?"""
    try:
        if gm_enabled():
            version, _ = _sm4_current()
            if not token.startswith(f"{SM4_PREFIX}:{version}:"):
                return False
            _sm4_decrypt(token)
        else:
            if is_sm4(token):
                return False
            _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS[:1])).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def reencrypt(token: str) -> str:
    """The same value under the chosen suite's newest key; raises InvalidToken when no key
    reads it."""
    return encrypt(_decrypt_strict(token))


class EncryptedCharField(models.TextField):
    """A short text stored encrypted (Fernet or SM4-GCM). Not searchable or sortable, by design."""

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
