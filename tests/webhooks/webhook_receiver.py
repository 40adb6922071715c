"""A real HTTP webhook receiver for the tests: verifies every delivery with the
``standardwebhooks`` package (as an integrator would) and answers as a test scripts it."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


@dataclass(frozen=True)
class Received:
    """One request as the receiver saw it."""

    message_id: str
    at: float
    body: bytes
    headers: dict[str, str]
    verified: bool
    status: int

    @property
    def event(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.body)
        return parsed


Answer = tuple[int, dict[str, str], float]
"""Status, extra headers and seconds to wait before answering."""


@dataclass
class Receiver:
    """What was received, the secret to verify with, and how to answer the n-th request for a
    message id (1 for the first)."""

    url: str = ""
    secret: str = ""
    answer: Callable[[str, int], Answer] = lambda _id, _n: (204, {}, 0.0)
    received: list[Received] = field(default_factory=list)
    started: list[str] = field(default_factory=list)
    """The message id of every request, as soon as it arrives (before it is answered)."""
    cut_short: int = 0
    """Requests whose body stopped before its content-length (never processed)."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def attempts(self, message_id: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if r.message_id == message_id]

    def accepted(self) -> dict[str, Received]:
        """Every message id answered with 2xx, with the request that got it."""
        with self.lock:
            return {r.message_id: r for r in self.received if 200 <= r.status < 300}

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("content-length") or 0)
        try:
            body = handler.rfile.read(length)
        except OSError:  # reset by a sender that died mid-request
            body = b""
        if len(body) < length:
            # The sender died mid-request (a dispatcher killed while sending several at once):
            # like any HTTP server, a request whose body never arrived is not processed.
            with self.lock:
                self.cut_short += 1
            return
        headers = {k.lower(): v for k, v in handler.headers.items()}
        message_id = headers.get("webhook-id", "")
        with self.lock:
            self.started.append(message_id)
        try:
            Webhook(self.secret).verify(body, headers)
            verified = True
        except WebhookVerificationError:
            verified = False
        with self.lock:
            n = 1 + sum(1 for r in self.received if r.message_id == message_id)
        status, extra, delay = self.answer(message_id, n) if verified else (401, {}, 0.0)
        if delay:
            time.sleep(delay)
        with self.lock:
            self.received.append(Received(message_id, time.time(), body, headers, verified, status))
        handler.send_response(status)
        for name, value in extra.items():
            handler.send_header(name, value)
        handler.send_header("content-length", "0")
        handler.end_headers()


@contextmanager
def receiving() -> Iterator[Receiver]:
    """A receiver on a free loopback port, for the duration of the block."""
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            receiver.handle(self)

        def log_message(self, format: str, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/dealgraph"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
