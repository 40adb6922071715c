"""A deal's status as a sales leader reads it: on track, needs attention or at risk, with its
reasons in words.

Why not one absolute rule: the win likelihood carries the stage's prior and the "is it real"
gate, so an early deal with nothing wrong reads 15-30 % and an absolute bar puts nearly every
early deal at risk; a leader then has nothing to tell the real problems by. The status is
judged against the stage instead, on what a leader reviews ([health] in config.toml):

- serious (HIGH) red flags: one needs attention at any stage, ``at_risk_high_flags`` put the
  deal at risk (medium flags are the account manager's to-do list); while a deal is being
  validated, no decision maker or coach known yet is the next step, not a danger
  (``chain_mapped_from``), so a new deal is not at risk for being new;
- the win likelihood against its stage's bars (``at_risk_likelihood``,
  ``attention_likelihood``): per-stage bars in the likelihood's own terms, the chance a leader
  expects at that stage, rather than a distance from the stage prior: after a calibration the
  priors move and the likelihood is a real frequency, and "at negotiation we should be the
  favourite" still means the same chance. Before the requirements are known the bars are 0:
  an early deal is expected to be unproven;
- a passed expected close date: the forecast slipped, the date or the deal needs updating.
  "Is it real" docks the passed date too, and the likelihood with it; judged as well, the one
  slip would count twice and put a deal otherwise fine at risk. The likelihood is therefore
  judged as it reads once the date is updated (``likelihood_once_dated``);
- a close date moved out again and again lately (``close_pushes_attention``,
  ``close_pushes_at_risk`` times, a week or more each, once the deal was initiated): the
  customer keeps not deciding, and the forecast is a hope; moved out once by months
  (``close_push_far_days``): the budget may be gone with its year. The date passed once is
  the slip above.
- no contact for the process's idle days (``OPPORTUNITY_IDLE``'s own notion and limit): at risk
  from ``stalled_at_risk_from`` on, needs attention before it.
- sitting at its stage too long, contact or none (``STALLED_IN_STAGE``, a serious red flag):
  past the stage's ``stage_attention_days`` it needs attention, past its ``stage_at_risk_days``
  it is at risk on its own. Days count at the stage the deal stands at, from when it entered
  it (a deal moved back: re-entered it); the bidding runs on the tender's calendar and is not
  judged by its time. Validation's days are also how long a new deal is on track unmapped.
- key people gone quiet while the rest of the deal is not: from the proposal on a budget
  holder (an approver or a high-influence finance head), decision maker or, from the bidding,
  procurement not talked to for longer than their role's limit at the stage
  (``budget_holder_quiet_days`` and the like; while our bid is in, procurement and finance sit
  on the evaluation and are not counted), and from initiation on a coach or champion not met for
  ``insider_quiet_days``: needs attention, naming them.
- from the proposal on, no known decision maker or one who backs a rival puts a deal at risk
  on its own (``signer_flags_at_risk_from``).
- no budget on record once initiation has asked for one (``budget_due_from``): needs
  attention, whatever the likelihood reads; the reason says whom to confirm it with.
- no compelling event on record once a quote is on the table (``compelling_event_due_from``):
  needs attention, asking what makes the decision maker decide by the close date.
- a deal moved back a stage, for ``moved_back_news_days`` after the move: needs attention, at
  risk when it left the bidding or the negotiation (``moved_back_at_risk_from``). Its flags
  (``analysis.red_flags``) and the duties above are read at the furthest stage it reached: a
  step back does not make a deal read better in a review.

The status is the worst of its reasons; a deal on track says so in one reason.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Final

from domain.chain import ChainSnapshot, CloseDateMove, MemberFacts, OpportunityFacts
from domain.text import Text
from domain.vocabulary import CLOSED_STAGES, Attitude, DecisionRole, Stage, label_of
from strategy.analysis import RedFlag
from strategy.assessment import (
    INFLUENCE_RANK,
    SEALED_WHILE_BID_IN,
    Assessment,
    bid_in,
    question_input,
    uncut,
)
from strategy.config import StrategyConfig
from strategy.scoring import calendar_days, stuck_level
from strategy.scoring import stage_days as stage_days_of
from strategy.seats import unnamed_for
from strategy.tas import violations as process_rules
from strategy.tas.timeline import happened

STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)


class HealthStatus(StrEnum):
    """How much of a leader's review a deal needs, least first. A deal just created, with
    nobody in its chain yet, is not assessed yet: nothing is known to be on track or wrong."""

    NOT_ASSESSED = "NOT_ASSESSED"
    ON_TRACK = "ON_TRACK"
    NEEDS_ATTENTION = "NEEDS_ATTENTION"
    AT_RISK = "AT_RISK"


STATUS_LABELS: Final[Mapping[HealthStatus, Text]] = {
    HealthStatus.NOT_ASSESSED: Text("Not assessed yet", "尚待评估"),
    HealthStatus.ON_TRACK: Text("On track", "正常推进"),
    HealthStatus.NEEDS_ATTENTION: Text("Needs attention", "需要关注"),
    HealthStatus.AT_RISK: Text("At risk", "有风险"),
}
"""What each status is called where deals are listed, as a sales director says it."""

_RANK = {s: n for n, s in enumerate(HealthStatus)}


@dataclass(frozen=True, slots=True)
class HealthReason:
    """One reason for a status, with the status it alone gives and whom it names."""

    code: str
    status: HealthStatus
    text_en: str
    text_zh: str
    person_ids: tuple[str, ...] = ()
    competitor_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DealHealth:
    """A deal's status and its reasons, the worst first."""

    status: HealthStatus
    reasons: tuple[HealthReason, ...]


