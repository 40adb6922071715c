"""Mutations, named object-first. Each takes one input object (the target id kept separate)
and returns a payload with the object and field-level ``userErrors``; a refused mutation
writes nothing."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Literal, Protocol

import strawberry
from strawberry import relay
from strawberry.types.field import StrawberryField
from strawberry.utils.str_converters import to_camel_case

from domain.model import EdgeKind, NodeKind
from resolvers import departures, edits, hand_over
from resolvers.writes import NewCustomer
from schema import enums
from schema import inputs as i
from schema.common import Refusal, UserError, payload
from schema.ids import GivenID, raw_id, raw_ids, to_global, type_of
from schema.nodes import (
    NODE_TYPES,
    Activity,
    Ctx,
    Customer,
    KeyPerson,
    Opportunity,
    TeamMember,
    TeamTie,
    WorkPlanItem,
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

PAYLOADS: dict[NodeKind, type[NodePayload]] = {
    kind: payload()(
        type(
            f"{kind.value}Payload",
            (),
            {
                "__module__": __name__,
                "__annotations__": {field: NODE_TYPES[kind] | None},
                field: None,
            },
        )
    )
    for kind, field in PAYLOAD_FIELDS.items()
}


def node_payload(kind: NodeKind, node: Mapping[str, Any] | None) -> NodePayload:
    """The payload of a mutation that wrote a node of ``kind``."""
    return PAYLOADS[kind](**{PAYLOAD_FIELDS[kind]: _to_node(kind, node)})


@payload()
class DecisionChainMemberPayload:
    key_person: KeyPerson | None = None
    opportunity: Opportunity | None = None


@payload()
class TeamAssignPayload:
    team_member: TeamMember | None = None
    opportunity: Opportunity | None = None
    customer: Customer | None = None


@payload("A key person's departure recorded or undone; all null when it was refused")
class KeyPersonDeparturePayload:
    key_person: KeyPerson | None = strawberry.field(
        default=None, description="The person, with their departure (null once undone)"
    )
    work_plan_items: list[WorkPlanItem] | None = strawberry.field(
        default=None,
        description="The steps with them the record dropped (PERSON_LEFT), or its undo opened "
        "again (and the steps asking them for their successor it dropped: they never left)",
    )


@payload("What a hand-over did; all null when it was refused")
class TeamMemberHandOverPayload:
    team_member: TeamMember | None = strawberry.field(
        default=None, description="Who left, with leftAt set"
    )
    successor: TeamMember | None = None
    opportunities: list[Opportunity] | None = strawberry.field(
        default=None,
        description="The open deals whose team the successor took their place on (a successor "
        "already on a team keeps their own role there)",
    )
    customers: list[Customer] | None = strawberry.field(
        default=None, description="The accounts whose team the successor took over"
    )
    work_plan_items: list[WorkPlanItem] | None = strawberry.field(
        default=None, description="Their open work plan items, now the successor's"
    )
    activities: list[Activity] | None = strawberry.field(
        default=None,
        description="The contacts they planned (still to come, no result yet), the successor "
        "taking part in their place",
    )
    ties_ended: list[TeamTie] | None = strawberry.field(
        default=None,
        description="The key persons they knew: relationships that left with them, for the "
        "successor to build anew",
    )
    users_disabled: list[str] | None = strawberry.field(
        default=None,
        description="The logins of theirs that no longer sign in (their tokens revoked)",
    )


@payload()
class DeletePayload:
    deleted_id: relay.GlobalID | None = None


def _key(data: Any) -> str | None:
    key = getattr(data, "key", strawberry.UNSET)
    return None if key is strawberry.UNSET else key


def _to_node(kind: NodeKind, node: Mapping[str, Any] | None) -> Any:
    return NODE_TYPES[kind].from_node(node) if node is not None else None


def _parent(data: Any, field: str = "input.parentId") -> tuple[str | None] | None:
    """A customer input's parentId: None when left out, (None,) when null, else (store id,)."""
    parent = getattr(data, "parent_id", strawberry.UNSET)
    if parent is strawberry.UNSET:
        return None
    if parent is None:
        return (None,)
    return (raw_id(parent, NodeKind.CUSTOMER, field),)


