"""An outage's failures that do not say why (a driver's "Unable to retrieve routing
information"): the store is asked why once per outage, and every failure of the outage carries
the answer; the next outage asks again."""

from __future__ import annotations

import functools
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from graph.outage import Outage, StoreUnreachableError

UNROUTED = "Unable to retrieve routing information"
WHY = f"{UNROUTED}: Couldn't connect to db:7687 (reason [Errno 111] Connection refused)"


class Asked:
    """A ``why`` that counts its calls and takes a moment, as a probe of the store does."""

    def __init__(self) -> None:
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self) -> str:
        with self._lock:
            self.calls += 1
        time.sleep(0.2)
        return WHY


def test_requests_failing_at_once_ask_once_and_each_says_why() -> None:
    outage, asked = Outage("neo4j at neo4j://db:7687"), Asked()
    with ThreadPoolExecutor(6) as pool:
        errors = list(pool.map(lambda _: outage.failed(OSError(UNROUTED), asked), range(6)))
    assert asked.calls == 1
    assert {str(e) for e in errors} == {f"OSError: {WHY}"}
    assert [e.first for e in errors].count(True) == 1


def test_the_next_outage_asks_again() -> None:
    outage, asked = Outage("neo4j at neo4j://db:7687"), Asked()
    outage.failed(OSError(UNROUTED), asked)
    outage.failed(OSError(UNROUTED), asked)
    outage.answered()
    again = outage.failed(OSError(UNROUTED), asked)
    assert asked.calls == 2
    assert again.first
    assert str(again) == f"OSError: {WHY}"


def test_a_failure_that_says_why_itself_asks_nothing() -> None:
    error = Outage("neo4j at bolt://db:7687").failed(ConnectionRefusedError("Connection refused"))
    assert isinstance(error, StoreUnreachableError)
    assert str(error) == "ConnectionRefusedError: Connection refused"


def test_no_answer_keeps_the_failure_s_own_words() -> None:
    """The store answered the question (the probe reached it): nothing to add."""
    outage = Outage("neo4j at neo4j://db:7687")
    error = outage.failed(OSError(UNROUTED), lambda: None)
    assert str(error) == f"OSError: {UNROUTED}"


def test_an_outage_whose_cause_changes_tells_each_cause_in_its_own_words() -> None:
    """Nothing listens (the probe says so), then the server is back but refuses the login
    (its password changed meanwhile): the refusal is not told as the first cause, and a probe
    that found nothing to add does not silence the next question."""
    outage, asked = Outage("neo4j at neo4j://db:7687"), Asked()
    refused = "refused the login of user 'neo4j' (DEALGRAPH_NEO4J_USER)"

    def login(said: str) -> str:
        return f"{refused}: {said}"

    first = outage.failed(OSError(UNROUTED), asked)
    second = outage.failed(OSError("Unauthorized"), functools.partial(login, "Unauthorized"))
    third = outage.failed(OSError(UNROUTED), asked)
    assert str(first) == str(third) == f"OSError: {WHY}"
    assert str(second) == f"OSError: {refused}: Unauthorized"
    assert asked.calls == 1

    quiet = Outage("neo4j at neo4j://db:7687")
    quiet.failed(OSError(UNROUTED), lambda: None)
    later = quiet.failed(OSError("Unauthorized"), functools.partial(login, "Unauthorized"))
    assert str(later) == f"OSError: {refused}: Unauthorized"
