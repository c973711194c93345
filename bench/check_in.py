"""The instructor's check-in page on an emulated slow phone link (PERFORMANCE.md: usable within
3 s on 400 kbit/s with 400 ms latency), measured, never asserted.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/zhidao_bench_province_0_05 \\
        .venv/bin/python bench/check_in.py [--runs 5] [--port 8742] [--json FILE]

The app runs under gunicorn (bench/server.py) with its static files collected and compressed as
in production, and the pages gzip-compressed as the reverse proxy would (BENCH_GZIP). Debian's
Chromium, through Playwright, opens the page as a logged-in instructor: a new browser context
per run (a cold cache, no service worker yet), zh-CN, a phone-sized window, and the link
emulated over CDP (Network.emulateNetworkConditions: latency 400 ms, 400 kbit/s down and up).
"Usable" is the time from the navigation's start to the check-in button being visible and
enabled, with the page's stylesheets loaded and its deferred scripts run (the navigation's
DOMContentLoaded has ended). Prints each run and the median.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.server_settings"

import django  # noqa: E402

django.setup()

from bench.server import gunicorn, session_cookie  # noqa: E402
from bench.throughput import bench_instructor  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# No sandbox as root; no background requests of the browser's own to share the slow link.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run"]
CHROMIUM_ARGS += ["--disable-background-networking", "--disable-component-update"]
PHONE = {"width": 390, "height": 844}
KBIT = 1000 / 8  # bytes per second in one kbit/s
LINK = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400 * KBIT,
    "uploadThroughput": 400 * KBIT,
}
PATH = "/fieldwork/check-in/"
# A function, not an expression: the page's CSP allows no eval (tests/browser/conftest.py).
USABLE = """() => {
  // DOMContentLoaded ends after the deferred scripts ran, which waited for the stylesheets.
  const navigation = performance.getEntriesByType("navigation")[0];
  if (!navigation || !(navigation.domContentLoadedEventEnd > 0)) return false;
  const button = document.querySelector("form.check-in-form button[type=submit]");
  if (!button || button.disabled) return false;
  const box = button.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) return false;
  return getComputedStyle(button).visibility !== "hidden";
}"""
TRANSFERRED = """() => {
  const entries = performance.getEntriesByType("navigation").concat(
    performance.getEntriesByType("resource"));
  return {
    bytes: entries.reduce((sum, entry) => sum + (entry.transferSize || 0), 0),
    requests: entries.length,
    dom_content_loaded_ms: performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd,
  };
}"""


def one_run(browser, base: str, cookie: tuple[str, str]) -> dict:
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        name, value = cookie
        context.add_cookies([{"name": name, "value": value, "url": base}])
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.clearBrowserCache")
        cdp.send("Network.emulateNetworkConditions", LINK)
        started = time.perf_counter()
        page.goto(base + PATH, wait_until="commit", timeout=60_000)
        page.wait_for_function(USABLE, timeout=60_000)
        usable_s = time.perf_counter() - started
        if not page.url.endswith(PATH):
            raise SystemExit(f"the check-in page went to {page.url}: not logged in?")
        transferred = page.evaluate(TRANSFERRED)
        return {"usable_s": round(usable_s, 3), **transferred}
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--port", type=int, default=8742)
    parser.add_argument("--json", help="also write the measurements to this file")
    args = parser.parse_args()
    # The ORM before Playwright: its sync API runs an event loop in this thread.
    cookie = session_cookie(bench_instructor())
    from playwright.sync_api import sync_playwright

    runs = []
    with gunicorn(args.port, BENCH_GZIP="true") as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for number in range(1, args.runs + 1):
                run = one_run(browser, base, cookie)
                runs.append(run)
                print(
                    f"run {number}: usable after {run['usable_s']:.2f} s "
                    f"({run['requests']} requests, {run['bytes'] / 1024:.1f} KB transferred)"
                )
        finally:
            browser.close()
    median = statistics.median(run["usable_s"] for run in runs)
    print(f"check-in page usable on 400 kbit/s, 400 ms: median {median:.2f} s")
    if args.json:
        result = {"link": LINK, "runs": runs, "median_s": round(median, 3)}
        Path(args.json).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
