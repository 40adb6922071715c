"""The webhook dispatcher: fans new outbox events out to endpoints and delivers them.

One loop, in the server process (a thread per worker) or alone (``dealgraph webhooks
dispatch``). Each round: fan out new events, lease due deliveries, send them concurrently,
record the outcomes (one statement for the round; a 410 disables its endpoint at once). Once an
hour it also drops the outbox events older than the retention (30 days) with their finished
deliveries, endpoints or not: every audited write adds an event, and the store would keep them all.
Several dispatchers share a store safely: a lease is taken under the delivery's lock, and an
outcome is recorded only by the holder of the current attempt. A dispatcher killed
mid-delivery leaves its lease to expire; the next one sends the same event again with the same
id (at least once).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx

from domain.errors import DomainError
from domain.text import Text
from domain.webhook_events import (
    ANSWERED_GONE,
    NO_ANSWER_IN_TIME,
    NO_CONNECTION,
    NOT_SENT,
    SECRET_UNREADABLE,
    TARGET_REFUSED,
)
from graph.outage import StoreUnreachableError
from graph.store import GraphStore, now_ms
from graph.webhook_store import FAILED, PENDING, SUCCEEDED, Claimed, WebhookStore, finished
from webhooks import signing
from webhooks.retry import DAY_MS, RetryPolicy, retry_after_ms
from webhooks.sealing import SecretBox, SecretUnreadableError
from webhooks.targets import resolve_target

log = logging.getLogger("dealgraph.webhooks")

USER_AGENT = "dealgraph-webhooks/1"
GONE_REASON = ANSWERED_GONE.en


@dataclass(frozen=True, slots=True)
class DispatchSettings:
    """How a dispatcher works; the defaults suit production."""

    allow_private: bool = False
    lease_ms: int = 60_000
    batch: int = 32  # with 8 connections and 10 s answers: 40 s, inside the lease
    concurrency: int = 8
    timeout_s: float = 10.0
    idle_s: float = 1.0
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    keep_ms: int = 30 * DAY_MS  # outbox retention: longer than the retry window
    prune_every_ms: int = 3600 * 1000

    def __post_init__(self) -> None:
        if self.keep_ms <= self.policy.window_ms:
            raise ValueError("the outbox must be kept longer than the retry window")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one attempt came to."""

    delivery_id: str
    status: str
    http_status: int | None
    recorded: bool


