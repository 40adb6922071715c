"""Who sees what by role, who may write, and the GraphQL limits of every request."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from security_helpers import MARK, Client, World, codes, gid, open_app, secure_settings, seed
from starlette.testclient import TestClient

from domain.model import EdgeKind, NodeKind
from graph.executor import Executor
from graph.security_store import SecurityStore

OPPORTUNITIES = "{ opportunities { totalCount nodes { id } } customers { totalCount } }"


@pytest.fixture(scope="module")
def world(api_executor: Executor) -> World:
    return seed(api_executor)


@pytest.fixture(scope="module")
def http(world: World) -> Iterator[TestClient]:
    with open_app(world.store) as client:
        yield client


def visible_opportunities(http: TestClient, token: str) -> set[str]:
    body = Client(http, token).gql(OPPORTUNITIES)
    return {node["id"] for node in body["data"]["opportunities"]["nodes"]}


def test_each_role_sees_its_teams(http: TestClient, world: World) -> None:
    ours, secret = gid(NodeKind.OPPORTUNITY, "o-ours"), gid(NodeKind.OPPORTUNITY, "o-secret")
    assert visible_opportunities(http, world.tokens["alice"]) == {ours}
    assert visible_opportunities(http, world.tokens["bob"]) == {secret}
    assert visible_opportunities(http, world.tokens["dora"]) == {secret}, "Dora manages Bob"
    assert visible_opportunities(http, world.tokens["vic"]) == {ours}
    assert visible_opportunities(http, world.tokens["ada"]) == {ours, secret}


def test_an_account_team_sees_all_deals_of_the_account(http: TestClient, world: World) -> None:
    security = SecurityStore(world.store)
    world.store.create(NodeKind.TEAM_MEMBER, {"name": "Kai"}, node_id="m-kai")
    world.store.set_edge(
        EdgeKind.ON_TEAM,
        (NodeKind.TEAM_MEMBER, "m-kai"),
        (NodeKind.CUSTOMER, "c-secret"),
        {"role": "ACCOUNT_MANAGER"},
    )
    security.add_user("kai", "account_manager", "m-kai")
    token = security.issue_token("kai").token
    assert visible_opportunities(http, token) == {gid(NodeKind.OPPORTUNITY, "o-secret")}


def test_a_viewer_cannot_write(http: TestClient, world: World) -> None:
    body = Client(http, world.tokens["vic"]).gql(
        "mutation($id: ID!) { opportunityUpdate(id: $id, input: {version: 1, name: 'x'}) "
        "{ userErrors { code } } }".replace("'", '"'),
        {"id": gid(NodeKind.OPPORTUNITY, "o-ours")},
    )
    assert codes(body) == ["FORBIDDEN"]


@pytest.mark.parametrize(
    ("mutation", "variables"),
    [
        ('teamMemberCreate(input: {name: "Eve"})', {}),
        ("customerDelete(id: $id)", {"id": gid(NodeKind.CUSTOMER, "c-ours")}),
        ("keyPersonErase(id: $id)", {"id": gid(NodeKind.KEY_PERSON, "p-ours")}),
    ],
)
def test_some_writes_need_more_than_a_team_role(
    http: TestClient, world: World, mutation: str, variables: dict[str, str]
) -> None:
    head = "mutation($id: ID!)" if variables else "mutation"
    body = Client(http, world.tokens["alice"]).gql(
        f"{head} {{ {mutation} {{ userErrors {{ code message }} }} }}", variables
    )
    assert codes(body) == ["FORBIDDEN"], body


def test_a_refusal_names_what_was_refused_and_who_may_in_the_requests_language(
    http: TestClient, world: World
) -> None:
    query = "mutation($id: ID!) { customerDelete(id: $id) { userErrors { code message } } }"
    variables = {"id": gid(NodeKind.CUSTOMER, "c-ours")}
    headers = {"Authorization": f"Bearer {world.tokens['alice']}"}
    answers = {}
    for language in ("zh-CN", "en"):
        response = http.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={**headers, "Accept-Language": language},
        )
        (problem,) = response.json()["data"]["customerDelete"]["userErrors"]
        assert problem["code"] == "FORBIDDEN"
        answers[language] = problem["message"]
    assert answers == {
        "zh-CN": "您的角色不能删除客户，需要以下角色：管理员。",
        "en": "Your role may not delete a customer; this needs the role administrator.",
    }


def test_joining_an_account_team_needs_a_lead(http: TestClient, world: World) -> None:
    body = Client(http, world.tokens["alice"]).gql(
        "mutation($m: ID!, $t: ID!) { teamAssign(input: {memberId: $m, targetId: $t, "
        "role: ACCOUNT_MANAGER}) { userErrors { code } } }",
        {"m": gid(NodeKind.TEAM_MEMBER, "m-alice"), "t": gid(NodeKind.CUSTOMER, "c-ours")},
    )
    assert codes(body) == ["FORBIDDEN"]


# --- limits ------------------------------------------------------------------------------------


def _nested(depth: int) -> str:
    inner = "id"
    for _ in range(depth):
        inner = f"reportsTo {{ {inner} }}"
    return "{ keyPersons(first: 1) { nodes { " + inner + " } } }"


def _refused(http: TestClient, token: str, query: str, limit: str) -> None:
    response = Client(http, token).post(query)
    body = response.json()
    assert response.status_code < 500
    assert body.get("data") is None, body
    assert codes(body) == ["BAD_USER_INPUT"], body
    assert limit in body["errors"][0]["message"], body


def test_each_limit_is_named_when_breached(http: TestClient, world: World) -> None:
    token = world.tokens["alice"]
    assert "errors" not in Client(http, token).gql(_nested(6))
    _refused(http, token, _nested(12), "maxDepth")
    aliases = " ".join(f"a{i}: me {{ userId }}" for i in range(16))
    _refused(http, token, f"{{ {aliases} }}", "maxAliases")
    tokens = " ".join("__typename" for _ in range(2100))
    _refused(http, token, f"{{ {tokens} }}", "maxTokens")
    costly = "{ customers(first: 100) { nodes { keyPersons(first: 100) { nodes { name } } } } }"
    _refused(http, token, costly, "maxCost")


def test_cost_counts_variables_and_default_pages(http: TestClient, world: World) -> None:
    query = (
        "query($n: Int) { customers(first: $n) "
        "{ nodes { keyPersons(first: 50) { nodes { name } } } } }"
    )
    client = Client(http, world.tokens["alice"])
    assert "errors" not in client.gql(query, {"n": 10})
    body = client.gql(query, {"n": 100})
    assert codes(body) == ["BAD_USER_INPUT"]
    assert "maxCost" in body["errors"][0]["message"]


def test_limits_come_from_settings(world: World) -> None:
    settings = secure_settings(max_depth=3, max_aliases=1, max_cost=10)
    with open_app(world.store, settings) as http:
        token = world.tokens["alice"]
        _refused(http, token, _nested(3), "maxDepth = 3")
        _refused(http, token, "{ a: me { userId } b: me { userId } }", "maxAliases = 1")
        _refused(http, token, "{ customers(first: 20) { nodes { id } } }", "maxCost of 10")


def test_a_page_holds_at_most_100(http: TestClient, world: World) -> None:
    body = Client(http, world.tokens["alice"]).gql("{ customers(first: 101) { totalCount } }")
    assert codes(body) == ["BAD_USER_INPUT"]


def test_request_bodies_are_limited_also_when_chunked(http: TestClient, world: World) -> None:
    headers = {"Authorization": f"Bearer {world.tokens['alice']}"}
    big = json.dumps({"query": "{ me { userId } }", "variables": {"pad": "x" * 100_001}})
    declared = http.post(
        "/graphql", content=big, headers=headers | {"content-type": "application/json"}
    )
    assert declared.status_code == 413
    assert declared.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "maxBodyBytes" in declared.json()["errors"][0]["message"]

    def chunks() -> Iterator[bytes]:
        data = big.encode()
        for start in range(0, len(data), 8192):
            yield data[start : start + 8192]

    chunked = http.post(
        "/graphql", content=chunks(), headers=headers | {"content-type": "application/json"}
    )
    assert chunked.status_code == 413
    small = http.post(
        "/graphql",
        content=iter([b'{"query": "{ me { userId } }"}']),
        headers=headers | {"content-type": "application/json"},
    )
    assert small.status_code == 200, small.text
    assert small.json()["data"]["me"]["userId"] == "alice"


def test_batching_is_off(http: TestClient, world: World) -> None:
    response = http.post(
        "/graphql",
        json=[{"query": "{ me { userId } }"}, {"query": "{ me { userId } }"}],
        headers={"Authorization": f"Bearer {world.tokens['alice']}"},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_production_hides_introspection_ide_and_suggestions(world: World) -> None:
    token = world.tokens["alice"]
    with open_app(world.store, secure_settings()) as dev:
        assert "__schema" in Client(dev, token).post("{ __schema { queryType { name } } }").text
        page = dev.get("/graphql", headers={"accept": "text/html"})
        assert page.status_code == 200
        assert "graphiql" in page.text.lower()
        typo = Client(dev, token).gql("{ customer { totalCount } }")
        assert "Did you mean" in typo["errors"][0]["message"]
    with open_app(world.store, secure_settings(mode="production")) as prod:
        client = Client(prod, token)
        body = client.gql("{ __schema { queryType { name } } }")
        assert set(codes(body)) == {"BAD_USER_INPUT"}
        assert body.get("data") is None
        assert prod.get("/graphql", headers={"accept": "text/html"}).status_code in (401, 404)
        typo = client.gql("{ customer { totalCount } }")
        assert set(codes(typo)) == {"BAD_USER_INPUT"}
        assert all("Did you mean" not in e["message"] for e in typo["errors"]), typo
        assert client.gql("{ me { userId } }")["data"]["me"]["userId"] == "alice"


def test_a_director_reads_only_the_history_of_what_they_see(http: TestClient, world: World) -> None:
    dan = Client(http, world.tokens["dan"])  # a director with no team: sees nothing
    query = "query($t: ID) { auditLog(targetId: $t) { totalCount nodes { changes } } }"
    whole = dan.gql(query, {"t": None})
    assert codes(whole) == ["FORBIDDEN"]
    assert "SECRET" not in json.dumps(whole)
    hidden = dan.gql(query, {"t": gid(NodeKind.OPPORTUNITY, "o-secret")})
    assert codes(hidden) == ["NOT_FOUND"]
    assert "SECRET" not in json.dumps(hidden)
    dora = Client(http, world.tokens["dora"])
    own = dora.gql(query, {"t": gid(NodeKind.OPPORTUNITY, "o-secret")})
    assert own["data"]["auditLog"]["totalCount"] >= 1
    admin = Client(http, world.tokens["ada"]).gql(query, {"t": None})
    assert admin["data"]["auditLog"]["totalCount"] > own["data"]["auditLog"]["totalCount"]


def test_audit_log_refusals_speak_the_requests_language(http: TestClient, world: World) -> None:
    query = "query($t: ID) { auditLog(targetId: $t) { totalCount } }"
    chinese = {"Accept-Language": "zh-CN,zh;q=0.9"}
    for who, english, zh in (
        ("alice", "your role may not read the audit log", "您的角色不能读取审计日志"),
        (
            "dan",
            "targetId: name the node whose history you want; the whole log is for administrators",
            "targetId：请指明要查看哪个节点的历史；完整日志只供管理员查看",
        ),
    ):
        caller = {"Authorization": f"Bearer {world.tokens[who]}"}
        for headers, message in ((caller, english), ({**caller, **chinese}, zh)):
            body = http.post(
                "/graphql", json={"query": query, "variables": {"t": None}}, headers=headers
            ).json()
            assert [(e["message"], e["extensions"]["code"]) for e in body["errors"]] == [
                (message, "FORBIDDEN")
            ], who


# --- the sales process, each person with their own login ----------------------------------------

REQUEST = """mutation($o: ID!) { approvalRequest(input: {opportunityId: $o, process: "1-1"}) {
  approval { id history { actorId actorRoles } } userErrors { field message code } } }"""


def test_process_steps_act_as_the_callers_linked_member_within_their_deals(
    http: TestClient, world: World
) -> None:
    ours, secret = gid(NodeKind.OPPORTUNITY, "o-ours"), gid(NodeKind.OPPORTUNITY, "o-secret")
    alice = Client(http, world.tokens["alice"])
    requested = alice.gql(REQUEST, {"o": ours})["data"]["approvalRequest"]
    assert requested["userErrors"] == []
    assert requested["approval"]["history"] == [
        {"actorId": "m-alice", "actorRoles": ["ACCOUNT_MANAGER"]}
    ]
    hidden = alice.gql(REQUEST, {"o": secret})
    assert codes(hidden) == ["NOT_FOUND"]
    assert MARK not in json.dumps(hidden)
    # Dora directs Bob's team: she decides Bob's request as herself, the director.
    bob_request = Client(http, world.tokens["bob"]).gql(REQUEST, {"o": secret})
    approval = bob_request["data"]["approvalRequest"]["approval"]["id"]
    decided = Client(http, world.tokens["dora"]).gql(
        """mutation($id: ID!) { approvalDecide(id: $id, input: {decision: APPROVE}) {
          approval { state decidedBy { name } } userErrors { code } } }""",
        {"id": approval},
    )["data"]["approvalDecide"]
    assert decided == {
        "approval": {"state": "APPROVED", "decidedBy": {"name": "Dora"}},
        "userErrors": [],
    }


def test_an_administrator_without_a_member_link_is_told_so_by_name(
    http: TestClient, world: World
) -> None:
    body = Client(http, world.tokens["ada"]).gql(
        REQUEST, {"o": gid(NodeKind.OPPORTUNITY, "o-ours")}
    )
    errors = body["data"]["approvalRequest"]["userErrors"]
    assert [e["code"] for e in errors] == ["FORBIDDEN"]
    assert "User ada is not linked to a team member" in errors[0]["message"]