def _new_customer(data: Any) -> NewCustomer | None:
    """An opportunity's new customer (``customer``), as ``customerCreate`` reads its input."""
    if data is None or data is strawberry.UNSET:
        return None
    parent = _parent(data, "input.customer.parentId")
    return NewCustomer(
        i.props_of(data, skip=("key", "parent_id")), _key(data), parent[0] if parent else None
    )


async def _delete(
    info: Ctx, kind: NodeKind, node_id: GivenID, version: int | None, cascade: bool = False
) -> DeletePayload:
    with Refusal(info) as refused:
        target = raw_id(node_id, kind, "id")
        await edits.delete(context(info), kind, target, version, cascade)
        return DeletePayload(deleted_id=to_global(kind, target))
    return refused.payload(DeletePayload)


def node_mutation(kind: NodeKind, description: str) -> StrawberryField:
    """A hand-written mutation whose payload holds one node of ``kind``."""
    field: StrawberryField = strawberry.mutation(
        description=description, graphql_type=PAYLOADS[kind]
    )
    return field


def _taking(
    resolve: Callable[..., Awaitable[NodePayload]], input_class: type, payload: type, doc: str
) -> NodePayload:
    """A generated mutation field: ``resolve`` takes ``input`` of a class built at import."""
    resolve.__annotations__["input"] = input_class
    field: NodePayload = strawberry.mutation(
        resolver=resolve, description=doc, graphql_type=payload
    )
    return field


def create_mutation(kind: NodeKind, input_class: type, description: str) -> NodePayload:
    """``<kind>Create(input: <Kind>CreateInput!): <Kind>Payload``: one parentless node (a
    customer may name its parent company)."""

    async def resolve(info: Ctx, input: object) -> NodePayload:
        with Refusal(info) as refused:
            props = i.props_of(input, skip=("key", "parent_id"))
            parent = _parent(input)
            return node_payload(
                kind,
                await edits.create(
                    context(info), kind, props, _key(input), parent[0] if parent else None
                ),
            )
        return refused.payload(PAYLOADS[kind])

    return _taking(resolve, input_class, PAYLOADS[kind], description)


def update_mutation(kind: NodeKind, input_class: type, description: str) -> NodePayload:
    """``<kind>Update(id: ID!, input: <Kind>UpdateInput!): <Kind>Payload``, guarded by the
    version the client read."""

    async def resolve(info: Ctx, id: GivenID, input: i.UpdateInput) -> NodePayload:
        with Refusal(info) as refused:
            target = raw_id(id, kind, "id")
            props = i.props_of(input, skip=("version", "parent_id"))
            return node_payload(
                kind,
                await edits.update(
                    context(info), kind, target, props, input.version, _parent(input)
                ),
            )
        return refused.payload(PAYLOADS[kind])

    return _taking(resolve, input_class, PAYLOADS[kind], description)


def delete_mutation(kind: NodeKind, description: str, *, cascade: bool = False) -> DeletePayload:
    """``<kind>Delete(id: ID!, version: Int = null): DeletePayload``; with ``cascade`` the
    client may also ask to delete what hangs on the node."""
    if cascade:

        async def resolve(
            info: Ctx, id: GivenID, version: int | None = None, cascade: bool = False
        ) -> DeletePayload:
            return await _delete(info, kind, id, version, cascade)

        return strawberry.mutation(resolver=resolve, description=description)

    async def resolve_plain(info: Ctx, id: GivenID, version: int | None = None) -> DeletePayload:
        return await _delete(info, kind, id, version)

    return strawberry.mutation(resolver=resolve_plain, description=description)


def _ref(kind: NodeKind, global_id: relay.GlobalID | str, field: str) -> tuple[NodeKind, str, str]:
    return kind, raw_id(global_id, kind, f"input.{field}"), f"input.{field}"


