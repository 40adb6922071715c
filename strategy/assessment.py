"""The four TAS questions (is it real, can we compete, can we win, is it worth it) and the win
likelihood, computed from per-member states and the opportunity's facts.

The inputs are condensed into ``Totals``: influence-weighted sums kept as exact integers
(weights quantised to 2**-40, attitude and tie values to 2**-20). Integer sums are exact and
order-independent, so the work plan and the bridge search can swap one member's state in O(1)
(``Totals.replace``) and re-run this exact model with results bit-identical to a full
recomputation from the modified snapshot.

Win likelihood model: ``p = 1 / (1 + exp(-z))`` with ``z = intercept + stage prior +
sum(weight_q * (score_q - 50) / 50)`` over can-we-compete, can-we-win and is-it-worth-it, plus
``weight * (min(score, 50) - 50) / 50`` for is-it-real (a qualifying gate: being real never
makes a deal winnable). All weights are non-negative (checked at load), and
every question score is non-decreasing in each member's closeness, so raising our closeness to
anyone never lowers ``p``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from operator import attrgetter
from typing import Final

from domain.chain import (
    ChainSnapshot,
    CompetitorFacts,
    CompetitorTie,
    MemberFacts,
    OpportunityFacts,
    drawn_expert,
    seat_left_by,
)
from domain.text import Text
from domain.vocabulary import (
    CLOSED_STAGES,
    LABELS,
    Attitude,
    CompetitivePosition,
    DecisionRole,
    InfluenceLevel,
    NeedsFit,
    PricePosition,
    QuoteStatus,
    Stage,
    TeamRole,
    TieStrength,
    label_of,
)
from strategy.config import AssessmentConfig, StrategyConfig, band_points, graded_points
from strategy.influence import acquainted, dm_reach, told_by
from strategy.scoring import (
    BUDGET_HOLDERS,
    DAY_MS,
    EVALUATORS,
    SOLUTION_JUDGES,
    SUPERVISORS,
    SUPPORTIVE,
    Evidence,
    PersonContext,
    PersonScores,
    Reason,
    Score,
    ScoreBuilder,
    hearsay,
    stage_days,
)
from strategy.scoring import WENT_BADLY as WENT_BADLY  # re-exported: where the workplan reads it

SIGNERS = frozenset({DecisionRole.DECISION_MAKER, DecisionRole.APPROVER})
"""Who must sign: a decision maker decides; an approver (the CFO, the officer in charge of
the budget) can still say no, so one who opposes us costs "can we win" on top of their share."""


def bid_in(opp: OpportunityFacts) -> bool:
    """Our bid is submitted: the evaluation committee sits until the award, the buyer's own
    evaluators and procurement on it, and bidders may not work on its members privately."""
    return opp.stage == Stage.BIDDING and opp.quote_status == QuoteStatus.SUBMITTED


def scorers_sealed(opp: OpportunityFacts) -> bool:
    """No play works privately on those who score the bids (``SEALED_WHILE_BID_IN``): while
    our bid is in (``bid_in``), and all through a tender run again (a deal moved back from the
    negotiation to the bidding). There its scorers are known from the first round, and the
    rival who had it annulled, the supervision with it, watches for any contact with them: a
    sales leader keeps everything with them formal and in writing from the re-run's start."""
    rerun = opp.stage == Stage.BIDDING and opp.moved_back_from == Stage.NEGOTIATION
    return rerun or bid_in(opp)


def review_pressing(opp: OpportunityFacts) -> bool:
    """A quote without the delivery manager's review that cannot wait for its gain to rank it:
    out already, or about to go out (a draft at the bidding or the negotiation, days from being
    the price we are held to). Earlier a draft's review is ranked by what it adds, high delivery
    risk included: the quote is weeks from going out."""
    if opp.delivery_reviewed or opp.quote_status not in (QuoteStatus.DRAFT, QuoteStatus.SUBMITTED):
        return False
    return opp.quote_status == QuoteStatus.SUBMITTED or opp.stage in PRICE_BINDING_STAGES


PRICE_BINDING_STAGES: Final[Mapping[Stage, tuple[str, str]]] = {
    Stage.BIDDING: ("bidding", "投标"),
    Stage.NEGOTIATION: ("negotiation", "谈判签约"),
}
"""Where a draft quote is days from being the price we are held to, as a flag names them."""


SEALED_WHILE_BID_IN = EVALUATORS | {DecisionRole.FINANCE}
"""Whom no play works on privately while our bid is in (``bid_in``): the evaluators and
procurement on the committee, and the buyer's finance, who checks the prices. A sealed price
cannot change, and a decision maker seen pressing tender staff for a bidder is a matter for
discipline inspection and can void the bid."""


def at_arms_length(member: MemberFacts) -> bool:
    """Dealt with openly and on the record only: the supervisor of the purchase, and a drawn
    tender-evaluation expert, whom bidders may not contact at all (their verdict is won through
    the bid). Never having met them is the rule, so neither is a gap, and our closeness to them
    counts neither for nor against us in "can we compete"; no play is aimed at an expert, and at
    a supervisor only what the playbook owes them."""
    return member.role in SUPERVISORS or drawn_expert(member)


LATE_STAGES = frozenset({Stage.PROPOSAL, Stage.BIDDING, Stage.NEGOTIATION})
"""From the proposal on: a signature nobody has prepared is a risk now, not later."""

SETTLING_STAGES = frozenset({Stage.BIDDING, Stage.NEGOTIATION})
"""Where the price and the contract are settled: procurement and finance negotiate them."""

TENDER_STAGES = frozenset(
    {Stage.VALIDATE, Stage.INITIATE, Stage.REQUIREMENTS, Stage.VALUE_PRESENTATION, Stage.PROPOSAL}
)
"""Before the bids: where a tender is being prepared and its specification written."""

SPECIFIED_STAGES = frozenset({Stage.REQUIREMENTS, Stage.VALUE_PRESENTATION, Stage.PROPOSAL})
"""Where a tender's specification and scoring rules are being written."""


_ATTITUDE_INDEX: Mapping[Attitude, int] = {a: i for i, a in enumerate(Attitude)}


def runs_tender(role: DecisionRole, influence: InfluenceLevel) -> bool:
    """Procurement declared of at least medium influence: the deal will be tendered."""
    return role == DecisionRole.PROCUREMENT and influence != InfluenceLevel.LOW


def tender_led(stage: Stage, tendering: bool) -> bool:
    """A deal decided by a formal tender: at the bidding stage, or before it when procurement
    runs it (``runs_tender``); after bidding the tender is decided."""
    return stage == Stage.BIDDING or (stage in TENDER_STAGES and tendering)


UNPROVEN_STAGE = Stage.REQUIREMENTS
"""The furthest stage a deal has proven while no decision maker is close to us: value is
presented, and proposals are weighed, by the people who decide."""


@dataclass(frozen=True, slots=True)
class PersonState:
    """What the opportunity-level model needs of one member."""

    person_id: str
    role: DecisionRole
    attitude: Attitude
    weight: float
    closeness: int
    solution: int
    price: int
    competitor_ties: tuple[CompetitorTie, ...]
    influence: InfluenceLevel
    price_raw: int
    """``PersonScores.price_raw``: what the budget holders' term reads."""
    reach: float = 0.0
    """How directly they reach a decision maker (``influence.dm_reach``): what a champion's
    word is worth."""
    hears_champion: bool = False
    """A champion can tell them directly (``influence.champion_listeners``): with us, they
    carry the champion's case on to the decision maker."""
    objected: bool = False
    """They pushed back on our price (a price objection recorded)."""
    arms_length: bool = False
    """``at_arms_length``: their closeness is left out of "can we compete"."""
    fresh: float = 1.0
    """``insider_credit``: what a coach's guidance or a champion's word is still worth after the
    silence since we last spoke with them (0..1)."""
    dated: bool = True
    """We have a dated contact with them on record (False: known by a tie only)."""
    hearsay: bool = False
    """``hearsay``: their support for us is only what someone else told us."""
    poor_fit: bool = False
    """Our solution is recorded as a poor fit for their needs (``NeedsFit.POOR``)."""
    price_silent: bool = False
    """``PersonScores.price_silent``: a budget holder who has not reacted to our quote."""
    objection_quiet_days: int | None = None
    """``PersonScores.objection_quiet_days``: a budget holder's unanswered price objection and
    the days nobody of ours has contacted them since."""
    contacted: bool = True
    """One of ours has been in touch with them (an activity with them has taken place; one
    planned, or a tie from one of ours, is not yet contact): what verifies a decision maker
    named to us by others."""


@dataclass(frozen=True, slots=True)
class CompetitorSupport:
    """Influence-weighted closeness of one competitor's allies (0..1) and our margin over it."""

    competitor_id: str
    competitor_name: str
    support: float
    balance: float


@dataclass(frozen=True, slots=True)
class SupportBalance:
    """Influence-weighted attitude towards us (-1..+1) against each competitor's support."""

    for_us: float
    competitors: tuple[CompetitorSupport, ...]

    @property
    def net(self) -> float:
        """Our support minus the strongest competitor's support."""
        return self.for_us - max((c.support for c in self.competitors), default=0.0)


@dataclass(frozen=True, slots=True)
class LikelihoodTerm:
    """One question's contribution to the logit of the win likelihood."""

    factor: str
    weight: float
    score: int
    logit: float
    text_en: str
    text_zh: str


@dataclass(frozen=True, slots=True)
class WinLikelihood:
    """Win likelihood 0..1, its logit and the terms it is made of (the model's reasons)."""

    value: float
    logit: float
    intercept: float
    terms: tuple[LikelihoodTerm, ...]
    prior_share: float = 1.0
    """How much of its stage's prior the deal has earned (``earned_share``): what a gate
    snapshot records, so that the calibration fits the prior the model applied."""


@dataclass(frozen=True, slots=True)
class Assessment:
    """Answers to the four questions and the resulting win likelihood."""

    is_real: Score
    can_compete: Score
    can_win: Score
    worth_it: Score
    support: SupportBalance
    win_likelihood: WinLikelihood


Named = Mapping[str, str | Text]
"""The names of the people a reason may name, by id; a seat's unknown holder as a text in each
language (``domain.chain.successor_of``)."""

_OCCURRED_AT = attrgetter("occurred_at")


