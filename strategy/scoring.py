"""The three scores of a key person on one opportunity: closeness, solution and price acceptance.

Every score is an int 0..100 built as a sum of explained ``Reason`` points: a documented base,
then one reason per factor (each rounded on its own), then an explicit "clamped" reason when the
sum leaves 0..100. So the reasons always add up exactly to the score and the UI can show why.

Factors are saturating sums of non-negative contributions (never averages), so adding a tie or
a positive activity can only raise a score: the win-likelihood model relies on that monotony.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, NamedTuple, Protocol

from domain.chain import (
    ActivityFacts,
    ChainSnapshot,
    CompetitorFacts,
    CompetitorTie,
    MemberFacts,
    OpportunityFacts,
    TeamKnows,
)
from domain.vocabulary import LABELS, ActivityType
from strategy.config import StrategyConfig, band_points

DAY_MS = 86_400_000
_EN = {value: label.en for value, label in LABELS.items()}
_ZH = {value: label.zh for value, label in LABELS.items()}


def label_of(value: object, locale: str = "en") -> str:
    """Cached enum label lookup (scoring formats thousands of reasons per analysis)."""
    return (_ZH if locale == "zh" else _EN)[value]  # type: ignore[index]


class Evidence(NamedTuple):
    """What a reason rests on: ``ACTIVITY`` (activity ids) or an edge kind with its end ids.

    Named tuples, not frozen dataclasses: an analysis builds thousands of reasons, and a tuple is
    as immutable and about twice as quick to make."""

    kind: str
    ids: tuple[str, ...]


class Reason(NamedTuple):
    """One factor's contribution to a score, in points, with its evidence and bilingual text."""

    factor: str
    points: int
    evidence: tuple[Evidence, ...]
    text_en: str
    text_zh: str


@dataclass(frozen=True, slots=True)
class Score:
    """A 0..100 score whose reasons' points add up exactly to ``value``."""

    value: int
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class PersonScores:
    """The three scores of one key person in the context of one opportunity."""

    person_id: str
    closeness: Score
    solution: Score
    price: Score


@dataclass(frozen=True, slots=True)
class PersonContext:
    """Everything of the snapshot that one member's scores depend on (built once per snapshot).

    Scoring a person from this slice instead of the whole snapshot is what lets the work plan and
    bridge search re-score one person after a modelled change in O(their activities).
    """

    member: MemberFacts
    knows: tuple[TeamKnows, ...]
    competitor_ties: tuple[CompetitorTie, ...]
    activities: tuple[ActivityFacts, ...]
    names: Mapping[str, str] = field(default_factory=dict)

    @property
    def person_id(self) -> str:
        return self.member.person_id

    def name_of(self, some_id: str) -> str:
        """Display name of a team member or competitor: texts for people never show ids."""
        return self.names.get(some_id, some_id)

    def last_contact_ms(self) -> int | None:
        """When we last had any activity with this person."""
        return max((a.occurred_at for a in self.activities), default=None)


_new_tuple = tuple.__new__


class ScoreBuilder:
    """Accumulates rounded reason points from a base and closes the sum with a clamp reason."""

    __slots__ = ("_reasons", "_total")

    def __init__(self, base: int, text_en: str, text_zh: str) -> None:
        self._reasons: list[Reason] = [_new_tuple(Reason, ("base", base, (), text_en, text_zh))]
        self._total = base

    def add(
        self,
        factor: str,
        value: float,
        evidence: Iterable[Evidence],
        text_en: str,
        text_zh: str,
        *,
        keep_zero: bool = False,
    ) -> None:
        """Add a factor; zero-point factors are dropped unless ``keep_zero`` (informative)."""
        points = round(value)
        if points != 0 or keep_zero:
            # tuple.__new__ skips the named tuple's Python-level constructor: same object, made
            # in a fraction of the time (scoring makes thousands per analysis).
            self._reasons.append(
                _new_tuple(Reason, (factor, points, tuple(evidence), text_en, text_zh))
            )
            self._total += points

    def build(self) -> Score:
        total = self._total
        reasons = self._reasons
        if total > 100 or total < 0:
            target = 100 if total > 100 else 0
            reasons.append(
                Reason(
                    "clamped",
                    target - total,
                    (),
                    f"Kept within 0..100 (raw sum {total})",
                    f"限制在0..100之间(原始合计 {total})",
                )
            )
            total = target
        return Score(total, tuple(reasons))


def decay(age_ms: int, half_life_days: float) -> float:
    """Exponential time decay: 1 now, 0.5 after one half-life; future instants count as now."""
    return float(0.5 ** (max(0, age_ms) / (half_life_days * DAY_MS)))


