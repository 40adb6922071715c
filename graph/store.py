"""The store: every read and write of the domain graph, over either back end.

Each write use case is one statement (atomic on both back ends) that also writes its audit
entry. When a guarded write changes nothing, a read-only diagnosis explains why (unknown id,
duplicate id, stale version, cycle), so callers get a precise domain error and nothing is left
half-written. ``round_trips`` counts statements sent, which tests use to hold batching bounds.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal, overload

from domain import links
from domain.errors import (
    KIND_EN,
    KIND_ZH,
    DomainError,
    ErrorCode,
    FieldProblem,
    at_positions,
    bad_input,
    conflict,
    no_tie,
    not_found,
    stale,
)
from domain.model import (
    EDGE_SPECS,
    NODE_SPECS,
    EdgeKind,
    FieldType,
    NodeKind,
    defaults,
)
from domain.records import (
    ActivityRecord,
    ApprovalRecord,
    CompetitorRecord,
    CustomerRecord,
    KeyPersonRecord,
    OpportunityRecord,
    TeamMemberRecord,
    WorkPlanItemRecord,
)
from domain.validation import REQUIRED_ZH, check_id, name_key, search_text, validate_props
from domain.webhook_events import events_for
from graph import statements as st
from graph.executor import Executor, Row, StoreConflictError
from graph.moves import opportunity_moves
from graph.outage import UnconfirmedWriteError, written
from graph.scope import EVERYTHING, SYSTEM, Actor, Scope

Node = dict[str, Any]
"""A stored node whose kind is known only at run time (generic paths: lists, loaders, export).
A kind known statically gets its own record from ``domain.records`` through the overloads of
``get``, ``get_many`` and ``update``, so mypy checks the keys its readers name."""


ID_TAKEN_ZH = "该标识已被使用"


def now_ms() -> int:
    """The current UTC time in epoch milliseconds: the one time convention of the store."""
    return time.time_ns() // 1_000_000


# The keys of an audit entry's changes that name other nodes the change touches.
_SUBJECT_KEYS = (
    "from_id",
    "to_id",
    "customer_id",
    "opportunity_id",
    "parent_id",
    "person_id",
    "owner_id",
    "successor_id",
)
_SUBJECT_LISTS = ("person_ids", "member_ids", "target_ids", "item_ids", "activity_ids")


_ORDER_LOCK = threading.Lock()
_last_order = [0]


def ordered_uuid() -> str:
    """A UUID (version 7 layout) that sorts after every one this process made before: the
    history replays audit entries of one millisecond in the order they were written."""
    with _ORDER_LOCK:
        stamp = max(time.time_ns() // 1000, _last_order[0] + 1)  # microseconds, strictly rising
        _last_order[0] = stamp
    millis, micros = divmod(stamp, 1000)
    value = (millis & ((1 << 48) - 1)) << 80 | 0x7 << 76 | micros << 64
    value |= 0b10 << 62 | int.from_bytes(os.urandom(8)) & ((1 << 62) - 1)
    return str(uuid.UUID(int=value))


def audit_subjects(target_id: str, changes: Mapping[str, Any]) -> str:
    """Every node id a change touches, space-separated: how the history finds the entries of
    one decision chain without parsing every entry's changes (see docs/history.md)."""
    found = [part for part in target_id.split("->") if part]
    found += [str(changes[k]) for k in _SUBJECT_KEYS if changes.get(k)]
    for key in _SUBJECT_LISTS:
        found += [str(x) for x in changes.get(key) or ()]
    team = changes.get("team")  # the creator put on the team of what they created
    if isinstance(team, Mapping) and team.get("member_id"):
        found.append(str(team["member_id"]))
    return " ".join(dict.fromkeys(found))


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a sorted list, with the size of the whole filtered list."""

    items: list[Node]
    total: int


@dataclass(frozen=True, slots=True)
class TeamLink:
    """The creator's place on the team of a customer or opportunity they create: their team
    member and role there (phase: the spec's default)."""

    member_id: str
    role: str


def _team_params(team: TeamLink | None, changes: dict[str, Any]) -> dict[str, Any]:
    """The statement parameters that put the creator on the team; the audit entry records
    the link under ``team``."""
    if team is None:
        return {"team_member_id": None, "team_role": None, "team_phase": None}
    given = {"role": team.role}
    props = {**defaults(EDGE_SPECS[EdgeKind.ON_TEAM].fields), **given}
    validate_props(EDGE_SPECS[EdgeKind.ON_TEAM].fields, props, partial=False, prefix="team.")
    changes["team"] = {"member_id": team.member_id, **props}
    return {"team_member_id": team.member_id, "team_role": team.role, "team_phase": props["phase"]}


def _on_customer(error: DomainError) -> DomainError:
    """A new customer's problems, made with its deal, on its fields inside ``customer``."""
    return DomainError(
        [dataclasses.replace(p, field=f"customer.{p.field}") for p in error.problems]
    )


@dataclass(frozen=True, slots=True)
class Neighbour:
    """A node reached over one edge, with the edge's properties."""

    node: Node
    edge: dict[str, Any]


LIST_FILTER_KEYS: dict[NodeKind, tuple[str, ...]] = {
    NodeKind.CUSTOMER: ("name", "industry", "region"),
    NodeKind.KEY_PERSON: (
        "name",
        "customer_id",
        "department",
        "opportunity_id",
        "role",
        "attitude",
    ),
    NodeKind.COMPETITOR: ("name",),
    NodeKind.OPPORTUNITY: (
        "name",
        "stages",
        "grades",
        "customer_id",
        "member_id",
        "amount_min",
        "amount_max",
    ),
    NodeKind.TEAM_MEMBER: ("name", "role"),
    NodeKind.ACTIVITY: (
        "person_id",
        "opportunity_id",
        "member_id",
        "types",
        "occurred_from",
        "occurred_to",
        "recorded",
    ),
    NodeKind.WORK_PLAN_ITEM: (
        "opportunity_id",
        "member_id",
        "statuses",
        "due_by",
        "changed_since",
    ),
    NodeKind.APPROVAL: ("opportunity_id", "states", "process"),
}

SORTABLE_SYSTEM_FIELDS = ("id", "created_at", "updated_at")


def sort_ranks(kind: NodeKind, field: str) -> list[str] | None:
    """An enum field's values in their declared order (a stage's place in the process), which
    is the order it sorts in; None for a field that sorts by its value."""
    spec = NODE_SPECS[kind].field(field)
    return None if spec is None or spec.enum is None else [e.value for e in spec.enum]


NO_DATE = "9999-12-31"
"""A missing calendar date as a sort key: a deal without a close date, an item without a due
date, is not sooner than any dated one."""


def sort_default(kind: NodeKind, field: str) -> object:
    """What a missing sort value counts as: before every real value in ascending order, except
    a missing date, which comes after every date (``NO_DATE``)."""
    spec = NODE_SPECS[kind].field(field)
    numeric = {FieldType.INT, FieldType.MONEY, FieldType.FLOAT, FieldType.TIMESTAMP}
    if field in ("created_at", "updated_at") or (spec is not None and spec.value_type in numeric):
        return -1
    if spec is not None and spec.value_type is FieldType.DATE:
        return NO_DATE
    return -1 if sort_ranks(kind, field) is not None else ""


def sort_key(kind: NodeKind, field: str, node: Mapping[str, Any]) -> object:
    """The sort key of a node as the list statements compute it, for building cursors."""
    value = node.get(field)
    ranks = sort_ranks(kind, field)
    if ranks is not None:
        return ranks.index(value) if value in ranks else sort_default(kind, field)
    return sort_default(kind, field) if value is None else value


class WritesMade:
    """How many write statements this process has sent, through any store: a reader of kept
    data learns from it whether the process wrote since it last checked (``resolvers.kept``),
    which the request's own credentials, read before its writes, cannot tell."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    def add(self) -> None:
        with self._lock:
            self.count += 1


WRITES_MADE: Final = WritesMade()


class GraphStore:
    """All operations on the domain graph; the back end is injected."""

    def __init__(self, executor: Executor, clock: Callable[[], int] = now_ms) -> None:
        self.executor = executor
        self.clock = clock
        self._counter = itertools.count(1)
        self._count_lock = threading.Lock()
        self.round_trips = 0

    # --- plumbing ------------------------------------------------------------------------

    def _tick(self) -> None:
        with self._count_lock:
            self.round_trips += 1

    def read(self, statement: str, params: Mapping[str, Any]) -> list[Row]:
        """Run one read statement (counted as one round trip)."""
        self._tick()
        return self.executor.read(statement, params)

    def write(self, statement: str, params: Mapping[str, Any]) -> list[Row]:
        """Run one write statement (counted as one round trip); constraint clashes -> CONFLICT.

        A statement that writes an audit entry also gets the change's webhook events
        (``$events``), which its audit fragment writes to the outbox in the same statement."""
        self._tick()
        if "audit" in params and "events" not in params:
            params = {**params, "events": events_for(params["audit"], params)}
        try:
            return self.executor.write(statement, params)
        except UnconfirmedWriteError as error:
            error.what = written(params)  # for the log: what may or may not have been saved
            raise
        except StoreConflictError as error:
            raise DomainError(
                FieldProblem(
                    "id", "a node with this id already exists", ErrorCode.CONFLICT, ID_TAKEN_ZH
                )
            ) from error
        finally:
            WRITES_MADE.add()  # whether it committed or not: the count only errs towards checking

    def audit_entry(
        self,
        actor: Actor,
        operation: str,
        target_kind: str,
        target_id: str,
        changes: Mapping[str, Any],
        now: int,
    ) -> dict[str, Any]:
        """An audit entry of a change by ``actor``, with the team member its login acts as
        (``actor_member_id``, absent for one acting as nobody and in entries written before it
        was recorded)."""
        member = {"actor_member_id": actor.member_id} if actor.member_id else {}
        return {
            "id": ordered_uuid(),
            "at": now,
            "actor_id": actor.id,
            "actor_name": actor.name,
            **member,
            "operation": operation,
            "target_kind": target_kind,
            "target_id": target_id,
            "changes": json.dumps(changes, ensure_ascii=False, sort_keys=True, default=str),
            "subjects": audit_subjects(target_id, changes),
        }

    def ensure_schema(self) -> None:
        """Create constraints and indexes, and key the competitors stored without a name key
        (idempotent)."""
        self._tick()
        self.executor.ensure_schema()
        unkeyed = self.read(st.COMPETITORS_WITHOUT_KEY, {})
        if unkeyed:
            rows = [{"id": row["id"], "key": name_key(str(row["name"]))} for row in unkeyed]
            self.write(st.SET_COMPETITOR_KEYS, {"rows": rows})

    def ping(self) -> bool:
        """True when the store answers."""
        return self.executor.ping()

    def close(self, *, hung: bool = False) -> None:
        """Close the back end (``hung``: it did not answer just now; not waited on again)."""
        self.executor.close(hung=hung)

    # --- nodes: writes ---------------------------------------------------------------------

    def new_props(self, kind: NodeKind, props: Mapping[str, Any], node_id: str | None) -> Node:
        """A new node's stored fields: validated, with its id, first version and times."""
        clean = validate_props(NODE_SPECS[kind].fields, props, partial=False)
        now = self.clock()
        clean["id"] = check_id(node_id) if node_id is not None else str(uuid.uuid4())
        clean["version"] = 1
        clean["created_at"] = now
        clean["updated_at"] = now
        return clean

    def _created(self, kind: NodeKind, rows: list[Row], node_id: str) -> Node:
        if rows:
            node: Node = rows[0]["node"]
            return node
        raise self._diagnose_create(kind, node_id)

    def _diagnose_create(self, kind: NodeKind, node_id: str) -> DomainError:
        if self._existing(kind, [node_id]):
            return DomainError(
                FieldProblem(
                    "id",
                    f"A {KIND_EN.get(kind.value, kind.value)} with this id already exists",
                    ErrorCode.CONFLICT,
                    ID_TAKEN_ZH,
                )
            )
        return conflict(
            f"The {KIND_EN.get(kind.value, kind.value)} could not be created; try again",
            f"未能创建{KIND_ZH.get(kind.value, kind.value)}，请重试",
        )

    def _existing(self, kind: NodeKind, ids: Sequence[str]) -> set[str]:
        rows = self.read(st.EXISTING_IDS[kind], {"ids": list(ids)})
        return {row["id"] for row in rows}

    def create(
        self,
        kind: NodeKind,
        props: Mapping[str, Any],
        *,
        actor: Actor = SYSTEM,
        node_id: str | None = None,
        parent_id: str | None = None,
        team: TeamLink | None = None,
    ) -> Node:
        """Create a node of a kind that needs no parent (Customer, Competitor, TeamMember, …).

        A customer may be created under a parent company (``parent_id``), with its creator on
        its account team (``team``)."""
        if kind in (NodeKind.KEY_PERSON, NodeKind.OPPORTUNITY, NodeKind.ACTIVITY):
            raise ValueError(f"{kind.value} is created with its own operation")
        if (parent_id is not None or team is not None) and kind is not NodeKind.CUSTOMER:
            raise ValueError("only a customer has a parent or an account team")
        clean = self.new_props(kind, props, node_id)
        changes: dict[str, Any] = {"after": clean}
        if parent_id is not None:
            changes["parent_id"] = parent_id
        on_team = _team_params(team, changes)
        audit = self.audit_entry(
            actor, "create", kind.value, clean["id"], changes, clean["created_at"]
        )
        if kind is NodeKind.CUSTOMER:
            rows = self.write(
                st.CREATE_CUSTOMER,
                {"props": clean, "parent_id": parent_id, "audit": audit, **on_team},
            )
            if not rows and parent_id is not None and not self._existing(kind, [parent_id]):
                raise not_found(kind.value, "parentId")
        elif kind is NodeKind.COMPETITOR:
            key = name_key(clean["name"])
            rows = self.write(st.CREATE_COMPETITOR, {"props": clean, "key": key, "audit": audit})
            if not rows:
                self._competitor_name_free(
                    clean["name"], None, "pick it in the list", "请在列表中选择"
                )
        else:
            rows = self.write(st.CREATE_NODE[kind], {"props": clean, "audit": audit})
        return self._created(kind, rows, clean["id"])

    def _competitor_name_free(self, name: str, other: str | None, en: str, zh: str) -> None:
        """Refuse, as a conflict at ``name``, a name another competitor already has."""
        named = self.read(st.COMPETITOR_NAMED, {"key": name_key(name), "other": other})
        if named:
            known = named[0]["name"]
            raise conflict(
                f"{known} is already a competitor: {en}", f"已有竞争对手{known}：{zh}", "name"
            )

    def create_key_person(
        self,
        customer_id: str,
        props: Mapping[str, Any],
        works_at: Mapping[str, Any] | None = None,
        *,
        actor: Actor = SYSTEM,
        node_id: str | None = None,
    ) -> KeyPersonRecord:
        """Create a key person working at a customer (title and department on WORKS_AT)."""
        clean = self.new_props(NodeKind.KEY_PERSON, props, node_id)
        edge_spec = EDGE_SPECS[EdgeKind.WORKS_AT]
        edge = validate_props(edge_spec.fields, works_at or {}, partial=False, prefix="worksAt.")
        edge.update(created_at=clean["created_at"], updated_at=clean["created_at"])
        audit = self.audit_entry(
            actor,
            "create",
            NodeKind.KEY_PERSON.value,
            clean["id"],
            {"after": clean, "customer_id": customer_id, "works_at": edge},
            clean["created_at"],
        )
        rows = self.write(
            st.CREATE_KEY_PERSON,
            {"customer_id": customer_id, "props": clean, "works_at": edge, "audit": audit},
        )
        if rows:
            node: KeyPersonRecord = rows[0]["node"]
            return node
        if not self._existing(NodeKind.CUSTOMER, [customer_id]):
            raise not_found("Customer", "customerId")
        raise self._diagnose_create(NodeKind.KEY_PERSON, clean["id"])

    def create_opportunity(
        self,
        customer_id: str,
        props: Mapping[str, Any],
        *,
        actor: Actor = SYSTEM,
        node_id: str | None = None,
        team: TeamLink | None = None,
    ) -> OpportunityRecord:
        """Create an opportunity for a customer, with its creator on its team (``team``)."""
        clean = self.new_props(NodeKind.OPPORTUNITY, props, node_id)
        clean.setdefault("stage_entered_at", clean["created_at"])
        changes: dict[str, Any] = {"after": clean, "customer_id": customer_id}
        on_team = _team_params(team, changes)
        audit = self.audit_entry(
            actor, "create", NodeKind.OPPORTUNITY.value, clean["id"], changes, clean["created_at"]
        )
        rows = self.write(
            st.CREATE_OPPORTUNITY,
            {"customer_id": customer_id, "props": clean, "audit": audit, **on_team},
        )
        if rows:
            node: OpportunityRecord = rows[0]["node"]
            return node
        if not self._existing(NodeKind.CUSTOMER, [customer_id]):
            raise not_found("Customer", "customerId")
        raise self._diagnose_create(NodeKind.OPPORTUNITY, clean["id"])

    def create_customer_with_opportunity(
        self,
        customer: Mapping[str, Any],
        props: Mapping[str, Any],
        *,
        actor: Actor = SYSTEM,
        customer_node_id: str | None = None,
        node_id: str | None = None,
        parent_id: str | None = None,
        team: TeamLink | None = None,
    ) -> tuple[CustomerRecord, OpportunityRecord]:
        """Create a new customer and its first opportunity in one statement, the creator on
        both teams (``team``): a deal refused leaves no customer behind. The customer's
        problems are on ``customer.<field>``."""
        try:
            made = self.new_props(NodeKind.CUSTOMER, customer, customer_node_id)
        except DomainError as error:
            raise _on_customer(error) from None
        clean = self.new_props(NodeKind.OPPORTUNITY, props, node_id)
        clean.setdefault("stage_entered_at", clean["created_at"])
        customer_changes: dict[str, Any] = {"after": made}
        if parent_id is not None:
            customer_changes["parent_id"] = parent_id
        changes: dict[str, Any] = {"after": clean, "customer_id": made["id"]}
        on_team = _team_params(team, changes)
        _team_params(team, customer_changes)
        first = self.audit_entry(
            actor,
            "create",
            NodeKind.CUSTOMER.value,
            made["id"],
            customer_changes,
            made["created_at"],
        )
        audit = self.audit_entry(
            actor, "create", NodeKind.OPPORTUNITY.value, clean["id"], changes, clean["created_at"]
        )
        params = {"customer": made, "props": clean, "parent_id": parent_id, **on_team}
        events = events_for(first, params) + events_for(audit, params)
        rows = self.write(
            st.CREATE_CUSTOMER_WITH_OPPORTUNITY,
            {**params, "first_audit": first, "audit": audit, "events": events},
        )
        if rows:
            return rows[0]["customer"], rows[0]["node"]
        if parent_id is not None and not self._existing(NodeKind.CUSTOMER, [parent_id]):
            raise not_found("Customer", "customer.parentId")
        if self._existing(NodeKind.CUSTOMER, [made["id"]]):
            raise _on_customer(self._diagnose_create(NodeKind.CUSTOMER, made["id"]))
        raise self._diagnose_create(NodeKind.OPPORTUNITY, clean["id"])

    def log_activity(
        self,
        props: Mapping[str, Any],
        *,
        person_ids: Sequence[str],
        member_ids: Sequence[str] = (),
        opportunity_id: str | None = None,
        actor: Actor = SYSTEM,
        node_id: str | None = None,
    ) -> ActivityRecord:
        """Record an activity with key persons, done by team members, about an opportunity."""
        if not person_ids:
            raise bad_input("personIds", "name at least one key person", "请至少指定一位关键人")
        people = list(dict.fromkeys(person_ids))
        members = list(dict.fromkeys(member_ids))
        clean = self.new_props(NodeKind.ACTIVITY, props, node_id)
        if "outcome" not in props and int(clean["occurred_at"]) > int(clean["created_at"]):
            # A planned activity has no result until it has happened: no default outcome.
            clean.pop("outcome", None)
        audit = self.audit_entry(
            actor,
            "create",
            NodeKind.ACTIVITY.value,
            clean["id"],
            {
                "after": clean,
                "person_ids": people,
                "member_ids": members,
                "opportunity_id": opportunity_id,
            },
            clean["created_at"],
        )
        rows = self.write(
            st.LOG_ACTIVITY,
            {
                "props": clean,
                "person_ids": people,
                "member_ids": members,
                "opportunity_id": opportunity_id,
                "audit": audit,
            },
        )
        if rows:
            node: ActivityRecord = rows[0]["node"]
            return node
        problems = self._missing_refs(
            [
                *((NodeKind.KEY_PERSON, p, at) for p, at in at_positions("personIds", person_ids)),
                *((NodeKind.TEAM_MEMBER, m, at) for m, at in at_positions("memberIds", member_ids)),
                *(
                    [(NodeKind.OPPORTUNITY, opportunity_id, "opportunityId")]
                    if opportunity_id
                    else []
                ),
            ]
        )
        if problems:
            raise DomainError(problems)
        problems = self._activity_people_problems(person_ids, opportunity_id)
        if problems:
            raise DomainError(problems)
        raise self._diagnose_create(NodeKind.ACTIVITY, clean["id"])

    def _activity_people_problems(
        self, person_ids: Sequence[str], opportunity_id: str | None
    ) -> list[FieldProblem]:
        """Each person who may not take part in the activity, and why (one problem each, at
        the person's place in ``personIds``)."""
        facts = self._people_facts(person_ids, opportunity_id)
        placed = at_positions("personIds", person_ids)
        found: list[FieldProblem | None]
        if opportunity_id is not None:
            deal = self._deal_facts(opportunity_id)
            found = [links.activity_person(at, facts[p], deal) for p, at in placed]
        else:
            first = facts[person_ids[0]]
            found = [links.activity_group(at, first, facts[p]) for p, at in placed[1:]]
        return [p for p in found if p is not None]

    def _people_facts(
        self, person_ids: Sequence[str], opportunity_id: str | None = None
    ) -> dict[str, links.PersonFacts]:
        rows = self.read(
            st.LINK_PEOPLE,
            {"ids": list(dict.fromkeys(person_ids)), "opportunity_id": opportunity_id},
        )
        return {
            row["id"]: links.PersonFacts(
                id=row["id"],
                name=row["name"],
                customer_id=row["customer_id"],
                customer_name=row["customer_name"],
                group=tuple(row["customer_group"]),
                external_kind=next((k for k in row["memberships"] if k is not None), None),
                member=bool(row["memberships"]),
            )
            for row in rows
        }

    def _deal_facts(self, opportunity_id: str) -> links.DealFacts:
        row = self.read(st.LINK_OPPORTUNITY, {"id": opportunity_id})[0]
        return links.DealFacts(
            name=row["name"],
            customer_id=row["customer_id"],
            customer_name=row["customer_name"],
            group=tuple(row["customer_group"]),
        )

    def _missing_refs(self, refs: Iterable[tuple[NodeKind, str, str]]) -> list[FieldProblem]:
        """A NOT_FOUND problem on the field of each (kind, id, field) that names nothing."""
        wanted: dict[NodeKind, list[tuple[str, str]]] = {}
        for kind, node_id, field in refs:
            wanted.setdefault(kind, []).append((node_id, field))
        problems: list[FieldProblem] = []
        for kind, named in wanted.items():
            there = self._existing(kind, [i for i, _ in named])
            problems += [not_found(kind.value, f).problems[0] for i, f in named if i not in there]
        return problems

    @overload
    def update(
        self,
        kind: Literal[NodeKind.CUSTOMER],
        node_id: str,
        changes: Mapping[str, Any],
        *,
        expected_version: int | None = None,
        actor: Actor = SYSTEM,
        scope: Scope = EVERYTHING,
        parent: tuple[str | None] | None = None,
    ) -> CustomerRecord: ...
    @overload
    def update(
        self,
        kind: Literal[NodeKind.KEY_PERSON],
        node_id: str,
        changes: Mapping[str, Any],
        *,
        expected_version: int | None = None,
        actor: Actor = SYSTEM,
        scope: Scope = EVERYTHING,
        parent: tuple[str | None] | None = None,
    ) -> KeyPersonRecord: ...
    @overload
    def update(
        self,
        kind: Literal[NodeKind.COMPETITOR],
        node_id: str,
        changes: Mapping[str, Any],
        *,
        expected_version: int | None = None,
        actor: Actor = SYSTEM,
        scope: Scope = EVERYTHING,
        parent: tuple[str | None] | None = None,
    ) -> CompetitorRecord: ...
    @overload
    def update(
        self,
        kind: Literal[NodeKind.OPPORTUNITY],
        node_id: str,
        changes: Mapping[str, Any],
        *,
        expected_version: int | None = None,
        actor: Actor = SYSTEM,
        scope: Scope = EVERYTHING,
        parent: tuple[str | None] | None = None,
    ) -> OpportunityRecord: ...
    @overload
    def update(
        self,
        kind: Literal[NodeKind.TEAM_MEMBER],
        node_id: str,
        changes: Mapping[str, Any],
        *,
        expected_version: int | None = None,
        actor: Actor = SYSTEM,
        scope: Scope = EVERYTHING,
        parent: tuple[str | None] | None = None,
    ) -> TeamMemberRecord: ...
    @overload
    def update(
        self,
        kind: Literal[NodeKind.ACTIVITY],
        node_id: str,
        changes: Mapping[str, Any],
        *,
        expected_version: int | None = None,
        actor: Actor = SYSTEM,
        scope: Scope = EVERYTHING,
        parent: tuple[str | None] | None = None,
    ) -> ActivityRecord: ...
    @overload
    def update(
        self,
        kind: Literal[NodeKind.WORK_PLAN_ITEM],
        node_id: str,
        changes: Mapping[str, Any],
        *,
        expected_version: int | None = None,
        actor: Actor = SYSTEM,
        scope: Scope = EVERYTHING,
        parent: tuple[str | None] | None = None,
    ) -> WorkPlanItemRecord: ...
    @overload
    def update(
        self,
        kind: Literal[NodeKind.APPROVAL],
        node_id: str,
        changes: Mapping[str, Any],
        *,
        expected_version: int | None = None,
        actor: Actor = SYSTEM,
        scope: Scope = EVERYTHING,
        parent: tuple[str | None] | None = None,
    ) -> ApprovalRecord: ...
    @overload
    def update(
        self,
        kind: NodeKind,
        node_id: str,
        changes: Mapping[str, Any],
        *,
        expected_version: int | None = None,
        actor: Actor = SYSTEM,
        scope: Scope = EVERYTHING,
        parent: tuple[str | None] | None = None,
    ) -> Any: ...
    def update(
        self,
        kind: NodeKind,
        node_id: str,
        changes: Mapping[str, Any],
        *,
        expected_version: int | None = None,
        actor: Actor = SYSTEM,
        scope: Scope = EVERYTHING,
        parent: tuple[str | None] | None = None,
    ) -> Any:
        """Change some fields of a node; ``None`` clears a field. Stale versions are refused.

        ``parent`` (customers only) is ``(parent_id,)`` to move the customer under another
        parent company, ``(None,)`` to make it a group of its own, ``None`` to keep it.
        The current node is read first to compute the before/after audit record; the write is
        guarded by that version, so a concurrent change turns into CONFLICT, never a lost update.
        """
        if parent is not None and kind is not NodeKind.CUSTOMER:
            raise ValueError("only a customer has a parent")
        clean = validate_props(NODE_SPECS[kind].fields, changes, partial=True)
        current = self.get(kind, node_id, scope=scope)
        if parent is not None:
            return self._update_customer(current, clean, parent[0], expected_version, actor)
        version = int(current["version"])
        if expected_version is not None and expected_version != version:
            raise stale(kind.value, current, expected_version)
        changed = {k: v for k, v in clean.items() if current.get(k) != v}
        if not changed:
            return current
        now = self.clock()
        before = {k: current.get(k) for k in changed}
        audit = self.audit_entry(
            actor, "update", kind.value, node_id, {"before": before, "after": changed}, now
        )
        written = {**changed, **opportunity_moves(current, changed, now)}
        renamed = kind is NodeKind.COMPETITOR and "name" in written
        params = {"id": node_id, "version": version, "changes": written, "now": now}
        if renamed:
            params["key"] = name_key(written["name"])
        rows = self.write(
            st.UPDATE_COMPETITOR if renamed else st.UPDATE_NODE[kind], {**params, "audit": audit}
        )
        if not rows:
            if renamed:
                self._competitor_name_free(
                    written["name"], node_id, "keep one record per company", "同一公司只留一条记录"
                )
            raise stale(kind.value, current)
        node: Node = rows[0]["node"]
        return node

    def _update_customer(
        self,
        current: Node,
        clean: Mapping[str, Any],
        parent_id: str | None,
        expected_version: int | None,
        actor: Actor,
    ) -> Node:
        """A customer's fields and its parent, in one statement (see ``UPDATE_CUSTOMER``)."""
        node_id = str(current["id"])
        version = int(current["version"])
        if expected_version is not None and expected_version != version:
            raise stale(NodeKind.CUSTOMER.value, current, expected_version)
        old_parent = self.parent_of(node_id)
        changed = {k: v for k, v in clean.items() if current.get(k) != v}
        set_parent = old_parent != parent_id
        if not changed and not set_parent:
            return current
        now = self.clock()
        before: dict[str, Any] = {k: current.get(k) for k in changed}
        after: dict[str, Any] = dict(changed)
        if set_parent:
            before["parent_id"], after["parent_id"] = old_parent, parent_id
        audit = self.audit_entry(
            actor, "update", "Customer", node_id, {"before": before, "after": after}, now
        )
        rows = self.write(
            st.UPDATE_CUSTOMER,
            {
                "id": node_id,
                "version": version,
                "changes": changed,
                "set_parent": set_parent,
                "parent_id": parent_id,
                "now": now,
                "audit": audit,
            },
        )
        if rows:
            node: Node = rows[0]["node"]
            return node
        if set_parent and parent_id is not None:
            found = self.get_many(NodeKind.CUSTOMER, [parent_id])
            if parent_id not in found:
                raise not_found("Customer", "parentId")
            if parent_id == node_id or node_id in self.groups_of([parent_id])[parent_id]:
                raise DomainError(
                    links.parent_cycle("parentId", current["name"], found[parent_id]["name"])
                )
        if set_parent:
            breaks = self.read(
                st.CUSTOMER_GROUP_BREAKS,
                {"id": node_id, "parent_id": parent_id, "set_parent": True},
            )
            problems = (
                [links.group_break("parentId", current["name"], *b) for b in breaks[0]["breaks"]]
                if breaks
                else []
            )
            if problems:
                raise DomainError(problems)
        raise stale(NodeKind.CUSTOMER.value, current)

    def parent_of(self, customer_id: str) -> str | None:
        """The id of a customer's parent company, or None for a group of its own."""
        found = self.neighbours(
            EdgeKind.PART_OF, NodeKind.CUSTOMER, NodeKind.CUSTOMER, [customer_id]
        )[customer_id]
        return str(found[0].node["id"]) if found else None

    def subsidiaries_of(self, customer_id: str) -> list[str]:
        """The names of the companies directly under a customer."""
        found = self.neighbours(
            EdgeKind.PART_OF, NodeKind.CUSTOMER, NodeKind.CUSTOMER, [customer_id], incoming=True
        )[customer_id]
        return [str(n.node["name"]) for n in found]

    def groups_of(self, customer_ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """Each customer with its ancestors over PART_OF (itself first)."""
        rows = self.read(st.CUSTOMER_GROUPS, {"ids": list(dict.fromkeys(customer_ids))})
        return {row["id"]: tuple(row["customer_group"]) for row in rows}

    def delete(
        self,
        kind: NodeKind,
        node_id: str,
        *,
        expected_version: int | None = None,
        cascade: bool = False,
        actor: Actor = SYSTEM,
        scope: Scope = EVERYTHING,
    ) -> None:
        """Delete a node and its edges. A customer with opportunities needs ``cascade``; a deal
        takes its own records with it (``DELETE_OPPORTUNITY``)."""
        current = self.get(kind, node_id, scope=scope)
        version = int(current["version"])
        if expected_version is not None and expected_version != version:
            raise stale(kind.value, current, expected_version)
        now = self.clock()
        audit = self.audit_entry(actor, "delete", kind.value, node_id, {"before": current}, now)
        params = {"id": node_id, "version": version, "audit": audit}
        if kind is NodeKind.CUSTOMER:
            rows = self.write(st.DELETE_CUSTOMER, {**params, "cascade": cascade})
            subsidiaries = [] if rows else self.subsidiaries_of(node_id)
            if subsidiaries:
                names = ", ".join(sorted(subsidiaries))
                raise DomainError(
                    FieldProblem(
                        "id",
                        f"{current['name']} is the parent company of {names}; "
                        "move them out of the group first",
                        ErrorCode.CONFLICT,
                        f"{current['name']}是{names}的上级公司，请先将这些下属公司移出集团",
                    )
                )
            if not rows:
                count = self.read(st.COUNT_CUSTOMER_OPPORTUNITIES, {"id": node_id})[0]["count"]
                if count and not cascade:
                    raise DomainError(
                        FieldProblem(
                            "cascade",
                            f"{current['name']} still has {count} opportunities; "
                            "delete them first or ask for cascade",
                            ErrorCode.CONFLICT,
                            f"客户{current['name']}仍有{count}个商机，请先删除它们或选择级联删除",
                        )
                    )
                raise stale(NodeKind.CUSTOMER.value, current)
            return
        statement = st.DELETE_OPPORTUNITY if kind is NodeKind.OPPORTUNITY else st.DELETE_NODE[kind]
        if not self.write(statement, params):
            raise stale(kind.value, current)

    # --- nodes: reads ----------------------------------------------------------------------

    @overload
    def get_many(
        self, kind: Literal[NodeKind.CUSTOMER], ids: Sequence[str], *, scope: Scope = EVERYTHING
    ) -> dict[str, CustomerRecord]: ...
    @overload
    def get_many(
        self, kind: Literal[NodeKind.KEY_PERSON], ids: Sequence[str], *, scope: Scope = EVERYTHING
    ) -> dict[str, KeyPersonRecord]: ...
    @overload
    def get_many(
        self, kind: Literal[NodeKind.COMPETITOR], ids: Sequence[str], *, scope: Scope = EVERYTHING
    ) -> dict[str, CompetitorRecord]: ...
    @overload
    def get_many(
        self, kind: Literal[NodeKind.OPPORTUNITY], ids: Sequence[str], *, scope: Scope = EVERYTHING
    ) -> dict[str, OpportunityRecord]: ...
    @overload
    def get_many(
        self, kind: Literal[NodeKind.TEAM_MEMBER], ids: Sequence[str], *, scope: Scope = EVERYTHING
    ) -> dict[str, TeamMemberRecord]: ...
    @overload
    def get_many(
        self, kind: Literal[NodeKind.ACTIVITY], ids: Sequence[str], *, scope: Scope = EVERYTHING
    ) -> dict[str, ActivityRecord]: ...
    @overload
    def get_many(
        self,
        kind: Literal[NodeKind.WORK_PLAN_ITEM],
        ids: Sequence[str],
        *,
        scope: Scope = EVERYTHING,
    ) -> dict[str, WorkPlanItemRecord]: ...
    @overload
    def get_many(
        self, kind: Literal[NodeKind.APPROVAL], ids: Sequence[str], *, scope: Scope = EVERYTHING
    ) -> dict[str, ApprovalRecord]: ...
    @overload
    def get_many(
        self, kind: NodeKind, ids: Sequence[str], *, scope: Scope = EVERYTHING
    ) -> dict[str, Any]: ...
    def get_many(
        self, kind: NodeKind, ids: Sequence[str], *, scope: Scope = EVERYTHING
    ) -> dict[str, Any]:
        """The visible nodes among ``ids``, by id, in one round trip."""
        if not ids:
            return {}
        rows = self.read(st.GET_NODES[kind], {"ids": list(dict.fromkeys(ids)), **scope.params()})
        return {row["node"]["id"]: row["node"] for row in rows}

    @overload
    def get(
        self, kind: Literal[NodeKind.CUSTOMER], node_id: str, *, scope: Scope = EVERYTHING
    ) -> CustomerRecord: ...
    @overload
    def get(
        self, kind: Literal[NodeKind.KEY_PERSON], node_id: str, *, scope: Scope = EVERYTHING
    ) -> KeyPersonRecord: ...
    @overload
    def get(
        self, kind: Literal[NodeKind.COMPETITOR], node_id: str, *, scope: Scope = EVERYTHING
    ) -> CompetitorRecord: ...
    @overload
    def get(
        self, kind: Literal[NodeKind.OPPORTUNITY], node_id: str, *, scope: Scope = EVERYTHING
    ) -> OpportunityRecord: ...
    @overload
    def get(
        self, kind: Literal[NodeKind.TEAM_MEMBER], node_id: str, *, scope: Scope = EVERYTHING
    ) -> TeamMemberRecord: ...
    @overload
    def get(
        self, kind: Literal[NodeKind.ACTIVITY], node_id: str, *, scope: Scope = EVERYTHING
    ) -> ActivityRecord: ...
    @overload
    def get(
        self, kind: Literal[NodeKind.WORK_PLAN_ITEM], node_id: str, *, scope: Scope = EVERYTHING
    ) -> WorkPlanItemRecord: ...
    @overload
    def get(
        self, kind: Literal[NodeKind.APPROVAL], node_id: str, *, scope: Scope = EVERYTHING
    ) -> ApprovalRecord: ...
    @overload
    def get(self, kind: NodeKind, node_id: str, *, scope: Scope = EVERYTHING) -> Any: ...
    def get(self, kind: NodeKind, node_id: str, *, scope: Scope = EVERYTHING) -> Any:
        """One visible node, or NOT_FOUND (also for nodes the caller may not see)."""
        found = self.get_many(kind, [node_id], scope=scope)
        if node_id not in found:
            raise not_found(kind.value)
        return found[node_id]

    def list_page(
        self,
        kind: NodeKind,
        *,
        filters: Mapping[str, Any] | None = None,
        sort: str = "id",
        descending: bool = False,
        after: tuple[object, str] | None = None,
        limit: int = 20,
        scope: Scope = EVERYTHING,
    ) -> Page:
        """A page of a filtered list, keyset-paginated on (sort key, id) so pages never overlap."""
        if sort not in SORTABLE_SYSTEM_FIELDS and NODE_SPECS[kind].field(sort) is None:
            raise bad_input("orderBy", f"cannot sort by {sort!r}", f"不能按“{sort}”排序")
        given = dict(filters or {})
        unknown = set(given) - set(LIST_FILTER_KEYS[kind])
        if unknown:
            raise bad_input(
                "filter",
                f"unknown filter(s): {', '.join(sorted(unknown))}",
                f"未知的筛选条件：{'、'.join(sorted(unknown))}",
            )
        if (
            kind is NodeKind.KEY_PERSON
            and given.get("opportunity_id") is None
            and (given.get("role") is not None or given.get("attitude") is not None)
        ):
            raise bad_input(
                "filter.opportunityId",
                "role and attitude filters need an opportunity",
                "按角色或态度筛选时须指定商机",
            )
        params: dict[str, Any] = {key: given.get(key) for key in LIST_FILTER_KEYS[kind]}
        if isinstance(params.get("name"), str):
            params["name"] = search_text(params["name"])
        params.update(scope.params())
        params.update(
            sort=sort,
            sort_default=sort_default(kind, sort),
            ranks=sort_ranks(kind, sort),
            after_key=after[0] if after else None,
            after_id=after[1] if after else None,
            limit=max(0, limit),
        )
        row = self.read(st.LIST_NODES[(kind, descending)], params)[0]
        return Page(items=list(row["nodes"]), total=int(row["total"]))

    def count(self, kind: NodeKind) -> int:
        """How many nodes of a kind exist (for summaries)."""
        return int(self.read(st.COUNT_NODES[kind], {})[0]["count"])

    # --- edges -----------------------------------------------------------------------------

    def set_edge(
        self,
        edge: EdgeKind,
        source: tuple[NodeKind, str],
        target: tuple[NodeKind, str],
        props: Mapping[str, Any] | None = None,
        *,
        actor: Actor = SYSTEM,
        expected_version: int | None = None,
    ) -> dict[str, Any]:
        """Create or update an edge; a source with a single edge of this kind is re-pointed.
        A place in a decision chain changes only while it has ``expected_version``, when given
        (the version its client read): a page read before a colleague's change or removal would
        otherwise undo it, or put the person back."""
        spec = EDGE_SPECS[edge]
        key = (edge, source[0], target[0])
        if key not in st.SET_EDGE:
            raise _no_such_tie()
        given = dict(props or {})
        clean = validate_props(spec.fields, given, partial=True)
        missing = [f.name for f in spec.fields if f.required and f.name not in given]
        if missing:
            raise DomainError(
                [
                    FieldProblem(name, "is required", ErrorCode.BAD_USER_INPUT, REQUIRED_ZH)
                    for name in missing
                ]
            )
        chain = edge is EdgeKind.IN_DECISION_CHAIN
        external_given = chain and "external_kind" in clean
        given_kind = clean.pop("external_kind", None) if chain else None
        external_kind = None if given_kind is None else str(given_kind)
        clean = {k: v for k, v in clean.items() if v is not None}
        now = self.clock()
        on_create = {**defaults(spec.fields), "created_at": now}
        after = {**clean, "external_kind": external_kind} if external_given else clean
        audit = self.audit_entry(
            actor,
            "set_edge",
            edge.value,
            f"{source[1]}->{target[1]}",
            {"from_id": source[1], "to_id": target[1], "after": after},
            now,
        )
        rows = self.write(
            st.SET_EDGE[key],
            {
                "from_id": source[1],
                "to_id": target[1],
                "props": clean,
                "defaults": on_create,
                "now": now,
                "audit": audit,
                **(
                    {
                        "external_given": external_given,
                        "external_kind": external_kind,
                        "expected_version": expected_version,
                    }
                    if chain
                    else {}
                ),
            },
        )
        if rows:
            result: dict[str, Any] = rows[0]["edge"]
            return result
        if chain and expected_version is not None:
            moved = self.chain_place_moved(source[1], target[1], expected_version)
            if moved is not None:
                raise moved
        raise self._diagnose_edge(
            spec.kind, source, target, (external_kind,) if external_given else None
        )

    def chain_place_moved(
        self, person_id: str, opportunity_id: str, expected: int | None
    ) -> DomainError | None:
        """The CONFLICT of a change to a place in a chain that is no longer as its client read
        it (taken off, or changed: at another version than ``expected``, when given), naming
        the person; None when it is as read."""
        rows = self.read(st.CHAIN_PLACE, {"person_id": person_id, "opportunity_id": opportunity_id})
        if not rows:
            return None
        name, placed, version = rows[0]["name"], rows[0]["placed"], rows[0]["version"]
        if not placed and not rows[0]["ever"]:
            return conflict(
                f"{name} is not in this deal's decision chain: add them without a version",
                f"{name}不在本商机的决策链中：加入时无需提供版本",
                "expectedVersion",
            )
        if not placed:
            return conflict(
                f"{name} is no longer in this deal's decision chain: someone took them off "
                "meanwhile; reload to see the chain as it is",
                f"{name}已不在本商机的决策链中：有人刚将其移出，请重新加载查看当前决策链",
                "expectedVersion",
            )
        if expected is not None and int(version) != expected:
            return conflict(
                f"{name}'s place in this decision chain was changed by someone else meanwhile; "
                "reload and retry",
                f"{name}在本决策链中的角色、态度或影响力刚被他人修改，请重新加载后重试",
                "expectedVersion",
            )
        return None

    def _diagnose_edge(
        self,
        edge: EdgeKind,
        source: tuple[NodeKind, str],
        target: tuple[NodeKind, str],
        external: tuple[str | None] | None = None,
    ) -> DomainError:
        problems = self._missing_refs([(*source, "fromId"), (*target, "toId")])
        if problems:
            return DomainError(problems)
        people_only = source[0] is target[0] is NodeKind.KEY_PERSON
        if source == target:
            if not people_only:
                return bad_input("toId", "cannot be tied to itself", "不能与自身建立关系")
            person = self._people_facts([source[1]])[source[1]]
            return DomainError(links.self_link("toId", edge.value, person))
        if edge is EdgeKind.IN_DECISION_CHAIN:
            deal = self._deal_facts(target[1])
            person = self._people_facts([source[1]], target[1])[source[1]]
            kind = external[0] if external is not None else person.external_kind
            problem = links.chain_member(person, deal, kind, "fromId", "externalKind")
            if problem is not None:
                return DomainError(problem)
        if EDGE_SPECS[edge].same_group:
            people = self._people_facts([source[1], target[1]])
            one, other = people[source[1]], people[target[1]]
            if not links.same_group(one.group, other.group):
                return DomainError(links.person_link("toId", edge.value, one, other))
        if EDGE_SPECS[edge].no_cycles and people_only:
            people = self._people_facts([source[1], target[1]])
            return DomainError(links.reporting_cycle("toId", people[source[1]], people[target[1]]))
        if EDGE_SPECS[edge].no_cycles:
            return bad_input("toId", "would close a cycle", "将形成循环")
        return conflict("The tie could not be set; try again", "未能设置该关系，请重试")

    def remove_edge(
        self,
        edge: EdgeKind,
        source: tuple[NodeKind, str],
        target: tuple[NodeKind, str],
        *,
        actor: Actor = SYSTEM,
        role: str | None = None,
        expected_version: int | None = None,
    ) -> dict[str, Any]:
        """Remove an edge; NOT_FOUND when there is none. A place in a decision chain is
        removed only while its role is ``role`` (when given): a person has one place in a
        deal's chain, and naming another role than theirs is refused on ``role``; and only
        while it has ``expected_version`` (when given), as ``set_edge`` changes it."""
        key = (edge, source[0], target[0])
        if key not in st.REMOVE_EDGE:
            raise _no_such_tie()
        now = self.clock()
        audit = self.audit_entry(
            actor,
            "remove_edge",
            edge.value,
            f"{source[1]}->{target[1]}",
            {"from_id": source[1], "to_id": target[1]},
            now,
        )
        params: dict[str, Any] = {"from_id": source[1], "to_id": target[1], "audit": audit}
        if edge is EdgeKind.IN_DECISION_CHAIN:
            params["role"] = role
            params["expected_version"] = expected_version
        rows = self.write(st.REMOVE_EDGE[key], params)
        if not rows and expected_version is not None and edge is EdgeKind.IN_DECISION_CHAIN:
            moved = self.chain_place_moved(source[1], target[1], expected_version)
            if moved is not None:
                raise moved
        if not rows:
            raise self._diagnose_remove(edge, source, target, role)
        result: dict[str, Any] = rows[0]["edge"]
        return result

    def _diagnose_remove(
        self,
        edge: EdgeKind,
        source: tuple[NodeKind, str],
        target: tuple[NodeKind, str],
        role: str | None,
    ) -> DomainError:
        """Why nothing was removed: the chain place has another role, or there is no tie."""
        if edge is EdgeKind.IN_DECISION_CHAIN and role is not None:
            found = self.neighbours(edge, source[0], target[0], [source[1]])[source[1]]
            place = next((n.edge for n in found if n.node["id"] == target[1]), None)
            if place is not None:
                person = self.get(NodeKind.KEY_PERSON, source[1])
                return DomainError(
                    links.chain_role("role", person["name"], str(place["role"]), role)
                )
        a, b = (_title(self.get_many(kind, [i]).get(i), i) for kind, i in (source, target))
        return no_tie(edge.value, "toId", a, b)

    def neighbours(
        self,
        edge: EdgeKind,
        source: NodeKind,
        target: NodeKind,
        ids: Sequence[str],
        *,
        incoming: bool = False,
        scope: Scope = EVERYTHING,
    ) -> dict[str, list[Neighbour]]:
        """For each id, the visible nodes across one edge kind, in one round trip.

        Outgoing: ids are sources and the result holds targets. Incoming: ids are targets and
        the result holds sources.
        """
        result: dict[str, list[Neighbour]] = {i: [] for i in ids}
        if not ids:
            return result
        statement = (st.INCOMING if incoming else st.OUTGOING)[(edge, source, target)]
        rows = self.read(statement, {"ids": list(dict.fromkeys(ids)), **scope.params()})
        for row in rows:
            result[row["source_id"]].append(Neighbour(row["node"], row["edge"]))
        for items in result.values():
            items.sort(key=lambda n: str(n.node.get("name") or n.node.get("id")))
        return result

    # --- audit -----------------------------------------------------------------------------

    def audit_log(
        self,
        target_id: str | None,
        *,
        after: tuple[int, str] | None = None,
        limit: int = 20,
    ) -> Page:
        """Audit entries, newest first, optionally for one target (a deal's with its
        approvals'); each names, as ``actor_member_name``, the team member its actor's login
        acted as then (as the entry records it; an older entry that records none: the one the
        login acts as now), when one did."""
        row = self.read(
            st.AUDIT_LOG,
            {
                "target_id": target_id,
                "after_at": after[0] if after else None,
                "after_id": after[1] if after else None,
                "limit": limit,
            },
        )[0]
        names = {str(login): name for login, name in row.get("actor_names") or () if name}
        members = {str(m): name for m, name in row.get("member_names") or () if m and name}
        items = []
        for entry in row["entries"]:
            recorded = entry.get("actor_member_id")
            name = members.get(str(recorded)) if recorded else names.get(entry.get("actor_id"))
            items.append({**entry, "actor_member_name": name} if name else entry)
        return Page(items=items, total=int(row["total"]))


def _title(node: Mapping[str, Any] | None, node_id: str) -> str:
    """A node as people know it: its name, title or summary (its id only if it has none)."""
    if node is not None:
        for key in ("name", "title", "summary"):
            if node.get(key):
                return str(node[key])
    return node_id


def _no_such_tie() -> DomainError:
    """Two kinds of nodes that this kind of edge does not join (the API never asks for it)."""
    return bad_input("", "this kind of tie cannot join these two", "这两者之间不能建立此类关系")