def _percent(value: float) -> str:
    return f"{value:.0%}"


def likelihood_once_dated(assessment: Assessment, config: StrategyConfig) -> float:
    """The win likelihood with a passed expected close date read as a date ahead: the
    likelihood the deal has once its account manager updates the date, which is what the
    slip asks of them (the slip is its own reason)."""
    likelihood = assessment.win_likelihood
    real = assessment.is_real
    ac = config.assessment
    passed = round(ac.close_date_passed_points)
    if not any(r.factor == "timeline" and r.points == passed for r in real.reasons):
        return likelihood.value
    term = next((t for t in likelihood.terms if t.factor == "is_real"), None)
    if term is None:
        return likelihood.value
    dated = min(100, uncut(real, config) - passed + round(ac.close_date_points))
    logit = term.weight * (question_input("is_real", dated) - 50) / 50
    return 1.0 / (1.0 + math.exp(-(likelihood.logit - term.logit + logit)))


MAPPING_FLAGS = frozenset({"NO_DECISION_MAKER", "NO_COACH"})
"""The red flags of a chain not mapped yet: the next step while a deal is being validated
(``chain_mapped_from``), a danger after it."""

STALLED_IN_STAGE = "STALLED_IN_STAGE"
"""The red flag of a deal sitting at its stage too long: a serious flag like any, and at risk
on its own past the stage's ``stage_at_risk_days``."""

SIGNER_FLAGS = frozenset({"NO_DECISION_MAKER", "DECISION_MAKER_WITH_COMPETITOR"})
"""Flags about who signs: from the proposal on (``signer_flags_at_risk_from``) either alone puts
a deal at risk. A bid whose signer nobody knows, or who backs a rival, is a make-weight bid."""


SIGNER_LEFT = "DECISION_MAKER_LEFT"
"""The decision maker left: from the proposal on, once their job has been nobody's we know for
``analysis.unnamed_seat_high_days`` (``_signer_seat_open``), it puts the deal at risk as a
decision maker never mapped does (a sales VP: the team had its time to find out who signs)."""


def _signer_seat_open(
    snapshot: ChainSnapshot, group: Sequence[RedFlag], now_ms: int, config: StrategyConfig
) -> bool:
    """Whether the seat of the decision maker ``group`` is about has been held by nobody named
    for long enough to count as no decision maker, while no other decision maker is on the
    chain: the rule that makes the departure's watch point serious
    (``strategy.seats.unnamed_for``)."""
    if any(m.role == DecisionRole.DECISION_MAKER for m in snapshot.members):
        return False  # another decides: the deal has a decision maker
    about = {p for f in group for p in f.person_ids}
    return any(
        seat.role == DecisionRole.DECISION_MAKER
        and not seat.named
        and seat.left is not None
        and seat.left_by in about
        and (found := unnamed_for(seat.left, snapshot.opportunity.stage.value, now_ms, config))
        and found[1]
        for seat in snapshot.seats
    )


BREACH_FLAGS = frozenset({"SOCIAL_CONTACT_WITH_SUPERVISOR", "SOCIAL_CONTACT_WITH_EVALUATOR"})
"""A compliance breach on record that can disqualify the bid (a meal with the supervisor of the
purchase, or with its evaluators during the tender): alone, at any stage, it puts a deal at
risk (one still planned needs attention: it can be called off). A contact with a
tender expert on record is not one of them: the record cannot tell it from the session the
tender agency holds for the whole panel."""


def _due(stage: Stage, since: Stage) -> bool:
    return STAGE_ORDER.index(stage) >= STAGE_ORDER.index(since)


def reached(opp: OpportunityFacts) -> Stage:
    """The stage whose duties a deal owes: the furthest it reached, when it was moved back."""
    return opp.moved_back_from or opp.stage


