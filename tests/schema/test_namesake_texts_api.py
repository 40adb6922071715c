"""The texts the API writes about a deal tell two of ours with one name apart, as deployed
(authentication on, each login made as ``dealgraph user add`` makes it), in English and in
Chinese: the health's red flag on a decision maker nobody met names which 王伟 knows them,
the closeness reason names the strongest tie's 王伟, a refused close names the account manager
王伟 to ask, a repeated request names the director 王伟 who approved it, though he is not on
the deal's team, and a promise missed names the 王伟 who made it and the director 王伟 who
acknowledged it; a unique name stays bare."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from api_helpers import ZH, Api, gid, open_api
from people import TWO_WANG_WEI, add_team, manage
from process_walk import ADVANCE, DECIDE, REQUEST
from strawberry import relay

from domain.model import NodeKind
from graph.executor import Executor

DEAL = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  analysis { redFlags { code text coaching } }
  health { reasons { code text } }
  memberScores { person { name } closeness { reasons { factor text } } } } } }"""
# key -> (name, team role, title, e-mail, login, user role)
TEAM = {
    **TWO_WANG_WEI,
    "tm-wang-sd": (
        "王伟",
        "SALES_DIRECTOR",
        "Sales Director 销售总监",
        "",
        "wang.sd",
        "sales_director",
    ),
}
ON_TEAM = ("tm-wang-am", "tm-wang-sm")
AM, SM, SD = (f"王伟 ({TEAM[k][2] or TEAM[k][3]})" for k in TEAM)
AM_ZH, SD_ZH = "王伟（Key Account Manager 大客户经理）", "王伟（Sales Director 销售总监）"
SM_ZH = "王伟（wang.wei@example.com）"
ERRORS = "userErrors { field message code }"


def _id(api: Api, mutation: str, field: str, variables: dict[str, object]) -> str:
    kind = mutation[0].upper() + mutation[1:]
    query = f"""mutation($i: {kind}Input!) {{ {mutation}(input: $i) {{
      {field} {{ id }} {ERRORS} }} }}"""
    return str(api.mutate(query, {"i": variables})[field]["id"])


def _both(api: Api, query: str, variables: Mapping[str, object]) -> dict[str, Any]:
    """The answer in English and in Chinese (``Accept-Language``)."""
    found = {}
    for lang, headers in (("en", None), ("zh", ZH)):
        body = api.body(query, variables, headers=headers)
        assert "errors" not in body, body
        found[lang] = body["data"]
    return found


@pytest.fixture(scope="module")
def said(api_executor: Executor) -> Iterator[dict[str, dict[str, Any]]]:
    """Two 王伟 on a deal whose decision maker both know (the account manager strongly) and
    nobody has met; the director 王伟, off the team, approves the opening request; then the
    solution manager tries to close the deal and the account manager asks again. What each
    answer says, by the question and language."""
    with open_api(api_executor) as admin:
        for key, (name, role, title, email, _, _) in TEAM.items():
            member = {"name": name, "role": role, "key": key, "title": title or None}
            _id(admin, "teamMemberCreate", "teamMember", {**member, "email": email or None})
        customer = _id(admin, "customerCreate", "customer", {"name": "临江市中心医院"})
        deal = _id(
            admin,
            "opportunityCreate",
            "opportunity",
            {"customerId": customer, "name": "智慧病房", "key": "o-namesake-texts"},
        )
        dm = _id(admin, "keyPersonCreate", "keyPerson", {"customerId": customer, "name": "孙海涛"})
        people = add_team(admin.store, {key: (t[4], t[5]) for key, t in TEAM.items()})
        for key in ON_TEAM:
            admin.mutate(
                f"""mutation($i: TeamAssignInput!) {{ teamAssign(input: $i) {{ {ERRORS} }} }}""",
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
            f"""mutation($i: DecisionChainMemberInput!) {{ decisionChainMemberSet(input: $i) {{
              keyPerson {{ id }} {ERRORS} }} }}""",
            {"i": {"personId": dm, "opportunityId": deal, "role": "DECISION_MAKER"}},
        )
        for who, key, level in ((am, "tm-wang-am", "STRONG"), (sm, "tm-wang-sm", "WEAK")):
            who.mutate(
                f"""mutation($i: KnowsInput!) {{ knowsSet(input: $i) {{
                  keyPerson {{ id }} {ERRORS} }} }}""",
                {
                    "i": {
                        "targetPersonId": dm,
                        "memberId": gid(NodeKind.TEAM_MEMBER, key),
                        "level": level,
                    }
                },
            )
        manage(admin.store, "tm-wang-sd", ON_TEAM)
        asked = am.mutate(REQUEST, {"i": {"opportunityId": deal, "process": "1-1"}})["approval"]
        director = admin.as_(people["tm-wang-sd"])
        decided = director.mutate(DECIDE, {"id": asked["id"], "i": {"decision": "APPROVE"}})
        assert decided["approval"]["state"] == "APPROVED", decided
        found = {"deal": _both(sm, DEAL, {"id": deal}), "paths": _both(sm, WARM, {"to": dm})}
        close = {"id": deal, "i": {"toStage": "LOST", "reason": "预算取消"}}
        found["close"] = _both(sm, ADVANCE, close)
        found["again"] = _both(am, REQUEST, {"i": {"opportunityId": deal, "process": "1-1"}})
        found["missed"] = _missed_promise(admin, am, director, deal)
        yield found


