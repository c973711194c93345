"""A person with a browser and a phone app: a federation admin, where the second factor is
required, is led from the password to the enrolment page (QR code), types the app's code and
gets the recovery codes; on a phone the QR code fits the screen. The three administrators land
on their own pages."""

from base64 import b32decode

import pytest
from django.test import override_settings
from django_otp.oath import totp

from tests import factories
from tests.factories import TEST_PASSWORD

from .conftest import log_in

pytestmark = pytest.mark.browser


def app_code(secret_text: str) -> str:
    """What the authenticator app shows for the key typed in by hand."""
    key = b32decode("".join(secret_text.split()) + "=" * (-len("".join(secret_text.split())) % 8))
    return f"{totp(key):06d}"


@pytest.fixture
def city(transactional_db):
    return factories.make_federation(name="湘潭市总工会")


@override_settings(REQUIRE_2FA=True)
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_admin_enrols_with_the_qr_code_and_gets_recovery_codes(
    city, page, phone_page, screenshot, device
):
    browser_page = page if device == "desktop" else phone_page
    admin = factories.federation_admin(city, username=f"otp_{device}")
    log_in(browser_page, admin.username, TEST_PASSWORD)
    assert browser_page.url.endswith("/accounts/2fa/setup/")
    qr = browser_page.locator(".otp-qr img")
    assert qr.is_visible()
    box = qr.bounding_box()
    viewport = browser_page.viewport_size
    assert box["width"] >= 200 and box["x"] + box["width"] <= viewport["width"]
    # The image really loaded (an SVG of the key's address, not a broken image).
    assert browser_page.evaluate("document.querySelector('.otp-qr img').naturalWidth") > 0
    screenshot(browser_page, f"two-factor-enrol-{device}")
    secret = browser_page.locator(".otp-secret").inner_text()
    browser_page.fill("input[name=code]", app_code(secret))
    browser_page.click(".otp-steps button[type=submit]")
    browser_page.wait_for_load_state("networkidle")
    assert "/accounts/2fa/recovery-codes/" in browser_page.url
    assert browser_page.locator(".recovery-codes li").count() == 10
    screenshot(browser_page, f"two-factor-recovery-codes-{device}")
    browser_page.click("text=我已保存")
    browser_page.wait_for_load_state("networkidle")
    assert "/accounts/2fa/" not in browser_page.url
    assert browser_page.locator("text=退出").first.is_visible()


@override_settings(REQUIRE_2FA=False)
def test_the_three_administrators_land_on_their_own_pages(city, page, screenshot):
    landing = {
        "sysadmin": ("/people/", factories.system_admin),
        "secadmin": ("/people/security/", factories.security_admin),
        "auditor": ("/audit/", factories.audit_admin),
    }
    for username, (path, make) in landing.items():
        make(city, username=username)
        page.context.clear_cookies()
        log_in(page, username, TEST_PASSWORD)
        assert page.url.endswith(path), username
        screenshot(page, f"home-{username}")
