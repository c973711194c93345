"""Two-factor login (SECURITY.md "Two-factor"): required for federation admins, rights staff, the
three administrators and superusers where REQUIRE_2FA is on (always with production settings),
offered to everybody; enrolment with a QR code, TOTP codes, one-time recovery codes, a reset by
the security administrator that is audited."""

import importlib
import time

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories
from tests.factories import TEST_PASSWORD
from zhidao.accounts.models import Role, UserSession
from zhidao.audit.models import AccessEvent, AccessEventKind

LOGIN = reverse("accounts:login")
HOME = reverse("core:home")
SETUP = reverse("accounts:otp_setup")
VERIFY = reverse("accounts:otp_verify")
QR = reverse("accounts:otp_qr")
RECOVERY = reverse("accounts:otp_recovery_codes")
# django-otp slows down each code after a wrong one; the tests send codes back to back.
NO_THROTTLE = {"OTP_TOTP_THROTTLE_FACTOR": 0, "OTP_STATIC_THROTTLE_FACTOR": 0}
REQUIRED = override_settings(REQUIRE_2FA=True, **NO_THROTTLE)


def log_in(client, user):
    response = client.post(LOGIN, {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302, "the password was refused"
    return response


def code_of(device: TOTPDevice) -> str:
    """The code the authenticator app shows (computed from the device's key, as the app does)."""
    device.refresh_from_db()
    value = totp(
        device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift
    )
    return f"{value:0{device.digits}d}"


def next_step():
    """Half a minute later: the app shows the next code (a code is accepted once only)."""
    return time_machine.travel(time.time() + 31, tick=False)


def enrol(client, user) -> list[str]:
    """Enrol through the pages; returns the recovery codes shown."""
    assert client.get(SETUP).status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(SETUP, {"code": code_of(device)})
    assert response.status_code == 302 and response.url.startswith(RECOVERY)
    page = client.get(response.url)
    assert page.status_code == 200
    return page.context["codes"]


@pytest.fixture
def admin(world):
    return world["mine"]["admin"]


def test_production_settings_require_the_second_factor_and_the_demo_does_not(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("ALLOWED_HOSTS", "zhidao.example.org")
    monkeypatch.setenv("FIELD_ENCRYPTION_KEYS", "dGhpcy1pcy1hLWRldi1vbmx5LWtleS0zMmJ5dGVzISE=")
    monkeypatch.setenv("AUDIT_CHAIN_KEY", "y" * 43)  # production requires the chain's key
    monkeypatch.setenv("REQUIRE_2FA", "false")  # the environment cannot switch it off there
    base = importlib.reload(importlib.import_module("zhidao.settings.base"))
    prod = importlib.reload(importlib.import_module("zhidao.settings.prod"))
    dev = importlib.reload(importlib.import_module("zhidao.settings.dev"))
    assert prod.REQUIRE_2FA is True
    assert prod.API_SCHEMA_PUBLIC is False
    assert dev.REQUIRE_2FA is False
    monkeypatch.setenv("REQUIRE_2FA", "true")
    importlib.reload(base)
    assert importlib.reload(dev).REQUIRE_2FA is True
    monkeypatch.undo()  # the modules as the environment left them, for whoever reads them next
    importlib.reload(base)
    importlib.reload(dev)


@REQUIRED
def test_required_admin_without_a_device_is_sent_to_enrol_and_reaches_nothing_else(client, admin):
    response = log_in(client, admin)
    assert response.url == HOME
    assert client.get(HOME).url == SETUP
    organizations = reverse("orgs:organization_list")
    refused = client.get(organizations)
    assert refused.status_code == 302 and refused.url.startswith(SETUP)
    assert "next=" in refused.url
    api = client.get("/api/federations/")
    assert api.status_code == 403
    # The password is right and the session is logged in, only not verified.
    assert SESSION_KEY in client.session
    assert client.get(SETUP).status_code == 200


@REQUIRED
def test_enrolment_shows_a_qr_code_and_confirms_with_the_apps_code(client, admin):
    log_in(client, admin)
    page = client.get(SETUP)
    assert page.status_code == 200
    assert "设置双重认证" in page.content.decode()
    qr = client.get(QR)
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.content and qr["Cache-Control"] == "no-store"
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    wrong = client.post(SETUP, {"code": "000000" if code_of(device) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    response = client.post(SETUP, {"code": code_of(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    codes = client.get(response.url).context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert StaticToken.objects.filter(device__user=admin).count() == 10
    # Shown once: the page does not show them again.
    assert client.get(RECOVERY).status_code == 302
    assert client.get(reverse("orgs:organization_list")).status_code == 200


@REQUIRED
def test_enrolled_admin_gives_the_current_code_at_login_and_a_used_one_is_refused(admin):
    first = Client()
    log_in(first, admin)
    enrol(first, admin)
    device = TOTPDevice.objects.get(user=admin, confirmed=True)

    with next_step():
        second = Client()
        log_in(second, admin)
        assert second.get(HOME).url == VERIFY
        assert second.post(VERIFY, {"code": "12345"}).status_code == 200  # the form again
        assert second.get(HOME).status_code == 302
        code = code_of(device)
        response = second.post(VERIFY, {"code": code})
        assert response.status_code == 302 and response.url == HOME
        assert second.get(HOME).status_code == 200

        third = Client()
        log_in(third, admin)
        again = third.post(VERIFY, {"code": code})  # the same code a second time
        assert again.status_code == 200
        assert "验证码不正确，或已经用过" in again.content.decode()
        assert third.get(HOME).status_code == 302


@REQUIRED
def test_recovery_codes_work_once_each(admin):
    client = Client()
    log_in(client, admin)
    codes = enrol(client, admin)

    for attempt, code in enumerate([codes[0], codes[0], codes[1]]):
        session = Client()
        log_in(session, admin)
        response = session.post(VERIFY, {"code": code})
        if attempt == 1:
            assert response.status_code == 200, "a used recovery code logged in again"
            assert session.get(HOME).status_code == 302
        else:
            assert response.status_code == 302
            assert session.get(HOME).status_code == 200
    assert StaticToken.objects.filter(device__user=admin).count() == 8


@override_settings(REQUIRE_2FA=False, **NO_THROTTLE)
def test_demo_settings_let_admins_in_with_the_password_and_offer_enrolment(client, admin):
    log_in(client, admin)
    assert client.get(HOME).status_code == 200
    overview = client.get(reverse("accounts:otp"))
    assert overview.status_code == 200
    assert SETUP in overview.content.decode()
    # Whoever enrols is asked for the code at the next login, required or not.
    enrol(client, admin)
    later = Client()
    log_in(later, admin)
    assert later.get(HOME).url == VERIFY


@REQUIRED
def test_roles_that_need_no_second_factor_log_in_with_the_password(client, world):
    for role in ("leader", "officer", "instructor_user"):
        client.logout()
        log_in(client, world["mine"][role])
        assert client.get(HOME).status_code == 200, role


@REQUIRED
@pytest.mark.parametrize("kind", ["rights", "superuser", "audit", "system", "security"])
def test_rights_staff_superusers_and_the_three_administrators_need_it_too(client, world, kind):
    city = world["mine"]["city"]
    user = {
        "rights": lambda: (
            factories.grant(factories.UserFactory(), Role.RIGHTS_STAFF, federation=city).user
        ),
        "superuser": lambda: factories.UserFactory(is_superuser=True),
        "audit": lambda: factories.audit_admin(city),
        "system": lambda: factories.system_admin(city),
        "security": lambda: factories.security_admin(city),
    }[kind]()
    log_in(client, user)
    assert client.get(HOME).url == SETUP


@REQUIRED
def test_security_administrator_resets_a_second_factor_and_the_reset_is_audited(admin, world):
    owner = Client()
    log_in(owner, admin)
    enrol(owner, admin)
    assert UserSession.objects.filter(account_id=admin.pk).exists()

    security = factories.security_admin(world["mine"]["city"])
    url = reverse("people:security_reset_second_factor", args=[admin.pk])
    # force_login passes no second factor (the login pages do, tested above): the security
    # administrators act here with it not required.
    with override_settings(REQUIRE_2FA=False):
        stranger = Client()
        stranger.force_login(factories.security_admin(world["other"]["city"]))
        assert stranger.post(url).status_code == 404
        assert TOTPDevice.objects.filter(user=admin).exists()
        security_client = Client()
        security_client.force_login(security)
        response = security_client.post(url)
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=admin).exists()
    assert not StaticToken.objects.filter(device__user=admin).exists()
    assert not UserSession.objects.filter(account_id=admin.pk).exists()
    event = AccessEvent.objects.get(kind=AccessEventKind.ACCOUNT_CHANGED, user=security)
    assert "second factor reset" in event.detail and admin.username in event.detail
    # The account enrols again at its next login.
    again = Client()
    log_in(again, admin)
    assert again.get(HOME).url == SETUP


@override_settings(REQUIRE_2FA=False)
def test_nobody_but_the_security_administrator_resets_a_second_factor(client, world):
    target = world["mine"]["officer"]
    TOTPDevice.objects.create(user=target, name="authenticator", confirmed=True)
    url = reverse("people:security_reset_second_factor", args=[target.pk])
    for user in (
        world["mine"]["admin"],
        factories.system_admin(world["mine"]["city"]),
        factories.audit_admin(world["mine"]["city"]),
        factories.UserFactory(is_superuser=True),
    ):
        client.force_login(user)
        assert client.post(url).status_code in (403, 404)
    assert TOTPDevice.objects.filter(user=target).count() == 1


@REQUIRED
def test_the_api_token_of_a_required_account_needs_the_code(client, admin):
    browser = Client()
    log_in(browser, admin)
    enrol(browser, admin)
    device = TOTPDevice.objects.get(user=admin, confirmed=True)
    credentials = {"username": admin.username, "password": TEST_PASSWORD}
    refused = client.post("/api/token/", credentials, content_type="application/json")
    assert refused.status_code == 400 and "otp" in refused.json()
    with next_step():
        response = client.post(
            "/api/token/", {**credentials, "otp": code_of(device)}, content_type="application/json"
        )
    assert response.status_code == 200 and response.json()["token"]


@override_settings(REQUIRE_2FA=False, ADMIN_LOGIN_ALLOWED_NETWORKS=["10.0.0.0/8"])
def test_administrators_log_in_only_from_the_allowed_networks(client, world):
    admin = world["mine"]["admin"]
    data = {"username": admin.username, "password": TEST_PASSWORD}
    refused = client.post(LOGIN, data, REMOTE_ADDR="192.168.1.5")
    assert refused.status_code == 200
    assert SESSION_KEY not in client.session
    assert client.post(LOGIN, data, REMOTE_ADDR="10.1.2.3").status_code == 302
    # Everybody else logs in from anywhere.
    client.logout()
    officer = world["mine"]["officer"]
    response = client.post(
        LOGIN, {"username": officer.username, "password": TEST_PASSWORD}, REMOTE_ADDR="192.168.1.5"
    )
    assert response.status_code == 302


@REQUIRED
def test_a_session_with_only_the_password_never_sees_a_new_phones_key(admin):
    owner = Client()
    log_in(owner, admin)
    enrol(owner, admin)
    assert owner.get(SETUP).status_code == 200  # moving to a new phone: a pending key
    assert owner.get(QR).status_code == 200
    intruder = Client()
    log_in(intruder, admin)  # the password, not the phone
    assert intruder.get(QR).status_code == 404
    assert intruder.get(SETUP).url == VERIFY
    assert intruder.get(reverse("accounts:otp")).url == VERIFY
    assert intruder.post(RECOVERY).url == reverse("accounts:otp")


@REQUIRED
def test_second_factor_comes_before_a_forced_password_change(client, admin):
    admin.must_change_password = True
    admin.save()
    log_in(client, admin)
    assert client.get(HOME).url == SETUP
    assert client.get(reverse("accounts:password_change")).url.startswith(SETUP)
    enrol(client, admin)
    assert client.get(HOME).url == reverse("accounts:password_change")
    assert client.get(reverse("accounts:password_change")).status_code == 200
