"""``dealgraph changes``: the diff of a deal written at controlled times, since a date and
between two stage gates, in English and Chinese; wrong arguments are refused in one line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from api_helpers import open_api
from process_walk import APPROVALS, REJECTION, walk_to_won

from dealgraph.cli import main
from dealgraph.demo import DEMO_OPPORTUNITY_ID, load_demo
from domain.model import EdgeKind, NodeKind
from domain.vocabulary import Stage
from graph import process_store as ps
from graph.backends.embedded import EmbeddedExecutor
from graph.store import GraphStore

DAY = 86_400_000
START = 1_792_800_000_000  # 2026-10-24T00:00:00Z
K, E = NodeKind, EdgeKind


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> int:
        self.now += 1
        return self.now


def write_deal(folder: Path) -> None:
    """A deal whose CIO turns and whose buyer joins after 2026-11-01, between two gates."""
    clock = Clock()
    store = GraphStore(EmbeddedExecutor(folder, fsync="everysec"), clock=clock)
    store.ensure_schema()
    store.create(K.CUSTOMER, {"name": "Riverside Hospital"}, node_id="rh")
    for pid, name in (("zhang", "Zhang Wei"), ("li", "Li Na"), ("wang", "Wang Lei")):
        store.create_key_person("rh", {"name": name}, node_id=pid)
    store.create_opportunity("rh", {"name": "Smart ward"}, node_id="ward")

    def chain(pid: str, role: str, attitude: str = "NEUTRAL") -> None:
        props = {"role": role, "attitude": attitude}
        store.set_edge(E.IN_DECISION_CHAIN, (K.KEY_PERSON, pid), (K.OPPORTUNITY, "ward"), props)

    def advance(stage: Stage) -> None:
        opportunity = store.get(K.OPPORTUNITY, "ward")
        ps.advance_stage(
            store,
            opportunity=opportunity,
            to_stage=stage,
            reason=None,
            lost_to_competitor_id=None,
            member_id=None,
        )

    chain("zhang", "DECISION_MAKER")
    chain("li", "TECHNICAL_EVALUATOR", "SKEPTIC")
    advance(Stage.INITIATE)
    clock.now = START + 10 * DAY  # 2026-11-03
    chain("li", "TECHNICAL_EVALUATOR", "SUPPORTER")
    chain("wang", "PROCUREMENT")
    advance(Stage.REQUIREMENTS)
    store.close()


@pytest.fixture
def deal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DEALGRAPH_STORE", "embedded")
    monkeypatch.setenv("DEALGRAPH_DATA_DIR", str(tmp_path / "data"))
    write_deal(tmp_path / "data")
    return tmp_path


def test_changes_since_a_date_name_who_joined_and_who_turned(
    deal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["changes", "Smart ward", "--since", "2026-11-01"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Smart ward: changes from 2026-11-01 00:00 UTC to " + out[0].split(" to ")[1]
    assert "  Wang Lei joined the decision chain as procurement" in out
    assert "  Li Na's attitude: skeptic → supporter" in out
    assert not any("Zhang Wei joined" in line for line in out)
    assert any(line.startswith("Win likelihood: ") for line in out)
    assert any(line.startswith("Four questions: is it real ") for line in out)


def test_changes_between_two_gates_in_chinese(
    deal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["changes", "ward", "--from-stage", "INITIATE", "--to-stage", "REQUIREMENTS"]
    assert main([*args, "--lang", "zh-CN"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Smart ward：")
    assert "  Wang Lei加入决策链，角色为采购" in out
    assert any(line.startswith("赢单概率：") for line in out)


def test_wrong_arguments_are_refused_in_one_line(
    deal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["changes", "ward"]) == 2
    assert main(["changes", "ward", "--since", "yesterday"]) == 2
    assert main(["changes", "no such deal", "--since", "2026-11-01"]) == 1
    assert main(["changes", "ward", "--from-stage", "INITIATE", "--to-stage", "BIDDING"]) == 1
    errors = capsys.readouterr().err.splitlines()
    assert errors == [
        "dealgraph: give --since, or --from-stage and --to-stage",
        "dealgraph: not a date or time: 'yesterday' (use YYYY-MM-DD)",
        "dealgraph: no opportunity with the id or name 'no such deal'",
        "dealgraph: the opportunity has not entered the stage 6 Bidding",
    ]


def test_a_deal_entered_at_a_later_stage_counts_from_the_day_it_entered_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The demo deal was entered at value presentation (16 days before it was loaded), with no
    move there on record: "from value presentation to proposal" reads from that day, not "has
    not entered the stage"; a stage before it is still refused, naming it."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DEALGRAPH_STORE", "embedded")
    monkeypatch.setenv("DEALGRAPH_DATA_DIR", str(tmp_path / "data"))
    clock = Clock()
    store = GraphStore(EmbeddedExecutor(tmp_path / "data", fsync="everysec"), clock=clock)
    store.ensure_schema()
    load_demo(store)
    clock.now = START + DAY
    ps.advance_stage(
        store,
        opportunity=store.get(K.OPPORTUNITY, DEMO_OPPORTUNITY_ID),
        to_stage=Stage.PROPOSAL,
        reason=None,
        lost_to_competitor_id=None,
        member_id=None,
    )
    store.close()

    stages = ["--from-stage", "VALUE_PRESENTATION", "--to-stage", "PROPOSAL"]
    assert main(["changes", DEMO_OPPORTUNITY_ID, *stages]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert ": changes from 2026-10-08 00:00 UTC to 2026-10-25 00:00 UTC" in first, first
    assert main(["changes", DEMO_OPPORTUNITY_ID, "--from-stage", "REQUIREMENTS", *stages[2:]]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "dealgraph: the opportunity has not entered the stage 3 Requirements analysis"
    ]


def test_the_process_of_a_deal_walked_to_won_as_deployed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A deal taken through every gate over the API, each step by its own login: the report
    between the first stage and WON tells who asked for and who decided each approval, the
    delivery review, the quote submitted and each stage move, each with its time, in time
    order, by people's names (never their logins), in English and Chinese."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DEALGRAPH_STORE", "embedded")
    monkeypatch.setenv("DEALGRAPH_DATA_DIR", str(tmp_path / "data"))
    executor = EmbeddedExecutor(tmp_path / "data", fsync="everysec")
    with open_api(executor) as api:
        walk_to_won(api)
    executor.close()

    stages = ["--from-stage", "VALIDATE", "--to-stage", "WON"]
    assert main(["changes", "Smart hospital", *stages]) == 0
    out = capsys.readouterr().out.splitlines()
    timed = [line for line in out if re.match(r"  \d{4}-\d\d-\d\d \d\d:\d\d UTC  ", line)]
    steps = [line.split(" UTC  ", 1)[1] for line in timed]
    times = [line[:24] for line in timed]
    assert times == sorted(times)
    assert steps[:2] == [
        "Li Ming requested TAS+1-1 Create opportunity",
        "Zhou Jie approved TAS+1-1 Create opportunity (requested by Li Ming)",
    ]
    assert (
        f"Zhou Jie rejected TAS+2-1 Opportunity initiation (requested by Li Ming): {REJECTION}"
        in steps
    )
    at = steps.index(
        "Du Qiang recorded the delivery review: feasible, 120 person-days,"
        " for a quote of CNY 1,900,000"
    )
    assert steps[at + 1 : at + 3] == [
        "Li Ming submitted the quote: CNY 1,900,000",
        "Li Ming moved the deal from 5 Proposal and quotation to 6 Bidding",
    ]
    assert steps[-1] == "Li Ming moved the deal from 7 Negotiation and signing to Won"
    assert len(steps) == 2 * (len(APPROVALS) + 1) + 7 + 2
    assert not any(login in line for line in out for login in ("li.ming", "zhou.jie", "du.qiang"))
    # each thing once: the steps tell the quote's submission and review, not the summary too
    listed = out[: next(i for i, line in enumerate(out) if line.startswith("Four questions"))]
    (summary,) = [line for line in listed if line.startswith("  Deal: ")]
    assert "quote status" not in summary, out
    assert "delivery review" not in summary, out

    assert main(["changes", "Smart hospital", *stages, "--lang", "zh-CN"]) == 0
    zh = [
        line.split(" UTC  ", 1)[1]
        for line in capsys.readouterr().out.splitlines()
        if " UTC  " in line
    ]
    assert zh[0] == "Li Ming申请TAS+1-1 创建商机流程"
    assert f"Zhou Jie驳回了TAS+2-1 商机立项流程（Li Ming申请），原因：{REJECTION}" in zh
    assert "Du Qiang记录了交付评审：可落地，工作量120人天，评审报价190万元" in zh
    assert "Li Ming提交了报价：190万元" in zh
    assert zh[-1] == "Li Ming将商机从7 谈判签约移至赢单"
