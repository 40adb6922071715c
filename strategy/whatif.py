"""What-if: apply hypothetical changes to a copy of a snapshot and re-run the whole analysis.

Changes are small frozen dataclasses; ``apply_changes`` builds a new snapshot with
``dataclasses.replace`` and never mutates its input. ``changes_for_suggestion`` expresses a work
plan suggestion's modelled effect as such changes, so its expected gain can be re-checked (and
is, in the tests) by a full re-run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from domain.chain import ActivityFacts, ChainSnapshot, CompetitorTie, QuoteMove, TeamKnows
from domain.vocabulary import (
    ActivityType,
    Attitude,
    DecisionRole,
    Outcome,
    QuoteStatus,
    TeamRole,
    TieStrength,
)
from strategy.config import StrategyConfig, default_config
from strategy.engine import FullAnalysis, analyse
from strategy.playbook import Effect
from strategy.workplan import (
    UNASSIGNED,
    Suggestion,
    answered_attitude,
    planned_activity,
    stepped_ties,
    told_since,
)

TRIED_PREFIX: Final = "what-if-"
"""The start of the id of an activity a what-if makes up (a price heard): it is in no store,
so what shows the trial's reasons names it by no node."""

_RANK = {s: i for i, s in enumerate(TieStrength)}


@dataclass(frozen=True, slots=True)
class SetAttitude:
    """The person's attitude towards us becomes ``attitude``, heard from them at first hand;
    with ``told_since``, what a champion's word won and the champion tells us
    (``MemberFacts.told_since``)."""

    person_id: str
    attitude: Attitude
    told_since: int | None = None


@dataclass(frozen=True, slots=True)
class RaiseCloseness:
    """Our team member's KNOWS tie to the person is added or raised to ``level`` (never lowered)."""

    member_id: str
    person_id: str
    level: TieStrength


@dataclass(frozen=True, slots=True)
class PersonLeaves:
    """The person leaves: removed from the chain and from every edge; their place stays, held
    by someone nobody of ours knows (``ChainSnapshot.vacated``), as when a departure is
    recorded."""

    person_id: str


@dataclass(frozen=True, slots=True)
class CompetitorWinsAlly:
    """A competitor gains (or strengthens to) a CLOSE_TO tie with the person."""

    competitor_id: str
    person_id: str
    level: TieStrength = TieStrength.STRONG


@dataclass(frozen=True, slots=True)
class AddActivity:
    """An activity happens (e.g. a planned visit that went well)."""

    activity: ActivityFacts


@dataclass(frozen=True, slots=True)
class SetRole:
    """The person's decision role changes (e.g. becomes our COACH)."""

    person_id: str
    role: DecisionRole


@dataclass(frozen=True, slots=True)
class WeakenCompetitorTies:
    """Every CLOSE_TO tie of the person is lowered by ``levels``; ties below WEAK disappear."""

    person_id: str
    levels: int = 1


@dataclass(frozen=True, slots=True)
class MarkDeliveryReviewed:
    """The delivery manager has reviewed solution, workload and quote."""


@dataclass(frozen=True, slots=True)
class SetQuote:
    """Our quote becomes ``amount`` (minor units) at ``at`` (epoch ms; None: when the what-if
    is asked): a re-cut or a raise that nobody at the customer has heard yet (``PriceHeard``
    says who hears it and how they take it). The question is the price, so the quote keeps its
    place in the process, as if the new amount had gone through the same review, and its date:
    a budget holder silent about our price since it went in is no less silent for a new figure
    they have not heard."""

    amount: int
    at: int | None = None


@dataclass(frozen=True, slots=True)
class PriceHeard:
    """The person hears our price as it then stands, in a pricing discussion with
    ``member_id`` (None: the deal's account manager) at ``at`` (None: when the what-if is
    asked, after any quote change), and reacts ``reaction``; the talk goes as they take it."""

    person_id: str
    reaction: Outcome
    member_id: str | None = None
    at: int | None = None


Change = (
    SetAttitude
    | RaiseCloseness
    | PersonLeaves
    | CompetitorWinsAlly
    | AddActivity
    | SetRole
    | WeakenCompetitorTies
    | MarkDeliveryReviewed
    | SetQuote
    | PriceHeard
)


@dataclass(frozen=True, slots=True)
class PersonDelta:
    """How one remaining member's scores moved."""

    person_id: str
    closeness: int
    solution: int
    price: int


@dataclass(frozen=True, slots=True)
class WhatIfResult:
    """The analysis before and after the changes, with the headline deltas."""

    before: FullAnalysis
    after: FullAnalysis
    delta_win_likelihood: float
    delta_support: float
    delta_questions: dict[str, int]
    person_deltas: tuple[PersonDelta, ...]


