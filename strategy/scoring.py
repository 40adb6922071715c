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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, NamedTuple, Protocol

from domain.chain import (
    ActivityFacts,
    ChainSnapshot,
    CompetitorFacts,
    CompetitorTie,
    MemberFacts,
    OpportunityFacts,
    TeamKnows,
)
from domain.money import money
from domain.text import Text
from domain.vocabulary import (
    CLOSED_STAGES,
    LABELS,
    ActivityType,
    Attitude,
    DecisionRole,
    NeedsFit,
    Outcome,
    QuoteStatus,
    Stage,
    TieStrength,
)
from strategy.config import StrategyConfig, graded_points

DAY_MS = 86_400_000

EVALUATORS = frozenset(
    {DecisionRole.TECHNICAL_EVALUATOR, DecisionRole.BUSINESS_EVALUATOR, DecisionRole.PROCUREMENT}
)
"""Who scores the bids of a tender."""

SOLUTION_JUDGES = frozenset(
    {DecisionRole.TECHNICAL_EVALUATOR, DecisionRole.BUSINESS_EVALUATOR, DecisionRole.USER}
)
"""Who judges whether our solution fits: the evaluators of the technology and of the business,
and those who will use it. Their verdict is what the evaluation tells the decision maker."""

BUDGET_HOLDERS = frozenset({DecisionRole.APPROVER, DecisionRole.FINANCE, DecisionRole.PROCUREMENT})
"""Who holds the budget and so decides whether our price is acceptable."""

PRICE_NEGOTIATORS = frozenset({DecisionRole.PROCUREMENT})
"""Who pushes on our price for a living: procurement. Their push is a negotiation, not a verdict
on our price (``price.procurement_push_share``) nor on how close they are to us
(``closeness.procurement_haggle_cap``): a sales director, "pushing on price is his job"."""

QUOTED_STAGES = frozenset({Stage.PROPOSAL, Stage.BIDDING, Stage.NEGOTIATION})
"""Where a submitted quote is on the table: it goes in at the proposal."""

SUPERVISORS = frozenset({DecisionRole.SUPERVISOR})
"""Who supervises the purchase for the buyer (discipline inspection, compliance): in a
state-owned buyer a relationship with them is a compliance red line, not an asset; they are kept
at arm's length (``at_arms_length``), and only an open, documented play reaches them."""


def tender_since(opp: OpportunityFacts) -> int | None:
    """When the tender began for us (the deal entered bidding), while it is on; else None."""
    return opp.stage_entered_at if opp.stage == Stage.BIDDING else None


def breach(role: DecisionRole, a: ActivityFacts, tender: int | None) -> bool:
    """A social contact that is a compliance breach, not a relationship: a meal or an outing
    with the supervisor of the purchase, or with those who evaluate the bids once the tender is
    on (``tender``: when it began). It is flagged, and counts for no closeness."""
    if a.type != ActivityType.SOCIAL:
        return False
    return role in SUPERVISORS or (
        tender is not None and role in EVALUATORS and a.occurred_at >= tender
    )


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


type _MakeReasons = tuple[Callable[..., tuple[Reason, ...]], tuple[object, ...]]


@dataclass(frozen=True, init=False, repr=False, eq=False)
class Score:
    """A 0..100 score whose reasons' points add up exactly to ``value``.

    The chain scorer defers the reasons: it settles each factor's points and makes the texts
    and evidence only when ``reasons`` is first read. An analysis scores every member and
    re-scores dozens of modelled changes but shows few scores, and the reasons cost five times
    the value. Otherwise the frozen dataclass (value, reasons) it was: fields, equality,
    hashing, repr, pickling, ``asdict`` and ``replace`` see both fields, assignment raises.
    """

    __slots__ = ("_make", "_reasons", "value")
    value: int
    reasons: tuple[Reason, ...]  # a field, read through the property below
    if TYPE_CHECKING:
        _reasons: tuple[Reason, ...] | None
        _make: _MakeReasons | None

    def __init__(self, value: int, reasons: tuple[Reason, ...]) -> None:
        _set_value(self, value)
        _set_reasons(self, reasons)
        _set_make(self, None)

    @property  # type: ignore[no-redef]
    def reasons(self) -> tuple[Reason, ...]:
        reasons = self._reasons
        if reasons is None:
            make = self._make
            assert make is not None
            reasons = make[0](*make[1])
            _set_reasons(self, reasons)
            _set_make(self, None)
        return reasons

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Score:
            return NotImplemented
        assert isinstance(other, Score)
        return (self.value, self.reasons) == (other.value, other.reasons)

    def __hash__(self) -> int:
        return hash((self.value, self.reasons))

    def __repr__(self) -> str:
        return f"Score(value={self.value!r}, reasons={self.reasons!r})"

    def __reduce__(self) -> tuple[type[Score], tuple[int, tuple[Reason, ...]]]:
        return Score, (self.value, self.reasons)


_new_object = object.__new__
# The slots' own setters: Score refuses assignment, and these also skip the lookup by name
# that object.__setattr__ makes (a score is made for every member and every trial).
_set_value = Score.__dict__["value"].__set__
_set_reasons = Score.__dict__["_reasons"].__set__
_set_make = Score.__dict__["_make"].__set__


def _deferred(
    total: int, make: Callable[..., tuple[Reason, ...]], args: tuple[object, ...]
) -> Score:
    """A score of ``total`` (clamped to 0..100) whose reasons ``make(*args)`` makes when read."""
    score = _new_object(Score)
    _set_value(score, 100 if total > 100 else 0 if total < 0 else total)
    _set_reasons(score, None)
    _set_make(score, (make, args))
    return score


@dataclass(frozen=True, slots=True)
class PersonScores:
    """The three scores of one key person in the context of one opportunity."""

    person_id: str
    closeness: Score
    solution: Score
    price: Score
    price_raw: int
    """Price acceptance before the cut-off at 0..100: how far objections go below 0, so that
    a price play on someone who refuses our price shows its gain."""
    price_silent: bool = False
    """A budget holder silent about our price: the quote went in ``price.untested_after_days``
    ago or more and they have no price reaction or pricing discussion on record since (any on
    record when the day it went in is unknown), nor an objection to it (``price_untested``)."""
    objection_quiet_days: int | None = None
    """A budget holder whose price objection stands unanswered (``standing_objection``): whole
    days since anyone of ours last contacted them (None: no such objection)."""


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
    ours: Mapping[str, Text] = field(default_factory=dict)
    """Our people whom another of ours shares a name with, told apart in each language
    (``ChainSnapshot.ours_told_apart``)."""

    @property
    def person_id(self) -> str:
        return self.member.person_id

    def name_of(self, some_id: str) -> str:
        """Display name of a key person, team member or competitor: texts for people never
        show ids."""
        return self.names.get(some_id, some_id)

    def one_of_ours(self, member_id: str) -> Text:
        """One of our people as a text names them in each language: a namesake told apart."""
        name = self.name_of(member_id)
        return self.ours.get(member_id) or Text(name, name)

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
        return _closed(self._reasons, self._total)


