"""Users, API tokens and the scope of a principal: the store side of authentication.

A token is ``dg_<token id>_<secret>``. Only ``sha256(secret)`` is stored, on an ``ApiToken``
node linked to its ``User``; the token id finds the node, ``hmac.compare_digest`` compares the
hashes. A user has one role and is usually linked to a ``TeamMember`` (``ACTS_AS``), whose team
assignments decide what the user may see. The principal of a request (user, member, visible
ids) is read in one statement.

Personal-data requests (export and erasure of a key person) are here too: both are single,
scoped statements.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from domain.errors import DomainError, bad_input, conflict, no_tie, not_found
from domain.model import NODE_SPECS, NodeKind
from domain.records import TeamMemberRecord
from domain.roles import DEFAULT_ROLE, sees_everything
from domain.roles import ROLES as ROLES  # re-exported: resolvers.security offers it to the CLI
from domain.validation import check_id
from graph import statements as st
from graph.scope import EVERYTHING, SYSTEM, Actor, Scope
from graph.sequence import SequenceMark
from graph.store import GraphStore, Node

TOKEN_PREFIX: Final = "dg_"
ERASED_TEXT: Final = "[已删除 erased]"
"""What stands in place of erased free text, readable in both languages."""
ERASED_NAME: Final = "已删除的人员 Erased person"
"""An erased key person's name, in both languages like the demo's names: no id, which names
nobody to a person reading it, and nothing left to tell who it was."""
NAME_GUARD: Final = ("\ue000", "\ue001")
"""What brackets a kept name while an erased name inside it is looked for (private-use
characters, which no text people type contains)."""


def hash_secret(secret: str) -> str:
    """The stored form of a token secret (hex sha256)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def split_token(token: str) -> tuple[str, str] | None:
    """``(token id, secret)`` of a well-formed API token, else None."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    token_id, sep, secret = token[len(TOKEN_PREFIX) :].partition("_")
    if not sep or not token_id or len(secret) < 20 or len(token_id) > 64:
        return None
    return token_id, secret


@dataclass(frozen=True, slots=True)
class PrincipalRecord:
    """A user as authentication sees them: role, team member and what they may see."""

    user_id: str
    name: str
    role: str
    member_id: str | None
    member_ids: tuple[str, ...]
    scope: Scope
    member: TeamMemberRecord | None = None
    """The team member the user acts as, read in the same statement (``me`` needs no more)."""
    sequence: SequenceMark | None = None
    """Where the audit sequence stood as the credentials were read."""


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A freshly created token: ``token`` is shown once and never stored."""

    token_id: str
    user_id: str
    token: str
    replaced: tuple[str, ...] = ()
    """The ids of the user's tokens it replaced (revoked by the same write)."""


def _new_token(user: str, label: str, now: int) -> tuple[dict[str, Any], IssuedToken]:
    """A new token's stored properties (its secret only as a hash) and the token itself."""
    token_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    props = {"id": token_id, "hash": hash_secret(secret), "label": label, "created_at": now}
    return props, IssuedToken(token_id, user, f"{TOKEN_PREFIX}{token_id}_{secret}")


