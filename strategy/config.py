"""Typed, frozen configuration of the strategy engine, loaded from one documented TOML file.

Why: the weights behind every score must be inspectable and tunable without code changes, and
a typo in that file must fail loudly (a ValueError naming the key) rather than silently fall
back. The defaults below mirror ``strategy/config.toml``; a test keeps them in step.
"""

from __future__ import annotations

import dataclasses
import functools
import tomllib
import typing
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from domain.vocabulary import TieStrength

DEFAULT_PATH = Path(__file__).with_name("config.toml")

Bands = tuple[tuple[float, float], ...]


def band_points(bands: Bands, value: float) -> float:
    """Points of the first (threshold, points) band whose threshold ``value`` reaches."""
    for threshold, points in bands:
        if value >= threshold:
            return points
    return bands[-1][1] if bands else 0.0


@dataclass(frozen=True, slots=True)
class DecayConfig:
    half_life_days: float = 45.0


@dataclass(frozen=True, slots=True)
class ClosenessConfig:
    base: int = 10
    tie_points: dict[str, float] = field(
        default_factory=lambda: {
            "WEAK": 8.0,
            "MODERATE": 16.0,
            "STRONG": 26.0,
            "VERY_STRONG": 34.0,
        }
    )
    breadth_factor: float = 0.35
    breadth_cap: float = 10.0
    recency_points: float = 10.0
    outcome_weights: dict[str, float] = field(
        default_factory=lambda: {
            "VERY_NEGATIVE": -2.0,
            "NEGATIVE": -1.0,
            "NEUTRAL": 0.1,
            "POSITIVE": 1.0,
            "VERY_POSITIVE": 2.0,
        }
    )
    type_weights: dict[str, float] = field(
        default_factory=lambda: {
            "VISIT": 1.0,
            "CALL": 0.4,
            "MEETING": 1.0,
            "EXECUTIVE_VISIT": 1.0,
            "TECHNICAL_EXCHANGE": 0.8,
            "DEMO": 0.7,
            "POC": 0.8,
            "REFERENCE_VISIT": 1.2,
            "WORKSHOP": 0.8,
            "PRICING_DISCUSSION": 0.6,
            "SOCIAL": 1.2,
            "EMAIL": 0.2,
        }
    )
    recency_outcome_factors: dict[str, float] = field(
        default_factory=lambda: {
            "VERY_NEGATIVE": 0.0,
            "NEGATIVE": 0.0,
            "NEUTRAL": 0.3,
            "POSITIVE": 1.0,
            "VERY_POSITIVE": 1.0,
        }
    )
    engagement_cap: float = 36.0
    engagement_scale: float = 2.5
    setback_cap: float = 25.0
    setback_scale: float = 1.5
    competitor_pull: dict[str, float] = field(
        default_factory=lambda: {
            "WEAK": 3.0,
            "MODERATE": 8.0,
            "STRONG": 15.0,
            "VERY_STRONG": 22.0,
        }
    )
    competitor_pull_cap: float = 30.0


@dataclass(frozen=True, slots=True)
class SolutionConfig:
    base: int = 50
    needs_fit_points: dict[str, float] = field(
        default_factory=lambda: {
            "UNKNOWN": 0.0,
            "POOR": -20.0,
            "PARTIAL": -5.0,
            "GOOD": 10.0,
            "FULL": 18.0,
        }
    )
    attitude_points: dict[str, float] = field(
        default_factory=lambda: {
            "OPPONENT": -15.0,
            "SKEPTIC": -7.0,
            "NEUTRAL": 0.0,
            "SUPPORTER": 7.0,
            "CHAMPION": 12.0,
        }
    )
    type_weights: dict[str, float] = field(
        default_factory=lambda: {
            "POC": 2.0,
            "DEMO": 1.5,
            "TECHNICAL_EXCHANGE": 1.2,
            "REFERENCE_VISIT": 1.3,
            "WORKSHOP": 1.0,
        }
    )
    other_reaction_weight: float = 0.8
    positive_cap: float = 25.0
    positive_scale: float = 2.5
    negative_cap: float = 30.0
    negative_scale: float = 2.0


