"""Decision chains kept by this process, checked against the audit sequence before they are
served: a read asks the store only "what was written since I last looked?" (one small indexed
statement, ``graph.sequence``) and loads the chains it does not hold.

Why this is safe: every audited write numbers its entry from the store's one audit sequence in
its own statement, and entries commit in the order of their numbers, so the entries after the
last number this process saw are exactly the writes it has not seen. An entry names every node
its change touches (both ends of an edge, an activity's people, members and deal), because a
write that changes what a chain snapshot reads changes a node the snapshot holds or an edge
that ends at one. A write that changes one node or one edge (``LOCAL_WRITES``) drops the
chains that read what it changed: those holding a node it names whose edges they read (their
deal, people, activities, the customers a restricted caller sees: ``ChainReads.anchors``) or
the node it wrote, when they read its fields (their customer, our team members, competitors).
Any other write drops every chain holding an id it names. So a field of one deal, or our team
member's tie to someone outside a chain, leaves the chains of other deals that share the team
or hold the deal's id (as what an activity of their people was about). An import writes
without entries and marks the sequence as a bulk change: then everything kept is dropped.
Every API worker and CLI process checks the shared store on its own, so they all agree.

Why not a revision on each deal: finding, inside each write, every deal whose chain a change
can reach costs a graph search per write (measured: 4-7x the write itself); the check here
costs readers one small statement and writers one counter.

Time: the chain load keeps activities of the last ``DEFAULT_ACTIVITY_WINDOW_DAYS`` days, and
the analyses made from it change at each UTC day boundary and each planned activity's time,
so a kept chain is served only until the first of those (``resolvers.derived.valid_until``)
or until its oldest activity leaves the window.
"""

from __future__ import annotations

import dataclasses
import enum
import itertools
import operator
import threading
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from domain.model import NodeKind
from domain.text import telling
from graph.chains import (
    DAY_MS,
    DEFAULT_ACTIVITY_WINDOW_DAYS,
    LoadedChain,
    SequencedChains,
    activity_facts,
    activity_order,
    load_sequenced_chains,
    opportunity_facts,
)
from graph.scope import EVERYTHING, Scope
from graph.sequence import ActivityNow, SequenceMark, Written, written_since
from graph.store import WRITES_MADE, GraphStore
from resolvers.derived import CAPACITY, KEPT, valid_until

WINDOW_MS = DEFAULT_ACTIVITY_WINDOW_DAYS * DAY_MS
RECENT = 2048
"""How many checked writes are remembered, for chains loaded while others were checking."""

ChainKey = tuple[str, bool, tuple[str, ...]]
"""(opportunity id, with connectors, the visible customers when that matters)."""


@dataclass(frozen=True, slots=True)
class KeptChain:
    """A chain as served, with the token that stands for its content in the key of the
    analyses made from it (``resolvers.derived``): a new load gets a new token."""

    token: str
    chain: LoadedChain


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
    to the chain are those of visible customers; without, nothing (visibility of the deal is
    checked on every read)."""
    if not with_connectors or scope.everything:
        return ()
    return tuple(sorted(scope.customer_ids))


class _Walk(enum.Enum):
    """How ``chain_ids`` goes through a value: skips it, takes it, or goes into its keys and
    values, or its items (a dataclass: its fields, through a getter)."""

    SKIP = enum.auto()
    TEXT = enum.auto()
    MAP = enum.auto()
    ITEMS = enum.auto()


_Getter = Callable[[Any], Iterable[Any]]
_WALK: dict[type, _Walk | _Getter] = {
    str: _Walk.TEXT, dict: _Walk.MAP, tuple: _Walk.ITEMS, list: _Walk.ITEMS,
    int: _Walk.SKIP, float: _Walk.SKIP, bool: _Walk.SKIP, type(None): _Walk.SKIP,
}  # fmt: skip
"""How ``chain_ids`` goes through the values of each type met so far."""


def _walk_of(kind: type) -> _Walk | _Getter:
    """How ``chain_ids`` goes through values of ``kind``."""
    if issubclass(kind, str):
        return _Walk.TEXT
    if issubclass(kind, dict):
        return _Walk.MAP
    if issubclass(kind, (tuple, list, set, frozenset)):
        return _Walk.ITEMS
    if dataclasses.is_dataclass(kind) and not issubclass(kind, type):
        return _fields_of([f.name for f in dataclasses.fields(kind)])
    return _Walk.SKIP


def _fields_of(names: Sequence[str]) -> _Getter:
    """A getter of a dataclass's fields, as one tuple."""
    if len(names) == 1:
        name = names[0]
        return lambda value: (getattr(value, name),)
    if not names:
        return lambda value: ()
    return operator.attrgetter(*names)


