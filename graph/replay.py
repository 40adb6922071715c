"""The domain graph rebuilt from audit entries: what every write recorded, applied in order.

Every write stores, in the same statement, an audit entry with what it changed: a node's
fields before and after, an edge's endpoints and the fields it set, the node it deleted. Played
forward from the first entry, they give the nodes and edges as they stood at any instant; the
model's edge specs supply what a statement did implicitly (an edge's defaults when it was
created, the old edge a single-per-source edge replaced, the edges a deleted node took along).
Pure: no I/O. Loading the entries is ``graph.history``'s job.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from domain.model import EDGE_SPECS, EdgeKind, NodeKind, defaults
from domain.validation import name_key
from domain.vocabulary import WorkPlanStatus
from graph.moves import opportunity_moves

EdgeKey = tuple[str, str, str]
"""(relationship type, source id, target id)."""

_EDGE_SPECS = {kind.value: spec for kind, spec in EDGE_SPECS.items()}


@dataclass(frozen=True, slots=True)
class Entry:
    """One audit entry, its changes decoded."""

    at: int
    id: str
    operation: str
    kind: str
    target: str
    changes: dict[str, Any]

    @classmethod
    def from_row(cls, row: list[Any]) -> Entry:
        """An entry from ``HISTORY_ENTRIES``' list row."""
        at, entry_id, operation, kind, target, changes = row
        try:
            decoded = orjson.loads(changes) if changes else {}
        except orjson.JSONDecodeError:
            decoded = {}
        return cls(int(at), str(entry_id), str(operation), str(kind), str(target), decoded)

    @property
    def scrubbed(self) -> bool:
        """True for an entry whose content a personal-data erasure removed."""
        return bool(self.changes.get("erased")) and "after" not in self.changes


def ordered(entries: Iterable[Entry]) -> list[Entry]:
    """Entries once each, oldest first (ties by id, which keeps the order stable)."""
    unique = {e.id: e for e in entries}
    return sorted(unique.values(), key=lambda e: (e.at, e.id))


def _clean(props: dict[str, Any]) -> dict[str, Any]:
    """Properties as a store keeps them: a null is no property."""
    return {k: v for k, v in props.items() if v is not None}


def _keyed(label: str, props: dict[str, Any]) -> dict[str, Any]:
    """A competitor's properties with the name key its statements store beside its name (left
    out of the audit entry, which has the name)."""
    if label == NodeKind.COMPETITOR.value and props.get("name"):
        return {**props, "name_key": name_key(str(props["name"]))}
    return props