def tie_mutation(
    tie: Tie,
    description: str,
    *,
    shows: tuple[Literal["source", "target"], ...] = ("source",),
    payload: type | None = None,
    remove: bool = False,
    role_guard: bool = False,
) -> NodePayload:
    """``<tie>Set(input)`` (or ``<tie>Remove`` with ``remove``): the edge between the two
    nodes the input names; the payload holds the ends it ``shows`` (one end: that kind's
    payload; both: ``payload``, a field per end). With ``role_guard`` a removal names the
    role the tie has (``input.role``) and removes nothing when it has another."""
    kinds = {"source": tie.source[0], "target": tie.target[0]}
    returned = payload if payload is not None else PAYLOADS[kinds[shows[0]]]

    async def resolve(info: Ctx, input: object) -> NodePayload:
        with Refusal(info) as refused:
            source, target = (
                _ref(kind, getattr(input, field), to_camel_case(field))
                for kind, field in (tie.source, tie.target)
            )
            skip = (tie.source[1], tie.target[1], "expected_version")
            props = None if remove else i.props_of(input, skip=skip)
            ends = {"source": source, "target": target}
            shown = [ends[end] for end in shows]
            role = getattr(input, "role", None) if role_guard else None
            guard = None if role is None else str(role.value)
            version = getattr(input, "expected_version", None)
            nodes = await edits.tie(
                context(info), tie.edge, source, target, props, shown, guard, version
            )
            result: NodePayload = returned(
                **{
                    PAYLOAD_FIELDS[kinds[end]]: _to_node(kinds[end], node)
                    for end, node in zip(shows, nodes, strict=True)
                }
            )
            return result
        refusal: NodePayload = refused.payload(returned)
        return refusal

    return _taking(resolve, tie.input, returned, description)


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
        with Refusal(info) as refused:
            customer = raw_id(input.customer_id, NodeKind.CUSTOMER, "input.customerId")
            props = i.props_of(input, skip=("key", "customer_id", "title", "department"))
            job = {
                k: v
                for k, v in (("title", input.title), ("department", input.department))
                if v is not strawberry.UNSET
            }
            node = await edits.key_person_create(context(info), customer, props, job, _key(input))
            return node_payload(NodeKind.KEY_PERSON, node)
        return refused.payload(PAYLOADS[NodeKind.KEY_PERSON])

    key_person_update = update_mutation(
        NodeKind.KEY_PERSON, i.KeyPersonUpdateInput, "Change a key person"
    )

    @node_mutation(NodeKind.KEY_PERSON, "Change a key person's title or department")
    async def key_person_employment_set(
        self, info: Ctx, id: GivenID, input: i.EmploymentInput
    ) -> NodePayload:
        with Refusal(info) as refused:
            person = raw_id(id, NodeKind.KEY_PERSON, "id")
            node = await edits.employment_set(context(info), person, i.props_of(input))
            return node_payload(NodeKind.KEY_PERSON, node)
        return refused.payload(PAYLOADS[NodeKind.KEY_PERSON])

    key_person_delete = delete_mutation(NodeKind.KEY_PERSON, "Delete a key person and their ties")

    @strawberry.mutation(
        description="A key person left the customer: recorded once, for every deal at once. "
        "They stay on the decision chains as history, their scores frozen as they stood the "
        "day they left and counted no more; the open steps with them are dropped (PERSON_LEFT), "
        "never done nor deleted; the plan asks one who trusted us to introduce their successor"
    )
    async def key_person_departure_record(
        self, info: Ctx, id: GivenID, input: i.KeyPersonDepartureInput
    ) -> KeyPersonDeparturePayload:
        with Refusal(info) as refused:
            person = raw_id(id, NodeKind.KEY_PERSON, "id")
            done = await departures.record_departure(
                context(info), person, input.left_on, input.how, input.to
            )
            return _departure_payload(done)
        return refused.payload(KeyPersonDeparturePayload)

    @strawberry.mutation(
        description="Undo a mistaken record of a key person's departure: they count again, and "
        "the steps it dropped are open again with their days"
    )
    async def key_person_departure_undo(self, info: Ctx, id: GivenID) -> KeyPersonDeparturePayload:
        with Refusal(info) as refused:
            person = raw_id(id, NodeKind.KEY_PERSON, "id")
            done = await departures.undo_departure(context(info), person)
            return _departure_payload(done)
        return refused.payload(KeyPersonDeparturePayload)

    @node_mutation(
        NodeKind.KEY_PERSON,
        "Name who of the customer holds the job a key person left, once the team knows "
        "(successorId null: not known). Until that person is on a deal's decision chain, the "
        "likelihood counts the job there as held by someone nobody of ours knows",
    )
    async def key_person_successor_set(
        self, info: Ctx, id: GivenID, successor_id: GivenID | None = None
    ) -> NodePayload:
        with Refusal(info) as refused:
            person = raw_id(id, NodeKind.KEY_PERSON, "id")
            successor = (
                None
                if successor_id is None
                else raw_id(successor_id, NodeKind.KEY_PERSON, "successorId")
            )
            node = await departures.set_successor(context(info), person, successor)
            return node_payload(NodeKind.KEY_PERSON, node)
        return refused.payload(PAYLOADS[NodeKind.KEY_PERSON])

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
        return await _knows(info, input, remove=False)

    @node_mutation(NodeKind.KEY_PERSON, "Remove a KNOWS tie")
    async def knows_remove(self, info: Ctx, input: i.KnowsInput) -> NodePayload:
        return await _knows(info, input, remove=True)

    # --- decision chain ----------------------------------------------------------------------

    decision_chain_member_set = tie_mutation(
        i.DECISION_CHAIN_MEMBER,
        "Put a key person in a decision chain, or change their place",
        shows=("source", "target"),
        payload=DecisionChainMemberPayload,
    )
    decision_chain_member_remove = tie_mutation(
        i.DECISION_CHAIN_MEMBER,
        "Take a key person out of a decision chain. A person has one place in a chain: "
        "when role is not their role there, nothing is removed and the refusal names the "
        "role they have",
        shows=("source", "target"),
        payload=DecisionChainMemberPayload,
        remove=True,
        role_guard=True,
    )

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
        shows=("target",),
    )
    competitor_on_opportunity_remove = tie_mutation(
        i.COMPETITOR_ON_OPPORTUNITY,
        "Take a competitor off an opportunity",
        shows=("target",),
        remove=True,
    )
    competitor_tie_set = tie_mutation(
        i.COMPETITOR_TIE, "Record a competitor's closeness to a key person", shows=("target",)
    )
    competitor_tie_remove = tie_mutation(
        i.COMPETITOR_TIE,
        "Remove a competitor's tie to a key person",
        shows=("target",),
        remove=True,
    )

    # --- opportunities -------------------------------------------------------------------------

    @node_mutation(
        NodeKind.OPPORTUNITY,
        "Create an opportunity with a customer (an open one closing today or later)",
    )
    async def opportunity_create(self, info: Ctx, input: i.OpportunityCreateInput) -> NodePayload:
        with Refusal(info) as refused:
            given = input.customer_id
            customer = (
                None if given is None else raw_id(given, NodeKind.CUSTOMER, "input.customerId")
            )
            props = i.props_of(input, skip=("key", "customer_id", "customer"))
            node = await edits.opportunity_create(
                context(info), customer, props, _key(input), _new_customer(input.customer)
            )
            return node_payload(NodeKind.OPPORTUNITY, node)
        return refused.payload(PAYLOADS[NodeKind.OPPORTUNITY])

    opportunity_update = update_mutation(
        NodeKind.OPPORTUNITY,
        i.OpportunityUpdateInput,
        "Change an opportunity (its stage moves through the gate)",
    )

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

    @strawberry.mutation(
        description="One of our people leaves: a successor takes their places on open deals' "
        "and accounts' teams, their open work plan items and the contacts they planned; the "
        "relationships they had leave with them, and their logins stop (administrators)"
    )
    async def team_member_hand_over(
        self, info: Ctx, id: GivenID, input: i.TeamMemberHandOverInput
    ) -> TeamMemberHandOverPayload:
        with Refusal(info) as refused:
            member = raw_id(id, NodeKind.TEAM_MEMBER, "id")
            successor = raw_id(input.successor_id, NodeKind.TEAM_MEMBER, "input.successorId")
            done = await hand_over.hand_over(context(info), member, successor, input.version)
            leaver = TeamMember.from_node(done.member)
            return TeamMemberHandOverPayload(
                team_member=leaver,
                successor=TeamMember.from_node(done.successor),
                opportunities=[Opportunity.from_node(n) for n in done.opportunities],
                customers=[Customer.from_node(n) for n in done.customers],
                work_plan_items=[WorkPlanItem.from_node(n) for n in done.work_plan_items],
                activities=[Activity.from_node(n) for n in done.activities],
                ties_ended=[
                    TeamTie(
                        member=leaver,
                        person=KeyPerson.from_node(person),
                        level=enums.TieStrength(level or "MODERATE"),
                        since=None,
                    )
                    for person, level in done.ties_ended
                ],
                users_disabled=list(done.users_disabled),
            )
        return refused.payload(TeamMemberHandOverPayload)

    @strawberry.mutation(description="Put one of our people on an opportunity or account team")
    async def team_assign(self, info: Ctx, input: i.TeamAssignInput) -> TeamAssignPayload:
        return await _team(info, input, remove=False)

    @strawberry.mutation(description="Take one of our people off a team")
    async def team_unassign(self, info: Ctx, input: i.TeamAssignInput) -> TeamAssignPayload:
        return await _team(info, input, remove=True)

    # --- activities ----------------------------------------------------------------------------

    @node_mutation(NodeKind.ACTIVITY, "Record a contact with key persons and how it went")
    async def activity_log(self, info: Ctx, input: i.ActivityLogInput) -> NodePayload:
        with Refusal(info) as refused:
            people = raw_ids(input.person_ids, NodeKind.KEY_PERSON, "input.personIds")
            members = raw_ids(input.member_ids, NodeKind.TEAM_MEMBER, "input.memberIds")
            opportunity = (
                raw_id(input.opportunity_id, NodeKind.OPPORTUNITY, "input.opportunityId")
                if input.opportunity_id is not None
                else None
            )
            props = i.props_of(input, skip=("person_ids", "member_ids", "opportunity_id"))
            node = await edits.activity_record(context(info), props, people, members, opportunity)
            return node_payload(NodeKind.ACTIVITY, node)
        return refused.payload(PAYLOADS[NodeKind.ACTIVITY])

    activity_update = update_mutation(
        NodeKind.ACTIVITY, i.ActivityUpdateInput, "Correct a recorded activity"
    )

    activity_delete = delete_mutation(NodeKind.ACTIVITY, "Delete a recorded activity")