WARM = """query($to: ID!) { warmPaths(to: $to, limit: 3) { teamMember { id } text } }"""
SWEEP = "mutation { violationsSweep { created { id } } }"
OPEN = """query($f: ViolationFilter) { violations(filter: $f, first: 20) {
  nodes { id message repeat responsible { id } } } }"""
RESPOND = """mutation($id: ID!, $n: String!, $by: String) {
  violationRespond(id: $id, note: $n, putRightBy: $by) {
  violation { id } userErrors { message } } }"""
ACKNOWLEDGE = """mutation($id: ID!, $n: String!) { violationAcknowledge(id: $id, note: $n) {
  violation { id } userErrors { message } } }"""


def _missed_promise(admin: Api, am: Api, director: Api, deal: str) -> dict[str, Any]:
    """The deal imported mid-way without its next gate approved: the account manager 王伟
    answers a violation with a date, the director 王伟 (off the team) acknowledges it, the date
    passes and a sweep raises it again. The open violations read in each language."""
    node_id = relay.GlobalID.from_id(deal).node_id
    admin.store.update(NodeKind.OPPORTUNITY, node_id, {"stage": "REQUIREMENTS"})
    director.data(SWEEP)
    mine = gid(NodeKind.TEAM_MEMBER, "tm-wang-am")
    listed = am.data(OPEN, {"f": {"opportunityId": deal, "open": True}})["violations"]["nodes"]
    first = next(v["id"] for v in listed if (v["responsible"] or {}).get("id") == mine)
    today = datetime.fromtimestamp(admin.store.clock() / 1000, tz=UTC).date()
    tomorrow = (today + timedelta(days=1)).isoformat()
    am.mutate(RESPOND, {"id": first, "n": "副院长周五签字", "by": tomorrow})
    director.mutate(ACKNOWLEDGE, {"id": first, "n": "同意"})
    admin.store.executor.write(  # as if promised for yesterday, acknowledged 20 days ago
        "MATCH (v:Violation {id: $id}) SET v.put_right_by = $by, v.acknowledged_at = $at",
        {
            "id": relay.GlobalID.from_id(first).node_id,
            "by": (today - timedelta(days=1)).isoformat(),
            "at": admin.store.clock() - 20 * 86_400_000,
        },
    )
    assert director.data(SWEEP)["violationsSweep"]["created"], "nothing raised again"
    return _both(am, OPEN, {"f": {"opportunityId": deal, "open": True}})