def _moved_back_reason(
    opp: OpportunityFacts, now_ms: int, config: StrategyConfig
) -> HealthReason | None:
    """A move back while it is news: needs attention, at risk out of the bidding or the
    negotiation (the deal left the forecast's commit). It names the furthest stage the deal
    reached, which need not be the stage it last left (two steps back are one move back)."""
    left, entered = opp.moved_back_from, opp.stage_entered_at
    if left is None or entered is None:
        return None
    days = calendar_days(entered, now_ms)  # "2 days ago" as the dates on the page count
    if days > config.health.moved_back_news_days:
        return None
    late = _due(left, config.health.moved_back_at_risk_from)
    was_en, was_zh = _stage_name(left), _stage_name(left, "zh")
    now_en, now_zh = _stage_name(opp.stage), _stage_name(opp.stage, "zh")
    when_en = "today" if days == 0 else f"{days} day{'s' if days != 1 else ''} ago"
    when_zh = "今天" if days == 0 else f"{days}天前"
    return HealthReason(
        "MOVED_BACK",
        HealthStatus.AT_RISK if late else HealthStatus.NEEDS_ATTENTION,
        f"Moved back to {now_en} {when_en} (it had reached {was_en})"
        + (": out of the forecast's commit" if late else "")
        + f"; find out what changed and what it takes to get back to {was_en}",
        f"{when_zh}退回{now_zh}（此前已进入{was_zh}）"
        + ("，已不在承诺预测之内" if late else "")
        + f"：弄清发生了什么变化，以及重回{was_zh}需要什么",
    )


def _about_one(flags: Sequence[RedFlag]) -> list[list[RedFlag]]:
    """The flags grouped as a leader reads them: those about one and the same person together
    (in their first one's place; a flag with a clause is about its first person, "stands
    between us and 周建国"), every other flag alone. A decision maker who opposes us and backs a
    rival is one danger, not two, and so is an approver close to a rival who stands between us
    and the president."""
    groups: list[list[RedFlag]] = []
    by_person: dict[str, list[RedFlag]] = {}
    for f in flags:
        if len(f.person_ids) == 1 or (f.person_ids and f.clause_en):
            group = by_person.get(f.person_ids[0])
            if group is not None:
                group.append(f)
                continue
            by_person[f.person_ids[0]] = group = [f]
            groups.append(group)
        else:
            groups.append([f])
    return groups


def _flag_reasons(
    snapshot: ChainSnapshot,
    flags: Sequence[RedFlag],
    stage_days: float,
    now_ms: int,
    config: StrategyConfig,
) -> tuple[list[HealthReason], tuple[RedFlag, ...]]:
    """Each serious red flag in its own words, at risk when there are enough of them, when
    one about the signer comes from the proposal on, or when the deal has sat at its stage past
    its at-risk days (``STALLED_IN_STAGE``, ``stuck_level``); and the mapping flags that are
    still only the next step (a deal validated for no longer than validation's
    ``stage_attention_days``: a new deal is not a problem for being new; one left unmapped
    longer needs attention).

    Flags about the same single person read as one line and count as one serious flag; no
    decision maker and no coach known read as one line once the chain is due to be mapped, and
    still count as the two flags they are."""
    hc = config.health
    stage = reached(snapshot.opportunity)  # a deal moved back owes what it owed there
    mapping_due = _due(stage, hc.chain_mapped_from)
    high = [f for f in flags if f.severity == "HIGH"]
    early = [f for f in high if not mapping_due and f.code in MAPPING_FLAGS]
    next_steps = tuple(early) if stage_days <= hc.stage_attention_days[Stage.VALIDATE] else ()
    shown = _about_one([f for f in high if f not in next_steps])
    serious = [g for g in shown if g[0] not in early]
    many = len(serious) >= hc.at_risk_high_flags
    signer_due = _due(stage, hc.signer_flags_at_risk_from)
    opp = snapshot.opportunity
    stuck = stuck_level(opp.stage, stage_days_of(opp, now_ms), config) == 2

    def status(group: Sequence[RedFlag]) -> HealthStatus:
        if group[0] in early:
            return HealthStatus.NEEDS_ATTENTION
        codes = {f.code for f in group}
        if many or codes & BREACH_FLAGS or (signer_due and codes & SIGNER_FLAGS):
            return HealthStatus.AT_RISK
        if (
            signer_due
            and SIGNER_LEFT in codes
            and _signer_seat_open(snapshot, group, now_ms, config)
        ):
            return HealthStatus.AT_RISK
        if stuck and STALLED_IN_STAGE in codes:
            return HealthStatus.AT_RISK
        return HealthStatus.NEEDS_ATTENTION

    reasons = [_group_reason(snapshot, g, status(g)) for g in shown]
    return _unmapped_in_one(reasons) if mapping_due else reasons, next_steps


def _reason(flag: RedFlag, status: HealthStatus) -> HealthReason:
    return HealthReason(
        flag.code, status, flag.text_en, flag.text_zh, flag.person_ids, flag.competitor_ids
    )


