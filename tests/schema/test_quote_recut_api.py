"""An objection made to a quote the account manager has since re-cut, as deployed
(authentication on, each step by its own login, ``process_walk``'s team): the CFO objected at a
pricing discussion; the account manager cut the quote by 16 %. The sales director reading the
CFO's price acceptance is told the objection stands until the new quote is put to him; once a
pricing discussion on it went well, that most of it is cleared, and the score says so."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from api_helpers import ZH, Api, gid, open_api
from process_walk import PAST, QUOTE, set_up

from domain.model import NodeKind
from graph.executor import Executor

CUT = 160_000_000  # CNY 1.6m in fen
SCORES = """query($p: ID!, $o: ID!) { node(id: $p) { ... on KeyPerson {
  scores(opportunityId: $o) { price { value reasons { factor points text } } } } } }"""
ACTIVITY = """mutation($i: ActivityLogInput!) { activityLog(input: $i) {
  activity { id } userErrors { field message code } } }"""


def _price(api: Api, deal: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    body = api.body(SCORES, {"p": gid(NodeKind.KEY_PERSON, "kp-cfo"), "o": deal}, headers=headers)
    assert "errors" not in body, body
    price: dict[str, Any] = body["data"]["node"]["scores"]["price"]
    return price


def _talk(api: Api, deal: str, when: str, outcome: str) -> None:
    api.mutate(
        ACTIVITY,
        {
            "i": {
                "type": "PRICING_DISCUSSION",
                "occurredAt": when,
                "summary": "our price, with the CFO",
                "personIds": [gid(NodeKind.KEY_PERSON, "kp-cfo")],
                "memberIds": [gid(NodeKind.TEAM_MEMBER, "tm-am")],
                "opportunityId": deal,
                "outcome": outcome,
                "priceReaction": outcome,
            }
        },
    )


def test_an_objection_to_a_quote_since_re_cut_stands_until_the_new_quote_is_put_to_him(
    api_executor: Executor,
) -> None:
    with open_api(api_executor) as api:
        deal = set_up(api)
        am, director = deal.by("tm-am"), deal.by("tm-director")
        deal.chain("tm-am", "kp-cfo", "FINANCE")
        deal.update("tm-am", quoteAmount=QUOTE)
        _talk(am, deal.id, PAST.format(5), "NEGATIVE")
        objected = _price(director, deal.id)
        deal.update("tm-am", quoteAmount=CUT)
        untold = _price(director, deal.id)
        note = [r for r in untold["reasons"] if r["factor"] == "quote_recut"]
        assert note == [
            {
                "factor": "quote_recut",
                "points": 0,
                "text": "Our quote went from CNY 1,900,000 to CNY 1,600,000 after CFO Wang's "
                "objection, and it has not been put to them since: the objection stands until "
                "they react",
            }
        ]
        objection = {r["factor"]: r["points"] for r in untold["reasons"]}["price_objections"]
        assert (
            objection == {r["factor"]: r["points"] for r in objected["reasons"]}["price_objections"]
        )
        zh = [r["text"] for r in _price(director, deal.id, ZH)["reasons"]]
        assert (
            "CFO Wang提出异议后，我方报价已从190万元调整为160万元，此后尚未向其呈现："
            "在其回应前异议依然有效"
        ) in zh
        now = datetime.fromtimestamp(api.store.clock() / 1000, UTC).isoformat()
        _talk(am, deal.id, now, "POSITIVE")
        shown = _price(director, deal.id)
        said = next(r["text"] for r in shown["reasons"] if r["factor"] == "quote_recut")
        assert said.endswith("they reacted favourably to it, which clears 80% of the objection")
        left = {r["factor"]: r["points"] for r in shown["reasons"]}["price_objections"]
        assert objection < left <= 0
        assert shown["value"] > untold["value"]


def test_a_quote_cut_under_the_budget_fits_it_in_part_until_the_cfo_has_seen_it(
    api_executor: Executor,
) -> None:
    """The CFO's budget is CNY 1.7m and he never objected; the account manager cuts our CNY
    1.9m quote to 1.6m. The director is told the better fit counts half until the CFO has seen
    the new quote, and the CFO's price acceptance lands between the old quote's and the new
    one's; a pricing discussion on it that went well credits it in full."""
    with open_api(api_executor) as api:
        deal = set_up(api)
        am, director = deal.by("tm-am"), deal.by("tm-director")
        deal.chain("tm-am", "kp-cfo", "FINANCE")
        deal.update("tm-am", quoteAmount=QUOTE, budget=170_000_000)
        over = _price(director, deal.id)
        deal.update("tm-am", quoteAmount=CUT)
        untold = _price(director, deal.id)
        points = {r["factor"]: r["points"] for r in untold["reasons"]}
        before = {r["factor"]: r["points"] for r in over["reasons"]}["budget_vs_quote"]
        assert before < 0 < points["budget_vs_quote"]
        assert points["budget_recut"] == -round((points["budget_vs_quote"] - before) / 2)
        said = next(r["text"] for r in untold["reasons"] if r["factor"] == "budget_recut")
        assert said == (
            "Our quote went from CNY 1,900,000 to CNY 1,600,000 against a budget of "
            "CNY 1,700,000, but CFO Wang has not seen it yet: the better fit with the budget "
            "counts 50% until they react"
        )
        zh = [r["text"] for r in _price(director, deal.id, ZH)["reasons"]]
        assert (
            "我方报价已从190万元调整为160万元（预算170万元），但CFO Wang尚未看到新报价："
            "在其回应前，与预算更相符的部分按50%计"
        ) in zh
        now = datetime.fromtimestamp(api.store.clock() / 1000, UTC).isoformat()
        _talk(am, deal.id, now, "POSITIVE")
        shown = _price(director, deal.id)
        assert all(r["factor"] != "budget_recut" for r in shown["reasons"])
        assert over["value"] < untold["value"] < shown["value"]