def chain_ids(chain: LoadedChain, scope: tuple[str, ...] = ()) -> frozenset[str]:
    """Every id a chain holds, and the visible customers it was loaded for: the writes that
    name none of them leave it as it is. Collected from every value of the chain, so a field
    added to the snapshot is covered without a change here (names and texts come along; they
    never equal an id). How each type is gone through is looked up once per type: this runs
    for every chain loaded or changed, and a chain holds thousands of values."""
    found: set[str] = set(scope)
    stack: list[Any] = [chain]
    add, push, walk = found.add, stack.append, _WALK
    text, mapping, items = _Walk.TEXT, _Walk.MAP, _Walk.ITEMS
    while stack:
        value = stack.pop()
        how = walk.get(type(value))
        if how is None:
            how = walk[type(value)] = _walk_of(type(value))
        if how is text:
            add(value)
        elif how is mapping or how is items:
            # plain strings taken at once: most of a chain's values are (a node's fields)
            for part in (value, value.values()) if how is mapping else (value,):
                for item in part:
                    if type(item) is str:
                        add(item)
                    else:
                        push(item)
        elif not isinstance(how, _Walk):
            stack.extend(how(value))
    return frozenset(found)


LOCAL_WRITES = frozenset({"create", "update", "set_edge", "remove_edge"})
"""Writes that change one node (the one they create or update) or one edge, and name what they
change: the node, or both ends of the edge. Every other write (a delete, an erasure, a stage
moved with its approvals...) may change more than it names, and counts for every id a chain
holds."""


@dataclass(frozen=True, slots=True)
class ChainReads:
    """The ids of one kept chain, by what the chain reads of them."""

    every: frozenset[str]
    """Every id it holds (``chain_ids``), a deal an activity of its people was about too."""
    anchors: frozenset[str]
    """The nodes whose edges it reads: its deal, its people (members and connectors), the
    activities it holds, the visible customers it was loaded for."""
    nodes: frozenset[str]
    """The nodes whose own fields it reads, and whose edges only where they end at an anchor:
    its customer, our team members, the competitors, the successors off the chain, the steps of
    other deals with its members who left."""

    @classmethod
    def of(cls, chain: LoadedChain, scope: tuple[str, ...] = ()) -> ChainReads:
        anchors = {str(chain.opportunity["id"]), *chain.persons, *chain.activities, *scope}
        nodes = {str(chain.customer.get("id")), *chain.team_members, *chain.competitors}
        nodes.update(p.id for p in chain.snapshot.successors)  # who holds a job now: named
        nodes.update(a.item_id for a in chain.snapshot.asked_elsewhere)  # asked on other deals
        return cls(chain_ids(chain, scope), frozenset(anchors), frozenset(nodes))


def _touches(write: Written, ids: ChainReads) -> bool:
    """Whether a write can change a chain (a write naming nothing: yes).

    A local write changes a chain only through an edge the chain reads, which ends at one of
    its anchors (named), or through the fields of a node the chain reads (its target). So a
    deal written elsewhere, whose id the chain holds only as what an activity was about, or a
    tie of our team member to someone outside the chain, leaves the chain as it is."""
    if not write.subjects:
        return True
    if write.operation not in LOCAL_WRITES:
        return not write.subjects.isdisjoint(ids.every)
    return not write.subjects.isdisjoint(ids.anchors) or write.target in ids.nodes


ACTIVITY = NodeKind.ACTIVITY.value
CUSTOMER = NodeKind.CUSTOMER.value
TEAM_MEMBER = NodeKind.TEAM_MEMBER.value
ACTIVITY_WRITES = frozenset({"create", "update", "delete"})
"""The writes to an activity, which change nothing but the activity and its edges (its people,
our team members who did it, its deal): a kept chain takes the activity in as it is now
instead of being loaded again."""