def _node(said: dict[str, dict[str, Any]], lang: str) -> Any:
    node = said["deal"][lang]["node"]
    assert isinstance(node, dict)
    return node


def test_the_health_red_flag_names_which_wang_wei_knows_the_decision_maker(
    said: dict[str, dict[str, Any]],
) -> None:
    for lang, am, bracket in (("en", AM, " (Strong)"), ("zh", AM_ZH, "（强）")):
        node = _node(said, lang)
        flags = [f for f in node["analysis"]["redFlags"] if f["code"] == "DECISION_MAKER_NEVER_MET"]
        assert len(flags) == 1, node["analysis"]
        text, coaching = flags[0]["text"], flags[0]["coaching"]
        assert am in text, flags
        assert am in coaching, flags
        reasons = [r["text"] for r in node["health"]["reasons"]]
        assert any(am in r for r in reasons), reasons
        # the decision maker is told apart from nobody: bare
        assert "孙海涛" in text, text
        assert "孙海涛 (" not in text, text
        assert "孙海涛（" not in text, text
        # no 王伟 left bare anywhere these texts name one
        for t in (text, coaching, *reasons):
            assert t.count("王伟") == t.count("王伟 (" if lang == "en" else "王伟（"), t
        closeness = [
            r["text"]
            for s in node["memberScores"]
            for r in s["closeness"]["reasons"]
            if r["factor"] == "team_tie"
        ]
        assert closeness, node["memberScores"]
        assert all(f"{am}{bracket}" in r for r in closeness), closeness


def test_a_refused_close_names_the_account_manager_to_ask_told_apart(
    said: dict[str, dict[str, Any]],
) -> None:
    for lang, am in (("en", AM), ("zh", AM_ZH)):
        errors = said["close"][lang]["opportunityAdvance"]["userErrors"]
        assert [e["field"] for e in errors] == [["input", "toStage"]], errors
        assert am in errors[0]["message"], errors
    assert SM not in said["close"]["en"]["opportunityAdvance"]["userErrors"][0]["message"]


def test_a_repeated_request_names_the_director_off_the_team_told_apart(
    said: dict[str, dict[str, Any]],
) -> None:
    for lang, sd in (("en", SD), ("zh", SD_ZH)):
        errors = said["again"][lang]["approvalRequest"]["userErrors"]
        messages = [e["message"] for e in errors]
        assert any(sd in m for m in messages), messages
        assert not any(AM in m or SM in m for m in messages), messages


def test_a_missed_promise_names_who_promised_and_the_director_who_acknowledged_told_apart(
    said: dict[str, dict[str, Any]],
) -> None:
    for lang, am, sd in (("en", AM, SD), ("zh", AM_ZH, SD_ZH)):
        again = [v["message"] for v in said["missed"][lang]["violations"]["nodes"] if v["repeat"]]
        assert len(again) == 1, said["missed"][lang]
        (message,) = again
        if lang == "en":
            assert f"promised by {am} for " in message, message
            assert f"acknowledged by {sd} on " in message, message
        else:
            assert f"{am}承诺最迟于" in message, message
            assert f"{sd}已于" in message, message
        assert message.count("王伟") == message.count("王伟 (" if lang == "en" else "王伟（"), (
            message
        )


def test_a_warm_path_says_which_wang_wei_knows_the_decision_maker(
    said: dict[str, dict[str, Any]],
) -> None:
    for lang, am, sm in (("en", AM, SM), ("zh", AM_ZH, SM_ZH)):
        found = said["paths"][lang]["warmPaths"]
        paths = {p["teamMember"]["id"]: p["text"] for p in found}
        wang_am, wang_sm = (gid(NodeKind.TEAM_MEMBER, k) for k in ON_TEAM)
        assert set(paths) == {wang_am, wang_sm}, paths
        assert paths[wang_am].startswith(am), paths
        assert sm in paths[wang_sm], paths
        for text in paths.values():
            assert text.count("王伟") == text.count("王伟 (" if lang == "en" else "王伟（"), text