@dataclass(frozen=True, slots=True)
class PriceConfig:
    base: int = 50
    role_sensitivity: dict[str, float] = field(
        default_factory=lambda: {
            "DECISION_MAKER": 1.0,
            "APPROVER": 1.1,
            "TECHNICAL_EVALUATOR": 0.5,
            "BUSINESS_EVALUATOR": 0.9,
            "USER": 0.4,
            "PROCUREMENT": 1.6,
            "FINANCE": 1.5,
            "GATEKEEPER": 0.6,
            "COACH": 0.5,
        }
    )
    budget_bands: Bands = ((1.1, 15.0), (1.0, 8.0), (0.9, -5.0), (0.0, -20.0))
    competitor_price_points: dict[str, float] = field(
        default_factory=lambda: {
            "UNKNOWN": 0.0,
            "LOWER": -12.0,
            "SIMILAR": 0.0,
            "HIGHER": 6.0,
        }
    )
    positive_cap: float = 25.0
    positive_scale: float = 2.0
    negative_cap: float = 30.0
    negative_scale: float = 2.0


@dataclass(frozen=True, slots=True)
class InfluenceConfig:
    declared_weights: dict[str, float] = field(
        default_factory=lambda: {"LOW": 1.0, "MEDIUM": 2.0, "HIGH": 4.0, "DECISIVE": 8.0}
    )
    alpha: float = 0.5
    reports_to_weight: float = 1.0
    influences_weights: dict[str, float] = field(
        default_factory=lambda: {
            "WEAK": 0.25,
            "MODERATE": 0.5,
            "STRONG": 1.0,
            "VERY_STRONG": 1.5,
        }
    )
    max_iterations: int = 200
    tolerance: float = 1e-10


@dataclass(frozen=True, slots=True)
class SupportConfig:
    attitude_values: dict[str, float] = field(
        default_factory=lambda: {
            "OPPONENT": -1.0,
            "SKEPTIC": -0.5,
            "NEUTRAL": 0.0,
            "SUPPORTER": 0.5,
            "CHAMPION": 1.0,
        }
    )
    competitor_levels: dict[str, float] = field(
        default_factory=lambda: {
            "WEAK": 0.25,
            "MODERATE": 0.5,
            "STRONG": 0.75,
            "VERY_STRONG": 1.0,
        }
    )


@dataclass(frozen=True, slots=True)
class AnalysisConfig:
    gap_min_relative_influence: float = 0.5
    tender_relative_floor: dict[str, float] = field(
        default_factory=lambda: {
            "DECISION_MAKER": 0.0,
            "APPROVER": 0.0,
            "TECHNICAL_EVALUATOR": 1.0,
            "BUSINESS_EVALUATOR": 1.0,
            "USER": 0.0,
            "PROCUREMENT": 1.5,
            "FINANCE": 0.0,
            "GATEKEEPER": 0.0,
            "COACH": 0.0,
        }
    )
    low_score: int = 40
    no_contact_days: int = 30
    max_gaps: int = 20
    high_relative_influence: float = 1.5
    ally_min_level: TieStrength = TieStrength.STRONG
    camp_min_level: TieStrength = TieStrength.MODERATE
    camp_sway_min_level: TieStrength = TieStrength.STRONG
    bridge_candidates: int = 25
    max_bridges: int = 10


