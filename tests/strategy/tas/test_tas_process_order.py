"""Process order: the process file says what each approval waits for, the loader checks it and
a request made too early is refused naming both processes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tas_case import approval, approved
from test_tas_process_file import MINIMAL

from domain.vocabulary import ApprovalState, Stage, TeamRole
from strategy.tas import ProcessDefinitionError, can_request, load_process, parse_process

DEFINITION = load_process()
ANYONE = (TeamRole.ACCOUNT_MANAGER, TeamRole.SOLUTION_MANAGER)
RESOURCES = {
    "resource_type": "architect",
    "hours": 40,
    "period_start": "2025-03-01",
    "period_end": "2025-03-10",
}
TIMESHEET = {"entries": [{"member": "Wang Fang", "week": "2025-W07", "hours": 8}]}


def test_default_file_orders_the_processes_as_the_article_does() -> None:
    wanted = {"2-3": ("2-1",), "2-5": ("2-3",), "2-6": ("2-5",), "6-4": ("6-3",)}
    for code, before in wanted.items():
        process = DEFINITION.process(code)
        assert process is not None
        assert process.requires_approved == before
    sow = DEFINITION.process("7-1")
    assert sow is not None
    assert sow.requires_stage == Stage.NEGOTIATION


def test_presales_resources_before_the_initiation_is_approved_are_refused() -> None:
    for approvals, now_zh, now_en in (
        ((), "尚未发起", "not requested"),
        ((approval("2-1", ApprovalState.PENDING),), "待审批", "pending"),
        ((approval("2-1", ApprovalState.REJECTED),), "已驳回", "rejected"),
    ):
        problems = can_request(
            DEFINITION, "2-3", ANYONE, RESOURCES, stage=Stage.INITIATE, approvals=approvals
        )
        assert [(p.code, p.path) for p in problems] == [("PROCESS_ORDER", "process")]
        assert problems[0].zh == (
            f"TAS+2-3 售前资源申请流程须在 TAS+2-1 商机立项流程获批后才能发起（当前：{now_zh}）"
        )
        assert problems[0].en == (
            "TAS+2-3 Presales resource request may be requested only after "
            f"TAS+2-1 Opportunity initiation is approved (now: {now_en})"
        )
    assert (
        can_request(
            DEFINITION, "2-3", ANYONE, RESOURCES, stage=Stage.INITIATE, approvals=approved("2-1")
        )
        == []
    )


@pytest.mark.parametrize(
    ("code", "fields", "before"),
    [("2-5", RESOURCES, "2-3"), ("2-6", TIMESHEET, "2-5"), ("6-4", {}, "6-3")],
)
def test_each_chained_process_waits_for_its_predecessor(
    code: str, fields: dict[str, object], before: str
) -> None:
    others = approved(*(p.code for p in DEFINITION.processes if p.code not in (before, code)))
    team = ("Wang Fang",)
    problems = can_request(
        DEFINITION, code, ANYONE, fields, stage=Stage.NEGOTIATION, approvals=others, team=team
    )
    assert [p.code for p in problems] == ["PROCESS_ORDER"]
    assert f"TAS+{before}" in problems[0].en
    everything = (*others, approval(before))
    assert (
        can_request(
            DEFINITION,
            code,
            ANYONE,
            fields,
            stage=Stage.NEGOTIATION,
            approvals=everything,
            team=team,
        )
        == []
    )


def test_sow_review_only_once_the_bid_was_won() -> None:
    def refused(stage: Stage) -> list[str]:
        return [p.en for p in can_request(DEFINITION, "7-1", ANYONE, {}, stage=stage, approvals=())]

    assert refused(Stage.BIDDING) == [
        "TAS+7-1 SOW scope review may be requested only once the deal has reached "
        "Negotiation and signing (now: Bidding)"
    ]
    assert refused(Stage.ABANDONED) != []
    assert refused(Stage.NEGOTIATION) == []
    assert refused(Stage.WON) == []


def _with_requires(requires: str) -> str:
    return MINIMAL.replace(
        'approver_roles = ["SALES_DIRECTOR"]',
        f'approver_roles = ["SALES_DIRECTOR"]\nrequires = {requires}',
    ) + (
        '\n[[processes]]\ncode = "1-2"\nstage = "VALIDATE"\nname_zh = "评估"\n'
        'name_en = "Assessment"\napprover_roles = ["SALES_DIRECTOR"]\n'
        'requires = { approved = ["1-1"] }\n'
    )


def test_loader_reads_a_prerequisite() -> None:
    definition = parse_process(_with_requires('{ stage = "VALIDATE" }'))
    first, second = definition.processes
    assert first.requires_stage == Stage.VALIDATE
    assert second.requires_approved == ("1-1",)


@pytest.mark.parametrize(
    ("requires", "words"),
    [
        ('{ approved = ["9-9"] }', "unknown process '9-9'"),
        ('{ approved = ["1-1"] }', "cannot require itself"),
        ('{ approved = ["1-2"] }', "loop: 1-1 → 1-2 → 1-1"),
        ('{ stage = "BIDDING" }', "not a declared open stage"),
        ('{ stage = "SOMEDAY" }', "unknown stage"),
        ('{ after = ["1-2"] }', "unknown key 'after'"),
    ],
)
def test_loader_refuses_prerequisites_that_cannot_be_met(requires: str, words: str) -> None:
    with pytest.raises(ProcessDefinitionError) as caught:
        parse_process(_with_requires(requires), "company.toml")
    assert words in str(caught.value)
    assert caught.value.line is not None
    assert caught.value.zh


def test_docs_show_the_order_of_the_default_file() -> None:
    text = (Path(__file__).parents[3] / "docs" / "process.md").read_text(encoding="utf-8")
    rows = re.findall(
        r"^\| (\d-\d) [^|]+\| (?:(\d-\d) [^|]+ approved|stage ([^:]+) reached:)", text, re.M
    )
    shown = {code: (before, stage.strip()) for code, before, stage in rows}
    expected = {
        p.code: (
            ",".join(p.requires_approved),
            DEFINITION.stage_name(p.requires_stage)[1] if p.requires_stage else "",
        )
        for p in DEFINITION.processes
        if p.requires_approved or p.requires_stage
    }
    assert shown == expected


def test_a_won_deal_asks_only_for_what_comes_after_the_award() -> None:
    """Once won, nothing is requested to win it (a POC, a bid approval): each is refused, naming
    what may still be asked for; the SOW scope review, which follows the award, is requested."""
    before_it = approved(*(p.code for p in DEFINITION.processes if not p.after_win))
    after = [p.code for p in DEFINITION.processes if p.after_win]
    assert after == ["7-1"]
    for code in ("1-1", "4-1", "6-3"):
        problems = can_request(DEFINITION, code, ANYONE, {}, stage=Stage.WON, approvals=())
        assert [(p.code, p.path) for p in problems] == [("DEAL_WON", "process_code")]
        assert problems[0].en.endswith("after the win only SOW scope review is requested")
    assert can_request(DEFINITION, "7-1", ANYONE, {}, stage=Stage.WON, approvals=before_it) == []