def _group_reason(
    snapshot: ChainSnapshot, group: Sequence[RedFlag], status: HealthStatus
) -> HealthReason:
    """One flag's own reason, or one line for the flags about one person: "Zhang Wei
    (decision maker) opposes us and backs Rival Corp", opposing us first, under the first
    flag's code. Flags without a clause of their own are joined as they read."""
    first = group[0]
    if len(group) == 1:
        return _reason(first, status)
    comps = tuple(sorted({c for f in group for c in f.competitor_ids}))
    if not all(f.clause_en and f.clause_zh for f in group):
        en = "; ".join(f.text_en for f in group)
        zh = "；".join(f.text_zh for f in group)
        return HealthReason(first.code, status, en, zh, first.person_ids, comps)
    ordered = sorted(group, key=lambda f: f.code != "HIGH_INFLUENCE_OPPONENT")
    person = first.person_ids[0]
    name = next((p.name for p in snapshot.persons if p.id == person), "?")
    role = next((m.role for m in snapshot.members if m.person_id == person), None)
    if role is None:
        subject_en = subject_zh = name
    else:
        subject_en = f"{name} ({label_of(role).lower()})"
        subject_zh = f"{name}（{label_of(role, 'zh')}）"
    clauses_en = _said_once([f.clause_en for f in ordered], " and ")
    en = ", ".join(clauses_en[:-1]) + " and " + clauses_en[-1]
    zh = "，且".join(_said_once([f.clause_zh for f in ordered], "，"))
    people = tuple(dict.fromkeys(p for f in group for p in f.person_ids))
    en, zh = f"{subject_en} {en}", f"{subject_zh}{zh}"
    return HealthReason(first.code, status, en, zh, people, comps)


def _said_once(clauses: Sequence[str], joint: str) -> list[str]:
    """The clauses with a first part an earlier one already said left out of it: "is close to
    华康医疗" once, not again before "stands between us and 周建国"."""
    said: set[str] = set()
    kept: list[str] = []
    for clause in clauses:
        head, sep, rest = clause.partition(joint)
        if sep and head in said:
            clause = rest
        said.add(head)
        kept.append(clause)
    return kept


def _unmapped_in_one(reasons: list[HealthReason]) -> list[HealthReason]:
    """No decision maker and no coach known, once the chain is due to be mapped, in one line
    where the first of them stood: a leader reads one danger, the chain not mapped."""
    codes = [r.code for r in reasons]
    if not set(codes) >= MAPPING_FLAGS:
        return reasons
    pair = [r for r in reasons if r.code in MAPPING_FLAGS]
    worst = max((r.status for r in pair), key=lambda s: _RANK[s])
    merged = HealthReason(
        "NO_DECISION_MAKER",
        worst,
        "Chain not mapped: no decision maker known, no coach",
        "决策链尚未梳理：未识别决策者，没有教练",
    )
    first = min(codes.index(c) for c in MAPPING_FLAGS)
    rest = [r for r in reasons if r.code not in MAPPING_FLAGS]
    return [*rest[:first], merged, *rest[first:]]


KEY_SIGNERS = frozenset(
    {DecisionRole.DECISION_MAKER, DecisionRole.APPROVER, DecisionRole.PROCUREMENT}
)
"""Who signs, approves the money or runs the signing: while a deal is settled, silence from
them is where a deal is lost to someone who kept talking."""


def watched_signer(member: MemberFacts, config: StrategyConfig) -> bool:
    """A ``KEY_SIGNERS`` member, or finance of at least ``budget_holder_price_binding``
    influence: the finance head who holds the budget co-signs the amount and the payment terms
    (a sales director, casebook case 102). A finance officer of less say checks the numbers and
    is no signature to lose (case 92: met 20 days before, on track)."""
    if member.role in KEY_SIGNERS:
        return True
    binding = INFLUENCE_RANK[config.assessment.budget_holder_price_binding]
    return member.role == DecisionRole.FINANCE and INFLUENCE_RANK[member.influence] >= binding


def _last_met(snapshot: ChainSnapshot, now_ms: int) -> dict[str, int]:
    """When each person was last contacted by anyone of ours, about any deal or none."""
    met: dict[str, int] = {}
    for a in happened(snapshot.activities, now_ms):
        for person in a.person_ids:
            met[person] = max(met.get(person, a.occurred_at), a.occurred_at)
    return met


def _quiet_text(
    snapshot: ChainSnapshot, quiet: Sequence[tuple[str, DecisionRole, int | None]]
) -> tuple[str, str]:
    names = {p.id: p.name for p in snapshot.persons}
    en, zh = [], []
    for person, role, days in quiet:
        name = names.get(person, "?")
        role_en, role_zh = label_of(role).lower(), label_of(role, "zh")
        en.append(f"{name} ({role_en}, {'never' if days is None else f'{days} days'})")
        zh.append(f"{name}（{role_zh}，{'从未接触' if days is None else f'{days}天'}）")
    return "; ".join(en), "；".join(zh)


