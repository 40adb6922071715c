"""``dealgraph changes``: the diff of a deal written at controlled times, since a date and
between two stage gates, in English and Chinese; wrong arguments are refused in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

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
