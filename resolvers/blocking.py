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
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Final

from graph.deadline import CURRENT_DEADLINE, Deadline, DeadlinePassedError

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
    request's deadline at most (``graph.deadline``), or until a stopping server cuts the waits
    on a store that does not answer (``cut_waits``)."""
    deadline = CURRENT_DEADLINE.get()
    if deadline is not None and (_cut or deadline.left() <= 0):
        raise DeadlinePassedError(deadline)  # not even sent: the answer could not be used
    call = functools.partial(contextvars.copy_context().run, function, *args, **kwargs)
    answer = asyncio.get_running_loop().run_in_executor(pool(), call)
    if deadline is None:
        return await answer
    _waits[answer] = deadline
    try:
        return await asyncio.wait_for(answer, deadline.left())
    except TimeoutError:
        raise DeadlinePassedError(deadline) from None
    except asyncio.CancelledError:
        task = asyncio.current_task()
        if not answer.cancelled() or (task is not None and task.cancelling()):
            raise  # the request itself was cancelled, not its wait cut
        raise DeadlinePassedError(_cut_at(deadline)) from None
    finally:
        del _waits[answer]


_waits: dict[asyncio.Future[Any], Deadline] = {}
"""The requests' waits under way, each with its request's deadline (on the event loop's thread
only, so no lock)."""
_cut = False


def cut_waits() -> int:
    """End every request's wait on the pool now, and each later one at once, as if its deadline
    had passed: for a server stopping while its store does not answer, which would answer none
    of them before their deadlines. Their threads are left to the store. On the event loop's
    thread; returns how many were waiting."""
    global _cut
    _cut = True
    waiting = list(_waits)
    for answer in waiting:
        answer.cancel()
    return len(waiting)


def _cut_at(deadline: Deadline) -> Deadline:
    """The deadline as it was met: after the seconds the request did wait (a change cut off
    is still said to be possibly saved)."""
    waited = max(1, round(deadline.seconds - deadline.left()))
    return Deadline(time.monotonic(), waited, writes=deadline.writes)
