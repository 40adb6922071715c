"""Users, tokens and personal data: the use cases of ``schema.security`` and of the
``dealgraph user`` command, over ``graph.security_store``.

The API's calls take the request context (scope, actor, roles); the command's take the store,
acting as the system.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from strawberry.dataloader import DataLoader

from domain.errors import DomainError, bad_input, named, not_found, without_nul
from domain.model import EdgeKind, NodeKind
from domain.records import TeamMemberRecord
from graph.scope import SYSTEM, Actor
from graph.security_store import ROLES, IssuedToken, SecurityStore
from graph.store import GraphStore
from resolvers import process
from resolvers.auth import require_role
from resolvers.context import RequestContext
from resolvers.in_thread import InThread
from resolvers.loaders import request_loader
from resolvers.violations import ERASE_RULES
from resolvers.writes import refuse_a_leaver, refuse_if_left

MANAGES: Final = "MANAGES"
"""What ``ROLE_RULES`` guards with ("manage", MANAGES): who directs whom."""
MEMBER: Final = NodeKind.TEAM_MEMBER.value
LOGINS: Final = "logins"
"""What ``ROLE_RULES`` guards with ("manage", LOGINS): logins and their tokens."""

__all__ = [
    "ROLES",
    "add_user",
    "caller_member",
    "change_user",
    "ensure_token",
    "erase_key_person",
    "export_key_person",
    "issue_token",
    "known_member",
    "list_users",
    "login_create",
    "login_token_create",
    "login_token_revoke",
    "login_update",
    "logins",
    "manager_set",
    "manages_loader",
    "revoke_token",
    "set_manages",
]


# --- the API -------------------------------------------------------------------------------


def known_member(ctx: RequestContext) -> TeamMemberRecord | None:
    """The team member that came with the credentials (``RequestContext.member_known``)."""
    return ctx.member.copy() if ctx.member is not None else None


@InThread
def caller_member(ctx: RequestContext) -> TeamMemberRecord | None:
    """The team member the caller's user acts as, if any."""
    if ctx.member_known:
        return known_member(ctx)
    user = SecurityStore(ctx.store).get_user(ctx.actor.id)
    member_id = user.get("member_id") if user else None
    if not member_id:
        return None
    return ctx.store.get_many(NodeKind.TEAM_MEMBER, [member_id]).get(member_id)


@InThread
def export_key_person(ctx: RequestContext, person_id: str) -> dict[str, Any]:
    """Everything stored about a visible key person (administrators only)."""
    require_role(ctx.roles, "personal_data", NodeKind.KEY_PERSON.value)
    return SecurityStore(ctx.store).export_key_person(person_id, scope=ctx.scope)


@InThread
def erase_key_person(ctx: RequestContext, person_id: str) -> dict[str, Any]:
    """Erase a visible key person's personal data, keeping anonymised facts (administrators
    only); one statement with its audit entry. The needs they stated in chains are cleared
    with it, which can leave a deal without every member's needs recorded: the deals whose
    chains hold them (they keep their place there) are checked right after (``ERASE_RULES``)."""
    require_role(ctx.roles, "personal_data", NodeKind.KEY_PERSON.value)
    erased = SecurityStore(ctx.store).erase_key_person(person_id, scope=ctx.scope, actor=ctx.actor)
    chain = EdgeKind.IN_DECISION_CHAIN
    deals = process.open_deals_tied(ctx, chain, NodeKind.KEY_PERSON, [person_id])
    process.detect_after_writes(ctx, deals, ERASE_RULES)
    return erased


# --- the command ---------------------------------------------------------------------------


TOKEN_LABEL_MAX = 100
"""How long what a token is for may be: a word or two that tells it from the login's others
("phone", "the CRM's sync"), read in a list of buttons."""


def _token_label(label: str, field: str) -> str:
    """What a token is for, refused at ``field`` when too long or holding a NUL character."""
    if len(label) > TOKEN_LABEL_MAX:
        raise bad_input(
            field,
            f"must be at most {TOKEN_LABEL_MAX} characters",
            f"不能超过 {TOKEN_LABEL_MAX} 个字符",
        )
    return without_nul(label, field)


def add_user(
    store: GraphStore,
    name: str,
    role: str,
    member_id: str | None = None,
    *,
    token_label: str | None = None,
    actor: Actor = SYSTEM,
) -> IssuedToken | None:
    """Add an API user with a role, optionally acting as a team member who is still with us;
    with ``token_label``, its first token in the same write (``SecurityStore.add_user``)."""
    if token_label is not None:
        _token_label(token_label, "firstTokenLabel")
    if member_id is not None:
        refuse_a_leaver(store, member_id, "team_member_id")
    return SecurityStore(store).add_user(
        name, role, member_id, token_label=token_label, actor=actor
    )


