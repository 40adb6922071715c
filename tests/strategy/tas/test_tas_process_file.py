"""The default process file reproduces DOMAIN.md, and broken files are refused with a line."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.vocabulary import DecisionRole, Grade, Stage, TeamRole
from strategy import tas
from strategy.tas import ProcessDefinitionError, ViolationRule, load_process, parse_process
from strategy.tas.loader import OPPORTUNITY_FIELDS

DEFAULT = load_process()
PROCESS_FILE = Path(tas.__file__).parent / "process.toml"


def test_default_stage_order_matches_domain_table() -> None:
    assert [s.stage for s in DEFAULT.stages] == [
        Stage.VALIDATE,
        Stage.INITIATE,
        Stage.REQUIREMENTS,
        Stage.VALUE_PRESENTATION,
        Stage.PROPOSAL,
        Stage.BIDDING,
        Stage.NEGOTIATION,
    ]
    assert [s.order for s in DEFAULT.stages] == [1, 2, 3, 4, 5, 6, 7]


@pytest.mark.parametrize(
    ("stage", "codes"),
    [
        (Stage.VALIDATE, {"1-1", "1-2", "1-3"}),
        (Stage.INITIATE, {"2-1", "2-2", "2-3", "2-4", "2-5", "2-6"}),
        (Stage.REQUIREMENTS, {"3-1", "3-2"}),
        (Stage.VALUE_PRESENTATION, {"4-1"}),
        (Stage.PROPOSAL, set()),
        (Stage.BIDDING, {"6-1", "6-2", "6-3", "6-4"}),
        (Stage.NEGOTIATION, {"7-1"}),
    ],
)
def test_default_processes_per_stage_match_domain_table(stage: Stage, codes: set[str]) -> None:
    assert {p.code for p in DEFAULT.processes_of(stage)} == codes


def test_default_proposal_stage_requires_the_delivery_review() -> None:
    proposal = DEFAULT.stage(Stage.PROPOSAL)
    assert proposal is not None
    assert "delivery_review_recorded" in proposal.exit.actions
    assert "quote_amount" in proposal.exit.fields


def test_default_won_needs_sow_review_and_initiation_is_by_sales_director() -> None:
    negotiation = DEFAULT.stage(Stage.NEGOTIATION)
    assert negotiation is not None
    assert "7-1" in negotiation.exit.approvals
    p21 = DEFAULT.process("2-1")
    assert p21 is not None
    assert TeamRole.SALES_DIRECTOR in p21.approver_roles
    assert (p21.name_zh, p21.name_en) == ("商机立项流程", "Opportunity initiation")


def test_default_request_fields_of_resource_timesheet_and_poc_processes() -> None:
    def names(code: str) -> list[str]:
        process = DEFAULT.process(code)
        assert process is not None
        return [f.name for f in process.fields]

    resource = ["resource_type", "hours", "period_start", "period_end"]
    assert names("2-3") == resource
    assert names("2-5") == resource
    assert names("2-6") == ["entries"]
    assert names("4-1") == ["test_scope", "start_date", "end_date"]


def test_default_grades_e_needs_registration_and_upgrade_is_2_4() -> None:
    assert [c.grade for c in DEFAULT.grades.criteria] == list(Grade)
    e = DEFAULT.grades.criterion(Grade.E)
    assert e is not None
    assert e.approval == "2-2"
    assert DEFAULT.grades.upgrade_process == "2-4"
    assert DEFAULT.grades.upgrade_at == Stage.INITIATE
    assert DEFAULT.reopenable == frozenset({Stage.ABANDONED})


def test_default_names_only_known_opportunity_fields() -> None:
    used = {f for s in DEFAULT.stages for f in s.exit.fields}
    assert used <= OPPORTUNITY_FIELDS


def test_load_from_a_path(tmp_path: Path) -> None:
    text = PROCESS_FILE.read_text(encoding="utf-8")
    path = tmp_path / "company.toml"
    path.write_text(text.replace("idle_days = 30", "idle_days = 10"), encoding="utf-8")
    assert load_process(path).violations.idle_days == 10


MINIMAL = """\
format = 1

