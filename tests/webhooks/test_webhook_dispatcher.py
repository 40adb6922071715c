"""Webhook delivery end to end, on both back ends, as deployed: an administrator registers an
endpoint through the API, changes are made through the API, a dispatcher delivers them to a
real HTTP receiver that verifies every request with the ``standardwebhooks`` package."""

from __future__ import annotations

import itertools
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from api_helpers import SECRET_KEYS, Api, empty_graph, open_api
from servers import store_env
from standardwebhooks.webhooks import Webhook
from webhook_receiver import Answer, Receiver, receiving

from dealgraph.transfer import export_graph, import_graph
from graph.backends.embedded import EmbeddedExecutor
from graph.executor import Executor
from graph.store import GraphStore
from graph.webhook_store import WebhookStore
from resolvers.webhooks import Sealing, seal_secrets
from webhooks import signing
from webhooks.dispatcher import BackgroundDispatcher, Dispatcher, DispatchSettings
from webhooks.retry import RetryPolicy
from webhooks.sealing import UNREADABLE, SecretBox

ROOT = Path(__file__).resolve().parents[2]
FAST = RetryPolicy(first_ms=50, factor=2.0, max_ms=500, jitter=0.2)
"""A retry schedule for tests: the production one waits seconds to hours."""
APP_SETTINGS = {"webhooks_allow_private": True}
"""The app with no dispatcher of its own (each test runs the one it observes)."""

CREATE_ENDPOINT = """
mutation($input: WebhookEndpointCreateInput!) {
  webhookEndpointCreate(input: $input) {
    endpoint { id url events enabled disabledReason }
    secret
    userErrors { field message code }
  }
}"""
ENDPOINTS = "{ webhookEndpoints { id enabled disabledReason } }"
DELIVERIES = """
query($endpointId: ID, $status: String) {
  webhookDeliveries(endpointId: $endpointId, status: $status) {
    id eventId eventType status attempts lastStatus lastError payload
  }
}"""


@pytest.fixture
def api(api_executor: Executor) -> Iterator[Api]:
    with open_api(api_executor, settings=APP_SETTINGS) as served:
        yield served


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with receiving() as running:
        yield running


def register(api: Api, receiver: Receiver, events: list[str] | None = None) -> str:
    """Register the receiver (all events by default); it verifies with the secret given."""
    payload = api.mutate(
        CREATE_ENDPOINT,
        {"input": {"url": receiver.url, "events": events or ["*"], "description": "test"}},
    )
    receiver.secret = payload["secret"]
    assert payload["secret"].startswith("whsec_")
    return str(payload["endpoint"]["id"])


def scripted_deal(api: Api, suffix: str = "") -> None:
    """A customer, a person, a deal and the person in its decision chain."""
    customer = api.mutate(
        "mutation($n: String!) { customerCreate(input: {name: $n}) { customer { id } "
        "userErrors { field message code } } }",
        {"n": f"City Bank{suffix}"},
    )["customer"]["id"]
    person = api.mutate(
        'mutation($c: ID!) { keyPersonCreate(input: {customerId: $c, name: "Wang Li", '
        'email: "wang@example.com"}) { keyPerson { id } userErrors { field message code } } }',
        {"c": customer},
    )["keyPerson"]["id"]
    deal = api.mutate(
        'mutation($c: ID!) { opportunityCreate(input: {customerId: $c, name: "Core system"}) '
        "{ opportunity { id } userErrors { field message code } } }",
        {"c": customer},
    )["opportunity"]["id"]
    api.mutate(
        "mutation($p: ID!, $o: ID!) { decisionChainMemberSet(input: {personId: $p, "
        "opportunityId: $o, role: DECISION_MAKER}) { userErrors { field message code } } }",
        {"p": person, "o": deal},
    )


def dispatcher(
    executor: Executor, *, allow_private: bool = True, keys: tuple[str, ...] = SECRET_KEYS
) -> Dispatcher:
    """A dispatcher with the server's secret keys (``keys``), as the server runs it."""
    config = DispatchSettings(allow_private=allow_private, policy=FAST, idle_s=0.05)
    return Dispatcher(GraphStore(executor), config, box=SecretBox(keys))


