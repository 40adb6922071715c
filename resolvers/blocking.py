"""Where blocking store calls run: one thread pool for the process, reached in one hop.

Starlette's ``run_in_threadpool`` goes through anyio's worker threads (a capacity limiter, a
shielded cancel scope and a future per call); the event loop's own ``run_in_executor`` on a
pool of the same size does the same job with about a third less CPU per hop, which every
request pays at least once (the credentials) and usually several times.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Final

from graph.deadline import CURRENT_DEADLINE, DeadlinePassedError

THREADS: Final = 40
"""As many threads as anyio allowed, so as many store calls as before can wait at once."""

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def pool() -> ThreadPoolExecutor:
    """The process's pool, made on first use (a worker process makes its own)."""
    global _pool
    if _pool is None:
        with _pool_lock:
            if _pool is None:
                _pool = ThreadPoolExecutor(THREADS, thread_name_prefix="dealgraph-blocking")
    return _pool


async def in_thread[T](function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``function(*args, **kwargs)`` in the pool, with the caller's context variables (the
    request's limits and language), keeping the event loop free meanwhile; awaited until the
    request's deadline at most (``graph.deadline``)."""
    deadline = CURRENT_DEADLINE.get()
    if deadline is not None and deadline.left() <= 0:
        raise DeadlinePassedError(deadline)  # not even sent: the answer could not be used
    call = functools.partial(contextvars.copy_context().run, function, *args, **kwargs)
    answer = asyncio.get_running_loop().run_in_executor(pool(), call)
    if deadline is None:
        return await answer
    try:
        return await asyncio.wait_for(answer, deadline.left())
    except TimeoutError:
        raise DeadlinePassedError(deadline) from None