def calendar_days(earlier_ms: int, later_ms: int) -> int:
    """Days from one UTC day to a later one (0 if not later): what a person counts between the
    two dates shown on the page ("submitted on 2026-11-05" is 30 days before 2026-12-05, at any
    hour of either day)."""
    return max(0, later_ms // DAY_MS - earlier_ms // DAY_MS)


def quote_days(opportunity: OpportunityFacts, now_ms: int) -> int | None:
    """Days a submitted quote has been before the budget holders, in calendar days
    (``calendar_days``): since it was submitted, or, for a quote submitted before the store recorded
    the day, at least since the deal entered its stage, the proposal where the quote goes in or
    one after it (None: no quote on the table, or no date to count from)."""
    since = opportunity.quote_submitted_at or opportunity.stage_entered_at
    if (
        opportunity.quote_status != QuoteStatus.SUBMITTED
        or opportunity.stage not in QUOTED_STAGES
        or since is None
    ):
        return None
    return calendar_days(since, now_ms)


def stage_days(opportunity: OpportunityFacts, now_ms: int) -> int | None:
    """Days an open deal has stood at its stage, in calendar days (``calendar_days``): since it
    entered it, a deal moved back since it re-entered it (None: closed, or no entry
    on record)."""
    since = opportunity.stage_entered_at
    if since is None or opportunity.stage in CLOSED_STAGES:
        return None
    return calendar_days(since, now_ms)


def stuck_level(stage: Stage, days: int | None, config: StrategyConfig) -> int:
    """How long a deal has sat at ``stage`` as a leader judges it ([health]
    stage_attention_days, stage_at_risk_days): 0 within them (or a stage not judged by its
    time), 1 past the attention days, 2 past the at-risk days."""
    hc = config.health
    attention, at_risk = hc.stage_attention_days[stage], hc.stage_at_risk_days[stage]
    if days is None or not attention or days <= attention:
        return 0
    return 2 if at_risk and days > at_risk else 1


WENT_BADLY = frozenset({Outcome.NEGATIVE, Outcome.VERY_NEGATIVE})
"""Outcomes that went against us: a contact that went badly, a reaction that is an objection."""
WENT_WELL = frozenset({Outcome.POSITIVE, Outcome.VERY_POSITIVE})
"""Outcomes that went our way: a contact that went well, a favourable reaction."""
_REACTED: Final[Mapping[Outcome, tuple[str, str]]] = {
    Outcome.VERY_NEGATIVE: ("very badly", "非常消极"),
    Outcome.NEGATIVE: ("badly", "消极"),
    Outcome.NEUTRAL: ("neutrally", "中性"),
    Outcome.POSITIVE: ("favourably", "积极"),
    Outcome.VERY_POSITIVE: ("very favourably", "非常积极"),
}
"""How someone took our new quote, as a reason says it."""


def standing_objection(ctx: PersonContext, now_ms: int) -> ActivityFacts | None:
    """Their price objection that stands unanswered by ``now_ms``: the latest price reaction on
    record (a pricing discussion's outcome counts as one, as the price score reads it) went
    badly."""
    heard = [a for a in ctx.activities if a.occurred_at <= now_ms and price_reaction(a)]
    last = max(heard, key=lambda a: (a.occurred_at, a.id), default=None)
    return last if last is not None and price_reaction(last) in WENT_BADLY else None


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


def ties_in_play(snapshot: ChainSnapshot) -> tuple[CompetitorTie, ...]:
    """The competitor ties that count on this deal. Once the deal records who bids, a tie to a
    competitor that is not bidding pulls nothing here: the person is nobody's ally in this
    fight (``analysis`` keeps a close one as a watch item). Until then the field is unknown,
    not empty, and every tie counts: it is the best evidence there is of who is in."""
    return split_ties(snapshot)[0]


def split_ties(
    snapshot: ChainSnapshot,
) -> tuple[tuple[CompetitorTie, ...], tuple[CompetitorTie, ...]]:
    """The ties that count on this deal (``ties_in_play``) and those to competitors recorded
    as not bidding on it (none while no competitor is recorded)."""
    if not snapshot.competitors:
        return snapshot.competitor_ties, ()
    bidding = {c.id for c in snapshot.competitors}
    ties = snapshot.competitor_ties
    return (
        tuple(t for t in ties if t.competitor_id in bidding),
        tuple(t for t in ties if t.competitor_id not in bidding),
    )


def build_contexts(snapshot: ChainSnapshot, now_ms: int) -> dict[str, PersonContext]:
    """Index the snapshot by chain member in one pass over each edge list (past activities)."""
    ids = {m.person_id for m in snapshot.members}
    knows: dict[str, list[TeamKnows]] = defaultdict(list)
    for k in snapshot.team_knows:
        if k.person_id in ids:
            knows[k.person_id].append(k)
    ties: dict[str, list[CompetitorTie]] = defaultdict(list)
    for t in ties_in_play(snapshot):
        if t.person_id in ids:
            ties[t.person_id].append(t)
    acts: dict[str, list[ActivityFacts]] = defaultdict(list)
    for a in snapshot.activities:
        if a.occurred_at > now_ms:  # planned, not happened (see happened_by)
            continue
        people = a.person_ids
        for pid in people if len(people) < 2 else dict.fromkeys(people):
            if pid in ids:
                acts[pid].append(a)
    # the key people by name too: a budget holder's price reasons name them
    names = {p.id: p.name for p in snapshot.persons} | snapshot.display_names()
    ours = snapshot.ours_told_apart()
    none: tuple[()] = ()
    return {
        m.person_id: PersonContext(
            m,
            tuple(knows[m.person_id]) if m.person_id in knows else none,
            tuple(ties[m.person_id]) if m.person_id in ties else none,
            tuple(acts[m.person_id]) if m.person_id in acts else none,
            names,
            ours,
        )
        for m in snapshot.members
    }


def _best_ties(knows: Sequence[TeamKnows], tie_points: Mapping[str, float]) -> list[TeamKnows]:
    """Each team member's strongest tie to the person, strongest first (ties by member id)."""
    if len(knows) < 2:
        return list(knows)
    best: dict[str, TeamKnows] = {}
    for k in knows:
        cur = best.get(k.member_id)
        if cur is None or tie_points[k.level] > tie_points[cur.level]:
            best[k.member_id] = k
    return sorted(best.values(), key=lambda k: (-tie_points[k.level], k.member_id))


# One activity as the scores read it, with the activity itself (see ``ChainScorer._terms``):
# (activity, id, when, closeness recency signal, closeness engagement weight (signed),
# solution reaction weight, price reaction weight); a weight of 0.0 does not count.
type _ActivityTerms = tuple[ActivityFacts, str, int, float, float, float, float, bool, bool]
"""An activity, its id and time, its recency signal, its weights in engagement, solution and
price, whether it heard the person on our price (a price reaction or a pricing talk), and
whether on our solution (a solution reaction, or a contact that shows the solution)."""


def _in_company(a: ActivityFacts) -> bool:
    """A contact with several of the customer's people: a steering group, a committee. One
    that went badly is no setback with those of them who back us (``ChainScorer.score``): a
    sales director, of the steering group meeting the executive vice president turned against
    us, "it went badly because of him, not our champion"."""
    return len(a.person_ids) > 1


def _haggle(terms: _ActivityTerms) -> bool:
    """A contact that went badly (NEGATIVE) because the person pushed on our price: it has a
    negative price reading (a negative price reaction, or a pricing discussion whose outcome is
    that reaction). With procurement that is haggling, not a souring relationship
    (``ChainScorer._closeness``). A VERY_NEGATIVE contact is more than haggling and stays a
    setback."""
    return terms[6] < 0 and terms[4] < 0 and terms[0].outcome is Outcome.NEGATIVE


def _reason(
    factor: str, points: int, evidence: tuple[Evidence, ...], text_en: str, text_zh: str
) -> Reason:
    # tuple.__new__ skips the named tuple's Python-level constructor: same object, made in a
    # fraction of the time (an analysis makes thousands).
    return _new_tuple(Reason, (factor, points, evidence, text_en, text_zh))


def _days_en(now_ms: int, a: ActivityFacts) -> str:
    """How long ago an activity took place, in whole days."""
    days = max(0, now_ms - a.occurred_at) // DAY_MS
    return f"{days} day ago" if days == 1 else f"{days} days ago"


def _days_zh(now_ms: int, a: ActivityFacts) -> str:
    return f"{max(0, now_ms - a.occurred_at) // DAY_MS}天前"


class Recut(NamedTuple):
    """Our quote changed since a price objection: from ``then`` to ``now``, last at ``at``."""

    then: int
    now: int
    at: int


def recut_since(opp: OpportunityFacts, at: int, least_share: float) -> Recut | None:
    """How our quote changed since a price objection made at ``at``: from the amount then to
    the amount now, last changed when, if by at least ``least_share`` (``price.recut_least_share``).
    With no quote on record then, the objection was to the first one entered after it (a quote
    typed in after the meeting where it was objected to)."""
    since = [m for m in opp.quote_moves if m.at > at]
    amounts = [a for a in (since[0].before, *(m.after for m in since)) if a] if since else []
    now = opp.quote_amount
    if not amounts or not now:
        return None
    then = amounts[0]
    if abs(now / then - 1.0) < least_share:
        return None
    return Recut(then, now, since[-1].at)


def price_reaction(a: ActivityFacts) -> Outcome | None:
    """How someone took our price at a contact: their stated price reaction, else a pricing
    discussion's outcome, else None (the contact said nothing of our price)."""
    if a.price_reaction is not None:
        return a.price_reaction
    return a.outcome if a.type == ActivityType.PRICING_DISCUSSION else None


def _closed_reasons(reasons: list[Reason], total: int) -> tuple[Reason, ...]:
    """The reasons of a raw sum ``total``, with a "clamped" reason when it leaves 0..100."""
    if total > 100:
        reasons.append(
            _reason(
                "clamped",
                100 - total,
                (),
                f"Score cannot go above 100 (reasons add up to {total})",
                f"分数最高为100（各项合计 {total}）",
            )
        )
    elif total < 0:
        # Its points are positive but it is no reason in their favour: the text says so.
        reasons.append(
            _reason(
                "clamped",
                -total,
                (),
                f"Score cannot go below 0 (reasons add up to {total})",
                f"分数最低为0（各项合计 {total}）",
            )
        )
    return tuple(reasons)


def _closed(reasons: list[Reason], total: int) -> Score:
    """The score of rounded reason points, with a "clamped" reason when the sum leaves 0..100."""
    return Score(100 if total > 100 else 0 if total < 0 else total, _closed_reasons(reasons, total))


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


_SOLUTION_REACTIONS: Final = (
    "solution_reactions",
    (
        "{} favourable reaction to our solution (demo/POC/exchange)",
        "{} favourable reactions to our solution (demo/POC/exchange)",
    ),
    "{}次对我方方案的正面反馈（演示/POC/交流）",
)
_SOLUTION_OBJECTIONS: Final = (
    "solution_objections",
    ("{} unfavourable reaction to our solution", "{} unfavourable reactions to our solution"),
    "{}次对我方方案的负面反馈",
)
_PRICE_REACTIONS: Final = (
    "price_reactions",
    ("{} favourable reaction to our price", "{} favourable reactions to our price"),
    "{}次对我方价格的正面反馈",
)
_PRICE_OBJECTIONS: Final = (
    "price_objections",
    ("{} price objection", "{} price objections"),
    "{}次对我方价格的异议",
)
_PRICE_OBJECTIONS_STANDING: Final = (
    "price_objections",
    (
        "{} price objection, unanswered: it counts in full until answered",
        "{} price objections, unanswered: they count in full until answered",
    ),
    "{}次对我方价格的异议，尚未化解：化解前全额计入，不随时间淡化",
)
_PRICE_OBJECTIONS_ANSWERED: Final = (
    "price_objections",
    (
        "{} price objection, answered in part by a pricing talk that went well",
        "{} price objections, answered in part by a pricing talk that went well",
    ),
    "{}次对我方价格的异议，已通过顺利的价格沟通化解一部分",
)
_PRICE_OBJECTIONS_WITHDRAWN: Final = (
    "price_objections",
    (
        "{} price objection, mostly answered by their own word that our price can work; the "
        "rest counts until the terms are settled",
        "{} price objections, mostly answered by their own word that our price can work; the "
        "rest counts until the terms are settled",
    ),
    "{}次对我方价格的异议，已因其本人表态我方价格可以接受而大部分化解；余下部分在条款谈定前仍计入",
)
_PRICE_OBJECTIONS_RECUT: Final = (
    "price_objections",
    (
        "{} price objection, answered in part by their word on our changed quote",
        "{} price objections, answered in part by their word on our changed quote",
    ),
    "{}次对我方价格的异议，已因其对我方调整后报价的回应化解一部分",
)
_NEEDS_FIT_TEXTS: Final = {v: (f"Needs fit: {_EN[v]}", f"需求匹配度：{_ZH[v]}") for v in NeedsFit}
_UNRECORDED_TEXTS: Final = (
    "Needs fit: not assessed, their needs are not recorded yet",
    "需求匹配度：未评估，尚未记录其需求",
)
_UNRATED_TEXTS: Final = (
    "Needs fit: not rated yet, though their needs are recorded",
    "需求匹配度：已记录需求，尚未评估",
)


def _fit_texts(m: MemberFacts) -> tuple[str, str]:
    """What the needs fit's reason says: a fit nobody judged says what to do about it."""
    if m.needs_fit != NeedsFit.UNKNOWN:
        return _NEEDS_FIT_TEXTS[m.needs_fit]
    return _UNRATED_TEXTS if m.needs_stated else _UNRECORDED_TEXTS


_ATTITUDE_TEXTS: Final = {v: (f"Attitude: {_EN[v]}", f"态度：{_ZH[v]}") for v in Attitude}
SUPPORTIVE: Final = frozenset({Attitude.SUPPORTER, Attitude.CHAMPION})
"""The attitudes of someone on our side."""
_HEARD_IN: Final = frozenset(ActivityType) - {ActivityType.EMAIL}
_HEARD_TIES: Final = frozenset(TieStrength) - {TieStrength.WEAK}


def hearsay(ctx: PersonContext) -> bool:
    """Their support for us (``SUPPORTIVE``) is what someone else told us: nobody of
    ours has heard it from them (no visit, meeting, call or the like with them on record, and
    nobody of ours knows them at least moderately), and no what-if says it is known at first
    hand. Support a champion's word won (``told_since``) is heard only at a contact since."""
    m = ctx.member
    if m.attitude not in SUPPORTIVE or m.heard:
        return False
    since = m.told_since  # a champion's word: only what we heard from them since counts
    if any(
        a.type in _HEARD_IN and (since is None or a.occurred_at >= since) for a in ctx.activities
    ):
        return False
    return not any(k.level in _HEARD_TIES for k in ctx.knows)


def _price_benchmark(
    competitors: Sequence[CompetitorFacts], points: Mapping[str, float]
) -> CompetitorFacts | None:
    """The competitor whose price position hurts ours most (ties by id)."""
    worst: CompetitorFacts | None = None
    for c in sorted(competitors, key=lambda c: c.id):
        if worst is None or points[c.price_position] < points[worst.price_position]:
            worst = c
    return worst


class ChainScorer:
    """Scores the members of one chain at ``now_ms``.

    What every member's scores share is worked out once per chain, not once per member: each
    activity's time decay and weights (an activity with two people is read once), the price
    benchmark, the role-level price reasons and the constant reasons and texts. An analysis
    scores every member and then re-scores a few dozen modelled changes. An activity's weights
    are the same float expressions whoever reads them, and each score's sums still add them in
    the member's activity order, so sharing changes no score in the last bit. One scorer serves
    one chain (its contexts share one names mapping: team tie texts are reused).
    """

    __slots__ = (
        "_activity_terms",
        "_attitude_points",
        "_base_closeness",
        "_base_price",
        "_base_solution",
        "_config",
        "_count_texts",
        "_day_ms",
        "_fit_points",
        "_guarded",
        "_met_no_tie",
        "_no_tie",
        "_now_ms",
        "_opportunity",
        "_price_estimate",
        "_price_estimates",
        "_price_prefix",
        "_quote_days",
        "_scale",
        "_solution_estimate",
        "_tender",
        "_tie_texts",
        "_worst",
    )

    def __init__(
        self,
        opportunity: OpportunityFacts,
        competitors: Sequence[CompetitorFacts],
        now_ms: int,
        config: StrategyConfig,
    ) -> None:
        self._opportunity = opportunity
        self._tender = tender_since(opportunity)
        # Whose social contacts may be a ``breach``: the supervisors, the evaluators in a tender.
        self._guarded = SUPERVISORS | (EVALUATORS if self._tender is not None else frozenset())
        self._now_ms = now_ms
        # Contacts cool by the day, not by the hour: ages are counted from the start of the UTC
        # day, so an analysis holds all day, as the analyses kept for a day promise
        # (``resolvers.derived.valid_until``), and an hour later the likelihood reads the same.
        self._day_ms = now_ms // DAY_MS * DAY_MS
        self._config = config
        self._scale = config.decay.half_life_days * DAY_MS
        # How long a submitted quote has been before the budget holders (``quote_days``).
        self._quote_days = quote_days(opportunity, now_ms)
        self._worst = _price_benchmark(competitors, config.price.competitor_price_points)
        sc = config.solution
        self._fit_points = {k: round(v) for k, v in sc.needs_fit_points.items()}
        self._attitude_points = {k: round(v) for k, v in sc.attitude_points.items()}
        self._base_closeness = _reason(
            "base",
            config.closeness.base,
            (),
            "Where anyone starts, before we know them",
            "初始分：尚未相识时的起点",
        )
        # The neutral starting point the person's views move (it is there with views too).
        self._base_solution = _reason(
            "base",
            sc.base,
            (),
            "Where anyone starts: a neutral view of our solution",
            "初始分：对我方方案的中性看法",
        )
        self._base_price = _reason(
            "base",
            config.price.base,
            (),
            "Where anyone starts: a neutral view of our price",
            "初始分：对我方价格的中性看法",
        )
        self._no_tie = _reason(
            "team_tie", 0, (), "Nobody on our team knows them", "我方无人与其相识"
        )
        self._met_no_tie = _reason(
            "team_tie",
            0,
            (),
            "Met at our contacts, but no tie of ours to them is on record: record who of ours "
            "knows them, and how well",
            "已有接触，但尚未记录我方谁与其相识：请记录我方谁认识其及熟悉程度",
        )
        # Keyed by id(); each entry keeps its activity alive, so an id is never reused meanwhile.
        self._activity_terms: dict[int, _ActivityTerms] = {}
        self._price_prefix: dict[DecisionRole, tuple[tuple[Reason, ...], int, Score]] = {}
        self._price_estimates: dict[DecisionRole, Score] = {}
        self._price_estimate = _reason(
            "price_estimate",
            0,
            (),
            "An estimate: nobody of ours has heard their view of our price yet (no pricing "
            "talk, no reaction on record); it reads the budget and rivals' prices for their role",
            "估算值：我方尚未听到其对我方价格的看法（没有价格沟通，也无反馈记录），"
            "仅按其角色参照预算与对手价格推算",
        )
        self._solution_estimate = _reason(
            "solution_estimate",
            0,
            (),
            "An estimate: nobody of ours has heard their view of our solution yet (no exchange, "
            "demo, test or visit with them, no reaction on record); it reads their needs and "
            "attitude",
            "估算值：我方尚未听到其对我方方案的看法（未与其做过交流、演示、测试或参观，也无反馈记录），"
            "仅按其需求与态度推算",
        )
        self._tie_texts: dict[tuple[str, str], tuple[str, str]] = {}
        self._count_texts: dict[tuple[str, int], tuple[str, str]] = {}

    def score(self, ctx: PersonContext) -> PersonScores:
        """All three scores of one member, from one pass over their activities: each factor's
        points now, the reasons when read (``Score``)."""
        memo = self._activity_terms
        best: tuple[float, int, str] | None = None
        close_pos = close_neg = sol_pos = sol_neg = price_pos = price_neg = 0.0
        guarded = ctx.member.role in self._guarded
        negotiator = ctx.member.role in PRICE_NEGOTIATORS
        backer = ctx.member.attitude in SUPPORTIVE
        haggling = 0.0
        priced = shown = False
        for a in self._weighed(ctx) if guarded else ctx.activities:
            terms = memo.get(id(a))
            if terms is None or terms[0] is not a:
                terms = memo[id(a)] = self._activity(a)
            _, aid, at, signal, engagement, solution, price, heard, seen = terms
            priced = priced or heard
            shown = shown or seen
            if signal > 0 and (best is None or (signal, at, aid) > best):
                best = (signal, at, aid)
            # A sum of positive weights is positive: "> 0" below means "some activity counts".
            if engagement > 0:
                close_pos += engagement
            elif engagement < 0:
                if negotiator and _haggle(terms):
                    haggling -= engagement
                elif not (backer and _in_company(a)):
                    close_neg -= engagement
            if solution > 0:
                sol_pos += solution
            elif solution < 0:
                sol_neg -= solution
            if price > 0:
                price_pos += price
            elif price < 0:
                price_neg -= price
        answered = 0
        if price_neg > 0:
            price_neg, answered = self._objections(ctx)
        price_score, price_raw = self._price(ctx, price_pos, price_neg, answered, priced)
        return PersonScores(
            ctx.member.person_id,
            self._closeness(ctx, best, close_pos, close_neg, haggling),
            self._solution(ctx, sol_pos, sol_neg, shown),
            price_score,
            price_raw,
            self._price_silent(ctx, price_neg),
            self._objection_quiet(ctx) if price_neg > 0 else None,
        )

    def _objection_quiet(self, ctx: PersonContext) -> int | None:
        """``PersonScores.objection_quiet_days``."""
        if ctx.member.role not in BUDGET_HOLDERS:
            return None
        now = self._now_ms
        if standing_objection(ctx, now) is None:
            return None
        last = max((a.occurred_at for a in ctx.activities if a.occurred_at <= now), default=None)
        return None if last is None else max(0, self._day_ms - last) // DAY_MS

    def _price_silent(self, ctx: PersonContext, price_neg: float) -> bool:
        """``PersonScores.price_silent``: a budget holder who has not reacted to our quote in
        the ``price.untested_after_days`` since it went in. One whose objection is on record has
        reacted: their objection is read, not their silence."""
        days = self._quote_days
        return (
            ctx.member.role in BUDGET_HOLDERS
            and price_neg <= 0
            and days is not None
            and days >= self._config.price.untested_after_days
            and not self._price_tested(ctx, self._opportunity.quote_submitted_at)
        )

    def _weighed(self, ctx: PersonContext) -> Sequence[ActivityFacts]:
        """The member's activities their scores read: all but a compliance ``breach``."""
        role = ctx.member.role
        if role not in self._guarded:
            return ctx.activities
        return [a for a in ctx.activities if not breach(role, a, self._tender)]

    def _activity(self, a: ActivityFacts) -> _ActivityTerms:
        """One activity's decay and its weight in each score (0.0: it does not count there)."""
        cc, sc = self._config.closeness, self._config.solution
        f = 0.5 ** (max(0, self._day_ms - a.occurred_at) / self._scale)
        ow = cc.outcome_weights
        kind = cc.type_weights[a.type]
        recency = cc.recency_points * f * min(1.0, kind) * cc.recency_outcome_factors[a.outcome]
        engagement = ow[a.outcome] * kind * f
        solution = 0.0
        type_weight = sc.type_weights.get(a.type)
        sw = sc.reaction_weights
        if a.solution_reaction is not None:
            weight = type_weight if type_weight is not None else sc.other_reaction_weight
            solution = weight * sw[a.solution_reaction] * f
        elif type_weight is not None:
            solution = type_weight * sw[a.outcome] * f
        shown = a.solution_reaction is not None or type_weight is not None
        price = 0.0
        pw = self._config.price.reaction_weights
        heard = True
        if a.price_reaction is not None:
            price = pw[a.price_reaction] * f
        elif a.type == ActivityType.PRICING_DISCUSSION:
            price = pw[a.outcome] * f
        else:
            heard = False
        if price > 0 and a.type == ActivityType.PRICING_DISCUSSION:
            price *= self._config.price.stated_weight
        return (a, a.id, a.occurred_at, recency, engagement, solution, price, heard, shown)

    def _objections(self, ctx: PersonContext) -> tuple[float, int]:
        """The weight of the member's price objections and how many of them were answered in
        part. An objection counts in full until it is answered (``price.objections_fade``
        false: it does not fade with time), and each favourable price reaction after it at a
        kind of contact in ``price.objection_answered_share`` clears that share of what is left
        of it: a pricing workshop that went well clears about half; their own stated word in a
        pricing discussion that our price can work clears ``price.objection_withdrawn_share``."""
        pc = self._config.price
        memo = self._activity_terms
        terms = []
        for a in self._weighed(ctx):
            t = memo.get(id(a))
            if t is None or t[0] is not a:
                t = memo[id(a)] = self._activity(a)
            terms.append(t)
        total, answered = 0.0, 0
        for a, _, at, _, _, _, price, _, _ in terms:
            if price >= 0:
                continue
            weight = -price
            if not pc.objections_fade:
                reaction = a.price_reaction if a.price_reaction is not None else a.outcome
                weight = -pc.reaction_weights[reaction]
            recut = self._recut(at)
            cut_at = None
            if recut is not None:
                if recut.now > recut.then:
                    weight *= pc.recut_raised_weight
                else:
                    cut_at = recut.at
            left, met = 1.0, False
            for b, _, later, _, _, _, answer, _, _ in terms:
                if later <= at:
                    continue
                share = pc.objection_answered_share.get(b.type, 0.0) if answer > 0 else 0.0
                if b.price_reaction is not None and b.type is ActivityType.PRICING_DISCUSSION:
                    share = max(share, pc.objection_withdrawn_share.get(b.price_reaction, 0.0))
                told = price_reaction(b) if cut_at is not None and later > cut_at else None
                if told is not None:
                    share = max(share, pc.recut_answered_share.get(told, 0.0))
                # their calm word on a quote cut for them answers it in part, as a talk that
                # went well does: the objection no longer stands with no answer
                met = met or share > 0
                if share:
                    left *= 1.0 - share
            answered += met
            total += weight * left
        if ctx.member.role in PRICE_NEGOTIATORS:
            # Procurement pushing on our price is doing his job: his push weighs a share of a
            # budget holder's objection (a sales director: about half), however often he pushed.
            total *= pc.procurement_push_share
        return total, answered

    def _recut(self, at: int) -> Recut | None:
        return recut_since(self._opportunity, at, self._config.price.recut_least_share)

    def _recut_note(self, ctx: PersonContext) -> Reason | None:
        """What became of the member's latest price objection since our quote changed (a
        reason of 0 points: the objection's own points count it): not yet put to them, their
        reaction to the new quote, or a dearer quote that weighs it more."""
        objections = [a for a in ctx.activities if (price_reaction(a) or "") in WENT_BADLY]
        if not objections:
            return None
        said = max(objections, key=lambda a: (a.occurred_at, a.id))
        recut = self._recut(said.occurred_at)
        if recut is None:
            return None
        pc, opp = self._config.price, self._opportunity
        who = ctx.name_of(ctx.person_id)
        then, now = money(recut.then, opp.currency), money(recut.now, opp.currency)
        if recut.now > recut.then:
            times = f"{pc.recut_raised_weight:g}"
            en = (
                f"Our quote went up from {then.en} to {now.en} after {who}'s objection: it "
                f"weighs ×{times} until they accept the new price"
            )
            zh = (
                f"{who}提出异议后，我方报价反从{then.zh}提高到{now.zh}："
                f"在其接受新价格前，异议按{times}倍计"
            )
            return _reason("quote_recut", 0, (), en, zh)
        after = [a for a in ctx.activities if a.occurred_at > recut.at and price_reaction(a)]
        en = f"Our quote went from {then.en} to {now.en} after {who}'s objection"
        zh = f"{who}提出异议后，我方报价已从{then.zh}调整为{now.zh}"
        if not after:
            en += ", and it has not been put to them since: the objection stands until they react"
            zh += "，此后尚未向其呈现：在其回应前异议依然有效"
            return _reason("quote_recut", 0, (), en, zh)
        # their word on our price since the cut is no objection: an objection after the cut
        # would be their latest, and no cut follows it
        last = max(after, key=lambda a: (a.occurred_at, a.id))
        told = price_reaction(last) or Outcome.NEUTRAL
        share = pc.recut_answered_share.get(told, 0.0)
        how_en = "neutrally" if told is Outcome.NEUTRAL else "favourably"
        how_zh = "中性" if told is Outcome.NEUTRAL else "积极"
        en += f"; they reacted {how_en} to it, which clears {share:.0%} of the objection"
        zh += f"；其对新报价反应{how_zh}，异议化解{share:.0%}"
        return _reason("quote_recut", 0, (), en, zh)

    def _ids(self, ctx: PersonContext, slot: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Ids of the member's activities weighing for (> 0) and against (< 0) one score, in
        activity order; ``slot``: 1 engagement, 2 solution, 3 price (see ``_ActivityTerms``)."""
        memo = self._activity_terms
        pos: list[str] = []
        neg: list[str] = []
        for a in self._weighed(ctx):
            terms = memo.get(id(a))
            if terms is None or terms[0] is not a:
                terms = memo[id(a)] = self._activity(a)
            weight = terms[3:][slot]
            if weight > 0:
                pos.append(terms[1])
            elif weight < 0:
                neg.append(terms[1])
        return tuple(pos), tuple(neg)

    def _haggle_ids(self, ctx: PersonContext) -> tuple[str, ...]:
        """Ids of the member's contacts that went badly because they pushed on our price
        (``_haggle``), in activity order."""
        memo = self._activity_terms
        ids: list[str] = []
        for a in self._weighed(ctx):
            terms = memo.get(id(a))
            if terms is None or terms[0] is not a:
                terms = memo[id(a)] = self._activity(a)
            if _haggle(terms):
                ids.append(terms[1])
        return tuple(ids)

    def _counted(self, key: str, n: int, en: tuple[str, str], zh: str) -> tuple[str, str]:
        """Texts "n things" (English: ``en`` is the text for one and for several; Chinese),
        made once per key and count."""
        texts = self._count_texts.get((key, n))
        if texts is None:
            texts = self._count_texts[(key, n)] = (en[n != 1].format(n), zh.format(n))
        return texts

    def _closeness(
        self,
        ctx: PersonContext,
        best: tuple[float, int, str] | None,
        pos_sum: float,
        neg_sum: float,
        haggle_sum: float,
    ) -> Score:
        """Relationship closeness: team ties, breadth, recency, engagement, setbacks, rivals.

        ``haggle_sum``: the weight of a procurement member's contacts that went badly because he
        pushed on our price (``_haggle``). Haggling is not a souring relationship: they are no
        setback, and together they cost at most ``closeness.procurement_haggle_cap`` points."""
        cc = self._config.closeness
        tie = breadth = 0
        if ctx.knows:
            tie_points = cc.tie_points
            ties = _best_ties(ctx.knows, tie_points)
            tie = round(tie_points[ties[0].level])
            if len(ties) > 1:
                raw = cc.breadth_factor * sum(tie_points[k.level] for k in ties[1:])
                breadth = round(min(cc.breadth_cap, raw))
        recency = 0 if best is None else round(best[0])
        engagement = setbacks = haggling = pull = 0
        if pos_sum > 0:
            engagement = round(saturate(pos_sum, cc.engagement_cap, cc.engagement_scale))
        if neg_sum > 0:
            setbacks = round(-saturate(neg_sum, cc.setback_cap, cc.setback_scale))
        if haggle_sum > 0:
            haggling = round(-saturate(haggle_sum, cc.procurement_haggle_cap, cc.setback_scale))
        if ctx.competitor_ties:
            pull_sum = sum(cc.competitor_pull[t.level] for t in ctx.competitor_ties)
            pull = round(-min(cc.competitor_pull_cap, pull_sum))
        return _deferred(
            cc.base + tie + breadth + recency + engagement + setbacks + haggling + pull,
            ChainScorer._closeness_reasons,
            (self, ctx, best, tie, breadth, recency, engagement, setbacks, haggling, pull),
        )

    def _closeness_reasons(
        self,
        ctx: PersonContext,
        best: tuple[float, int, str] | None,
        tie: int,
        breadth: int,
        recency: int,
        engagement: int,
        setbacks: int,
        haggling: int,
        pull: int,
    ) -> tuple[Reason, ...]:
        """The reasons behind ``_closeness``'s points."""
        cc = self._config.closeness
        pid = ctx.member.person_id
        reasons = [self._base_closeness]
        if ctx.knows:
            ties = _best_ties(ctx.knows, cc.tie_points)
            if tie:
                top = ties[0]
                texts = self._tie_texts.get((top.member_id, top.level))
                if texts is None:
                    ours, level = ctx.one_of_ours(top.member_id), top.level
                    texts = self._tie_texts[(top.member_id, level)] = (
                        f"Strongest team tie: {ours.en} ({_EN[level]})",
                        f"我方最强关系：{ours.zh}（{_ZH[level]}）",
                    )
                evidence: tuple[Evidence, ...] = (
                    _new_tuple(Evidence, ("KNOWS", (top.member_id, pid))),
                )
                reasons.append(_new_tuple(Reason, ("team_tie", tie, evidence, *texts)))
            if breadth:
                others: tuple[Evidence, ...] = tuple(
                    _new_tuple(Evidence, ("KNOWS", (k.member_id, pid))) for k in ties[1:]
                )
                en, zh = self._counted(
                    "breadth",
                    len(ties) - 1,
                    ("{} more team member knows them", "{} more team members know them"),
                    "另有{}名团队成员与其相识",
                )
                reasons.append(_new_tuple(Reason, ("team_breadth", breadth, others, en, zh)))
        else:
            met = any(a.occurred_at <= self._now_ms for a in self._weighed(ctx))
            reasons.append(self._met_no_tie if met else self._no_tie)
        if recency:
            assert best is not None
            reasons.append(self._recency_reason(ctx, best[2], recency))
        if engagement or setbacks or haggling:
            pos_ids, neg_ids = self._ids(ctx, 1)
            if ctx.member.attitude in SUPPORTIVE:  # as ``score`` counts them
                company = {a.id for a in ctx.activities if _in_company(a)}
                neg_ids = tuple(aid for aid in neg_ids if aid not in company)
            haggle_ids: tuple[str, ...] = ()
            if haggling:
                haggle_ids = self._haggle_ids(ctx)
                neg_ids = tuple(aid for aid in neg_ids if aid not in haggle_ids)
            if engagement:
                en, zh = self._counted(
                    "engagement",
                    len(pos_ids),
                    (
                        "{} activity with a good or neutral outcome (recent ones count more)",
                        "{} activities with good or neutral outcomes (recent ones count more)",
                    ),
                    "{}次结果正面或中性的活动（越近权重越高）",
                )
                evidence = (_new_tuple(Evidence, ("ACTIVITY", pos_ids)),)
                reasons.append(_new_tuple(Reason, ("engagement", engagement, evidence, en, zh)))
            if setbacks:
                en, zh = self._counted(
                    "setbacks",
                    len(neg_ids),
                    ("{} activity went badly", "{} activities went badly"),
                    "{}次活动结果负面",
                )
                evidence = (_new_tuple(Evidence, ("ACTIVITY", neg_ids)),)
                reasons.append(_new_tuple(Reason, ("setbacks", setbacks, evidence, en, zh)))
            if haggling:
                who = ctx.name_of(pid)
                cap = f"{cc.procurement_haggle_cap:g}"
                en, zh = self._counted(
                    f"haggling {who}",
                    len(haggle_ids),
                    (
                        f"{who} pushed on our price in {{}} contact that went badly: haggling "
                        f"is procurement's job, not a souring relationship (at most {cap} points)",
                        f"{who} pushed on our price in {{}} contacts that went badly: haggling "
                        f"is procurement's job, not a souring relationship (at most {cap} points)",
                    ),
                    f"{who}在{{}}次结果负面的接触中对我方价格压价：压价是采购的本职工作，"
                    f"并不说明关系变差（最多扣{cap}分）",
                )
                evidence = (_new_tuple(Evidence, ("ACTIVITY", haggle_ids)),)
                reasons.append(_new_tuple(Reason, ("haggling", haggling, evidence, en, zh)))
        if pull:
            rivals = sorted({ctx.name_of(t.competitor_id) for t in ctx.competitor_ties})
            reasons.append(
                _reason(
                    "competitor_pull",
                    pull,
                    tuple(
                        _new_tuple(Evidence, ("CLOSE_TO", (t.competitor_id, pid)))
                        for t in ctx.competitor_ties
                    ),
                    f"Close to competitor(s): {', '.join(rivals)}",
                    f"与竞争对手关系密切：{'、'.join(rivals)}",
                )
            )
        total = cc.base + tie + breadth + recency + engagement + setbacks + haggling + pull
        return _closed_reasons(reasons, total)

    def _recency_reason(self, ctx: PersonContext, best_id: str, points: int) -> Reason:
        """The last contact of any kind, as a sales team calls it, and, when the points rest on
        another (an older visit outweighs a recent e-mail by type and result), that one too."""
        best = last = ctx.activities[0]
        for a in ctx.activities:
            if a.id == best_id:
                best = a
            if (a.occurred_at, a.id) > (last.occurred_at, last.id):
                last = a
        days = _days_en(self._now_ms, last)
        en_type, zh_type = _EN[last.type], _ZH[last.type]
        if last is best:
            en = f"Last contact {days} ({en_type}), weighted by type and result"
            zh = f"最近一次接触在{_days_zh(self._now_ms, last)}（{zh_type}，按类型和结果加权）"
            ids: tuple[str, ...] = (best.id,)
        else:
            en = (
                f"Last contact {days} ({en_type}); recency points from the one "
                f"{_days_en(self._now_ms, best)} ({_EN[best.type]}), weighted by type and result"
            )
            zh = (
                f"最近一次接触在{_days_zh(self._now_ms, last)}（{zh_type}）；按类型和结果加权，"
                f"计分依据为{_days_zh(self._now_ms, best)}的接触（{_ZH[best.type]}）"
            )
            ids = (last.id, best.id)
        evidence = (_new_tuple(Evidence, ("ACTIVITY", ids)),)
        return _new_tuple(Reason, ("recency", points, evidence, en, zh))

    def _reaction_reasons(
        self,
        reasons: list[Reason],
        points: tuple[int, int],
        ids: tuple[tuple[str, ...], tuple[str, ...]],
        favourable: tuple[str, tuple[str, str], str],
        unfavourable: tuple[str, tuple[str, str], str],
    ) -> None:
        """Append the reasons for the favourable and the unfavourable reactions' ``points``, each
        naming the activities (``ids``) behind it; ``favourable``/``unfavourable`` are (factor,
        English for one and for several, Chinese)."""
        for got, activity_ids, (factor, english, chinese) in zip(
            points, ids, (favourable, unfavourable), strict=True
        ):
            if got:
                # keyed by the wording too: one factor may be worded several ways
                en, zh = self._counted(english[0], len(activity_ids), english, chinese)
                evidence = (_new_tuple(Evidence, ("ACTIVITY", activity_ids)),)
                reasons.append(_new_tuple(Reason, (factor, got, evidence, en, zh)))

    @staticmethod
    def _reaction_points(pos_sum: float, neg_sum: float, caps: _ReactionCaps) -> tuple[int, int]:
        """Saturated points of the favourable (>= 0) and the unfavourable (<= 0) reactions."""
        pos = neg = 0
        if pos_sum > 0:
            pos = round(saturate(pos_sum, caps.positive_cap, caps.positive_scale))
        if neg_sum > 0:
            neg = round(-saturate(neg_sum, caps.negative_cap, caps.negative_scale))
        return pos, neg

    def _solution(self, ctx: PersonContext, pos_sum: float, neg_sum: float, shown: bool) -> Score:
        """Solution acceptance: needs fit, attitude, and solution reactions (POC counts most);
        ``shown``: whether any contact heard them on our solution, else the figure is an
        estimate."""
        m = ctx.member
        sc = self._config.solution
        fit = self._fit_points[m.needs_fit]
        attitude = self._attitude_points[m.attitude]
        if attitude > 0 and hearsay(ctx):
            attitude = round(attitude * self._config.support.hearsay_credit)
        pos, neg = 0, 0
        if pos_sum or neg_sum:
            pos, neg = self._reaction_points(pos_sum, neg_sum, sc)
        return _deferred(
            sc.base + fit + attitude + pos + neg,
            ChainScorer._solution_reasons,
            (self, ctx, fit, attitude, pos, neg, shown),
        )

    def _solution_reasons(
        self, ctx: PersonContext, fit: int, attitude: int, pos: int, neg: int, shown: bool
    ) -> tuple[Reason, ...]:
        """The reasons behind ``_solution``'s points."""
        m = ctx.member
        edge = (_new_tuple(Evidence, ("IN_DECISION_CHAIN", (m.person_id,))),)
        reasons = [
            self._base_solution,
            _new_tuple(Reason, ("needs_fit", fit, edge, *_fit_texts(m))),
        ]
        if attitude:
            texts = _ATTITUDE_TEXTS[m.attitude]
            if attitude < self._attitude_points[m.attitude]:  # hearsay: only others told us
                credit = f"{self._config.support.hearsay_credit:.0%}"
                texts = (
                    f"{texts[0]}, only what others told us (counted at {credit})",
                    f"{texts[1]}，仅为他人转述（按{credit}计）",
                )
            reasons.append(_new_tuple(Reason, ("attitude", attitude, edge, *texts)))
        if pos or neg:
            self._reaction_reasons(
                reasons, (pos, neg), self._ids(ctx, 2), _SOLUTION_REACTIONS, _SOLUTION_OBJECTIONS
            )
        if not shown:
            reasons.append(self._solution_estimate)
        total = self._config.solution.base + fit + attitude + pos + neg
        return _closed_reasons(reasons, total)

    def _price(
        self, ctx: PersonContext, pos_sum: float, neg_sum: float, answered: int, heard: bool
    ) -> tuple[Score, int]:
        """Price acceptance: budget vs quote and rivals' prices (scaled by role), price reactions
        (``answered``: how many objections were answered in part, ``_objections``; ``heard``:
        whether any contact heard them on our price, else the figure is an estimate); with the
        sum before the cut-off at 0..100.

        The budget and rival reasons depend on the member's role only: made once per role, and
        so is the (immutable) score of a member without price reactions."""
        role = ctx.member.role
        prefix = self._price_prefix.get(role)
        if prefix is None:
            reasons_of_role, total_of_role = self._price_reasons(role)
            plain = _closed(list(reasons_of_role), total_of_role)
            prefix = self._price_prefix[role] = (reasons_of_role, total_of_role, plain)
        held = self._held_back(ctx, prefix, pos_sum, neg_sum, answered, heard)
        if not pos_sum and not neg_sum and not held:
            if heard:
                return prefix[2], prefix[1]
            return self._estimated_price(role, prefix), prefix[1]
        pos, neg = 0, 0
        if pos_sum or neg_sum:
            pos, neg = self._reaction_points(pos_sum, neg_sum, self._config.price)
        rival = self._rival_in_objection(prefix) if neg_sum > 0 else None
        raw = prefix[1] + pos + neg + sum(r.points for r in held)
        raw -= rival.points if rival is not None else 0
        args = (self, ctx, prefix, pos, neg, held, answered, rival, heard)
        return _deferred(raw, ChainScorer._price_reactions, args), raw

    def _estimated_price(
        self, role: DecisionRole, prefix: tuple[tuple[Reason, ...], int, Score]
    ) -> Score:
        """The price acceptance of a member nobody of ours has heard on our price: the same
        figure, said to be an estimate, so that a sales leader does not read it as measured
        (one per role, as the figure is)."""
        estimated = self._price_estimates.get(role)
        if estimated is None:
            reasons = [*prefix[0], self._price_estimate]
            estimated = self._price_estimates[role] = _closed(reasons, prefix[1])
        return estimated

    def _rival_in_objection(self, prefix: tuple[tuple[Reason, ...], int, Score]) -> Reason | None:
        """The rival's lower price a member's price objection already weighs, or None: the
        cheaper offer is what they object to (a finance head comparing our quote with the
        rival's subscription), so it counts once, in the objection, not again beside it
        (``price.objection_includes_rival_price``)."""
        if not self._config.price.objection_includes_rival_price:
            return None
        return next((r for r in prefix[0] if r.factor == "competitor_price" and r.points < 0), None)

    def _held_back(
        self,
        ctx: PersonContext,
        prefix: tuple[tuple[Reason, ...], int, Score],
        pos_sum: float,
        neg_sum: float,
        answered: int,
        heard: bool,
    ) -> tuple[Reason, ...]:
        """What a budget holder's price acceptance is not credited with (reasons of <= 0
        points; ``heard``: whether any contact heard them on our price). One whose objection to
        our price stands unanswered is not credited with the budget's cover of our quote
        (``price.objection_withholds_budget``); else the better cover of a quote cut since their
        last word on our price counts only in part until they react to it
        (``price.budget_recut_kept``); and one who has not reacted to our price
        ``price.untested_after_days`` after the quote went in is read at most
        ``price.untested_cap``: silence is not acceptance."""
        if ctx.member.role not in BUDGET_HOLDERS:
            return ()
        pc = self._config.price
        who = ctx.name_of(ctx.person_id)
        edge = (_new_tuple(Evidence, ("OPPORTUNITY", (self._opportunity.id,))),)
        if neg_sum > 0:
            cover = next((r for r in prefix[0] if r.factor == "budget_vs_quote"), None)
            withheld = pc.objection_withholds_budget and not answered
            if withheld and cover is not None and cover.points > 0:
                ratio = self._budget_ratio() or 0.0  # known: it earned the cover withheld
                return (
                    _reason(
                        "budget_withheld",
                        -cover.points,
                        edge,
                        f"The budget covers {ratio:.0%} of our quote, but that is not "
                        f"credited while {who}'s objection to our price stands unanswered",
                        f"预算虽覆盖我方报价的{ratio:.0%}，但{who}对我方价格的异议尚未化解，不予计入",
                    ),
                )
        recut = self._budget_recut(ctx, edge)
        if pos_sum or neg_sum:
            return recut
        days = self._quote_days
        if days is None or days < pc.untested_after_days:
            return recut
        excess = prefix[1] + sum(r.points for r in recut) - pc.untested_cap
        if excess <= 0 or heard:
            return recut
        return (
            *recut,
            _reason(
                "price_untested",
                -excess,
                edge,
                f"{who} has not reacted to our price in the {days} days since the quote went "
                f"in: untested, so read at most {pc.untested_cap}/100 (silence is not "
                "acceptance)",
                f"报价递交{days}天来，{who}从未对我方价格表态：尚未经过检验，最多按"
                f"{pc.untested_cap}/100计（沉默不等于接受）",
            ),
        )

    def _budget_recut(self, ctx: PersonContext, edge: tuple[Evidence, ...]) -> tuple[Reason, ...]:
        """The part of a budget holder's better budget cover, from a quote cut since their last
        word on our price, not yet credited: the number fits the budget on paper, but only they
        can accept it. Until they react to the new quote ``price.budget_recut_kept["UNSEEN"]``
        of the old cover's shortfall still counts, then the share kept for their reaction (a
        sales leader: half unseen, a fifth after a neutral "we'll look at it", none after a
        favourable word). A raise counts at once, as bad news does."""
        opp, pc = self._opportunity, self._config.price
        if opp.budget is None or not opp.quote_moves:
            return ()
        words = [(a.occurred_at, a.id, r) for a in ctx.activities if (r := price_reaction(a))]
        last_move = opp.quote_moves[-1].at
        before = max((at for at, _, _ in words if at <= last_move), default=-1)
        recut = self._recut(before)
        if recut is None or recut.now >= recut.then:
            return ()
        sens = pc.role_sensitivity[ctx.member.role]
        old = round(graded_points(pc.budget_bands, opp.budget / recut.then) * sens)
        new = round(graded_points(pc.budget_bands, opp.budget / recut.now) * sens)
        if new <= old:
            return ()
        after = max((w for w in words if w[0] > recut.at), default=None)
        told = "UNSEEN" if after is None else after[2].name
        kept = pc.budget_recut_kept.get(told, pc.budget_recut_kept["UNSEEN"])
        points = -round(kept * (new - old))
        if not points:
            return ()
        who = ctx.name_of(ctx.person_id)
        then, now = money(recut.then, opp.currency), money(recut.now, opp.currency)
        budget = money(opp.budget, opp.currency)
        counts = f"{1.0 - kept:.0%}"
        en = f"Our quote went from {then.en} to {now.en} against a budget of {budget.en}"
        zh = f"我方报价已从{then.zh}调整为{now.zh}（预算{budget.zh}）"
        if after is None:
            en += (
                f", but {who} has not seen it yet: the better fit with the budget counts "
                f"{counts} until they react"
            )
            zh += f"，但{who}尚未看到新报价：在其回应前，与预算更相符的部分按{counts}计"
        else:
            how_en, how_zh = _REACTED[after[2]]
            en += (
                f", and {who} reacted {how_en} to it: the better fit with the budget counts "
                f"{counts}"
            )
            zh += f"，{who}对新报价反应{how_zh}：与预算更相符的部分按{counts}计"
        return (_reason("budget_recut", points, edge, en, zh),)

    def _budget_ratio(self) -> float | None:
        """The budget over our quote (the quote falls back to the amount); None when either
        is unknown."""
        opportunity = self._opportunity
        quote = opportunity.quote_amount or opportunity.amount
        return None if opportunity.budget is None or quote <= 0 else opportunity.budget / quote

    def _price_tested(self, ctx: PersonContext, since: int | None = None) -> bool:
        """Whether the member reacted to our price at all (``since``: on or after then): a
        price reaction on record or a pricing discussion, whatever its outcome ("we follow the
        procedure" is an answer)."""
        return any(
            (a.price_reaction is not None or a.type == ActivityType.PRICING_DISCUSSION)
            and (since is None or a.occurred_at >= since)
            for a in self._weighed(ctx)
        )

    def _price_reactions(
        self,
        ctx: PersonContext,
        prefix: tuple[tuple[Reason, ...], int, Score],
        pos: int,
        neg: int,
        held: tuple[Reason, ...],
        answered: int,
        rival: Reason | None = None,
        heard: bool = True,
    ) -> tuple[Reason, ...]:
        """The reasons behind ``_price``'s points for a member with price reactions or with
        something not credited (``held``); ``rival``: the rival's lower price their objection
        already weighs, shown at 0 points; not ``heard`` on our price, the figure is still said
        to be an estimate (a quote cut they have not seen makes it no measurement)."""
        reasons = list(prefix[0])
        if rival is not None and self._worst is not None:
            who, cheaper = ctx.name_of(ctx.person_id), self._worst.name
            reasons[reasons.index(rival)] = _reason(
                rival.factor,
                0,
                rival.evidence,
                f"{cheaper} is priced below us: that is part of what {who} objected to, so it "
                "counts in the objection, not again",
                f"{cheaper}报价低于我方：这正是{who}对我方价格提出异议的理由之一，"
                "已计入其异议，不再重复扣分",
            )
        reasons.extend(held)
        objections = _PRICE_OBJECTIONS
        if neg:
            if answered:
                objections = self._objections_answer(ctx)
            elif not self._config.price.objections_fade:
                objections = _PRICE_OBJECTIONS_STANDING
            if ctx.member.role in PRICE_NEGOTIATORS:
                objections = self._pushes(ctx, objections)
        self._reaction_reasons(reasons, (pos, neg), self._ids(ctx, 3), _PRICE_REACTIONS, objections)
        note = self._recut_note(ctx) if neg else None
        if note is not None:
            reasons.append(note)
        if not heard:
            reasons.append(self._price_estimate)
        total = prefix[1] + pos + neg + sum(r.points for r in held)
        total -= rival.points if rival is not None else 0
        return _closed_reasons(reasons, total)

    def _objections_answer(self, ctx: PersonContext) -> tuple[str, tuple[str, str], str]:
        """The texts of the member's objections answered in part, by what answered them after
        the first (``_objections``): their own word in a pricing discussion that our price can
        work (``price.objection_withdrawn_share``), else a pricing talk or workshop that went
        well on our price (``price.objection_answered_share``), else only their word on a quote
        cut for them."""
        pc = self._config.price
        weighed = self._weighed(ctx)  # what ``_objections`` reads
        said = [a.occurred_at for a in weighed if price_reaction(a) in WENT_BADLY]
        later = [a for a in weighed if said and a.occurred_at > min(said)]
        if any(
            a.type is ActivityType.PRICING_DISCUSSION
            and pc.objection_withdrawn_share.get(a.price_reaction or "", 0.0) > 0
            for a in later
        ):
            return _PRICE_OBJECTIONS_WITHDRAWN
        if any(
            pc.objection_answered_share.get(a.type, 0.0) > 0 and price_reaction(a) in WENT_WELL
            for a in later
        ):
            return _PRICE_OBJECTIONS_ANSWERED
        return _PRICE_OBJECTIONS_RECUT

    def _pushes(
        self, ctx: PersonContext, objections: tuple[str, tuple[str, str], str]
    ) -> tuple[str, tuple[str, str], str]:
        """The texts of a procurement member's price objections (``objections``: how they stand,
        unanswered or answered in part): pushes on our price, named as his, counted at
        ``price.procurement_push_share`` of an objection because pushing is his job."""
        who = ctx.name_of(ctx.person_id)
        share = f"{self._config.price.procurement_push_share:.0%}"
        note_en = f"pushing on price is procurement's job, so counted at {share} of an objection"
        note_zh = f"压价是采购的本职工作，按异议的{share}计"
        if objections is _PRICE_OBJECTIONS_WITHDRAWN:
            en_tail = f", mostly answered by his own word that our price can work; {note_en}"
            zh_tail = f"，已因其本人表态我方价格可以接受而大部分化解；{note_zh}"
        elif objections is _PRICE_OBJECTIONS_ANSWERED:
            en_tail = f", answered in part by a pricing talk that went well; {note_en}"
            zh_tail = f"，已通过顺利的价格沟通化解一部分；{note_zh}"
        elif objections is _PRICE_OBJECTIONS_RECUT:
            en_tail = f", answered in part by their word on our changed quote; {note_en}"
            zh_tail = f"，已因其对我方调整后报价的回应化解一部分；{note_zh}"
        elif objections is _PRICE_OBJECTIONS_STANDING:
            en_tail = f", unanswered (standing until answered): {note_en}"
            zh_tail = f"，尚未化解：{note_zh}，化解前不随时间淡化"
        else:
            en_tail, zh_tail = f": {note_en}", f"：{note_zh}"
        return (
            "price_objections",
            (
                f"{{}} push on our price by {who}{en_tail}",
                f"{{}} pushes on our price by {who}{en_tail}",
            ),
            f"{who}{{}}次对我方价格压价{zh_tail}",
        )

    def _price_reasons(self, role: DecisionRole) -> tuple[tuple[Reason, ...], int]:
        pc = self._config.price
        opportunity, worst = self._opportunity, self._worst
        sens = pc.role_sensitivity[role]
        opp_edge = (_new_tuple(Evidence, ("OPPORTUNITY", (opportunity.id,))),)
        role_zh = _ZH[role]
        reasons = [self._base_price]
        total = pc.base
        ratio = self._budget_ratio()
        if ratio is not None:
            points = round(graded_points(pc.budget_bands, ratio) * sens)
            reasons.append(
                _reason(
                    "budget_vs_quote",
                    points,
                    opp_edge,
                    f"Budget covers {ratio:.0%} of our quote (×{sens:g} for "
                    f"{_sensitive_whom(role)}'s price sensitivity)",
                    f"预算覆盖我方报价的{ratio:.0%}（按{role_zh}的价格敏感度加权，×{sens:g}）",
                )
            )
            total += points
        else:
            reasons.append(_reason("budget_vs_quote", 0, opp_edge, "Budget unknown", "预算未知"))
        if worst is not None:
            points = round(pc.competitor_price_points[worst.price_position] * sens)
            if points:
                reasons.append(
                    _reason(
                        "competitor_price",
                        points,
                        (_new_tuple(Evidence, ("COMPETES_FOR", (worst.id, opportunity.id))),),
                        f"{worst.name}'s price: {_EN[worst.price_position]}"
                        f" (×{sens:g} for {_sensitive_whom(role)}'s price sensitivity)",
                        f"{worst.name}报价{_ZH[worst.price_position]}"
                        f"（按{role_zh}的价格敏感度加权，×{sens:g}）",
                    )
                )
                total += points
        return tuple(reasons), total


def _sensitive_whom(role: DecisionRole) -> str:
    """Whose price sensitivity it is, in English: "finance" and "procurement" are functions,
    the other roles people ("the approver")."""
    role_en = _EN[role].lower()
    if role in (DecisionRole.FINANCE, DecisionRole.PROCUREMENT):
        return role_en
    return f"the {role_en}"


def score_person(
    ctx: PersonContext,
    opportunity: OpportunityFacts,
    competitors: Sequence[CompetitorFacts],
    now_ms: int,
    config: StrategyConfig,
) -> PersonScores:
    """All three scores of one member (an analysis scores many through one ``ChainScorer``)."""
    return ChainScorer(opportunity, competitors, now_ms, config).score(ctx)


def score_chain(
    snapshot: ChainSnapshot, now_ms: int, config: StrategyConfig
) -> dict[str, PersonScores]:
    """Scores of every chain member, keyed by person id (in member order)."""
    contexts = build_contexts(snapshot, now_ms)
    return {
        pid: score_person(ctx, snapshot.opportunity, snapshot.competitors, now_ms, config)
        for pid, ctx in contexts.items()
    }
