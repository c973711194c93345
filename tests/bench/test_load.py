"""The benchmark's pure helpers: the load generator's counting and the run's check lines (no
timing is asserted; bench/ measures, tests only check how it counts)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.load import Sample, run_load, summarize
from bench.run import extra_checks


def test_summarize_counts_only_the_window_and_only_http_200_as_served():
    samples = [
        Sample(finished=0.5, status=200, seconds=0.010),  # warm-up: left out
        Sample(finished=1.0, status=200, seconds=0.020),
        Sample(finished=1.5, status=200, seconds=0.040),
        Sample(finished=2.0, status=302, seconds=0.001),  # a redirect is not throughput
        Sample(finished=2.5, status=0, seconds=0.500),  # a failed request
        Sample(finished=3.0, status=200, seconds=0.030),  # the window's end is open
    ]
    found = summarize(samples, start=1.0, end=3.0)
    assert found["requests"] == 4
    assert found["ok"] == 2
    assert found["errors"] == 2
    assert found["per_second"] == 1.0
    assert found["median_ms"] == 30.0


def test_summarize_of_nothing_served():
    found = summarize([Sample(1.0, 500, 0.1)], start=0.0, end=2.0)
    assert (found["ok"], found["errors"], found["per_second"]) == (0, 1, 0.0)
    assert found["median_ms"] is None and found["p95_ms"] is None


class _Handler(BaseHTTPRequestHandler):
    served: dict[str, int] = {}

    def do_GET(self):  # noqa: N802  the stdlib's name
        self.served[self.path] = self.served.get(self.path, 0) + 1
        status = 200 if self.path == "/ok" else 302
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_run_load_counts_replies_of_a_real_server(server):
    _Handler.served.clear()
    found = run_load(f"{server}/ok", concurrency=2, warmup=0.1, duration=0.3)
    assert found["ok"] > 0 and found["errors"] == 0
    # The window is part of the run: the server answered at least what was counted.
    assert _Handler.served["/ok"] >= found["requests"]
    redirected = run_load(f"{server}/moved", concurrency=2, warmup=0.0, duration=0.2)
    assert redirected["ok"] == 0 and redirected["errors"] == redirected["requests"] > 0


def _extra(**changes):
    extra = {
        "throughput": {"ratio_percent": 30.0},
        "files": {"assignments": 144, "rollup_s": 0.1, "workbook_3000_rows_s": 0.7, "docx_s": 0.05},
        "check_in": {"median_s": 1.7},
        "figure_sql": {"same": True, "ratio": 1.1},
    }
    extra.update(changes)
    return extra


def test_extra_checks_lines_and_verdicts():
    lines = {line["name"]: line for line in extra_checks(_extra())}
    assert all(line["ok"] is True for line in lines.values())
    assert "quarter roll-up workbook alone, 3,000 rows (the reports repeated)" in lines
    slow = extra_checks(_extra(throughput={"ratio_percent": 7.4}))
    assert slow[0]["ok"] is False and slow[0]["measured"] == 7.4


def test_a_figure_that_disagrees_with_its_sql_is_not_met_however_fast():
    lines = extra_checks(_extra(figure_sql={"same": False, "ratio": 0.5}))
    assert lines[-1]["ok"] is False


def test_without_the_browser_the_slow_link_line_is_not_measured():
    extra = _extra()
    del extra["check_in"]
    line = next(line for line in extra_checks(extra) if "400 kbit/s" in line["name"])
    assert line["measured"] is None and line["ok"] is None


def test_at_scale_one_there_is_no_repeated_rows_line():
    files = {"assignments": 2902, "rollup_s": 1.4, "workbook_3000_rows_s": None, "docx_s": 0.05}
    names = [line["name"] for line in extra_checks(_extra(files=files))]
    assert not any("repeated" in name for name in names)