def drive(worker: Dispatcher, done: Callable[[], bool], timeout: float = 60.0) -> None:
    """Run dispatch rounds until ``done`` (or fail after ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    try:
        while not done():
            assert time.monotonic() < deadline, "the deliveries did not finish in time"
            if not worker.run_once():
                time.sleep(0.05)
    finally:
        worker.close()


def outbox(executor: Executor) -> dict[str, dict[str, Any]]:
    """Every event of the outbox by id (the ids deliveries must carry)."""
    rows = executor.read("MATCH (e:WebhookEvent) RETURN properties(e) AS e", {})
    return {row["e"]["id"]: row["e"] for row in rows}


def expected_events(api: Api, endpoint_id: str) -> dict[str, dict[str, Any]]:
    """The events that happened once the endpoint existed (those it subscribes to)."""
    created = WebhookStore(api.store).endpoints(endpoint_id)[0]["created_at"]  # = enabled since
    return {k: e for k, e in outbox(api.store.executor).items() if e["at"] >= created}


def test_every_change_is_delivered_signed_once(api: Api, receiver: Receiver) -> None:
    endpoint = register(api, receiver)
    scripted_deal(api)
    expected = expected_events(api, endpoint)
    assert {e["type"] for e in expected.values()} == {
        "customer.created",
        "key_person.created",
        "opportunity.created",
        "decision_chain.member_changed",
    }
    drive(dispatcher(api.store.executor), lambda: set(receiver.accepted()) >= set(expected))
    assert all(r.verified for r in receiver.received)
    assert sorted(r.message_id for r in receiver.received) == sorted(expected)
    for message_id, request in receiver.accepted().items():
        assert request.body.decode() == expected[message_id]["payload"]
        assert request.event["type"] == expected[message_id]["type"]
        assert request.headers["content-type"] == "application/json"
    chain = next(
        r.event for r in receiver.received if r.event["type"] == "decision_chain.member_changed"
    )
    assert chain["data"]["after"]["role"] == "DECISION_MAKER"
    deliveries = api.data(DELIVERIES, {"endpointId": endpoint})["webhookDeliveries"]
    assert {d["status"] for d in deliveries} == {"succeeded"}
    assert {d["eventId"] for d in deliveries} == set(expected)


def test_the_servers_own_dispatcher_delivers(api_executor: Executor, receiver: Receiver) -> None:
    settings = {"webhooks_dispatch": True, "webhooks_allow_private": True}  # as deployed
    with open_api(api_executor, settings=settings) as served:
        endpoint = register(served, receiver)
        scripted_deal(served)
        expected = expected_events(served, endpoint)
        deadline = time.monotonic() + 60
        while set(receiver.accepted()) < set(expected):
            assert time.monotonic() < deadline, "the server did not deliver in time"
            time.sleep(0.1)
    assert all(r.verified for r in receiver.received)
    assert set(receiver.accepted()) == set(expected)


def test_a_receiver_failing_three_times_gets_each_event_once_more(
    api: Api, receiver: Receiver
) -> None:
    receiver.answer = lambda _id, n: (500, {}, 0.0) if n <= 3 else (200, {}, 0.0)
    endpoint = register(api, receiver, ["opportunity.created", "customer.created"])
    scripted_deal(api)
    expected = {
        k: e
        for k, e in expected_events(api, endpoint).items()
        if e["type"] in ("opportunity.created", "customer.created")
    }
    assert len(expected) == 2
    drive(dispatcher(api.store.executor), lambda: set(receiver.accepted()) >= set(expected))
    for message_id, event in expected.items():
        attempts = receiver.attempts(message_id)
        assert [r.status for r in attempts] == [500, 500, 500, 200]
        assert {r.body.decode() for r in attempts} == {event["payload"]}
        assert all(r.verified for r in attempts)
        gaps = [b.at - a.at for a, b in itertools.pairwise(attempts)]
        floors = [FAST.first_ms * FAST.factor**n * (1 - FAST.jitter) / 1000 for n in range(3)]
        assert all(gap >= floor for gap, floor in zip(gaps, floors, strict=True)), gaps
    deliveries = api.data(DELIVERIES, {"endpointId": endpoint})["webhookDeliveries"]
    assert [(d["status"], d["attempts"]) for d in deliveries] == [("succeeded", 4)] * 2


def test_410_disables_the_endpoint_and_a_failed_delivery_can_be_replayed(
    api: Api, receiver: Receiver
) -> None:
    receiver.answer = lambda _id, n: (410, {}, 0.0)
    endpoint = register(api, receiver, ["customer.created"])
    scripted_deal(api)
    drive(dispatcher(api.store.executor), lambda: len(receiver.received) >= 1)
    (endpoint_row,) = api.data(ENDPOINTS)["webhookEndpoints"]
    assert endpoint_row == {
        "id": endpoint,
        "enabled": False,
        "disabledReason": "the endpoint answered 410 Gone",
    }
    chinese = api.body(ENDPOINTS, headers={"Accept-Language": "zh-CN"})["data"]
    assert chinese["webhookEndpoints"][0]["disabledReason"] == "端点答复 410 Gone（已不存在）"
    (failed,) = api.data(DELIVERIES, {"endpointId": endpoint, "status": "failed"})[
        "webhookDeliveries"
    ]
    assert (failed["lastStatus"], failed["attempts"]) == (410, 1)
    scripted_deal(api, " 2")  # a disabled endpoint gets nothing of the time it is off
    worker = dispatcher(api.store.executor)
    assert worker.run_once() == []
    worker.close()

    receiver.answer = lambda _id, n: (204, {}, 0.0)
    api.mutate(
        "mutation($id: ID!) { webhookEndpointEnable(id: $id) { endpoint { enabled } "
        "userErrors { field message code } } }",
        {"id": endpoint},
    )
    retried = api.mutate(
        "mutation($id: ID!) { webhookDeliveryRetry(id: $id) { delivery { id status eventId } "
        "userErrors { field message code } } }",
        {"id": failed["id"]},
    )["delivery"]
    assert retried == {"id": failed["id"], "status": "pending", "eventId": failed["eventId"]}
    drive(dispatcher(api.store.executor), lambda: failed["eventId"] in receiver.accepted())
    assert [r.message_id for r in receiver.received] == [failed["eventId"]] * 2
    assert receiver.received[0].body == receiver.received[1].body


def test_retry_after_is_honoured(api: Api, receiver: Receiver) -> None:
    answers: dict[int, Answer] = {1: (503, {"Retry-After": "2"}, 0.0)}
    receiver.answer = lambda _id, n: answers.get(n, (204, {}, 0.0))
    register(api, receiver, ["customer.created"])
    scripted_deal(api)
    drive(dispatcher(api.store.executor), lambda: len(receiver.accepted()) == 1)
    first, second = receiver.received
    assert first.message_id == second.message_id
    assert second.at - first.at >= 2.0  # the schedule alone would retry after ~50 ms


def test_private_targets_are_refused_at_delivery_unless_allowed(
    api: Api, receiver: Receiver
) -> None:
    endpoint = register(api, receiver, ["customer.created"])  # allowed by this app's settings
    scripted_deal(api)
    worker = dispatcher(api.store.executor, allow_private=False)
    worker.run_once()
    worker.close()
    assert receiver.started == []
    (pending,) = api.data(DELIVERIES, {"endpointId": endpoint})["webhookDeliveries"]
    assert pending["status"] == "pending"
    assert pending["lastError"] == "target refused: url: must start with https://"
    zh = api.body(DELIVERIES, {"endpointId": endpoint}, headers={"Accept-Language": "zh-CN"})
    assert (
        zh["data"]["webhookDeliveries"][0]["lastError"] == "目标地址被拒绝：url：须以 https:// 开头"
    )


def test_a_delivery_s_last_error_reads_in_the_reader_s_language_with_the_network_s_words(
    api: Api, receiver: Receiver
) -> None:
    """Nothing listens at the endpoint: the error says so in Chinese to a Chinese reader, the
    network's own words kept as they were said, and stays as it was in English."""
    with socket.socket() as closed:  # a port nothing listens on once closed
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    receiver.url = f"http://127.0.0.1:{port}/hook"
    endpoint = register(api, receiver, ["customer.created"])
    scripted_deal(api)
    worker = dispatcher(api.store.executor)
    worker.run_once()
    worker.close()
    (english,) = api.data(DELIVERIES, {"endpointId": endpoint})["webhookDeliveries"]
    zh = api.body(DELIVERIES, {"endpointId": endpoint}, headers={"Accept-Language": "zh-CN"})
    (chinese,) = zh["data"]["webhookDeliveries"]
    assert english["status"] == "pending"
    assert english["lastError"].startswith("ConnectError: "), english["lastError"]
    assert chinese["lastError"] == f"无法连接到端点：{english['lastError']}"


