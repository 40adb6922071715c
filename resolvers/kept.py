"""Decision chains kept per revision: a read asks the store for the opportunities' revisions
(one small statement for a whole list) and loads only the chains it does not hold.

Why a revision: every write that can change what an opportunity's chain snapshot holds moves
the opportunity's `rev` in its own statement (``graph.statements.bumping``), so a chain kept
under (opportunity, revision) is the chain the store holds while the revision stays; every API
worker and CLI process reads the revision from the shared store and agrees. A store written
before revisions existed has none on its opportunities: those chains are loaded every time.

Time: the chain load keeps activities of the last ``DEFAULT_ACTIVITY_WINDOW_DAYS`` days, and
the analyses made from it change at each UTC day boundary and each planned activity's time,
so a kept chain is served only until the first of those (``resolvers.derived.valid_until``)
or until its oldest activity leaves the window.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from graph.chains import (
    DAY_MS,
    DEFAULT_ACTIVITY_WINDOW_DAYS,
    LoadedChain,
    RevisedChain,
    load_revised_chains,
    opportunity_revisions,
)
from graph.scope import EVERYTHING, Scope
from graph.store import GraphStore
from resolvers.derived import CAPACITY, KEPT, valid_until

WINDOW_MS = DEFAULT_ACTIVITY_WINDOW_DAYS * DAY_MS

ChainKey = tuple[str, str, bool, tuple[str, ...]]
"""(opportunity id, revision, with connectors, the visible customers when that matters)."""


def chain_valid_until(chain: LoadedChain, now_ms: int) -> int:
    """Until when a chain loaded at ``now_ms`` may be served (exclusive)."""
    until = valid_until(chain.snapshot, now_ms)
    for activity in chain.snapshot.activities:
        leaves = activity.occurred_at + WINDOW_MS
        if now_ms < leaves < until:
            until = leaves
    return until


def scope_key(scope: Scope, with_connectors: bool) -> tuple[str, ...]:
    """What of the caller's scope a chain depends on: with connectors, the people shown next
    to the chain are those of visible customers; without, only the opportunity's visibility,
    which the revision read itself checks."""
    if not with_connectors or scope.everything:
        return ()
    return tuple(sorted(scope.customer_ids))


@dataclass(frozen=True, slots=True)
class _Kept:
    chain: LoadedChain
    computed_at: int
    valid_until: int


class KeptChains:
    """Chains by ``ChainKey``, least recently used dropped beyond ``capacity``; thread-safe."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self.hits = 0
        self.misses = 0
        self._kept: OrderedDict[ChainKey, _Kept] = OrderedDict()
        self._seen: set[tuple[str, bool, tuple[str, ...]]] = set()
        self._lock = threading.Lock()
        self._loading: dict[ChainKey, threading.Lock] = {}

    def knows_any(self, ids: Sequence[str], with_connectors: bool, scope: tuple[str, ...]) -> bool:
        """Whether a chain of one of ``ids`` was kept (at some revision): only then is asking
        for the revisions first worth a round trip."""
        with self._lock:
            return any((i, with_connectors, scope) in self._seen for i in ids)

    def get(self, key: ChainKey, now_ms: int) -> LoadedChain | None:
        """The chain kept under ``key`` if it is still valid at ``now_ms``."""
        with self._lock:
            kept = self._kept.get(key)
            if kept is None or not kept.computed_at <= now_ms < kept.valid_until:
                self.misses += 1
                return None
            self._kept.move_to_end(key)
            self.hits += 1
            return kept.chain

    def put(self, key: ChainKey, chain: LoadedChain, now_ms: int) -> None:
        """Keep ``chain``, loaded at ``now_ms``, under ``key``."""
        entry = _Kept(chain, now_ms, chain_valid_until(chain, now_ms))
        with self._lock:
            self._kept[key] = entry
            self._kept.move_to_end(key)
            if len(self._seen) > 4 * self.capacity:
                self._seen.clear()
            self._seen.add((key[0], key[2], key[3]))
            while len(self._kept) > self.capacity:
                self._kept.popitem(last=False)

    def gates(self, keys: Sequence[ChainKey]) -> list[threading.Lock]:
        """One lock per key, for loading each chain once however many readers miss it at once
        (all readers of a deal just written miss together); take them in the order given."""
        with self._lock:
            if len(self._loading) > 4 * self.capacity:
                self._loading.clear()
            return [self._loading.setdefault(key, threading.Lock()) for key in keys]

    def clear(self) -> None:
        """Forget every kept chain (counters too)."""
        with self._lock:
            self._kept.clear()
            self._seen.clear()
            self.hits = self.misses = 0


CHAINS = KeptChains()
"""The chains kept by this process (each API worker and CLI command has its own)."""
KEPT.clears_with(CHAINS.clear)


def load_chains(
    store: GraphStore,
    opportunity_ids: Sequence[str],
    *,
    scope: Scope = EVERYTHING,
    with_connectors: bool = False,
    kept: KeptChains = CHAINS,
) -> dict[str, RevisedChain]:
    """The chains of the visible ones of ``opportunity_ids``, kept or loaded, with their
    revisions: one round trip when nothing of them is kept (the load reads the revisions
    too) or everything kept is current, two when some must be loaded after all."""
    ids = list(dict.fromkeys(opportunity_ids))
    if not ids:
        return {}
    now = store.clock()
    visible = scope_key(scope, with_connectors)
    found: dict[str, RevisedChain] = {}
    if not kept.knows_any(ids, with_connectors, visible):
        found.update(_load(store, ids, scope, with_connectors, visible, kept, now))
        return {i: found[i] for i in ids if i in found}
    revisions = opportunity_revisions(store, ids, scope=scope)
    missed: dict[ChainKey, str] = {}
    unrevised: list[str] = []
    for i in ids:
        if i not in revisions:
            continue
        rev = revisions[i]
        if rev is None:
            unrevised.append(i)
            continue
        key = (i, rev, with_connectors, visible)
        chain = kept.get(key, now)
        if chain is None:
            missed[key] = i
        else:
            found[i] = RevisedChain(rev, chain)
    keys = sorted(missed)
    gates = kept.gates(keys)
    for gate in gates:
        gate.acquire()
    try:
        wanted = list(unrevised)
        for key in keys:
            chain = kept.get(key, now)
            if chain is None:
                wanted.append(missed[key])
            else:
                found[key[0]] = RevisedChain(key[1], chain)
        found.update(_load(store, wanted, scope, with_connectors, visible, kept, now))
    finally:
        for gate in gates:
            gate.release()
    return {i: found[i] for i in ids if i in found}


def _load(
    store: GraphStore,
    ids: Sequence[str],
    scope: Scope,
    with_connectors: bool,
    visible: tuple[str, ...],
    kept: KeptChains,
    now: int,
) -> dict[str, RevisedChain]:
    """Load chains with their revisions and keep those that have one."""
    loaded = load_revised_chains(store, ids, scope=scope, with_connectors=with_connectors)
    for i, revised in loaded.items():
        if revised.rev is not None:
            kept.put((i, revised.rev, with_connectors, visible), revised.chain, now)
    return loaded