async def _knows(info: Ctx, data: i.KnowsInput, *, remove: bool) -> NodePayload:
    with Refusal(info) as refused:
        target = _ref(NodeKind.KEY_PERSON, data.target_person_id, "targetPersonId")
        knowers = {
            field: _ref(kind, given, field) if given is not None else None
            for field, kind, given in (
                ("memberId", NodeKind.TEAM_MEMBER, data.member_id),
                ("personId", NodeKind.KEY_PERSON, data.person_id),
            )
        }
        props = (
            None
            if remove
            else i.props_of(data, skip=("target_person_id", "member_id", "person_id"))
        )
        node = await edits.knows(context(info), knowers, target, props)
        return node_payload(NodeKind.KEY_PERSON, node)
    return refused.payload(PAYLOADS[NodeKind.KEY_PERSON])


async def _team(info: Ctx, data: i.TeamAssignInput, *, remove: bool) -> TeamAssignPayload:
    target_kind = (
        NodeKind.CUSTOMER
        if type_of(data.target_id) == NodeKind.CUSTOMER.value
        else NodeKind.OPPORTUNITY
    )
    with Refusal(info) as refused:
        member = _ref(NodeKind.TEAM_MEMBER, data.member_id, "memberId")
        target = _ref(target_kind, data.target_id, "targetId")
        props = None if remove else i.props_of(data, skip=("member_id", "target_id"))
        shown = [member, target]
        found = await edits.tie(context(info), EdgeKind.ON_TEAM, member, target, props, shown)
        on = _to_node(target_kind, found[1])
        return TeamAssignPayload(
            team_member=_to_node(NodeKind.TEAM_MEMBER, found[0]),
            opportunity=on if target_kind is NodeKind.OPPORTUNITY else None,
            customer=on if target_kind is NodeKind.CUSTOMER else None,
        )
    return refused.payload(TeamAssignPayload)


def _departure_payload(done: departures.DepartureRecorded) -> KeyPersonDeparturePayload:
    return KeyPersonDeparturePayload(
        key_person=KeyPerson.from_node(done.person),
        work_plan_items=[WorkPlanItem.from_node(n) for n in done.work_plan_items],
    )
