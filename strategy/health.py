"""A deal's status as a sales leader reads it: on track, needs attention or at risk, with its
reasons in words.

Why not one absolute rule: the win likelihood carries the stage's prior and the "is it real"
gate, so an early deal with nothing wrong reads 15-30 % and an absolute bar puts nearly every
early deal at risk; a leader then has nothing to tell the real problems by. The status is
judged against the stage instead, on four things a leader reviews ([health] in config.toml):

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
- no contact for the process's idle days (``OPPORTUNITY_IDLE``'s own notion and limit): at risk
  from ``stalled_at_risk_from`` on, needs attention before it.

The status is the worst of its reasons; a deal on track says so in one reason.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

from domain.chain import ChainSnapshot
from domain.vocabulary import CLOSED_STAGES, Stage, label_of
from strategy.analysis import RedFlag
from strategy.assessment import Assessment, question_input, uncut
from strategy.config import StrategyConfig
from strategy.tas import violations as process_rules

STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)


class HealthStatus(StrEnum):
    """How much of a leader's review a deal needs, least first."""

    ON_TRACK = "ON_TRACK"
    NEEDS_ATTENTION = "NEEDS_ATTENTION"
    AT_RISK = "AT_RISK"


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
"""The red flags of a chain not mapped yet: work still to do while a deal is being validated
(``chain_mapped_from``), a danger after it."""


def _flag_reasons(
    flags: Sequence[RedFlag], stage: Stage, config: StrategyConfig
) -> list[HealthReason]:
    """Each serious red flag in its own words: at risk when there are enough of them. Before
    the chain is due to be mapped its mapping flags need attention and count toward nothing."""
    hc = config.health
    mapping_due = STAGE_ORDER.index(stage) >= STAGE_ORDER.index(hc.chain_mapped_from)
    high = [f for f in flags if f.severity == "HIGH"]
    serious = [f for f in high if mapping_due or f.code not in MAPPING_FLAGS]
    many = len(serious) >= hc.at_risk_high_flags
    status = HealthStatus.AT_RISK if many else HealthStatus.NEEDS_ATTENTION
    return [
        HealthReason(
            f.code,
            status if f in serious else HealthStatus.NEEDS_ATTENTION,
            f.text_en,
            f.text_zh,
            f.person_ids,
            f.competitor_ids,
        )
        for f in high
    ]


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
    p, en, zh = _percent(likelihood), label_of(stage), label_of(stage, "zh")
    return HealthReason(
        "LOW_LIKELIHOOD",
        status,
        f"Win likelihood {p} is low at stage {en}",
        f"处于{zh}阶段，赢单概率{p}偏低",
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


def _stalled_reason(stage: Stage, idle: int | None, config: StrategyConfig) -> HealthReason | None:
    """No contact for longer than the process allows: at risk once a quote is on the table."""
    if idle is None:
        return None
    late = STAGE_ORDER.index(stage) >= STAGE_ORDER.index(config.health.stalled_at_risk_from)
    return HealthReason(
        "STALLED",
        HealthStatus.AT_RISK if late else HealthStatus.NEEDS_ATTENTION,
        f"No contact with the customer for {idle} days",
        f"已{idle}天未与客户接触",
    )


def _on_track_reason(
    stage: Stage, likelihood: float, last_contact: int | None, now_ms: int, config: StrategyConfig
) -> HealthReason:
    """What a deal on track has going for it, in one sentence."""
    en = ["No serious red flag"]
    zh = ["无严重红旗"]
    judged = config.health.attention_likelihood[stage] > 0
    p, stage_en, stage_zh = _percent(likelihood), label_of(stage), label_of(stage, "zh")
    if judged:
        en.append(f"win likelihood {p} as expected at stage {stage_en}")
        zh.append(f"赢单概率{p}符合{stage_zh}阶段的预期")
    else:
        en.append(f"an early deal (win likelihood {p}) is not expected to be proven yet")
        zh.append(f"早期商机（赢单概率{p}）尚无需得到验证")
    if last_contact is not None:
        days = max(0, now_ms - last_contact) // process_rules.DAY_MS
        en.append(f"last contact {days} days ago")
        zh.append(f"最近一次接触在{days}天前")
    return HealthReason("ON_TRACK", HealthStatus.ON_TRACK, ", ".join(en), "，".join(zh))


def deal_health(
    snapshot: ChainSnapshot,
    red_flags: Sequence[RedFlag],
    likelihood: float,
    now_ms: int,
    *,
    idle_days: int,
    stage_entered_at: int | None,
    config: StrategyConfig,
) -> DealHealth | None:
    """The status of an open deal from its analysis (red flags, the win likelihood as
    ``likelihood_once_dated`` reads it) and snapshot; None for a closed one. ``idle_days`` is
    the process's idle limit, ``stage_entered_at`` where the idle count starts when the deal
    never had a contact (None: not counted)."""
    opp = snapshot.opportunity
    if opp.stage in CLOSED_STAGES:
        return None
    today = datetime.fromtimestamp(now_ms / 1000, UTC).date()
    last = process_rules.last_contact_at(snapshot, now_ms)
    start = stage_entered_at if stage_entered_at is not None else now_ms
    idle = process_rules.idle_days(last, start, now_ms, idle_days)
    found = _flag_reasons(red_flags, opp.stage, config)
    for reason in (
        _likelihood_reason(opp.stage, likelihood, config),
        _slipped_reason(opp.expected_close_date, today),
        _stalled_reason(opp.stage, idle, config),
    ):
        if reason is not None:
            found.append(reason)
    if not found:
        return DealHealth(
            HealthStatus.ON_TRACK,
            (_on_track_reason(opp.stage, likelihood, last, now_ms, config),),
        )
    found.sort(key=lambda r: -_RANK[r.status])  # stable: the flags first within a status
    return DealHealth(found[0].status, tuple(found))