# --- a dispatcher process killed with kill -9 mid-delivery ---------------------------------


def dispatcher_env(executor: Executor, request: pytest.FixtureRequest) -> dict[str, str]:
    """The environment of a `dealgraph webhooks dispatch` on the test's store."""
    env = {
        **os.environ,
        "PYTHONPATH": os.fspath(ROOT),
        "DEALGRAPH_WEBHOOKS_ALLOW_PRIVATE": "true",
        "DEALGRAPH_SECRET_KEY": ",".join(SECRET_KEYS),
    }
    if isinstance(executor, EmbeddedExecutor):
        env.update(store_env("embedded", executor.data_dir))
    else:
        env.update(store_env("neo4j", None, request.getfixturevalue("neo4j_uri")))
    return env


def start_dispatcher(env: dict[str, str], cwd: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "dealgraph.cli", "webhooks", "dispatch"]
    options = ["--lease", "6", "--timeout", "5", "--first-retry", "0.1", "--idle", "0.1"]
    return subprocess.Popen(
        [*command, *options], env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_a_dispatcher_killed_mid_delivery_loses_no_event(
    api: Api, receiver: Receiver, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    hung: list[str] = []
    lock = threading.Lock()

    def answer(message_id: str, n: int) -> Answer:
        with lock:
            first = not hung
            if first:
                hung.append(message_id)
        return (503, {}, 12.0) if first else (204, {}, 0.0)  # answered after the kill

    receiver.answer = answer
    endpoint = register(api, receiver)
    scripted_deal(api)
    expected = expected_events(api, endpoint)
    env = dispatcher_env(api.store.executor, request)
    first = start_dispatcher(env, tmp_path)
    try:
        wait_for(lambda: bool(receiver.started), 120, "the first delivery to arrive")
        first.send_signal(signal.SIGKILL)
        assert first.wait(10) == -signal.SIGKILL
    finally:
        if first.poll() is None:
            first.kill()
    second = start_dispatcher(env, tmp_path)
    try:
        wait_for(
            lambda: set(receiver.accepted()) >= set(expected),
            120,
            "every event to be delivered after the kill",
        )
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(30)
    (hung_id,) = hung
    wait_for(lambda: len(receiver.attempts(hung_id)) == 2, 30, "the killed attempt's answer")
    assert [r.status for r in receiver.attempts(hung_id)] in ([503, 204], [204, 503])
    assert all(r.verified for r in receiver.received)
    assert set(receiver.accepted()) == set(expected)


def test_the_outbox_is_pruned_hourly_beyond_its_retention_endpoints_or_not(api: Api) -> None:
    scripted_deal(api)  # no endpoint anywhere: the events are never delivered
    first = outbox(api.store.executor)
    assert len(first) == 4
    config = DispatchSettings(policy=FAST)
    clock = [max(e["at"] for e in first.values()) + config.keep_ms + 600_000]
    worker = Dispatcher(GraphStore(api.store.executor), config, clock=lambda: clock[0])
    try:
        assert worker.run_once() == []
        assert outbox(api.store.executor) == {}
        scripted_deal(api, " 2")
        worker.run_once()
        assert len(outbox(api.store.executor)) == 4  # the next pruning is an hour away
        clock[0] += config.prune_every_ms
        worker.run_once()
        assert outbox(api.store.executor) == {}
    finally:
        worker.close()


def test_the_outbox_is_kept_longer_than_deliveries_are_retried() -> None:
    with pytest.raises(ValueError, match="retry window"):
        DispatchSettings(keep_ms=RetryPolicy().window_ms)


# --- signing secrets sealed at rest ---------------------------------------------------------

ROTATE = """mutation($id: ID!) { webhookEndpointRotateSecret(id: $id) {
  endpoint { id } secret userErrors { field message code } } }"""
RETRY = """mutation($id: ID!) { webhookDeliveryRetry(id: $id) {
  delivery { id status } userErrors { field message code } } }"""
OTHER_KEYS = ("b3RoZXItc2VydmVyLW90aGVyLWtleS0zMi1ieXRlcyE=",)
"""Another server's secret key: it opens nothing the tests' key sealed."""


def stored(executor: Executor) -> dict[str, Any]:
    """The only endpoint as the store holds it, every property."""
    (row,) = executor.read("MATCH (ep:WebhookEndpoint) RETURN properties(ep) AS ep", {})
    endpoint: dict[str, Any] = row["ep"]
    return endpoint


def test_the_store_holds_the_secret_sealed_and_deliveries_verify(
    api: Api, receiver: Receiver
) -> None:
    register(api, receiver, ["customer.created"])
    endpoint = stored(api.store.executor)
    key_part = receiver.secret.removeprefix("whsec_")
    assert all(key_part not in str(value) for value in endpoint.values())
    assert endpoint["secret"].startswith("fernet:")
    assert SecretBox(SECRET_KEYS).open(endpoint["secret"]) == receiver.secret
    scripted_deal(api)
    drive(dispatcher(api.store.executor), lambda: len(receiver.accepted()) == 1)
    assert all(r.verified for r in receiver.received)


def test_during_a_rotation_both_stored_secrets_sign(api: Api, receiver: Receiver) -> None:
    endpoint = register(api, receiver, ["customer.created"])
    old = receiver.secret
    receiver.secret = api.mutate(ROTATE, {"id": endpoint})["secret"]
    sealed = stored(api.store.executor)
    assert {sealed["secret"][:7], sealed["previous_secret"][:7]} == {"fernet:"}
    scripted_deal(api)
    drive(dispatcher(api.store.executor), lambda: len(receiver.accepted()) == 1)
    (request,) = receiver.received
    assert request.verified
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    Webhook(old).verify(request.body, request.headers)  # receivers not yet switched verify too


def test_a_secret_stored_in_plain_text_is_sealed_at_start_and_keeps_signing(
    api_executor: Executor, receiver: Receiver
) -> None:
    empty_graph(api_executor)
    plain = signing.new_secret()  # as stored before secrets were sealed
    WebhookStore(GraphStore(api_executor)).create_endpoint(
        receiver.url, ["customer.created"], "", plain
    )
    receiver.secret = plain
    with open_api(api_executor, empty=False, settings=APP_SETTINGS) as api:
        sealed = stored(api_executor)["secret"]
        assert sealed.startswith("fernet:")
        assert SecretBox(SECRET_KEYS).open(sealed) == plain
        scripted_deal(api)
        drive(dispatcher(api_executor), lambda: len(receiver.accepted()) == 1)
    assert all(r.verified for r in receiver.received)
    with open_api(api_executor, empty=False, settings=APP_SETTINGS):
        assert stored(api_executor)["secret"] == sealed  # the next start finds nothing to do


def test_processes_sealing_at_once_seal_each_secret_once(api_executor: Executor) -> None:
    empty_graph(api_executor)
    hooks = WebhookStore(GraphStore(api_executor))
    plain = [signing.new_secret() for _ in range(5)]
    for n, secret in enumerate(plain):
        hooks.create_endpoint(f"https://93.184.215.{n}/hooks", ["*"], "", secret)
    barrier = threading.Barrier(3)
    results: list[Sealing] = []

    def seal() -> None:
        barrier.wait()
        results.append(seal_secrets(GraphStore(api_executor), SecretBox(SECRET_KEYS)))

    threads = [threading.Thread(target=seal) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.sealed for r in results) == 5
    box = SecretBox(SECRET_KEYS)
    opened = sorted(box.open(row["secret"]) for row in hooks.stored_secrets())
    assert opened == sorted(plain)
    assert seal_secrets(GraphStore(api_executor), box) == Sealing(kept=5)


def test_a_sealing_replaces_a_secret_only_while_it_is_still_what_was_read(
    api_executor: Executor,
) -> None:
    empty_graph(api_executor)
    hooks = WebhookStore(GraphStore(api_executor))
    plain = signing.new_secret()
    endpoint = hooks.create_endpoint("https://93.184.215.14/hooks", ["*"], "", plain)["id"]
    box = SecretBox(SECRET_KEYS)
    stale = {"id": endpoint, "secret": plain, "previous_secret": None}  # one process read…
    assert seal_secrets(GraphStore(api_executor), box).sealed == 1  # …another sealed first
    (theirs,) = hooks.stored_secrets()
    assert hooks.reseal([stale | {"sealed": box.seal(plain), "sealed_previous": None}]) == 0
    assert hooks.stored_secrets() == [theirs]
    rotated = hooks.rotate_secret(endpoint, box.seal(signing.new_secret()))  # a rotation wins
    assert rotated["id"] == endpoint
    (after,) = hooks.stored_secrets()
    rekeyed = {"sealed": box.seal(plain), "sealed_previous": None}
    assert hooks.reseal([theirs | rekeyed]) == 0  # what was read before the rotation
    assert hooks.stored_secrets() == [after]


def test_a_backup_restored_under_another_key_fails_clearly_until_the_secret_is_rotated(
    api_executor: Executor,
    receiver: Receiver,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    backup = tmp_path / "backup.jsonl"
    with open_api(api_executor, settings=APP_SETTINGS) as api:
        endpoint = register(api, receiver, ["customer.created"])
        export_graph(api.store, backup)
    assert receiver.secret.removeprefix("whsec_") not in backup.read_text(encoding="utf-8")
    empty_graph(api_executor)
    import_graph(GraphStore(api_executor), backup)
    with open_api(api_executor, empty=False, settings=APP_SETTINGS) as api:  # the same key
        scripted_deal(api)
        drive(dispatcher(api_executor), lambda: len(receiver.accepted()) == 1)
    assert all(r.verified for r in receiver.received)

    other = {**APP_SETTINGS, "secret_keys": OTHER_KEYS}
    with open_api(api_executor, empty=False, settings=other) as api:  # another server's key
        assert any("no secret key opens" in m and receiver.url in m for m in caplog.messages), (
            "the start names the endpoint whose secret it cannot open"
        )
        scripted_deal(api, " 2")
        worker = dispatcher(api_executor, keys=OTHER_KEYS)
        drive(worker, lambda: bool(failed_deliveries(api, endpoint)))
        (failed,) = failed_deliveries(api, endpoint)
        assert failed["lastError"] == UNREADABLE
        assert failed["attempts"] == 1
        assert len(receiver.received) == 1  # nothing was sent unsigned or wrongly signed
        assert f"webhook delivery to {receiver.url} failed: {UNREADABLE}" in caplog.messages

        receiver.secret = api.mutate(ROTATE, {"id": endpoint})["secret"]
        api.mutate(RETRY, {"id": failed["id"]})
        worker = dispatcher(api_executor, keys=OTHER_KEYS)
        drive(worker, lambda: failed["eventId"] in receiver.accepted())
    assert all(r.verified for r in receiver.received)


def failed_deliveries(api: Api, endpoint: str) -> list[dict[str, Any]]:
    query = {"endpointId": endpoint, "status": "failed"}
    found: list[dict[str, Any]] = api.data(DELIVERIES, query)["webhookDeliveries"]
    return found


# --- stopping the server's dispatcher -------------------------------------------------------


def test_an_idle_dispatcher_stops_at_once_whatever_its_wait_between_rounds(
    api: Api, receiver: Receiver
) -> None:
    """Ctrl-C on the server: an idle dispatcher does not wait its pause out."""
    register(api, receiver, ["customer.created"])  # an endpoint on: the dispatcher keeps going
    config = DispatchSettings(allow_private=True, policy=FAST, idle_s=30.0)
    background = BackgroundDispatcher(Dispatcher(GraphStore(api.store.executor), config))
    background.start()
    time.sleep(0.5)  # into its pause
    started = time.monotonic()
    background.stop()
    assert time.monotonic() - started < 1.0


def test_a_stopping_dispatcher_finishes_the_delivery_in_flight_and_sends_no_more(
    api: Api, receiver: Receiver
) -> None:
    """A stop mid-round: the request already sent gets its answer and is recorded; the rest of
    the round's deliveries are not sent now but stay due, for the next dispatcher."""
    receiver.answer = lambda _id, n: (204, {}, 1.5)
    endpoint = register(api, receiver, ["customer.created"])
    for n in range(4):
        scripted_deal(api, f" {n}")
    config = DispatchSettings(
        allow_private=True, policy=FAST, idle_s=0.05, concurrency=1, lease_ms=6000, timeout_s=2
    )
    background = BackgroundDispatcher(
        Dispatcher(GraphStore(api.store.executor), config, box=SecretBox(SECRET_KEYS))
    )
    background.start()
    wait_for(lambda: len(receiver.started) == 1, 30, "the first request")
    started = time.monotonic()
    background.stop()
    assert time.monotonic() - started < 2.5, "it waited for more than the request in flight"
    assert len(receiver.started) == 1
    deliveries = api.data(DELIVERIES, {"endpointId": endpoint})["webhookDeliveries"]
    assert sorted(d["status"] for d in deliveries) == ["pending"] * 3 + ["succeeded"]

    receiver.answer = lambda _id, n: (204, {}, 0.0)
    drive(dispatcher(api.store.executor), lambda: len(receiver.accepted()) == 4)  # lease ended
    assert len(receiver.started) == 4, "each was sent once more in all"