def quiet_limit(member: MemberFacts, stage: Stage, config: StrategyConfig) -> int:
    """How many days a signer may go without contact at ``stage`` (0: not watched there)."""
    hc = config.health
    if member.role == DecisionRole.DECISION_MAKER:
        return int(hc.decision_maker_quiet_days[stage])
    if member.role == DecisionRole.PROCUREMENT:
        return int(hc.procurement_quiet_days[stage])
    return int(hc.budget_holder_quiet_days[stage]) if watched_signer(member, config) else 0


def signer_silence(
    member: MemberFacts,
    last: int | None,
    opp: OpportunityFacts,
    now_ms: int,
    config: StrategyConfig,
) -> tuple[int | None, int] | None:
    """(days quiet, None when never met; the limit) of a signer nobody of ours has talked to
    for longer than their role's limit at the stage the deal reached (``quiet_limit``), else
    None. With our bid in, procurement and finance sit on the evaluation, silent by rule."""
    if member.role in SEALED_WHILE_BID_IN and bid_in(opp):
        return None
    limit = quiet_limit(member, reached(opp), config)
    if not limit:
        return None
    over, days = _quiet_past(last, now_ms, limit)
    return (days, limit) if over else None


def _quiet_past(last: int | None, now_ms: int, limit: int) -> tuple[bool, int | None]:
    """Whether someone last contacted at ``last`` (None: never) is quiet past ``limit`` days,
    and for how many days (None: never met)."""
    if last is None:
        return True, None
    if now_ms - last <= limit * process_rules.DAY_MS:
        return False, None
    return True, calendar_days(last, now_ms)


def _signers_quiet(
    snapshot: ChainSnapshot,
    stage: Stage,
    found: Sequence[tuple[str, DecisionRole, int | None, int]],
) -> HealthReason:
    """Those who sign, quiet past their limits (or never met): needs attention (the signing
    goes to whoever kept talking)."""
    names = {p.id: p.name for p in snapshot.persons}
    en, zh = [], []
    for person, role, days, limit in found:
        name = names.get(person, "?")
        role_en, role_zh = label_of(role).lower(), label_of(role, "zh")
        if days is None:
            en.append(f"{name} ({role_en}, never)")
            zh.append(f"{name}（{role_zh}，从未接触）")
        else:
            en.append(f"{name} ({role_en}, {days} days; at most {limit})")
            zh.append(f"{name}（{role_zh}，{days}天；上限{limit}天）")
    return HealthReason(
        "SIGNERS_QUIET",
        HealthStatus.NEEDS_ATTENTION,
        f"Not contacted for longer than {_stage_name(stage)} allows: " + "; ".join(en),
        f"未接触时间超过{_stage_name(stage, 'zh')}阶段的上限：" + "；".join(zh),
        tuple(p for p, _, _, _ in found),
    )


def _quiet_reasons(
    snapshot: ChainSnapshot, now_ms: int, config: StrategyConfig
) -> list[HealthReason]:
    """The key people nobody of ours has talked to lately: those who sign, past their role's
    limit at the stage reached (``health.budget_holder_quiet_days`` and the like), and from
    initiation on our coaches and champions (an inside guide we do not talk to guides nobody).
    Each kind one reason, naming them."""
    hc = config.health
    stage = reached(snapshot.opportunity)
    met = _last_met(snapshot, now_ms)

    members = sorted(snapshot.members, key=lambda m: m.person_id)
    reasons: list[HealthReason] = []
    opp = snapshot.opportunity
    past = [
        (m.person_id, m.role, *silence)
        for m in members
        if (silence := signer_silence(m, met.get(m.person_id), opp, now_ms, config))
    ]
    if past:
        reasons.append(_signers_quiet(snapshot, stage, past))
    if not _due(stage, hc.chain_mapped_from):
        return reasons
    days = hc.insider_quiet_days
    insiders = [
        (m.person_id, m.role)
        for m in members
        if m.role == DecisionRole.COACH or m.attitude == Attitude.CHAMPION
    ]
    found: list[tuple[str, DecisionRole, int | None]] = []
    for person, role in insiders:  # one nobody has met is no insider of ours yet
        over, quiet_days = _quiet_past(met.get(person), now_ms, days)
        if over and quiet_days is not None:
            found.append((person, role, quiet_days))
    if found:
        en, zh = _quiet_text(snapshot, found)
        reasons.append(
            HealthReason(
                "INSIDERS_QUIET",
                HealthStatus.NEEDS_ATTENTION,
                f"Our coach or champion not met for over {days} days: {en}",
                f"教练或拥护者超过{days}天未见面：{zh}",
                tuple(p for p, _, _ in found),
            )
        )
    return reasons


def _stage_name(stage: Stage, locale: str = "en") -> str:
    """A stage's label without its number ("Negotiation and signing", "谈判签约")."""
    return label_of(stage, locale).split(" ", 1)[-1]


