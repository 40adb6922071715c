"""Mutations, named object-first. Each takes one input object (the target id kept separate)
and returns a payload with the object and field-level ``userErrors``; a refused mutation
writes nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Protocol

import strawberry
from strawberry import relay
from strawberry.types.field import StrawberryField
from strawberry.utils.str_converters import to_camel_case

from domain.model import EdgeKind, NodeKind
from resolvers import process, writes
from resolvers.records import Node
from schema import inputs as i
from schema.common import UserError, attempt
from schema.ids import raw_id
from schema.nodes import (
    NODE_TYPES,
    Ctx,
    Customer,
    KeyPerson,
    Opportunity,
    TeamMember,
    context,
)
from schema.spec_inputs import Tie


class NodePayload(Protocol):
    """A payload with one node of the kind the mutation wrote (null when refused)."""

    user_errors: list[UserError]


PAYLOAD_FIELDS: dict[NodeKind, str] = {
    kind: re.sub(r"(?<!^)(?=[A-Z])", "_", kind.value).lower()
    for kind in (
        NodeKind.CUSTOMER,
        NodeKind.KEY_PERSON,
        NodeKind.COMPETITOR,
        NodeKind.OPPORTUNITY,
        NodeKind.TEAM_MEMBER,
        NodeKind.ACTIVITY,
    )
}
"""The node kinds with a payload of their own (``CustomerPayload { customer userErrors }``)."""

PAYLOADS: dict[NodeKind, type] = {
    kind: strawberry.type(
        type(
            f"{kind.value}Payload",
            (),
            {
                "__module__": __name__,
                "__annotations__": {
                    field: NODE_TYPES[kind] | None,
                    "user_errors": list[UserError],
                },
            },
        )
    )
    for kind, field in PAYLOAD_FIELDS.items()
}


def node_payload(kind: NodeKind, node: Node | None, errors: list[UserError]) -> NodePayload:
    """The payload of a mutation that wrote a node of ``kind`` (or was refused)."""
    payload: NodePayload = PAYLOADS[kind](
        **{PAYLOAD_FIELDS[kind]: _to_node(kind, node), "user_errors": errors}
    )
    return payload


@strawberry.type
class DecisionChainMemberPayload:
    key_person: KeyPerson | None
    opportunity: Opportunity | None
    user_errors: list[UserError]


@strawberry.type
class TeamAssignPayload:
    team_member: TeamMember | None
    opportunity: Opportunity | None
    customer: Customer | None
    user_errors: list[UserError]


@strawberry.type
class DeletePayload:
    deleted_id: relay.GlobalID | None
    user_errors: list[UserError]


def _key(data: Any) -> str | None:
    key = getattr(data, "key", strawberry.UNSET)
    return None if key is strawberry.UNSET else key


def _to_node(kind: NodeKind, node: Node | None) -> Any:
    return NODE_TYPES[kind].from_node(node) if node is not None else None


def _parent(data: Any) -> tuple[str | None] | None:
    """A customer input's parentId: None when left out, (None,) when null, else (store id,)."""
    parent = getattr(data, "parent_id", strawberry.UNSET)
    if parent is strawberry.UNSET:
        return None
    if parent is None:
        return (None,)
    return (raw_id(parent, NodeKind.CUSTOMER, "input.parentId"),)


async def _create(info: Ctx, kind: NodeKind, data: object) -> NodePayload:
    ctx = context(info)

    def work() -> Node:
        props = i.props_of(data, skip=("key", "parent_id"))
        parent = _parent(data)
        return writes.create_node(ctx, kind, props, _key(data), parent[0] if parent else None)

    node, errors = await attempt(info, work)
    return node_payload(kind, node, errors)


async def _update(
    info: Ctx, kind: NodeKind, node_id: relay.GlobalID, data: i.UpdateInput
) -> NodePayload:
    ctx = context(info)

    def work() -> Node:
        target = raw_id(node_id, kind, "id")
        props = i.props_of(data, skip=("version", "parent_id"))
        return writes.update_node(ctx, kind, target, props, data.version, _parent(data))

    node, errors = await attempt(info, work)
    return node_payload(kind, node, errors)


