"""A small HTTP load generator for the throughput check: N threads, each sending GET requests
one after another (http.client; a sync gunicorn worker closes the connection after each reply,
and the connection opens again for the next), for a warm-up and then a bounded measuring window.

Only the replies that finish inside the window count, and only HTTP 200 counts as served: a
redirect to the login page is an error, never throughput.
"""

import http.client
import statistics
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Sample:
    finished: float  # time.monotonic() when the reply was read
    status: int  # 0: the request failed (connection refused, reset, timeout)
    seconds: float  # from sending the request to the end of the reply


def summarize(samples: list[Sample], start: float, end: float) -> dict:
    """Replies finished in [start, end): how many, how many were HTTP 200, per second, and the
    latency of the 200s (median, p95) in milliseconds."""
    window = [sample for sample in samples if start <= sample.finished < end]
    served = sorted(sample.seconds * 1000 for sample in window if sample.status == 200)
    seconds = end - start
    if len(served) >= 2:
        p95 = statistics.quantiles(served, n=20)[-1]
    else:
        p95 = served[0] if served else None
    return {
        "seconds": round(seconds, 2),
        "requests": len(window),
        "ok": len(served),
        "errors": len(window) - len(served),
        "per_second": round(len(served) / seconds, 1) if seconds > 0 else 0.0,
        "median_ms": round(statistics.median(served), 1) if served else None,
        "p95_ms": round(p95, 1) if p95 is not None else None,
    }


def _worker(url: str, headers: dict[str, str], deadline: float, samples: list[Sample]) -> None:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    while time.monotonic() < deadline:
        sent = time.monotonic()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            connection.close()
            status = 0
        finished = time.monotonic()
        samples.append(Sample(finished, status, finished - sent))  # list.append is atomic
    connection.close()


def run_load(
    url: str,
    *,
    headers: dict[str, str] | None = None,
    concurrency: int = 8,
    warmup: float = 3.0,
    duration: float = 10.0,
) -> dict:
    samples: list[Sample] = []
    began = time.monotonic()
    start, end = began + warmup, began + warmup + duration
    threads = [
        threading.Thread(target=_worker, args=(url, headers or {}, end, samples), daemon=True)
        for _ in range(concurrency)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"url": url, "concurrency": concurrency, **summarize(samples, start, end)}
