"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

In CI (CI=true) a missing Chromium is a failure, never a skip.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOT_DIR = Path(os.environ.get("SCREENSHOT_DIR", "artifacts/screenshots"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Contexts use locale="zh-CN", as Chinese users' browsers do: Chromium then sends
# Accept-Language zh-CN, which LocaleMiddleware maps to zh-hans (test_locale.py checks both that
# and an English browser).
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


# Every page reports what the Content-Security-Policy (or the Permissions-Policy) refused: the
# event to a binding that outlives navigations, and Chromium's own console lines ("Refused to
# execute inline script because it violates the following Content Security Policy directive").
POLICY_WATCH = """
document.addEventListener("securitypolicyviolation", event => {
  window.__reportPolicyViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
      + ` at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""
# The policy allows no eval, and Playwright's page.wait_for_function() evaluates a plain expression
# string again at each poll (refused after the first): give it a function, "() => ...", which it
# evaluates once, in its own call, and then calls.
POLICY_CONSOLE_WORDS = (
    "Content Security Policy",
    "Refused to",
    "Permissions policy",
    "Permissions-Policy header",
)


def watch_policies(context, found: list[str]) -> None:
    """Record in found every policy violation on the context's pages."""
    context.expose_binding(
        "__reportPolicyViolation",
        lambda source, text: found.append(f"{source['page'].url}: {text}"),
    )
    context.add_init_script(POLICY_WATCH)

    def on_console(message) -> None:
        if any(word in message.text for word in POLICY_CONSOLE_WORDS):
            found.append(f"{message.page.url if message.page else 'worker'}: {message.text}")

    context.on("console", on_console)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(
                f"Chromium is missing at {CHROMIUM}; CI needs it (apt-get install chromium)"
            )
        pytest.skip(f"Chromium not installed at {CHROMIUM}")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def policy_violations(request, monkeypatch):
    """A browser test fails when any of its pages breaks the Content-Security-Policy: every
    context it opens (the page fixtures' and its own) is watched, and the list must stay empty."""
    if "browser" not in request.fixturenames:
        yield []
        return
    browser = request.getfixturevalue("browser")
    found: list[str] = []
    new_context = browser.new_context

    def watched_new_context(*args, **kwargs):
        context = new_context(*args, **kwargs)
        watch_policies(context, found)
        return context

    monkeypatch.setattr(browser, "new_context", watched_new_context)
    yield found
    if found:
        pytest.fail("policy violations:\n" + "\n".join(found))


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(
        viewport=PHONE,
        locale="zh-CN",
        base_url=live_server.url,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot():
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def log_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
