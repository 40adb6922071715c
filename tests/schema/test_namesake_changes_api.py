"""What changed tells two of ours with one name apart, as deployed (authentication on, each
login made as ``dealgraph user add`` makes it): the two 王伟 on a deal are named with their
title, else their e-mail, in every sentence that names them (joining the team, a tie, an
approval asked for and decided), in English and in Chinese; a unique name stays bare."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from api_helpers import ZH, Api, gid, open_api
from people import TWO_WANG_WEI, add_team, manage
from process_walk import DECIDE, REQUEST

from domain.model import NodeKind
from graph.executor import Executor

CHANGES = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  changes(from: "2000-01-01T00:00:00Z") { changes { kind text } } } } }"""
# key -> (name, team role, title, e-mail, login, user role)
TEAM = {
    **TWO_WANG_WEI,
    "tm-zhou": (
        "周杰",
        "SALES_DIRECTOR",
        "Sales Director 销售总监",
        "",
        "zhou.jie",
        "sales_director",
    ),
}
AM = "王伟 (Key Account Manager 大客户经理)"
SM = "王伟 (wang.wei@example.com)"


def _id(api: Api, mutation: str, field: str, variables: dict[str, object]) -> str:
    kind = mutation[0].upper() + mutation[1:]
    query = f"""mutation($i: {kind}Input!) {{ {mutation}(input: $i) {{
      {field} {{ id }} userErrors {{ field message code }} }} }}"""
    return str(api.mutate(query, {"i": variables})[field]["id"])


@pytest.fixture(scope="module")
def texts(api_executor: Executor) -> Iterator[dict[str, list[str]]]:
    """Both 王伟 join the deal and come to know its decision maker; one asks for the opening
    approval, the director approves it. The changes since the start, by language."""
    with open_api(api_executor) as admin:
        for key, (name, role, title, email, _, _) in TEAM.items():
            member = {"name": name, "role": role, "key": key, "title": title or None}
            _id(admin, "teamMemberCreate", "teamMember", {**member, "email": email or None})
        customer = _id(admin, "customerCreate", "customer", {"name": "江州市人民医院"})
        deal = _id(
            admin,
            "opportunityCreate",
            "opportunity",
            {"customerId": customer, "name": "互联网医院", "key": "o-namesakes"},
        )
        cio = _id(admin, "keyPersonCreate", "keyPerson", {"customerId": customer, "name": "钱卫东"})
        people = add_team(admin.store, {key: (t[4], t[5]) for key, t in TEAM.items()})
        for key in ("tm-wang-am", "tm-wang-sm"):
            admin.mutate(
                """mutation($i: TeamAssignInput!) { teamAssign(input: $i) {
                  userErrors { field message code } } }""",
                {
                    "i": {
                        "memberId": gid(NodeKind.TEAM_MEMBER, key),
                        "targetId": deal,
                        "role": TEAM[key][1],
                    }
                },
            )
        am, sm = admin.as_(people["tm-wang-am"]), admin.as_(people["tm-wang-sm"])
        am.mutate(
            """mutation($i: DecisionChainMemberInput!) { decisionChainMemberSet(input: $i) {
              keyPerson { id } userErrors { field message code } } }""",
            {"i": {"personId": cio, "opportunityId": deal, "role": "DECISION_MAKER"}},
        )
        for who, key, level in ((am, "tm-wang-am", "STRONG"), (sm, "tm-wang-sm", "WEAK")):
            who.mutate(
                """mutation($i: KnowsInput!) { knowsSet(input: $i) {
                  keyPerson { id } userErrors { field message code } } }""",
                {
                    "i": {
                        "targetPersonId": cio,
                        "memberId": gid(NodeKind.TEAM_MEMBER, key),
                        "level": level,
                    }
                },
            )
        manage(admin.store, "tm-zhou", ["tm-wang-am", "tm-wang-sm"])
        asked = am.mutate(REQUEST, {"i": {"opportunityId": deal, "process": "1-1"}})["approval"]
        director = admin.as_(people["tm-zhou"])
        decided = director.mutate(DECIDE, {"id": asked["id"], "i": {"decision": "APPROVE"}})
        assert decided["approval"]["state"] == "APPROVED", decided
        found = {}
        for lang, headers in (("en", None), ("zh", ZH)):
            body = sm.body(CHANGES, {"id": deal}, headers=headers)
            assert "errors" not in body, body
            found[lang] = [c["text"] for c in body["data"]["node"]["changes"]["changes"]]
        yield found


def test_what_changed_tells_the_two_wang_wei_apart_in_english(texts: dict[str, list[str]]) -> None:
    en = texts["en"]
    assert f"{AM} joined our team as account manager" in en, en
    assert f"{SM} joined our team as solution manager" in en, en
    assert f"{AM} now knows 钱卫东 (strong)" in en, en
    assert f"{SM} now knows 钱卫东 (weak)" in en, en
    assert f"{AM} requested TAS+1-1 Create opportunity" in en, en
    assert f"周杰 approved TAS+1-1 Create opportunity (requested by {AM})" in en, en
    # 钱卫东 and 周杰 have nobody to be told from: their names stay bare
    assert "钱卫东 joined the decision chain as decision maker" in en, en
    assert not any(re.search(r"钱卫东 \((?!strong|weak)|周杰 \(", t) for t in en), en
    assert not any(t.startswith("王伟 ") and not t.startswith((AM, SM)) for t in en), en


def test_what_changed_tells_the_two_wang_wei_apart_in_chinese(texts: dict[str, list[str]]) -> None:
    zh = texts["zh"]
    am, sm = "王伟（Key Account Manager 大客户经理）", "王伟（wang.wei@example.com）"
    assert f"{am}加入我方团队，角色为客户经理" in zh, zh
    assert f"{sm}加入我方团队，角色为方案经理" in zh, zh
    assert f"{am}与钱卫东建立了关系（强）" in zh, zh
    assert f"{am}申请TAS+1-1 创建商机流程" in zh, zh
    assert f"周杰批准了TAS+1-1 创建商机流程（{am}申请）" in zh, zh
    assert "钱卫东加入决策链，角色为决策者" in zh, zh
    assert not any(t.startswith("王伟") and not t.startswith((am, sm)) for t in zh), zh
