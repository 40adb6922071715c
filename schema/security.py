"""Who am I, who directs whom, and personal-data requests: export and erase everything about
a key person.

Who manages whom decides which deals a sales director sees; only administrators change it.
Both data-subject operations are for administrators (the data-protection officer) and see only
what the caller's scope allows; an invisible person is NOT_FOUND.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from domain.model import NodeKind
from resolvers import security
from resolvers.loaders import node_loader
from schema.common import Refusal, payload
from schema.ids import GivenID, raw_id
from schema.nodes import Ctx, KeyPerson, TeamMember, context
from schema.scalars import to_datetime


@strawberry.type(description="The caller: user, role, and how much of the graph they may see")
class Me:
    user_id: str
    name: str
    roles: list[str]
    team_member: TeamMember | None
    sees_everything: bool = strawberry.field(description="True for administrators")
    visible_customer_count: int
    visible_opportunity_count: int


@payload("The outcome of erasing a key person's personal data")
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


@strawberry.type(description="An API token of a login: its id and label, never its secret")
class LoginToken:
    id: strawberry.ID = strawberry.field(description="The token id (dg_<id>_…), to revoke it by")
    label: str
    created_at: datetime | None
    revoked_at: datetime | None = strawberry.field(description="Null while it signs in")

    @classmethod
    def of(cls, row: dict[str, Any]) -> LoginToken:
        return cls(
            id=strawberry.ID(str(row["id"])),
            label=str(row.get("label") or ""),
            created_at=to_datetime(row.get("created_at")),
            revoked_at=to_datetime(row.get("revoked_at")),
        )


@strawberry.type(description="A login of the API: a name, a role and the team member it acts as")
class Login:
    name: str = strawberry.field(description="Its key, also the JWT subject it answers to")
    role: str = strawberry.field(description="What it may do: one of loginRoles")
    disabled: bool = strawberry.field(
        description="A disabled login does not sign in (its tokens were revoked with it)"
    )
    created_at: datetime | None
    tokens: list[LoginToken] = strawberry.field(description="Its tokens, newest first")
    member_id: strawberry.Private[str | None]

    @strawberry.field(description="The team member it acts as in the sales process, if any")
    async def team_member(self, info: Ctx) -> TeamMember | None:
        if self.member_id is None:
            return None
        found = await node_loader(context(info), NodeKind.TEAM_MEMBER).load(self.member_id)
        return TeamMember.from_node(found) if found is not None else None

    @classmethod
    def of(cls, row: dict[str, Any]) -> Login:
        tokens = sorted(row["tokens"], key=lambda t: -(t.get("created_at") or 0))
        return cls(
            name=str(row["id"]),
            role=str(row["role"]),
            disabled=bool(row.get("disabled")),
            created_at=to_datetime(row.get("created_at")),
            tokens=[LoginToken.of(t) for t in tokens],
            member_id=row.get("member_id"),
        )


@strawberry.input(description="A new login")
class LoginCreateInput:
    name: str = strawberry.field(
        description="Its key: 1-100 letters, digits or _ . : - (also the JWT subject)"
    )
    role: str = strawberry.field(description="What it may do: one of loginRoles")
    team_member_id: GivenID | None = strawberry.field(
        default=None, description="The team member it acts as in the sales process"
    )
    first_token_label: str | None = strawberry.field(
        default=None,
        description="When given, its first token is issued with this label in the same write "
        "and carried by the payload this once",
    )


@strawberry.input(description="What changes of a login; what is left out stays")
class LoginUpdateInput:
    name: str = strawberry.field(description="The login to change")
    role: str | None = None
    team_member_id: GivenID | None = strawberry.field(
        default=None, description="Act as this team member from now on"
    )
    unlink: bool = strawberry.field(default=False, description="Act as no team member")
    disabled: bool | None = strawberry.field(
        default=None,
        description="True: it no longer signs in and its tokens are revoked; false: it may "
        "sign in again with a new token",
    )


@strawberry.input(description="A new token for a login")
class LoginTokenCreateInput:
    name: str = strawberry.field(description="The login it is for")
    label: str = strawberry.field(default="", description="What it is for, shown in lists")
    replace_others: bool = strawberry.field(
        default=False,
        description="Revoke the login's other tokens in use by the same write: the new one "
        "replaces one lost or given away (false: one more, for another device)",
    )


@strawberry.input(description="A token to revoke")
class LoginTokenRevokeInput:
    token_id: strawberry.ID = strawberry.field(description="LoginToken.id")


@payload()
class LoginPayload:
    login: Login | None = None


@payload()
class LoginCreatePayload:
    login: Login | None = None
    token_id: strawberry.ID | None = strawberry.field(
        default=None, description="The first token's id, when firstTokenLabel was given"
    )
    token: str | None = strawberry.field(
        default=None,
        description="The first token (dg_…), when firstTokenLabel was given, shown this once "
        "only: it is stored as a hash",
    )


@payload()
class LoginTokenCreatePayload:
    login: Login | None = None
    token_id: strawberry.ID | None = None
    token: str | None = strawberry.field(
        default=None,
        description="The bearer token (dg_…), shown this once only: it is stored as a hash",
    )


def _linked(input: LoginCreateInput | LoginUpdateInput) -> str | None:
    given = input.team_member_id
    return None if given is None else raw_id(given, NodeKind.TEAM_MEMBER, "input.teamMemberId")


@strawberry.input(description="One of our people and the team member who manages them")
class TeamMemberManagerInput:
    manager_id: GivenID = strawberry.field(
        description="The team member who manages (a sales director sees the deals of those "
        "they manage, directly or through others)"
    )
    member_id: GivenID = strawberry.field(description="The team member who reports to them")


@payload("Who manages whom after the change; both null when refused")
class TeamMemberManagerPayload:
    manager: TeamMember | None = None
    member: TeamMember | None = None


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
    return refused.payload(TeamMemberManagerPayload)


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

    @strawberry.field(description="Every login, by name (administrators only)")
    async def logins(self, info: Ctx) -> list[Login]:
        return [Login.of(row) for row in await security.logins(context(info))]

    @strawberry.field(description="The roles a login may have")
    def login_roles(self) -> list[str]:
        return list(security.ROLES)

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
        description="Add a login, with its first token when firstTokenLabel is given "
        "(administrators only)"
    )
    async def login_create(self, info: Ctx, input: LoginCreateInput) -> LoginCreatePayload:
        with Refusal(info) as refused:
            row, issued = await security.login_create(
                context(info), input.name, input.role, _linked(input), input.first_token_label
            )
            return LoginCreatePayload(
                login=Login.of(row),
                token_id=strawberry.ID(issued.token_id) if issued else None,
                token=issued.token if issued else None,
            )
        return refused.payload(LoginCreatePayload)

    @strawberry.mutation(
        description="Change a login's role or team member, disable it (its tokens are revoked) "
        "or enable it again (administrators only)"
    )
    async def login_update(self, info: Ctx, input: LoginUpdateInput) -> LoginPayload:
        with Refusal(info) as refused:
            linked = _linked(input)
            member: tuple[str | None] | None = (
                (None,) if input.unlink else (linked,) if linked is not None else None
            )
            row = await security.login_update(
                context(info), input.name, role=input.role, member=member, disabled=input.disabled
            )
            return LoginPayload(login=Login.of(row))
        return refused.payload(LoginPayload)

    @strawberry.mutation(
        description="Issue a token for a login: the payload carries it this once, the store "
        "keeps only its hash (administrators only)"
    )
    async def login_token_create(
        self, info: Ctx, input: LoginTokenCreateInput
    ) -> LoginTokenCreatePayload:
        with Refusal(info) as refused:
            row, issued = await security.login_token_create(
                context(info), input.name, input.label, input.replace_others
            )
            return LoginTokenCreatePayload(
                login=Login.of(row), token_id=strawberry.ID(issued.token_id), token=issued.token
            )
        return refused.payload(LoginTokenCreatePayload)

    @strawberry.mutation(
        description="Revoke a token: it no longer signs in from the next request on "
        "(administrators only)"
    )
    async def login_token_revoke(self, info: Ctx, input: LoginTokenRevokeInput) -> LoginPayload:
        with Refusal(info) as refused:
            row = await security.login_token_revoke(context(info), str(input.token_id))
            return LoginPayload(login=Login.of(row))
        return refused.payload(LoginPayload)

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
        return refused.payload(KeyPersonErasePayload)