def saturate(total: float, cap: float, scale: float) -> float:
    """Diminishing returns: 0 at 0, approaching ``cap``; monotone in ``total``."""
    return cap * (1.0 - math.exp(-total / scale)) if total > 0 else 0.0


def happened_by(activities: Iterable[ActivityFacts], now_ms: int) -> list[ActivityFacts]:
    """Only activities that have taken place by ``now_ms``: a planned one has no result yet, so
    it counts for no score and is no contact."""
    return [a for a in activities if a.occurred_at <= now_ms]


def build_contexts(snapshot: ChainSnapshot, now_ms: int) -> dict[str, PersonContext]:
    """Index the snapshot by chain member in one pass over each edge list (past activities)."""
    ids = {m.person_id for m in snapshot.members}
    knows: dict[str, list[TeamKnows]] = defaultdict(list)
    for k in snapshot.team_knows:
        if k.person_id in ids:
            knows[k.person_id].append(k)
    ties: dict[str, list[CompetitorTie]] = defaultdict(list)
    for t in snapshot.competitor_ties:
        if t.person_id in ids:
            ties[t.person_id].append(t)
    acts: dict[str, list[ActivityFacts]] = defaultdict(list)
    for a in happened_by(snapshot.activities, now_ms):
        for pid in dict.fromkeys(a.person_ids):
            if pid in ids:
                acts[pid].append(a)
    names = {t.member_id: t.name for t in snapshot.team}
    names.update((c.id, c.name) for c in snapshot.competitors)
    return {
        m.person_id: PersonContext(
            m,
            tuple(knows.get(m.person_id, ())),
            tuple(ties.get(m.person_id, ())),
            tuple(acts.get(m.person_id, ())),
            names,
        )
        for m in snapshot.members
    }


def _best_ties(knows: Sequence[TeamKnows], tie_points: Mapping[str, float]) -> list[TeamKnows]:
    """Each team member's strongest tie to the person, strongest first (ties by member id)."""
    best: dict[str, TeamKnows] = {}
    for k in knows:
        cur = best.get(k.member_id)
        if cur is None or tie_points[k.level] > tie_points[cur.level]:
            best[k.member_id] = k
    return sorted(best.values(), key=lambda k: (-tie_points[k.level], k.member_id))


def score_closeness(
    ctx: PersonContext, now_ms: int, config: StrategyConfig, fresh: Sequence[float]
) -> Score:
    """Relationship closeness: team ties, breadth, recency, engagement, setbacks, rivals.

    ``fresh`` is each activity's time decay, computed once for the three scores."""
    cc = config.closeness
    pid = ctx.person_id
    b = ScoreBuilder(cc.base, "Baseline", "基础分")
    ties = _best_ties(ctx.knows, cc.tie_points)
    if ties:
        top = ties[0]
        b.add(
            "team_tie",
            cc.tie_points[top.level],
            (Evidence("KNOWS", (top.member_id, pid)),),
            f"Strongest team tie: {ctx.name_of(top.member_id)} ({_EN[top.level]})",
            f"我方最强关系:{ctx.name_of(top.member_id)}({_ZH[top.level]})",
        )
        if len(ties) > 1:
            raw = cc.breadth_factor * sum(cc.tie_points[k.level] for k in ties[1:])
            b.add(
                "team_breadth",
                min(cc.breadth_cap, raw),
                [Evidence("KNOWS", (k.member_id, pid)) for k in ties[1:]],
                f"{len(ties) - 1} more team member(s) know them",
                f"另有{len(ties) - 1}名团队成员与其相识",
            )
    else:
        b.add(
            "team_tie", 0, (), "Nobody on our team knows them", "我方无人与其相识", keep_zero=True
        )

    best: tuple[float, int, str] | None = None
    pos_sum = neg_sum = 0.0
    pos_ids: list[str] = []
    neg_ids: list[str] = []
    type_weights, outcome_weights = cc.type_weights, cc.outcome_weights
    recency_points, recency_factors = cc.recency_points, cc.recency_outcome_factors
    for a, f in zip(ctx.activities, fresh, strict=True):
        kind = type_weights[a.type]
        signal = recency_points * f * min(1.0, kind) * recency_factors[a.outcome]
        if signal > 0 and (best is None or (signal, a.occurred_at, a.id) > best):
            best = (signal, a.occurred_at, a.id)
        w = outcome_weights[a.outcome] * kind * f
        if w > 0:
            pos_sum += w
            pos_ids.append(a.id)
        elif w < 0:
            neg_sum -= w
            neg_ids.append(a.id)
    if best is not None:
        signal, at, aid = best
        days = max(0, now_ms - at) // DAY_MS
        b.add(
            "recency",
            signal,
            (Evidence("ACTIVITY", (aid,)),),
            f"Best recent contact {days} day(s) ago (weighted by type and result)",
            f"最近的有效接触在{days}天前(按类型和结果加权)",
        )
    if pos_ids:
        b.add(
            "engagement",
            saturate(pos_sum, cc.engagement_cap, cc.engagement_scale),
            (Evidence("ACTIVITY", tuple(pos_ids)),),
            f"{len(pos_ids)} activity(ies) with good or neutral outcomes (recent count more)",
            f"{len(pos_ids)}次结果正面或中性的活动(越近权重越高)",
        )
    if neg_ids:
        b.add(
            "setbacks",
            -saturate(neg_sum, cc.setback_cap, cc.setback_scale),
            (Evidence("ACTIVITY", tuple(neg_ids)),),
            f"{len(neg_ids)} activity(ies) went badly",
            f"{len(neg_ids)}次活动结果负面",
        )
    if ctx.competitor_ties:
        pull = sum(cc.competitor_pull[t.level] for t in ctx.competitor_ties)
        rivals = sorted({ctx.name_of(t.competitor_id) for t in ctx.competitor_ties})
        b.add(
            "competitor_pull",
            -min(cc.competitor_pull_cap, pull),
            [Evidence("CLOSE_TO", (t.competitor_id, pid)) for t in ctx.competitor_ties],
            f"Close to competitor(s): {', '.join(rivals)}",
            f"与竞争对手关系密切:{'、'.join(rivals)}",
        )
    return b.build()


