"""The saved what-if's statement on both back ends: it writes every change only while it finds
what its client read, and otherwise nothing at all."""

from __future__ import annotations

import json
from typing import Any

import pytest
from store_support import state

from domain.model import EdgeKind, NodeKind
from domain.records import OpportunityRecord
from graph.scope import SYSTEM
from graph.store import GraphStore
from graph.what_if import SavedWhatIf, Talk, save_what_if

K, E = NodeKind, EdgeKind


@pytest.fixture
def deal(store: GraphStore) -> GraphStore:
    store.create(K.TEAM_MEMBER, {"name": "Li Na"}, node_id="li")
    store.create(K.CUSTOMER, {"name": "Hospital"}, node_id="c1")
    store.create_opportunity("c1", {"name": "HIS", "quote_amount": 500}, node_id="o1")
    for pid, role in (("fin", "FINANCE"), ("cio", "TECHNICAL_EVALUATOR")):
        store.create_key_person("c1", {"name": pid.upper()}, node_id=pid)
        store.set_edge(
            E.IN_DECISION_CHAIN, (K.KEY_PERSON, pid), (K.OPPORTUNITY, "o1"), {"role": role}
        )
    return store


def _saved(store: GraphStore, cio_version: int | None, **more: Any) -> SavedWhatIf:
    opportunity: OpportunityRecord = store.get(K.OPPORTUNITY, "o1")
    saved = SavedWhatIf(opportunity, int(opportunity["version"]), quote=400)
    saved.steps.append(("quote", None))
    saved.places = {"cio": cio_version, "fin": None}
    saved.attitudes["cio"] = "SUPPORTER"
    saved.steps.append(("attitude", "cio"))
    saved.ties["li", "fin"] = "STRONG"
    saved.steps.append(("tie", ("li", "fin")))
    talk = {"type": "PRICING_DISCUSSION", "summary": "FIN heard 400", "price_reaction": "POSITIVE"}
    saved.talks.append(Talk(talk, "fin", "li", after_quote=True))
    saved.steps.append(("talk", 0))
    for key, value in more.items():
        setattr(saved, key, value)
    return saved


def _version(store: GraphStore, pid: str) -> int:
    found = store.neighbours(E.IN_DECISION_CHAIN, K.KEY_PERSON, K.OPPORTUNITY, [pid])[pid]
    return int(found[0].edge.get("version", 1))


def test_a_place_changed_meanwhile_leaves_everything_unwritten(deal: GraphStore) -> None:
    version = _version(deal, "cio")
    deal.set_edge(
        E.IN_DECISION_CHAIN,
        (K.KEY_PERSON, "cio"),
        (K.OPPORTUNITY, "o1"),
        {"role": "TECHNICAL_EVALUATOR", "attitude": "OPPONENT"},
    )
    before = state(deal)
    assert save_what_if(deal, _saved(deal, version), SYSTEM) is None
    assert state(deal) == before


def test_a_place_taken_off_meanwhile_leaves_everything_unwritten(deal: GraphStore) -> None:
    saved = _saved(deal, None)
    deal.remove_edge(E.IN_DECISION_CHAIN, (K.KEY_PERSON, "fin"), (K.OPPORTUNITY, "o1"))
    before = state(deal)
    assert save_what_if(deal, saved, SYSTEM) is None
    assert state(deal) == before


def test_the_deal_changed_meanwhile_leaves_everything_unwritten(deal: GraphStore) -> None:
    saved = _saved(deal, _version(deal, "cio"))
    deal.update(K.OPPORTUNITY, "o1", {"name": "HIS 2"})
    before = state(deal)
    assert save_what_if(deal, saved, SYSTEM) is None
    assert state(deal) == before


def test_a_what_if_as_read_is_written_whole_in_order(deal: GraphStore) -> None:
    version = _version(deal, "cio")
    audits = state(deal).audits
    written = save_what_if(deal, _saved(deal, version), SYSTEM)
    assert written is not None
    assert written["quote_amount"] == 400
    assert json.loads(written["quote_moves"])[-1][:2] == [500, 400]
    assert _version(deal, "cio") == version + 1
    cio = deal.neighbours(E.IN_DECISION_CHAIN, K.KEY_PERSON, K.OPPORTUNITY, ["cio"])["cio"]
    assert cio[0].edge["attitude"] == "SUPPORTER"
    knows = deal.neighbours(E.KNOWS, K.TEAM_MEMBER, K.KEY_PERSON, ["li"])["li"]
    assert [(n.node["id"], n.edge["level"]) for n in knows] == [("fin", "STRONG")]
    (talk_with,) = deal.neighbours(E.WITH, K.ACTIVITY, K.KEY_PERSON, ["fin"], incoming=True)["fin"]
    assert talk_with.node["price_reaction"] == "POSITIVE"
    assert int(talk_with.node["occurred_at"]) > int(written["updated_at"]), "after the new quote"
    entries = deal.audit_log(None, limit=4).items
    assert [e["operation"] for e in reversed(entries)] == [
        "update",
        "set_edge",
        "set_edge",
        "create",
    ]
    assert state(deal).audits == audits + 4