def _under_percent(value: float, bar: float) -> str:
    """A likelihood under ``bar`` as the pages round it (22.8 % is "23%", as the deal's header
    shows it), and to a tenth, rounded down, where that would read as the bar itself (59.98 %
    is "59.9%", not "60%")."""
    whole = math.floor(value * 100 + 0.5)
    if whole < math.floor(bar * 100 + 0.5):
        return f"{whole}%"
    return f"{math.floor(value * 1000) / 10:.1f}%"


def _likelihood_reason(
    stage: Stage, likelihood: float, config: StrategyConfig
) -> HealthReason | None:
    """The likelihood below its stage's bars, or None."""
    hc = config.health
    if likelihood < hc.at_risk_likelihood[stage]:
        status = HealthStatus.AT_RISK
    elif likelihood < hc.attention_likelihood[stage]:
        status = HealthStatus.NEEDS_ATTENTION
    else:
        return None
    bar = (
        hc.at_risk_likelihood[stage]
        if status == HealthStatus.AT_RISK
        else hc.attention_likelihood[stage]
    )
    p, b = _under_percent(likelihood, bar), _percent(bar)
    en, zh = _stage_name(stage), _stage_name(stage, "zh")
    # two bars, said as two: one the deal should clear, one under which it is at risk (a sales
    # director read "under the 15% expected" and then "under the 25% expected" at one stage)
    if status == HealthStatus.AT_RISK:
        return HealthReason(
            "LOW_LIKELIHOOD",
            status,
            f"Win likelihood {p} is under {b}: below it a deal at {en} is at risk",
            f"赢单概率{p}，低于{zh}阶段的风险线{b}",
        )
    return HealthReason(
        "LOW_LIKELIHOOD",
        status,
        f"Win likelihood {p} is under the {b} expected at {en}",
        f"赢单概率{p}，低于{zh}阶段应有的{b}",
    )


def _slipped_reason(close: str | None, today: date) -> HealthReason | None:
    """The expected close date passed on an open deal: the forecast slipped."""
    if not close:
        return None
    try:
        day = date.fromisoformat(close)
    except ValueError:
        return None
    if day >= today:
        return None
    return HealthReason(
        "SLIPPED",
        HealthStatus.NEEDS_ATTENTION,
        f"Expected close {close} has passed: update the date or the deal",
        f"预计签约日期{close}已过：请更新日期或商机",
    )


@dataclass(frozen=True, slots=True)
class _Pushes:
    """What a leader reads from a close date's recent moves: how often it was pushed out, the
    dates it went from and to, and the furthest it went beyond any date it stood at before
    (days, and that move's dates)."""

    count: int
    first: str
    last: str
    farthest: int = 0
    far_from: str = ""
    far_to: str = ""


def _corrected(moves: Sequence[CloseDateMove]) -> list[CloseDateMove]:
    """The moves with those made within a day of the one before taken as one: a date typed
    wrong and put right at once (2027 typed as 2026, then fixed) moved nothing."""
    merged: list[CloseDateMove] = []
    for move in moves:
        if merged and abs(move.at - merged[-1].at) < process_rules.DAY_MS:
            earlier = merged[-1]
            merged[-1] = CloseDateMove(earlier.before, move.after, move.stage, earlier.at)
        else:
            merged.append(move)
    return [m for m in merged if m.before != m.after]


def _pushes(moves: Sequence[CloseDateMove], now_ms: int, config: StrategyConfig) -> _Pushes | None:
    """The pushes among the moves made once the deal was initiated and lately (``[health]``
    close_push*). A push is a date later by a week or more; smaller moves add up until they
    are one (six days at a time is still a month gone after five), a date pulled in is no push
    (moving it out again is: a commitment missed), a date cleared and set again later moves
    from the one cleared, and moves put right within a day are one (``_corrected``). How far
    the date went is measured beyond the latest date it ever stood at: a date pulled in and
    set back where it was has not gone months out. None without a counted move."""
    hc = config.health
    since = now_ms - hc.close_push_window_days * process_rules.DAY_MS
    count = carry = farthest = 0
    first: str | None = None
    last, known, far_from, far_to = "", None, "", ""
    high: date | None = None
    for move in _corrected(moves):
        before, known = move.before or known, move.after or known
        counted = move.at >= since and _due(move.stage, hc.close_pushes_counted_from)
        try:
            start = date.fromisoformat(before) if before else None
            end = date.fromisoformat(move.after) if move.after else None
        except ValueError:
            continue
        if counted and start is not None and end is not None:
            first, last = first or before, end.isoformat()
            carry = max(0, carry + (end - start).days)
            if carry >= hc.close_push_min_days:
                count, carry = count + 1, 0
            reach = start if high is None else max(start, high)
            if (end - reach).days > farthest:
                farthest, far_from, far_to = (end - reach).days, reach.isoformat(), end.isoformat()
        high = max((d for d in (high, start, end) if d is not None), default=None)
    if first is None:
        return None
    return _Pushes(count, first, last, farthest, far_from, far_to)


