"""A local stand-in for the providers' HTTP APIs: http.server in a thread on 127.0.0.1 at a
random port, recording every request (method, path, query, headers, JSON body) and answering
what the test told it to, by path."""

import json
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    raw: bytes
    body: dict | None = field(default=None)


class FakeProvider:
    def __init__(self):
        self.received: list[Received] = []
        # path → list of (status, json) answered in turn; the last one repeats
        self.answers: dict[str, list[tuple[int, dict]]] = {}
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _handle(self):
                parsed = urllib.parse.urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                provider.received.append(
                    Received(
                        method=self.command,
                        path=parsed.path,
                        query=dict(urllib.parse.parse_qsl(parsed.query)),
                        headers={key.lower(): value for key, value in self.headers.items()},
                        raw=raw,
                        body=json.loads(raw) if raw else None,
                    )
                )
                status, answer = provider.next_answer(parsed.path)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = _handle
            do_POST = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def answer(self, path: str, *answers: tuple[int, dict]) -> None:
        self.answers[path] = list(answers)

    def next_answer(self, path: str) -> tuple[int, dict]:
        queue = self.answers.get(path)
        if not queue:
            return 200, {"errcode": 0, "errmsg": "ok", "code": "OK"}
        return queue.pop(0) if len(queue) > 1 else queue[0]

    def to(self, path: str) -> list[Received]:
        return [request for request in self.received if request.path == path]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