class SecurityStore:
    """User, token and personal-data operations over a ``GraphStore``."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    # --- principals ------------------------------------------------------------------------

    def _principal(self, row: Mapping[str, Any]) -> PrincipalRecord:
        user = row["user"]
        role = str(user.get("role") or DEFAULT_ROLE)
        scope = (
            EVERYTHING
            if sees_everything(role)
            else Scope(
                everything=False,
                customer_ids=frozenset(row.get("customers") or ()),
                opportunity_ids=frozenset(row.get("opportunities") or ()),
            )
        )
        return PrincipalRecord(
            user_id=str(user["id"]),
            name=str(user.get("name") or user["id"]),
            role=role,
            member_id=row.get("member_id"),
            member_ids=tuple(row.get("member_ids") or ()),
            scope=scope,
            member=row.get("member"),
            sequence=SequenceMark.of(row, "seq_"),
        )

    def principal_for_token(self, token: str) -> PrincipalRecord | None:
        """The principal of a valid, unrevoked API token; None for anything else."""
        parts = split_token(token)
        if parts is None:
            return None
        token_id, secret = parts
        rows = self.store.read(st.PRINCIPAL_BY_TOKEN, {"token_id": token_id})
        given = hash_secret(secret)
        if not rows or not hmac.compare_digest(str(rows[0]["token_hash"] or ""), given):
            return None
        return self._principal(rows[0])

    def principal_for_user(self, user_id: str) -> PrincipalRecord | None:
        """The principal of an enabled user by key (JWT ``sub``); None when unknown."""
        rows = self.store.read(st.PRINCIPAL_BY_USER, {"user_id": user_id})
        return self._principal(rows[0]) if rows else None

    # --- users and tokens ------------------------------------------------------------------

    def add_user(
        self,
        name: str,
        role: str,
        member_id: str | None = None,
        *,
        token_label: str | None = None,
        actor: Actor = SYSTEM,
    ) -> IssuedToken | None:
        """Create a user; NAME is its key (also the JWT ``sub`` it answers to). With
        ``token_label``, its first token is issued in the same write and returned (the only
        copy of its secret): a login is never left without the token it was made to sign in
        with."""
        check_id(name, "name")
        if role not in ROLES:
            raise bad_input(
                "role", f"must be one of {', '.join(ROLES)}", f"必须是以下之一：{'、'.join(ROLES)}"
            )
        now = self.store.clock()
        props = {"id": name, "name": name, "role": role, "created_at": now}
        token, issued = (None, None) if token_label is None else _new_token(name, token_label, now)
        changes = {"role": role, "member_id": member_id}
        if token is not None:
            changes |= {"token_id": token["id"], "token_label": token_label}
        audit = self.store.audit_entry(actor, "create", st.USER_LABEL, name, changes, now)
        rows = self.store.write(
            st.CREATE_USER, {"props": props, "member_id": member_id, "token": token, "audit": audit}
        )
        if rows:
            return issued
        taken = self.store.read(st.USER_NAMED, {"id": name})
        if taken:
            known = taken[0]["name"]
            raise conflict(
                f"A login named {known} already exists", f"已有名为{known}的登录", "name"
            )
        raise not_found("TeamMember", "team_member_id")

    def change_user(
        self,
        name: str,
        *,
        role: str | None = None,
        member: tuple[str | None] | None = None,
        disabled: bool | None = None,
        actor: Actor = SYSTEM,
    ) -> None:
        """Change a user's role, member link and whether they may sign in, in one write
        (``member``: None leaves the link, ``(None,)`` unlinks, ``(id,)`` links to that team
        member instead; ``disabled``: None leaves it, True also revokes their tokens)."""
        if role is not None and role not in ROLES:
            raise bad_input(
                "role", f"must be one of {', '.join(ROLES)}", f"必须是以下之一：{'、'.join(ROLES)}"
            )
        member_id = member[0] if member else None
        changes = {
            "role": role,
            **({"member_id": member_id} if member else {}),
            **({"disabled": disabled} if disabled is not None else {}),
        }
        now = self.store.clock()
        audit = self.store.audit_entry(actor, "update", st.USER_LABEL, name, changes, now)
        params = {
            "id": name,
            "role": role,
            "member_id": member_id,
            "relink": member is not None,
            "disabled": disabled,
            "now": now,
            "audit": audit,
        }
        if self.store.write(st.CHANGE_USER, params):
            return
        if self.get_user(name) is None:
            raise not_found("User", "name")
        raise not_found("TeamMember", "team_member_id")

    def get_user(self, name: str) -> Node | None:
        """A user with its ``member_id``, or None."""
        rows = self.store.read(st.GET_USER, {"id": name})
        if not rows:
            return None
        user: Node = dict(rows[0]["user"])
        user["member_id"] = rows[0]["member_id"]
        return user

    def issue_token(
        self, name: str, label: str = "", *, replace: bool = False, actor: Actor = SYSTEM
    ) -> IssuedToken:
        """Create an API token for a user; the returned token is the only copy of the secret.
        With ``replace`` the user's other tokens in use stop signing in, in the same write (its
        audit entry says so)."""
        now = self.store.clock()
        props, issued = _new_token(name, label, now)
        changes: dict[str, Any] = {"user": name, **({"replaces": "others"} if replace else {})}
        audit = self.store.audit_entry(
            actor, "create", st.TOKEN_LABEL, issued.token_id, changes, now
        )
        params = {"user_id": name, "props": props, "audit": audit, "replace": replace, "now": now}
        rows = self.store.write(st.CREATE_TOKEN, params)
        if not rows:
            raise not_found("User", "name")
        return dataclasses.replace(issued, replaced=tuple(rows[0]["revoked"] or ()))

    def revoke_token(self, token_id: str, *, actor: Actor = SYSTEM) -> str:
        """Revoke a token by id; returns its user's name. NOT_FOUND when there is no such
        token; CONFLICT, saying since when, when it is revoked already: an administrator who
        revokes twice (two tabs, a retry) learns it is done, not that it never existed."""
        now = self.store.clock()
        audit = self.store.audit_entry(actor, "revoke", st.TOKEN_LABEL, token_id, {}, now)
        rows = self.store.write(st.REVOKE_TOKEN, {"id": token_id, "now": now, "audit": audit})
        if not rows:
            raise not_found("ApiToken", "token_id")
        revoked = next((r for r in rows if r["revoked_before"] is None), None)
        if revoked is None:
            raise _revoked_already(rows[0])
        return str(revoked["user_id"])

    def list_users(self, name: str | None = None) -> list[dict[str, Any]]:
        """Every user (or the one named) with its member and tokens (ids, labels and dates
        only, never hashes)."""
        rows = self.store.read(st.LIST_USERS, {"id": name})
        return [
            {**row["user"], "member_id": row["member_id"], "tokens": row["tokens"]} for row in rows
        ]

    def directors_of(self, member_ids: Sequence[str]) -> dict[str, list[TeamMemberRecord]]:
        """The directors who see each member's deals as their team's, by name (one round
        trip)."""
        rows = self.store.read(st.MEMBER_DIRECTORS, {"ids": list(dict.fromkeys(member_ids))})
        return {
            str(r["member_id"]): sorted(r["directors"], key=lambda d: (str(d["name"]), d["id"]))
            for r in rows
        }

    def manages(
        self, member_ids: Sequence[str]
    ) -> dict[str, tuple[list[TeamMemberRecord], list[TeamMemberRecord]]]:
        """Each member's direct managers and direct reports, by name (one round trip)."""
        rows = self.store.read(st.MEMBER_MANAGES, {"ids": list(dict.fromkeys(member_ids))})

        def by_name(members: list[TeamMemberRecord]) -> list[TeamMemberRecord]:
            return sorted(members, key=lambda m: (str(m["name"]), m["id"]))

        return {str(r["member_id"]): (by_name(r["managers"]), by_name(r["reports"])) for r in rows}

    def set_manages(
        self, manager_id: str, member_id: str, *, remove: bool = False, actor: Actor = SYSTEM
    ) -> None:
        """Record (or remove) that one team member manages another (a director's team); the
        refusals name the input fields ``manager_id`` and ``member_id``."""
        now = self.store.clock()
        operation = "remove_edge" if remove else "set_edge"
        audit = self.store.audit_entry(
            actor, operation, "MANAGES", f"{manager_id}->{member_id}", {}, now
        )
        params = {"from_id": manager_id, "to_id": member_id, "now": now, "audit": audit}
        rows = self.store.write(st.REMOVE_MANAGES if remove else st.SET_MANAGES, params)
        if rows:
            return
        found = self.store.get_many(NodeKind.TEAM_MEMBER, [manager_id, member_id])
        missing = [i for i in (manager_id, member_id) if i not in found]
        if missing:
            raise DomainError(
                [
                    not_found(
                        "TeamMember", "manager_id" if i == manager_id else "member_id"
                    ).problems[0]
                    for i in missing
                ]
            )
        boss, member = str(found[manager_id]["name"]), str(found[member_id]["name"])
        if remove:
            raise no_tie("MANAGES", "member_id", boss, member)
        if manager_id == member_id:
            raise bad_input(
                "member_id", f"{member} cannot manage themselves", f"{member}不能管理自己"
            )
        raise bad_input(
            "member_id",
            f"{member} already directs {boss}, directly or through others: {boss} cannot "
            f"manage {member} too (that would be a circle)",
            f"{member}已直接或间接管理{boss}，{boss}不能再管理{member}（那会形成循环）",
        )

    # --- personal data -----------------------------------------------------------------------

    def export_key_person(self, person_id: str, *, scope: Scope = EVERYTHING) -> dict[str, Any]:
        """Everything stored about one key person; NOT_FOUND when invisible."""
        params = {"id": person_id, "erase": {"name": ERASED_NAME}, "guard": list(NAME_GUARD)}
        rows = self.store.read(st.KEY_PERSON_EXPORT, {**params, **scope.params()})
        if not rows:
            raise not_found("KeyPerson")
        return dict(rows[0])

    def erase_key_person(
        self, person_id: str, *, scope: Scope = EVERYTHING, actor: Actor = SYSTEM
    ) -> dict[str, Any]:
        """Erase a key person's personal data in one statement, keeping anonymised facts."""
        personal: Sequence[str] = NODE_SPECS[NodeKind.KEY_PERSON].personal
        placeholder = ERASED_NAME
        erase: dict[str, Any] = dict.fromkeys(personal)
        erase["name"] = placeholder
        now = self.store.clock()
        audit = self.store.audit_entry(
            actor,
            "erase",
            NodeKind.KEY_PERSON.value,
            person_id,
            {"erased_fields": sorted(personal), "free_text": "removed"},
            now,
        )
        scrubbed = json.dumps({"erased": True, "at": now})
        rows = self.store.write(
            st.KEY_PERSON_ERASE,
            {
                "id": person_id,
                "erase": erase,
                "erased_text": ERASED_TEXT,
                "scrubbed": scrubbed,
                "guard": list(NAME_GUARD),
                "now": now,
                "audit": audit,
                **scope.params(),
            },
        )
        if not rows:
            raise not_found("KeyPerson")
        return dict(rows[0])


def _revoked_already(row: Mapping[str, Any]) -> DomainError:
    """The refusal of a second revocation: which token (by its label and login, never its id)
    and since when, in UTC minutes as other messages write instants."""
    when = datetime.fromtimestamp(int(row["revoked_before"]) / 1000, UTC)
    at = when.strftime("%Y-%m-%d %H:%M UTC")
    user, label = row["user_id"], row["label"] or ""
    en_token, zh_token = (
        (f"The token “{label}” of {user}", f"{user}的令牌“{label}”")
        if label
        else (f"The token of {user}", f"{user}的令牌")
    )
    return conflict(
        f"{en_token} was already revoked on {at}", f"{zh_token}已于{at}撤销", "token_id"
    )