@dataclass(frozen=True, slots=True)
class AssessmentConfig:
    real_base: int = 20
    budget_known_points: float = 10.0
    budget_sufficient_points: float = 20.0
    budget_sufficient_ratio: float = 0.9
    compelling_event_points: float = 20.0
    close_date_points: float = 15.0
    close_date_far_points: float = 5.0
    close_date_passed_points: float = -10.0
    close_date_horizon_days: int = 365
    decision_process_points: float = 15.0
    decision_maker_points: float = 10.0
    compete_base: int = 15
    solution_fit_points: float = 35.0
    relationship_points: float = 35.0
    competitor_position_points: dict[str, float] = field(
        default_factory=lambda: {"UNKNOWN": 0.0, "TRAILING": 5.0, "EVEN": -5.0, "LEADING": -15.0}
    )
    competitor_relationship_points: float = 25.0
    win_base: int = 20
    support_points: float = 30.0
    competitor_support_points: float = 20.0
    dm_closeness_points: float = 20.0
    dm_attitude_points: float = 25.0
    price_points: float = 15.0
    supportive_coach_points: float = 10.0
    coach_points: float = 3.0
    worth_base: int = 40
    presales_bands: Bands = ((20.0, 15.0), (10.0, 8.0), (5.0, 0.0), (0.0, -15.0))
    margin_bands: Bands = ((0.35, 25.0), (0.2, 12.0), (0.1, 0.0), (0.0, -15.0), (-1e6, -35.0))
    delivery_risk_points: dict[str, float] = field(
        default_factory=lambda: {"LOW": 10.0, "MEDIUM": 0.0, "HIGH": -20.0}
    )
    delivery_reviewed_points: float = 10.0
    delivery_unreviewed_quote_points: float = -10.0


@dataclass(frozen=True, slots=True)
class LikelihoodConfig:
    intercept: float = -0.1
    stage_prior: dict[str, float] = field(
        default_factory=lambda: {
            "VALIDATE": -0.8,
            "INITIATE": -0.65,
            "REQUIREMENTS": -0.5,
            "VALUE_PRESENTATION": -0.2,
            "PROPOSAL": 0.0,
            "BIDDING": 0.05,
            "NEGOTIATION": 0.2,
            "WON": 0.0,
            "LOST": 0.0,
            "ABANDONED": 0.0,
        }
    )
    real_weight: float = 2.0
    compete_weight: float = 0.9
    win_weight: float = 1.3
    worth_weight: float = 0.4


@dataclass(frozen=True, slots=True)
class PlanConfig:
    candidate_people: int = 15
    max_suggestions: int = 12
    max_per_person: int = 2
    min_gain: float = 0.0005
    warm_path_max_depth: int = 4


@dataclass(frozen=True, slots=True)
class WarmPathConfig:
    tie_costs: dict[str, float] = field(
        default_factory=lambda: {
            "WEAK": 4.0,
            "MODERATE": 2.5,
            "STRONG": 1.5,
            "VERY_STRONG": 1.0,
        }
    )
    reports_to_cost: float = 2.0


@dataclass(frozen=True, slots=True)
class CalibrationConfig:
    min_deals: int = 30
    prior_sd_weight: float = 0.75
    prior_sd_stage: float = 0.75
    folds: int = 5
    bands: int = 5


@dataclass(frozen=True, slots=True)
class LearningConfig:
    window_days: int = 30
    prior_sd_closeness: float = 6.0
    observation_sd_closeness: float = 12.0
    prior_sd_attitude: float = 0.5
    observation_sd_attitude: float = 1.0


@dataclass(frozen=True, slots=True)
class StrategyConfig:
    """All tunables of the strategy engine, one section per TOML table."""

    decay: DecayConfig = field(default_factory=DecayConfig)
    closeness: ClosenessConfig = field(default_factory=ClosenessConfig)
    solution: SolutionConfig = field(default_factory=SolutionConfig)
    price: PriceConfig = field(default_factory=PriceConfig)
    influence: InfluenceConfig = field(default_factory=InfluenceConfig)
    support: SupportConfig = field(default_factory=SupportConfig)
    analysis: AnalysisConfig = field(default_factory=AnalysisConfig)
    assessment: AssessmentConfig = field(default_factory=AssessmentConfig)
    likelihood: LikelihoodConfig = field(default_factory=LikelihoodConfig)
    plan: PlanConfig = field(default_factory=PlanConfig)
    warm_paths: WarmPathConfig = field(default_factory=WarmPathConfig)
    calibration: CalibrationConfig = field(default_factory=CalibrationConfig)
    learning: LearningConfig = field(default_factory=LearningConfig)


def _fail(where: str, message: str) -> ValueError:
    return ValueError(f"strategy config: {where}: {message}")