[grades]
currency = "CNY"
upgrade_process = "1-1"

[field_labels]
amount = { zh = "商机金额", en = "Deal amount" }

[[stages]]
stage = "VALIDATE"
name_zh = "验证商机"
name_en = "Validate"
[stages.exit]
fields = ["amount"]
actions = ["decision_maker_identified"]
approvals = ["1-1"]

[[processes]]
code = "1-1"
stage = "VALIDATE"
name_zh = "创建商机流程"
name_en = "Create opportunity"
approver_roles = ["SALES_DIRECTOR"]
"""


def _line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


def _refusal(text: str) -> ProcessDefinitionError:
    with pytest.raises(ProcessDefinitionError) as caught:
        parse_process(text, "company.toml")
    return caught.value


def test_the_recheck_of_acknowledged_violations_is_the_file_s_and_each_rule_is_known() -> None:
    """Left out, the recheck is a director's default (a gate sooner than the rule limits);
    written, it replaces it: a rule not named is final once acknowledged."""
    assert dict(parse_process(MINIMAL).violations.recheck_days) == {
        ViolationRule.STAGE_WITHOUT_APPROVAL: 14,
        ViolationRule.ACTION_OVERDUE: 14,
        ViolationRule.OPPORTUNITY_IDLE: 30,
    }
    own = MINIMAL + "\n[violations]\nrecheck_days = { OPPORTUNITY_IDLE = 7 }\n"
    assert dict(parse_process(own).violations.recheck_days) == {ViolationRule.OPPORTUNITY_IDLE: 7}
    unknown = _refusal(own.replace("OPPORTUNITY_IDLE = 7", "IDLE = 7"))
    assert "unknown violation rule 'IDLE'" in unknown.en
    assert "must be positive" in _refusal(own.replace("= 7", "= 0")).en
    past = _refusal(own.replace("OPPORTUNITY_IDLE = 7", "SELF_APPROVAL = 7"))
    assert past.en.endswith("SELF_APPROVAL is a past event, judged once: it does not come back")
    assert past.line == _line_of(own, "recheck_days")


def test_how_far_a_response_may_promise_is_the_file_s() -> None:
    """A director's default of 90 days ahead, or the file's own, never nought."""
    assert parse_process(MINIMAL).violations.promise_days == 90
    own = MINIMAL + "\n[violations]\npromise_days = 30\n"
    assert parse_process(own).violations.promise_days == 30
    assert "must be positive" in _refusal(own.replace("= 30", "= 0")).en


def test_the_days_someone_found_late_has_are_the_file_s_by_role() -> None:
    """A sales VP's default: a week, five days for one who decides; written, the file's own."""
    cfg = parse_process(MINIMAL).violations
    assert (cfg.newcomer_days, cfg.newcomer_days_of(DecisionRole.COACH)) == (7, 7)
    assert cfg.newcomer_days_of(DecisionRole.DECISION_MAKER) == 5
    assert cfg.newcomer_days_of(DecisionRole.APPROVER) == 5
    own = MINIMAL + "\n[violations]\nnewcomer_days = 10\nnewcomer_days_by_role = { USER = 3 }\n"
    mine = parse_process(own).violations
    assert mine.newcomer_days_of(DecisionRole.USER) == 3
    assert mine.newcomer_days_of(DecisionRole.DECISION_MAKER) == 10
    assert "unknown decision role 'BOSS'" in _refusal(own.replace("USER", "BOSS")).en
    assert "must be positive" in _refusal(own.replace("= 10", "= 0")).en
    assert "must be positive" in _refusal(own.replace("= 3", "= -1")).en


def test_minimal_file_loads() -> None:
    definition = parse_process(MINIMAL)
    assert [s.stage for s in definition.stages] == [Stage.VALIDATE]


def test_syntax_error_reports_line() -> None:
    text = MINIMAL.replace('fields = ["amount"]', 'fields = ["amount"')
    err = _refusal(text)
    assert err.line is not None
    assert err.line >= _line_of(text, 'fields = ["amount"')
    assert f"company.toml:{err.line}:" in str(err)
    assert "TOML" in str(err)


@pytest.mark.parametrize(
    ("old", "new", "needle", "words"),
    [
        (
            'stage = "VALIDATE"\nname_zh = "验证商机"',
            'stage = "VALIDAT"\nname_zh = "验证商机"',
            '"VALIDAT"',
            "unknown stage",
        ),
        (
            'approver_roles = ["SALES_DIRECTOR"]',
            'approver_roles = ["SALES_BOSS"]',
            "SALES_BOSS",
            "unknown team role",
        ),
        (
            'actions = ["decision_maker_identified"]',
            'actions = ["decision_maker_hugged"]',
            "decision_maker_hugged",
            "unknown action",
        ),
        (
            'fields = ["amount"]',
            'fields = ["amount", "budgett"]',
            "budgett",
            "unknown opportunity field",
        ),
        ('approvals = ["1-1"]', 'approvals = ["9-9"]', "9-9", "unknown process"),
        (
            'fields = ["amount"]',
            'fields = ["amount"]\nmandatory = true',
            "mandatory",
            "unknown key",
        ),
        (
            'stage = "VALIDATE"\nname_zh = "验证商机"',
            'stage = "WON"\nname_zh = "验证商机"',
            '"WON"',
            "closing state",
        ),
        (
            'upgrade_process = "1-1"',
            'upgrade_process = "1-1"\nupgrade_at = "WON"',
            "upgrade_at",
            "must be an open stage",
        ),
        (
            'upgrade_process = "1-1"',
            'upgrade_process = "1-1"\nupgrade_at = "LATER"',
            "upgrade_at",
            "upgrade_at",
        ),
    ],
)
def test_semantic_error_reports_line_of_offending_key(
    old: str, new: str, needle: str, words: str
) -> None:
    assert old in MINIMAL
    text = MINIMAL.replace(old, new)
    err = _refusal(text)
    assert err.line == _line_of(text, needle)
    assert words in str(err)
    assert err.zh  # bilingual


def test_duplicate_process_code_points_at_second_definition() -> None:
    text = MINIMAL + (
        '\n[[processes]]\ncode = "1-1"\nstage = "VALIDATE"\nname_zh = "重复"\n'
        'name_en = "Duplicate"\napprover_roles = ["SALES_DIRECTOR"]\n'
    )
    err = _refusal(text)
    lines = [i for i, line in enumerate(text.splitlines(), 1) if line == 'code = "1-1"']
    assert err.line == lines[1]
    assert "duplicate process code" in str(err)


def test_unknown_role_in_default_file_copy_points_at_its_line(tmp_path: Path) -> None:
    text = PROCESS_FILE.read_text(encoding="utf-8")
    broken = text.replace(
        'approver_roles = ["SOLUTION_MANAGER", "SALES_DIRECTOR"]',
        'approver_roles = ["SOLUTION_MANAGER", "CEO"]',
    )
    path = tmp_path / "broken.toml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ProcessDefinitionError) as caught:
        load_process(path)
    assert caught.value.line == _line_of(broken, '"CEO"')
    assert str(path) in str(caught.value)


def test_period_rule_must_name_a_date_field() -> None:
    text = MINIMAL.replace(
        'approver_roles = ["SALES_DIRECTOR"]',
        'approver_roles = ["SALES_DIRECTOR"]\n'
        'fields = [{ name = "end", type = "date", not_before = "start", '
        'label_zh = "结束", label_en = "End" }]',
    )
    err = _refusal(text)
    assert err.line == _line_of(text, 'not_before = "start"')


def test_every_default_process_says_what_a_request_of_it_should_tell_whoever_decides() -> None:
    """A request's comment is what the approver decides on: the form says what to write."""
    for process in DEFAULT.processes:
        assert process.request_help_en, process.code
        assert process.request_help_zh, process.code
        assert process.request_help_en != process.request_help_zh, process.code