def change_user(
    store: GraphStore,
    name: str,
    *,
    role: str | None = None,
    member: tuple[str | None] | None = None,
    disabled: bool | None = None,
    actor: Actor = SYSTEM,
) -> None:
    """Change a user's role, the team member they act as (``(None,)``: none) or whether they
    may sign in (disabling also revokes their tokens). Nobody who left is linked to a login,
    and a login that acts for one who left is not enabled again: it would put them back on
    teams and in the work of deals they handed over."""
    security = SecurityStore(store)
    if member and member[0] is not None:
        refuse_a_leaver(store, member[0], "team_member_id")
    elif member is None and disabled is False:
        user = security.get_user(name)
        acting = user.get("member_id") if user else None
        if acting:
            found = store.get_many(NodeKind.TEAM_MEMBER, [acting]).get(acting)
            if found and found.get("left_at") is not None:
                raise _acts_for_a_leaver(name, found)
    security.change_user(name, role=role, member=member, disabled=disabled, actor=actor)


def _acts_for_a_leaver(name: str, member: TeamMemberRecord) -> DomainError:
    """Why a login acting for one who left stays disabled, and what to do instead."""
    who = member["name"]
    return bad_input(
        "disabled",
        f"The login {name} acts for {who}, who left: link it to someone still with us, or to "
        "nobody, to enable it",
        f"登录{name}关联的{who}已离职：请改为关联仍在职的成员或不关联任何成员，再启用",
    )


def issue_token(
    store: GraphStore,
    name: str,
    label: str = "",
    *,
    replace: bool = False,
    actor: Actor = SYSTEM,
) -> IssuedToken:
    """A new token for an enabled user; the returned token is the only copy of the secret. A
    disabled login gets none (the command as the API): it would be listed as live and never
    work. With ``replace`` its other tokens stop signing in (one lost or given away)."""
    _token_label(label, "label")
    security = SecurityStore(store)
    user = security.get_user(name)
    if user is not None and user.get("disabled"):
        raise bad_input(
            "name",
            f"The login {name} is disabled: enable it first",
            f"登录{name}已停用，请先启用",
        )
    return security.issue_token(name, label, replace=replace, actor=actor)


def revoke_token(store: GraphStore, token_id: str, *, actor: Actor = SYSTEM) -> str:
    """Revoke a token by id; returns its user's name."""
    return SecurityStore(store).revoke_token(token_id, actor=actor)


# --- logins through the API (administrators only; the same use cases as the command) --------


def _login(ctx: RequestContext, name: str) -> dict[str, Any]:
    (found,) = SecurityStore(ctx.store).list_users(name)
    return found


@InThread
def logins(ctx: RequestContext) -> list[dict[str, Any]]:
    """Every login with its role, team member and tokens (ids, labels and dates; never a
    secret or a hash)."""
    require_role(ctx.roles, "manage", LOGINS)
    return list_users(ctx.store)


@InThread
def login_create(
    ctx: RequestContext, name: str, role: str, member_id: str | None, token_label: str | None
) -> tuple[dict[str, Any], IssuedToken | None]:
    """A new login, with its first token when ``token_label`` is given (one write: the login
    is never left without it); without one it signs in once a token is issued for it."""
    require_role(ctx.roles, "manage", LOGINS)
    issued = add_user(ctx.store, name, role, member_id, token_label=token_label, actor=ctx.actor)
    return _login(ctx, name), issued


@InThread
def login_update(
    ctx: RequestContext,
    name: str,
    *,
    role: str | None,
    member: tuple[str | None] | None,
    disabled: bool | None,
) -> dict[str, Any]:
    """A login's role, team member or whether it may sign in changed. An administrator does not
    disable their own login nor take their own role away: another administrator does it (the
    last one would lock everybody out)."""
    require_role(ctx.roles, "manage", LOGINS)
    name = named(name, "User", "name")
    if name == ctx.actor.id and disabled:
        raise bad_input(
            "disabled",
            "You cannot disable your own login: another administrator does it",
            "不能停用您本人的登录，请由另一位管理员操作",
        )
    if name == ctx.actor.id and role is not None and role not in ctx.roles:
        raise bad_input(
            "role",
            "You cannot change your own role: another administrator does it",
            "不能修改您本人的角色，请由另一位管理员操作",
        )
    change_user(ctx.store, name, role=role, member=member, disabled=disabled, actor=ctx.actor)
    return _login(ctx, name)