def _number(value: object, where: str, want_int: bool) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(where, f"expected a number, got {value!r}")
    if want_int:
        if isinstance(value, float) and not value.is_integer():
            raise _fail(where, f"expected an integer, got {value!r}")
        return int(value)
    return float(value)


def _convert(value: object, hint: Any, default: object, where: str) -> object:
    """Check and convert one TOML value against the field's type hint."""
    if hint is int or hint is float:
        return _number(value, where, hint is int)
    if hint is bool:
        if not isinstance(value, bool):
            raise _fail(where, f"expected true/false, got {value!r}")
        return value
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        try:
            return hint(str(value)) if isinstance(value, str) else hint(value)  # type: ignore[arg-type]
        except ValueError:
            allowed = ", ".join(m.value for m in hint)
            raise _fail(where, f"expected one of {allowed}, got {value!r}") from None
    origin = typing.get_origin(hint)
    if origin is dict:
        if not isinstance(value, dict):
            raise _fail(where, "expected a table")
        assert isinstance(default, dict)
        merged = dict(default)
        for key, item in value.items():
            if key not in default:
                allowed = ", ".join(default)
                raise _fail(f"{where}.{key}", f"unknown key (expected one of {allowed})")
            merged[key] = _number(item, f"{where}.{key}", False)
        return merged
    if origin is tuple:  # Bands
        if not isinstance(value, list) or not value:
            raise _fail(where, "expected a non-empty list of [threshold, points] pairs")
        bands: list[tuple[float, float]] = []
        for index, pair in enumerate(value):
            if not isinstance(pair, list) or len(pair) != 2:
                raise _fail(f"{where}[{index}]", "expected [threshold, points]")
            bands.append(
                (
                    float(_number(pair[0], f"{where}[{index}]", False)),
                    float(_number(pair[1], f"{where}[{index}]", False)),
                )
            )
        thresholds = [t for t, _ in bands]
        if thresholds != sorted(thresholds, reverse=True):
            raise _fail(where, "thresholds must be in descending order")
        return tuple(bands)
    raise _fail(where, f"unsupported type {hint!r}")  # pragma: no cover


def _build[T](cls: type[T], table: object, where: str) -> T:
    if not isinstance(table, dict):
        raise _fail(where, "expected a table")
    hints = typing.get_type_hints(cls)
    default = cls()
    known = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    for key in table:
        if key not in known:
            raise _fail(f"{where}.{key}" if where else key, "unknown key")
    values: dict[str, object] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        path = f"{where}.{f.name}" if where else f.name
        if f.name not in table:
            continue
        hint = hints[f.name]
        if dataclasses.is_dataclass(hint) and isinstance(hint, type):
            values[f.name] = _build(hint, table[f.name], path)
        else:
            values[f.name] = _convert(table[f.name], hint, getattr(default, f.name), path)
    return dataclasses.replace(default, **values)  # type: ignore[type-var]


def _validate(config: StrategyConfig) -> None:
    lk = config.likelihood
    for name in ("real_weight", "compete_weight", "win_weight", "worth_weight"):
        if getattr(lk, name) < 0:
            raise _fail(f"likelihood.{name}", "must be >= 0 (the model must stay monotone)")
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
    ranks = [config.closeness.tie_points[s.value] for s in TieStrength]
    if ranks != sorted(ranks):
        raise _fail("closeness.tie_points", "must not decrease with tie strength")


def load_config(path: Path | None = None) -> StrategyConfig:
    """Load and validate the TOML config; ``None`` loads the packaged ``config.toml``."""
    source = path or DEFAULT_PATH
    try:
        with source.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"strategy config: {source}: not valid TOML: {error}") from error
    config = _build(StrategyConfig, data, "")
    _validate(config)
    return config


@functools.cache
def default_config() -> StrategyConfig:
    """The packaged configuration, loaded once per process."""
    return load_config()


__all__ = [
    "AnalysisConfig",
    "AssessmentConfig",
    "CalibrationConfig",
    "ClosenessConfig",
    "DecayConfig",
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
]