class Dispatcher:
    """Delivers the outbox of one store; ``run`` loops until stopped."""

    def __init__(
        self,
        store: GraphStore,
        settings: DispatchSettings | None = None,
        *,
        clock: Callable[[], int] = now_ms,
        client: httpx.Client | None = None,
        box: SecretBox | None = None,
    ) -> None:
        self.settings = settings or DispatchSettings()
        self.box = box or SecretBox()
        self.webhooks = WebhookStore(store)
        self.clock = clock
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.client = client or httpx.Client(
            timeout=self.settings.timeout_s,
            follow_redirects=False,
            trust_env=False,  # no proxy from the environment between us and the checked address
            headers={"user-agent": USER_AGENT},
        )
        self._pool = ThreadPoolExecutor(
            max_workers=self.settings.concurrency, thread_name_prefix="webhook"
        )
        self._next_prune = 0
        self._stopping = threading.Event()

    def close(self) -> None:
        """Release the HTTP connections and the sending threads."""
        self._pool.shutdown(wait=True)
        self.client.close()

    def prune_due(self) -> tuple[int, int]:
        """Drop the outbox beyond the retention when the last pruning is ``prune_every_ms``
        old: (events, deliveries) dropped."""
        now = self.clock()
        if now < self._next_prune:
            return 0, 0
        self._next_prune = now + self.settings.prune_every_ms
        dropped = self.webhooks.prune(now - self.settings.keep_ms)
        if dropped[0]:
            log.info("webhook outbox: %d old events and %d deliveries dropped", *dropped)
        return dropped

    def run_once(self) -> list[Outcome]:
        """One round: fan out, claim, send, record (the outcomes in one statement). Nothing at
        all while no endpoint is on, but the outbox's pruning when it is due."""
        self.prune_due()
        if not self.webhooks.any_enabled():
            return []
        now = self.clock()
        self.webhooks.fan_out(now, self.settings.policy.window_ms)
        claimed = self.webhooks.claim(self.owner, now, self.settings.lease_ms, self.settings.batch)
        results = list(self._pool.map(self.attempt, claimed))
        rows = [row for _, row in results if row is not None]
        recorded = self.webhooks.finish_many(rows, self.owner)
        return [
            outcome if row is None else dataclasses.replace(outcome, recorded=row["id"] in recorded)
            for outcome, row in results
        ]

    def run(self, stop: threading.Event) -> None:
        """Deliver until ``stop`` is set; a round that found nothing waits ``idle_s`` (on the
        event: a stop does not wait it out). Once stopping, a round under way finishes the
        requests already sent and sends no more: the deliveries it leased and did not send
        are sent again when their lease ends, by whichever dispatcher runs then."""
        self._stopping = stop
        failures = 0
        while not stop.is_set():
            try:
                done = self.run_once()
                failures = 0
            except Exception as error:  # the store may be restarting: log, wait, go on
                failures += 1
                # the trace of an outage's first failure, whoever met it: the requests after
                # it log theirs without (``graph.outage``)
                began = isinstance(error, StoreUnreachableError) and error.first
                if failures in (1, 10) or failures % 100 == 0 or began:
                    log.warning(
                        "webhook dispatch round failed (%d in a row): %s",
                        failures,
                        error,
                        exc_info=error if began else None,
                    )
                done = []
            if not done:
                stop.wait(self.settings.idle_s)

    def attempt(self, claimed: Claimed) -> tuple[Outcome, dict[str, Any] | None]:
        """Send one leased delivery: its outcome and the row recording it (None when it is
        recorded already, or not sent because the lease would end before an answer)."""
        if self._stopping.is_set() or (
            self.clock() + self.settings.timeout_s * 1000 > claimed.lease_until
        ):
            return Outcome(claimed.id, PENDING, None, False), None  # re-claimed after the lease
        body = claimed.payload.encode("utf-8")
        try:
            target = resolve_target(claimed.url, allow_private=self.settings.allow_private)
        except DomainError as error:
            return self._failed(claimed, None, _refused(error), None)
        try:
            secrets = self.secrets(claimed)
        except SecretUnreadableError as error:
            log.error("webhook delivery to %s failed: %s", claimed.url, error)
            row = finished(claimed, FAILED, self.clock(), error=SECRET_UNREADABLE)
            return Outcome(claimed.id, FAILED, None, False), row
        sent_at = int(time.time())
        headers = signing.headers(secrets, claimed.event_id, sent_at, body)
        headers["host"] = target.host_header
        extensions = {"sni_hostname": target.host} if target.url.startswith("https:") else {}
        try:
            response = self.client.post(
                target.connect_url, content=body, headers=headers, extensions=extensions
            )
        except httpx.HTTPError as error:
            return self._failed(claimed, None, _not_sent(error), None)
        status = response.status_code
        if 200 <= status < 300:
            row = finished(claimed, SUCCEEDED, self.clock(), http_status=status)
            return Outcome(claimed.id, SUCCEEDED, status, False), row
        if status == 410:
            ok = self.webhooks.gone(claimed, self.owner, now=self.clock(), reason=GONE_REASON)
            return Outcome(claimed.id, FAILED, status, ok), None
        wait = retry_after_ms(response.headers.get("retry-after"), self.clock())
        return self._failed(claimed, status, Text(f"HTTP {status}", f"HTTP {status}"), wait)

    def secrets(self, claimed: Claimed) -> list[str]:
        """The claimed delivery's secrets, opened: the current one must open (else
        ``SecretUnreadableError``: no retry helps until the key or the secret changes); a
        previous one that does not open is left out, the current one signs alone."""
        current, *previous = claimed.secrets
        opened = [self.box.open(current)]
        for stored in previous:
            try:
                opened.append(self.box.open(stored))
            except SecretUnreadableError:
                log.warning("webhook endpoint %s: its previous secret does not open", claimed.url)
        return opened

    def _failed(
        self, claimed: Claimed, http_status: int | None, error: Text, wait_ms: int | None
    ) -> tuple[Outcome, dict[str, Any]]:
        now = self.clock()
        due = self.settings.policy.next_attempt(claimed.attempt, now, claimed.deadline_at, wait_ms)
        status = PENDING if due is not None else FAILED
        row = finished(claimed, status, now, due, http_status, error)
        return Outcome(claimed.id, status, http_status, False), row


def _refused(error: DomainError) -> Text:
    """Why the endpoint's address may not be sent to, in both languages."""
    return TARGET_REFUSED.format(problems=error.text)


def _not_sent(error: httpx.HTTPError) -> Text:
    """A request that got no answer: what kind of failure in the reader's language, then the
    network's own words as it said them."""
    words = f"{type(error).__name__}: {error}"
    if isinstance(error, httpx.TimeoutException):
        return NO_ANSWER_IN_TIME.format(words=words)
    if isinstance(error, httpx.ConnectError):
        return NO_CONNECTION.format(words=words)
    return NOT_SENT.format(words=words)


class BackgroundDispatcher:
    """A dispatcher on a daemon thread, for the server's lifespan."""

    def __init__(self, dispatcher: Dispatcher) -> None:
        self.dispatcher = dispatcher
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=dispatcher.run, args=(self._stop,), name="webhook-dispatcher", daemon=True
        )

    def start(self) -> None:
        """Start delivering."""
        self._thread.start()

    def stop(self, timeout: float = 15.0) -> None:
        """Stop after the round under way."""
        self._stop.set()
        self._thread.join(timeout)
        if not self._thread.is_alive():
            self.dispatcher.close()
