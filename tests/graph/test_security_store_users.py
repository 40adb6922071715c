"""A user is made with its first token, and its role and member link change, in one statement
on both back ends; a write naming a taken or unknown user or an unknown team member writes
nothing."""

from __future__ import annotations

import json

import pytest
from store_support import refused

from domain.errors import DomainError, ErrorCode
from domain.model import NodeKind
from graph.security_store import SecurityStore
from graph.statements import AUDIT_LABEL
from graph.store import GraphStore


def _state(store: GraphStore, security: SecurityStore) -> tuple[str, str | None, int]:
    user = security.get_user("li")
    assert user is not None
    rows = store.executor.read(f"MATCH (a:{AUDIT_LABEL}) RETURN count(a) AS n", {})
    return user["role"], user["member_id"], int(rows[0]["n"])


def test_change_user_links_relinks_unlinks_and_refuses_without_writing(store: GraphStore) -> None:
    for member in ("tm-li", "tm-wang"):
        store.create(NodeKind.TEAM_MEMBER, {"name": member}, node_id=member)
    security = SecurityStore(store)
    security.add_user("li", "viewer")
    token = security.issue_token("li").token

    security.change_user("li", member=("tm-li",))
    principal = security.principal_for_token(token)
    assert principal is not None
    assert principal.member_id == "tm-li"
    security.change_user("li", role="account_manager")
    assert _state(store, security)[:2] == ("account_manager", "tm-li")
    security.change_user("li", member=("tm-wang",))
    assert _state(store, security)[:2] == ("account_manager", "tm-wang")
    links = store.executor.read(
        "MATCH (:User {id: 'li'})-[r:ACTS_AS]->(m) RETURN m.id AS member", {}
    )
    assert [row["member"] for row in links] == ["tm-wang"]

    before = _state(store, security)
    for name, change in (
        ("li", {"member": ("nope",)}),
        ("li", {"role": "emperor"}),
        ("nobody", {"role": "viewer"}),
    ):
        with pytest.raises(DomainError):
            security.change_user(name, **change)
    assert _state(store, security) == before

    security.change_user("li", member=(None,))
    assert _state(store, security)[:2] == ("account_manager", None)
    assert _state(store, security)[2] == before[2] + 1


def test_a_user_made_with_a_first_token_signs_in_and_a_refused_one_writes_neither(
    store: GraphStore,
) -> None:
    store.create(NodeKind.TEAM_MEMBER, {"name": "Li"}, node_id="tm-li")
    security = SecurityStore(store)
    issued = security.add_user("li", "viewer", "tm-li", token_label="laptop")
    assert issued is not None
    principal = security.principal_for_token(issued.token)
    assert principal is not None
    assert (principal.user_id, principal.member_id) == ("li", "tm-li")
    (user,) = security.list_users("li")
    assert [t["label"] for t in user["tokens"]] == ["laptop"]
    assert security.add_user("wang", "viewer") is None

    with refused(store, ErrorCode.CONFLICT, "name"):
        security.add_user("li", "viewer", token_label="again")
    with refused(store, ErrorCode.NOT_FOUND, "team_member_id"):
        security.add_user("zhao", "viewer", "tm-nobody", token_label="x")


def test_a_token_issued_to_replace_the_others_revokes_them_in_the_same_write(
    store: GraphStore,
) -> None:
    """One lost: the new token replaces it, and the old stops signing in at that moment; one
    revoked before keeps its day; without ``replace`` a second device's token keeps both."""
    security = SecurityStore(store)
    security.add_user("li", "account_manager")
    security.add_user("wang", "account_manager")
    revoked_before = security.issue_token("li", "old phone")
    security.revoke_token(revoked_before.token_id)
    laptop = security.issue_token("li", "laptop")
    phone = security.issue_token("li", "phone")
    theirs = security.issue_token("wang", "laptop")
    for issued in (laptop, phone):
        assert security.principal_for_token(issued.token) is not None
    assert (laptop.replaced, phone.replaced) == ((), ())

    entries = store.executor.read(f"MATCH (a:{AUDIT_LABEL}) RETURN count(a) AS n", {})[0]["n"]
    new = security.issue_token("li", "laptop, lost one replaced", replace=True)
    assert sorted(new.replaced) == sorted((laptop.token_id, phone.token_id))
    assert security.principal_for_token(new.token) is not None
    for gone in (laptop, phone):
        assert security.principal_for_token(gone.token) is None
    assert security.principal_for_token(theirs.token) is not None  # another login's stays
    (li,) = security.list_users("li")
    revoked = {t["id"]: t["revoked_at"] for t in li["tokens"]}
    assert revoked[laptop.token_id] == revoked[phone.token_id] is not None
    assert revoked[revoked_before.token_id] < revoked[laptop.token_id]
    assert revoked[new.token_id] is None
    (entry,) = store.executor.read(
        f"MATCH (a:{AUDIT_LABEL}) WHERE a.target_id = $id RETURN a.changes AS changes",
        {"id": new.token_id},
    )
    assert json.loads(entry["changes"]) == {"replaces": "others", "user": "li"}
    total = store.executor.read(f"MATCH (a:{AUDIT_LABEL}) RETURN count(a) AS n", {})[0]["n"]
    assert total == entries + 1