async def _delete(
    info: Ctx, kind: NodeKind, node_id: relay.GlobalID, version: int | None, cascade: bool = False
) -> DeletePayload:
    ctx = context(info)

    def work() -> relay.GlobalID:
        writes.delete_node(ctx, kind, raw_id(node_id, kind, "id"), version, cascade)
        return node_id

    deleted, errors = await attempt(info, work)
    return DeletePayload(deleted_id=deleted, user_errors=errors)


def node_mutation(kind: NodeKind, description: str) -> StrawberryField:
    """A hand-written mutation whose payload holds one node of ``kind``."""
    field: StrawberryField = strawberry.mutation(
        description=description, graphql_type=PAYLOADS[kind]
    )
    return field


def create_mutation(kind: NodeKind, input_class: type, description: str) -> NodePayload:
    """``<kind>Create(input: <Kind>CreateInput!): <Kind>Payload``: one parentless node (a
    customer may name its parent company)."""

    async def resolve(info: Ctx, input: object) -> NodePayload:
        return await _create(info, kind, input)

    resolve.__annotations__["input"] = input_class
    return strawberry.mutation(
        resolver=resolve, description=description, graphql_type=PAYLOADS[kind]
    )


def update_mutation(kind: NodeKind, input_class: type, description: str) -> NodePayload:
    """``<kind>Update(id: ID!, input: <Kind>UpdateInput!): <Kind>Payload``, guarded by the
    version the client read."""

    async def resolve(info: Ctx, id: relay.GlobalID, input: i.UpdateInput) -> NodePayload:
        return await _update(info, kind, id, input)

    resolve.__annotations__["input"] = input_class
    return strawberry.mutation(
        resolver=resolve, description=description, graphql_type=PAYLOADS[kind]
    )


def delete_mutation(kind: NodeKind, description: str, *, cascade: bool = False) -> DeletePayload:
    """``<kind>Delete(id: ID!, version: Int = null): DeletePayload``; with ``cascade`` the
    client may also ask to delete what hangs on the node."""
    if cascade:

        async def resolve(
            info: Ctx, id: relay.GlobalID, version: int | None = None, cascade: bool = False
        ) -> DeletePayload:
            return await _delete(info, kind, id, version, cascade)

        return strawberry.mutation(resolver=resolve, description=description)

    async def resolve_plain(
        info: Ctx, id: relay.GlobalID, version: int | None = None
    ) -> DeletePayload:
        return await _delete(info, kind, id, version)

    return strawberry.mutation(resolver=resolve_plain, description=description)


def _ref(kind: NodeKind, global_id: relay.GlobalID, field: str) -> tuple[NodeKind, str, str]:
    return kind, raw_id(global_id, kind, f"input.{field}"), f"input.{field}"


def tie_mutation(
    tie: Tie, description: str, *, shows_target: bool = False, remove: bool = False
) -> NodePayload:
    """``<tie>Set(input)`` (or ``<tie>Remove`` with ``remove``): the edge between the two
    nodes the input names; the payload holds the source (or, ``shows_target``, the target)."""
    shown = tie.target[0] if shows_target else tie.source[0]

    async def resolve(info: Ctx, input: object) -> NodePayload:
        ctx = context(info)

        def work() -> Node:
            source, target = (
                _ref(kind, getattr(input, field), to_camel_case(field))
                for kind, field in (tie.source, tie.target)
            )
            if remove:
                writes.remove_edge(ctx, tie.edge, source, target)
            else:
                props = i.props_of(input, skip=(tie.source[1], tie.target[1]))
                writes.set_edge(ctx, tie.edge, source, target, props)
            return writes.get_node(ctx, shown, (target if shows_target else source)[1])

        node, errors = await attempt(info, work)
        return node_payload(shown, node, errors)

    resolve.__annotations__["input"] = tie.input
    return strawberry.mutation(
        resolver=resolve, description=description, graphql_type=PAYLOADS[shown]
    )


async def _key_person_after_edge(info: Ctx, work: Callable[[], str]) -> NodePayload:
    ctx = context(info)

    def run() -> Node:
        return writes.get_node(ctx, NodeKind.KEY_PERSON, work())

    node, errors = await attempt(info, run)
    return node_payload(NodeKind.KEY_PERSON, node, errors)


