"""Erasing a key person also removes their name where the work plan quotes it about someone
else: an accepted warm introduction names the person who introduces us, a champion play
names the champion; neither item targets them, yet its rationale, its audit history and its
webhook events carried their name."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from api_helpers import ZH, Api, gid, open_api, raw
from people import add_person

from dealgraph.demo import DEMO_OPPORTUNITY_ID, load_demo
from domain.model import NodeKind
from graph.executor import Executor
from graph.security_store import ERASED_NAME

OPPORTUNITY = gid(NodeKind.OPPORTUNITY, DEMO_OPPORTUNITY_ID)
PRESIDENT = gid(NodeKind.KEY_PERSON, "demo-kp-president")
INTRODUCER = "demo-kp-vp-medical"
NAMES = ("孙丽华", "Sun Lihua")
ACCEPT = """mutation($i: SuggestionAcceptInput!) { workPlanSuggestionAccept(input: $i) {
  workPlanItem { id rationale } userErrors { field message code } } }"""
ERASE = """mutation($id: ID!) { keyPersonErase(id: $id) {
  keyPerson { name } userErrors { field message code } } }"""
EXPORT = "query($id: ID!) { keyPersonExport(id: $id) }"
ITEM = "query($id: ID!) { node(id: $id) { ... on WorkPlanItem { title rationale } } }"
AUDIT = "query($id: ID!) { auditLog(targetId: $id) { edges { node { changes } } } }"


@pytest.fixture(scope="module")
def api(api_executor: Executor) -> Iterator[Api]:
    with open_api(api_executor) as served:
        load_demo(served.store)
        yield served


def _everything_stored(api: Api) -> str:
    """Every property of every node, audit entries and webhook events included."""
    rows = api.store.executor.read("MATCH (n) RETURN properties(n) AS p", {})
    return json.dumps(rows, ensure_ascii=False, default=str)


def test_an_introducer_erased_is_no_longer_named_by_the_introduction_planned_through_them(
    api: Api,
) -> None:
    li = api.as_(add_person(api.store, "li", "account_manager", "demo-tm-account"))
    sent = {
        "opportunityId": OPPORTUNITY,
        "actionKey": "warm_introduction",
        "targetPersonId": PRESIDENT,
    }
    item = li.mutate(ACCEPT, {"i": sent})["workPlanItem"]
    assert "孙丽华" in item["rationale"], item  # the path runs through the medical VP

    # What a data-subject request exports names the introduction planned through them.
    exported = api.data(EXPORT, {"id": gid(NodeKind.KEY_PERSON, INTRODUCER)})["keyPersonExport"]
    named_in = exported["work_plan_items_naming_them"]
    assert [(i["item"]["id"], i["opportunity_id"]) for i in named_in] == [
        (raw(item["id"]), DEMO_OPPORTUNITY_ID)
    ]
    assert "孙丽华" in named_in[0]["item"]["rationale"]

    erased = api.mutate(ERASE, {"id": gid(NodeKind.KEY_PERSON, INTRODUCER)})
    placeholder = erased["keyPerson"]["name"]
    for headers in ({}, ZH):
        shown = api.body(ITEM, {"id": item["id"]}, headers=headers)["data"]["node"]
        assert not any(name in json.dumps(shown, ensure_ascii=False) for name in NAMES), shown
        assert placeholder in shown["rationale"], shown  # still says why, without the name
    history = json.dumps(api.data(AUDIT, {"id": item["id"]}), ensure_ascii=False)
    assert not any(name in history for name in NAMES), history
    assert placeholder in history  # the item's history is kept, without the name
    stored = _everything_stored(api)
    assert [name for name in NAMES if name in stored] == []  # nor in audit entries or events


def test_the_deal_s_history_still_reads_after_the_erasure(api: Api) -> None:
    """Runs after the erasure above: the chain then, the changes and the trend answer as
    before, and none of them names the erased person."""
    query = """query($id: ID!) { node(id: $id) { ... on Opportunity {
      decisionChain(asOf: "2026-01-01T00:00:00Z") { members { person { name } } }
      changes(from: "2020-01-01T00:00:00Z") { changes { person { name } text } }
      likelihoodHistory { at winLikelihood } } } }"""
    for headers in ({}, ZH):
        body = api.body(query, {"id": OPPORTUNITY}, headers=headers)
        assert "errors" not in body, body
        text = json.dumps(body, ensure_ascii=False)
        assert not any(name in text for name in NAMES), text


def test_an_item_naming_one_erased_person_is_not_taken_for_another(api: Api) -> None:
    """Runs after the erasure above: every erased person bears the same placeholder, so a
    second erasure, or the export of an erased person, must not take the items that named the
    first for their own."""
    (naming,) = api.store.executor.read(
        "MATCH (q:WorkPlanItem) WHERE q.rationale_clauses CONTAINS $placeholder "
        "RETURN q.id AS id, q.version AS version",
        {"placeholder": '"' + ERASED_NAME + '"'},
    )
    procurement = gid(NodeKind.KEY_PERSON, "demo-kp-procurement")
    for _ in range(2):  # the second erasure of the same person, too
        assert api.mutate(ERASE, {"id": procurement})["keyPerson"]["name"] == ERASED_NAME
    exported = api.data(EXPORT, {"id": procurement})["keyPersonExport"]
    assert exported["work_plan_items_naming_them"] == []
    (after,) = api.store.executor.read(
        "MATCH (q:WorkPlanItem {id: $id}) RETURN q.version AS version", {"id": naming["id"]}
    )
    assert after["version"] == naming["version"]  # the item about the introducer is untouched
