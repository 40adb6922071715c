"""Derived results kept per change: a chain's full analysis is computed once for each distinct
set of inputs and served from memory until an input changes or time moves past its validity.

Why keyed by content: the analysis is a pure function of the chain snapshot, the rules in
force and the time. The snapshot arrives in the same store round trip that every reader makes
anyway (the chain load), so the key is the inputs themselves as the store holds them at that
moment: any write that changes the result (an attitude, a tie, an activity, a team member, a
quote, an erased name, an import) gives a different key on the next read, in every API worker
and CLI process alike, and a stale result cannot be served. The rules enter the key by a
digest of their content (process, strategy configuration, playbook).

Time: scores decay with the age of activities, texts say "N days ago", and a planned activity
starts to count once its time has come. A kept result is therefore valid from the instant it
was computed until the next UTC day boundary or the next activity's time, whichever comes
first; decay within that day is counted at the instant of computation.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final, Protocol

from domain.chain import ChainSnapshot
from resolvers.rules import Rules
from strategy.config import StrategyConfig
from strategy.effects import LearnedEffects
from strategy.engine import FullAnalysis, analyse
from strategy.playbook import default_playbook

DAY_MS = 86_400_000
CAPACITY = 4096


def rules_digest(rules: Rules) -> str:
    """A digest of everything in the rules that the analysis reads."""
    text = repr((rules.process, rules.strategy, default_playbook()))
    return hashlib.sha256(text.encode()).hexdigest()


def valid_until(snapshot: ChainSnapshot, now_ms: int) -> int:
    """Until when an analysis computed at ``now_ms`` stays right (exclusive)."""
    until = (now_ms // DAY_MS + 1) * DAY_MS
    for activity in snapshot.activities:
        if now_ms < activity.occurred_at < until:
            until = activity.occurred_at
    return until


class WinModelInForce(Protocol):
    """What the analysis needs of the win model in force (``resolvers.calibration``)."""

    @property
    def key(self) -> str: ...

    @property
    def effects(self) -> LearnedEffects: ...

    def config(self, base: StrategyConfig) -> StrategyConfig: ...


@dataclass(frozen=True, slots=True)
class _HandSet:
    """The hand-set weights and no learned effects: the model before any calibration."""

    key: str = "hand-set"
    effects: LearnedEffects = field(default_factory=dict)

    def config(self, base: StrategyConfig) -> StrategyConfig:
        return base


HAND_SET_MODEL: Final = _HandSet()


_Key = tuple[ChainSnapshot | tuple[str, str], str]


@dataclass(frozen=True, slots=True)
class _Kept:
    result: FullAnalysis
    computed_at: int
    valid_until: int


class DerivedResults:
    """Analyses by (snapshot or kept chain's token, rules digest), least recently used dropped
    beyond ``capacity``.

    Thread-safe; concurrent readers of one key wait for a single computation."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self.hits = 0
        self.misses = 0
        self._kept: OrderedDict[_Key, _Kept] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[_Key, threading.Lock] = {}
        self._digests: dict[int, tuple[Rules, str]] = {}
        self._also: list[Callable[[], None]] = []

    def _digest(self, rules: Rules) -> str:
        known = self._digests.get(id(rules))
        if known is not None and known[0] is rules:
            return known[1]
        digest = rules_digest(rules)
        with self._lock:
            if len(self._digests) > 16:
                self._digests.clear()
            self._digests[id(rules)] = (rules, digest)
        return digest

    def _fresh(self, key: _Key, now_ms: int) -> FullAnalysis | None:
        with self._lock:
            kept = self._kept.get(key)
            if kept is None or not kept.computed_at <= now_ms < kept.valid_until:
                return None
            self._kept.move_to_end(key)
            self.hits += 1
            return kept.result

    def analysis(
        self,
        snapshot: ChainSnapshot,
        now_ms: int,
        rules: Rules,
        model: WinModelInForce = HAND_SET_MODEL,
        *,
        chain_token: tuple[str, str] | None = None,
    ) -> FullAnalysis:
        """The full analysis of ``snapshot`` at ``now_ms`` under ``rules`` and the win model in
        force (its key: which stored model, if any), kept or computed.

        ``chain_token`` (opportunity id, the token of a kept chain; ``resolvers.kept``) stands
        for the snapshot in the key when the snapshot is that kept chain's: equal tokens mean
        the same snapshot, and the key is hashed without walking the snapshot."""
        inputs: ChainSnapshot | tuple[str, str] = snapshot if chain_token is None else chain_token
        key = (inputs, f"{self._digest(rules)}/{model.key}")
        found = self._fresh(key, now_ms)
        if found is not None:
            return found
        with self._lock:
            gate = self._computing.setdefault(key, threading.Lock())
        with gate:
            found = self._fresh(key, now_ms)
            if found is not None:
                return found
            result = analyse(snapshot, now_ms, model.config(rules.strategy), learned=model.effects)
            with self._lock:
                self.misses += 1
                self._kept[key] = _Kept(result, now_ms, valid_until(snapshot, now_ms))
                self._kept.move_to_end(key)
                while len(self._kept) > self.capacity:
                    self._kept.popitem(last=False)
                self._computing.pop(key, None)
            return result

    def kept(
        self,
        chain_token: tuple[str, str],
        now_ms: int,
        rules: Rules,
        model: WinModelInForce = HAND_SET_MODEL,
    ) -> FullAnalysis | None:
        """The analysis kept for a kept chain's token (as for ``analysis``) if it is still
        valid: a dictionary lookup, cheap enough to make on the event loop before handing a
        computation to a worker thread."""
        return self._fresh((chain_token, f"{self._digest(rules)}/{model.key}"), now_ms)

    def clear(self) -> None:
        """Forget every kept result (counters too), and what ``clears_with`` names."""
        with self._lock:
            self._kept.clear()
            self.hits = self.misses = 0
        for forget in self._also:
            forget()

    def clears_with(self, forget: Callable[[], None]) -> None:
        """Also call ``forget`` on ``clear``: kept inputs (``resolvers.kept``) go with the
        results made from them."""
        self._also.append(forget)


KEPT = DerivedResults()
"""The results kept by this process (every API worker and CLI command has its own; all of
them key by what they read from the shared store, so they agree)."""
