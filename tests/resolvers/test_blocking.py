"""Blocking calls leave the event loop's thread and keep the caller's context variables."""

from __future__ import annotations

import asyncio
import contextvars
import threading
import time

import pytest

from graph.deadline import CURRENT_DEADLINE, Deadline, DeadlinePassedError
from resolvers import blocking
from resolvers.blocking import in_thread

LANGUAGE: contextvars.ContextVar[str] = contextvars.ContextVar("language", default="en")


def where(suffix: str, *, twice: bool = False) -> tuple[str, str]:
    return threading.current_thread().name, LANGUAGE.get() + suffix * (2 if twice else 1)


def test_runs_in_the_pool_with_the_callers_context() -> None:
    async def call() -> tuple[str, str]:
        LANGUAGE.set("zh-CN")
        return await in_thread(where, "!", twice=True)

    thread, value = asyncio.run(call())
    assert thread.startswith("dealgraph-blocking")
    assert thread != threading.current_thread().name
    assert value == "zh-CN!!"


def test_errors_reach_the_caller() -> None:
    def fail() -> None:
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        asyncio.run(in_thread(fail))


def test_a_hop_is_awaited_until_the_requests_deadline_only() -> None:
    """A call that hangs is given up at the deadline (the thread is left to finish); a call
    after the deadline is not even sent."""
    finished = threading.Event()
    sent: list[str] = []

    def hang() -> None:
        time.sleep(0.6)
        finished.set()

    async def call() -> None:
        deadline = Deadline.after(1)
        deadline.at = time.monotonic() + 0.2
        CURRENT_DEADLINE.set(deadline)
        started = time.monotonic()
        with pytest.raises(DeadlinePassedError) as late:
            await in_thread(hang)
        assert time.monotonic() - started < 0.5
        assert late.value.deadline is deadline
        with pytest.raises(DeadlinePassedError):
            await in_thread(sent.append, "sent")

    asyncio.run(call())
    assert finished.wait(2)
    assert sent == []


def test_outside_a_request_there_is_no_deadline() -> None:
    def slow() -> str:
        time.sleep(0.3)
        return "done"

    assert asyncio.run(in_thread(slow)) == "done"


def test_a_stopping_server_cuts_the_waits_on_a_store_that_does_not_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``cut_waits`` answers every hop under way at once, as at its deadline (a change still as
    possibly saved), and every later one without sending it; a request cancelled for another
    reason stays cancelled."""
    monkeypatch.setattr(blocking, "_cut", False)
    release = threading.Event()

    async def call() -> None:
        deadline = Deadline.after(30)
        deadline.writes = True
        CURRENT_DEADLINE.set(deadline)
        waiting = asyncio.ensure_future(in_thread(release.wait, 5))
        cancelled = asyncio.ensure_future(in_thread(release.wait, 5))
        await asyncio.sleep(0.1)
        cancelled.cancel()
        with pytest.raises(asyncio.CancelledError):
            await cancelled
        started = time.monotonic()
        assert blocking.cut_waits() == 1
        with pytest.raises(DeadlinePassedError) as cut:
            await waiting
        assert time.monotonic() - started < 0.5
        assert cut.value.deadline.writes
        assert cut.value.deadline.seconds == 1  # what it did wait, not the 30 s it had
        with pytest.raises(DeadlinePassedError):
            await in_thread(where, "!")

    try:
        asyncio.run(call())
    finally:
        release.set()