def _members(snapshot: ChainSnapshot, person_id: str, **fields: object) -> ChainSnapshot:
    members = tuple(
        dataclasses.replace(m, **fields) if m.person_id == person_id else m  # type: ignore[arg-type]
        for m in snapshot.members
    )
    return dataclasses.replace(snapshot, members=members)


def apply_change(snapshot: ChainSnapshot, change: Change) -> ChainSnapshot:
    """A new snapshot with one change applied."""
    match change:
        case SetAttitude(person_id, attitude, None):
            return _members(snapshot, person_id, attitude=attitude, heard=True)
        case SetAttitude(person_id, attitude, told_since):
            return _members(snapshot, person_id, attitude=attitude, told_since=told_since)
        case SetRole(person_id, role):
            return _members(snapshot, person_id, role=role)
        case RaiseCloseness(member_id, person_id, level):
            same = [
                k
                for k in snapshot.team_knows
                if k.member_id == member_id and k.person_id == person_id
            ]
            if same and any(_RANK[k.level] >= _RANK[level] for k in same):
                return snapshot
            kept = tuple(
                k
                for k in snapshot.team_knows
                if not (k.member_id == member_id and k.person_id == person_id)
            )
            return dataclasses.replace(
                snapshot, team_knows=(*kept, TeamKnows(member_id, person_id, level))
            )
        case CompetitorWinsAlly(competitor_id, person_id, level):
            rivals = [
                t
                for t in snapshot.competitor_ties
                if t.competitor_id == competitor_id and t.person_id == person_id
            ]
            if rivals and any(_RANK[t.level] >= _RANK[level] for t in rivals):
                return snapshot
            kept_ties = tuple(
                t
                for t in snapshot.competitor_ties
                if not (t.competitor_id == competitor_id and t.person_id == person_id)
            )
            return dataclasses.replace(
                snapshot,
                competitor_ties=(*kept_ties, CompetitorTie(competitor_id, person_id, level)),
            )
        case WeakenCompetitorTies(person_id, levels):
            ties: list[CompetitorTie] = []
            for t in snapshot.competitor_ties:
                ties.extend(stepped_ties([t], -levels) if t.person_id == person_id else [t])
            return dataclasses.replace(snapshot, competitor_ties=tuple(ties))
        case AddActivity(activity):
            return dataclasses.replace(snapshot, activities=(*snapshot.activities, activity))
        case MarkDeliveryReviewed():
            opp = dataclasses.replace(
                snapshot.opportunity, delivery_reviewed=True, delivery_infeasible=False
            )
            return dataclasses.replace(snapshot, opportunity=opp)
        case PersonLeaves(person_id):
            return snapshot.vacated(person_id)
        case SetQuote(amount, at):
            return _quoted(snapshot, amount, at or 0)
        case PriceHeard(person_id, reaction, member_id, at):
            return _price_heard(snapshot, person_id, reaction, member_id, at or 0)
    raise TypeError(f"unknown change {change!r}")  # pragma: no cover


def _quoted(snapshot: ChainSnapshot, amount: int, at: int) -> ChainSnapshot:
    """``SetQuote``: the amount and its move on record, its status and date kept."""
    opp = snapshot.opportunity
    if amount == opp.quote_amount:
        return snapshot
    status = QuoteStatus.DRAFT if opp.quote_status == QuoteStatus.NONE else opp.quote_status
    moved = dataclasses.replace(
        opp,
        quote_amount=amount,
        quote_status=status,
        quote_moves=(*opp.quote_moves, QuoteMove(opp.quote_amount, amount, at)),
    )
    return dataclasses.replace(snapshot, opportunity=moved)


def _price_heard(
    snapshot: ChainSnapshot, person_id: str, reaction: Outcome, member_id: str | None, at: int
) -> ChainSnapshot:
    """``PriceHeard``: a pricing discussion with the person."""
    ours = member_id or next(
        (t.member_id for t in snapshot.team if t.role == TeamRole.ACCOUNT_MANAGER), None
    )
    talk = ActivityFacts(
        f"{TRIED_PREFIX}price-{person_id}-{at}",  # two talks with one person in one trial: two ids
        ActivityType.PRICING_DISCUSSION,
        at,
        reaction,
        price_reaction=reaction,
        member_ids=(ours,) if ours else (),
        person_ids=(person_id,),
    )
    return dataclasses.replace(snapshot, activities=(*snapshot.activities, talk))


