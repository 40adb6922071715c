"""Benchmark: saving a four-change what-if on the demo deal, one write against four.

The page used to save a what-if through the ordinary mutations, one request per change (the
quote, the price heard as a pricing discussion, an attitude, a tie); it now sends one
``opportunityWhatIfSave`` that writes them all in one statement. Both run in this process over
the app (Starlette's TestClient, authentication on, the demo's account manager's own token) on
the embedded store; printed: the median time of each way and their ratio, measured in one run,
alternating the two ways so the store grows alike under both.

    .venv/bin/python benchmarks/bench_what_if_save.py [--saves 30]
"""

from __future__ import annotations

import argparse
import base64
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

# the test client's own notice about its HTTP library: not this benchmark's business
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
from starlette.testclient import TestClient  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dealgraph.app import create_app  # noqa: E402
from dealgraph.demo import DEMO_OPPORTUNITY_ID, load_demo  # noqa: E402
from dealgraph.settings import Settings  # noqa: E402
from graph.backends.embedded import EmbeddedExecutor  # noqa: E402
from graph.security_store import SecurityStore  # noqa: E402
from graph.store import GraphStore  # noqa: E402


def gid(kind: str, raw: str) -> str:
    return base64.b64encode(f"{kind}:{raw}".encode()).decode()


DEAL = gid("Opportunity", DEMO_OPPORTUNITY_ID)
ACCOUNTANT = gid("KeyPerson", "demo-kp-chief-accountant")
NURSING = gid("KeyPerson", "demo-kp-nursing")
PRESIDENT = gid("KeyPerson", "demo-kp-president")
EXPERT = gid("TeamMember", "demo-tm-lead-expert")
MANAGER = gid("TeamMember", "demo-tm-account")
READ = """query($id: ID!) { node(id: $id) { ... on Opportunity { version
  decisionChain { members { person { id } version role } } } } }"""
SAVE = """mutation($id: ID!, $input: WhatIfSaveInput!) { opportunityWhatIfSave(id: $id,
  input: $input) { opportunity { version } userErrors { message } } }"""
QUOTE = """mutation($id: ID!, $input: OpportunityUpdateInput!) { opportunityUpdate(id: $id,
  input: $input) { opportunity { version updatedAt } userErrors { message } } }"""
TALK = """mutation($input: ActivityLogInput!) { activityLog(input: $input) {
  activity { id } userErrors { message } } }"""
PLACE = """mutation($input: DecisionChainMemberInput!) { decisionChainMemberSet(input: $input) {
  keyPerson { id } userErrors { message } } }"""
KNOWS = """mutation($input: KnowsInput!) { knowsSet(input: $input) {
  keyPerson { id } userErrors { message } } }"""
ATTITUDES = ("SUPPORTER", "CHAMPION")
LEVELS = ("STRONG", "MODERATE")


def post(client: TestClient, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    body = client.post("/graphql", json={"query": query, "variables": variables}).json()
    assert "errors" not in body, body
    (payload,) = body["data"].values()
    assert not payload.get("userErrors"), payload
    data: dict[str, Any] = body["data"]
    return data


def read(client: TestClient) -> tuple[int, dict[str, dict[str, Any]]]:
    node = post(client, READ, {"id": DEAL})["node"]
    places = {m["person"]["id"]: m for m in node["decisionChain"]["members"]}
    return int(node["version"]), places


def one_write(client: TestClient, i: int) -> float:
    version, places = read(client)
    changes = [
        {"kind": "SET_QUOTE", "amount": 4_000_000_000 - i * 100},
        {"kind": "PRICE_HEARD", "personId": ACCOUNTANT, "reaction": "POSITIVE"},
        {
            "kind": "SET_ATTITUDE",
            "personId": NURSING,
            "attitude": ATTITUDES[i % 2],
            "expectedVersion": places[NURSING]["version"],
        },
        {
            "kind": "RAISE_CLOSENESS",
            "personId": PRESIDENT,
            "memberId": EXPERT,
            "level": LEVELS[i % 2],
        },
    ]
    started = time.perf_counter()
    post(client, SAVE, {"id": DEAL, "input": {"version": version, "changes": changes}})
    return (time.perf_counter() - started) * 1000


def four_writes(client: TestClient, i: int) -> float:
    version, places = read(client)
    started = time.perf_counter()
    quoted = post(
        client, QUOTE, {"id": DEAL, "input": {"version": version, "quoteAmount": 3_900_000_000 - i}}
    )["opportunityUpdate"]["opportunity"]
    talk = {
        "type": "PRICING_DISCUSSION",
        "occurredAt": quoted["updatedAt"],
        "summary": "heard our price",
        "personIds": [ACCOUNTANT],
        "memberIds": [MANAGER],
        "opportunityId": DEAL,
        "outcome": "POSITIVE",
        "priceReaction": "POSITIVE",
    }
    post(client, TALK, {"input": talk})
    place = places[NURSING]
    post(
        client,
        PLACE,
        {
            "input": {
                "personId": NURSING,
                "opportunityId": DEAL,
                "role": place["role"],
                "attitude": ATTITUDES[(i + 1) % 2],
                "expectedVersion": place["version"],
            }
        },
    )
    tie = {"targetPersonId": PRESIDENT, "memberId": EXPERT, "level": LEVELS[(i + 1) % 2]}
    post(client, KNOWS, {"input": tie})
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--saves", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dealgraph-what-if-") as tmp:
        store = GraphStore(EmbeddedExecutor(Path(tmp) / "db", fsync="no"))
        store.ensure_schema()
        load_demo(store)
        security = SecurityStore(store)
        security.add_user("li", "account_manager", "demo-tm-account")
        token = security.issue_token("li").token
        settings = Settings(
            mode="development",
            auth_required=True,
            data_dir=Path(tmp),
            warm_deals=0,
            webhooks_dispatch=False,
        )
        app = create_app(settings, store=store)
        headers = {"Authorization": f"Bearer {token}"}
        with TestClient(app, headers=headers) as client:
            one_write(client, 0)  # warm both ways up
            four_writes(client, 0)
            one: list[float] = []
            four: list[float] = []
            for i in range(1, args.saves + 1):
                one.append(one_write(client, i))
                four.append(four_writes(client, i))
        store.executor.close()
    a, b = statistics.median(one), statistics.median(four)
    print(f"what-if of 4 changes, {args.saves} saves each, embedded store, own login")
    print(f"  one opportunityWhatIfSave:  p50 {a:.1f} ms")
    print(f"  four ordinary mutations:    p50 {b:.1f} ms")
    print(f"  four / one: {b / a:.2f}")


if __name__ == "__main__":
    main()
