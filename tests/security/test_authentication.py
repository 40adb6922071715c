"""Authentication: bearer API tokens stored as hashes, optional JWTs, 401 for anything else."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
from security_helpers import Client, World, open_app, secure_settings, seed
from starlette.testclient import TestClient

from domain.model import NodeKind
from graph.executor import Executor
from graph.security_store import SecurityStore, hash_secret, split_token

ME = "{ me { userId roles seesEverything teamMember { name } } }"
JWT_KEY = "a-test-signing-key-that-is-long-enough-for-hs256"


@pytest.fixture(scope="module")
def world(api_executor: Executor) -> World:
    return seed(api_executor)


@pytest.fixture(scope="module")
def http(world: World) -> Iterator[TestClient]:
    settings = secure_settings(jwt_key=JWT_KEY, jwt_audience="dealgraph", jwt_issuer="https://idp")
    with open_app(world.store, settings) as client:
        yield client


INVALID_TOKEN = (
    'Bearer realm="dealgraph", error="invalid_token", '
    'error_description="the credentials are invalid, expired or revoked"'
)


def unauthenticated(response: Any, challenge: str = INVALID_TOKEN) -> None:
    """A 401 whose challenge says what RFC 6750 says it should: a token sent and no good is an
    ``invalid_token`` (a mobile client signs in again on it); none sent, the realm alone."""
    status = response.status_code
    body = response.json()
    assert status == 401, body
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "requestId" in body["errors"][0]["extensions"]
    assert response.headers["WWW-Authenticate"] == challenge


def test_health_checks_need_no_credentials(http: TestClient) -> None:
    client = Client(http, None)
    assert client.http.get("/healthz").status_code == 200
    assert client.http.get("/readyz").status_code == 200


NONE_SENT = 'Bearer realm="dealgraph"'


@pytest.mark.parametrize(
    ("header", "challenge"),
    [
        (None, NONE_SENT),
        ("", NONE_SENT),
        ("Bearer", NONE_SENT),
        ("Bearer ", NONE_SENT),
        ("Basic YWxpY2U6c2VjcmV0", NONE_SENT),
        ("Bearer dg_nothing_here", INVALID_TOKEN),
        ("Bearer dg_0123456789abcdef_wrongsecretwrongsecretwrongsecret", INVALID_TOKEN),
        ("Bearer not.a.jwt", INVALID_TOKEN),
        ("bearer " + "x" * 9000, INVALID_TOKEN),
    ],
)
def test_missing_or_bad_credentials_are_unauthenticated(
    http: TestClient, header: str | None, challenge: str
) -> None:
    client = Client(http, None)
    headers = {} if header is None else {"Authorization": header}
    unauthenticated(client.http.post("/graphql", json={"query": ME}, headers=headers), challenge)
    unauthenticated(client.http.get("/graphql", params={"query": ME}, headers=headers), challenge)


def test_a_token_names_its_user(http: TestClient, world: World) -> None:
    body = Client(http, world.tokens["alice"]).gql(ME)
    assert body["data"]["me"] == {
        "userId": "alice",
        "roles": ["account_manager"],
        "seesEverything": False,
        "teamMember": {"name": "Alice"},
    }
    admin = Client(http, world.tokens["ada"]).gql(ME)
    assert admin["data"]["me"]["seesEverything"] is True


def test_a_token_with_a_wrong_secret_is_refused(http: TestClient, world: World) -> None:
    token_id, secret = split_token(world.tokens["bob"]) or ("", "")
    forged = f"dg_{token_id}_{secret[:-4]}AAAA"
    unauthenticated(Client(http, forged).post(ME))


def test_a_secret_holding_underscores_is_read_whole() -> None:
    """The secret is URL-safe base64 and may hold "_": only the first "_" after the id splits."""
    assert split_token("dg_4a8138b6_Xq_3vR_9kLm_Zp2w_Tn8bY_I") == (
        "4a8138b6",
        "Xq_3vR_9kLm_Zp2w_Tn8bY_I",
    )
    assert split_token("dg_4a8138b6") is None


def test_only_the_hash_of_a_token_is_stored(world: World) -> None:
    token_id, secret = split_token(world.tokens["alice"]) or ("", "")
    rows = world.store.executor.read(
        "MATCH (n) WHERE any(k IN keys(n) WHERE toString(n[k]) CONTAINS $s) RETURN count(n) AS c",
        {"s": secret},
    )
    assert rows[0]["c"] == 0
    stored = world.store.executor.read(
        "MATCH (t:ApiToken {id: $id}) RETURN t.hash AS h", {"id": token_id}
    )
    assert stored[0]["h"] == hash_secret(secret)


def test_a_revoked_token_stops_working(http: TestClient, world: World) -> None:
    security = SecurityStore(world.store)
    issued = security.issue_token("bob", "laptop")
    client = Client(http, issued.token)
    assert client.gql(ME)["data"]["me"]["userId"] == "bob"
    security.revoke_token(issued.token_id)
    unauthenticated(client.post(ME))
    listed = {t["id"]: t for u in security.list_users() for t in u["tokens"]}
    assert listed[issued.token_id]["revoked_at"] is not None
    assert all("hash" not in t for t in listed.values())


def _jwt(**claims: object) -> str:
    payload = {
        "sub": "alice",
        "aud": "dealgraph",
        "iss": "https://idp",
        "exp": int(time.time()) + 300,
        **claims,
    }
    return jwt.encode(payload, JWT_KEY, algorithm="HS256")


def test_a_jwt_maps_its_subject_to_a_user(http: TestClient) -> None:
    body = Client(http, _jwt()).gql(ME)
    assert body["data"]["me"]["userId"] == "alice"


@pytest.mark.parametrize(
    "claims",
    [
        {"exp": int(time.time()) - 10},
        {"aud": "someone-else"},
        {"iss": "https://evil"},
        {"sub": "nobody"},
    ],
)
def test_a_bad_jwt_is_unauthenticated(http: TestClient, claims: dict[str, object]) -> None:
    unauthenticated(Client(http, _jwt(**claims)).post(ME))


def test_a_jwt_signed_with_another_key_is_refused(http: TestClient) -> None:
    token = jwt.encode(
        {"sub": "ada", "aud": "dealgraph", "iss": "https://idp", "exp": int(time.time()) + 60},
        "another-key-another-key-another-key!",
        algorithm="HS256",
    )
    unauthenticated(Client(http, token).post(ME))


def test_without_auth_required_the_caller_is_the_developer(world: World) -> None:
    with open_app(world.store, secure_settings(auth_required=False)) as http:
        body = Client(http, None).gql(ME)
    assert body["data"]["me"]["userId"] == "developer"
    assert body["data"]["me"]["seesEverything"] is True


def test_a_refused_credential_is_explained_in_the_requests_language(http: TestClient) -> None:
    said = {}
    for language, header in (("zh-CN", None), ("zh", "Bearer dg_nothing_here"), ("en", None)):
        headers = {"Accept-Language": language}
        if header is not None:
            headers["Authorization"] = header
        response = http.post("/graphql", json={"query": ME}, headers=headers)
        # the challenge is for software, in English whatever the request's language
        unauthenticated(response, NONE_SENT if header is None else INVALID_TOKEN)
        said[language] = response.json()["errors"][0]["message"]
    assert said == {
        "zh-CN": "需要登录：请在请求中发送 'Authorization: Bearer <令牌>'",
        "zh": "凭据无效、已过期或已被吊销",
        "en": "authentication is required: send 'Authorization: Bearer <token>'",
    }


def test_me_comes_with_the_credentials_and_is_never_stale(http: TestClient, world: World) -> None:
    """The caller and their team member are read in one statement with the token, afresh for
    every request: a renamed member shows on the next request."""
    client = Client(http, world.tokens["alice"])
    before = world.store.round_trips
    assert client.gql(ME)["data"]["me"]["teamMember"] == {"name": "Alice"}
    assert world.store.round_trips - before == 1
    world.store.update(NodeKind.TEAM_MEMBER, "m-alice", {"name": "Alice Renamed"})
    try:
        assert client.gql(ME)["data"]["me"]["teamMember"] == {"name": "Alice Renamed"}
    finally:
        world.store.update(NodeKind.TEAM_MEMBER, "m-alice", {"name": "Alice"})
    assert client.gql(ME)["data"]["me"]["teamMember"] == {"name": "Alice"}