@strawberry.type
class Mutation:
    # --- customers -------------------------------------------------------------------------

    customer_create = create_mutation(NodeKind.CUSTOMER, i.CustomerCreateInput, "Create a customer")
    customer_update = update_mutation(NodeKind.CUSTOMER, i.CustomerUpdateInput, "Change a customer")
    customer_delete = delete_mutation(
        NodeKind.CUSTOMER,
        "Delete a customer and its people; with opportunities only if cascade",
        cascade=True,
    )

    # --- key persons -----------------------------------------------------------------------

    @node_mutation(NodeKind.KEY_PERSON, "Add a key person at a customer")
    async def key_person_create(self, info: Ctx, input: i.KeyPersonCreateInput) -> NodePayload:
        ctx = context(info)

        def work() -> Node:
            customer = raw_id(input.customer_id, NodeKind.CUSTOMER, "input.customerId")
            props = i.props_of(input, skip=("key", "customer_id", "title", "department"))
            job = {
                k: v
                for k, v in (("title", input.title), ("department", input.department))
                if v is not strawberry.UNSET
            }
            return writes.create_key_person(ctx, customer, props, job, _key(input))

        node, errors = await attempt(info, work)
        return node_payload(NodeKind.KEY_PERSON, node, errors)

    key_person_update = update_mutation(
        NodeKind.KEY_PERSON, i.KeyPersonUpdateInput, "Change a key person"
    )

    @node_mutation(NodeKind.KEY_PERSON, "Change a key person's title or department")
    async def key_person_employment_set(
        self, info: Ctx, id: relay.GlobalID, input: i.EmploymentInput
    ) -> NodePayload:
        ctx = context(info)

        def work() -> str:
            person = raw_id(id, NodeKind.KEY_PERSON, "id")
            job = writes.employer_of(ctx, person)
            writes.set_edge(
                ctx,
                EdgeKind.WORKS_AT,
                (NodeKind.KEY_PERSON, person, "id"),
                (NodeKind.CUSTOMER, job, "id"),
                i.props_of(input),
            )
            return person

        return await _key_person_after_edge(info, work)

    key_person_delete = delete_mutation(NodeKind.KEY_PERSON, "Delete a key person and their ties")

    reports_to_set = tie_mutation(i.REPORTS_TO, "Set whom a key person reports to (refuses cycles)")
    reports_to_remove = tie_mutation(i.REPORTS_TO, "Remove a reporting line", remove=True)
    influence_set = tie_mutation(
        i.INFLUENCE, "Record informal influence of one key person on another"
    )
    influence_remove = tie_mutation(i.INFLUENCE, "Remove an influence tie", remove=True)

    @node_mutation(
        NodeKind.KEY_PERSON,
        "Record how well one of our people (or another key person) knows someone",
    )
    async def knows_set(self, info: Ctx, input: i.KnowsInput) -> NodePayload:
        ctx = context(info)

        def work() -> str:
            target = _ref(NodeKind.KEY_PERSON, input.target_person_id, "targetPersonId")
            source = _knower(input)
            props = i.props_of(input, skip=("target_person_id", "member_id", "person_id"))
            writes.set_edge(ctx, EdgeKind.KNOWS, source, target, props)
            return target[1]

        return await _key_person_after_edge(info, work)

    @node_mutation(NodeKind.KEY_PERSON, "Remove a KNOWS tie")
    async def knows_remove(self, info: Ctx, input: i.KnowsInput) -> NodePayload:
        ctx = context(info)

        def work() -> str:
            target = _ref(NodeKind.KEY_PERSON, input.target_person_id, "targetPersonId")
            writes.remove_edge(ctx, EdgeKind.KNOWS, _knower(input), target)
            return target[1]

        return await _key_person_after_edge(info, work)

    # --- decision chain ----------------------------------------------------------------------

    @strawberry.mutation(description="Put a key person in a decision chain, or change their place")
    async def decision_chain_member_set(
        self, info: Ctx, input: i.DecisionChainMemberInput
    ) -> DecisionChainMemberPayload:
        return await _chain_member(info, input, remove=False)

    @strawberry.mutation(description="Take a key person out of a decision chain")
    async def decision_chain_member_remove(
        self, info: Ctx, input: i.DecisionChainMemberInput
    ) -> DecisionChainMemberPayload:
        return await _chain_member(info, input, remove=True)

    # --- competitors -------------------------------------------------------------------------

    competitor_create = create_mutation(
        NodeKind.COMPETITOR, i.CompetitorCreateInput, "Create a competitor"
    )
    competitor_update = update_mutation(
        NodeKind.COMPETITOR, i.CompetitorUpdateInput, "Change a competitor"
    )
    competitor_delete = delete_mutation(NodeKind.COMPETITOR, "Delete a competitor and its ties")

    competitor_on_opportunity_set = tie_mutation(
        i.COMPETITOR_ON_OPPORTUNITY,
        "Put a competitor on an opportunity, or change its standing",
        shows_target=True,
    )
    competitor_on_opportunity_remove = tie_mutation(
        i.COMPETITOR_ON_OPPORTUNITY,
        "Take a competitor off an opportunity",
        shows_target=True,
        remove=True,
    )
    competitor_tie_set = tie_mutation(
        i.COMPETITOR_TIE, "Record a competitor's closeness to a key person", shows_target=True
    )
    competitor_tie_remove = tie_mutation(
        i.COMPETITOR_TIE,
        "Remove a competitor's tie to a key person",
        shows_target=True,
        remove=True,
    )

    # --- opportunities -------------------------------------------------------------------------

    @node_mutation(NodeKind.OPPORTUNITY, "Create an opportunity with a customer")
    async def opportunity_create(self, info: Ctx, input: i.OpportunityCreateInput) -> NodePayload:
        ctx = context(info)

        def work() -> Node:
            customer = raw_id(input.customer_id, NodeKind.CUSTOMER, "input.customerId")
            props = i.props_of(input, skip=("key", "customer_id"))
            return process.opportunity_create(ctx, customer, props, _key(input))

        node, errors = await attempt(info, work)
        return node_payload(NodeKind.OPPORTUNITY, node, errors)

    @node_mutation(NodeKind.OPPORTUNITY, "Change an opportunity (its stage moves through the gate)")
    async def opportunity_update(
        self, info: Ctx, id: relay.GlobalID, input: i.OpportunityUpdateInput
    ) -> NodePayload:
        ctx = context(info)

        def work() -> Node:
            target = raw_id(id, NodeKind.OPPORTUNITY, "id")
            changes = i.props_of(input, skip=("version",))
            return process.opportunity_update(ctx, target, changes, input.version)

        node, errors = await attempt(info, work)
        return node_payload(NodeKind.OPPORTUNITY, node, errors)

    opportunity_delete = delete_mutation(
        NodeKind.OPPORTUNITY, "Delete an opportunity and its chain ties"
    )

    # --- our team ----------------------------------------------------------------------------

    team_member_create = create_mutation(
        NodeKind.TEAM_MEMBER, i.TeamMemberCreateInput, "Add one of our people"
    )
    team_member_update = update_mutation(
        NodeKind.TEAM_MEMBER, i.TeamMemberUpdateInput, "Change one of our people"
    )

    @strawberry.mutation(description="Put one of our people on an opportunity or account team")
    async def team_assign(self, info: Ctx, input: i.TeamAssignInput) -> TeamAssignPayload:
        return await _team(info, input, remove=False)

    @strawberry.mutation(description="Take one of our people off a team")
    async def team_unassign(self, info: Ctx, input: i.TeamAssignInput) -> TeamAssignPayload:
        return await _team(info, input, remove=True)

    # --- activities ----------------------------------------------------------------------------

    @node_mutation(NodeKind.ACTIVITY, "Record a contact with key persons and how it went")
    async def activity_log(self, info: Ctx, input: i.ActivityLogInput) -> NodePayload:
        ctx = context(info)

        def work() -> Node:
            people = [raw_id(g, NodeKind.KEY_PERSON, "input.personIds") for g in input.person_ids]
            members = [raw_id(g, NodeKind.TEAM_MEMBER, "input.memberIds") for g in input.member_ids]
            opportunity = (
                raw_id(input.opportunity_id, NodeKind.OPPORTUNITY, "input.opportunityId")
                if input.opportunity_id is not None
                else None
            )
            props = i.props_of(input, skip=("person_ids", "member_ids", "opportunity_id"))
            writes.require_writer(ctx)
            process.refuse_future_result(ctx, props.get("occurred_at"), props)
            return writes.log_activity(ctx, props, people, members, opportunity)

        node, errors = await attempt(info, work)
        return node_payload(NodeKind.ACTIVITY, node, errors)

    @node_mutation(NodeKind.ACTIVITY, "Correct a recorded activity")
    async def activity_update(
        self, info: Ctx, id: relay.GlobalID, input: i.ActivityUpdateInput
    ) -> NodePayload:
        ctx = context(info)

        def work() -> Node:
            target = raw_id(id, NodeKind.ACTIVITY, "id")
            changes = i.props_of(input, skip=("version",))
            writes.require_writer(ctx)
            current = writes.get_node(ctx, NodeKind.ACTIVITY, target)
            process.refuse_future_result(ctx, current.get("occurred_at"), changes)
            return writes.update_node(ctx, NodeKind.ACTIVITY, target, changes, input.version)

        node, errors = await attempt(info, work)
        return node_payload(NodeKind.ACTIVITY, node, errors)

    activity_delete = delete_mutation(NodeKind.ACTIVITY, "Delete a recorded activity")