def with_activity(
    chain: LoadedChain, activity_id: str, now: ActivityNow | None, loaded_at: int
) -> LoadedChain:
    """``chain`` with one activity as it is ``now`` (None: gone): held when the chain load
    would read it (about the chain's deal, or with one of its members, within the activity
    window of the load at ``loaded_at``), left out otherwise."""
    snapshot = chain.snapshot
    activities = [a for a in snapshot.activities if a.id != activity_id]
    nodes = {aid: node for aid, node in chain.activities.items() if aid != activity_id}
    if now is not None and int(now.node["occurred_at"]) >= loaded_at - WINDOW_MS:
        members = {m.person_id for m in snapshot.members}
        if now.opportunity_id == snapshot.opportunity.id or not members.isdisjoint(now.person_ids):
            activities.append(
                activity_facts(now.node, now.person_ids, now.member_ids, now.opportunity_id)
            )
            activities.sort(key=activity_order)
            nodes[activity_id] = now.node
    return dataclasses.replace(
        chain,
        snapshot=dataclasses.replace(snapshot, activities=tuple(activities)),
        activities=nodes,
    )


def with_customer(chain: LoadedChain, customer: dict[str, Any]) -> LoadedChain:
    """``chain`` with its customer's fields as they are now."""
    opportunity = opportunity_facts(chain.opportunity, customer)
    snapshot = dataclasses.replace(chain.snapshot, opportunity=opportunity)
    return dataclasses.replace(chain, customer=customer, snapshot=snapshot)


def with_member(chain: LoadedChain, member: dict[str, Any]) -> LoadedChain:
    """``chain`` with one of our team members' fields as they are now: the node, and their name
    where the snapshot names them (on the team, or among the people texts name)."""
    member_id = str(member["id"])
    snapshot = dataclasses.replace(
        chain.snapshot,
        team=tuple(
            dataclasses.replace(t, name=member["name"]) if t.member_id == member_id else t
            for t in chain.snapshot.team
        ),
        names=tuple(
            (i, str(member.get("name") or i)) if i == member_id else (i, n)
            for i, n in chain.snapshot.names
        ),
        apart=tuple(
            (i, telling(member)) if i == member_id else (i, a) for i, a in chain.snapshot.apart
        ),
    )
    team_members = {**chain.team_members, member_id: member}
    return dataclasses.replace(chain, snapshot=snapshot, team_members=team_members)


@dataclass(frozen=True, slots=True)
class _Kept:
    kept: KeptChain
    ids: ChainReads
    computed_at: int
    valid_until: int


def _taken_in(kept: _Kept, write: Written) -> LoadedChain | None:
    """A kept chain that ``write`` touches, with what it wrote taken in: an activity written
    (``with_activity``), its customer's fields updated (the update of a customer changes
    its fields and whose group it is part of, which no chain reads), or the fields of one of
    our team members it holds (an update changes nothing else of them); None: load it again."""
    chain = kept.kept.chain
    if write.kind == ACTIVITY and write.operation in ACTIVITY_WRITES:
        return with_activity(chain, write.target, write.activity, kept.computed_at)
    if (
        write.kind == CUSTOMER
        and write.operation == "update"
        and write.customer is not None
        and write.target == chain.customer.get("id")
    ):
        return with_customer(chain, write.customer)
    if (
        write.kind == TEAM_MEMBER
        and write.operation == "update"
        and write.member is not None
        and write.target in chain.team_members
    ):
        return with_member(chain, write.member)
    return None


