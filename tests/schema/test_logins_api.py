"""Logins kept by the administrator through the API, as deployed: Li Na joins as an account
manager and the administrator onboards her without a shell.

A sales leader expects:

- the administrator gives Li Na a login acting as her team member and a token, shown once; with
  it she signs in as herself and sees her deal; the list of logins names her role, her member
  and her token by id and label, never a secret or a hash, and neither does the audit trail;
- revoked, that token no longer signs in; disabled, her login signs in with none of its tokens,
  and enabled again it needs a new one;
- only an administrator reads or changes logins: an account manager and a sales director are
  refused and nothing is written;
- a wrong name, role, team member or token is refused at its input field, in the reader's
  language; an administrator does not disable their own login nor change their own role.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from api_helpers import ZH, Api, gid, serve
from people import Person, add_team, hospital_team

from domain.model import NodeKind
from graph.statements import AUDIT_LABEL
from graph.store import GraphStore

K = NodeKind
LI, WU, ZHOU = "m-li", "m-wu", "m-zhou"
LOGINS = {WU: ("wu.lei", "account_manager"), ZHOU: ("zhou.wei", "sales_director")}

LIST = """{ logins { name role disabled teamMember { name }
  tokens { id label createdAt revokedAt } } }"""
CREATE = """mutation($input: LoginCreateInput!) { loginCreate(input: $input) {
  login { name role disabled teamMember { name } tokens { id } }
  userErrors { field message code } } }"""
CREATE_SIGNING_IN = """mutation($input: LoginCreateInput!) { loginCreate(input: $input) {
  login { name tokens { id label } } tokenId token userErrors { field message code } } }"""
UPDATE = """mutation($input: LoginUpdateInput!) { loginUpdate(input: $input) {
  login { name role disabled teamMember { name } tokens { id revokedAt } }
  userErrors { field message code } } }"""
TOKEN = """mutation($input: LoginTokenCreateInput!) { loginTokenCreate(input: $input) {
  login { name tokens { id label revokedAt } } tokenId token
  userErrors { field message code } } }"""
REVOKE = """mutation($input: LoginTokenRevokeInput!) { loginTokenRevoke(input: $input) {
  login { name tokens { id revokedAt } } userErrors { field message code } } }"""
ME = "{ me { userId roles teamMember { name } } }"
DEAL = "query($id: ID!) { node(id: $id) { ... on Opportunity { name } } }"
LI_NA = {"name": "li.na", "role": "account_manager", "teamMemberId": gid(K.TEAM_MEMBER, LI)}


@dataclass(frozen=True)
class World:
    store: GraphStore
    api: Api
    people: dict[str, Person]

    def as_(self, member: str) -> Api:
        return self.api.as_(self.people[member])

    def token(self, name: str = "li.na", label: str = "laptop") -> dict[str, Any]:
        return self.api.mutate(TOKEN, {"input": {"name": name, "label": label}})

    def signed_in(self, token: str) -> Api:
        return self.api.as_(Person("?", "?", None, token))


@pytest.fixture
def world(store: GraphStore) -> Iterator[World]:
    hospital_team(
        store,
        {
            LI: ("Li Na", "ACCOUNT_MANAGER"),
            WU: ("Wu Lei", "ACCOUNT_MANAGER"),
            ZHOU: ("Zhou", "SALES_DIRECTOR"),
        },
    )
    people = add_team(store, LOGINS)
    with serve(store) as api:
        yield World(store, api, people)


def _audit_text(store: GraphStore) -> str:
    rows = store.executor.read(f"MATCH (a:{AUDIT_LABEL}) RETURN properties(a) AS a", {})
    return repr([r["a"] for r in rows])


def test_the_administrator_onboards_li_na_and_her_token_signs_her_in(world: World) -> None:
    made = world.api.mutate(CREATE, {"input": LI_NA})
    assert made["login"] == {
        "name": "li.na",
        "role": "account_manager",
        "disabled": False,
        "teamMember": {"name": "Li Na"},
        "tokens": [],
    }
    issued = world.token()
    token = issued["token"]
    assert token.startswith(f"dg_{issued['tokenId']}_")
    assert issued["login"]["tokens"] == [
        {"id": issued["tokenId"], "label": "laptop", "revokedAt": None}
    ]

    li = world.signed_in(token)
    assert li.data(ME)["me"] == {
        "userId": "li.na",
        "roles": ["account_manager"],
        "teamMember": {"name": "Li Na"},
    }
    assert li.data(DEAL, {"id": gid(K.OPPORTUNITY, "his")})["node"] == {"name": "HIS"}

    # listed without the secret; the store and its audit trail keep no copy of it either
    response = world.api.post(LIST)
    secret = token.removeprefix(f"dg_{issued['tokenId']}_")  # the secret may hold "_" itself
    assert secret not in response.text
    logins = {x["name"]: x for x in response.json()["data"]["logins"]}
    assert set(logins) == {"admin", "li.na", "wu.lei", "zhou.wei"}
    assert logins["li.na"]["tokens"][0]["id"] == issued["tokenId"]
    assert logins["zhou.wei"]["role"] == "sales_director"
    assert secret not in _audit_text(world.store)
    stored = world.store.executor.read("MATCH (t:ApiToken) RETURN properties(t) AS t", {})
    assert secret not in repr(stored)

    revoked = world.api.mutate(REVOKE, {"input": {"tokenId": issued["tokenId"]}})
    assert revoked["login"]["tokens"][0]["revokedAt"] is not None
    answer = li.post(ME)
    assert answer.status_code == 401
    assert answer.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "loginTokenRevoke" not in _audit_text(world.store)


def test_a_login_given_with_its_first_token_signs_in_at_once(world: World) -> None:
    """The app's "Give a login": the login and the token it signs in with in one write, so a
    refusal or a failure never leaves a login nobody can sign in with."""
    made = world.api.mutate(CREATE_SIGNING_IN, {"input": {**LI_NA, "firstTokenLabel": "laptop"}})
    assert made["login"] == {
        "name": "li.na",
        "tokens": [{"id": made["tokenId"], "label": "laptop"}],
    }
    assert made["token"].startswith(f"dg_{made['tokenId']}_")
    assert world.signed_in(made["token"]).data(ME)["me"]["teamMember"] == {"name": "Li Na"}

    secret = made["token"].removeprefix(f"dg_{made['tokenId']}_")
    assert secret not in _audit_text(world.store)
    (entry,) = world.store.executor.read(
        f"MATCH (a:{AUDIT_LABEL} {{target_id: 'li.na'}}) RETURN a.operation AS op, a.changes AS c",
        {},
    )
    assert (entry["op"], json.loads(entry["c"])) == (
        "create",
        {
            "role": "account_manager",
            "member_id": LI,
            "token_id": made["tokenId"],
            "token_label": "laptop",
        },
    )

    # refused, neither the login nor a token is written (the helper compares the whole graph)
    taken = {**LI_NA, "firstTokenLabel": "again"}
    world.api.refused(CREATE_SIGNING_IN, {"input": taken}, "CONFLICT", ["input", "name"])
    nobody = {**LI_NA, "name": "ghost", "teamMemberId": gid(K.TEAM_MEMBER, "nobody")}
    world.api.refused(
        CREATE_SIGNING_IN,
        {"input": {**nobody, "firstTokenLabel": "x"}},
        "NOT_FOUND",
        ["input", "teamMemberId"],
    )
    without = world.api.mutate(CREATE_SIGNING_IN, {"input": {**LI_NA, "name": "li.na2"}})
    assert (without["token"], without["tokenId"], without["login"]["tokens"]) == (None, None, [])


def test_a_disabled_login_signs_in_with_none_of_its_tokens(world: World) -> None:
    world.api.mutate(CREATE, {"input": LI_NA})
    old = world.token()["token"]
    changed = world.api.mutate(UPDATE, {"input": {"name": "li.na", "role": "sales_director"}})
    assert changed["login"]["role"] == "sales_director"
    assert world.signed_in(old).data(ME)["me"]["roles"] == ["sales_director"]

    off = world.api.mutate(UPDATE, {"input": {"name": "li.na", "disabled": True}})
    assert off["login"]["disabled"] is True
    assert all(t["revokedAt"] is not None for t in off["login"]["tokens"])
    assert world.signed_in(old).post(ME).status_code == 401
    (error,) = world.api.refused(
        TOKEN, {"input": {"name": "li.na", "label": ""}}, "BAD_USER_INPUT", ["input", "name"]
    )
    assert error["message"] == "The login li.na is disabled: enable it first"

    world.api.mutate(UPDATE, {"input": {"name": "li.na", "disabled": False}})
    assert world.signed_in(old).post(ME).status_code == 401, "enabled, an old token came back"
    new = world.token()["token"]
    assert world.signed_in(new).data(ME)["me"]["userId"] == "li.na"

    unlinked = world.api.mutate(UPDATE, {"input": {"name": "li.na", "unlink": True}})
    assert unlinked["login"]["teamMember"] is None
    relinked = world.api.mutate(
        UPDATE, {"input": {"name": "li.na", "teamMemberId": gid(K.TEAM_MEMBER, WU)}}
    )
    assert relinked["login"]["teamMember"] == {"name": "Wu Lei"}


def test_a_lost_token_is_replaced_by_a_new_one_and_stops_signing_in_at_once(
    world: World,
) -> None:
    """Li Na lost her phone: the administrator gives her a new token that replaces the ones
    she has (the laptop's too, which she may have left logged in beside it), and they stop
    signing in in the same write. A token for another device (no replacing) keeps both."""
    world.api.mutate(CREATE, {"input": LI_NA})
    phone, laptop = world.token(label="phone"), world.token(label="laptop")
    for issued in (phone, laptop):
        assert world.signed_in(issued["token"]).data(ME)["me"]["userId"] == "li.na"
    replacing = {"name": "li.na", "label": "new phone", "replaceOthers": True}
    new = world.api.mutate(TOKEN, {"input": replacing})
    states = {t["id"]: t["revokedAt"] for t in new["login"]["tokens"]}
    assert states[new["tokenId"]] is None
    assert states[phone["tokenId"]] is not None
    assert states[laptop["tokenId"]] is not None
    for gone in (phone, laptop):
        assert world.signed_in(gone["token"]).post(ME).status_code == 401
    assert world.signed_in(new["token"]).data(ME)["me"]["userId"] == "li.na"
    another = world.token(label="tablet")
    assert world.signed_in(new["token"]).data(ME)["me"]["userId"] == "li.na"
    assert world.signed_in(another["token"]).data(ME)["me"]["userId"] == "li.na"
    # only an administrator replaces one, and a refused replacement revokes nothing
    world.as_(WU).refused(TOKEN, {"input": replacing}, "FORBIDDEN", [])
    assert world.signed_in(new["token"]).data(ME)["me"]["userId"] == "li.na"
    # nor their own: it would revoke the token they are signed in with
    own = {"name": "admin", "label": "new laptop", "replaceOthers": True}
    (error,) = world.api.refused(
        TOKEN, {"input": own}, "BAD_USER_INPUT", ["input", "replaceOthers"]
    )
    assert error["message"] == (
        "You are signed in with one of your tokens: give yourself one more, sign in with it, "
        "then revoke the old ones"
    )
    assert world.api.data(ME)["me"]["userId"] == "admin"


@pytest.mark.parametrize("member", [WU, ZHOU])
def test_only_an_administrator_reads_or_changes_logins(world: World, member: str) -> None:
    world.api.mutate(CREATE, {"input": LI_NA})
    issued = world.token()
    caller = world.as_(member)
    error = caller.top_error(LIST, None, "FORBIDDEN")
    assert error["message"] == (
        "Your role may not manage logins and their tokens; this needs the role administrator."
    )
    for query, variables in (
        (CREATE, {"input": {**LI_NA, "name": "mine"}}),
        (UPDATE, {"input": {"name": LOGINS[member][0], "role": "admin"}}),
        (UPDATE, {"input": {"name": "li.na", "disabled": True}}),
        (TOKEN, {"input": {"name": "li.na", "label": "mine"}}),
        (REVOKE, {"input": {"tokenId": issued["tokenId"]}}),
    ):
        caller.refused(query, variables, "FORBIDDEN", [])
    zh = caller.body(LIST, headers=ZH)["errors"][0]
    assert zh["message"] == "您的角色不能管理登录账号及其令牌，需要以下角色：管理员。"
    assert world.signed_in(issued["token"]).data(ME)["me"]["userId"] == "li.na"


def test_wrong_input_is_refused_at_its_field_in_the_reader_s_language(world: World) -> None:
    api = world.api

    def refused(query: str, given: dict[str, Any], code: str, field: str) -> tuple[str, str]:
        variables = {"input": given}
        (error,) = api.refused(query, variables, code, ["input", field])
        (zh,) = api.body(query, variables, headers=ZH)["data"].popitem()[1]["userErrors"]
        assert zh["field"] == ["input", field]
        return error["message"], zh["message"]

    assert refused(CREATE, {**LI_NA, "role": "emperor"}, "BAD_USER_INPUT", "role")[0].startswith(
        "must be one of admin, sales_director"
    )
    assert refused(CREATE, {**LI_NA, "name": "li na"}, "BAD_USER_INPUT", "name") == (
        "must be 1-100 letters, digits or _ . : - (starting with a letter or digit)",
        "须为 1-100 个字母、数字或 _ . : -（以字母或数字开头）",
    )
    unknown = {**LI_NA, "teamMemberId": gid(K.TEAM_MEMBER, "nobody")}
    assert refused(CREATE, unknown, "NOT_FOUND", "teamMemberId") == (
        "No team member with this id exists, or you may not see it",
        "该团队成员不存在，或您无权查看",
    )
    customer = {**LI_NA, "teamMemberId": gid(K.CUSTOMER, "c1")}
    refused(CREATE, customer, "BAD_USER_INPUT", "teamMemberId")
    assert refused(CREATE, {**LI_NA, "name": "wu.lei"}, "CONFLICT", "name") == (
        "A login named wu.lei already exists",
        "已有名为wu.lei的登录",
    )
    # two logins people cannot tell apart by their letters are one name
    assert refused(CREATE, {**LI_NA, "name": "Wu.Lei"}, "CONFLICT", "name") == (
        "A login named wu.lei already exists",
        "已有名为wu.lei的登录",
    )
    refused(UPDATE, {"name": "nobody", "role": "viewer"}, "NOT_FOUND", "name")
    refused(UPDATE, {"name": "wu.lei", "role": "emperor"}, "BAD_USER_INPUT", "role")
    refused(TOKEN, {"name": "nobody"}, "NOT_FOUND", "name")
    assert refused(REVOKE, {"tokenId": "0123456789abcdef"}, "NOT_FOUND", "tokenId")[0] == (
        "No API token with this id exists, or you may not see it"
    )
    assert refused(UPDATE, {"name": "admin", "disabled": True}, "BAD_USER_INPUT", "disabled") == (
        "You cannot disable your own login: another administrator does it",
        "不能停用您本人的登录，请由另一位管理员操作",
    )
    refused(UPDATE, {"name": "admin", "role": "viewer"}, "BAD_USER_INPUT", "role")
    # a NUL character names no login nor token, and is no label: refused, not a server error
    refused(UPDATE, {"name": "wu\x00lei", "role": "viewer"}, "NOT_FOUND", "name")
    refused(TOKEN, {"name": "wu\x00lei"}, "NOT_FOUND", "name")
    refused(REVOKE, {"tokenId": "0123\x00"}, "NOT_FOUND", "tokenId")
    nul = ("must not contain NUL characters", "不能包含 NUL 字符")
    assert refused(TOKEN, {"name": "wu.lei", "label": "a\x00b"}, "BAD_USER_INPUT", "label") == nul
    with_label = {**LI_NA, "firstTokenLabel": "a\x00b"}
    assert refused(CREATE, with_label, "BAD_USER_INPUT", "firstTokenLabel") == nul
    # what a token is for tells it apart in a list of buttons: a word or two, not a page
    long = ("must be at most 100 characters", "不能超过 100 个字符")
    before = api.data(LIST)
    assert refused(TOKEN, {"name": "wu.lei", "label": "x" * 101}, "BAD_USER_INPUT", "label") == long
    too_long = {**LI_NA, "firstTokenLabel": "x" * 101}
    assert refused(CREATE, too_long, "BAD_USER_INPUT", "firstTokenLabel") == long
    assert api.data(LIST) == before  # neither a token nor a login was made


def test_revoking_a_token_twice_says_since_when_it_is_revoked(world: World) -> None:
    """Two tabs, or a retry: the second revocation is told the token is revoked already and
    since when, in the reader's language, and writes nothing; an unknown token stays unknown."""
    world.api.mutate(CREATE, {"input": LI_NA})
    issued = world.token()
    revoke = {"input": {"tokenId": issued["tokenId"]}}
    first = world.api.mutate(REVOKE, revoke)
    revoked_at = first["login"]["tokens"][0]["revokedAt"]
    at = datetime.fromisoformat(revoked_at).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")

    (error,) = world.api.refused(REVOKE, revoke, "CONFLICT", ["input", "tokenId"])
    assert error["message"] == f"The token “laptop” of li.na was already revoked on {at}"
    (zh,) = world.api.body(REVOKE, revoke, headers=ZH)["data"]["loginTokenRevoke"]["userErrors"]
    assert zh == {
        "field": ["input", "tokenId"],
        "message": f"li.na的令牌“laptop”已于{at}撤销",
        "code": "CONFLICT",
    }
    listed = {x["name"]: x for x in world.api.data(LIST)["logins"]}
    assert listed["li.na"]["tokens"][0]["revokedAt"] == revoked_at, "the first date stays"
    revocations = world.store.executor.read(
        f"MATCH (a:{AUDIT_LABEL} {{operation: 'revoke'}}) RETURN count(a) AS n", {}
    )
    assert revocations[0]["n"] == 1
    unknown = {"input": {"tokenId": "0123456789abcdef"}}
    world.api.refused(REVOKE, unknown, "NOT_FOUND", ["input", "tokenId"])
