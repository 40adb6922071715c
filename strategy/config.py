"""Typed, frozen configuration of the strategy engine, loaded from one documented TOML file.

Why: the weights behind every score must be inspectable and tunable without code changes, and
a typo in that file must fail loudly (a ValueError naming the key) rather than silently fall
back. The packaged ``strategy/config.toml`` is the one statement of the defaults: a sales-ops
person tuning weights reads and edits that file, with its comments, and what it says is what
runs. The classes below declare only the names and types of the tunables (``_validate`` their
bounds); the packaged file must state every one of them, and a site's own file states only what
it changes, the rest coming from the packaged file.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import tomllib
import typing
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from domain.config_reader import Cast, ConfigValueError, flag, member, number
from domain.vocabulary import (
    CLOSED_STAGES,
    ActivityType,
    Attitude,
    InfluenceLevel,
    Outcome,
    Stage,
    TieStrength,
)

DEFAULT_PATH = Path(__file__).with_name("config.toml")

Bands = tuple[tuple[float, float], ...]


def band_points(bands: Bands, value: float) -> float:
    """Points of the first (threshold, points) band whose threshold ``value`` reaches."""
    for threshold, points in bands:
        if value >= threshold:
            return points
    return bands[-1][1] if bands else 0.0


def graded_points(bands: Bands, value: float) -> float:
    """Points of the bands graded between their thresholds: from a threshold's points, rising
    in a straight line to the next band up, reached at its threshold (a figure just short of a
    threshold is worth nearly as much as one on it, not a band less). Above the first threshold,
    its points; the last band is a floor, counted whole below every other threshold."""
    if len(bands) < 3 or value < bands[-2][0]:
        return band_points(bands, value)
    for (upper, top), (lower, bottom) in itertools.pairwise(bands[:-1]):
        if value >= upper:
            return top
        if value >= lower:
            return bottom + (top - bottom) * (value - lower) / (upper - lower)
    return bands[0][1]


@dataclass(frozen=True, slots=True)
class DecayConfig:
    half_life_days: float


@dataclass(frozen=True, slots=True)
class ClosenessConfig:
    base: int
    tie_points: dict[str, float]
    breadth_factor: float
    breadth_cap: float
    recency_points: float
    outcome_weights: dict[str, float]
    type_weights: dict[str, float]
    recency_outcome_factors: dict[str, float]
    engagement_cap: float
    engagement_scale: float
    setback_cap: float
    setback_scale: float
    competitor_pull: dict[str, float]
    competitor_pull_cap: float
    procurement_haggle_cap: float


@dataclass(frozen=True, slots=True)
class SolutionConfig:
    base: int
    needs_fit_points: dict[str, float]
    attitude_points: dict[str, float]
    type_weights: dict[str, float]
    other_reaction_weight: float
    reaction_weights: dict[str, float]
    positive_cap: float
    positive_scale: float
    negative_cap: float
    negative_scale: float


@dataclass(frozen=True, slots=True)
class PriceConfig:
    base: int
    role_sensitivity: dict[str, float]
    budget_bands: Bands
    competitor_price_points: dict[str, float]
    reaction_weights: dict[str, float]
    positive_cap: float
    positive_scale: float
    negative_cap: float
    negative_scale: float
    objections_fade: bool
    objection_answered_share: dict[str, float]
    objection_withdrawn_share: dict[str, float]
    stated_weight: float
    recut_least_share: float
    recut_answered_share: dict[str, float]
    recut_raised_weight: float
    budget_recut_kept: dict[str, float]
    objection_withholds_budget: bool
    objection_includes_rival_price: bool
    untested_after_days: int
    untested_cap: int
    procurement_push_share: float


@dataclass(frozen=True, slots=True)
class InfluenceConfig:
    declared_weights: dict[str, float]
    alpha: float
    reports_to_weight: float
    influences_weights: dict[str, float]
    max_iterations: int
    tolerance: float


@dataclass(frozen=True, slots=True)
class SupportConfig:
    attitude_values: dict[str, float]
    competitor_levels: dict[str, float]
    supporter_tie_share: float
    hearsay_credit: float
    told_heard_days: int


@dataclass(frozen=True, slots=True)
class AnalysisConfig:
    gap_min_relative_influence: float
    tender_relative_floor: dict[str, float]
    tender_held_evaluator_floor: float
    settling_relative_floor: dict[str, float]
    low_score: int
    no_contact_days: int
    max_gaps: int
    high_relative_influence: float
    stale_objection_days: int
    put_off_watch_count: int
    departure_watch_days: int
    unnamed_seat_days: dict[str, int]
    unnamed_seat_high_days: dict[str, int]
    unnamed_seat_grace_days: int
    successor_unmapped_days: dict[str, int]
    successor_unmapped_high_days: dict[str, int]
    successor_unmet_days: dict[str, int]
    successor_unmet_high_days: dict[str, int]
    ally_min_level: TieStrength
    camp_min_level: TieStrength
    camp_sway_min_level: TieStrength
    ally_sway_min_level: TieStrength
    bridge_candidates: int
    max_bridges: int
    amounts_apart_ratio: float


@dataclass(frozen=True, slots=True)
class AssessmentConfig:
    real_base: int
    budget_known_points: float
    budget_sufficient_points: float
    budget_sufficient_ratio: float
    compelling_event_points: float
    close_date_points: float
    close_date_far_points: float
    close_date_passed_points: float
    close_date_horizon_days: int
    decision_process_points: float
    decision_maker_points: float
    decision_maker_unverified_share: float
    compete_base: int
    solution_fit_points: float
    relationship_points: float
    competitor_position_points: dict[str, float]
    competitor_relationship_points: float
    win_base: int
    support_points: float
    competitor_support_points: float
    dm_closeness_points: float
    dm_closeness_full: int
    dm_closeness_above_share: float
    dm_attitude_points: float
    approver_attitude_points: float
    evaluator_attitude_points: float
    solution_rejected_below: int
    solution_rejected_full: int
    solution_rejected_compete_points: float
    solution_rejected_win_points: float
    solution_rejected_early_share: dict[str, float]
    no_solution_manager_points: float
    no_solution_manager_share: dict[str, float]
    no_solution_manager_doubt: float
    approver_unknown_points: float
    approver_known_closeness: int
    approver_unknown_early_share: dict[str, float]
    tender_procurement_unknown_points: float
    tender_procurement_unknown_early_share: dict[str, float]
    locked_evaluator_points: float
    locked_evaluator_early_share: dict[str, float]
    locked_evaluator_more_share: float
    locked_evaluator_offset: dict[str, float]
    locked_evaluator_offset_high: float
    locked_evaluator_offset_most: float
    budget_holder_price_points: float
    budget_holder_price_floor: int
    budget_holder_price_lowest: int
    budget_holder_price_early_share: float
    budget_holder_price_unvoiced_share: dict[str, float]
    budget_holder_price_weights: dict[str, float]
    budget_holder_price_binding: InfluenceLevel
    price_untested_points: float
    stale_objection_points: float
    stale_objection_period_days: int
    stale_objection_cap: float
    price_points: float
    supportive_coach_points: float
    coach_points: float
    insider_fresh_days: int
    insider_half_days: int
    insider_stale_days: int
    insider_stale_credit: float
    insider_unverified_credit: float
    insider_unreached_credit: float
    champion_reach_points: float
    no_compelling_event_points: float
    no_compelling_event_early_share: dict[str, float]
    cheaper_bid_points: float
    budget_shortfall_points: float
    cheaper_bid_early_share: dict[str, float]
    cheaper_bid_compete_share: dict[str, float]
    worth_base: int
    presales_bands: Bands
    margin_bands: Bands
    delivery_risk_points: dict[str, float]
    delivery_reviewed_points: float
    delivery_unreviewed_quote_points: float
    delivery_infeasible_points: float
    wired_tender_points: float


@dataclass(frozen=True, slots=True)
class LikelihoodConfig:
    intercept: float
    stage_prior: dict[str, float]
    real_weight: float
    compete_weight: float
    win_weight: float
    worth_weight: float
    dm_proven_closeness: int
    silent_from_days: int
    silent_all_days: int
    question_lowest: int
    stuck_share: float


@dataclass(frozen=True, slots=True)
class PlanConfig:
    candidate_people: int
    max_suggestions: int
    max_per_person: int
    max_per_job: int
    min_gain: float
    warm_path_max_depth: int
    known_closeness: int
    met_lately_days: int
    remembered_days: int
    repeat_after_days: int
    dropped_quiet_days: int
    successor_min_closeness: int
    successor_ask_days: int
    successor_window_days: int
    successor_group_window_days: int
    days_off: frozenset[str]
    requote_lead_days: int


@dataclass(frozen=True, slots=True)
class WarmPathConfig:
    tie_costs: dict[str, float]
    reports_to_cost: float
    introduction_credit: dict[str, float]
    relay_credit: float


@dataclass(frozen=True, slots=True)
class CalibrationConfig:
    min_deals: int
    prior_sd_weight: float
    prior_sd_stage: float
    folds: int
    bands: int


@dataclass(frozen=True, slots=True)
class LearningConfig:
    window_days: int
    prior_sd_closeness: float
    observation_sd_closeness: float
    prior_sd_attitude: float
    observation_sd_attitude: float


@dataclass(frozen=True, slots=True)
class HealthConfig:
    at_risk_likelihood: dict[str, float]
    attention_likelihood: dict[str, float]
    at_risk_high_flags: int
    stalled_at_risk_from: Stage
    chain_mapped_from: Stage
    stage_attention_days: dict[str, float]
    stage_at_risk_days: dict[str, float]
    signer_flags_at_risk_from: Stage
    budget_due_from: Stage
    compelling_event_due_from: Stage
    budget_holder_quiet_days: dict[str, float]
    decision_maker_quiet_days: dict[str, float]
    procurement_quiet_days: dict[str, float]
    insider_quiet_days: int
    close_pushes_attention: int
    close_pushes_at_risk: int
    close_push_min_days: int
    close_pushes_counted_from: Stage
    close_push_window_days: int
    close_push_far_days: int
    moved_back_news_days: int
    moved_back_at_risk_from: Stage


@dataclass(frozen=True, slots=True)
class StrategyConfig:
    """All tunables of the strategy engine, one section per TOML table."""

    decay: DecayConfig
    closeness: ClosenessConfig
    solution: SolutionConfig
    price: PriceConfig
    influence: InfluenceConfig
    support: SupportConfig
    analysis: AnalysisConfig
    assessment: AssessmentConfig
    likelihood: LikelihoodConfig
    plan: PlanConfig
    warm_paths: WarmPathConfig
    calibration: CalibrationConfig
    learning: LearningConfig
    health: HealthConfig


def _fail(where: str, message: str) -> ValueError:
    return ValueError(f"strategy config: {where}: {message}")


def _checked[T](cast: Cast[T], value: object, where: str) -> T:
    try:
        return cast(value)
    except ConfigValueError as bad:
        raise _fail(where, bad.expected()) from None


def _whole_number(value: object) -> int:
    """A TOML integer, or a float without a fraction (``base = 12.0``)."""
    whole = number(value)
    if not whole.is_integer():
        raise ConfigValueError("an integer", value)
    return int(whole)


def _month_day(text: str) -> bool:
    """Whether ``text`` is a day of some year written "MM-DD" (02-29 is one)."""
    try:
        date.fromisoformat(f"2024-{text}")
    except ValueError:
        return False
    return len(text) == 5


def _convert(value: object, hint: Any, default: object, where: str) -> object:
    """Check and convert one TOML value against the field's type hint.

    ``default`` is the packaged value (None while reading the packaged file itself): a table
    keyed by enum values takes only the packaged file's keys and keeps its values for the rest.
    """
    casts: dict[object, Cast[object]] = {int: _whole_number, float: number, bool: flag}
    if hint in casts:
        return _checked(casts[hint], value, where)
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        return _checked(member(hint), value, where)
    origin = typing.get_origin(hint)
    if origin is dict:
        if not isinstance(value, dict):
            raise _fail(where, "expected a table")
        merged = dict(default) if isinstance(default, dict) else {}
        for key, item in value.items():
            if isinstance(default, dict) and key not in default:
                allowed = ", ".join(default)
                raise _fail(f"{where}.{key}", f"unknown key (expected one of {allowed})")
            merged[key] = _checked(number, item, f"{where}.{key}")
        return merged
    if origin is frozenset:  # days of the year, "MM-DD"
        if not isinstance(value, list):
            raise _fail(where, 'expected a list of month-days such as "01-01"')
        for index, item in enumerate(value):
            if not isinstance(item, str) or not _month_day(item):
                raise _fail(f"{where}[{index}]", 'expected a month-day such as "01-01"')
        return frozenset(value)
    if origin is tuple:  # Bands
        if not isinstance(value, list) or not value:
            raise _fail(where, "expected a non-empty list of [threshold, points] pairs")
        bands: list[tuple[float, float]] = []
        for index, pair in enumerate(value):
            if not isinstance(pair, list) or len(pair) != 2:
                raise _fail(f"{where}[{index}]", "expected [threshold, points]")
            threshold, points = (_checked(number, item, f"{where}[{index}]") for item in pair)
            bands.append((threshold, points))
        thresholds = [t for t, _ in bands]
        if thresholds != sorted(thresholds, reverse=True):
            raise _fail(where, "thresholds must be in descending order")
        return tuple(bands)
    raise _fail(where, f"unsupported type {hint!r}")  # pragma: no cover


def _build[T](cls: type[T], table: object, where: str, base: T | None) -> T:
    """One section from its TOML table; keys left out come from ``base`` (the packaged
    section), and without a base (the packaged file itself) every key must be stated."""
    if not isinstance(table, dict):
        raise _fail(where, "expected a table")
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    for key in table:
        if key not in known:
            raise _fail(f"{where}.{key}" if where else key, "unknown key")
    values: dict[str, object] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        path = f"{where}.{f.name}" if where else f.name
        packaged = None if base is None else getattr(base, f.name)
        if f.name not in table:
            if base is None:
                raise _fail(path, "missing (the packaged file states every tunable)")
            values[f.name] = packaged
            continue
        hint = hints[f.name]
        if dataclasses.is_dataclass(hint) and isinstance(hint, type):
            values[f.name] = _build(hint, table[f.name], path, packaged)
        else:
            values[f.name] = _convert(table[f.name], hint, packaged, path)
    return cls(**values)


def _validate(config: StrategyConfig) -> None:
    lk = config.likelihood
    for name in ("real_weight", "compete_weight", "win_weight", "worth_weight"):
        if getattr(lk, name) < 0:
            raise _fail(f"likelihood.{name}", "must be >= 0 (the model must stay monotone)")
    if lk.dm_proven_closeness <= config.closeness.base:
        raise _fail("likelihood.dm_proven_closeness", "must be above closeness.base")
    if not 0 <= lk.silent_from_days < lk.silent_all_days:
        raise _fail("likelihood.silent_all_days", "must be above silent_from_days (>= 0)")
    if lk.question_lowest > 0:
        raise _fail("likelihood.question_lowest", "must be <= 0 (the cut-off it reads below)")
    cal = config.calibration
    if cal.folds < 2 or cal.bands < 1 or cal.min_deals < cal.folds:
        raise _fail("calibration", "needs folds >= 2, bands >= 1 and min_deals >= folds")
    if cal.prior_sd_weight <= 0 or cal.prior_sd_stage <= 0:
        raise _fail("calibration", "prior standard deviations must be > 0")
    le = config.learning
    if (
        le.window_days < 1
        or min(
            le.prior_sd_closeness,
            le.observation_sd_closeness,
            le.prior_sd_attitude,
            le.observation_sd_attitude,
        )
        <= 0
    ):
        raise _fail("learning", "needs window_days >= 1 and standard deviations > 0")
    if config.decay.half_life_days <= 0:
        raise _fail("decay.half_life_days", "must be > 0")
    ac = config.assessment
    if not 0 <= ac.insider_fresh_days < ac.insider_half_days < ac.insider_stale_days:
        raise _fail("assessment.insider_half_days", "needs fresh < half < stale days")
    for key in ("insider_stale_credit", "insider_unverified_credit", "insider_unreached_credit"):
        if not 0.0 <= getattr(ac, key) <= 1.0:
            raise _fail(f"assessment.{key}", "must be in [0, 1]")
    _validate_early_share(
        ac.approver_unknown_early_share, "assessment.approver_unknown_early_share", Stage.PROPOSAL
    )
    for where, shares in (
        ("tender_procurement_unknown_early_share", ac.tender_procurement_unknown_early_share),
        ("locked_evaluator_early_share", ac.locked_evaluator_early_share),
    ):
        _validate_early_share(shares, f"assessment.{where}", Stage.BIDDING)
    _validate_early_share(
        ac.no_compelling_event_early_share,
        "assessment.no_compelling_event_early_share",
        Stage.PROPOSAL,
    )
    _validate_early_share(
        ac.cheaper_bid_early_share, "assessment.cheaper_bid_early_share", Stage.BIDDING
    )
    _validate_early_share(
        ac.cheaper_bid_compete_share, "assessment.cheaper_bid_compete_share", Stage.BIDDING
    )
    for stage, share in ac.cheaper_bid_compete_share.items():
        if share > ac.cheaper_bid_early_share.get(stage, 0.0):
            raise _fail(
                f"assessment.cheaper_bid_compete_share.{stage}",
                "must not exceed the stage's cheaper_bid_early_share (it is a part of it)",
            )
    _validate_early_share(
        ac.budget_holder_price_unvoiced_share,
        "assessment.budget_holder_price_unvoiced_share",
        Stage.BIDDING,
    )
    for key, share in ac.locked_evaluator_offset.items():
        if key not in (Attitude.SUPPORTER, Attitude.CHAMPION) or not 0.0 <= share <= 1.0:
            raise _fail(
                f"assessment.locked_evaluator_offset.{key}",
                "names SUPPORTER or CHAMPION, with a share in [0, 1]",
            )
    if ac.locked_evaluator_offset_high < 1.0:
        raise _fail("assessment.locked_evaluator_offset_high", "must be >= 1")
    if not 0.0 <= ac.locked_evaluator_offset_most <= 1.0:
        raise _fail("assessment.locked_evaluator_offset_most", "must be in [0, 1]")
    if not 0.0 <= ac.budget_holder_price_early_share <= 1.0:
        raise _fail("assessment.budget_holder_price_early_share", "must be in [0, 1]")
    if not 0.0 <= ac.decision_maker_unverified_share <= 1.0:
        raise _fail("assessment.decision_maker_unverified_share", "must be in [0, 1]")
    for key, share in config.price.objection_answered_share.items():
        if key not in ActivityType.__members__ or not 0.0 <= share <= 1.0:
            raise _fail(
                f"price.objection_answered_share.{key}",
                "names an activity type, with a share in [0, 1]",
            )
    for key, share in config.price.objection_withdrawn_share.items():
        if key not in Outcome.__members__ or not 0.0 <= share <= 1.0:
            raise _fail(
                f"price.objection_withdrawn_share.{key}", "names an outcome, with a share in [0, 1]"
            )
    if config.price.stated_weight < 1.0:
        raise _fail(
            "price.stated_weight", "must be >= 1 (a word on the price is no less a reaction)"
        )
    if not 0.0 <= config.price.recut_least_share < 1.0:
        raise _fail("price.recut_least_share", "must be in [0, 1)")
    for key, share in config.price.recut_answered_share.items():
        if key not in Outcome.__members__ or not 0.0 <= share <= 1.0:
            raise _fail(
                f"price.recut_answered_share.{key}", "names an outcome, with a share in [0, 1]"
            )
    if config.price.recut_raised_weight < 1.0:
        raise _fail("price.recut_raised_weight", "must be >= 1 (a dearer quote is no answer)")
    kept = config.price.budget_recut_kept
    if "UNSEEN" not in kept:
        raise _fail("price.budget_recut_kept.UNSEEN", "is required")
    for key, share in kept.items():
        if (key != "UNSEEN" and key not in Outcome.__members__) or not 0.0 <= share <= 1.0:
            raise _fail(
                f"price.budget_recut_kept.{key}",
                "names UNSEEN or an outcome, with a share in [0, 1]",
            )
    if config.price.untested_after_days < 0:
        raise _fail("price.untested_after_days", "must be >= 0")
    if not 0 <= config.price.untested_cap <= 100:
        raise _fail("price.untested_cap", "must be in [0, 100]")
    if not 0.0 <= config.price.procurement_push_share <= 1.0:
        raise _fail(
            "price.procurement_push_share",
            "must be in [0, 1] (a push on price never counts more than an objection)",
        )
    if not 0.0 <= config.closeness.procurement_haggle_cap <= config.closeness.setback_cap:
        raise _fail(
            "closeness.procurement_haggle_cap",
            "must be in [0, closeness.setback_cap] (haggling never costs more than a setback)",
        )
    if ac.price_untested_points < 0:
        raise _fail("assessment.price_untested_points", "must be >= 0")
    if ac.stale_objection_points < 0 or ac.stale_objection_cap < 0:
        raise _fail("assessment.stale_objection_points", "and stale_objection_cap must be >= 0")
    if ac.stale_objection_period_days < 1:
        raise _fail("assessment.stale_objection_period_days", "must be >= 1")
    if not 0.0 <= lk.stuck_share <= 1.0:
        raise _fail("likelihood.stuck_share", "must be in [0, 1]")
    if config.analysis.put_off_watch_count < 1:
        raise _fail("analysis.put_off_watch_count", "must be >= 1")
    if config.analysis.departure_watch_days < 0:
        raise _fail("analysis.departure_watch_days", "must be >= 0")
    an = config.analysis
    for key in ("unnamed_seat", "successor_unmapped", "successor_unmet"):
        highs: dict[str, int] = getattr(an, f"{key}_high_days")
        for stage, days in getattr(an, f"{key}_days").items():
            if stage not in Stage.__members__ or not 0 < days <= highs.get(stage, 0):
                raise _fail(f"analysis.{key}_days.{stage}", "must be > 0, at most its high days")
    if not 0 <= config.plan.successor_min_closeness <= 100:
        raise _fail("plan.successor_min_closeness", "must be between 0 and 100")
    for key in (
        "successor_ask_days",
        "successor_window_days",
        "successor_group_window_days",
        "requote_lead_days",
    ):
        if getattr(config.plan, key) < 0:
            raise _fail(f"plan.{key}", "must be >= 0")
    if config.analysis.amounts_apart_ratio <= 1.0:
        raise _fail("analysis.amounts_apart_ratio", "must be > 1")
    if config.analysis.stale_objection_days < 0:
        raise _fail("analysis.stale_objection_days", "must be >= 0")
    missing = {i.value for i in InfluenceLevel} - set(ac.budget_holder_price_weights)
    if missing or any(w <= 0 for w in ac.budget_holder_price_weights.values()):
        raise _fail(
            "assessment.budget_holder_price_weights",
            f"needs every influence level ({', '.join(InfluenceLevel)}), each > 0",
        )
    if not 0.0 <= config.influence.alpha < 1.0:
        raise _fail("influence.alpha", "must be in [0, 1)")
    if not 0.0 <= config.closeness.breadth_factor <= 1.0:
        raise _fail("closeness.breadth_factor", "must be in [0, 1] (keeps closeness monotone)")
    for where, table in (
        ("closeness.tie_points", config.closeness.tie_points),
        ("influence.declared_weights", config.influence.declared_weights),
        ("warm_paths.tie_costs", config.warm_paths.tie_costs),
    ):
        for key, item in table.items():
            if item < 0:
                raise _fail(f"{where}.{key}", "must be >= 0")
    missing = {s.value for s in TieStrength} - set(config.warm_paths.introduction_credit)
    if missing:
        raise _fail("warm_paths.introduction_credit", f"needs {', '.join(sorted(missing))}")
    credits = {**config.warm_paths.introduction_credit, "": config.warm_paths.relay_credit}
    for key, credit in credits.items():
        if not 0.0 <= credit <= 1.0:
            where = f"introduction_credit.{key}" if key else "relay_credit"
            raise _fail(f"warm_paths.{where}", "must be in [0, 1]")
    _validate_health(config.health)
    ranks = [config.closeness.tie_points[s.value] for s in TieStrength]
    if ranks != sorted(ranks):
        raise _fail("closeness.tie_points", "must not decrease with tie strength")


def _validate_early_share(shares: dict[str, float], where: str, full_from: Stage) -> None:
    """Shares of the open stages before ``full_from``, in [0, 1], never falling as the deal
    moves on (a cost must grow towards the signature, never shrink)."""
    stages = list(Stage)  # in the process's order
    early = [s.value for s in stages[: stages.index(full_from)]]
    unknown = set(shares) - set(early)
    if unknown:
        raise _fail(where, f"names no open stage before {full_from}: {', '.join(sorted(unknown))}")
    ladder = [shares.get(stage, 0.0) for stage in early] + [1.0]
    if any(not 0.0 <= x <= 1.0 for x in ladder) or ladder != sorted(ladder):
        raise _fail(where, "shares must be in [0, 1] and not fall from one stage to the next")


def _validate_health(health: HealthConfig) -> None:
    for stage, attention in health.attention_likelihood.items():
        at_risk = health.at_risk_likelihood[stage]
        if not 0.0 <= at_risk <= attention <= 1.0:
            raise _fail(
                f"health.attention_likelihood.{stage}",
                "must be in [0, 1] and at least health.at_risk_likelihood's",
            )
    _validate_stage_days(health)
    if health.at_risk_high_flags < 1:
        raise _fail("health.at_risk_high_flags", "must be >= 1")
    if not 1 <= health.close_pushes_attention <= health.close_pushes_at_risk:
        raise _fail(
            "health.close_pushes_at_risk", "must be at least health.close_pushes_attention >= 1"
        )


_NOT_JUDGED_BY_TIME = {
    Stage.BIDDING: "the bidding runs on the tender's own calendar",
    **dict.fromkeys(CLOSED_STAGES, "a closed deal does not sit at a stage"),
}


def _validate_stage_days(health: HealthConfig) -> None:
    """Days at a stage: whole and >= 0, at risk only after needing attention, validation
    judged (its days are also how long an unmapped new deal is on track), and never the
    stages whose time is not ours to judge."""
    for stage in Stage:
        attention = health.stage_attention_days[stage]
        at_risk = health.stage_at_risk_days[stage]
        where = f"health.stage_attention_days.{stage}"
        if attention < 0 or at_risk < 0 or not attention.is_integer() or not at_risk.is_integer():
            raise _fail(where, "and stage_at_risk_days must be whole days >= 0")
        if at_risk and not 0 < attention < at_risk:
            raise _fail(
                f"health.stage_at_risk_days.{stage}", "must be above stage_attention_days (> 0)"
            )
        why = _NOT_JUDGED_BY_TIME.get(stage)
        if why is not None and (attention or at_risk):
            raise _fail(where, f"must be 0: {why}")
    if health.stage_attention_days[Stage.VALIDATE] <= 0:
        raise _fail(
            "health.stage_attention_days.VALIDATE",
            "must be > 0 (how long a new deal may be validated with its chain unmapped)",
        )
    for name in ("budget_holder", "decision_maker", "procurement"):
        limits: dict[str, float] = getattr(health, f"{name}_quiet_days")
        for key, days in limits.items():
            if days < 0 or not days.is_integer():
                raise _fail(f"health.{name}_quiet_days.{key}", "must be whole days >= 0")


def _read(source: Path, base: StrategyConfig | None) -> StrategyConfig:
    try:
        with source.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"strategy config: {source}: not valid TOML: {error}") from error
    config = _build(StrategyConfig, data, "", base)
    _validate(config)
    return config


def load_defaults(path: Path = DEFAULT_PATH) -> StrategyConfig:
    """Load a file that states every tunable (the packaged ``config.toml``): the defaults."""
    return _read(path, None)


def load_config(path: Path | None = None) -> StrategyConfig:
    """Load and validate a TOML config over the packaged defaults; ``None`` loads the packaged
    ``config.toml`` alone."""
    if path is None:
        return default_config()
    return _read(path, default_config())


@functools.cache
def default_config() -> StrategyConfig:
    """The packaged configuration, loaded once per process."""
    return load_defaults()


__all__ = [
    "AnalysisConfig",
    "AssessmentConfig",
    "CalibrationConfig",
    "ClosenessConfig",
    "DecayConfig",
    "HealthConfig",
    "InfluenceConfig",
    "LearningConfig",
    "LikelihoodConfig",
    "PlanConfig",
    "PriceConfig",
    "SolutionConfig",
    "StrategyConfig",
    "SupportConfig",
    "WarmPathConfig",
    "band_points",
    "default_config",
    "load_config",
    "load_defaults",
]