class KeptChains:
    """Chains by ``ChainKey``, least recently used dropped beyond ``capacity``; thread-safe."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self.hits = 0
        self.misses = 0
        self._kept: OrderedDict[ChainKey, _Kept] = OrderedDict()
        self._lock = threading.Lock()
        self._loading: dict[ChainKey, threading.Lock] = {}
        self._tokens = itertools.count(1)
        self._checked: int | None = None
        """The sequence number up to which every kept chain was checked (None: not yet read)."""
        self._epoch = ""
        self._bulk = 0
        self._recent: deque[Written] = deque(maxlen=RECENT)
        self._recent_from = 0
        """Every checked write numbered above this one is in ``_recent``."""
        self._made: int | None = None
        """How many writes this process had made before the last check read the sequence
        (None: no check since the count started afresh)."""

    def check(self, store: GraphStore, seen: SequenceMark | None = None) -> None:
        """Take in the writes since the last check: the kept chains they touch are dropped,
        or take in the activity or customer written (``_apply``).

        ``seen``: where the sequence stood as the request began (read with its credentials).
        When this process has checked up to there and has written nothing since (the request's
        own writes come after its credentials), nothing written before the read is missing
        and the check needs no round trip; what others write meanwhile, concurrently with the
        request, it may or may not see, as with any read."""
        with self._lock:
            since = self._checked
            if since is not None and seen is not None and self._covers(seen, since):
                return
            made = WRITES_MADE.count
        if since is None:
            return  # nothing was kept yet: the first load starts the count (``put``)
        written = written_since(store, since)
        now = store.clock()
        with self._lock:
            checked = self._checked
            if checked is None:
                return  # forgotten meanwhile (``clear``)
            if not self._continues(written) or written.now < since:
                # Another sequence (the store was emptied or replaced) or a bulk change:
                # nothing kept can be vouched for.
                self._epoch, self._bulk = written.epoch, written.bulk
                self._forget(written.now)
                return
            for write in written.writes:
                if write.seq <= checked:
                    continue  # another reader applied it meanwhile
                self._apply(write, now)
                if len(self._recent) == RECENT:
                    self._recent_from = self._recent[0].seq
                self._recent.append(write)
                checked = write.seq
            if not written.complete:
                self._forget(written.now)  # more to read than is worth it: start afresh
                return
            # The sequence is read before the entries, so every entry up to `now` was seen.
            self._checked = max(checked, written.now)
            self._made = made if self._made is None else max(self._made, made)

    def _apply(self, write: Written, now_ms: int) -> None:
        """Take one write in, checked at ``now_ms``: the chains it touches take in what it
        wrote (``_taken_in``), with a new token, or are dropped. A chain that took a write in
        is served until its first activity leaves the window or a planned one comes due (its
        analysis is worked out afresh, at the time of the read that asks for it)."""
        touched = [key for key, kept in self._kept.items() if _touches(write, kept.ids)]
        for key in touched:
            kept = self._kept[key]
            chain = _taken_in(kept, write)
            if chain is None:
                del self._kept[key]
                continue
            token = f"{write.seq}.{next(self._tokens)}"
            self._kept[key] = _Kept(
                KeptChain(token, chain),
                ChainReads.of(chain, key[2]),
                kept.computed_at,
                min(kept.valid_until, chain_valid_until(chain, now_ms)),
            )

    def _covers(self, seen: SequenceMark, since: int) -> bool:
        """Whether what was checked up to ``since`` includes every write before ``seen`` and
        every write of this process."""
        return seen.now <= since and self._continues(seen) and self._made == WRITES_MADE.count

    def _continues(self, mark: SequenceMark) -> bool:
        """Whether ``mark`` is of the sequence checked so far, with no bulk change since."""
        return mark.epoch == self._epoch and mark.bulk <= self._bulk

    def _forget(self, checked: int) -> None:
        self._kept.clear()
        self._recent.clear()
        self._checked = self._recent_from = checked
        self._made = None

    def get(self, key: ChainKey, now_ms: int) -> KeptChain | None:
        """The chain kept under ``key`` if it is still valid at ``now_ms``."""
        with self._lock:
            kept = self._kept.get(key)
            if kept is None or not kept.computed_at <= now_ms < kept.valid_until:
                self.misses += 1
                return None
            self._kept.move_to_end(key)
            self.hits += 1
            return kept.kept

    def put(
        self,
        key: ChainKey,
        chain: LoadedChain,
        now_ms: int,
        loaded: SequencedChains,
        made: int | None = None,
    ) -> KeptChain:
        """Keep ``chain``, loaded at ``now_ms`` with the sequence as ``loaded`` says, unless a
        write checked since then touches it (it may have been read before that write).
        ``made``: this process's count of writes before the load read the sequence."""
        ids = ChainReads.of(chain, key[2])
        kept = KeptChain(f"{loaded.number}.{next(self._tokens)}", chain)
        entry = _Kept(kept, ids, now_ms, chain_valid_until(chain, now_ms))
        with self._lock:
            if self._checked is None or loaded.epoch != self._epoch or loaded.bulk > self._bulk:
                # The first load of this process, or another sequence or a bulk change since
                # the last check: start from what the load saw.
                self._epoch, self._bulk = loaded.epoch, loaded.bulk
                self._forget(loaded.number)
                self._made = made
            elif loaded.number < self._recent_from:
                return kept  # checked writes it may lack are no longer remembered
            elif any(w.seq > loaded.number and _touches(w, ids) for w in self._recent):
                return kept
            self._kept[key] = entry
            self._kept.move_to_end(key)
            while len(self._kept) > self.capacity:
                self._kept.popitem(last=False)
        return kept

    def holds_any(self, keys: Sequence[ChainKey]) -> bool:
        """Whether one of ``keys`` is kept: only then is checking first worth a round trip."""
        with self._lock:
            return any(key in self._kept for key in keys)

    def gates(self, keys: Sequence[ChainKey]) -> list[threading.Lock]:
        """One lock per key, for loading each chain once however many readers miss it at once
        (all readers of a deal just written miss together); take them in the order given."""
        with self._lock:
            if len(self._loading) > 4 * self.capacity:
                self._loading.clear()
            return [self._loading.setdefault(key, threading.Lock()) for key in keys]

    def clear(self) -> None:
        """Forget every kept chain and what was checked (counters too)."""
        with self._lock:
            self._kept.clear()
            self._recent.clear()
            self._checked = self._made = None
            self._epoch = ""
            self._bulk = self._recent_from = 0
            self.hits = self.misses = 0