def _knower(data: i.KnowsInput) -> tuple[NodeKind, str, str]:
    writes.exactly_one(
        {"input.memberId": data.member_id, "input.personId": data.person_id},
        "give exactly one of memberId (our person) or personId (a key person)",
    )
    if data.member_id is not None:
        return _ref(NodeKind.TEAM_MEMBER, data.member_id, "memberId")
    assert data.person_id is not None
    return _ref(NodeKind.KEY_PERSON, data.person_id, "personId")


async def _chain_member(
    info: Ctx, data: i.DecisionChainMemberInput, *, remove: bool
) -> DecisionChainMemberPayload:
    ctx = context(info)

    def work() -> tuple[Node, Node]:
        person = _ref(NodeKind.KEY_PERSON, data.person_id, "personId")
        opportunity = _ref(NodeKind.OPPORTUNITY, data.opportunity_id, "opportunityId")
        if remove:
            writes.remove_edge(ctx, EdgeKind.IN_DECISION_CHAIN, person, opportunity)
        else:
            props = i.props_of(data, skip=("person_id", "opportunity_id"))
            writes.set_edge(ctx, EdgeKind.IN_DECISION_CHAIN, person, opportunity, props)
        return (
            writes.get_node(ctx, NodeKind.KEY_PERSON, person[1]),
            writes.get_node(ctx, NodeKind.OPPORTUNITY, opportunity[1]),
        )

    result, errors = await attempt(info, work)
    return DecisionChainMemberPayload(
        key_person=_to_node(NodeKind.KEY_PERSON, result[0]) if result else None,
        opportunity=_to_node(NodeKind.OPPORTUNITY, result[1]) if result else None,
        user_errors=errors,
    )


