"""Blocking calls leave the event loop's thread and keep the caller's context variables."""

from __future__ import annotations

import asyncio
import contextvars
import threading

import pytest

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
