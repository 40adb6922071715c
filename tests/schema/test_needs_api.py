"""A key person's needs, as the account manager records them with his own login: put on the
chain first (the usual order: the name before the needs), their needs added later without
touching their role, attitude or influence; the process's "Record the needs of every key
person" names whose are still missing, in the request's language.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from api_helpers import Api, gid, open_api
from process_walk import CHAIN, Walk, set_up

from domain.model import NodeKind
from graph.executor import Executor

TRY_PROPOSAL = """mutation($id: ID!) {
  opportunityAdvance(id: $id, input: { toStage: PROPOSAL }) {
    opportunity { stage } problems { path message messageEn messageZh } } }"""
PLACE = """query($id: ID!) { node(id: $id) { ... on Opportunity { decisionChain { members {
  person { name } role influence attitude needs needsFit version } } } } }"""
PATH = "actions.needs_recorded"


@pytest.fixture(scope="module")
def api(api_executor: Executor) -> Iterator[Api]:
    with open_api(api_executor) as client:
        yield client


def _missing(deal: Walk, language: str = "en") -> str | None:
    """What the move to the proposal says of the needs (the gate is cumulative: tried from
    the first stage it lists every exit's gaps, the needs among them); None once recorded."""
    payload = deal.by("tm-am").body(
        TRY_PROPOSAL, {"id": deal.id}, headers={"Accept-Language": language}
    )["data"]["opportunityAdvance"]
    assert payload["opportunity"] is None
    found = [p["message"] for p in payload["problems"] if p["path"] == PATH]
    return found[0] if found else None


def _place(deal: Walk, name: str) -> dict[str, Any]:
    members = deal.api.data(PLACE, {"id": deal.id})["node"]["decisionChain"]["members"]
    (place,) = [m for m in members if m["person"]["name"] == name]
    return dict(place)


def test_needs_are_recorded_after_the_name_and_the_gate_says_whose_are_missing(
    api: Api,
) -> None:
    deal = set_up(api)
    am = deal.by("tm-am")

    def put(person: str, role: str, **more: Any) -> None:
        variables = {
            "personId": gid(NodeKind.KEY_PERSON, person),
            "opportunityId": deal.id,
            "role": role,
            **more,
        }
        am.mutate(CHAIN, {"i": variables})

    deal.chain("tm-am", "kp-president", "DECISION_MAKER")  # with needs
    put("kp-cio", "TECHNICAL_EVALUATOR", attitude="SUPPORTER", influence="HIGH")
    put("kp-cfo", "BUSINESS_EVALUATOR")
    assert _missing(deal) == (
        "Value presentation: required action not done: Record the needs of every key person "
        "in the chain; still missing: CIO Qian, CFO Wang"
    )
    assert _missing(deal, "zh-CN") == (
        "价值呈现：必做事项未完成：记录决策链中每个关键人的需求，尚缺CIO Qian、CFO Wang"
    )

    before = _place(deal, "CIO Qian")
    put(
        "kp-cio",
        "TECHNICAL_EVALUATOR",
        needs="One record across the three campuses",
        needsFit="GOOD",
        expectedVersion=before["version"],
    )
    after = _place(deal, "CIO Qian")
    assert (after["needs"], after["needsFit"]) == ("One record across the three campuses", "GOOD")
    # what the form did not send stays as it was
    assert (after["role"], after["attitude"], after["influence"]) == (
        "TECHNICAL_EVALUATOR",
        "SUPPORTER",
        "HIGH",
    )
    assert str(_missing(deal)).endswith("still missing: CFO Wang")

    put("kp-cfo", "BUSINESS_EVALUATOR", needs="   ")  # blank is not recorded
    assert str(_missing(deal)).endswith("still missing: CFO Wang")
    put("kp-cfo", "BUSINESS_EVALUATOR", needs="Pay over three years")
    assert _missing(deal) is None
