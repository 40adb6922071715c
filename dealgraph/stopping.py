"""A worker told to stop while its store hangs: what it stops waiting for.

uvicorn stops a worker gracefully: it waits for every request under way, then runs the app's
shutdown (the warm-up, the webhook dispatcher, the store). With a store that takes statements
and never answers (a process stopped, a frozen machine), a request under way was answered only
at its deadline (30 s), and the background threads stuck in the store then held the shutdown
for their join timeouts (15 s): a stop took 44 s. Cutting every wait at the stop would drop
requests a live store is about to answer, so on the stop signal the worker asks the store once,
on a thread of its own. Answered within ``PROBE_SECONDS``, everything is waited for as before:
the requests will finish. Not answered, the store will not answer them before their deadlines
either: the waits on it end now (each request answered as at its deadline, a change as possibly
saved), and the shutdown does not wait for the threads the store holds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import threading
from types import FrameType
from typing import Any, Final

from graph.store import GraphStore
from resolvers.blocking import cut_waits

log = logging.getLogger("dealgraph.api")

PROBE_SECONDS: Final = 3.0
"""How long a stopping worker waits for its store to answer a ping: a live one answers in
milliseconds, a loaded one well within this."""
SIGNALS: Final = (signal.SIGINT, signal.SIGTERM)


class Stop:
    """Hears the signals that stop the worker (after uvicorn, which starts its graceful stop)
    and finds out whether the store still answers."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.hung = False
        """The store did not answer when the worker was told to stop."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._previous: dict[int, Any] = {}
        self._probe: asyncio.Future[None] | None = None

    def listen(self) -> None:
        """Hear the stop signals from now on, each passed on to the handler it had (uvicorn's).
        Only on the main thread, where a server runs the app (a test client runs it on
        another, and stops it without a signal)."""
        if threading.current_thread() is not threading.main_thread():
            return
        self._loop = asyncio.get_running_loop()
        for sig in SIGNALS:
            self._previous[sig] = signal.getsignal(sig)
            signal.signal(sig, self._heard)

    def _heard(self, sig: int, frame: FrameType | None) -> None:
        previous = self._previous.get(sig)
        if callable(previous):
            previous(sig, frame)
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._ask)

    def _ask(self) -> None:
        if self._probe is None:
            self._probe = asyncio.ensure_future(self._probe_store())

    async def _probe_store(self) -> None:
        if await answers_within(self.store, PROBE_SECONDS):
            return
        self.hung = True
        cut = cut_waits()
        log.warning(
            "stopping while the store does not answer (not within %g s): %d request(s) "
            "waiting on it answered now, and the background work it holds not waited for",
            PROBE_SECONDS,
            cut,
        )

    async def settled(self) -> bool:
        """Whether the store hung when the worker was told to stop (False when no signal came
        or it answered), once the store has been asked; the handlers it had are back."""
        for sig, previous in self._previous.items():
            signal.signal(sig, previous)
        self._previous.clear()
        if self._probe is not None:
            await self._probe
        return self.hung


async def answers_within(store: GraphStore, seconds: float) -> bool:
    """Whether the store answers a ping within ``seconds``, asked on a thread of its own: the
    pool's threads may all be waiting on the store already. A thread the store holds is left
    to it (a daemon: it does not hold the process)."""
    loop = asyncio.get_running_loop()
    answer: asyncio.Future[bool] = loop.create_future()

    def ask() -> None:
        try:
            said = store.ping()
        except Exception:
            said = False
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: nobody asks
            loop.call_soon_threadsafe(_settle, answer, said)

    threading.Thread(target=ask, name="store-probe", daemon=True).start()
    try:
        return await asyncio.wait_for(answer, seconds)
    except TimeoutError:
        return False


def _settle(answer: asyncio.Future[bool], said: bool) -> None:
    if not answer.done():
        answer.set_result(said)
