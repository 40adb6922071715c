"""Chains and analyses of open deals made ahead of the first reader after a server starts.

Why: the first list of deals after a start loads every deal's chain and analyses it (a
director's pipeline of 49 deals: about half a second, measured with
``benchmarks/bench_pipeline.py --cold``), while later lists are served from what this process
keeps (``resolvers.kept``, ``resolvers.derived``) in a few milliseconds. A worker therefore
loads the chains of the most recently changed open deals in the background once it has
opened the store, in batches, one statement at a time, and works out their analyses.

It delays nothing: the thread starts after the store opens and /readyz and requests are
served meanwhile; a request that asks for a deal before it is warmed loads it as it would
anyway (``KeptChains.gates`` makes one of them wait for the other's load). It is safe with
several workers: each keeps its own chains, checked against the shared audit sequence before
every read, so a chain warmed before a write elsewhere is loaded again like any other kept
chain. Bounded by ``Settings.warm_deals`` (0: off) and by the capacity of what is kept.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from graph.chains import open_deal_ids
from graph.store import GraphStore
from resolvers import calibration, rules
from resolvers.derived import CAPACITY, KEPT
from resolvers.kept import CHAINS, load_chains

log = logging.getLogger("dealgraph.warming")

BATCH = 25
"""Deals per statement: a request meeting the warm-up on the store waits for one batch."""


def warm(store: GraphStore, limit: int, stop: threading.Event | None = None) -> int:
    """Load and analyse the chains of up to ``limit`` open deals, most recently changed first,
    as a reader with every deal in view would; how many were analysed. Stops between batches
    once ``stop`` is set."""
    wanted = open_deal_ids(store, min(limit, CHAINS.capacity, CAPACITY))
    model = calibration.cached_active(store)
    active = rules.active()
    done = 0
    for start in range(0, len(wanted), BATCH):
        if stop is not None and stop.is_set():
            break
        found = load_chains(store, wanted[start : start + BATCH])
        now = store.clock()
        for opportunity_id, kept in found.items():
            token = (opportunity_id, kept.token)
            KEPT.analysis(kept.chain.snapshot, now, active, model, chain_token=token)
            done += 1
    return done


class Warming:
    """``warm`` on a daemon thread, for the server's lifespan."""

    def __init__(self, store: GraphStore, limit: int, run: Callable[..., int] = warm) -> None:
        self._stop = threading.Event()
        self._done = threading.Event()
        self.warmed = 0
        self._thread = threading.Thread(
            target=self._run, args=(run, store, limit), name="chain-warming", daemon=True
        )

    def _run(self, run: Callable[..., int], store: GraphStore, limit: int) -> None:
        try:
            self.warmed = run(store, limit, self._stop)
        except Exception:  # the server serves on: every reader loads what it misses
            log.warning("warming the chains of open deals failed", exc_info=True)
        finally:
            self._done.set()

    def start(self) -> None:
        self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Whether the warm-up finished within ``timeout`` seconds."""
        return self._done.wait(timeout)

    def stop(self, timeout: float = 15.0) -> None:
        """Stop after the batch under way (before the store closes)."""
        self._stop.set()
        self._thread.join(timeout)
