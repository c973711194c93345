"""国密 (CRYPTO_SUITE=gm): new passwords are PBKDF2-HMAC-SM3, new field values SM4-GCM and new
audit links HMAC-SM3; what was written before the switch still verifies and decrypts, and
`reencrypt` moves old Fernet values to SM4. Keys from the environment or a key-management
service (here a fake one on loopback), never from the database."""

import base64
import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from tests.factories import UserFactory
from zhidao.accounts.models import User
from zhidao.audit import chain
from zhidao.audit.models import AccessEvent, AccessEventKind, ChainLink
from zhidao.core import crypto

FERNET_KEY = Fernet.generate_key().decode()
V1, V2 = bytes(range(16)), bytes(range(16, 32))
SM4_KEYS = [f"v2:{base64.b64encode(V2).decode()}", f"v1:{base64.b64encode(V1).decode()}"]
HASHERS = [
    "zhidao.accounts.hashers.PBKDF2SM3PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

pytestmark = pytest.mark.skipif(
    "sm3" not in hashlib.algorithms_available, reason="this OpenSSL has no SM3"
)


@pytest.fixture(autouse=True)
def _clear_key_caches():
    yield
    crypto.kms_keys.cache_clear()


@pytest.fixture
def gm(settings):
    settings.FIELD_ENCRYPTION_KEYS = [FERNET_KEY]
    settings.SM4_KEYS = SM4_KEYS
    settings.KMS_URL = ""
    settings.CRYPTO_SUITE = "gm"
    settings.AUDIT_CHAIN_ALGORITHM = ""
    return settings


def stored_phone(user) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM accounts_user WHERE id = %s", [user.pk])
        return cursor.fetchone()[0]


def sm4_open(token: str, key: bytes) -> str:
    """An independent SM4-GCM decryption of the documented format."""
    prefix, _, payload = token.rpartition(":")
    raw = base64.b64decode(payload)
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(raw[:12], raw[-16:])).decryptor()
    decryptor.authenticate_additional_data(prefix.encode())
    return (decryptor.update(raw[12:-16]) + decryptor.finalize()).decode()


# --- passwords ------------------------------------------------------------------------------


def test_a_new_password_is_pbkdf2_sm3_and_an_old_sha256_one_still_verifies(settings):
    settings.PASSWORD_HASHERS = HASHERS[::-1]
    old = make_password("Zhidao@2026")
    assert old.startswith("pbkdf2_sha256$")
    settings.PASSWORD_HASHERS = HASHERS

    new = make_password("Zhidao@2026")

    algorithm, iterations, salt, digest = new.split("$")
    assert algorithm == "pbkdf2_sm3"
    expected = hashlib.pbkdf2_hmac("sm3", b"Zhidao@2026", salt.encode(), int(iterations))
    assert base64.b64decode(digest) == expected
    assert check_password("Zhidao@2026", new) and not check_password("Zhidao@2025", new)
    assert check_password("Zhidao@2026", old)


def test_settings_put_the_sm3_hasher_first_only_under_gm():
    from zhidao.settings import base

    assert "zhidao.accounts.hashers.PBKDF2SM3PasswordHasher" in base.PASSWORD_HASHERS
    expected_first = (
        "zhidao.accounts.hashers.PBKDF2SM3PasswordHasher"
        if base.CRYPTO_SUITE == "gm"
        else "django.contrib.auth.hashers.Argon2PasswordHasher"
    )
    assert base.PASSWORD_HASHERS[0] == expected_first


def test_a_password_check_upgrades_an_old_hash_to_sm3(db, settings):
    settings.PASSWORD_HASHERS = HASHERS[::-1]
    user = UserFactory(username="zhouba", password="Zhidao@2026")
    assert identify_hasher(User.objects.get(pk=user.pk).password).algorithm == "pbkdf2_sha256"
    settings.PASSWORD_HASHERS = HASHERS

    assert User.objects.get(pk=user.pk).check_password("Zhidao@2026")

    assert User.objects.get(pk=user.pk).password.startswith("pbkdf2_sm3$")


# --- field encryption -----------------------------------------------------------------------


def test_a_new_phone_is_stored_as_sm4_and_an_old_fernet_one_still_decrypts(db, gm):
    gm.CRYPTO_SUITE = "standard"
    old = UserFactory(phone="13800000001")
    assert Fernet(FERNET_KEY.encode()).decrypt(stored_phone(old).encode()) == b"13800000001"
    gm.CRYPTO_SUITE = "gm"

    new = UserFactory(phone="13900000002")

    token = stored_phone(new)
    assert token.startswith("sm4gcm:v2:")
    assert sm4_open(token, V2) == "13900000002"
    assert User.objects.get(pk=new.pk).phone == "13900000002"
    assert User.objects.get(pk=old.pk).phone == "13800000001"