def _pushed_reason(
    moves: Sequence[CloseDateMove], now_ms: int, config: StrategyConfig
) -> HealthReason | None:
    """A close date pushed out again and again: a pattern to ask about, then not a forecast;
    pushed out once by months: the budget may be gone with the year it was approved for."""
    hc = config.health
    found = _pushes(moves, now_ms, config)
    if found is None:
        return None
    n, first, last = found.count, found.first, found.last
    if n >= hc.close_pushes_attention:
        return HealthReason(
            "CLOSE_PUSHED_OUT",
            HealthStatus.AT_RISK if n >= hc.close_pushes_at_risk else HealthStatus.NEEDS_ATTENTION,
            f"Expected close moved out {n} times, from {first} to {last}: find out what keeps "
            "the customer from deciding",
            f"预计签约日期已推迟{n}次（从{first}推迟到{last}）：请弄清客户迟迟未做决定的原因",
        )
    if found.farthest < hc.close_push_far_days:
        return None
    months = round(found.farthest / 30.44)
    far_from, far_to = found.far_from, found.far_to
    return HealthReason(
        "CLOSE_PUSHED_OUT",
        HealthStatus.NEEDS_ATTENTION,
        f"Expected close moved out by {months} months, from {far_from} to {far_to}: is the "
        "budget still approved?",
        f"预计签约日期一次推迟了{months}个月（从{far_from}推迟到{far_to}）：请确认预算是否仍然有效",
    )


def _stalled_reason(stage: Stage, idle: int | None, config: StrategyConfig) -> HealthReason | None:
    """No contact for longer than the process allows: at risk once a quote is on the table."""
    if idle is None:
        return None
    return HealthReason(
        "STALLED",
        HealthStatus.AT_RISK
        if _due(stage, config.health.stalled_at_risk_from)
        else HealthStatus.NEEDS_ATTENTION,
        f"No contact with the customer for {idle} days",
        f"已{idle}天未与客户接触",
    )


_FUNDERS = (DecisionRole.FINANCE, DecisionRole.APPROVER, DecisionRole.DECISION_MAKER)


def _named(snapshot: ChainSnapshot, role: DecisionRole) -> list[str]:
    """The names of the chain's members in ``role`` (those who have one)."""
    names = {p.id: p.name for p in snapshot.persons}
    return [
        names[m.person_id] for m in snapshot.members if m.role == role and names.get(m.person_id)
    ]


def _unfunded_reason(snapshot: ChainSnapshot, config: StrategyConfig) -> HealthReason | None:
    """No budget on record once initiation has asked for one: needs attention, naming whom to
    confirm it with (finance or an approver, else who decides)."""
    opp = snapshot.opportunity
    if opp.budget is not None or not _due(reached(opp), config.health.budget_due_from):
        return None
    for role in _FUNDERS:
        who = _named(snapshot, role)
        if who:
            ask_en, ask_zh = f"confirm it with {' and '.join(who)}", f"请与{'、'.join(who)}确认"
            break
    else:
        ask_en, ask_zh = "find out who holds it and confirm it", "请弄清谁掌握预算并确认"
    en, zh = _stage_name(opp.stage), _stage_name(opp.stage, "zh")
    return HealthReason(
        "NO_BUDGET",
        HealthStatus.NEEDS_ATTENTION,
        f"No budget on record at {en}, though initiation asks for one: {ask_en}",
        f"已到{zh}阶段仍无预算记录（商机立项即应确认）：{ask_zh}",
    )


def _no_urgency_reason(snapshot: ChainSnapshot, config: StrategyConfig) -> HealthReason | None:
    """No compelling event on record once a quote is on the table: needs attention, asking what
    makes who decides (by name when known) decide by the close date forecast."""
    opp = snapshot.opportunity
    if opp.compelling_event or not _due(reached(opp), config.health.compelling_event_due_from):
        return None
    deciders = _named(snapshot, DecisionRole.DECISION_MAKER)
    who_en = " and ".join(deciders) if deciders else "the customer"
    who_zh = "、".join(deciders) if deciders else "客户"
    close = opp.expected_close_date
    by_en, by_zh = (f"by {close}", f"在{close}前") if close else ("this year", "今年")
    en, zh = _stage_name(opp.stage), _stage_name(opp.stage, "zh")
    return HealthReason(
        "NO_COMPELLING_EVENT",
        HealthStatus.NEEDS_ATTENTION,
        f"No compelling event on record at {en}: what makes {who_en} decide {by_en}?",
        f"已到{zh}阶段仍无紧迫事件记录：是什么促使{who_zh}{by_zh}做出决定？",
    )


NEXT_STEPS = {
    "NO_DECISION_MAKER": ("find out who decides", "弄清谁拍板"),
    "NO_COACH": ("develop a coach", "发展教练"),
}