class GraphState:
    """Nodes and edges at one instant, advanced one audit entry at a time."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, Any]] = {}
        self.labels: dict[str, str] = {}
        self.edges: dict[EdgeKey, dict[str, Any]] = {}
        self._touching: dict[str, set[EdgeKey]] = {}
        # (type, source) -> {target: properties} and (type, target) -> {source: properties}:
        # a chain is read by following one type of edge from each of its nodes.
        self._out: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
        self._in: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
        self.erased: set[str] = set()
        self.changed_nodes: set[str] = set()
        """Nodes created, updated or deleted since the reader last cleared it."""
        self.changed_edges: set[EdgeKey] = set()
        """Edges created, changed or removed since the reader last cleared it."""
        self._first_placed: dict[EdgeKey, int] = {}
        """When each place in a chain was first made: taken off and put back, a member keeps
        the day they joined (as the store does, from the place's first audit entry)."""

    # --- edges -----------------------------------------------------------------------------

    def _link(self, rel: str, source: str, target: str, props: dict[str, Any]) -> None:
        key = (rel, source, target)
        self.edges[key] = props
        self.changed_edges.add(key)
        self._touching.setdefault(source, set()).add(key)
        self._touching.setdefault(target, set()).add(key)
        self._out.setdefault((rel, source), {})[target] = props
        self._in.setdefault((rel, target), {})[source] = props

    def _unlink(self, key: EdgeKey) -> None:
        if self.edges.pop(key, None) is None:
            return
        self.changed_edges.add(key)
        for end in key[1:]:
            self._touching.get(end, set()).discard(key)
        rel, source, target = key
        self._out.get((rel, source), {}).pop(target, None)
        self._in.get((rel, target), {}).pop(source, None)

    def _drop_node(self, node_id: str) -> None:
        self.changed_nodes.add(node_id)
        self.nodes.pop(node_id, None)
        self.labels.pop(node_id, None)
        for key in list(self._touching.pop(node_id, ())):
            self._unlink(key)

    def sources(self, rel: str, target: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """The (source id, edge properties) of ``rel`` edges arriving at ``target``."""
        yield from self._in.get((rel, target), {}).items()

    def targets(self, rel: str, source: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """The (target id, edge properties) of ``rel`` edges leaving ``source``."""
        yield from self._out.get((rel, source), {}).items()

    # --- entries ---------------------------------------------------------------------------

    def apply(self, entry: Entry) -> None:
        """Advance the state by one audit entry."""
        if entry.operation == "erase":
            self.erased.add(entry.target)
            self.changed_nodes.add(entry.target)
            return
        if entry.scrubbed or entry.operation == "quote_reset":
            # A quote reset is the second entry of an update's own statement: the update's
            # entry already holds its fields (and the version moved once).
            return
        handler = {
            "create": self._create,
            "delete": self._delete,
            "set_edge": self._set_edge,
            "remove_edge": self._remove_edge,
            "record_result": self._record_result,
            "hand_over": self._hand_over,
            "depart": self._depart,
            "depart_undo": self._depart,
            "successor": self._update,
            "advance_stage": self._advance_stage,
        }.get(entry.operation, self._update)
        handler(entry)

    def _create(self, entry: Entry) -> None:
        after = entry.changes.get("after")
        if not isinstance(after, dict):
            return
        node_id, c = entry.target, entry.changes
        self.nodes[node_id] = _keyed(entry.kind, _clean(after))
        self.changed_nodes.add(node_id)
        self.labels[node_id] = entry.kind
        kind = entry.kind
        if kind == NodeKind.KEY_PERSON.value and c.get("customer_id"):
            self._link("WORKS_AT", node_id, c["customer_id"], _clean(c.get("works_at") or {}))
        elif kind == NodeKind.OPPORTUNITY.value and c.get("customer_id"):
            self._link("FOR", node_id, c["customer_id"], {})
        elif kind == NodeKind.CUSTOMER.value and c.get("parent_id"):
            self._link("PART_OF", node_id, c["parent_id"], {})
        elif kind == NodeKind.ACTIVITY.value:
            self._activity_links(node_id, c.get("person_ids"), c.get("member_ids"))
            if c.get("opportunity_id"):
                self._link("ABOUT", node_id, c["opportunity_id"], {})
        elif kind == NodeKind.WORK_PLAN_ITEM.value:
            for rel, other in (
                ("PLANNED_FOR", c.get("opportunity_id")),
                ("TARGETS", c.get("person_id")),
                ("ASSIGNED_TO", c.get("owner_id")),
            ):
                if other:
                    self._link(rel, node_id, other, {})
        team = c.get("team")  # its creator, put on its team by the same write
        if isinstance(team, dict) and team.get("member_id"):
            props = {k: v for k, v in team.items() if k != "member_id"}
            props.update(created_at=entry.at, updated_at=entry.at)
            self._link("ON_TEAM", str(team["member_id"]), node_id, _clean(props))

    def _activity_links(self, activity_id: str, people: object, members: object) -> None:
        for person in people if isinstance(people, list) else ():
            self._link("WITH", activity_id, str(person), {})
        for member in members if isinstance(members, list) else ():
            self._link("DID", str(member), activity_id, {})

    def _update(self, entry: Entry) -> None:
        node = self.nodes.get(entry.target)
        after = entry.changes.get("after")
        if node is None or not isinstance(after, dict):
            return
        self.changed_nodes.add(entry.target)
        if self.labels.get(entry.target) == NodeKind.OPPORTUNITY.value:
            node.update(opportunity_moves(node, after, entry.at))
        for key, value in after.items():
            if key == "parent_id" and self.labels.get(entry.target) == NodeKind.CUSTOMER.value:
                for old in [k for k in self._touching.get(entry.target, ()) if k[0] == "PART_OF"]:
                    if old[1] == entry.target:
                        self._unlink(old)
                if value:
                    self._link("PART_OF", entry.target, str(value), {})
            elif value is None:
                node.pop(key, None)
            else:
                node[key] = value
        node.update(_keyed(self.labels.get(entry.target, ""), node))
        node["version"] = int(node.get("version") or 0) + 1
        node["updated_at"] = entry.at
        owner = entry.changes.get("owner_id")
        if entry.operation == "update" and owner and entry.kind == NodeKind.WORK_PLAN_ITEM.value:
            # a step given to someone else (``graph.workplans.change_item``)
            for old in [k for k in self._touching.get(entry.target, ()) if k[0] == "ASSIGNED_TO"]:
                self._unlink(old)
            self._link("ASSIGNED_TO", entry.target, str(owner), {})

    def _delete(self, entry: Entry) -> None:
        if self.labels.get(entry.target) == NodeKind.CUSTOMER.value:
            for rel in ("FOR", "WORKS_AT"):
                for source, _ in list(self.sources(rel, entry.target)):
                    self._drop_node(source)
        self._drop_node(entry.target)

    def _set_edge(self, entry: Entry) -> None:
        spec = _EDGE_SPECS.get(entry.kind)
        source, target = entry.changes.get("from_id"), entry.changes.get("to_id")
        after = entry.changes.get("after")
        if spec is None or not source or not target or not isinstance(after, dict):
            return
        if source not in self.nodes or target not in self.nodes:
            return
        key = (entry.kind, str(source), str(target))
        if spec.single_per_source:
            for old in [k for k in self._touching.get(key[1], ()) if k[0] == key[0]]:
                if old[1] == key[1] and old != key:
                    self._unlink(old)
        props = self.edges.get(key)
        if props is None:
            joined = entry.at
            if spec.kind is EdgeKind.IN_DECISION_CHAIN:
                joined = self._first_placed.setdefault(key, entry.at)
            props = _clean({**defaults(spec.fields), "created_at": joined})
            self._link(*key, props)
        props.update(_clean(after))
        self.changed_edges.add(key)
        chain = spec.kind is EdgeKind.IN_DECISION_CHAIN
        if chain and "external_kind" in after and after["external_kind"] is None:
            props.pop("external_kind", None)
        props["updated_at"] = entry.at

    def _remove_edge(self, entry: Entry) -> None:
        source, target = entry.changes.get("from_id"), entry.changes.get("to_id")
        self._unlink((entry.kind, str(source), str(target)))

    def _record_result(self, entry: Entry) -> None:
        """A work plan item's result: the item closes and an activity is logged with its
        target person, by its owner, about its opportunity (``RECORD_WORK_PLAN_RESULT``)."""
        self._update(entry)
        activity = entry.changes.get("activity")
        if entry.target not in self.nodes or not isinstance(activity, dict):
            return
        activity_id = str(activity["id"])
        self.nodes[activity_id] = _clean(activity)
        self.changed_nodes.add(activity_id)
        self.labels[activity_id] = NodeKind.ACTIVITY.value
        people = [p for p, _ in self.targets("TARGETS", entry.target)]
        members = [m for m, _ in self.targets("ASSIGNED_TO", entry.target)]
        self._activity_links(activity_id, people, members)
        for opportunity, _ in list(self.targets("PLANNED_FOR", entry.target)):
            self._link("ABOUT", activity_id, opportunity, {})

    def _advance_stage(self, entry: Entry) -> None:
        """A stage move; one that closed the deal cancelled its open work plan items
        (``graph.process_store.advance_stage``)."""
        self._update(entry)
        for item in entry.changes.get("cancelled_item_ids") or ():
            node = self.nodes.get(str(item))
            if node is not None:
                node.update(status=WorkPlanStatus.CANCELLED.value, updated_at=entry.at)
                node["version"] = int(node.get("version") or 0) + 1
                self.changed_nodes.add(str(item))

    def _hand_over(self, entry: Entry) -> None:
        """A member who left: their team places, open items and planned contacts moved to their
        successor, the ties to the people they knew gone (``graph.hand_over``)."""
        self._update(entry)
        member, c = entry.target, entry.changes
        successor = str(c.get("successor_id"))
        for place in c.get("teams") or ():
            target = str(place["target_id"])
            self._unlink(("ON_TEAM", member, target))
            if ("ON_TEAM", successor, target) not in self.edges:
                props = {"role": place["role"], "phase": place["phase"]}
                props.update(created_at=entry.at, updated_at=entry.at)
                self._link("ON_TEAM", successor, target, props)
        for item in c.get("item_ids") or ():
            self._unlink(("ASSIGNED_TO", str(item), member))
            self._link("ASSIGNED_TO", str(item), successor, {})
            node = self.nodes.get(str(item))
            if node is not None:
                node.update(version=int(node.get("version") or 0) + 1, updated_at=entry.at)
                self.changed_nodes.add(str(item))
        for person in c.get("person_ids") or ():
            self._unlink(("KNOWS", member, str(person)))
        for activity in c.get("activity_ids") or ():
            self._unlink(("DID", member, str(activity)))
            if ("DID", successor, str(activity)) not in self.edges:
                self._link("DID", successor, str(activity), {})
            node = self.nodes.get(str(activity))
            if node is not None:
                node.update(version=int(node.get("version") or 0) + 1, updated_at=entry.at)
                self.changed_nodes.add(str(activity))

    def _depart(self, entry: Entry) -> None:
        """A key person's departure recorded or undone: their fields, and the steps with them
        dropped or opened again (``graph.departures``)."""
        self._update(entry)
        for ids, after in (("item_ids", "item_after"), ("asked_ids", "asked_after")):
            self._set_all(entry, entry.changes.get(ids) or (), entry.changes.get(after))

    def _set_all(self, entry: Entry, ids: object, after: object) -> None:
        """``after``'s values set on every node of ``ids`` (a None removes the field)."""
        if not isinstance(ids, list | tuple) or not isinstance(after, dict):
            return
        for item in ids:
            node = self.nodes.get(str(item))
            if node is None:
                continue
            for key, value in after.items():
                if value is None:
                    node.pop(key, None)
                else:
                    node[key] = value
            node.update(version=int(node.get("version") or 0) + 1, updated_at=entry.at)
            self.changed_nodes.add(str(item))

    # --- reading ---------------------------------------------------------------------------

    def present(self, node_id: str) -> bool:
        """True for a node that exists and whose person was not erased."""
        return node_id in self.nodes and node_id not in self.erased