def insider_credit(ctx: PersonContext, now_ms: int, config: StrategyConfig) -> float:
    """What a coach's guidance or a champion's word is still worth after the silence since we
    last spoke with them: in full for ``insider_fresh_days``, half at ``insider_half_days``,
    ``insider_stale_credit`` from ``insider_stale_days`` on; ``insider_unverified_credit``
    with no dated contact at all (known by a tie only: neither active nor gone quiet), and
    ``insider_unreached_credit`` with neither a contact nor a tie (nobody of ours knows them). Days
    count from the start of the UTC day, as the scores' decay does: an analysis holds all day."""
    ac = config.assessment
    last: int | None = max(map(_OCCURRED_AT, ctx.activities), default=None)
    if last is None:
        # a coach guides us only by talking to one of ours; a champion may sell for us on
        # what they heard elsewhere (their word: ``support.hearsay_credit``)
        unreached = ctx.member.role == DecisionRole.COACH and not ctx.knows
        return ac.insider_unreached_credit if unreached else ac.insider_unverified_credit
    days = max(0, now_ms // DAY_MS * DAY_MS - last) / DAY_MS
    fresh, half, stale = ac.insider_fresh_days, ac.insider_half_days, ac.insider_stale_days
    if days <= fresh:
        return 1.0
    if days <= half:
        return 1.0 - 0.5 * (days - fresh) / (half - fresh)
    if days <= stale:
        return 0.5 - (0.5 - ac.insider_stale_credit) * (days - half) / (stale - half)
    return ac.insider_stale_credit


def person_state(
    ctx: PersonContext,
    scores: PersonScores,
    weight: float,
    reach: float = 0.0,
    hears_champion: bool = False,
    *,
    now_ms: int | None = None,
    config: StrategyConfig | None = None,
) -> PersonState:
    """Condense one member's context and scores for the opportunity-level model; with
    ``now_ms`` and ``config``, how fresh a coach's or a champion's word is (``insider_credit``),
    else fresh."""
    m = ctx.member
    # only the word of a coach, of one who carries our case, or a decision maker's support goes
    # stale; a decision maker's support tried in a what-if, or won by a play, is today's
    deciding = m.role == DecisionRole.DECISION_MAKER and not (m.heard or m.moved_today)
    fresh = (
        insider_credit(ctx, now_ms, config)
        if now_ms is not None
        and config is not None
        and m.attitude in SUPPORTIVE
        and (reach > 0 or m.role == DecisionRole.COACH or deciding)
        else 1.0
    )
    return PersonState(
        m.person_id,
        m.role,
        m.attitude,
        weight,
        scores.closeness.value,
        scores.solution.value,
        scores.price.value,
        ctx.competitor_ties,
        m.influence,
        scores.price_raw,
        reach,
        hears_champion,
        any(a.price_reaction in WENT_BADLY for a in ctx.activities),
        at_arms_length(m),
        fresh,
        bool(ctx.activities),
        hearsay(ctx),
        m.needs_fit == NeedsFit.POOR,
        scores.price_silent,
        scores.objection_quiet_days,
        any(a.occurred_at <= now_ms for a in ctx.activities)
        if now_ms is not None
        else bool(ctx.activities),
    )


def attitude_value(s: PersonState, config: StrategyConfig) -> float:
    """Their attitude towards us, -1..+1 (``support.attitude_values``), hearsay discounted."""
    sc = config.support
    value = sc.attitude_values[s.attitude]
    return value * sc.hearsay_credit if s.hearsay else value


def signer_mood(s: PersonState, config: StrategyConfig) -> float:
    """A signer's attitude as "can we win" reads it (``attitude_value``): a decision maker's
    support is worth what we heard from them lately, as a coach's word is (``insider_credit``:
    a supporter not met for five months may have moved, and a rival's last-minute offer meets
    no one of ours); opposition counts in full however long ago it was heard."""
    value = attitude_value(s, config)
    return value * s.fresh if value > 0 and s.role == DecisionRole.DECISION_MAKER else value


STARTING_POINT: Final = ("Where every deal starts", "每个商机的起点分")
"""The first reason of each question: the points any deal has before its facts count."""

_LEANINGS: Final = (
    # below a sceptic's -0.5: a sales director reading "the decision maker is against us" of
    # a sceptic takes the deal for lost
    (-0.75, "against us", "反对我方"),
    (-0.15, "leaning against us", "偏向反对我方"),
    (0.15, "neither for nor against us", "态度未明"),
    (0.5, "leaning our way", "偏向我方"),
)


def leaning(value: float) -> tuple[str, str]:
    """Where an attitude of -1..+1 stands, as a sales leader says it."""
    for bound, en, zh in _LEANINGS:
        if value <= bound:
            return en, zh
    return "for us", "支持我方"


WEIGHT_Q = 1 << 40
VALUE_Q = 1 << 20


TIE_RANK: Mapping[TieStrength, int] = {s: i for i, s in enumerate(TieStrength)}
INFLUENCE_RANK: Mapping[InfluenceLevel, int] = {v: i for i, v in enumerate(InfluenceLevel)}


def in_camp(member: PersonState | PersonContext, config: StrategyConfig) -> bool:
    """Tied to a competitor at least ``analysis.camp_min_level``: the core of its camp."""
    floor = TIE_RANK[config.analysis.camp_min_level]
    return any(TIE_RANK[t.level] >= floor for t in member.competitor_ties)


def is_ally(member: PersonState | PersonContext, config: StrategyConfig) -> bool:
    """Aligned with a competitor: CLOSE_TO at least ``analysis.ally_min_level``."""
    floor = TIE_RANK[config.analysis.ally_min_level]
    return any(TIE_RANK[t.level] >= floor for t in member.competitor_ties)


def wired_by(member: PersonState | PersonContext, config: StrategyConfig) -> tuple[str, ...]:
    """The competitors a supervisor of the purchase is close to (``is_ally``'s level): the
    officer meant to keep the tender fair may be the one who wires it. Nobody else's ties."""
    if _role_of(member) not in SUPERVISORS:
        return ()
    floor = TIE_RANK[config.analysis.ally_min_level]
    return tuple(
        sorted({t.competitor_id for t in member.competitor_ties if TIE_RANK[t.level] >= floor})
    )


def _role_of(member: PersonState | PersonContext) -> DecisionRole:
    return member.role if isinstance(member, PersonState) else member.member.role


PRICE_KEEPERS = frozenset({DecisionRole.FINANCE, DecisionRole.PROCUREMENT})
"""Who negotiates the price whatever they think of us: the price is their job."""


def price_concern(ctx: PersonContext) -> bool:
    """Whether price is an issue to work on with this person: finance or procurement, whose
    job the price is; the decision maker not with us yet, who weighs what it costs against
    what it brings; or someone who pushed back on price. Anyone else who never raised it, with
    us or not (the vice president who backs us, the party secretary whose concerns are
    compliance), is no price problem: a pricing workshop would put price on their agenda and
    invite them to join the squeeze."""
    m = ctx.member
    return (
        m.role in PRICE_KEEPERS
        or (m.role == DecisionRole.DECISION_MAKER and m.attitude not in SUPPORTIVE)
        or any(a.price_reaction in WENT_BADLY for a in ctx.activities)
    )


def locks_scoring(
    role: DecisionRole,
    attitude: Attitude,
    member: PersonState | PersonContext,
    config: StrategyConfig,
) -> bool:
    """An evaluator a competitor holds: scores the bids, is not with us, is its ally."""
    return role in EVALUATORS and attitude not in SUPPORTIVE and is_ally(member, config)


def counter_share(state: PersonState, config: StrategyConfig) -> float:
    """What an evaluator with us takes back of a held evaluator's cost: a supporter or a
    champion of at least medium influence in no competitor's camp, by attitude
    (``locked_evaluator_offset``), more for one of high influence; 0 for anyone else."""
    ac = config.assessment
    share = ac.locked_evaluator_offset.get(state.attitude, 0.0)
    if not share or state.influence == InfluenceLevel.LOW or in_camp(state, config):
        return 0.0
    if state.influence in (InfluenceLevel.HIGH, InfluenceLevel.DECISIVE):
        return share * ac.locked_evaluator_offset_high
    return share


def trusted_coach(state: PersonState, config: StrategyConfig) -> bool:
    """A coach who supports us and is not in a competitor's camp: one close to a competitor
    may pass on what they want us to hear, and what we say may reach them. Nor one whose word
    is worth nothing now (``insider_unreached_credit``: nobody of ours knows them or has been
    in touch): they guide nobody of ours yet, a coach we cannot rely on."""
    return state.attitude in SUPPORTIVE and not in_camp(state, config) and state.fresh > 0


def _free_to_speak(
    role: DecisionRole, member: PersonState | PersonContext, config: StrategyConfig
) -> bool:
    """No decision maker (their own attitude counts on its own) and in no competitor's camp."""
    return role != DecisionRole.DECISION_MAKER and not in_camp(member, config)


def trusted_champion(state: PersonState, config: StrategyConfig) -> bool:
    """A champion who sells for us inside and is in no competitor's camp (a decision maker's
    own attitude counts on its own)."""
    return state.attitude == Attitude.CHAMPION and _free_to_speak(state.role, state, config)


def carries_our_case(state: PersonState, config: StrategyConfig) -> bool:
    """Someone whose word for us reaches as far as they reach a decision maker: a trusted
    champion, or a supporter (in no competitor's camp, not a decision maker) whom a champion
    tells, who carries the champion's case on as their own, not a retelling less."""
    told = state.hears_champion and state.attitude == Attitude.SUPPORTER
    spoken = state.attitude == Attitude.CHAMPION or told
    return spoken and _free_to_speak(state.role, state, config)


def restated(
    state: PersonState,
    ctx: PersonContext,
    scores: PersonScores,
    now_ms: int,
    config: StrategyConfig,
) -> PersonState:
    """A member's state after a change to their slice (a play tried, a mind won): the same
    weight and the same place among those a champion reaches and tells."""
    return person_state(
        ctx, scores, state.weight, state.reach, state.hears_champion, now_ms=now_ms, config=config
    )


def member_states(
    snapshot: ChainSnapshot,
    contexts: Mapping[str, PersonContext],
    scores: Mapping[str, PersonScores],
    effective: Mapping[str, float],
    config: StrategyConfig,
    now_ms: int,
) -> tuple[PersonState, ...]:
    """Every member's state, in id order, with how directly they reach a decision maker and
    whether a trusted champion tells them directly."""
    near = acquainted(snapshot)
    reach = dm_reach(snapshot, near=near)
    champions = (
        p
        for p, c in contexts.items()
        if c.member.attitude == Attitude.CHAMPION and _free_to_speak(c.member.role, c, config)
    )
    heard = told_by(near, champions)
    return tuple(
        person_state(c, scores[p], effective[p], reach[p], p in heard, now_ms=now_ms, config=config)
        for p, c in sorted(contexts.items())
    )


@dataclass(frozen=True, slots=True)
class Listeners:
    """Who can tell whom, and who speaks for us now: what a trial needs to hear its members
    again when it makes someone a champion who speaks for us, or ends it, as
    ``member_states`` hears them (a full what-if re-runs that)."""

    near: Mapping[str, set[str]]
    champions: frozenset[str]
    states: Mapping[str, PersonState]

    @staticmethod
    def of(
        snapshot: ChainSnapshot, states: Sequence[PersonState], config: StrategyConfig
    ) -> Listeners:
        by_id = {s.person_id: s for s in states}
        champions = frozenset(p for p, s in by_id.items() if trusted_champion(s, config))
        return Listeners(acquainted(snapshot), champions, by_id)

    def swap(
        self, totals: Totals, old: PersonState, new: PersonState, config: StrategyConfig
    ) -> Totals:
        """The totals with one member's state swapped; when that makes them a trusted champion
        or ends it, those they can tell hear a champion or no longer do (O(their ties))."""
        totals = totals.replace(old, new, config)
        speaks = trusted_champion(new, config)
        if speaks == trusted_champion(old, config):
            return totals
        others = self.champions - {old.person_id}
        for pid in sorted(self.near.get(old.person_id, ())):
            heard_by = self.states.get(pid)
            if heard_by is None or pid == old.person_id:
                continue
            heard = speaks or any(c in others for c in self.near.get(pid, ()))
            if heard != heard_by.hears_champion:
                told = dataclasses.replace(heard_by, hears_champion=heard)
                totals = totals.replace(heard_by, told, config)
        return totals


def _q(value: float, quantum: int) -> int:
    return round(value * quantum)


@dataclass(frozen=True, slots=True)
class Totals:
    """Exact integer aggregates of the member states that the four questions read."""

    weight: int
    closeness: int
    solution: int
    price: int
    attitude: int
    competitor: Mapping[str, int]
    allies: Mapping[str, tuple[str, ...]]
    signers: tuple[tuple[str, int, int, bool], ...]
    """(person, closeness, attitude, decides) of each decision maker and approver: everyone
    who must sign, so each can stop the deal."""
    coaches: tuple[tuple[str, int, bool], ...]
    """(person, how fresh their guidance is in VALUE_Q when a trusted coach else -1, whether
    we have a dated contact with them) of each coach."""
    procurers: tuple[tuple[str, int], ...]
    """(person, closeness) of each procurement member: they run a tender's process."""
    locked: tuple[str, ...]
    """The evaluators a competitor holds (``locks_scoring``)."""
    budget: tuple[int, int, int, int, int]
    """Of the budget holders: (influence weight of those who pushed back on our price, in
    VALUE_Q, the weighted sum of their price acceptance before the cut-off at 0, down to
    ``budget_holder_price_lowest``, the same two of those who never did, how many pushed back):
    a trial swaps one in O(1)."""
    tendering: int
    """How many members run a tender (``runs_tender``)."""
    scorers: tuple[int, ...]
    """How many evaluators declared of at least medium influence hold each attitude (in
    ``Attitude`` order, opponent first): a trial swaps one in O(1)."""
    champions: tuple[tuple[str, int], ...] = ()
    """(person, reach in VALUE_Q) of each member who carries our case (``carries_our_case``)
    and reaches a decision maker, as fresh as their word is (``PersonState.fresh``)."""
    best_reach: int = 0
    """The largest reach in ``champions``, kept so that a trial reads it in O(1)."""
    wired: tuple[tuple[str, str], ...] = ()
    """(supervisor, competitor) of each supervisor of the purchase close to a competitor
    (``wired_by``): "is it worth it" reads them."""
    closeness_weight: int = 0
    """The weight of the members whose closeness counts (all but those ``at_arms_length``):
    what ``closeness`` is the mean over."""
    hearsay: tuple[str, ...] = ()
    """The signers whose support for us is only what others told us (``PersonState.hearsay``)."""
    quiet_days: int = 0
    """Whole days since anyone of ours last had contact with the customer (``quiet_days`` of
    ``strategy.tas.violations``): the deal's, not a member's, so a trial keeps it."""
    counter: int = 0
    """What the evaluators with us take back of a held evaluator's cost (``counter_share``
    summed, in VALUE_Q): a trial swaps one in O(1)."""
    judges: tuple[tuple[str, int], ...] = ()
    """(person, solution acceptance) of each judge of the solution (``SOLUTION_JUDGES``)
    declared of at least medium influence whose needs it is recorded to fit poorly: the least
    accepting one speaks for the evaluation."""
    unstaffed: bool = False
    """Nobody on our team owns the solution (a team without a solution manager): the deal's,
    not a member's, so a trial keeps it."""
    binders: tuple[tuple[str, int, bool], ...] = ()
    """(person, price acceptance as ``budget`` reads it, whether they pushed back on our price)
    of each budget holder of at least ``budget_holder_price_binding`` influence: the budget
    holders' price is never read as better than the one of them who accepts it least."""
    silent: tuple[tuple[str, int, bool], ...] = ()
    """(person, price weight in VALUE_Q as ``budget`` counts it, whether of at least
    ``budget_holder_price_binding`` influence) of each budget holder silent about our quote
    (``PersonState.price_silent``): ``price_untested_points`` reads them."""
    stale: tuple[tuple[str, int], ...] = ()
    """(person, days nobody of ours has contacted them) of each budget holder of at least
    ``budget_holder_price_binding`` influence whose price objection stands unanswered
    (``PersonState.objection_quiet_days``): ``stale_objection_points`` reads them."""
    unverified: tuple[str, ...] = ()
    """The decision makers nobody of ours has been in touch with (``PersonState.contacted``):
    known to us only through others, so "is it real" does not count them as verified."""

    @property
    def champion_reach(self) -> float:
        """The best reach of someone who carries our case to a decision maker (0..1)."""
        return self.best_reach / VALUE_Q

    def worst_scorer(self, config: StrategyConfig) -> float:
        """The least favourable such evaluator's attitude (-1..+1), 0 when there is none."""
        worst = self.worst_scorer_attitude()
        return 0.0 if worst is None else float(config.support.attitude_values[worst])

    def worst_scorer_attitude(self) -> Attitude | None:
        """The least favourable such evaluator's attitude, None when there is none."""
        return next((a for a, n in zip(Attitude, self.scorers, strict=False) if n), None)

    @staticmethod
    def of(
        states: Sequence[PersonState],
        config: StrategyConfig,
        quiet_days: int = 0,
        unstaffed: bool = False,
    ) -> Totals:
        """Aggregate all member states of a deal ``quiet_days`` without contact, ``unstaffed``
        when no solution manager is on its team."""
        scorers = (0,) * len(Attitude)
        empty = Totals(
            0,
            0,
            0,
            0,
            0,
            {},
            {},
            (),
            (),
            (),
            (),
            (0, 0, 0, 0, 0),
            0,
            scorers,
            quiet_days=quiet_days,
            unstaffed=unstaffed,
        )
        acc = _Acc(empty)
        for state in states:
            acc.add(state, config, 1)
        return acc.build()

    def replace(self, old: PersonState, new: PersonState, config: StrategyConfig) -> Totals:
        """The totals with one member's state swapped (O(that member's ties))."""
        acc = _Acc(self)
        acc.add(old, config, -1)
        acc.add(new, config, 1)
        return acc.build()

    @property
    def objected(self) -> bool:
        """Whether one of the budget holders pushed back on our price."""
        return self.budget[4] > 0

    def budget_price(self, stage: Stage, config: StrategyConfig) -> tuple[float, float, str | None]:
        """The budget holders' price acceptance as "can we win" reads it at ``stage``, as they
        state it (the influence-weighted mean, or the binding holder's own), and the
        high-influence holder it is held to (None when the influence-weighted mean stands).

        Each holder's shortfall below ``budget_holder_price_floor`` counts their own share
        (``holder_price_share``: in full once they objected, the stage's share for a price they
        never spoke against), the shares' result is weighted by declared influence, and it is
        never read above the least accepting holder of at least
        ``budget_holder_price_binding`` influence. ``budget_holder_price_floor`` (nothing to
        count) when there are none or their price does not count yet."""
        ac = config.assessment
        floor = ac.budget_holder_price_floor
        w_obj, s_obj, w_un, s_un, _ = self.budget
        weight = w_obj + w_un
        if weight <= 0:
            return float(floor), float(floor), None
        short = holder_price_share(stage, True, config) * (w_obj * floor - s_obj)
        short += holder_price_share(stage, False, config) * (w_un * floor - s_un)
        read, stated = floor - short / weight, (s_obj + s_un) / weight
        binder = None
        for pid, price, objected in self.binders:
            held = floor - holder_price_share(stage, objected, config) * (floor - price)
            if held < read:
                read, stated, binder = held, float(price), pid
        return read, stated, binder

    @property
    def dms(self) -> tuple[str, ...]:
        """The decision makers among the signers."""
        return tuple(p for p, _, _, decides in self.signers if decides)

    def weighted(self, attr: str) -> float:
        """Influence-weighted mean of a score (0 when there are no members); closeness over
        the members whose closeness counts."""
        weight = self.closeness_weight if attr == "closeness" else self.weight
        return int(getattr(self, attr)) / weight if weight > 0 else 0.0


class _Acc:
    """Mutable accumulator behind ``Totals.of`` and ``Totals.replace``.

    The per-competitor, decision-maker and coach parts are copied from the base only when a
    state touches them, and an untouched part is handed on as it is: a work-plan trial swaps one
    member, so it costs O(that member) rather than a copy and sort of every ally and coach."""

    def __init__(self, base: Totals) -> None:
        self.base = base
        self.sums = [
            base.weight,
            base.closeness,
            base.solution,
            base.price,
            base.attitude,
            base.closeness_weight,
        ]
        self.competitor: dict[str, int] | None = None
        self.allies: dict[str, set[str]] | None = None
        self.signers: dict[str, tuple[int, int, bool]] | None = None
        self.coaches: dict[str, tuple[int, bool]] | None = None
        self.champions: dict[str, int] | None = None
        self.best_reach = base.best_reach
        self.best_lost = False  # the best reach was taken out: found again in build()
        self.procurers: dict[str, int] | None = None
        self.locked: set[str] | None = None
        self.budget = base.budget
        self.tendering = base.tendering
        self.scorers: list[int] | None = None
        self.wired: set[tuple[str, str]] | None = None
        self.hearsay: set[str] | None = None
        self.counter = base.counter
        self.judges: dict[str, int] | None = None
        self.binders: dict[str, tuple[int, bool]] | None = None
        self.silent: dict[str, tuple[int, bool]] | None = None
        self.stale: dict[str, int] | None = None
        self.unverified: set[str] | None = None

    def add(self, s: PersonState, config: StrategyConfig, sign: int) -> None:
        sc = config.support
        iw = sign * round(s.weight * WEIGHT_Q)  # _q written out: once per member and trial
        sums = self.sums
        sums[0] += iw
        if not s.arms_length:
            sums[1] += iw * s.closeness
            sums[5] += iw
        sums[2] += iw * s.solution
        sums[3] += iw * s.price
        sums[4] += iw * round(attitude_value(s, config) * VALUE_Q)
        if s.competitor_ties:
            if self.competitor is None or self.allies is None:
                self.competitor = dict(self.base.competitor)
                self.allies = {k: set(v) for k, v in self.base.allies.items()}
            for t in s.competitor_ties:
                cid = t.competitor_id
                # Someone who supports us argues our case, not the competitor's: their tie
                # counts only in part (they may still pass the competitor information).
                share = sc.supporter_tie_share if s.attitude in SUPPORTIVE else 1.0
                self.competitor[cid] = self.competitor.get(cid, 0) + iw * _q(
                    sc.competitor_levels[t.level] * share, VALUE_Q
                )
                allies = self.allies.setdefault(cid, set())
                if sign > 0:
                    allies.add(s.person_id)
                else:
                    allies.discard(s.person_id)
        if s.role in SIGNERS:
            if self.signers is None:
                self.signers = {p: (c, a, d) for p, c, a, d in self.base.signers}
            if sign > 0:
                mood = _q(signer_mood(s, config), VALUE_Q)
                decides = s.role == DecisionRole.DECISION_MAKER
                self.signers[s.person_id] = (s.closeness, mood, decides)
            else:
                self.signers.pop(s.person_id, None)
            if s.hearsay or self.hearsay is not None:
                if self.hearsay is None:
                    self.hearsay = set(self.base.hearsay)
                if sign > 0 and s.hearsay:
                    self.hearsay.add(s.person_id)
                else:
                    self.hearsay.discard(s.person_id)
            if s.role == DecisionRole.DECISION_MAKER and (
                not s.contacted or self.unverified is not None
            ):
                if self.unverified is None:
                    self.unverified = set(self.base.unverified)
                if sign > 0 and not s.contacted:
                    self.unverified.add(s.person_id)
                else:
                    self.unverified.discard(s.person_id)
        if s.role == DecisionRole.COACH:
            if self.coaches is None:
                self.coaches = {p: (f, d) for p, f, d in self.base.coaches}
            if sign > 0:
                fresh = _q(s.fresh, VALUE_Q) if trusted_coach(s, config) else -1
                self.coaches[s.person_id] = (fresh, s.dated)
            else:
                self.coaches.pop(s.person_id, None)
        if s.reach > 0 and carries_our_case(s, config):
            if self.champions is None:
                self.champions = dict(self.base.champions)
            if sign > 0:
                reach = self.champions[s.person_id] = _q(s.reach * s.fresh, VALUE_Q)
                self.best_reach = max(self.best_reach, reach)
            elif self.champions.pop(s.person_id, 0) == self.best_reach:
                self.best_lost = True
        if s.role == DecisionRole.PROCUREMENT:
            if self.procurers is None:
                self.procurers = dict(self.base.procurers)
            if sign > 0:
                self.procurers[s.person_id] = s.closeness
            else:
                self.procurers.pop(s.person_id, None)
        if runs_tender(s.role, s.influence):
            self.tendering += sign
        if s.role in BUDGET_HOLDERS:
            ac = config.assessment
            w_obj, s_obj, w_un, s_un, objectors = self.budget
            price = max(ac.budget_holder_price_lowest, min(100, s.price_raw))
            bw = sign * _q(ac.budget_holder_price_weights[s.influence], VALUE_Q)
            if s.objected:
                self.budget = (w_obj + bw, s_obj + bw * price, w_un, s_un, objectors + sign)
            else:
                self.budget = (w_obj, s_obj, w_un + bw, s_un + bw * price, objectors)
            if INFLUENCE_RANK[s.influence] >= INFLUENCE_RANK[ac.budget_holder_price_binding]:
                if self.binders is None:
                    self.binders = {p: (v, o) for p, v, o in self.base.binders}
                if sign > 0:
                    self.binders[s.person_id] = (price, s.objected)
                else:
                    self.binders.pop(s.person_id, None)
            if s.price_silent:
                if self.silent is None:
                    self.silent = {p: (w, b) for p, w, b in self.base.silent}
                if sign > 0:
                    binds = (
                        INFLUENCE_RANK[s.influence]
                        >= INFLUENCE_RANK[ac.budget_holder_price_binding]
                    )
                    self.silent[s.person_id] = (abs(bw), binds)
                else:
                    self.silent.pop(s.person_id, None)
            if s.objection_quiet_days is not None and (
                INFLUENCE_RANK[s.influence] >= INFLUENCE_RANK[ac.budget_holder_price_binding]
            ):
                if self.stale is None:
                    self.stale = dict(self.base.stale)
                if sign > 0:
                    self.stale[s.person_id] = s.objection_quiet_days
                else:
                    self.stale.pop(s.person_id, None)
        if s.role in SUPERVISORS:
            if self.wired is None:
                self.wired = set(self.base.wired)
            pairs = {(s.person_id, cid) for cid in wired_by(s, config)}
            if sign > 0:
                self.wired |= pairs
            else:
                self.wired = {w for w in self.wired if w[0] != s.person_id}
        if poor_fit_judge(s.role, s.influence, s.poor_fit):
            if self.judges is None:
                self.judges = dict(self.base.judges)
            if sign > 0:
                self.judges[s.person_id] = s.solution
            else:
                self.judges.pop(s.person_id, None)
        if s.role in EVALUATORS:
            if s.influence != InfluenceLevel.LOW:
                if self.scorers is None:
                    self.scorers = list(self.base.scorers)
                self.scorers[_ATTITUDE_INDEX[s.attitude]] += sign
            self.counter += sign * _q(counter_share(s, config), VALUE_Q)
            if self.locked is None:
                self.locked = set(self.base.locked)
            if sign > 0 and locks_scoring(s.role, s.attitude, s, config):
                self.locked.add(s.person_id)
            else:
                self.locked.discard(s.person_id)

    def build(self) -> Totals:
        w, c, so, p, a, cw = self.sums
        base = self.base
        return Totals(
            w,
            c,
            so,
            p,
            a,
            base.competitor if self.competitor is None else self.competitor,
            base.allies
            if self.allies is None
            else {k: tuple(sorted(v)) for k, v in self.allies.items() if v},
            base.signers
            if self.signers is None
            else tuple(sorted((p, c, a, d) for p, (c, a, d) in self.signers.items())),
            base.coaches
            if self.coaches is None
            else tuple(sorted((p, f, d) for p, (f, d) in self.coaches.items())),
            base.procurers if self.procurers is None else tuple(sorted(self.procurers.items())),
            base.locked if self.locked is None else tuple(sorted(self.locked)),
            self.budget,
            self.tendering,
            base.scorers if self.scorers is None else tuple(self.scorers),
            base.champions if self.champions is None else tuple(sorted(self.champions.items())),
            max(self.champions.values(), default=0)
            if self.best_lost and self.champions is not None
            else self.best_reach,
            base.wired if self.wired is None else tuple(sorted(self.wired)),
            cw,
            base.hearsay if self.hearsay is None else tuple(sorted(self.hearsay)),
            base.quiet_days,
            self.counter,
            base.judges if self.judges is None else tuple(sorted(self.judges.items())),
            base.unstaffed,
            base.binders
            if self.binders is None
            else tuple(sorted((p, v, o) for p, (v, o) in self.binders.items())),
            base.silent
            if self.silent is None
            else tuple(sorted((p, w, b) for p, (w, b) in self.silent.items())),
            base.stale if self.stale is None else tuple(sorted(self.stale.items())),
            base.unverified if self.unverified is None else tuple(sorted(self.unverified)),
        )


def support_balance(
    totals: Totals,
    competitors: Sequence[CompetitorFacts],
    known: Mapping[str, str] | None = None,
) -> SupportBalance:
    """Attitude weighted by effective influence, against each competitor's CLOSE_TO support.
    ``known``: names beyond the deal's competitors (one close to a member while nobody is
    recorded bidding: their tie counts, and texts name them, never show their ids)."""
    scale = WEIGHT_Q * VALUE_Q
    for_us = totals.attitude / scale
    deal = {c.id: c.name for c in competitors}
    ids = sorted(set(deal) | set(totals.competitor))
    named = {**(known or {}), **deal}
    out: list[CompetitorSupport] = []
    for cid in ids:
        support = totals.competitor.get(cid, 0) / scale
        out.append(CompetitorSupport(cid, named.get(cid, cid), support, for_us - support))
    return SupportBalance(for_us, tuple(out))


def deal_value(opp: OpportunityFacts) -> int:
    """What the deal is worth to the customer: our quote, else the estimated amount."""
    return opp.quote_amount or opp.amount


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def budget_share(budget: int, value: int) -> str:
    """The share of our quote a budget covers, as people read it ("93%"): a budget short of
    the quote by a hair reads 99 %, never 100 %, so no text calls a short budget full."""
    share = budget / value
    return f"{min(share, 0.99):.0%}" if share < 1 else f"{share:.0%}"


def _known_budget(budget: int, value: int, ac: AssessmentConfig) -> tuple[float, str, str]:
    """Points and texts of a known budget: in full from ``budget_sufficient_ratio`` of our
    quote, with the share it covers when that is under 100 % (a budget at 93 % is real but does
    not cover the deal, and the price reasons say 93 % too)."""
    if value <= 0:
        return (
            ac.budget_known_points,
            "Budget known, no amount to compare",
            "预算已知，尚无金额可比",
        )
    share = budget_share(budget, value)
    if budget >= value:
        return ac.budget_sufficient_points, "Budget covers the deal", "预算充足"
    if budget >= ac.budget_sufficient_ratio * value:
        return (
            ac.budget_sufficient_points,
            f"Budget covers {share} of our quote: close enough to be real",
            f"预算覆盖我方报价的{share}：差距不大，商机真实",
        )
    return (
        ac.budget_known_points,
        f"Budget known but short: it covers {share} of our quote",
        f"预算已知但不足：仅覆盖我方报价的{share}",
    )


def assess_real(
    opp: OpportunityFacts,
    totals: Totals,
    now_ms: int,
    config: StrategyConfig,
    names: Named | None = None,
) -> Score:
    """Is it real? Budget, compelling event, timeline, known process, identified decision maker
    (``names``: of the key people, for the reason that names one nobody of ours has been in
    touch with)."""
    ac = config.assessment
    ev = [Evidence("OPPORTUNITY", (opp.id,))]
    b = ScoreBuilder(ac.real_base, *STARTING_POINT)
    value = deal_value(opp)
    if opp.budget is None:
        b.add("budget", 0, ev, "Budget unknown", "预算未知", keep_zero=True)
    else:
        points, en, zh = _known_budget(opp.budget, value, ac)
        b.add("budget", points, ev, en, zh)
    if opp.compelling_event:
        b.add(
            "compelling_event",
            ac.compelling_event_points,
            ev,
            f"Compelling event: {opp.compelling_event}",
            f"紧迫事件：{opp.compelling_event}",
        )
    else:
        b.add("compelling_event", 0, ev, "No compelling event", "无紧迫事件", keep_zero=True)
    close = _parse_date(opp.expected_close_date) if opp.expected_close_date else None
    today = datetime.fromtimestamp(now_ms / 1000, UTC).date()
    if close is None:
        b.add("timeline", 0, ev, "No expected close date", "无预计签约日期", keep_zero=True)
    elif close < today:
        b.add(
            "timeline",
            ac.close_date_passed_points,
            ev,
            f"Expected close date {close} has passed",
            f"预计签约日期{close}已过",
        )
    elif (close - today).days <= ac.close_date_horizon_days:
        b.add("timeline", ac.close_date_points, ev, f"Closes by {close}", f"预计{close}签约")
    else:
        b.add(
            "timeline", ac.close_date_far_points, ev, f"Closes late: {close}", f"签约较远：{close}"
        )
    if opp.decision_process_known:
        b.add(
            "decision_process",
            ac.decision_process_points,
            ev,
            "Decision process known",
            "决策流程清楚",
        )
    else:
        b.add(
            "decision_process", 0, ev, "Decision process unknown", "决策流程不清楚", keep_zero=True
        )
    if totals.dms:
        # the decision maker's job is known when its holder left: who holds it now is not
        seat = all(seat_left_by(p) is not None for p in totals.dms)
        b.add(
            "decision_maker",
            ac.decision_maker_points,
            [Evidence("IN_DECISION_CHAIN", totals.dms)],
            "Decision maker's place known, who holds it now not yet"
            if seat
            else "Decision maker identified",
            "决策者岗位明确，现由谁担任尚待确认" if seat else "已识别决策者",
        )
        _unverified(b, totals, config, names or {})
    else:
        b.add(
            "decision_maker", 0, (), "No decision maker identified", "未识别决策者", keep_zero=True
        )
    return b.build()


UNCOUNTED = frozenset({"decision_maker_unverified"})
"""Reasons a question shows but the likelihood does not read (``uncut`` adds them back): a
decision maker nobody of ours has been in touch with makes a deal less proven, and "can we
win" already counts the missing contact (their closeness), so the likelihood would count it
twice."""


def _who(names: Named, person_id: str) -> Text:
    """How a reason names a member: by name, a seat by its unknown holder (``successor_of``:
    ``names`` holds it as a text in each language)."""
    name = names.get(person_id, person_id)
    return name if isinstance(name, Text) else Text(name, name)


def _whom(
    names: Named | None, ids: Sequence[str], anyone_en: str, anyone_zh: str
) -> tuple[Text, bool]:
    """Who a reason is about, by name with their part ("审批人赵立新", "Approver 赵立新"; a
    sales director: "an approver we are not close to" never said who), and whether that is
    several people (the English verb agrees); without names, the part alone ("An approver",
    "有审批人"), one."""
    if names is None or not ids:
        return Text(anyone_en, anyone_zh), False
    who = [_who(names, p) for p in ids]
    part_en = anyone_en.removeprefix("An ").removeprefix("A ")
    if len(who) > 1:  # "Approvers 赵立新 and 林振华"
        first, _, rest = part_en.partition(" ")
        part_en = f"{first}s {rest}".rstrip()
    names_en = [w.en for w in who]
    listed = names_en[0] if len(who) == 1 else f"{', '.join(names_en[:-1])} and {names_en[-1]}"
    text = Text(
        f"{part_en[0].upper()}{part_en[1:]} {listed}",
        f"{anyone_zh.removeprefix('有')}{'、'.join(w.zh for w in who)}",
    )
    return text, len(who) > 1


def _unverified(b: ScoreBuilder, totals: Totals, config: StrategyConfig, names: Named) -> None:
    """What "decision maker identified" loses while a decision maker is known to us only
    through others: a sales leader gives ``decision_maker_unverified_share`` of it for the
    name alone and the rest in equal parts for each decision maker one of ours has been in
    touch with, rounded down (never in our favour)."""
    if not totals.unverified:
        return
    ac = config.assessment
    points, share = ac.decision_maker_points, ac.decision_maker_unverified_share
    verified = len(totals.dms) - len(totals.unverified)
    kept = math.floor(points * (share + (1 - share) * verified / len(totals.dms)))
    who = [_who(names, p) for p in totals.unverified]
    en, zh = ", ".join(w.en for w in who), "、".join(w.zh for w in who)
    makers = "decision maker" if len(who) == 1 else "decision makers"
    # a seat is no hearsay: its name says nobody knows yet who holds it
    seats = all(seat_left_by(p) is not None for p in totals.unverified)
    known_en, known_zh = ("", "") if seats else ("known only through others, so ", "仅经他人得知，")
    b.add(
        "decision_maker_unverified",
        kept - points,
        [Evidence("IN_DECISION_CHAIN", totals.unverified)],
        f"Nobody of ours has been in touch with {makers} {en} yet: {known_en}unverified"
        ' (the likelihood leaves this to "Can we win?")',
        f"我方尚无人与决策者{zh}接触：{known_zh}未经证实（赢率不重复计入，由“能不能赢？”衡量）",
    )


def _strongest(support: SupportBalance) -> CompetitorSupport | None:
    return max(support.competitors, key=lambda c: (c.support, c.competitor_id), default=None)


def assess_compete(
    opp: OpportunityFacts,
    totals: Totals,
    competitors: Sequence[CompetitorFacts],
    support: SupportBalance,
    config: StrategyConfig,
) -> Score:
    """Can we compete? Solution fit and relationships (influence-weighted) against competitors."""
    ac = config.assessment
    b = ScoreBuilder(ac.compete_base, *STARTING_POINT)
    sol = totals.weighted("solution")
    clo = totals.weighted("closeness")
    b.add(
        "solution_fit",
        ac.solution_fit_points * sol / 100,
        (),
        f"Influence-weighted solution acceptance {sol:.0f}/100",
        f"按影响力加权的方案认可度 {sol:.0f}/100",
        keep_zero=True,
    )
    b.add(
        "relationships",
        ac.relationship_points * clo / 100,
        (),
        f"Influence-weighted relationship closeness {clo:.0f}/100",
        f"按影响力加权的关系紧密度 {clo:.0f}/100",
        keep_zero=True,
    )
    pts = ac.competitor_position_points
    leader = min(
        competitors, key=lambda c: (pts[c.position], c.id), default=None
    )  # the most threatening position
    if leader is not None and leader.position != CompetitivePosition.UNKNOWN:
        b.add(
            "competitor_position",
            pts[leader.position],
            [Evidence("COMPETES_FOR", (leader.id, opp.id))],
            f"{leader.name} is {label_of(leader.position).lower()}",
            f"{leader.name}：{label_of(leader.position, 'zh')}",
        )
    rejected = solution_rejected(totals, opp.stage, config)
    if rejected:
        judges, low = _rejecting(totals, config)
        b.add(
            "solution_rejected",
            -ac.solution_rejected_compete_points * rejected,
            [Evidence("IN_DECISION_CHAIN", judges)],
            f"A judge of the solution does not accept it ({low}/100): it does not fit them yet",
            f"有方案评判人不认可我方方案（{low}/100）：方案尚未满足其要求",
        )
    unstaffed = unstaffed_points(totals, opp.stage, config)
    if unstaffed:
        b.add(
            "no_solution_manager",
            -unstaffed,
            [Evidence("ON_TEAM", ())],
            "Nobody on our team owns the solution: no solution manager on the deal",
            "我方团队无人负责方案：本商机没有方案经理",
        )
    cheaper = cheaper_rival_points(opp, competitors, config)
    if cheaper:
        rivals = cheaper_bidders(competitors)
        names_en = ", ".join(c.name for c in rivals)
        names_zh = "、".join(c.name for c in rivals)
        b.add(
            "cheaper_rival",
            -cheaper,
            [Evidence("COMPETES_FOR", (c.id, opp.id)) for c in rivals],
            f"Price disadvantage: {names_en} {'is' if len(rivals) == 1 else 'are'} priced below "
            "us before the bids; where the chain is divided, price may decide the deal",
            f"价格劣势：{names_zh}报价低于我方（开标前）；决策链势均力敌时，价格可能成为决定因素",
        )
    top = _strongest(support)
    if top is not None and top.support > 0:
        b.add(
            "competitor_relationships",
            -ac.competitor_relationship_points * top.support,
            [
                Evidence("CLOSE_TO", (top.competitor_id, pid))
                for pid in totals.allies.get(top.competitor_id, ())
            ],
            f"{top.competitor_name} holds {top.support:.0%} influence-weighted ties in the chain",
            f"{top.competitor_name}在决策链中的加权关系占比{top.support:.0%}",
        )
    return b.build()


def _shortfall_points(points: float, floor: int, value: float) -> float:
    """Up to ``points`` in proportion to how far ``value`` is below ``floor`` (0 at or above)."""
    return points * max(0.0, floor - value) / floor if floor > 0 else 0.0


def dm_closeness_points(closeness: float, config: StrategyConfig) -> float:
    """What our closeness to the least close decision maker adds to "can we win": in full up to
    ``dm_closeness_full`` (they know us and hear our case), a share of each point above it, so
    that one more visit to a decision maker who knows us well ranks below an open objection."""
    ac = config.assessment
    full = min(closeness, ac.dm_closeness_full)
    counted = full + ac.dm_closeness_above_share * max(0.0, closeness - full)
    return ac.dm_closeness_points * counted / 100


def poor_fit_judge(role: DecisionRole, influence: InfluenceLevel, poor_fit: bool) -> bool:
    """A judge of the solution (``SOLUTION_JUDGES``) of at least medium influence whose needs it
    is recorded to fit poorly: their acceptance of it speaks for the evaluation."""
    return role in SOLUTION_JUDGES and influence != InfluenceLevel.LOW and poor_fit


def turned_down(state: PersonState, config: StrategyConfig) -> bool:
    """A poor-fit judge who does not accept our solution (a failed POC, a demo that missed their
    workflow): their no is about the solution, answered on the merits, not by friendship."""
    return (
        poor_fit_judge(state.role, state.influence, state.poor_fit)
        and state.solution < config.assessment.solution_rejected_below
    )


def unstaffed(snapshot: ChainSnapshot) -> bool:
    """No solution manager on the deal's team: nobody of ours owns the solution."""
    return not any(t.role == TeamRole.SOLUTION_MANAGER for t in snapshot.team)


def unstaffed_points(totals: Totals, stage: Stage, config: StrategyConfig) -> float:
    """What a team without a solution manager costs "can we compete" at ``stage``."""
    if not totals.unstaffed:
        return 0.0
    ac = config.assessment
    return ac.no_solution_manager_points * ac.no_solution_manager_share.get(stage, 0.0)


def evaluator_doubt(totals: Totals, stage: Stage, config: StrategyConfig) -> float:
    """The least favourable evaluator's attitude as "can we win" weighs it (-1..0): a skeptic is
    half an opponent because our solution manager can answer the doubt; with none on the team
    while the solution is presented, proposed and bid (``unstaffed_points``), the doubt stands
    unanswered and counts ``no_solution_manager_doubt`` of the way to a firm no (a sales leader
    on case 83: the relationships are fine, the technical bid will be weak)."""
    worst = totals.worst_scorer(config)
    if worst >= 0 or not unstaffed_points(totals, stage, config):
        return min(worst, 0.0)
    ac = config.assessment
    share = ac.no_solution_manager_doubt * ac.no_solution_manager_share.get(stage, 0.0)
    return worst - (1.0 + worst) * share


def solution_rejected(totals: Totals, stage: Stage, config: StrategyConfig) -> float:
    """How firmly the solution's judges turned it down at ``stage`` (0..1): the least accepting
    judge below ``solution_rejected_below``, in full at ``solution_rejected_full`` or below; before
    the proposal ``solution_rejected_early_share`` of it, while the solution is still shaped."""
    if not totals.judges:
        return 0.0
    ac = config.assessment
    share = 1.0 if stage in LATE_STAGES else ac.solution_rejected_early_share.get(stage, 0.0)
    low = min(value for _, value in totals.judges)
    if not share or low >= ac.solution_rejected_below:
        return 0.0
    span = ac.solution_rejected_below - ac.solution_rejected_full
    return share * min(1.0, (ac.solution_rejected_below - low) / span)


def _rejecting(totals: Totals, config: StrategyConfig) -> tuple[tuple[str, ...], int]:
    """The judges below the floor and the least accepting one's figure, for a reason's text."""
    below = config.assessment.solution_rejected_below
    low = min(value for _, value in totals.judges)
    return tuple(p for p, value in totals.judges if value < below), low


def unprepared_approver_points(closeness: int, stage: Stage, config: StrategyConfig) -> float:
    """What an approver this close costs "can we win" at ``stage`` (0 when prepared): in full
    from the proposal on, ``approver_unknown_early_share`` of it before, so that the risk shows
    while there is time to meet them and the proposal gate alone moves the deal a little."""
    ac = config.assessment
    share = 1.0 if stage in LATE_STAGES else ac.approver_unknown_early_share.get(stage, 0.0)
    if not share:
        return 0.0
    return share * _shortfall_points(
        ac.approver_unknown_points, ac.approver_known_closeness, closeness
    )


def _signature_when(stage: Stage, config: StrategyConfig) -> tuple[str, str]:
    """Why an unprepared approver costs what it does at ``stage``."""
    if stage in LATE_STAGES:
        return (
            "from the proposal on, an unprepared signature is a risk",
            "方案阶段起，未做工作的签字是风险",
        )
    share = config.assessment.approver_unknown_early_share.get(stage, 0.0)
    return (
        f"counted at {share:.0%} before the proposal, while there is time to prepare them",
        f"方案阶段前按{share:.0%}计，趁还有时间做好工作",
    )


def unknown_procurement_points(totals: Totals, stage: Stage, config: StrategyConfig) -> float:
    """What a procurement member we hardly know costs "can we win": in full at the bidding
    stage, where procurement runs the tender's process, and the stage's share in
    ``tender_procurement_unknown_early_share`` while the tender documents are drafted, so that
    the bidding gate alone moves the deal a little (0 when the least close is prepared)."""
    share = _tender_share(stage, config.assessment.tender_procurement_unknown_early_share)
    if not share or not totals.procurers:
        return 0.0
    ac = config.assessment
    least = min(c for _, c in totals.procurers)
    return share * _shortfall_points(
        ac.tender_procurement_unknown_points, ac.approver_known_closeness, least
    )


def _procurement_texts(least: int, stage: Stage) -> tuple[str, str]:
    """Why procurement we are not close to costs what it does: the tender they run now, or the
    one whose documents they are drafting."""
    if stage == Stage.BIDDING:
        return (
            f"Procurement runs the tender and we are not close to them ({least}/100): the "
            "process, the clarifications and the award go through them",
            f"招标由采购主导，而我方与其关系疏远（{least}/100）：流程、澄清和定标都要经过他们",
        )
    return (
        f"Procurement will run the tender and we are not close to them ({least}/100): the "
        "method and the price weight are set while its documents are drafted",
        f"招标将由采购主导，而我方与其关系疏远（{least}/100）：招标方式和价格权重在编写招标文件时确定",
    )


def locked_points(totals: Totals, stage: Stage, config: StrategyConfig) -> float:
    """What evaluators a competitor holds cost "can we win" in a tender: in full at the bidding
    stage, where the bids are scored, and the stage's share in ``locked_evaluator_early_share``
    while the specification is written, where most of the harm is done: at the proposal for
    every deal (its tender documents are drafted then), earlier where procurement runs it.
    Each evaluator held beyond the first adds ``locked_evaluator_more_share`` of it: with the
    technical and the business scoring both held, fewer scorers are left to win. The
    evaluators with us take part of it back (``counter_back``)."""
    drafting = stage == Stage.PROPOSAL or tender_led(stage, totals.tendering > 0)
    share = _tender_share(stage, config.assessment.locked_evaluator_early_share)
    if not totals.locked or not drafting or not share:
        return 0.0
    ac = config.assessment
    held = (
        share
        * ac.locked_evaluator_points
        * (1.0 + ac.locked_evaluator_more_share * (len(totals.locked) - 1))
    )
    return max(0.0, held - counter_back(totals, share, config))


def counter_back(totals: Totals, share: float, config: StrategyConfig) -> float:
    """What the evaluators with us take back of the held evaluators' cost: the business side's
    requirements in the specification and their own score sheets. Their shares, at most
    ``locked_evaluator_offset_most``, of what one held evaluator costs where ``share`` of it
    counts: one voice, however committed, does not cancel the spec-writer, and against two
    held it is spread thinner."""
    ac = config.assessment
    taken = min(ac.locked_evaluator_offset_most, totals.counter / VALUE_Q)
    return share * ac.locked_evaluator_points * taken


def _tender_share(stage: Stage, early: Mapping[str, float]) -> float:
    """The share of a tender's cost counted at ``stage``: in full at the bidding stage, the
    stage's share before it, none once the bids are decided."""
    if stage == Stage.BIDDING:
        return 1.0
    return early.get(stage, 0.0) if stage in SPECIFIED_STAGES else 0.0


def _countered(texts: tuple[str, str], totals: Totals) -> tuple[str, str]:
    """The held evaluators' reason, saying so when evaluators with us take part of it back."""
    if not totals.counter:
        return texts
    en, zh = texts
    return (
        f"{en}; evaluators with us take part of it back",
        f"{zh}；站在我方的评估人抵消了其中一部分",
    )


def _locked_texts(totals: Totals, scoring: bool) -> tuple[str, str]:
    """The reason for the evaluators competitors hold, while the bids are scored or while the
    specification is written."""
    held = len(totals.locked)
    rivals = sum(1 for ids in totals.allies.values() if set(ids) & set(totals.locked))
    if held == 1:
        who_en, who_zh, they_en, they_zh = "A competitor holds an evaluator", "有评估人", "s", "他"
    else:
        side = "A competitor holds" if rivals <= 1 else "Competitors hold"
        who_en, who_zh, they_en, they_zh = (
            f"{side} {held} evaluators",
            f"有{held}位评估人",
            "",
            "他们",
        )
    if scoring:
        return (
            f"{who_en} who score{they_en} the bids: the decision maker rarely overrules the score",
            f"{who_zh}被竞争对手掌握，而评分由{they_zh}打：决策者很少推翻评分结果",
        )
    return (
        f"{who_en} while the tender's specification is written: what goes into it decides most "
        "of the score",
        f"招标规范编写期间{who_zh}被竞争对手掌握：规范写进什么，决定了大半分数",
    )


def holder_price_share(stage: Stage, objected: bool, config: StrategyConfig) -> float:
    """How much one budget holder's price counts at ``stage``. One who pushed back on our
    price: ``budget_holder_price_early_share`` at value presentation (an objection stated is a
    fact, and the quote will not make it smaller), in full from the proposal. One who never
    did: the stage's share in ``budget_holder_price_unvoiced_share`` (the price is put to them
    with the quote, their acceptance uncertain rather than refused), in full from the bidding
    stage, where the price is weighed; while needs are still gathered, not at all."""
    ac = config.assessment
    if stage in SETTLING_STAGES or (objected and stage in LATE_STAGES):
        return 1.0
    unvoiced = ac.budget_holder_price_unvoiced_share.get(stage, 0.0)
    if objected and stage == Stage.VALUE_PRESENTATION:
        return max(unvoiced, ac.budget_holder_price_early_share)
    return unvoiced


def price_holdout_points(price: float, config: StrategyConfig) -> float:
    """What budget holders this far from accepting our price (their mean) cost "can we win"
    once a quote is on the table (0 when they accept it): more than the points when their
    objections take them below 0, so that answering one of them counts."""
    ac = config.assessment
    return _shortfall_points(ac.budget_holder_price_points, ac.budget_holder_price_floor, price)


def untested_in_full(totals: Totals) -> bool:
    """Whether the budget holders' price is untested as a whole: none of them has reacted to
    our quote, or one of at least ``budget_holder_price_binding`` influence has not (the
    finance head who holds the budget is not answered for by procurement's word)."""
    silent = totals.silent
    return bool(silent) and (
        any(b for _, _, b in silent)
        or sum(w for _, w, _ in silent) >= totals.budget[0] + totals.budget[2]
    )


def price_untested_points(totals: Totals, config: StrategyConfig) -> float:
    """What budget holders silent about our quote cost "can we win": silence after a quote is
    an untested price, not acceptance. ``price_untested_points`` while it is untested as a whole
    (``untested_in_full``); in the silent ones' share of the holders' price weight
    (``budget_holder_price_weights``) once the most influential of them have reacted."""
    if not totals.silent:
        return 0.0
    points = config.assessment.price_untested_points
    if untested_in_full(totals):
        return points
    weight = totals.budget[0] + totals.budget[2]
    return points * sum(w for _, w, _ in totals.silent) / weight if weight > 0 else 0.0


def stale_objection_points(totals: Totals, config: StrategyConfig) -> float:
    """What budget holders' unanswered price objections cost "can we win" on top of the
    objection itself, for the silence since (``Totals.stale``): ``stale_objection_points`` per
    whole ``stale_objection_period_days`` nobody of ours has contacted them, all of them
    together up to ``stale_objection_cap``. An unanswered objection fades to "unknown with a
    negative prior", never to neutral, and the rival had those months with them."""
    ac = config.assessment
    periods = sum(days // ac.stale_objection_period_days for _, days in totals.stale)
    return min(ac.stale_objection_cap, ac.stale_objection_points * periods)


def _stale_texts(
    totals: Totals, config: StrategyConfig, names: Named
) -> tuple[tuple[str, ...], str, str]:
    """The budget holders whose objection aged in silence, the longest silent first, and the
    reason's texts."""
    ac = config.assessment
    aged = sorted((d, p) for p, d in totals.stale if d >= ac.stale_objection_period_days)[::-1]
    ids = tuple(p for _, p in aged)
    en = "; ".join(f"{_who(names, p).en}, {d} days" for d, p in aged)
    zh = "；".join(f"{_who(names, p).zh}，{d}天" for d, p in aged)
    period = ac.stale_objection_period_days
    return (
        ids,
        f"Who holds the budget objected to our price and nobody of ours has contacted them "
        f"since ({en}): an objection left unanswered does not fade to neutral, and each "
        f"{period} days of silence weighs more",
        f"掌握预算的人对我方价格提出异议后，我方一直无人与其联系（{zh}）：未回应的异议不会淡化为中性，"
        f"每沉默{period}天分量更重",
    )


def _untested_texts(
    totals: Totals, config: StrategyConfig, names: Named
) -> tuple[tuple[str, ...], str, str]:
    """The silent budget holders, the most influential first, and the reason's texts (the red
    flag beside it says for how many days: ``analysis``'s PRICE_UNTESTED)."""
    ids = tuple(p for p, _, _ in sorted(totals.silent, key=lambda s: (-s[1], s[0])))
    who_en, who_zh = (
        ", ".join(_who(names, p).en for p in ids),
        "、".join(_who(names, p).zh for p in ids),
    )
    if sum(w for _, w, _ in totals.silent) >= totals.budget[0] + totals.budget[2]:
        return (
            ids,
            f"Nobody who holds the budget ({who_en}) has reacted to our price since the quote "
            "went in: an untested price, not acceptance",
            f"报价递交以来，掌握预算的人（{who_zh}）没有一个对我方价格表态："
            "价格未经检验，沉默不等于接受",
        )
    one = len(ids) == 1
    if untested_in_full(totals):
        why_en = "untested, and the others' word does not answer for a holder of high influence"
        why_zh = "价格未经检验，其他人的表态代替不了影响力高的掌握预算者"
    else:
        why_en, why_zh = "untested, counted in their share", "未经检验，按其所占份额计"
    return (
        ids,
        f"{who_en}, who {'holds' if one else 'hold'} the budget, {'has' if one else 'have'} not "
        f"reacted to our price since the quote went in: {why_en}",
        f"报价递交以来，掌握预算的{who_zh}仍未对我方价格表态：{why_zh}",
    )


def _holdout_texts(
    mean: float, stage: Stage, objected: bool, held: bool, who: Text | None = None
) -> tuple[str, str]:
    """The budget holders' price reason, saying in words when objections take them below 0
    (no score reads below 0/100 to people), whether
    it is held to the least accepting high-influence one of them (``held``; ``who``: their
    name, when known), and why it counts at ``stage`` as much as it does."""
    if held and who:
        how_en = f"held to {who.en}, the high-influence one of them who accepts it least"
        how_zh = f"以其中影响力高、接受度最低的{who.zh}为准"
    elif held:
        how_en = "no better than the high-influence one of them who accepts it least"
        how_zh = "以其中影响力高、接受度最低者为准"
    else:
        how_en, how_zh = "weighted by influence", "按影响力加权"
    if stage in SETTLING_STAGES:
        why_en, why_zh = (
            "the price is being weighed now, in the bids and the negotiation",
            "价格已进入评标与谈判",
        )
    elif objected:
        why_en, why_zh = (
            "one of them objected to our price, so what the objector accepts now counts in "
            "full; a price the others never spoke against is uncertain rather than refused, and "
            "counts in part",
            "已有人对我方价格提出异议，异议人当前的接受度全额计入；其他人未表示反对，"
            "其接受度只是未定而非拒绝，部分计入",
        )
    elif stage in LATE_STAGES:
        why_en, why_zh = (
            "none objected yet, so it counts in part until the bids",
            "尚无人明确反对，投标前部分计入",
        )
    else:
        why_en, why_zh = (
            "none objected yet, so it counts in part before the quote",
            "尚无人明确反对，报价前少量计入",
        )
    if mean < 0:  # a score is 0-100: below it, said in words
        return (
            f"The people who hold the budget reject our price: 0/100, and their objections weigh"
            f" more than a refusal ({how_en}): {why_en}",
            f"掌握预算的人拒绝我方价格：接受度为0/100，且一再明确反对，分量超过一般的不接受"
            f"（{how_zh}）：{why_zh}",
        )
    return (
        f"The people who hold the budget accept our price {mean:.0f}/100 ({how_en}): {why_en}",
        f"掌握预算的人对我方价格的接受度仅{mean:.0f}/100（{how_zh}）：{why_zh}",
    )


def no_urgency_points(opp: OpportunityFacts, config: StrategyConfig) -> float:
    """What a deal without a compelling event costs "can we win": in full from the proposal on,
    ``no_compelling_event_early_share`` of it before (0 with one on record)."""
    if opp.compelling_event:
        return 0.0
    ac = config.assessment
    early = ac.no_compelling_event_early_share.get(opp.stage, 0.0)
    return (1.0 if opp.stage in LATE_STAGES else early) * ac.no_compelling_event_points


def cheaper_bidders(competitors: Sequence[CompetitorFacts]) -> list[CompetitorFacts]:
    """The competitors priced below us (ties by id, as the price benchmark's)."""
    return sorted(
        (c for c in competitors if c.price_position == PricePosition.LOWER), key=lambda c: c.id
    )


def cheaper_bid_points(
    opp: OpportunityFacts, competitors: Sequence[CompetitorFacts], config: StrategyConfig
) -> float:
    """What a competitor priced below us costs "can we win": in full from the bids on; while
    the tender documents are drafted, the stage's share in ``cheaper_bid_early_share`` less
    the part "can we compete" counts (``cheaper_rival_points``)."""
    ac = config.assessment
    if opp.stage in SETTLING_STAGES:
        share = 1.0
    else:
        share = ac.cheaper_bid_early_share.get(opp.stage, 0.0) - _compete_share(opp, config)
    if share <= 0 or not cheaper_bidders(competitors):
        return 0.0
    return share * ac.cheaper_bid_points


def cheaper_rival_points(
    opp: OpportunityFacts, competitors: Sequence[CompetitorFacts], config: StrategyConfig
) -> float:
    """What a competitor priced below us costs "can we compete" before the bids (the stage's
    ``cheaper_bid_compete_share`` of ``cheaper_bid_points``): a price disadvantage to answer
    with value and the scoring rules while the tender is drafted; from the bids on it is a
    result, and "can we win" counts it all. The points are those "can we win" gives up, made
    as heavy in the likelihood (times ``win_weight / compete_weight``): the split moves where
    the disadvantage is said, not how much it costs."""
    share = _compete_share(opp, config)
    if not share or not cheaper_bidders(competitors):
        return 0.0
    lc = config.likelihood
    return share * config.assessment.cheaper_bid_points * lc.win_weight / lc.compete_weight


def _compete_share(opp: OpportunityFacts, config: StrategyConfig) -> float:
    """The stage's ``cheaper_bid_compete_share`` (none from the bids on, nor when "can we
    compete" weighs nothing in the likelihood: "can we win" then keeps it all)."""
    if opp.stage in SETTLING_STAGES or config.likelihood.compete_weight <= 0:
        return 0.0
    return config.assessment.cheaper_bid_compete_share.get(opp.stage, 0.0)


def budget_shortfall_points(opp: OpportunityFacts, config: StrategyConfig) -> float:
    """What a submitted quote the customer's budget cannot pay costs "can we win": our price is
    on the table, so closing the gap means rescoping or a new price; in proportion to how far
    the budget falls below ``budget_sufficient_ratio`` of it (a quarter short is a rescoping, a
    half short a new deal)."""
    quote = opp.quote_amount
    if opp.quote_status != QuoteStatus.SUBMITTED or not opp.budget or not quote:
        return 0.0
    ac = config.assessment
    short = ac.budget_sufficient_ratio - opp.budget / quote
    return ac.budget_shortfall_points * short if short > 0 else 0.0


def _deal_texts(
    opp: OpportunityFacts, competitors: Sequence[CompetitorFacts]
) -> dict[str, tuple[str, str]]:
    """The reasons of the deal's own facts in "can we win": no compelling event, a cheaper bid."""
    en, zh = label_of(opp.stage), label_of(opp.stage, "zh")
    rivals = cheaper_bidders(competitors)
    names_en, names_zh = ", ".join(c.name for c in rivals), "、".join(c.name for c in rivals)
    bids = "bids" if len(rivals) == 1 else "bid"
    late = opp.stage in SETTLING_STAGES
    cheaper_zh = (
        "价格分归报价更低者，无论谁支持我们"
        if late
        else "开标前部分计入（此处及“有没有竞争力？”）；开标后价格分归报价更低者"
    )
    return {
        "no_compelling_event": (
            f"No compelling event at {en}: nothing makes them decide by the date forecast, and "
            'late in a deal "no decision" loses it as often as a rival',
            f"已到{zh}阶段仍无紧迫事件：没有什么促使客户按预计日期决策，"
            "后期“不决策”丢单与输给对手一样常见",
        ),
        "cheaper_bid": (
            f"{names_en} {bids} below our price: "
            + (
                "the price score goes to the cheaper bid, whoever favours us"
                if late
                else 'counted in part until the bids are in (here and under "Can we compete?"), '
                "where the price score goes to the cheaper bid"
            ),
            f"{names_zh}报价低于我方：{cheaper_zh}",
        ),
    }


def assess_win(
    totals: Totals,
    support: SupportBalance,
    config: StrategyConfig,
    opp: OpportunityFacts,
    competitors: Sequence[CompetitorFacts],
    names: Named | None = None,
) -> Score:
    """Can we win? Support balance, the signers, the scorers of a tender, price acceptance, a
    coach, and the deal's own facts: a compelling event and the rivals' prices. From the
    proposal on an approver we hardly know is an unprepared signature, and at the bidding stage
    an evaluator a competitor holds decides most of the score."""
    ac = config.assessment
    stage = opp.stage
    b = ScoreBuilder(ac.win_base, *STARTING_POINT)
    lean_en, lean_zh = leaning(support.for_us)
    b.add(
        "support_for_us",
        ac.support_points * support.for_us,
        [Evidence("IN_DECISION_CHAIN", ())],
        f"The chain, weighted by influence, is {lean_en}",
        f"按影响力加权，决策链整体{lean_zh}",
        keep_zero=True,
    )
    top = _strongest(support)
    if top is not None and top.support > 0:
        b.add(
            "competitor_support",
            -ac.competitor_support_points * top.support,
            (),
            f"{top.competitor_name} holds {top.support:.0%} influence-weighted ties in the chain",
            f"{top.competitor_name}在决策链中的加权关系占比{top.support:.0%}",
        )
    dms = [(p, c, a) for p, c, a, decides in totals.signers if decides]
    if dms:
        # Every decision maker must sign: the least favourable one binds.
        mood = min(a for _, _, a in dms) / VALUE_Q
        makers = "decision maker" if len(dms) == 1 else "decision makers"
        they_zh = "其" if len(dms) == 1 else "他们"
        binding = [p for p, _, a in dms if a == round(mood * VALUE_Q)]
        said = any(p in totals.hearsay for p in binding)
        credit = f"{config.support.hearsay_credit:.0%}"
        lean_en, lean_zh = leaning(mood)
        least_en = "" if len(dms) == 1 else " (the least favourable of them)"
        least_zh = "" if len(dms) == 1 else "（取最不利者）"
        b.add(
            "decision_maker_attitude",
            ac.dm_attitude_points * mood,
            [Evidence("IN_DECISION_CHAIN", tuple(p for p, _, _ in dms))],
            f"The {makers} {'is' if len(dms) == 1 else 'are'} {lean_en}{least_en}: they decide"
            + (
                f"; their support is only what others told us, counted at {credit} until one of"
                " ours hears it from them"
                if said
                else ""
            ),
            f"决策者{lean_zh}{least_zh}：由{they_zh}拍板"
            + (f"；其支持只是他人转述，在我方有人亲耳听到之前按{credit}计" if said else ""),
            keep_zero=True,
        )
        least = min(c for _, c, _ in dms)
        far = next(p for p, c, _ in dms if c == least)
        farthest = _who(names, far) if names and names.get(far) else None
        if len(dms) < 2:
            whom_en, whom_zh = "", ""
        elif farthest:
            whom_en = f" ({farthest.en}, the least close)"
            whom_zh = f"（取最疏远的{farthest.zh}）"
        else:
            whom_en, whom_zh = " (the least close)", "（取最疏远者）"
        b.add(
            "decision_maker_closeness",
            dm_closeness_points(least, config),
            [Evidence("IN_DECISION_CHAIN", tuple(p for p, _, _ in dms))],
            f"Closeness to the {makers} {least:.0f}/100{whom_en}",
            f"与决策者的关系紧密度 {least:.0f}/100{whom_zh}",
            keep_zero=True,
        )
    worst = evaluator_doubt(totals, stage, config)
    if worst < 0:
        stance = LABELS[totals.worst_scorer_attitude() or Attitude.SKEPTIC]
        unanswered = worst < totals.worst_scorer(config)
        b.add(
            "evaluator_attitude",
            ac.evaluator_attitude_points * worst,
            [Evidence("IN_DECISION_CHAIN", ())],
            f"An evaluator does not back us ({stance.en.lower()}): they write the evaluation the "
            "decision maker reads"
            + (
                "; with no solution manager on our team nobody can answer their doubts, so they"
                " count as a firm no"
                if unanswered
                else ""
            ),
            f"有评估人不支持我方（{stance.zh}）：决策者读的是他们写的评估"
            + ("；我方团队没有方案经理，无人能回应其质疑，按明确反对计" if unanswered else ""),
        )
    rejected = solution_rejected(totals, stage, config)
    if rejected:
        judges, low = _rejecting(totals, config)
        who, many = _whom(names, judges, "A judge of the solution", "有方案评判人")
        does = "do" if many else "does"
        b.add(
            "solution_rejected",
            -ac.solution_rejected_win_points * rejected,
            [Evidence("IN_DECISION_CHAIN", judges)],
            f"{who.en} {does} not accept our solution ({low}/100): the evaluation the decision "
            "maker reads says so, whoever our friends are",
            f"{who.zh}不认可我方方案（{low}/100）：决策者读到的评估结论如此，关系再好也难以推翻",
        )
    opposed = tuple(p for p, _, a, decides in totals.signers if not decides and a <= -VALUE_Q)
    if opposed:
        who, many = _whom(names, opposed, "An approver", "有审批人")
        oppose = "oppose" if many else "opposes"
        b.add(
            "approver_attitude",
            -ac.approver_attitude_points,
            [Evidence("IN_DECISION_CHAIN", opposed)],
            f"{who.en} {oppose} us: an approver's no stops the deal",
            f"{who.zh}反对我方：审批人一票即可否决",
        )
    approvers = [(p, c) for p, c, _, decides in totals.signers if not decides]
    if approvers:
        least = min(c for _, c in approvers)
        cost = unprepared_approver_points(least, stage, config)
        if cost:
            when_en, when_zh = _signature_when(stage, config)
            distant = tuple(p for p, c in approvers if c == least)
            who, _ = _whom(names, distant, "An approver", "有审批人")
            b.add(
                "approver_closeness",
                -cost,
                [Evidence("IN_DECISION_CHAIN", distant)],
                f"{who.en}, whom we are not close to ({least}/100), must still sign: {when_en}",
                f"{who.zh}与我方关系疏远（{least}/100）却仍须签批：{when_zh}",
            )
    unknown = unknown_procurement_points(totals, stage, config)
    if unknown:
        least = min(c for _, c in totals.procurers)
        b.add(
            "procurement_closeness",
            -unknown,
            [Evidence("IN_DECISION_CHAIN", tuple(p for p, c in totals.procurers if c == least))],
            *_procurement_texts(least, stage),
        )
    lock = locked_points(totals, stage, config)
    if lock:
        b.add(
            "evaluator_locked",
            -lock,
            [Evidence("IN_DECISION_CHAIN", totals.locked)],
            *_countered(_locked_texts(totals, stage == Stage.BIDDING), totals),
        )
    read, stated, binder = totals.budget_price(stage, config)
    cost = price_holdout_points(read, config)
    if cost:
        b.add(
            "budget_holder_price",
            -cost,
            [Evidence("IN_DECISION_CHAIN", () if binder is None else (binder,))],
            *_holdout_texts(
                stated,
                stage,
                totals.objected,
                binder is not None,
                _who(names, binder) if binder and names and names.get(binder) else None,
            ),
        )
    untested = price_untested_points(totals, config)
    if untested:
        silent, untested_en, untested_zh = _untested_texts(totals, config, names or {})
        b.add(
            "price_untested",
            -untested,
            [Evidence("IN_DECISION_CHAIN", silent)],
            untested_en,
            untested_zh,
        )
    stale = stale_objection_points(totals, config) if totals.stale else 0.0
    if stale:
        aged, stale_en, stale_zh = _stale_texts(totals, config, names or {})
        b.add(
            "stale_price_objection",
            -stale,
            [Evidence("IN_DECISION_CHAIN", aged)],
            stale_en,
            stale_zh,
        )
    price = totals.weighted("price")
    b.add(
        "price_acceptance",
        ac.price_points * price / 100,
        (),
        f"Influence-weighted price acceptance {price:.0f}/100 (a price everyone accepts would "
        f"bring {ac.price_points:.0f} points)",
        f"按影响力加权的价格接受度 {price:.0f}/100"
        f"（各方都接受我方价格时可得 {ac.price_points:.0f} 分）",
        keep_zero=True,
    )
    coaches = [p for p, _, _ in totals.coaches]
    good = [(f, d, p) for p, f, d in totals.coaches if f >= 0]
    if good:
        fresh, dated, _ = max(good)
        share = fresh / VALUE_Q
        b.add(
            "coach",
            ac.supportive_coach_points * share,
            [Evidence("IN_DECISION_CHAIN", tuple(p for f, d, p in good if f == fresh))],
            *_guide_texts(share, dated),
        )
    elif coaches:
        b.add(
            "coach",
            ac.coach_points,
            [Evidence("IN_DECISION_CHAIN", tuple(coaches))],
            "A coach we cannot rely on yet (not supportive, close to a competitor, or known to"
            " nobody of ours)",
            "有教练但尚不可靠（未支持我方、与竞争对手关系密切，或我方无人认识）",
        )
    else:
        b.add("coach", 0, (), "No coach", "没有教练", keep_zero=True)
    reach = totals.champion_reach
    if reach > 0:
        best = tuple(p for p, r in totals.champions if r == totals.best_reach)
        b.add(
            "champion_reach",
            ac.champion_reach_points * reach,
            [Evidence("IN_DECISION_CHAIN", best)],
            f"A champion sells for us and their case reaches the decision maker ({reach:.0%}: "
            "directly, through others, or carried on by a supporter they tell; less when we "
            "have not spoken with them lately)",
            f"有支持者为我方内部推动，其主张能传到决策者（{reach:.0%}：直接、经他人，"
            "或由其说服的支持者转达；近来与其缺少沟通则打折扣）",
        )
    texts = _deal_texts(opp, competitors)
    urgency = no_urgency_points(opp, config)
    if urgency:
        ev = [Evidence("OPPORTUNITY", (opp.id,))]
        b.add("no_compelling_event", -urgency, ev, *texts["no_compelling_event"])
    cheaper = cheaper_bid_points(opp, competitors, config)
    if cheaper:
        ev = [Evidence("COMPETES_FOR", (c.id, opp.id)) for c in cheaper_bidders(competitors)]
        b.add("cheaper_bid", -cheaper, ev, *texts["cheaper_bid"])
    short = budget_shortfall_points(opp, config)
    if short:
        covered = budget_share(opp.budget or 0, opp.quote_amount or 0)
        b.add(
            "budget_shortfall",
            -short,
            [Evidence("OPPORTUNITY", (opp.id,))],
            f"Our quote is submitted and the budget covers {covered} of it: closing the gap "
            "means rescoping or a new price",
            f"报价已提交，而预算仅覆盖其{covered}：要弥合差距只能调整范围或重新报价",
        )
    return b.build()


def _guide_texts(share: float, dated: bool) -> tuple[str, str]:
    """The coach's reason: in full, or counted at a share for the silence since we last spoke
    with them (or for no contact with them on record)."""
    if share >= 1.0:
        return "A supportive coach guides us", "有支持我方的教练"
    if dated:
        return (
            f"A supportive coach guides us, counted at {share:.0%}: we have not spoken with "
            "them lately",
            f"有支持我方的教练，按{share:.0%}计：近来与其缺少沟通",
        )
    return (
        f"A supportive coach guides us, counted at {share:.0%}: no contact with them on record",
        f"有支持我方的教练，按{share:.0%}计：尚无与其接触的记录",
    )


def assess_worth(
    opp: OpportunityFacts,
    config: StrategyConfig,
    wired: Sequence[tuple[str, str]] = (),
    competitors: Sequence[CompetitorFacts] = (),
) -> Score:
    """Is it worth it? Size vs presales cost, margin after delivery, delivery risk and review,
    and a tender that looks wired (``Totals.wired``): its supervisor close to a competitor."""
    ac = config.assessment
    ev = [Evidence("OPPORTUNITY", (opp.id,))]
    b = ScoreBuilder(ac.worth_base, *STARTING_POINT)
    value = deal_value(opp)
    # which figure the ratio and the margin are of: beside the deal's amount on every page, a
    # ratio of the quote read as the amount's would not add up
    quoted = bool(opp.quote_amount)
    if opp.presales_cost and value > 0:
        ratio = value / opp.presales_cost
        b.add(
            "size_vs_presales",
            band_points(ac.presales_bands, ratio),
            ev,
            f"Our quote is {ratio:.1f}x the presales cost"
            if quoted
            else f"Deal is {ratio:.1f}x the presales cost",
            f"我方报价为售前投入的{ratio:.1f}倍"
            if quoted
            else f"商机金额为售前投入的{ratio:.1f}倍",
            keep_zero=True,
        )
    if opp.delivery_cost is not None and value > 0:
        margin = (value - opp.delivery_cost - (opp.presales_cost or 0)) / value
        b.add(
            "margin",
            graded_points(ac.margin_bands, margin),
            ev,
            f"Expected margin {margin:.0%}" + (" at our quote" if quoted else ""),
            ("按我方报价" if quoted else "") + f"预计毛利率{margin:.0%}",
            keep_zero=True,
        )
    else:
        b.add("margin", 0, ev, "Delivery cost unknown", "交付成本未知", keep_zero=True)
    b.add(
        "delivery_risk",
        ac.delivery_risk_points[opp.delivery_risk],
        ev,
        f"Delivery risk {label_of(opp.delivery_risk).lower()}",
        f"交付风险{label_of(opp.delivery_risk, 'zh')}",
        keep_zero=True,
    )
    if opp.delivery_reviewed:
        b.add(
            "delivery_review",
            ac.delivery_reviewed_points,
            ev,
            "Delivery manager reviewed solution, workload and quote",
            "交付经理已评审方案、工作量和报价",
        )
    elif opp.delivery_infeasible and opp.quote_status in (QuoteStatus.DRAFT, QuoteStatus.SUBMITTED):
        b.add(
            "delivery_review",
            ac.delivery_infeasible_points,
            ev,
            "The delivery manager judged the quote not deliverable as it stands: rework scope "
            "or price and have it reviewed again",
            "交付经理评审认为按当前报价不可落地：需调整范围或价格后重新评审",
        )
    elif opp.quote_status in (QuoteStatus.DRAFT, QuoteStatus.SUBMITTED):
        b.add(
            "delivery_review",
            ac.delivery_unreviewed_quote_points,
            ev,
            "Quote not reviewed by the delivery manager: over-promise risk",
            "报价未经交付经理评审：存在过度承诺风险",
        )
    if wired:
        names = {c.id: c.name for c in competitors}
        rivals = sorted({names.get(cid, cid) for _, cid in wired})
        b.add(
            "wired_tender",
            ac.wired_tender_points,
            [Evidence("IN_DECISION_CHAIN", tuple(sorted({p for p, _ in wired})))],
            f"The compliance supervisor of the tender is close to {', '.join(rivals)}: the "
            "tender may be wired; weigh whether it is worth bidding",
            f"监督招标的纪检监督人与{'、'.join(rivals)}关系密切：招标可能已被控标，需慎重评估是否值得投标",
        )
    return b.build()


_QUESTIONS = (
    ("is_real", "real_weight", "Is it real?", "是不是商机？"),
    ("can_compete", "compete_weight", "Can we compete?", "有没有竞争力？"),
    ("can_win", "win_weight", "Can we win?", "能不能赢？"),
    ("worth_it", "worth_weight", "Is it worth it?", "值不值得？"),
)


GATES = frozenset({"is_real"})


def uncut(score: Score, config: StrategyConfig) -> int:
    """The question's sum the likelihood reads: its value, or below the cut-off at 0 its raw sum
    (not below ``likelihood.question_lowest``). A deal at -25 is further from winnable than one
    at 0, so a play there still shows its gain; above 100 nothing is added. Reasons the
    likelihood leaves to another question (``UNCOUNTED``) are added back."""
    back = sum(r.points for r in score.reasons if r.factor in UNCOUNTED)
    if score.value > 0:
        return min(100, score.value - back)
    cut = sum(r.points for r in score.reasons if r.factor == "clamped")
    return max(config.likelihood.question_lowest, min(100, score.value - cut - back))


BELOW_ZERO_SHARE = 0.1
"""How much a question's sum below its cut-off at 0 counts, per point: a deal already out of
reach is only a little further out of reach at -16 than at 0, but a move there is not worth
nothing (the calibration fits the same transform)."""


def question_input(key: str, value: float) -> float:
    """The score a question's term reads: a gate only up to 50, a sum below 0 at a tenth."""
    if key in GATES:
        value = min(value, 50)
    return value * BELOW_ZERO_SHARE if value < 0 else value


def _question_logit(key: str, weight: float, value: float) -> float:
    """One question's term of the logit (a gate counts only its shortfall below 50)."""
    return weight * (question_input(key, value) - 50) / 50


def earned_share(stage: Stage, totals: Totals, config: StrategyConfig) -> float:
    """How much of its stage's prior a deal has earned (0..1). Past requirements analysis the
    stage is proven by the people who decide: the share grows with our closeness to the closest
    decision maker, from none at the closeness of someone nobody knows to all of it at
    ``likelihood.dm_proven_closeness``. Gradual, so that one contact of any kind cannot buy
    the whole prior, and a play that brings a decision maker closer earns its part of it.
    The deal keeps that share only while it moves (``held_share``)."""
    if stage not in _PROVEN_WITH_DMS:
        return 1.0
    best = max((c for _, c, _, decides in totals.signers if decides), default=None)
    if best is None:
        return 0.0
    floor, full = config.closeness.base, config.likelihood.dm_proven_closeness
    proven = min(1.0, max(0.0, (best - floor) / (full - floor)))
    return proven * held_share(totals.quiet_days, config)


def held_share(quiet_days: int, config: StrategyConfig) -> float:
    """How much of its stage's proof a deal keeps after ``quiet_days`` without contact with the
    customer: all of it up to ``likelihood.silent_from_days``, none from ``silent_all_days``.
    A deal silent for months at the proposal has stalled, or a competitor works it while we do
    not: it has not held its stage."""
    lc = config.likelihood
    start, end = lc.silent_from_days, lc.silent_all_days
    return min(1.0, max(0.0, (end - quiet_days) / (end - start)))


def stuck_share(stage: Stage, days: int | None, config: StrategyConfig) -> float:
    """How much of its stage's proof a deal keeps after ``days`` at the stage (``stage_days``):
    all of it up to [health] stage_attention_days, falling to ``likelihood.stuck_share`` at
    stage_at_risk_days, no lower after (it did reach the stage). A proposal nobody decides on
    for months has not held its stage, whatever the contacts say; a stage not judged by its
    time keeps it all."""
    hc = config.health
    start, end = hc.stage_attention_days[stage], hc.stage_at_risk_days[stage]
    if days is None or not start or not end or days <= start:
        return 1.0
    lost = min(1.0, (days - start) / (end - start))
    return 1.0 - lost * (1.0 - config.likelihood.stuck_share)


def stage_prior(stage: Stage, share: float, config: StrategyConfig) -> float:
    """The logit prior of a deal at ``stage`` that has earned ``share`` of it. The share only
    ever holds a deal back (never above its stage's own prior), so that bringing a decision
    maker closer never lowers the likelihood, whatever priors a calibration fitted."""
    prior = config.likelihood.stage_prior
    if share >= 1.0 or prior[stage] <= prior[UNPROVEN_STAGE]:
        return float(prior[stage])
    return share * prior[stage] + (1.0 - share) * prior[UNPROVEN_STAGE]


_PROVEN_WITH_DMS = frozenset(
    {Stage.VALUE_PRESENTATION, Stage.PROPOSAL, Stage.BIDDING, Stage.NEGOTIATION}
)


DECIDED_LOGIT: Final = 40.0
"""The logit of a decided deal: far enough out that its likelihood reads as its outcome."""


def decided_likelihood(stage: Stage, config: StrategyConfig) -> WinLikelihood:
    """A closed deal's likelihood is its outcome: won 1, lost or abandoned 0. The model's
    reading at the close is the gate's (``StageTransition``), not a chance it still has: a lost
    deal read at 30 % would count in a weighted pipeline, and its history would rise at the
    loss (the stage's costs no longer read)."""
    won = outcome(stage) == 1.0
    z = DECIDED_LOGIT if won else -DECIDED_LOGIT
    intercept = config.likelihood.intercept
    en, zh = label_of(stage), label_of(stage, "zh")
    term = LikelihoodTerm(
        "outcome",
        z - intercept,
        100 if won else 0,
        z - intercept,
        f"{en}: the deal is decided, so its likelihood is its outcome",
        f"{zh}：商机已有结果，赢单概率即其结果",
    )
    return WinLikelihood(outcome(stage), z, intercept, (term,))


def outcome(stage: Stage) -> float:
    """A closed stage's outcome as a likelihood: won 1, lost or abandoned 0."""
    return 1.0 if stage is Stage.WON else 0.0


def _likelihood_value(
    values: Mapping[str, float], config: StrategyConfig, stage: Stage | None, share: float
) -> float:
    """``win_likelihood(...).value`` from the four question values alone: the same terms
    summed the same way, without the texts a trial never shows."""
    if stage is not None and stage in CLOSED_STAGES:
        return outcome(stage)
    lc = config.likelihood
    logits = [] if stage is None else [stage_prior(stage, share, config)]
    for key, weight_name, _, _ in _QUESTIONS:
        logits.append(_question_logit(key, float(getattr(lc, weight_name)), values[key]))
    return 1.0 / (1.0 + math.exp(-(lc.intercept + math.fsum(logits))))


def _shown(value: float) -> str:
    """A sum the likelihood read, as a term's text shows it: whole, or to a tenth of a point."""
    return f"{value:.0f}" if abs(value - round(value)) < 0.05 else f"{value:.1f}"


def _unproven_why(
    share: float,
    quiet_days: int,
    config: StrategyConfig,
    stuck: tuple[Stage, int | None] | None = None,
) -> tuple[str, str]:
    """Why a deal has earned only ``share`` of its stage's prior: no decision maker close to us,
    a silence (``held_share``), its time at the stage (``stuck``: the stage and its days there,
    ``stuck_share``), or more than one of them."""
    held = held_share(quiet_days, config)
    kept = 1.0 if stuck is None else stuck_share(stuck[0], stuck[1], config)
    parts: list[tuple[str, str]] = []
    if held * kept > 0 and share < held * kept - 1e-9:
        parts.append(("no decision maker is close to us yet", "尚无与我方关系紧密的决策者"))
    if held < 1.0:
        parts.append(
            (f"no contact with the customer for {quiet_days} days", f"已{quiet_days}天未与客户接触")
        )
    if kept < 1.0 and stuck is not None:
        parts.append((f"it has sat {stuck[1]} days at it", f"已在本阶段停留{stuck[1]}天"))
    if not parts:
        parts.append(("no decision maker is close to us yet", "尚无与我方关系紧密的决策者"))
    return " and ".join(p[0] for p in parts), "，且".join(p[1] for p in parts)


def win_likelihood(
    scores: Mapping[str, Score],
    config: StrategyConfig,
    stage: Stage | None = None,
    share: float = 1.0,
    sums: Mapping[str, float] | None = None,
    quiet_days: int = 0,
    stage_days: int | None = None,
) -> WinLikelihood:
    """Logistic model over the stage and the four question scores (see module docstring).

    ``sums`` are questions' exact sums (``question_sums``), read instead of their scores,
    which round each reason to a whole point: the term keeps the score shown.

    TAS qualifies a deal: "is it real" can only hold a deal back (its term counts the shortfall
    below 50, never a surplus), so a real deal we cannot win is not rescued by being real; the
    other questions move it both ways. The stage is the prior: a deal at validation has proven
    little, one in negotiation a lot; ``share`` is how much of it the deal has earned
    (``earned_share`` by ``stuck_share``), ``quiet_days`` how long it has gone without contact
    and ``stage_days`` how long it has sat at its stage (what the stage's reason says when
    either took part of it). A closed deal's is its outcome
    (``decided_likelihood``).
    """
    if stage is not None and stage in CLOSED_STAGES:
        return decided_likelihood(stage, config)
    lc = config.likelihood
    terms: list[LikelihoodTerm] = []
    if stage is not None:
        prior = stage_prior(stage, share, config)
        en, zh = label_of(stage), label_of(stage, "zh")
        low, high = lc.stage_prior[UNPROVEN_STAGE], lc.stage_prior[stage]
        if share >= 1.0 or high <= low:
            text_en = f"Stage {en}: the starting point of a deal this far along"
            text_zh = f"阶段 {zh}：按进展到此阶段的商机起算"
        else:
            was_en, was_zh = label_of(UNPROVEN_STAGE), label_of(UNPROVEN_STAGE, "zh")
            why_en, why_zh = _unproven_why(share, quiet_days, config, (stage, stage_days))
            if share <= 0.005:
                way_en, way_zh = f"it starts where a deal at {was_en} does", f"只按{was_zh}起算"
            else:
                way_en = f"it starts {share:.0%} of the way from {was_en} to {en}"
                way_zh = f"起点只计入从{was_zh}到{zh}的{share:.0%}"
            text_en, text_zh = (
                f"Stage {en}, but {why_en}: {way_en}",
                f"阶段 {zh}，但{why_zh}：{way_zh}",
            )
        terms.append(LikelihoodTerm("stage", prior, 100, prior, text_en, text_zh))
    for key, weight_name, en, zh in _QUESTIONS:
        weight = float(getattr(lc, weight_name))
        value = uncut(scores[key], config)
        read = float(value) if sums is None or key not in sums else _read(sums[key], config)
        logit = _question_logit(key, weight, read)
        effect_en, effect_zh = _term_effect(logit, key in GATES)
        if read < 0:
            effect_en += " (its reasons add up to below 0, and a tenth of that counts too)"
            effect_zh += "（其各项合计低于0，低于0的部分按十分之一计入）"
        shown_en = shown_zh = f"{_shown(max(read, 0.0))}/100"
        if value != scores[key].value and any(r.factor in UNCOUNTED for r in scores[key].reasons):
            # the question shows less than the likelihood reads: say why, or the page shows two
            # figures for one question
            shown_en = f"{scores[key].value}/100, read as {shown_en} (a decision maker not yet"
            shown_en += ' contacted counts under "Can we win?")'
            shown_zh = (
                f"{scores[key].value}/100，按{shown_zh}计（尚未接触的决策者在“能不能赢？”中计入）"
            )
        terms.append(
            LikelihoodTerm(
                key,
                weight,
                value,
                logit,
                f"{en} {shown_en}: {effect_en}",
                f"{zh} {shown_zh}：{effect_zh}",
            )
        )
    z = lc.intercept + math.fsum(t.logit for t in terms)
    return WinLikelihood(1.0 / (1.0 + math.exp(-z)), z, lc.intercept, tuple(terms), share)


def _term_effect(logit: float, gate: bool) -> tuple[str, str]:
    """What a question's score does to the likelihood, as a sales leader reads it (the term's
    ``logit`` holds the figure): lifts or pulls down, a little or strongly; a gate ("is it
    real?") only ever holds a deal back, so a real deal reads as nothing held back."""
    size = abs(logit)
    if size < 0.005:
        if gate:
            return (
                "real enough, so it holds nothing back (only doubt about a deal counts)",
                "足够真实，不拖累赢率（只有对商机的疑问才会扣分）",
            )
        return "even: it moves the likelihood neither way", "持平：不影响赢率"
    en_by, zh_by = (
        ("strongly", "明显") if size >= 0.75 else ("a little", "略微") if size < 0.25 else ("", "")
    )
    if gate:
        return (
            " ".join(filter(None, ("doubt about the deal holds the likelihood back", en_by))),
            f"对商机的疑问{zh_by}拖累赢率",
        )
    if logit > 0:
        return " ".join(filter(None, ("lifts the likelihood", en_by))), f"{zh_by}提升赢率"
    return " ".join(filter(None, ("pulls the likelihood down", en_by))), f"{zh_by}拉低赢率"


class AssessMemo:
    """The questions that many trials of one analysis (same ``now_ms`` and config) share.

    "Is it real" reads the members only for which decision makers there are, and "is it worth
    it" only for which supervisors a competitor is close to, so a work-plan or bridge trial that
    swaps one member's state reuses both. Keyed by the opportunity object (kept alive here, so
    its id is not reused)."""

    __slots__ = ("_back", "_real", "_worth")

    def __init__(self) -> None:
        self._back: dict[int, tuple[OpportunityFacts, OpportunityFacts | None]] = {}
        self._real: dict[
            tuple[int, tuple[str, ...], tuple[str, ...]], tuple[OpportunityFacts, Score]
        ] = {}
        self._worth: dict[
            tuple[int, tuple[tuple[str, str], ...]], tuple[OpportunityFacts, Score]
        ] = {}

    def furthest(self, opp: OpportunityFacts) -> OpportunityFacts | None:
        """``at_furthest(opp)``, made once per opportunity."""
        hit = self._back.get(id(opp))
        if hit is None or hit[0] is not opp:
            hit = self._back[id(opp)] = (opp, at_furthest(opp))
        return hit[1]

    def real(
        self, opp: OpportunityFacts, totals: Totals, now_ms: int, config: StrategyConfig
    ) -> Score:
        key = (id(opp), totals.dms, totals.unverified)
        hit = self._real.get(key)
        if hit is None or hit[0] is not opp:
            hit = self._real[key] = (opp, assess_real(opp, totals, now_ms, config))
        return hit[1]

    def worth(
        self,
        opp: OpportunityFacts,
        totals: Totals,
        competitors: Sequence[CompetitorFacts],
        config: StrategyConfig,
    ) -> Score:
        key = (id(opp), totals.wired)
        hit = self._worth.get(key)
        if hit is None or hit[0] is not opp:
            score = assess_worth(opp, config, totals.wired, competitors)
            hit = self._worth[key] = (opp, score)
        return hit[1]


def assess_totals(
    opp: OpportunityFacts,
    competitors: Sequence[CompetitorFacts],
    totals: Totals,
    now_ms: int,
    config: StrategyConfig,
    *,
    memo: AssessMemo | None = None,
    names: Named | None = None,
) -> Assessment:
    """Run the whole opportunity-level model on aggregated member states (``memo``: shared
    by the trials of one analysis; ``names``: of the key people and the competitors the chain
    names, for the reasons that name one). A closed deal's questions are read as they stood
    before the close (``before_close``); its likelihood is its outcome."""
    decided = opp.stage if opp.stage in CLOSED_STAGES else None
    opp = before_close(opp)
    known = {i: n for i, n in (names or {}).items() if isinstance(n, str)}
    support = support_balance(totals, competitors, known)
    (compete, compete_at), (win, win_at) = _riskier_sums(opp, competitors, totals, config)
    scores = {
        "is_real": assess_real(opp, totals, now_ms, config, names)
        if memo is None
        else memo.real(opp, totals, now_ms, config),
        "can_compete": _noted(
            assess_compete(compete_at, totals, competitors, support, config), opp, compete_at
        ),
        "can_win": _noted(
            assess_win(totals, support, config, win_at, competitors, names), opp, win_at
        ),
        "worth_it": assess_worth(opp, config, totals.wired, competitors)
        if memo is None
        else memo.worth(opp, totals, competitors, config),
    }
    days = stage_days(opp, now_ms)
    share = earned_share(opp.stage, totals, config) * stuck_share(opp.stage, days, config)
    sums = {"can_compete": compete, "can_win": win}
    return Assessment(
        scores["is_real"],
        scores["can_compete"],
        scores["can_win"],
        scores["worth_it"],
        support,
        win_likelihood(scores, config, decided or opp.stage, share, sums, totals.quiet_days, days),
    )


def before_close(opp: OpportunityFacts) -> OpportunityFacts:
    """A closed deal as it stood at the stage it was closed from (the furthest it reached when
    that was not recorded): the risks that lost it, or the ones it won against, are read as
    they were, not dropped because a closed stage has no stage costs (a lost deal's "can we
    win" would rise at the loss). An open deal, or a closed one with no open stage on record,
    as it is."""
    if opp.stage not in CLOSED_STAGES:
        return opp
    last = opp.closed_from or opp.furthest_stage
    return opp if last is None else dataclasses.replace(opp, stage=last, closed_from=None)


def at_furthest(opp: OpportunityFacts) -> OpportunityFacts | None:
    """A deal moved back, as it stood at the furthest stage it reached (None when it was not
    moved back)."""
    back = opp.moved_back_from
    return None if back is None else dataclasses.replace(opp, stage=back)


def _riskier_sums(
    opp: OpportunityFacts,
    competitors: Sequence[CompetitorFacts],
    totals: Totals,
    config: StrategyConfig,
) -> tuple[tuple[float, OpportunityFacts], tuple[float, OpportunityFacts]]:
    """("can we compete", "can we win") with the deal each is read at: its stage, or the
    furthest it was moved back from where that costs more.

    Moving a deal back does not take away the risks it showed further on (a voiced price
    objection, a cheaper bid, an approver who must sign): each question keeps the lower of the
    two readings, so a step back never makes a deal look likelier to win. It is the lower, not
    always the furthest, because some risks return with the earlier stage (a tender run again
    after negotiation)."""
    compete, win, _, _ = question_sums(opp, competitors, totals, config)
    sides = ((compete, opp), (win, opp))
    back = at_furthest(opp)
    if back is None:
        return sides
    compete_back, win_back, _, _ = question_sums(back, competitors, totals, config)
    return (
        (compete_back, back) if compete_back < compete else sides[0],
        (win_back, back) if win_back < win else sides[1],
    )


def _noted(score: Score, opp: OpportunityFacts, read_at: OpportunityFacts) -> Score:
    """``score`` of a deal moved back, saying so and at which stage it is read: the one it
    left, whose risks still count, or its own, where they count at least as much (a tender
    run again)."""
    back = opp.moved_back_from
    if back is None:
        return score
    left, now = (
        (label_of(back), label_of(back, "zh")),
        (label_of(opp.stage), label_of(opp.stage, "zh")),
    )
    moved_en, moved_zh = f"Moved back from {left[0]} to {now[0]}", f"已从{left[1]}退回{now[1]}"
    if read_at is not opp:
        en = f"{moved_en}: the risks it showed at {left[0]} are still there, and count as they did"
        zh = f"{moved_zh}：在{left[1]}暴露的风险依然存在，照旧计入"
    else:
        en = f"{moved_en}: read at {now[0]}, where its risks weigh at least as much"
        zh = f"{moved_zh}：按{now[1]}计，此阶段的风险不低于{left[1]}"
    return Score(score.value, (*score.reasons, Reason("moved_back", 0, (), en, zh)))


def question_sums(
    opp: OpportunityFacts,
    competitors: Sequence[CompetitorFacts],
    totals: Totals,
    config: StrategyConfig,
) -> tuple[float, float, float, float]:
    """("can we compete", "can we win", our support, the strongest rival's support): the two
    questions summed as ``assess_compete`` and ``assess_win`` sum them, without rounding each
    reason to a whole point and without the texts and evidence no trial shows.

    The likelihood reads these sums, the scores show them rounded: a relationship visit to a
    user and one to an approver add different fractions of a point to "can we compete", and a
    plan that rounded each of them to the same whole point would show both the same gain."""
    ac = config.assessment
    # support_balance's figures without its objects: our support, the strongest rival's.
    scale = WEIGHT_Q * VALUE_Q
    for_us = totals.attitude / scale
    supports = [v / scale for v in totals.competitor.values()]
    if any(c.id not in totals.competitor for c in competitors):
        supports.append(0.0)
    strongest = max(supports, default=0.0)
    rival = strongest if strongest > 0 else 0.0
    # Totals.weighted written out (the same division): a trial runs for every candidate.
    weight = totals.weight
    solution = totals.solution / weight if weight > 0 else 0.0
    closeness = totals.closeness / totals.closeness_weight if totals.closeness_weight > 0 else 0.0
    price = totals.price / weight if weight > 0 else 0.0
    compete = ac.compete_base + ac.solution_fit_points * solution / 100
    compete += ac.relationship_points * closeness / 100
    pts = ac.competitor_position_points
    leader = min(competitors, key=lambda c: (pts[c.position], c.id), default=None)
    if leader is not None and leader.position != CompetitivePosition.UNKNOWN:
        compete += pts[leader.position]
    if rival:
        compete -= ac.competitor_relationship_points * rival
    rejected = solution_rejected(totals, opp.stage, config) if totals.judges else 0.0
    compete -= ac.solution_rejected_compete_points * rejected
    if totals.unstaffed:
        compete -= unstaffed_points(totals, opp.stage, config)
    compete -= cheaper_rival_points(opp, competitors, config)
    win = ac.win_base + ac.support_points * for_us - ac.solution_rejected_win_points * rejected
    if rival:
        win -= ac.competitor_support_points * rival
    dms = [(c, a) for _, c, a, decides in totals.signers if decides]
    if dms:
        win += ac.dm_attitude_points * (min(a for _, a in dms) / VALUE_Q)
        win += dm_closeness_points(min(c for c, _ in dms), config)
    worst = evaluator_doubt(totals, opp.stage, config)
    if worst < 0:
        win += ac.evaluator_attitude_points * worst
    if any(a <= -VALUE_Q for _, _, a, decides in totals.signers if not decides):
        win -= ac.approver_attitude_points
    approvers = [c for _, c, _, decides in totals.signers if not decides]
    if approvers:
        win -= unprepared_approver_points(min(approvers), opp.stage, config)
    if totals.procurers:
        win -= unknown_procurement_points(totals, opp.stage, config)
    if totals.locked:
        win -= locked_points(totals, opp.stage, config)
    if totals.budget[0] or totals.budget[2]:
        win -= price_holdout_points(totals.budget_price(opp.stage, config)[0], config)
    if totals.silent:
        win -= price_untested_points(totals, config)
    if totals.stale:
        win -= stale_objection_points(totals, config)
    win += ac.price_points * price / 100
    guide = max([f for _, f, _ in totals.coaches], default=-1)  # inlined: no frame per trial
    if guide >= 0:
        win += ac.supportive_coach_points * guide / VALUE_Q
    elif totals.coaches:
        win += ac.coach_points
    if totals.champions:
        win += ac.champion_reach_points * totals.champion_reach
    win -= no_urgency_points(opp, config) + cheaper_bid_points(opp, competitors, config)
    win -= budget_shortfall_points(opp, config)
    return compete, win, for_us, strongest


def _read(value: float, config: StrategyConfig) -> float:
    """A question's exact sum as the likelihood reads it: not above 100, nor below
    ``likelihood.question_lowest`` (``uncut``'s bounds)."""
    return max(float(config.likelihood.question_lowest), min(100.0, value))


def trial_likelihood(
    opp: OpportunityFacts,
    competitors: Sequence[CompetitorFacts],
    totals: Totals,
    now_ms: int,
    config: StrategyConfig,
    memo: AssessMemo,
) -> tuple[float, float]:
    """(win likelihood, net support) of the totals: all a work-plan or bridge trial reads,
    the same figures ``assess_totals`` gives to the bit (a test keeps the two in step)."""
    compete, win, for_us, strongest = question_sums(opp, competitors, totals, config)
    back = memo.furthest(opp)
    if back is not None:  # as _riskier_sums reads them (support and rival stay as they are)
        compete_back, win_back, _, _ = question_sums(back, competitors, totals, config)
        compete, win = min(compete, compete_back), min(win, win_back)
    values = {
        "is_real": float(uncut(memo.real(opp, totals, now_ms, config), config)),
        "can_compete": _read(compete, config),
        "can_win": _read(win, config),
        "worth_it": float(uncut(memo.worth(opp, totals, competitors, config), config)),
    }
    share = earned_share(opp.stage, totals, config)
    share *= stuck_share(opp.stage, stage_days(opp, now_ms), config)
    return _likelihood_value(values, config, opp.stage, share), for_us - strongest


def days_between(earlier_ms: int, later_ms: int) -> int:
    """Whole days from one instant to a later one (0 if not later)."""
    return max(0, later_ms - earlier_ms) // DAY_MS