CHAINS = KeptChains()
"""The chains kept by this process (each API worker and CLI command has its own)."""
KEPT.clears_with(CHAINS.clear)


def _visible(scope: Scope, opportunity_id: str) -> bool:
    """Whether the caller may see a kept chain's deal, by the rule a load applies in the store:
    the deal's id among the caller's (seeing its customer is not enough: a member on one deal
    of a customer sees its people, not its other deals)."""
    return scope.everything or opportunity_id in scope.opportunity_ids


def load_chains(
    store: GraphStore,
    opportunity_ids: Sequence[str],
    *,
    scope: Scope = EVERYTHING,
    with_connectors: bool = False,
    kept: KeptChains = CHAINS,
    seen: SequenceMark | None = None,
) -> dict[str, KeptChain]:
    """The chains of the visible ones of ``opportunity_ids``, kept or loaded: one round trip
    when nothing of them is kept (the load) or everything kept is current (the check), two
    when some must be loaded after the check; none when everything is kept and the request's
    credentials (``seen``) show nothing written since this process last checked."""
    ids = list(dict.fromkeys(opportunity_ids))
    if not ids:
        return {}
    now = store.clock()
    visible = scope_key(scope, with_connectors)
    keys = {i: (i, with_connectors, visible) for i in ids}
    found: dict[str, KeptChain] = {}
    checked = kept.holds_any(list(keys.values()))
    if checked:
        kept.check(store, seen)
        for i, key in keys.items():
            chain = kept.get(key, now)
            if chain is not None and _visible(scope, i):
                found[i] = chain
    missed = sorted(keys[i] for i in ids if i not in found)
    gates = kept.gates(missed)
    for gate in gates:
        gate.acquire()
    try:
        wanted: list[str] = []
        if not checked and kept.holds_any(missed):
            kept.check(store, seen)  # kept by a concurrent reader meanwhile: served checked
        for key in missed:
            chain = kept.get(key, now)
            if chain is not None and _visible(scope, key[0]):
                found[key[0]] = chain
            else:
                wanted.append(key[0])
        if wanted:
            made = WRITES_MADE.count
            loaded = load_sequenced_chains(
                store, wanted, scope=scope, with_connectors=with_connectors
            )
            for i, fresh in loaded.chains.items():
                found[i] = kept.put(keys[i], fresh, now, loaded, made)
    finally:
        for gate in gates:
            gate.release()
    return {i: found[i] for i in ids if i in found}