def test_an_older_sm4_version_decrypts_and_a_tampered_token_reads_blank(gm):
    old = crypto.sm4_encrypt("13700000003", version="v1", key=V1)

    assert crypto.decrypt(old) == "13700000003"
    assert not crypto.is_current(old)
    assert crypto.reencrypt(old).startswith("sm4gcm:v2:")
    relabelled = old.replace("sm4gcm:v1:", "sm4gcm:v2:")
    assert crypto.decrypt(relabelled) == ""
    payload = bytearray(base64.b64decode(old.rpartition(":")[2]))
    payload[13] ^= 1
    assert crypto.decrypt("sm4gcm:v1:" + base64.b64encode(bytes(payload)).decode()) == ""


def test_gm_without_a_key_refuses_to_encrypt(gm):
    gm.SM4_KEYS = []

    with pytest.raises(ImproperlyConfigured, match="SM4"):
        crypto.encrypt("13800000001")


def test_reencrypt_moves_fernet_values_to_sm4(db, gm, capsys):
    gm.CRYPTO_SUITE = "standard"
    users = [UserFactory(phone=f"1381234567{n}") for n in range(3)]
    gm.CRYPTO_SUITE = "gm"

    call_command("reencrypt")

    assert "accounts.User: 3 values re-encrypted, 0 unreadable" in capsys.readouterr().out
    for n, user in enumerate(users):
        assert sm4_open(stored_phone(user), V2) == f"1381234567{n}"
    call_command("reencrypt")
    assert "accounts.User: 0 values re-encrypted" in capsys.readouterr().out
    # Switching back reads the SM4 values, and reencrypt moves them back to Fernet.
    gm.CRYPTO_SUITE = "standard"
    assert User.objects.get(pk=users[0].pk).phone == "13812345670"
    call_command("reencrypt")
    assert "accounts.User: 3 values re-encrypted" in capsys.readouterr().out
    assert Fernet(FERNET_KEY.encode()).decrypt(stored_phone(users[1]).encode()) == b"13812345671"


# --- the key-management service -------------------------------------------------------------


class FakeKMS(BaseHTTPRequestHandler):
    requests: list[dict] = []
    keys = [{"version": "v3", "key": base64.b64encode(bytes(range(32, 48))).decode()}]

    def do_GET(self):  # noqa: N802 (http.server's name)
        FakeKMS.requests.append({"path": self.path, "auth": self.headers.get("Authorization")})
        if self.path != "/keys/zhidao":
            self.send_error(404)
            return
        body = json.dumps({"keys": self.keys}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def kms():
    FakeKMS.requests = []
    server = HTTPServer(("127.0.0.1", 0), FakeKMS)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/keys/zhidao"
    server.shutdown()
    server.server_close()


def test_keys_from_the_kms_come_first_and_are_fetched_once(db, gm, kms):
    gm.KMS_URL = kms
    gm.KMS_TOKEN = "kms-token"
    env_token = crypto.sm4_encrypt("13600000004", version="v2", key=V2)

    user = UserFactory(phone="13500000005")

    token = stored_phone(user)
    assert token.startswith("sm4gcm:v3:")
    assert sm4_open(token, bytes(range(32, 48))) == "13500000005"
    assert crypto.decrypt(env_token) == "13600000004"
    assert User.objects.get(pk=user.pk).phone == "13500000005"
    assert FakeKMS.requests == [{"path": "/keys/zhidao", "auth": "Bearer kms-token"}]


def test_a_failing_kms_stops_the_write(gm, kms):
    gm.KMS_URL = kms.replace("/keys/zhidao", "/nothing")

    with pytest.raises(ImproperlyConfigured, match="key-management service failed"):
        crypto.encrypt("13800000001")
    assert [r["path"] for r in FakeKMS.requests] == ["/nothing"]


def test_a_kms_url_must_be_http(gm):
    gm.KMS_URL = "file:///etc/passwd"

    with pytest.raises(ImproperlyConfigured, match="http"):
        crypto.encrypt("13800000001")


# --- the audit chain ------------------------------------------------------------------------


def test_the_audit_chain_follows_the_suite_and_verifies_mixed(
    db, gm, django_capture_on_commit_callbacks
):
    user = UserFactory(username="zhouba")
    gm.CRYPTO_SUITE = "standard"
    with django_capture_on_commit_callbacks(execute=True):
        AccessEvent.objects.create(kind=AccessEventKind.LOGIN, user=user)
    gm.CRYPTO_SUITE = "gm"
    with django_capture_on_commit_callbacks(execute=True):
        AccessEvent.objects.create(kind=AccessEventKind.LOGOUT, user=user)

    algorithms_by_kind = dict(
        ChainLink.objects.filter(record_type=chain.ACCESS_EVENT)
        .order_by("seq")
        .values_list("seq", "algorithm")
    )
    assert list(algorithms_by_kind.values())[-2:] == ["sha256", "sm3"]
    assert chain.verify().ok