class _ReactionCaps(Protocol):
    """The saturation settings shared by the solution and price sections of the config."""

    @property
    def positive_cap(self) -> float: ...
    @property
    def positive_scale(self) -> float: ...
    @property
    def negative_cap(self) -> float: ...
    @property
    def negative_scale(self) -> float: ...


class _Reactions:
    """Favourable and unfavourable reaction weights with the activities behind them."""

    __slots__ = ("neg_ids", "neg_sum", "pos_ids", "pos_sum")

    def __init__(self) -> None:
        self.pos_sum = 0.0
        self.neg_sum = 0.0
        self.pos_ids: list[str] = []
        self.neg_ids: list[str] = []

    def add(self, weight: float, activity_id: str) -> None:
        if weight > 0:
            self.pos_sum += weight
            self.pos_ids.append(activity_id)
        elif weight < 0:
            self.neg_sum -= weight
            self.neg_ids.append(activity_id)


def _add_reactions(
    b: ScoreBuilder,
    found: _Reactions,
    caps: _ReactionCaps,
    favourable: tuple[str, str, str],
    unfavourable: tuple[str, str, str],
) -> None:
    """Saturated reasons for the favourable and the unfavourable reactions, each naming the
    activities behind it; ``favourable``/``unfavourable`` are (factor, English, Chinese)."""
    if found.pos_ids:
        factor, en, zh = favourable
        n = len(found.pos_ids)
        b.add(
            factor,
            saturate(found.pos_sum, caps.positive_cap, caps.positive_scale),
            (Evidence("ACTIVITY", tuple(found.pos_ids)),),
            f"{n} {en}",
            f"{n}{zh}",
        )
    if found.neg_ids:
        factor, en, zh = unfavourable
        n = len(found.neg_ids)
        b.add(
            factor,
            -saturate(found.neg_sum, caps.negative_cap, caps.negative_scale),
            (Evidence("ACTIVITY", tuple(found.neg_ids)),),
            f"{n} {en}",
            f"{n}{zh}",
        )


_SOLUTION_REACTIONS: Final = (
    "solution_reactions",
    "favourable reaction(s) to our solution (demo/POC/exchange)",
    "次对我方方案的正面反馈(演示/POC/交流)",
)
_SOLUTION_OBJECTIONS: Final = (
    "solution_objections",
    "unfavourable reaction(s) to our solution",
    "次对我方方案的负面反馈",
)
_PRICE_REACTIONS: Final = (
    "price_reactions",
    "favourable reaction(s) to our price",
    "次对我方价格的正面反馈",
)
_PRICE_OBJECTIONS: Final = ("price_objections", "price objection(s)", "次对我方价格的异议")


