"""Write glue: checks the caller may touch what a mutation names, then one store write.

Every target is first looked up through the caller's scope, so a write can only reach what
the caller may see, and an invisible target reads as NOT_FOUND (existence is not leaked).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final

from domain.errors import DomainError, ErrorCode, FieldProblem, bad_input, not_found
from domain.model import EdgeKind, NodeKind
from domain.records import KeyPersonRecord, OpportunityRecord
from domain.roles import WRITERS, creator_team_role
from domain.validation import YEARS_AHEAD_TYPO, years_after
from domain.vocabulary import CLOSED_STAGES, TeamRole
from graph.scope import EVERYTHING, Scope
from graph.store import GraphStore, Node, TeamLink
from resolvers.auth import require_role
from resolvers.context import RequestContext
from strategy.tas import Problem, quote_drafted
from strategy.tas.problem_texts import problem_texts


def require_writer(ctx: RequestContext) -> None:
    """Viewers may read but never write."""
    if not ctx.roles & WRITERS:
        raise DomainError(
            FieldProblem(
                "", "your role may not change data", ErrorCode.FORBIDDEN, "您的角色不能修改数据"
            )
        )


def require_visible(ctx: RequestContext, refs: Sequence[tuple[NodeKind, str, str]]) -> None:
    """Every (kind, id, field) must name a node the caller may see; each miss is refused on
    its field (an item of a list at its position, ``at_positions``)."""
    by_kind: dict[NodeKind, list[tuple[str, str]]] = {}
    for kind, node_id, field in refs:
        by_kind.setdefault(kind, []).append((node_id, field))
    missed: dict[tuple[NodeKind, str], None] = {}
    for kind, wanted in by_kind.items():
        found = ctx.store.get_many(kind, [i for i, _ in wanted], scope=ctx.scope)
        missed |= {(kind, field): None for node_id, field in wanted if node_id not in found}
    if missed:
        raise DomainError([not_found(kind.value, field).problems[0] for kind, field in missed])


@contextmanager
def _key_field() -> Iterator[None]:
    """The store names a new node's id ``id``; the client gave it as ``key`` (a new customer
    given with its deal: ``customer.key``)."""
    try:
        yield
    except DomainError as error:
        keys = {"id": "key", "customer.id": "customer.key"}
        raise DomainError(
            [replace(p, field=keys.get(p.field, p.field)) for p in error.problems]
        ) from None


def create_node(
    ctx: RequestContext,
    kind: NodeKind,
    props: Mapping[str, Any],
    key: str | None,
    parent_id: str | None = None,
) -> Node:
    """Create a parentless node (customer, competitor, team member); a customer may be
    created under a visible parent company."""
    require_writer(ctx)
    require_role(ctx.roles, "create", kind.value)
    if parent_id is not None:
        require_visible(ctx, [(NodeKind.CUSTOMER, parent_id, "parentId")])
    team = creator_on_team(ctx) if kind is NodeKind.CUSTOMER else None
    with _key_field():
        made = ctx.store.create(
            kind, props, actor=ctx.actor, node_id=key, parent_id=parent_id, team=team
        )
    if team is not None:
        sees_made(ctx, kind, made["id"])
    return made


def sees_made(ctx: RequestContext, kind: NodeKind, node_id: str) -> None:
    """The creator, now on the team of what they made, sees it for the rest of the request:
    the payload reads it as a fresh request would (its team, gates, health, chain), where the
    scope read with the credentials, before it existed, would hide it."""
    if ctx.scope.everything:
        return
    if kind is NodeKind.OPPORTUNITY:
        ctx.scope = replace(ctx.scope, opportunity_ids=ctx.scope.opportunity_ids | {node_id})
    else:
        ctx.scope = replace(ctx.scope, customer_ids=ctx.scope.customer_ids | {node_id})


def not_linked(user_name: str) -> Problem:
    """Why a user without a (live) member link cannot act: names the user and the remedy."""
    return problem_texts().problem("NOT_LINKED", "", "acting.not_linked", user=user_name)


def creator_on_team(ctx: RequestContext) -> TeamLink | None:
    """Who creates a customer or an opportunity and sees only their teams' accounts and deals
    joins its team in the same write, or what they made would be invisible to them at once;
    whoever sees everything (administrators) creates on others' behalf and joins nothing. A
    user linked to no team member may not create either: nobody could ever see it again."""
    if ctx.scope.everything:
        return None
    if ctx.member_id is None:  # made for nobody: they would never see it again
        unlinked = not_linked(ctx.actor.name)
        raise DomainError(FieldProblem("", unlinked.en, ErrorCode.FORBIDDEN, unlinked.zh))
    member_role = ctx.member.get("role") if ctx.member is not None else None
    return TeamLink(ctx.member_id, creator_team_role(member_role, ctx.roles).value)


def create_key_person(
    ctx: RequestContext,
    customer_id: str,
    props: Mapping[str, Any],
    employment: Mapping[str, Any],
    key: str | None,
) -> KeyPersonRecord:
    """Create a key person at a visible customer."""
    require_writer(ctx)
    require_visible(ctx, [(NodeKind.CUSTOMER, customer_id, "customerId")])
    try:
        with _key_field():
            return ctx.store.create_key_person(
                customer_id, props, employment, actor=ctx.actor, node_id=key
            )
    except DomainError as error:
        # the store names the job fields worksAt.title/department; the input has them flat
        raise DomainError(
            [replace(p, field=p.field.removeprefix("worksAt.")) for p in error.problems]
        ) from None


CLOSE_HORIZON_YEARS: Final = YEARS_AHEAD_TYPO
"""How far ahead an expected close date may lie: a forecast further out is a year mistyped
(2206 for 2026, 9999), which would sit in the pipeline as on track and skew its forecast."""


def _close_day(props: Mapping[str, Any]) -> date | None:
    """The expected close date given, as a day; None when none is (a date that is no date is
    the store's to refuse)."""
    close = props.get("expected_close_date")
    if not isinstance(close, str) or len(close) != 10:
        return None
    try:
        return date.fromisoformat(close)
    except ValueError:
        return None


def require_close_within(ctx: RequestContext, props: Mapping[str, Any]) -> None:
    """An expected close date, given on a new deal or moved on one, lies at most
    ``CLOSE_HORIZON_YEARS`` ahead, counted from today in the latest time zone (UTC+14)."""
    day = _close_day(props)
    if day is None:
        return
    today = (datetime.fromtimestamp(ctx.store.clock() / 1000, UTC) + timedelta(hours=14)).date()
    last = years_after(today, CLOSE_HORIZON_YEARS)
    if day > last:
        years, by = CLOSE_HORIZON_YEARS, last.isoformat()
        raise bad_input(
            "expected_close_date",
            f"at most {years} years ahead (by {by}): is the year right?",
            f"最晚为 {by}（{years} 年内）：年份是否有误？",
        )


def require_close_ahead(ctx: RequestContext, props: Mapping[str, Any]) -> None:
    """A new open deal's expected close date is a forecast: a day already past is a slip of
    the finger (or a deal that slipped before it was entered), refused at its field, and so is
    one years out (``require_close_within``). Past means past everywhere: the request's time
    zone is unknown, so the first day allowed is today in the earliest time zone (UTC−12); the
    page refuses by its user's own calendar. A deal entered already won, lost or abandoned
    records its past. Moving an existing deal's date into the past is not checked here."""
    stage = props.get("stage")
    if str(getattr(stage, "value", stage)) in {s.value for s in CLOSED_STAGES}:
        return
    day = _close_day(props)
    if day is None:
        return
    now = datetime.fromtimestamp(ctx.store.clock() / 1000, UTC)
    if day < (now - timedelta(hours=12)).date():
        raise bad_input("expected_close_date", "must not be in the past", "不能早于今天")
    require_close_within(ctx, props)


@dataclass(frozen=True, slots=True)
class NewCustomer:
    """A customer created with its first deal, in the deal's write (``customerCreate``'s
    input: its fields, its key and its parent company)."""

    props: Mapping[str, Any]
    key: str | None = None
    parent_id: str | None = None


ONE_CUSTOMER: Final = (
    "name the deal's customer: customerId for one you may see, or customer for a new one, not both",
    "请指明商机的客户：已有客户用 customerId，新客户用 customer，二者只能选其一",
)


def create_opportunity(
    ctx: RequestContext,
    customer_id: str | None,
    props: Mapping[str, Any],
    key: str | None,
    new_customer: NewCustomer | None = None,
) -> OpportunityRecord:
    """Create an opportunity with a visible customer, or with a new one (``new_customer``,
    in the same write: a deal refused leaves no customer behind); an open one's expected
    close date must not have passed (``require_close_ahead``)."""
    require_writer(ctx)
    if (customer_id is None) == (new_customer is None):
        raise bad_input("customerId", *ONE_CUSTOMER)
    if new_customer is not None:
        return _with_new_customer(ctx, new_customer, props, key)
    assert customer_id is not None  # one of the two, checked above
    require_visible(ctx, [(NodeKind.CUSTOMER, customer_id, "customerId")])
    with _key_field():
        made = ctx.store.create_opportunity(
            customer_id,
            _opening(ctx, props),
            actor=ctx.actor,
            node_id=key,
            team=creator_on_team(ctx),
        )
    sees_made(ctx, NodeKind.OPPORTUNITY, made["id"])
    return made


def _with_new_customer(
    ctx: RequestContext, new: NewCustomer, props: Mapping[str, Any], key: str | None
) -> OpportunityRecord:
    """A deal with a new customer, both in one write; the creator sees both."""
    require_role(ctx.roles, "create", NodeKind.CUSTOMER.value)
    if new.parent_id is not None:
        require_visible(ctx, [(NodeKind.CUSTOMER, new.parent_id, "customer.parentId")])
    with _key_field():
        customer, made = ctx.store.create_customer_with_opportunity(
            new.props,
            _opening(ctx, props),
            actor=ctx.actor,
            customer_node_id=new.key,
            node_id=key,
            parent_id=new.parent_id,
            team=creator_on_team(ctx),
        )
    sees_made(ctx, NodeKind.CUSTOMER, customer["id"])
    sees_made(ctx, NodeKind.OPPORTUNITY, made["id"])
    return made


def _opening(ctx: RequestContext, props: Mapping[str, Any]) -> dict[str, Any]:
    """A new deal's fields: its close date ahead (``require_close_ahead``), and a quote
    given with it drafted."""
    require_close_ahead(ctx, props)
    return {**props, **quote_drafted(None, props)}


def update_node(
    ctx: RequestContext,
    kind: NodeKind,
    node_id: str,
    changes: Mapping[str, Any],
    version: int,
    parent: tuple[str | None] | None = None,
) -> Node:
    """Update a visible node, guarded by the version the caller read; ``parent`` moves a
    customer under a visible parent company (see ``GraphStore.update``)."""
    require_writer(ctx)
    require_role(ctx.roles, "update", kind.value)
    if parent is not None and parent[0] is not None:
        require_visible(ctx, [(NodeKind.CUSTOMER, parent[0], "parentId")])
    node: Node = ctx.store.update(
        kind,
        node_id,
        changes,
        expected_version=version,
        actor=ctx.actor,
        scope=ctx.scope,
        parent=parent,
    )
    return node


def require_delete(ctx: RequestContext, kind: NodeKind) -> None:
    """The caller may delete nodes of ``kind``: checked before anything is read for it."""
    require_writer(ctx)
    require_role(ctx.roles, "delete", kind.value)


def delete_node(
    ctx: RequestContext, kind: NodeKind, node_id: str, version: int | None, cascade: bool
) -> None:
    """Delete a visible node (a customer with opportunities needs cascade)."""
    require_delete(ctx, kind)
    ctx.store.delete(
        kind,
        node_id,
        expected_version=version,
        cascade=cascade,
        actor=ctx.actor,
        scope=ctx.scope,
    )


def refuse_if_left(member: Mapping[str, Any], field: str) -> None:
    """BAD_USER_INPUT on ``field`` naming a team member who left and the day they left."""
    left = member.get("left_at")
    if left is not None:
        day = datetime.fromtimestamp(int(left) / 1000, UTC).date().isoformat()
        name = member["name"]
        raise bad_input(field, f"{name} left on {day}", f"{name}已于{day}离职")


def require_with_us(ctx: RequestContext, member_id: str, field: str) -> None:
    """Nobody who left takes on new work or new ties (a member unknown here is
    ``require_visible``'s to refuse)."""
    refuse_a_leaver(ctx.store, member_id, field, ctx.scope)


def refuse_a_leaver(
    store: GraphStore, member_id: str, field: str, scope: Scope = EVERYTHING
) -> None:
    """BAD_USER_INPUT on ``field`` when the team member ``member_id`` left (one unknown is for
    the caller or the store to refuse): also what the command's login changes check."""
    member = store.get_many(NodeKind.TEAM_MEMBER, [member_id], scope=scope).get(member_id)
    if member:
        refuse_if_left(member, field)


def require_at_the_customer(ctx: RequestContext, person_id: str, field: str) -> None:
    """A key person who left the customer takes no place in a decision chain, nor a changed
    one: their place is history (the record's undo restores them when it was a mistake)."""
    person = ctx.store.get_many(NodeKind.KEY_PERSON, [person_id], scope=ctx.scope).get(person_id)
    if person and person.get("left_on"):
        name, day = person["name"], person["left_on"]
        raise bad_input(
            field,
            f"{name} left the customer on {day}: a decision chain keeps them as history only"
            " (undo the record if it was a mistake)",
            f"{name}已于{day}离任：决策链仅将其作为历史保留（如记录有误，请先撤销）",
        )


_NEW_WORK: Final = frozenset({EdgeKind.ON_TEAM, EdgeKind.KNOWS})
"""The ties a team member who left no longer takes on."""


def set_edge(
    ctx: RequestContext,
    edge: EdgeKind,
    source: tuple[NodeKind, str, str],
    target: tuple[NodeKind, str, str],
    props: Mapping[str, Any],
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Create or update an edge between two visible nodes (a place in a decision chain only
    while it has ``expected_version``, when given)."""
    require_writer(ctx)
    require_role(ctx.roles, "edge", f"{edge.value}:{target[0].value}")
    if edge is EdgeKind.ON_TEAM and props.get("role") == TeamRole.SALES_DIRECTOR.value:
        require_role(ctx.roles, "assign", TeamRole.SALES_DIRECTOR.value, "input.role")
    require_visible(ctx, [source, target])
    if _directs(ctx, edge, source, target):  # a sales director changed to another role
        require_role(ctx.roles, "assign", TeamRole.SALES_DIRECTOR.value, "input.role")
    if source[0] is NodeKind.TEAM_MEMBER and edge in _NEW_WORK:
        require_with_us(ctx, source[1], source[2])
    if edge is EdgeKind.IN_DECISION_CHAIN:
        require_at_the_customer(ctx, source[1], source[2])
    with _edge_fields(source[2], target[2]):
        return ctx.store.set_edge(
            edge,
            (source[0], source[1]),
            (target[0], target[1]),
            props,
            actor=ctx.actor,
            expected_version=expected_version,
        )


def remove_edge(
    ctx: RequestContext,
    edge: EdgeKind,
    source: tuple[NodeKind, str, str],
    target: tuple[NodeKind, str, str],
    role: str | None = None,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Remove an edge between two visible nodes (a place in a decision chain only while it
    has ``role`` and ``expected_version``, when given)."""
    require_writer(ctx)
    require_role(ctx.roles, "edge", f"{edge.value}:{target[0].value}")
    require_visible(ctx, [source, target])
    if _directs(ctx, edge, source, target):
        require_role(ctx.roles, "assign", TeamRole.SALES_DIRECTOR.value, source[2])
    with _edge_fields(source[2], target[2]):
        return ctx.store.remove_edge(
            edge,
            (source[0], source[1]),
            (target[0], target[1]),
            actor=ctx.actor,
            role=role,
            expected_version=expected_version,
        )


def _directs(
    ctx: RequestContext,
    edge: EdgeKind,
    source: tuple[NodeKind, str, str],
    target: tuple[NodeKind, str, str],
) -> bool:
    """Whether ``source`` is the sales director of the deal ``target``: who may not make
    someone that may not take them off it or change their role either (they approve the
    deal's gates)."""
    if edge is not EdgeKind.ON_TEAM or target[0] is not NodeKind.OPPORTUNITY:
        return False
    found = ctx.store.neighbours(
        EdgeKind.ON_TEAM, NodeKind.TEAM_MEMBER, NodeKind.OPPORTUNITY, [source[1]], scope=ctx.scope
    )
    return any(
        n.node["id"] == target[1] and n.edge.get("role") == TeamRole.SALES_DIRECTOR.value
        for n in found.get(source[1], ())
    )


@contextmanager
def _edge_fields(source_field: str, target_field: str) -> Iterator[None]:
    """The store names an edge's ends fromId/toId; the client named them in its input."""
    try:
        yield
    except DomainError as error:
        names = {"fromId": source_field, "toId": target_field}
        raise DomainError(
            [replace(p, field=names.get(p.field, p.field)) for p in error.problems]
        ) from None


def get_node(ctx: RequestContext, kind: NodeKind, node_id: str) -> Node:
    """A visible node after a write, for the payload."""
    node: Node = ctx.store.get(kind, node_id, scope=ctx.scope)
    return node


def exactly_one(values: Mapping[str, object], message: str, message_zh: str) -> str:
    """The name of the one argument given among alternatives, or bad input."""
    given = [name for name, value in values.items() if value is not None]
    if len(given) != 1:
        raise bad_input(next(iter(values)), message, message_zh)
    return given[0]


def employer_of(ctx: RequestContext, person_id: str) -> str:
    """The id of the customer a visible key person works at."""
    found = ctx.store.neighbours(
        EdgeKind.WORKS_AT, NodeKind.KEY_PERSON, NodeKind.CUSTOMER, [person_id], scope=ctx.scope
    )
    if not found[person_id] or not ctx.store.get_many(
        NodeKind.KEY_PERSON, [person_id], scope=ctx.scope
    ):
        raise not_found("KeyPerson")
    return str(found[person_id][0].node["id"])