async def _team(info: Ctx, data: i.TeamAssignInput, *, remove: bool) -> TeamAssignPayload:
    ctx = context(info)
    target_kind = (
        NodeKind.CUSTOMER
        if data.target_id.type_name == NodeKind.CUSTOMER.value
        else NodeKind.OPPORTUNITY
    )

    def work() -> tuple[Node, Node]:
        member = _ref(NodeKind.TEAM_MEMBER, data.member_id, "memberId")
        target = _ref(target_kind, data.target_id, "targetId")
        if remove:
            writes.remove_edge(ctx, EdgeKind.ON_TEAM, member, target)
        else:
            props = i.props_of(data, skip=("member_id", "target_id"))
            writes.set_edge(ctx, EdgeKind.ON_TEAM, member, target, props)
        return (
            writes.get_node(ctx, NodeKind.TEAM_MEMBER, member[1]),
            writes.get_node(ctx, target_kind, target[1]),
        )

    result, errors = await attempt(info, work)
    return TeamAssignPayload(
        team_member=_to_node(NodeKind.TEAM_MEMBER, result[0]) if result else None,
        opportunity=_to_node(NodeKind.OPPORTUNITY, result[1])
        if result and target_kind is NodeKind.OPPORTUNITY
        else None,
        customer=_to_node(NodeKind.CUSTOMER, result[1])
        if result and target_kind is NodeKind.CUSTOMER
        else None,
        user_errors=errors,
    )