def _on_track_reason(
    stage: Stage,
    likelihood: float,
    last_contact: int | None,
    now_ms: int,
    next_steps: Sequence[RedFlag],
    config: StrategyConfig,
) -> HealthReason:
    """What a deal on track has going for it, in one sentence, and the mapping still to do."""
    # Mapping still to do is raised as serious flags on the deal: the status says what they are.
    en = ["Being validated, the chain not mapped yet" if next_steps else "No serious red flag"]
    zh = ["验证阶段，决策链尚未梳理" if next_steps else "无严重红旗"]
    judged = config.health.attention_likelihood[stage] > 0
    p, stage_en, stage_zh = _percent(likelihood), _stage_name(stage), _stage_name(stage, "zh")
    if judged:
        en.append(f"win likelihood {p} as expected at {stage_en}")
        zh.append(f"赢单概率{p}符合{stage_zh}阶段的预期")
    else:
        en.append(f"an early deal (win likelihood {p}) is not expected to be proven yet")
        zh.append(f"商机尚处早期，赢单概率{p}属正常，此时还不必得到验证")
    if last_contact is not None:
        days = max(0, now_ms - last_contact) // process_rules.DAY_MS
        en.append(f"last contact {days} days ago")
        zh.append(f"最近一次接触在{days}天前")
    if next_steps:
        en.append("next: " + " and ".join(NEXT_STEPS[f.code][0] for f in next_steps))
        zh.append("下一步：" + "、".join(NEXT_STEPS[f.code][1] for f in next_steps))
    return HealthReason("ON_TRACK", HealthStatus.ON_TRACK, ", ".join(en), "，".join(zh))


def _unassessed_reason(likelihood: float, next_steps: Sequence[RedFlag]) -> HealthReason:
    """A deal with nobody in its chain yet (a sales leader: "new, not qualified yet", neither on
    track nor in trouble): its likelihood is the starting point of its stage, not a verdict."""
    p = _percent(likelihood)
    en = f"A new deal with no decision chain mapped yet: its win likelihood ({p}) is only a start"
    zh = f"新建商机，尚未梳理决策链：赢单概率（{p}）只是起点"
    if next_steps:
        en += "; next: " + " and ".join(NEXT_STEPS[f.code][0] for f in next_steps)
        zh += "；下一步：" + "、".join(NEXT_STEPS[f.code][1] for f in next_steps)
    return HealthReason("NOT_ASSESSED", HealthStatus.NOT_ASSESSED, en, zh)


def deal_health(
    snapshot: ChainSnapshot,
    red_flags: Sequence[RedFlag],
    likelihood: float,
    now_ms: int,
    *,
    idle_days: int,
    config: StrategyConfig,
) -> DealHealth | None:
    """The status of an open deal from its analysis (red flags, the win likelihood as
    ``likelihood_once_dated`` reads it) and snapshot; None for a closed one. ``idle_days`` is
    the process's idle limit; the idle count of a deal that never had a contact starts when it
    entered its stage (not counted when that is unknown)."""
    opp = snapshot.opportunity
    if opp.stage in CLOSED_STAGES:
        return None
    today = datetime.fromtimestamp(now_ms / 1000, UTC).date()
    last = process_rules.last_contact_at(snapshot, now_ms)
    entered = opp.stage_entered_at
    start = entered if entered is not None else now_ms
    idle = process_rules.idle_days(last, start, now_ms, idle_days)
    stage_days = (now_ms - start) / process_rules.DAY_MS
    found, next_steps = _flag_reasons(snapshot, red_flags, stage_days, now_ms, config)
    if idle is None:  # a stalled deal's one reason says it of everyone
        found.extend(_quiet_reasons(snapshot, now_ms, config))
    for reason in (
        _likelihood_reason(opp.stage, likelihood, config),
        _slipped_reason(opp.expected_close_date, today),
        _pushed_reason(opp.close_date_moves, now_ms, config),
        _stalled_reason(reached(opp), idle, config),
        _unfunded_reason(snapshot, config),
        _no_urgency_reason(snapshot, config),
        _moved_back_reason(opp, now_ms, config),
    ):
        if reason is not None:
            found.append(reason)
    if found and next_steps:  # reviewed anyway: the mapping still to do is part of it
        found.extend(_reason(f, HealthStatus.NEEDS_ATTENTION) for f in next_steps)
    if not found and not snapshot.members:
        return DealHealth(HealthStatus.NOT_ASSESSED, (_unassessed_reason(likelihood, next_steps),))
    if not found:
        return DealHealth(
            HealthStatus.ON_TRACK,
            (_on_track_reason(opp.stage, likelihood, last, now_ms, next_steps, config),),
        )
    found.sort(key=lambda r: -_RANK[r.status])  # stable: the flags first within a status
    return DealHealth(found[0].status, tuple(found))
