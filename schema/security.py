"""Who am I, who directs whom, and personal-data requests: export and erase everything about
a key person.

Who manages whom decides which deals a sales director sees; only administrators change it.
Both data-subject operations are for administrators (the data-protection officer) and see only
what the caller's scope allows; an invisible person is NOT_FOUND.
"""

from __future__ import annotations

from typing import cast

import strawberry
from strawberry.scalars import JSON

from domain.model import NodeKind
from resolvers import security
from schema.common import Refusal, UserError, unless_refused
from schema.ids import GivenID, raw_id
from schema.nodes import Ctx, KeyPerson, TeamMember, context


@strawberry.type(description="The caller: user, role, and how much of the graph they may see")
class Me:
    user_id: str
    name: str
    roles: list[str]
    team_member: TeamMember | None
    sees_everything: bool = strawberry.field(description="True for administrators")
    visible_customer_count: int
    visible_opportunity_count: int


@strawberry.type(description="The outcome of erasing a key person's personal data")
class KeyPersonErasePayload:
    key_person: KeyPerson | None = strawberry.field(
        default=None, description="The anonymised person"
    )
    erased_activities: int = strawberry.field(
        default=0, description="Activities whose free-text summary was removed"
    )
    erased_work_plan_items: int = 0
    scrubbed_audit_entries: int = strawberry.field(
        default=0,
        description="Audit entries whose recorded values were replaced by an erasure marker",
    )
    user_errors: list[UserError] = unless_refused()


@strawberry.input(description="One of our people and the team member who manages them")
class TeamMemberManagerInput:
    manager_id: GivenID = strawberry.field(
        description="The team member who manages (a sales director sees the deals of those "
        "they manage, directly or through others)"
    )
    member_id: GivenID = strawberry.field(description="The team member who reports to them")


@strawberry.type(description="Who manages whom after the change; both null when refused")
class TeamMemberManagerPayload:
    manager: TeamMember | None = None
    member: TeamMember | None = None
    user_errors: list[UserError] = unless_refused()


async def _manager(
    info: Ctx, input: TeamMemberManagerInput, *, remove: bool
) -> TeamMemberManagerPayload:
    with Refusal(info) as refused:
        manager_id = raw_id(input.manager_id, NodeKind.TEAM_MEMBER, "input.managerId")
        member_id = raw_id(input.member_id, NodeKind.TEAM_MEMBER, "input.memberId")
        manager, member = await security.manager_set(
            context(info), manager_id, member_id, remove=remove
        )
        return TeamMemberManagerPayload(
            manager=TeamMember.from_node(manager), member=TeamMember.from_node(member)
        )
    return TeamMemberManagerPayload(user_errors=refused.errors)


def _person_id(global_id: GivenID) -> str:
    return raw_id(global_id, NodeKind.KEY_PERSON, "id")


@strawberry.type
class SecurityQuery:
    @strawberry.field(description="Who the caller is and what they may see")
    async def me(self, info: Ctx) -> Me:
        ctx = context(info)
        member = (  # with the credentials' member at hand, no store call and no thread
            security.known_member(ctx) if ctx.member_known else await security.caller_member(ctx)
        )
        return Me(
            user_id=ctx.actor.id,
            name=ctx.actor.name,
            roles=sorted(ctx.roles),
            team_member=TeamMember.from_node(member) if member is not None else None,
            sees_everything=ctx.scope.everything,
            visible_customer_count=len(ctx.scope.customer_ids),
            visible_opportunity_count=len(ctx.scope.opportunity_ids),
        )

    @strawberry.field(
        description="Everything stored about a key person, as JSON (data-subject access "
        "request; administrators only)"
    )
    async def key_person_export(self, info: Ctx, id: GivenID) -> JSON:
        exported = await security.export_key_person(context(info), _person_id(id))
        return cast(JSON, exported)


@strawberry.type
class SecurityMutation:
    @strawberry.mutation(
        description="Record that a team member manages another: a sales director then sees "
        "the member's deals as their team's (administrators only)"
    )
    async def team_member_manager_add(
        self, info: Ctx, input: TeamMemberManagerInput
    ) -> TeamMemberManagerPayload:
        return await _manager(info, input, remove=False)

    @strawberry.mutation(
        description="Record that a team member no longer manages another (administrators only)"
    )
    async def team_member_manager_remove(
        self, info: Ctx, input: TeamMemberManagerInput
    ) -> TeamMemberManagerPayload:
        return await _manager(info, input, remove=True)

    @strawberry.mutation(
        description="Erase a key person's personal data and free-text notes about them, keeping "
        "anonymised facts (activity counts and outcomes, chain role); leaves an audit entry "
        "(administrators only)"
    )
    async def key_person_erase(self, info: Ctx, id: GivenID) -> KeyPersonErasePayload:
        with Refusal(info) as refused:
            result = await security.erase_key_person(context(info), _person_id(id))
            return KeyPersonErasePayload(
                key_person=KeyPerson.from_node(result["node"]),
                erased_activities=int(result["activity_count"]),
                erased_work_plan_items=int(result["plan_count"]),
                scrubbed_audit_entries=int(result["scrubbed"]),
            )
        return KeyPersonErasePayload(user_errors=refused.errors)
