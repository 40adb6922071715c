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
from typing import Protocol

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


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a reason rests on: ``ACTIVITY`` (activity ids) or an edge kind with its end ids."""

    kind: str
    ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Reason:
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


class ScoreBuilder:
    """Accumulates rounded reason points from a base and closes the sum with a clamp reason."""

    def __init__(self, base: int, text_en: str, text_zh: str) -> None:
        self._reasons: list[Reason] = [Reason("base", base, (), text_en, text_zh)]

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
            self._reasons.append(Reason(factor, points, tuple(evidence), text_en, text_zh))

    def build(self) -> Score:
        total = sum(r.points for r in self._reasons)
        reasons = list(self._reasons)
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


def score_closeness(ctx: PersonContext, now_ms: int, config: StrategyConfig) -> Score:
    """Relationship closeness: team ties, breadth, recency, engagement, setbacks, rivals."""
    cc = config.closeness
    half = config.decay.half_life_days
    pid = ctx.person_id
    b = ScoreBuilder(cc.base, "Baseline", "基础分")
    ties = _best_ties(ctx.knows, cc.tie_points)
    if ties:
        top = ties[0]
        b.add(
            "team_tie",
            cc.tie_points[top.level],
            [Evidence("KNOWS", (top.member_id, pid))],
            f"Strongest team tie: {ctx.name_of(top.member_id)} ({label_of(top.level)})",
            f"我方最强关系:{ctx.name_of(top.member_id)}({label_of(top.level, 'zh')})",
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
    positive: list[tuple[float, str]] = []
    negative: list[tuple[float, str]] = []
    for a in ctx.activities:
        fresh = decay(now_ms - a.occurred_at, half)
        kind = cc.type_weights[a.type]
        signal = cc.recency_points * fresh * min(1.0, kind) * cc.recency_outcome_factors[a.outcome]
        if signal > 0 and (best is None or (signal, a.occurred_at, a.id) > best):
            best = (signal, a.occurred_at, a.id)
        w = cc.outcome_weights[a.outcome] * kind * fresh
        if w > 0:
            positive.append((w, a.id))
        elif w < 0:
            negative.append((-w, a.id))
    if best is not None:
        signal, at, aid = best
        days = max(0, now_ms - at) // DAY_MS
        b.add(
            "recency",
            signal,
            [Evidence("ACTIVITY", (aid,))],
            f"Best recent contact {days} day(s) ago (weighted by type and result)",
            f"最近的有效接触在{days}天前(按类型和结果加权)",
        )
    if positive:
        b.add(
            "engagement",
            saturate(sum(w for w, _ in positive), cc.engagement_cap, cc.engagement_scale),
            [Evidence("ACTIVITY", tuple(i for _, i in positive))],
            f"{len(positive)} activity(ies) with good or neutral outcomes (recent count more)",
            f"{len(positive)}次结果正面或中性的活动(越近权重越高)",
        )
    if negative:
        b.add(
            "setbacks",
            -saturate(sum(w for w, _ in negative), cc.setback_cap, cc.setback_scale),
            [Evidence("ACTIVITY", tuple(i for _, i in negative))],
            f"{len(negative)} activity(ies) went badly",
            f"{len(negative)}次活动结果负面",
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


def _reaction_sums(
    items: Iterable[tuple[float, str]],
) -> tuple[list[tuple[float, str]], list[tuple[float, str]]]:
    pos: list[tuple[float, str]] = []
    neg: list[tuple[float, str]] = []
    for w, aid in items:
        if w > 0:
            pos.append((w, aid))
        elif w < 0:
            neg.append((-w, aid))
    return pos, neg


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


def _add_reactions(
    b: ScoreBuilder,
    items: Iterable[tuple[float, str]],
    caps: _ReactionCaps,
    favourable: tuple[str, str, str],
    unfavourable: tuple[str, str, str],
) -> None:
    """Saturated reasons for the favourable and the unfavourable reactions, each naming the
    activities behind it; ``favourable``/``unfavourable`` are (factor, English, Chinese)."""
    pos, neg = _reaction_sums(items)
    for found, sign, cap, scale, (factor, en, zh) in (
        (pos, 1, caps.positive_cap, caps.positive_scale, favourable),
        (neg, -1, caps.negative_cap, caps.negative_scale, unfavourable),
    ):
        if found:
            b.add(
                factor,
                sign * saturate(sum(w for w, _ in found), cap, scale),
                [Evidence("ACTIVITY", tuple(i for _, i in found))],
                f"{len(found)} {en}",
                f"{len(found)}{zh}",
            )


def score_solution(ctx: PersonContext, now_ms: int, config: StrategyConfig) -> Score:
    """Solution acceptance: needs fit, attitude, and solution reactions (POC counts most)."""
    sc = config.solution
    ow = config.closeness.outcome_weights
    half = config.decay.half_life_days
    m = ctx.member
    b = ScoreBuilder(sc.base, "Baseline (no view yet)", "基础分(尚无看法)")
    edge = Evidence("IN_DECISION_CHAIN", (m.person_id,))
    b.add(
        "needs_fit",
        sc.needs_fit_points[m.needs_fit],
        [edge],
        f"Needs fit: {label_of(m.needs_fit)}",
        f"需求匹配度:{label_of(m.needs_fit, 'zh')}",
        keep_zero=True,
    )
    b.add(
        "attitude",
        sc.attitude_points[m.attitude],
        [edge],
        f"Attitude: {label_of(m.attitude)}",
        f"态度:{label_of(m.attitude, 'zh')}",
    )
    items: list[tuple[float, str]] = []
    for a in ctx.activities:
        type_weight = sc.type_weights.get(a.type)
        if a.solution_reaction is not None:
            reaction = a.solution_reaction
            weight = type_weight if type_weight is not None else sc.other_reaction_weight
        elif type_weight is not None:
            reaction, weight = a.outcome, type_weight
        else:
            continue
        items.append((weight * ow[reaction] * decay(now_ms - a.occurred_at, half), a.id))
    _add_reactions(
        b,
        items,
        sc,
        (
            "solution_reactions",
            "favourable reaction(s) to our solution (demo/POC/exchange)",
            "次对我方方案的正面反馈(演示/POC/交流)",
        ),
        (
            "solution_objections",
            "unfavourable reaction(s) to our solution",
            "次对我方方案的负面反馈",
        ),
    )
    return b.build()


def score_price(
    ctx: PersonContext,
    opportunity: OpportunityFacts,
    competitors: Sequence[CompetitorFacts],
    now_ms: int,
    config: StrategyConfig,
) -> Score:
    """Price acceptance: budget vs quote and rivals' prices (scaled by role), price reactions."""
    pc = config.price
    ow = config.closeness.outcome_weights
    half = config.decay.half_life_days
    m = ctx.member
    sens = pc.role_sensitivity[m.role]
    b = ScoreBuilder(pc.base, "Baseline (no view yet)", "基础分(尚无看法)")
    quote = opportunity.quote_amount or opportunity.amount
    opp_edge = Evidence("OPPORTUNITY", (opportunity.id,))
    role_en, role_zh = label_of(m.role), label_of(m.role, "zh")
    if opportunity.budget is not None and quote > 0:
        ratio = opportunity.budget / quote
        b.add(
            "budget_vs_quote",
            band_points(pc.budget_bands, ratio) * sens,
            [opp_edge],
            f"Budget covers {ratio:.0%} of our quote (weighted x{sens:g} for a {role_en})",
            f"预算覆盖我方报价的{ratio:.0%}({role_zh}价格敏感度 x{sens:g})",
            keep_zero=True,
        )
    else:
        b.add("budget_vs_quote", 0, [opp_edge], "Budget unknown", "预算未知", keep_zero=True)
    worst: CompetitorFacts | None = None
    for c in sorted(competitors, key=lambda c: c.id):
        if worst is None or (
            pc.competitor_price_points[c.price_position]
            < pc.competitor_price_points[worst.price_position]
        ):
            worst = c
    if worst is not None:
        b.add(
            "competitor_price",
            pc.competitor_price_points[worst.price_position] * sens,
            [Evidence("COMPETES_FOR", (worst.id, opportunity.id))],
            f"{worst.name}'s price: {label_of(worst.price_position)} (x{sens:g} for a {role_en})",
            f"{worst.name}报价{label_of(worst.price_position, 'zh')}({role_zh} x{sens:g})",
        )
    items: list[tuple[float, str]] = []
    for a in ctx.activities:
        if a.price_reaction is not None:
            reaction = a.price_reaction
        elif a.type == ActivityType.PRICING_DISCUSSION:
            reaction = a.outcome
        else:
            continue
        items.append((ow[reaction] * decay(now_ms - a.occurred_at, half), a.id))
    _add_reactions(
        b,
        items,
        pc,
        ("price_reactions", "favourable reaction(s) to our price", "次对我方价格的正面反馈"),
        ("price_objections", "price objection(s)", "次对我方价格的异议"),
    )
    return b.build()


def score_person(
    ctx: PersonContext,
    opportunity: OpportunityFacts,
    competitors: Sequence[CompetitorFacts],
    now_ms: int,
    config: StrategyConfig,
) -> PersonScores:
    """All three scores of one member."""
    return PersonScores(
        ctx.person_id,
        score_closeness(ctx, now_ms, config),
        score_solution(ctx, now_ms, config),
        score_price(ctx, opportunity, competitors, now_ms, config),
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