@InThread
def login_token_create(
    ctx: RequestContext, name: str, label: str, replace: bool = False
) -> tuple[dict[str, Any], IssuedToken]:
    """A new token for an enabled login: the returned token is the only copy of its secret
    (stored as a hash, never logged nor audited); with ``replace``, its other tokens stop
    signing in by the same write."""
    require_role(ctx.roles, "manage", LOGINS)
    named(name, "User", "name")
    if replace and name == ctx.actor.id:  # it would revoke the token this request came with
        raise bad_input(
            "replaceOthers",
            "You are signed in with one of your tokens: give yourself one more, sign in with "
            "it, then revoke the old ones",
            "您正使用本人的令牌登录：请先为自己再签发一个，用新令牌登录后再吊销旧令牌",
        )
    issued = issue_token(ctx.store, name, label, replace=replace, actor=ctx.actor)
    return _login(ctx, name), issued


@InThread
def login_token_revoke(ctx: RequestContext, token_id: str) -> dict[str, Any]:
    """A token stops working from the next request on; returns its login."""
    require_role(ctx.roles, "manage", LOGINS)
    token_id = named(token_id, "ApiToken", "tokenId")
    return _login(ctx, revoke_token(ctx.store, token_id, actor=ctx.actor))


def directors_loader(ctx: RequestContext) -> DataLoader[str, list[TeamMemberRecord]]:
    """The directors who see members' deals as their team's, for many members at once.
    Everyone may know who directs whom: team members are visible to all."""

    async def load(ids: list[str]) -> Sequence[list[TeamMemberRecord]]:
        found = await ctx.run(SecurityStore(ctx.store).directors_of, ids)
        return [found.get(i, []) for i in ids]

    return request_loader(ctx, ("directors",), load)


def manages_loader(
    ctx: RequestContext,
) -> DataLoader[str, tuple[list[TeamMemberRecord], list[TeamMemberRecord]]]:
    """Each member's direct managers and direct reports, for many members at once (one round
    trip for both lists). Everyone may know who directs whom: team members are visible to all."""

    async def load(
        ids: list[str],
    ) -> Sequence[tuple[list[TeamMemberRecord], list[TeamMemberRecord]]]:
        found = await ctx.run(SecurityStore(ctx.store).manages, ids)
        return [found.get(i, ([], [])) for i in ids]

    return request_loader(ctx, ("manages",), load)


@InThread
def manager_set(
    ctx: RequestContext, manager_id: str, member_id: str, *, remove: bool
) -> tuple[TeamMemberRecord, TeamMemberRecord]:
    """An administrator records (or removes) that one team member manages another."""
    require_role(ctx.roles, "manage", MANAGES)
    return set_manages(ctx.store, manager_id, member_id, remove=remove, actor=ctx.actor)


def set_manages(
    store: GraphStore,
    manager_id: str,
    member_id: str,
    *,
    remove: bool,
    actor: Actor = SYSTEM,
) -> tuple[TeamMemberRecord, TeamMemberRecord]:
    """Record (or remove) that one team member manages another: the administrator's use case,
    through the API (``manager_set``) and the command (``dealgraph user manage``). Both must
    exist; nobody manages themselves, nor someone above them (a circle), and nobody who left
    is given a manager or a report (a line is removed whoever left). One audited write;
    returns the manager and the member as read before it. Refusals name the input fields
    ``manager_id`` and ``member_id``."""
    found = store.get_many(NodeKind.TEAM_MEMBER, [manager_id, member_id])
    ends = ((manager_id, "manager_id"), (member_id, "member_id"))
    unknown = [not_found(MEMBER, field).problems[0] for i, field in ends if i not in found]
    if unknown:
        raise DomainError(unknown)
    manager, member = found[manager_id], found[member_id]
    if not remove:
        refuse_if_left(manager, "manager_id")
        refuse_if_left(member, "member_id")
    SecurityStore(store).set_manages(manager_id, member_id, remove=remove, actor=actor)
    return manager, member


def list_users(store: GraphStore) -> list[dict[str, Any]]:
    """Every user with its member and tokens (ids and dates only)."""
    return SecurityStore(store).list_users()


def ensure_token(store: GraphStore, path: Path, user: str, role: str, label: str) -> str:
    """The token kept in ``path``: reused while it works, else ``user`` (made with ``role``
    when missing) gets a new one, written to ``path`` readable by its owner only."""
    security = SecurityStore(store)
    if path.is_file():
        token = path.read_text(encoding="utf-8").strip()
        if security.principal_for_token(token) is not None:
            return token
    first = (
        security.add_user(user, role, token_label=label)
        if security.get_user(user) is None
        else None
    )
    token = (first or security.issue_token(user, label)).token
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(token + "\n", encoding="utf-8")
    path.chmod(0o600)
    return token