def score_solution(ctx: PersonContext, config: StrategyConfig, fresh: Sequence[float]) -> Score:
    """Solution acceptance: needs fit, attitude, and solution reactions (POC counts most)."""
    sc = config.solution
    ow = config.closeness.outcome_weights
    m = ctx.member
    b = ScoreBuilder(sc.base, "Baseline (no view yet)", "基础分(尚无看法)")
    edge = (Evidence("IN_DECISION_CHAIN", (m.person_id,)),)
    b.add(
        "needs_fit",
        sc.needs_fit_points[m.needs_fit],
        edge,
        f"Needs fit: {_EN[m.needs_fit]}",
        f"需求匹配度:{_ZH[m.needs_fit]}",
        keep_zero=True,
    )
    b.add(
        "attitude",
        sc.attitude_points[m.attitude],
        edge,
        f"Attitude: {_EN[m.attitude]}",
        f"态度:{_ZH[m.attitude]}",
    )
    found = _Reactions()
    type_weights = sc.type_weights
    for a, f in zip(ctx.activities, fresh, strict=True):
        type_weight = type_weights.get(a.type)
        if a.solution_reaction is not None:
            reaction = a.solution_reaction
            weight = type_weight if type_weight is not None else sc.other_reaction_weight
        elif type_weight is not None:
            reaction, weight = a.outcome, type_weight
        else:
            continue
        found.add(weight * ow[reaction] * f, a.id)
    _add_reactions(b, found, sc, _SOLUTION_REACTIONS, _SOLUTION_OBJECTIONS)
    return b.build()


def _price_benchmark(
    competitors: Sequence[CompetitorFacts], points: Mapping[str, float]
) -> CompetitorFacts | None:
    """The competitor whose price position hurts ours most (ties by id)."""
    worst: CompetitorFacts | None = None
    for c in sorted(competitors, key=lambda c: c.id):
        if worst is None or points[c.price_position] < points[worst.price_position]:
            worst = c
    return worst


def score_price(
    ctx: PersonContext,
    opportunity: OpportunityFacts,
    worst: CompetitorFacts | None,
    config: StrategyConfig,
    fresh: Sequence[float],
) -> Score:
    """Price acceptance: budget vs quote and rivals' prices (scaled by role), price reactions.

    ``worst`` is the competitor whose price position hurts ours most (see ``_price_benchmark``)."""
    pc = config.price
    ow = config.closeness.outcome_weights
    m = ctx.member
    sens = pc.role_sensitivity[m.role]
    b = ScoreBuilder(pc.base, "Baseline (no view yet)", "基础分(尚无看法)")
    quote = opportunity.quote_amount or opportunity.amount
    opp_edge = (Evidence("OPPORTUNITY", (opportunity.id,)),)
    role_en, role_zh = _EN[m.role], _ZH[m.role]
    if opportunity.budget is not None and quote > 0:
        ratio = opportunity.budget / quote
        b.add(
            "budget_vs_quote",
            band_points(pc.budget_bands, ratio) * sens,
            opp_edge,
            f"Budget covers {ratio:.0%} of our quote (weighted x{sens:g} for a {role_en})",
            f"预算覆盖我方报价的{ratio:.0%}({role_zh}价格敏感度 x{sens:g})",
            keep_zero=True,
        )
    else:
        b.add("budget_vs_quote", 0, opp_edge, "Budget unknown", "预算未知", keep_zero=True)
    if worst is not None:
        b.add(
            "competitor_price",
            pc.competitor_price_points[worst.price_position] * sens,
            (Evidence("COMPETES_FOR", (worst.id, opportunity.id)),),
            f"{worst.name}'s price: {_EN[worst.price_position]} (x{sens:g} for a {role_en})",
            f"{worst.name}报价{_ZH[worst.price_position]}({role_zh} x{sens:g})",
        )
    found = _Reactions()
    for a, f in zip(ctx.activities, fresh, strict=True):
        if a.price_reaction is not None:
            reaction = a.price_reaction
        elif a.type == ActivityType.PRICING_DISCUSSION:
            reaction = a.outcome
        else:
            continue
        found.add(ow[reaction] * f, a.id)
    _add_reactions(b, found, pc, _PRICE_REACTIONS, _PRICE_OBJECTIONS)
    return b.build()


def score_person(
    ctx: PersonContext,
    opportunity: OpportunityFacts,
    competitors: Sequence[CompetitorFacts],
    now_ms: int,
    config: StrategyConfig,
) -> PersonScores:
    """All three scores of one member (each activity's time decay computed once for all)."""
    scale = config.decay.half_life_days * DAY_MS
    fresh = [0.5 ** (max(0, now_ms - a.occurred_at) / scale) for a in ctx.activities]
    worst = _price_benchmark(competitors, config.price.competitor_price_points)
    return PersonScores(
        ctx.person_id,
        score_closeness(ctx, now_ms, config, fresh),
        score_solution(ctx, config, fresh),
        score_price(ctx, opportunity, worst, config, fresh),
    )


def score_chain(
    snapshot: ChainSnapshot, now_ms: int, config: StrategyConfig
) -> dict[str, PersonScores]:
    """Scores of every chain member, keyed by person id (in member order)."""
    contexts = build_contexts(snapshot, now_ms)
    return {
        pid: score_person(ctx, snapshot.opportunity, snapshot.competitors, now_ms, config)
        for pid, ctx in contexts.items()
    }