def _dated(changes: Sequence[Change], now_ms: int) -> list[Change]:
    """The changes with an undated quote change or price talk dated in their order, a
    millisecond apart, the last at ``now_ms``: a price heard after a quote change answers the
    new quote, one heard before it the old."""
    last = len(changes) - 1
    return [
        dataclasses.replace(c, at=now_ms - (last - i))
        if isinstance(c, SetQuote | PriceHeard) and c.at is None
        else c
        for i, c in enumerate(changes)
    ]


def apply_changes(snapshot: ChainSnapshot, changes: Sequence[Change]) -> ChainSnapshot:
    """A new snapshot with the changes applied in order; the input is left untouched."""
    for change in changes:
        snapshot = apply_change(snapshot, change)
    return snapshot


def changes_for_suggestion(
    snapshot: ChainSnapshot,
    suggestion: Suggestion,
    now_ms: int,
    config: StrategyConfig | None = None,
) -> tuple[Change, ...]:
    """The snapshot changes that model a suggestion's effect (as the work plan applied it)."""
    effect = suggestion.effect
    if suggestion.target_person_id is None:
        return (MarkDeliveryReviewed(),) if effect.delivery_reviewed else ()
    owner = suggestion.owner_member_id or UNASSIGNED
    return _play_changes(
        snapshot, suggestion.target_person_id, suggestion.action_key, effect, owner, now_ms, config
    )


def changes_before_suggestion(
    snapshot: ChainSnapshot,
    suggestion: Suggestion,
    now_ms: int,
    config: StrategyConfig | None = None,
) -> tuple[Change, ...]:
    """The changes of the plays a suggestion was measured after (the plan's earlier plays on
    its target, else the introduction it comes after; none if neither): its gain is what it
    adds to the snapshot with these applied."""
    pid = suggestion.target_person_id
    plays = suggestion.measured_after or (
        (suggestion.follows,) if suggestion.follows is not None else ()
    )
    if pid is None:
        return ()
    changes: list[Change] = []
    for play in plays:
        step = _play_changes(
            snapshot, pid, play.action_key, play.effect, play.owner_member_id, now_ms, config
        )
        changes.extend(step)
        snapshot = apply_changes(snapshot, step)
    return tuple(changes)


def _play_changes(
    snapshot: ChainSnapshot,
    pid: str,
    action_key: str,
    effect: Effect,
    owner: str,
    now_ms: int,
    config: StrategyConfig | None,
) -> tuple[Change, ...]:
    """A play's effect on one member as snapshot changes."""
    member = next(m for m in snapshot.members if m.person_id == pid)
    changes: list[Change] = []
    heard = any(pid in a.person_ids and a.occurred_at <= now_ms for a in snapshot.activities)
    attitude = answered_attitude(member.attitude, effect, heard)
    activity = planned_activity(effect, action_key, pid, owner, now_ms)
    if attitude != member.attitude:
        told = None if activity is not None else told_since(now_ms, config or default_config())
        changes.append(SetAttitude(pid, attitude, told))
    if effect.set_role is not None:
        changes.append(SetRole(pid, effect.set_role))
    if effect.knows_level is not None:
        changes.append(RaiseCloseness(owner, pid, effect.knows_level))
    if effect.competitor_tie_steps:
        changes.append(WeakenCompetitorTies(pid, -effect.competitor_tie_steps))
    if activity is not None:
        changes.append(AddActivity(activity))
    return tuple(changes)


def what_if(
    snapshot: ChainSnapshot,
    changes: Sequence[Change],
    now_ms: int,
    config: StrategyConfig | None = None,
    *,
    include_plan: bool = False,
) -> WhatIfResult:
    """Analyse the snapshot before and after the changes and report the deltas."""
    cfg = config or default_config()
    before = analyse(snapshot, now_ms, cfg, include_plan=include_plan)
    changed = apply_changes(snapshot, _dated(changes, now_ms))
    after = analyse(changed, now_ms, cfg, include_plan=include_plan)
    qa, qb = after.assessment, before.assessment
    old = {s.person_id: s for s in before.scores}
    deltas = tuple(
        PersonDelta(
            s.person_id,
            s.closeness.value - old[s.person_id].closeness.value,
            s.solution.value - old[s.person_id].solution.value,
            s.price.value - old[s.person_id].price.value,
        )
        for s in after.scores
        if s.person_id in old
    )
    return WhatIfResult(
        before,
        after,
        after.win_likelihood - before.win_likelihood,
        qa.support.net - qb.support.net,
        {
            "is_real": qa.is_real.value - qb.is_real.value,
            "can_compete": qa.can_compete.value - qb.can_compete.value,
            "can_win": qa.can_win.value - qb.can_win.value,
            "worth_it": qa.worth_it.value - qb.worth_it.value,
        },
        deltas,
    )
