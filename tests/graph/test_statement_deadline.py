"""A statement sent within a request is bounded by the request's deadline in the store itself:
Neo4j ends the transaction of one that waits on a lock at the deadline (and the thread that
sent it comes back); outside a request (the CLI, background work) a statement has no bound."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from neo4j_locks import node_locked

from graph.deadline import CURRENT_DEADLINE, Deadline, DeadlinePassedError
from graph.executor import Executor

SET = "MATCH (o:Opportunity {id: 'held'}) SET o.name = $name RETURN o.name AS name"
NAME = "MATCH (o:Opportunity {id: 'held'}) RETURN o.name AS name"


def test_a_statement_may_take_what_is_left_rounded_up_to_the_millisecond() -> None:
    deadline = Deadline.after(30)
    deadline.at = time.monotonic() + 1.2344
    seconds = deadline.statement_seconds()
    assert 1.2 < seconds <= 1.235
    assert seconds == round(seconds, 3)
    deadline.at = time.monotonic() - 0.001
    with pytest.raises(DeadlinePassedError):
        deadline.statement_seconds()  # not even sent: the answer could not be used


def test_there_is_no_deadline_outside_a_request() -> None:
    assert CURRENT_DEADLINE.get() is None


@pytest.fixture
def neo4j_graph(neo4j_executor: Executor) -> Iterator[Executor]:
    neo4j_executor.write("MATCH (n) DETACH DELETE n", {})
    neo4j_executor.write("CREATE (:Opportunity {id: 'held', name: 'before'})", {})
    yield neo4j_executor
    neo4j_executor.write("MATCH (n) DETACH DELETE n", {})


@pytest.mark.neo4j
def test_within_a_request_neo4j_ends_a_write_waiting_on_a_lock_at_the_deadline(
    neo4j_uri: str, neo4j_graph: Executor
) -> None:
    with node_locked(neo4j_uri, "Opportunity", "held"):
        deadline = Deadline.after(1)
        token = CURRENT_DEADLINE.set(deadline)
        started = time.monotonic()
        try:
            with pytest.raises(DeadlinePassedError) as late:
                neo4j_graph.write(SET, {"name": "late"})
        finally:
            CURRENT_DEADLINE.reset(token)
        waited = time.monotonic() - started
        # Neo4j looks for transactions past their timeout every two seconds at most
        assert 1 <= waited < 3.5, waited
        assert late.value.deadline is deadline
    # ended, not left waiting: the lock gone, nothing of it is applied
    assert neo4j_graph.read(NAME, {}) == [{"name": "before"}]


@pytest.mark.neo4j
def test_outside_a_request_a_write_waits_on_a_lock_as_long_as_it_is_held(
    neo4j_uri: str, neo4j_graph: Executor
) -> None:
    answers: list[object] = []

    def write() -> None:  # a thread of its own: no request's context
        answers.append(neo4j_graph.write(SET, {"name": "after"}))

    writer = threading.Thread(target=write)
    with node_locked(neo4j_uri, "Opportunity", "held"):
        writer.start()
        writer.join(2.5)
        assert writer.is_alive()  # no timeout given: it waits
    writer.join(10)
    assert answers == [[{"name": "after"}]]
    assert neo4j_graph.read(NAME, {}) == [{"name": "after"}]
