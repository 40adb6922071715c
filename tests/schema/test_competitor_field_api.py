"""Who is bidding decides whose ties count, as deployed: the account manager records the field
with her own login and her director reads the judgement with his.

华东电网 has two deals. On the data platform we face 远光 only; 朗新 bids on the marketing
system. 钱总 signs both and is very close to 朗新. A sales leader expects:

- on the data platform he is nobody's ally: no pull on our closeness, no "decision maker with a
  competitor" flag, 朗新 has no support there; a watch item names him and 朗新 and says to mind
  what we share;
- on the marketing system, where 朗新 bids, he is its man and the flag says so;
- on the billing deal, where nobody is recorded as bidding yet, the field is unknown and the tie
  counts;
- a what-if of 朗新 winning someone over on the data platform is refused: the answer would be
  "no change", which reads as "no danger";
- once 朗新 is recorded on the data platform too, the tie counts there in full.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from api_helpers import ZH, Api, gid, serve, snapshot
from people import Person, add_team, manage

from domain.model import EdgeKind, NodeKind
from graph.store import GraphStore

K, E = NodeKind, EdgeKind
LI, DIRECTOR = "m-li", "m-director"
LOGINS = {LI: ("li.na", "account_manager"), DIRECTOR: ("zhou.wei", "sales_director")}

READ = """query($id: ID!, $p: ID!) { node(id: $id) { ... on Opportunity {
  analysis { redFlags { code severity text coaching persons { name } competitors { name } } }
  assessment { support { competitors { competitor { name } support } } }
  health { reasons { text } } } }
  person: node(id: $p) { ... on KeyPerson { scores(opportunityId: $id) {
    closeness { value reasons { factor text } } } } } }"""
BIDS = """mutation($input: CompetitorOnOpportunityInput!) {
  competitorOnOpportunitySet(input: $input) { opportunity { name } userErrors { field } } }"""
TIE = """mutation($input: CompetitorTieInput!) {
  competitorTieSet(input: $input) { keyPerson { name } userErrors { field } } }"""
WHAT_IF = """query($id: ID!, $p: ID!, $c: ID!) { opportunityWhatIf(id: $id, changes: [
  {kind: COMPETITOR_WINS_ALLY, personId: $p, competitorId: $c, level: STRONG}]) {
  deltaWinLikelihood } }"""
QIAN = gid(K.KEY_PERSON, "qian")


@dataclass(frozen=True)
class World:
    api: Api
    people: dict[str, Person]

    def as_(self, member: str) -> Api:
        return self.api.as_(self.people[member])

    def bids(self, competitor: str, deal: str) -> None:
        """The account manager records a competitor as bidding on a deal."""
        self.as_(LI).mutate(
            BIDS,
            {
                "input": {
                    "competitorId": gid(K.COMPETITOR, competitor),
                    "opportunityId": gid(K.OPPORTUNITY, deal),
                }
            },
        )

    def read(self, deal: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
        """The director's reading of a deal and of 钱总's closeness on it."""
        variables = {"id": gid(K.OPPORTUNITY, deal), "p": QIAN}
        body = self.as_(DIRECTOR).body(READ, variables, headers=headers)
        assert "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data


@pytest.fixture
def world(store: GraphStore) -> Iterator[World]:
    store.create(K.TEAM_MEMBER, {"name": "Li Na", "role": "ACCOUNT_MANAGER"}, node_id=LI)
    store.create(K.TEAM_MEMBER, {"name": "Zhou Wei", "role": "SALES_DIRECTOR"}, node_id=DIRECTOR)
    store.create(K.CUSTOMER, {"name": "华东电网"}, node_id="c1")
    deals = (("platform", "数据中台"), ("marketing", "营销系统"), ("billing", "电费结算"))
    for oid, name in deals:
        store.create_opportunity("c1", {"name": name, "stage": "REQUIREMENTS"}, node_id=oid)
        store.set_edge(
            E.ON_TEAM, (K.TEAM_MEMBER, LI), (K.OPPORTUNITY, oid), {"role": "ACCOUNT_MANAGER"}
        )
    store.create_key_person("c1", {"name": "钱总"}, {"title": "副总经理"}, node_id="qian")
    store.create_key_person("c1", {"name": "许工"}, {"title": "信息中心主任"}, node_id="xu")
    for oid, _ in deals:
        store.set_edge(
            E.IN_DECISION_CHAIN,
            (K.KEY_PERSON, "qian"),
            (K.OPPORTUNITY, oid),
            {"role": "DECISION_MAKER", "influence": "DECISIVE", "attitude": "NEUTRAL"},
        )
    store.set_edge(
        E.IN_DECISION_CHAIN,
        (K.KEY_PERSON, "xu"),
        (K.OPPORTUNITY, "platform"),
        {"role": "COACH", "influence": "MEDIUM", "attitude": "SUPPORTER"},
    )
    store.set_edge(E.KNOWS, (K.TEAM_MEMBER, LI), (K.KEY_PERSON, "qian"), {"level": "MODERATE"})
    store.create(K.COMPETITOR, {"name": "远光"}, node_id="yuanguang")
    store.create(K.COMPETITOR, {"name": "朗新"}, node_id="longshine")
    people = add_team(store, LOGINS)
    manage(store, DIRECTOR, [LI])
    with serve(store) as api:
        world = World(api, people)
        world.bids("yuanguang", "platform")
        world.bids("longshine", "marketing")
        world.as_(LI).mutate(
            TIE,
            {
                "input": {
                    "competitorId": gid(K.COMPETITOR, "longshine"),
                    "personId": QIAN,
                    "level": "VERY_STRONG",
                }
            },
        )
        yield world


def _codes(read: dict[str, Any]) -> set[str]:
    return {f["code"] for f in read["node"]["analysis"]["redFlags"]}


def _pull(read: dict[str, Any]) -> list[str]:
    reasons = read["person"]["scores"]["closeness"]["reasons"]
    return [r["text"] for r in reasons if r["factor"] == "competitor_pull"]


def test_a_tie_to_a_competitor_bidding_elsewhere_counts_only_there(world: World) -> None:
    platform, marketing = world.read("platform"), world.read("marketing")
    assert _pull(platform) == []
    assert "DECISION_MAKER_WITH_COMPETITOR" not in _codes(platform)
    support = platform["node"]["assessment"]["support"]["competitors"]
    assert [s["competitor"]["name"] for s in support] == ["远光"]
    assert not any("朗新" in r["text"] for r in platform["node"]["health"]["reasons"])
    (watch,) = [
        f for f in platform["node"]["analysis"]["redFlags"] if f["code"] == "CLOSE_TO_NON_BIDDER"
    ]
    assert watch["severity"] == "MEDIUM"
    assert watch["text"] == "钱总 is close to 朗新, which is not bidding on this deal"
    assert "share nothing with 钱总 that 朗新 should not hear" in watch["coaching"]
    assert (watch["persons"], watch["competitors"]) == ([{"name": "钱总"}], [{"name": "朗新"}])
    in_chinese = world.read("platform", ZH)["node"]["analysis"]["redFlags"]
    assert "钱总与朗新关系密切（朗新未参与本商机的竞争）" in [f["text"] for f in in_chinese]

    assert _pull(marketing) == ["Close to competitor(s): 朗新"]
    assert "DECISION_MAKER_WITH_COMPETITOR" in _codes(marketing)
    assert "CLOSE_TO_NON_BIDDER" not in _codes(marketing)
    # nobody recorded as bidding yet: the field is unknown, and the tie counts
    assert _pull(world.read("billing")) == ["Close to competitor(s): 朗新"]


def test_a_what_if_about_a_competitor_not_bidding_is_refused(world: World) -> None:
    variables = {"id": gid(K.OPPORTUNITY, "platform"), "p": QIAN}
    director = world.as_(DIRECTOR)
    error = director.top_error(
        WHAT_IF, {**variables, "c": gid(K.COMPETITOR, "longshine")}, "BAD_USER_INPUT"
    )
    assert error["message"].startswith("changes.0.competitorId: is not bidding on this deal")
    in_chinese = director.body(
        WHAT_IF, {**variables, "c": gid(K.COMPETITOR, "longshine")}, headers=ZH
    )
    assert "未参与该商机的竞争" in in_chinese["errors"][0]["message"]
    bidder = director.data(WHAT_IF, {**variables, "c": gid(K.COMPETITOR, "yuanguang")})
    assert bidder["opportunityWhatIf"]["deltaWinLikelihood"] < 0
    # nobody recorded as bidding on the billing deal: any competitor there is, none that is not
    billing = {"id": gid(K.OPPORTUNITY, "billing"), "p": QIAN}
    unknown = director.top_error(
        WHAT_IF, {**billing, "c": gid(K.COMPETITOR, "nobody")}, "NOT_FOUND"
    )
    assert unknown["message"].startswith("changes.0.competitorId: ")
    known = director.data(WHAT_IF, {**billing, "c": gid(K.COMPETITOR, "yuanguang")})
    assert known["opportunityWhatIf"]["deltaWinLikelihood"] < 0


def test_once_recorded_as_bidding_the_tie_counts_in_full(world: World) -> None:
    before = world.read("platform")
    world.bids("longshine", "platform")
    after = world.read("platform")
    assert _pull(after) == ["Close to competitor(s): 朗新"]
    closeness = [r["person"]["scores"]["closeness"]["value"] for r in (before, after)]
    assert closeness[1] < closeness[0]
    assert "DECISION_MAKER_WITH_COMPETITOR" in _codes(after)
    assert "CLOSE_TO_NON_BIDDER" not in _codes(after)


CREATE_COMPETITOR = """mutation($input: CompetitorCreateInput!) {
  competitorCreate(input: $input) { competitor { id name } userErrors { field message code } } }"""


def test_a_competitor_named_again_is_refused_and_named_not_made_twice(world: World) -> None:
    """A competitor is a company: typed again as new (letter case, full-width letters and spaces
    aside), it would be offered twice in every picker with its ties on one of the two. The
    account manager is told to pick it, in her language, and nothing is written."""
    before = snapshot(world.api.store)
    for typed, headers, message in (
        ("朗新", {}, "朗新 is already a competitor: pick it in the list"),
        (" 朗新 ", ZH, "已有竞争对手朗新：请在列表中选择"),
        ("远光", {}, "远光 is already a competitor: pick it in the list"),
    ):
        body = world.as_(LI).body(CREATE_COMPETITOR, {"input": {"name": typed}}, headers=headers)
        payload = body["data"]["competitorCreate"]
        assert payload["competitor"] is None, payload
        assert payload["userErrors"] == [
            {"field": ["input", "name"], "message": message, "code": "CONFLICT"}
        ]
    assert snapshot(world.api.store) == before
    made = world.as_(LI).mutate(CREATE_COMPETITOR, {"input": {"name": "东软集团 Neusoft"}})
    assert made["competitor"]["name"] == "东软集团 Neusoft"
    for typed in ("东软集团  ＮＥＵＳＯＦＴ", "东软集团\u3000neusoft"):
        body = world.as_(LI).body(CREATE_COMPETITOR, {"input": {"name": typed}}, headers=ZH)
        assert body["data"]["competitorCreate"]["userErrors"] == [
            {
                "field": ["input", "name"],
                "message": "已有竞争对手东软集团 Neusoft：请在列表中选择",
                "code": "CONFLICT",
            }
        ]


RENAME_COMPETITOR = """mutation($id: ID!, $input: CompetitorUpdateInput!) {
  competitorUpdate(id: $id, input: $input) {
    competitor { name version } userErrors { field message code } } }"""


def test_a_competitor_renamed_to_another_s_name_is_refused(world: World) -> None:
    """Renaming 远光 to 朗新 would leave two records of one company, as a second create would:
    refused the same way, in the account manager's language, nothing written. A rename to
    its own name in other letter case, or to a name nobody has, is kept."""
    target = gid(K.COMPETITOR, "yuanguang")
    before = snapshot(world.api.store)
    for typed, headers, message in (
        ("朗新", {}, "朗新 is already a competitor: keep one record per company"),
        (" 朗新 ", ZH, "已有竞争对手朗新：同一公司只留一条记录"),
    ):
        variables = {"id": target, "input": {"version": 1, "name": typed}}
        body = world.as_(LI).body(RENAME_COMPETITOR, variables, headers=headers)
        payload = body["data"]["competitorUpdate"]
        assert payload["competitor"] is None, payload
        assert payload["userErrors"] == [
            {"field": ["input", "name"], "message": message, "code": "CONFLICT"}
        ]
    assert snapshot(world.api.store) == before
    renamed = world.as_(LI).mutate(
        RENAME_COMPETITOR, {"id": target, "input": {"version": 1, "name": "远光软件"}}
    )
    assert renamed["competitor"] == {"name": "远光软件", "version": 2}
    stale = world.as_(LI).body(
        RENAME_COMPETITOR, {"id": target, "input": {"version": 1, "name": "远光 软件"}}
    )["data"]["competitorUpdate"]
    assert [e["code"] for e in stale["userErrors"]] == ["CONFLICT"]
    assert "远光软件" in stale["userErrors"][0]["message"]
