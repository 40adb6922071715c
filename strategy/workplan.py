"""Work plan suggestions ranked by expected gain in win likelihood.

For each candidate (coverage gaps, then bridges, then members by effective influence; at most
``plan.candidate_people`` of them, which bounds the cost on large chains)
and each applicable play, the play's modelled effect is applied to a copy of that member's
slice of the snapshot (``PersonContext``, or the opportunity for delivery review), the member is
re-scored and the same opportunity-level model is re-run; the difference in win likelihood is
the expected gain. ``whatif.changes_for_suggestion`` turns a suggestion into snapshot changes,
and a test checks that ``what_if`` on the whole snapshot reproduces the gain exactly. A play
that meets someone nobody of ours knows, when someone can introduce us, is tried on the member
with the introduction done, and is worth what it adds to it: the first meeting counts once, in
the introduction's gain (the executive visit is that meeting, one step with the introduction).
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final

from domain.chain import (
    ActivityFacts,
    ChainSnapshot,
    CompetitorTie,
    DroppedPlay,
    OpportunityFacts,
    PlannedPlay,
    TeamAssignment,
    TeamKnows,
    drawn_expert,
)
from domain.vocabulary import (
    CLOSED_STAGES,
    ActivityType,
    Attitude,
    DecisionRole,
    DropReason,
    LifecyclePhase,
    Outcome,
    QuoteStatus,
    Stage,
    TeamRole,
    TieStrength,
    label_of,
)
from strategy.analysis import ATTITUDE_ORDER, ChainAnalysis, inside_champions
from strategy.assessment import (
    SEALED_WHILE_BID_IN,
    TIE_RANK,
    WENT_BADLY,
    AssessMemo,
    Assessment,
    Listeners,
    PersonState,
    Totals,
    bid_in,
    days_between,
    in_camp,
    is_ally,
    price_concern,
    restated,
    review_pressing,
    scorers_sealed,
    trial_likelihood,
    turned_down,
    wired_by,
)
from strategy.config import StrategyConfig
from strategy.effects import NO_EFFECTS, AssumedEffect, LearnedEffects, assumed_effect, effect_text
from strategy.health import reached, signer_silence
from strategy.influence import line_managers, over_the_head
from strategy.playbook import REVIEWED_BY, TARGETLESS, Effect, Playbook, PlaybookAction
from strategy.rationale import Clause, rationale_text
from strategy.scoring import (
    DAY_MS,
    PRICE_NEGOTIATORS,
    SUPPORTIVE,
    WENT_WELL,
    ChainScorer,
    PersonContext,
    price_reaction,
    recut_since,
    standing_objection,
)
from strategy.warm_paths import (
    WarmGraph,
    WarmPath,
    build_warm_graph,
    input_from_snapshot,
    introduction_credit,
    warm_paths,
)

UNASSIGNED = "unassigned"
TIES: tuple[TieStrength, ...] = tuple(TieStrength)
# Our team by seniority, most senior first: the sales director is our executive; the account
# manager owns the customer relationship before the experts and the delivery roles.
SENIORITY: tuple[TeamRole, ...] = (
    TeamRole.SALES_DIRECTOR,
    TeamRole.ACCOUNT_MANAGER,
    TeamRole.LEAD_EXPERT,
    TeamRole.SOLUTION_MANAGER,
    TeamRole.DELIVERY_MANAGER,
    TeamRole.SERVICE_MANAGER,
)
EXECUTIVE_TARGETS = frozenset({DecisionRole.DECISION_MAKER, DecisionRole.APPROVER})
# Who can lead an executive visit, first choice first: a president receives someone of rank.
# The account manager arranges the visit and comes along, but the customer's executives (their
# office) do not receive them as a peer; our lead expert speaks at that level.
EXECUTIVES: tuple[TeamRole, ...] = (TeamRole.SALES_DIRECTOR, TeamRole.LEAD_EXPERT)
# Whoever holds the purse is met by our commercial people: a solution or delivery manager who
# knows the finance head comes along, but the relationship over budget and price is not theirs
# to own (a sales leader: presales time is billed to the solution, not to the money talks).
PURSE_HOLDERS = frozenset({DecisionRole.FINANCE, DecisionRole.PROCUREMENT, DecisionRole.APPROVER})
COMMERCIAL: frozenset[TeamRole] = frozenset({*EXECUTIVES, TeamRole.ACCOUNT_MANAGER})


@dataclass(frozen=True, slots=True)
class FollowedPlay:
    """The introduction a suggestion comes after, as its trial applied it: the suggestion is
    worth what it adds to the deal with this play done."""

    action_key: str
    effect: Effect
    owner_member_id: str
    adjoined: bool = True
    """The meeting the introduction opens (the play's ``follows``): one step with it, listed
    right after it; otherwise a later meeting, ranked by what it adds."""


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One suggested work plan item with its owner, due date, rationale and expected gain."""

    action_key: str
    title_en: str
    title_zh: str
    description_en: str
    description_zh: str
    target_person_id: str | None
    addresses: str
    rationale_en: str
    rationale_zh: str
    owner_role: TeamRole
    owner_member_id: str | None
    owner_name: str | None
    owner_note_en: str | None
    owner_note_zh: str | None
    due_date: str
    expected_gain: float
    effect: Effect
    warm_path: WarmPath | None = None
    # The change in the target's closeness and attitude the gain assumed, and its source.
    assumed: AssumedEffect | None = None
    assumed_en: str | None = None
    assumed_zh: str | None = None
    # The rationale's clauses, to render it again in any language (strategy.rationale).
    rationale_clauses: tuple[Clause, ...] = ()
    # The introduction it comes after (the meeting that introduction opens), if any.
    follows: FollowedPlay | None = None
    # A duty (the playbook's ``duty``): suggested whatever its gain, so a gain of 0 is no
    # reason to skip it.
    required: bool = False
    # The latest drop of the same play for the same person, when it comes back (``recalled``).
    dropped_before: DroppedPlay | None = None
    # Dropped because nobody of ours could do it, and the sales director's to give to someone
    # now (``with_director``): no longer once accepted (``staffed``).
    awaits_staffing: bool = False
    # The plays the plan holds before it on the same person, in order: its gain is what it
    # adds with them done (empty: measured on the deal as it is, or after ``follows``).
    measured_after: tuple[FollowedPlay, ...] = ()


@dataclass(frozen=True, slots=True)
class ChampionLink:
    """A champion who can speak for us to a target, and how they reach them."""

    person_id: str
    kind: str
    """manages | influences | knows | reports"""


_LINK_ORDER = ("manages", "influences", "knows", "reports")
"""Authority before sway before friendship; last, a report making their case up the line."""


def champion_links(
    snapshot: ChainSnapshot, contexts: Mapping[str, PersonContext], config: StrategyConfig
) -> dict[str, ChampionLink]:
    """For each member, the best champion to speak for us to them: a champion someone on our
    team knows (a favour is asked by someone they trust) and in no competitor's camp (they
    would carry our plans to it), who manages, influences, knows or reports to them at least
    MODERATE. A line manager comes before an influencer before an acquaintance before a
    report (authority before sway before friendship; a report's case carries up the line,
    with less weight), then the stronger tie. A champion is not asked to use a friendship
    over her own manager's head."""
    floor = TIE_RANK[TieStrength.MODERATE]
    managers = line_managers(snapshot.reports_to)
    champions = {
        pid
        for pid, c in contexts.items()
        if c.member.attitude == Attitude.CHAMPION and c.knows and not in_camp(c, config)
    }
    best: dict[str, tuple[tuple[int, int, str], ChampionLink]] = {}

    def offer(champion: str, target: str, kind: str, strength: TieStrength) -> None:
        if champion not in champions or target not in contexts or target == champion:
            return
        if TIE_RANK[strength] < floor:
            return
        if kind == "knows" and over_the_head(managers, champion, target):
            return  # a friend of the boss's boss, asked over her own boss's head
        rank = (_LINK_ORDER.index(kind), -TIE_RANK[strength], champion)
        if target not in best or rank < best[target][0]:
            best[target] = (rank, ChampionLink(champion, kind))

    for t in snapshot.reports_to:
        offer(t.to_id, t.from_id, "manages", t.strength)
        offer(t.from_id, t.to_id, "reports", t.strength)
    for t in snapshot.influences:
        offer(t.from_id, t.to_id, "influences", t.strength)
    for t in snapshot.person_knows:
        offer(t.from_id, t.to_id, "knows", t.strength)
        offer(t.to_id, t.from_id, "knows", t.strength)
    return {target: link for target, (_, link) in best.items()}


def activity_id(action_key: str, person_id: str) -> str:
    """Id of the activity a play is modelled to add."""
    return f"plan:{action_key}:{person_id}"


def planned_activity(
    effect: Effect, action_key: str, person_id: str, owner_id: str, now_ms: int
) -> ActivityFacts | None:
    """The activity a play adds when it goes well (None if it adds none)."""
    if effect.activity_type is None:
        return None
    return ActivityFacts(
        activity_id(action_key, person_id),
        effect.activity_type,
        now_ms,
        effect.outcome,
        solution_reaction=effect.solution_reaction,
        price_reaction=effect.price_reaction,
        member_ids=(owner_id,),
        person_ids=(person_id,),
    )


def stepped_attitude(attitude: Attitude, steps: int) -> Attitude:
    """Move an attitude ``steps`` along OPPONENT..CHAMPION, staying within the scale."""
    index = ATTITUDE_ORDER.index(attitude) + steps
    return ATTITUDE_ORDER[max(0, min(len(ATTITUDE_ORDER) - 1, index))]


def stepped_ties(ties: Sequence[CompetitorTie], steps: int) -> tuple[CompetitorTie, ...]:
    """Lower (steps < 0) each competitor tie by levels; ties below WEAK disappear."""
    out: list[CompetitorTie] = []
    for t in ties:
        rank = TIE_RANK[t.level] + steps
        if rank >= 0:
            out.append(dataclasses.replace(t, level=TIES[min(rank, len(TIES) - 1)]))
    return tuple(out)


def answered_attitude(attitude: Attitude, effect: Effect, heard: bool) -> Attitude:
    """The attitude after a play: its steps, and for someone who leans against us and whose
    concern we have heard (we have met them) its ``concern_steps`` towards neutral: a concern
    answered on the merits wins back a skeptic, not a champion, and nobody answers a concern
    they never heard."""
    moved = stepped_attitude(attitude, effect.attitude_steps)
    order = ATTITUDE_ORDER.index
    if effect.concern_steps and heard and order(moved) < order(Attitude.NEUTRAL):
        return ATTITUDE_ORDER[min(order(moved) + effect.concern_steps, order(Attitude.NEUTRAL))]
    return moved


def told_since(now_ms: int, config: StrategyConfig) -> int:
    """From when a contact of ours with someone makes the support a champion's word wins
    today ours at first hand (``support.told_heard_days`` before it)."""
    return now_ms - config.support.told_heard_days * DAY_MS


def apply_effect(
    ctx: PersonContext,
    effect: Effect,
    action_key: str,
    owner_id: str,
    now_ms: int,
    config: StrategyConfig,
) -> PersonContext:
    """A copy of one member's slice with the play's effect applied. An attitude a play moves
    is today's news when one of ours hears it there (the play meets them). One a champion's
    word moves is what the champion tells us: as fresh as our own last word with them, and
    hearsay unless one of ours spoke with them lately (``told_since``), so a decision maker
    nobody of ours has spoken with for months is met again before the champion speaks for us
    to them (a sales director: the champion's word is the second step)."""
    member = ctx.member
    activity = planned_activity(effect, action_key, ctx.person_id, owner_id, now_ms)
    attitude = answered_attitude(member.attitude, effect, bool(ctx.activities))
    if attitude != member.attitude and activity is None:
        told = told_since(now_ms, config)
        member = dataclasses.replace(member, attitude=attitude, told_since=told)
    elif attitude != member.attitude:
        member = dataclasses.replace(member, attitude=attitude, moved_today=True)
    if effect.set_role is not None:
        member = dataclasses.replace(member, role=effect.set_role)
    knows = ctx.knows
    if effect.knows_level is not None:
        current = [k for k in knows if k.member_id == owner_id]
        if not current or all(TIE_RANK[k.level] < TIE_RANK[effect.knows_level] for k in current):
            knows = (
                *(k for k in knows if k.member_id != owner_id),
                TeamKnows(owner_id, ctx.person_id, effect.knows_level),
            )
    ties = ctx.competitor_ties
    if effect.competitor_tie_steps:
        ties = stepped_ties(ties, effect.competitor_tie_steps)
    activities = ctx.activities if activity is None else (*ctx.activities, activity)
    return PersonContext(member, knows, ties, activities, ctx.names, ctx.ours)


def path_owner(team: Sequence[TeamAssignment], path: WarmPath) -> TeamAssignment | None:
    """The team member a warm path starts from: the one who should ask for the introduction."""
    mine = [t for t in team if t.member_id == path.team_member_id]
    mine.sort(key=lambda t: (t.phase != LifecyclePhase.DEAL, t.role))
    return mine[0] if mine else None


def resolve_owner(
    team: Sequence[TeamAssignment], role: TeamRole
) -> tuple[TeamAssignment | None, str | None, str | None]:
    """The team member for a role (deal-phase first, then by id), else the account manager."""

    def pick(wanted: TeamRole) -> TeamAssignment | None:
        found = [t for t in team if t.role == wanted]
        found.sort(key=lambda t: (t.phase != LifecyclePhase.DEAL, t.member_id))
        return found[0] if found else None

    owner = pick(role)
    if owner is not None:
        return owner, None, None
    fallback = pick(TeamRole.ACCOUNT_MANAGER)
    role_en, role_zh = label_of(role), label_of(role, "zh")
    if fallback is not None:
        return (
            fallback,
            f"No {role_en.lower()} on the team: the account manager owns it; assign one.",
            f"团队中没有{role_zh}：暂由客户经理负责，请指派{role_zh}。",
        )
    return (
        None,
        f"No {role_en.lower()} and no account manager on the team: assign an owner.",
        f"团队中没有{role_zh}也没有客户经理：请指定负责人。",
    )


def _seniority(t: TeamAssignment) -> tuple[int, bool, str]:
    rank = SENIORITY.index(t.role) if t.role in SENIORITY else len(SENIORITY)
    return rank, t.phase != LifecyclePhase.DEAL, t.member_id


def most_senior(team: Sequence[TeamAssignment]) -> TeamAssignment | None:
    """Our most senior team member (deal phase first among equals)."""
    return min(team, key=_seniority, default=None)


def burned(ctx: PersonContext | None) -> frozenset[str]:
    """Our people whose latest contact with the person went badly (negative or very negative):
    a tie's level is not its sign, and the face of a late project is not the one to send back to
    the customer it failed (a sales leader, casebook 82)."""
    if ctx is None:
        return frozenset()
    latest: dict[str, ActivityFacts] = {}
    for a in ctx.activities:
        for m in a.member_ids:
            if m not in latest or a.occurred_at > latest[m].occurred_at:
                latest[m] = a
    return frozenset(m for m, a in latest.items() if a.outcome in _WENT_BADLY)


_WENT_BADLY: Final = frozenset({Outcome.NEGATIVE, Outcome.VERY_NEGATIVE})


def best_acquainted(team: Sequence[TeamAssignment], ctx: PersonContext) -> TeamAssignment | None:
    """The team member who knows the person best: strongest KNOWS tie, then seniority."""
    level: dict[str, int] = {}
    for k in ctx.knows:
        if TIE_RANK[k.level] > level.get(k.member_id, -1):
            level[k.member_id] = TIE_RANK[k.level]
    known = [t for t in team if t.member_id in level]
    return min(known, key=lambda t: (-level[t.member_id], *_seniority(t)), default=None)


_NO_EXECUTIVE: Final = (
    "Nobody senior on our team to lead an executive visit: bring in our sales director or a lead"
    " expert.",
    "团队中没有能出面高层拜访的资深成员：请引入销售总监或引领专家。",
)


def choose_owner(
    team: Sequence[TeamAssignment], action: PlaybookAction, ctx: PersonContext | None
) -> tuple[TeamAssignment | None, str | None, str | None]:
    """Owner by the play's rule: seniority (our executive: one of them the target knows at least
    moderately, else the sales director, else our lead expert; without one, as relationship,
    with a note to bring one in), relationship (who knows
    the target best, among our commercial people for whoever holds the purse; a decision maker
    or approver nobody knows is met by our most senior member), or the owner role. A play whose
    rule picks the person to go sends none of our people whose latest contact with the target
    went badly (``burned``) while someone else can go; our executives still go (rank is what
    repairs a bad meeting, casebook 63), and a play a role owns stays that role's."""
    spoilt = burned(ctx)
    goes = [t for t in team if t.member_id not in spoilt or t.role in EXECUTIVES] or list(team)
    if action.owner_rule == "seniority":
        known = _known_executive(goes, ctx)
        if known is not None:
            return known, None, None
        for role in EXECUTIVES:
            executive = [t for t in goes if t.role == role]
            if executive:
                return min(executive, key=_seniority), None, None
    if ctx is not None and action.owner_rule in ("relationship", "seniority"):
        purse = ctx.member.role in PURSE_HOLDERS
        owner = best_acquainted([t for t in goes if not purse or t.role in COMMERCIAL], ctx)
        if owner is None and ctx.member.role in EXECUTIVE_TARGETS:
            owner = most_senior(goes)
        if owner is not None:
            if action.owner_rule == "seniority":
                return owner, *_NO_EXECUTIVE
            return owner, None, None
    found = resolve_owner(team, action.owner_role)
    if found[1] is not None and ctx is not None and ctx.member.role in EXECUTIVE_TARGETS:
        # The role is missing: a decision maker or approver is hosted by our most senior member.
        senior = most_senior(team)
        if senior is not None:
            role_en, role_zh = label_of(action.owner_role), label_of(action.owner_role, "zh")
            return (
                senior,
                f"No {role_en.lower()} on the team: our most senior member owns it; assign one.",
                f"团队中没有{role_zh}：由我方最资深的成员负责，请指派{role_zh}。",
            )
    if action.owner_rule == "seniority" and found[0] is not None and found[1] is None:
        return found[0], *_NO_EXECUTIVE
    if found[0] is not None and _not_received(found[0], ctx):
        host = next((t for r in EXECUTIVES for t in team if t.role == r), None)
        if host is not None:
            return host, None, None
    return found


def _known_executive(
    team: Sequence[TeamAssignment], ctx: PersonContext | None
) -> TeamAssignment | None:
    """Our executive the target already knows at least moderately (the best known first): the
    door a stranger of rank knocks on opens for someone they know (a sales leader, casebook
    80)."""
    if ctx is None:
        return None
    floor = TIE_RANK[TieStrength.MODERATE]
    known: dict[str, int] = {}  # each member's best tie, at least moderate
    for k in ctx.knows:
        rank = TIE_RANK[k.level]
        if rank >= floor:
            known[k.member_id] = max(rank, known.get(k.member_id, rank))
    found = [t for t in team if t.role in EXECUTIVES and t.member_id in known]
    return min(found, key=lambda t: (-known[t.member_id], *_seniority(t)), default=None)


def _not_received(owner: TeamAssignment, ctx: PersonContext | None) -> bool:
    """The account manager would meet a decision maker or approver who hardly knows them (a
    tie below moderate): their office receives someone of rank, as for an executive visit,
    or someone they already know."""
    if owner.role != TeamRole.ACCOUNT_MANAGER or ctx is None:
        return False
    if ctx.member.role not in EXECUTIVE_TARGETS:
        return False
    ties = [TIE_RANK[k.level] for k in ctx.knows if k.member_id == owner.member_id]
    return max(ties, default=-1) < TIE_RANK[TieStrength.MODERATE]


def due_date(now_ms: int, lead_days: int, days_off: AbstractSet[str] = frozenset()) -> str:
    """ISO date ``lead_days`` after ``now_ms`` (UTC), moved on to the next working day: not a
    Saturday, a Sunday or a day of ``days_off`` ("MM-DD", ``plan.days_off``)."""
    day = datetime.fromtimestamp(now_ms / 1000, UTC).date() + timedelta(days=lead_days)
    while day.weekday() >= 5 or day.strftime("%m-%d") in days_off:
        day += timedelta(days=1)
    return day.isoformat()


def _rationale(
    action: PlaybookAction,
    ctx: PersonContext | None,
    state: PersonState | None,
    opp: OpportunityFacts,
    names: Mapping[str, str],
    wiring: Mapping[str, list[str]],
    now_ms: int,
    config: StrategyConfig,
) -> Clause:
    if ctx is None or state is None:
        if action.addresses in ("bid_clarifications", "solution_owner"):
            return Clause(action.addresses, {})
        if action.addresses == "delivery_rework":
            return Clause("quote_infeasible", {"status": opp.quote_status.value})
        return Clause("quote_unreviewed", {"status": opp.quote_status.value})
    who = {"name": names.get(ctx.person_id, ctx.person_id), "role": ctx.member.role.value}
    if action.addresses == "compliance":
        return Clause("compliance", who)
    if action.addresses == "fair_process":
        return Clause("fair_process", {**who, **wiring})
    if action.addresses == "coach":
        return Clause("coach", {**who, "attitude": ctx.member.attitude.value})
    if action.addresses == "bid_watch":
        decider = ctx.member.role == DecisionRole.DECISION_MAKER
        return Clause("bid_decider" if decider else "bid_insider", who)
    if action.addresses == "attitude":
        return Clause(_STANCE.get(ctx.member.attitude, "neutral"), who)
    if action.addresses == "competitor_ally":
        comps = sorted({ctx.name_of(t.competitor_id) for t in ctx.competitor_ties})
        return Clause("competitor_ally", {**who, "competitors": comps})
    # Why the play, in words a sales leader uses, with the score as the evidence: "only 57"
    # about a supporter reads as a reproach, not a reason.
    quiet = quiet_budget_holder(ctx, opp, now_ms, config)
    if action.addresses == "closeness" and quiet is not None:
        days, limit = quiet
        stage = reached(opp).value
        return Clause("quiet_budget_holder", {**who, "days": days, "limit": limit, "stage": stage})
    if action.addresses == "closeness" and (gone_quiet(state) or quiet_decider(state)):
        last = max(a.occurred_at for a in ctx.activities)
        kind = "quiet_decider" if quiet_decider(state) else "quiet_insider"
        return Clause(kind, {**who, "days": days_between(last, now_ms)})
    renewed = renewal(ctx, now_ms, config)
    if action.addresses == "closeness" and renewed is not None and not _last_went_badly(ctx):
        by = [ctx.name_of(m) for m in renewed.member_ids]
        words = {**who, "days": days_between(renewed.occurred_at, now_ms), "by": "、".join(by)}
        return Clause("renew", words)
    if action.addresses == "closeness":
        kind = (
            "went_badly"
            if _last_went_badly(ctx)
            else "unknown"
            if unreached(ctx)
            else "not_close"
            if state.closeness < KNOWN_WELL
            else "closer"
        )
        return Clause(kind, {**who, "score": state.closeness})
    if action.addresses == "solution":
        kind = (
            "solution_objection"
            if unanswered(ctx, "solution")
            else "solution_backer"
            if ctx.member.attitude in SUPPORTIVE
            else "solution"
            if voiced(ctx, "solution")
            else "solution_unseen"
        )
        return Clause(kind, {**who, "score": state.solution})
    kind = (
        (
            "price_push"
            if ctx.member.role in PRICE_NEGOTIATORS
            else _objection_kind(ctx, opp, now_ms, config.price.recut_least_share)
        )
        if unanswered(ctx, "price")
        else "price_requote"
        if _requoted(ctx, opp, config)
        else "price"
        if voiced(ctx, "price") or state.price < NEUTRAL_SCORE
        else "price_unweighed"
    )
    return Clause(kind, {**who, "score": state.price})


_REQUOTE: Final = frozenset({"price_requote", "price_recut"})
"""The clauses of a play that takes our changed quote to someone (``plan.requote_lead_days``)."""


def _requoted(ctx: PersonContext, opp: OpportunityFacts, config: StrategyConfig) -> bool:
    """Their last word on our price was on a quote we have changed since
    (``price.recut_least_share``): the step takes the new quote to them."""
    said = [a.occurred_at for a in ctx.activities if price_reaction(a) is not None]
    return bool(said) and recut_since(opp, max(said), config.price.recut_least_share) is not None


def _objection_kind(
    ctx: PersonContext, opp: OpportunityFacts, now_ms: int, least_share: float
) -> str:
    """A price objection's clause: "price_recut" when our quote was cut since it was made and
    nothing of ours has asked them about the new one (taking it to them is the step), else
    "price_objection"."""
    said = standing_objection(ctx, now_ms)
    if said is None:
        return "price_objection"
    recut = recut_since(opp, said.occurred_at, least_share)
    return "price_recut" if recut is not None and recut.now < recut.then else "price_objection"


_STANCE: Final = {
    Attitude.SKEPTIC: "skeptic",
    Attitude.NEUTRAL: "neutral",
    Attitude.OPPONENT: "opponent",
}
"""The rationale of a champion's word, by where the target stands."""

_REACTION: Final[Mapping[str, Callable[[ActivityFacts], Outcome | None]]] = {
    "price": lambda a: a.price_reaction,
    "solution": lambda a: a.solution_reaction,
}
"""The reaction on record that a price or solution play answers."""


_SHOWS: Final[Mapping[str, frozenset[ActivityType]]] = {
    "price": frozenset({ActivityType.PRICING_DISCUSSION}),
    "solution": frozenset(
        {
            ActivityType.POC,
            ActivityType.DEMO,
            ActivityType.TECHNICAL_EXCHANGE,
            ActivityType.REFERENCE_VISIT,
            ActivityType.WORKSHOP,
        }
    ),
}
"""The contacts that put our price (or solution) before someone, whatever reaction was noted."""

NEUTRAL_SCORE: Final = 50
"""A score's middle: where a solution or price score starts before anything is on record."""


def voiced(ctx: PersonContext, aspect: str) -> bool:
    """Whether they have seen our price (or solution) and we know what they made of it: a
    reaction on record, or a contact that put it before them. Without one, a middling score is
    what we do not know yet, not a doubt they voiced, and the rationale says so."""
    reaction, shows = _REACTION[aspect], _SHOWS[aspect]
    return any(reaction(a) is not None or a.type in shows for a in ctx.activities)


def unanswered(ctx: PersonContext, aspect: str) -> bool:
    """Their latest reaction on record to our price (or solution) was an objection: nothing we
    did since has answered it. An objection left standing is the first thing a leader has
    answered, whatever else the plan does with them."""
    reaction = _REACTION.get(aspect)
    if reaction is None:
        return False
    heard = [a for a in ctx.activities if reaction(a) is not None]
    last = max(heard, key=lambda a: (a.occurred_at, a.id), default=None)
    return last is not None and reaction(last) in WENT_BADLY


_INTRODUCED_WELL: Final = 0.5
"""The share of a warm introduction's gain from which a cold visit waits for it."""


def _credit_clause(path: WarmPath, config: StrategyConfig) -> Clause | None:
    """Why an introduction counts for less than a warm one, or None when it counts in full."""
    credit = introduction_credit(path, config)
    if credit.share >= 1.0:
        return None
    words: dict[str, object] = {"percent": round(credit.share * 100), "relays": credit.relays}
    if credit.weakest is not None:
        at = path.hops.index(credit.weakest)
        words |= {
            "from": path.names[at],
            "to": path.names[at + 1],
            "tie": credit.weakest.strength.value if credit.weakest.strength else "REPORTS_TO",
        }
    return Clause("path_credit", words)


def _last_went_badly(ctx: PersonContext) -> bool:
    """Our latest contact with them went badly: what the next meeting has to mend, which "we
    hardly know them" would hide."""
    last = max(ctx.activities, key=lambda a: (a.occurred_at, a.id), default=None)
    return last is not None and last.outcome in WENT_BADLY


KNOWN_WELL: Final = 50
"""From this closeness on we know someone well: a visit deepens the relationship, and the
reason no longer says we do not know them well."""


def unreached(ctx: PersonContext) -> bool:
    """Nobody of ours knows them and nobody has met them: we have no access yet."""
    return not ctx.knows and not ctx.activities


MEETINGS: Final = frozenset(ActivityType) - {ActivityType.CALL, ActivityType.EMAIL}
"""Contacts face to face: after one lately, the person knows who we are."""


def _review_day(
    snapshot: ChainSnapshot, playbook: Playbook, now_ms: int, config: StrategyConfig
) -> str | None:
    """The day the delivery manager's review of a quote not reviewed yet is due: the open plan
    item's, else the day the plan suggests it for (None: the quote is reviewed, or there is
    none). A price play with the customer comes after it."""
    opp = snapshot.opportunity
    quoted = opp.quote_status in (QuoteStatus.DRAFT, QuoteStatus.SUBMITTED)
    if not quoted or opp.delivery_reviewed:
        return None
    review = "delivery_rework" if opp.delivery_infeasible else "delivery_review"
    keys = {a.key: a for a in playbook.actions if a.addresses == review}
    days = [p.due_on for p in snapshot.planned if p.action_key in keys and p.due_on is not None]
    if days:
        return min(days)
    lead = min((a.lead_days for a in keys.values()), default=None)
    return None if lead is None else due_date(now_ms, lead, config.plan.days_off)


def _planned_first_meeting(
    snapshot: ChainSnapshot,
    playbook: Playbook,
    action: PlaybookAction,
    ctx: PersonContext | None,
) -> PlannedPlay | None:
    """The step of the plan that is our first meeting with someone nobody of ours has met nor
    knows (the earliest due, of those with a day): a play that meets them comes after it (a
    sales leader: "nobody demos to a hospital president before meeting him")."""
    if ctx is None or action.effect.activity_type is None or not unreached(ctx):
        return None
    if action.requires == "no_team_tie":
        return None  # the introduction opens the door to that meeting: it comes before it
    meetings = [
        p
        for p in snapshot.planned
        if p.person_id == ctx.person_id
        and p.action_key != action.key
        and p.due_on is not None
        and (play := playbook.get(p.action_key)) is not None
        and play.effect.activity_type in MEETINGS
    ]
    return min(meetings, key=lambda p: (p.due_on or "", p.action_key), default=None)


def held_back(
    snapshot: ChainSnapshot, now_ms: int, config: StrategyConfig
) -> set[tuple[str, str | None]]:
    """(play, person) of the plays dropped from the plan that still wait (``waits``)."""
    return {
        (play.action_key, play.person_id)
        for play in snapshot.dropped
        if waits(play, snapshot, now_ms, config)
    }


def rested(
    snapshot: ChainSnapshot,
    now_ms: int,
    config: StrategyConfig,
    price_plays: AbstractSet[str] = frozenset(),
) -> set[tuple[str, str | None]]:
    """(play, person) of the plays done lately: within ``plan.repeat_after_days`` of the day
    its result was recorded (to the end of that UTC day), as a contact of its kind waits. A
    sales director walking the product: the step he had just closed with the vice president
    came straight back as the top suggestion, for another of ours; what it did shows first,
    whatever kind of contact the result recorded. A play on our price (``price_plays``) done
    before our quote changed does not rest: the new quote is news to take to them."""
    rest = config.plan.repeat_after_days
    return {
        (play.action_key, play.person_id)
        for play in snapshot.done
        if _within_days(play.at, rest, now_ms)
        and not (play.action_key in price_plays and _quote_news(snapshot, play.at, config))
    }


def _quote_news(snapshot: ChainSnapshot, at: int, config: StrategyConfig) -> bool:
    """Our quote changed since ``at`` by at least ``price.recut_least_share``: a price talk
    held before it is no reason to wait with the next one (a sales director who cut the quote
    after the CFO's workshop: the plan should take the new quote to him, not rest three
    weeks)."""
    return recut_since(snapshot.opportunity, at, config.price.recut_least_share) is not None


def waits(play: DroppedPlay, snapshot: ChainSnapshot, now_ms: int, config: StrategyConfig) -> bool:
    """Whether a play dropped from the plan is kept out of the suggestions. A sales leader: a
    team drops a step because the customer refused it, the timing is wrong, it no longer makes
    sense or nobody can do it; suggesting it again at once is noise that costs the tool its
    credibility, and each reason has its own wait. A wrong timing waits for the day the team
    set (``resume_on``), whoever talks to the person meanwhile. A refusal waits for a change in
    the person: a contact with them since (what they said since), however long that takes.
    "Nobody to do it" goes to the sales director at once, the first time (``recalled`` gives
    it to them): it is about our team, not the customer. Any other, or "nobody" again, waits
    for such a contact or ``plan.dropped_quiet_days``, whichever comes first.
    A wait ends at the start or end of a UTC day, where a kept analysis is computed again
    anyway (``resolvers.derived.valid_until``)."""
    if play.reason == DropReason.TIMING and play.resume_on:
        return now_ms < day_start_ms(play.resume_on)
    if play.reason == DropReason.NOBODY and play.given_up <= 1:
        return False
    if _touched(play, snapshot, now_ms):
        return False
    if play.reason == DropReason.REFUSED and play.person_id is not None:
        return True
    return _quiet(play, now_ms, config)


def _touched(play: DroppedPlay, snapshot: ChainSnapshot, now_ms: int) -> bool:
    """One of ours has been in touch with the play's person since it was dropped."""
    return play.person_id is not None and any(
        play.at < a.occurred_at <= now_ms and play.person_id in a.person_ids
        for a in snapshot.activities
    )


def _quiet(play: DroppedPlay, now_ms: int, config: StrategyConfig) -> bool:
    """Within ``plan.dropped_quiet_days`` of the drop (to the end of that UTC day)."""
    return _within_days(play.at, config.plan.dropped_quiet_days, now_ms)


def _within_days(at: int, days: int, now_ms: int) -> bool:
    """``now_ms`` is within ``days`` of ``at``, to the end of that UTC day: a wait ends where a
    kept analysis is computed again anyway (``resolvers.derived.valid_until``)."""
    return now_ms < ((at + days * DAY_MS) // DAY_MS + 1) * DAY_MS


def with_director(
    play: DroppedPlay, snapshot: ChainSnapshot, now_ms: int, config: StrategyConfig
) -> bool:
    """Whether a play dropped because nobody of ours could do it is still the sales director's
    to give to someone: until one of ours has been in touch with its person since, or for
    ``plan.dropped_quiet_days``. After that it is an ordinary suggestion again (saying when it
    was dropped), not a staffing question from long ago."""
    return (
        play.reason == DropReason.NOBODY
        and not _touched(play, snapshot, now_ms)
        and _quiet(play, now_ms, config)
    )


def day_start_ms(day: str) -> int:
    """The start (UTC) of a day written YYYY-MM-DD, in epoch ms."""
    start = datetime.combine(date.fromisoformat(day), time(), UTC)
    return int(start.timestamp() * 1000)


def recalled(
    found: Sequence[Suggestion],
    snapshot: ChainSnapshot,
    now_ms: int,
    config: StrategyConfig,
    reviews: AbstractSet[str],
) -> list[Suggestion]:
    """The suggestions, those of a play dropped before for the same person saying so (when and
    why) at the end of their rationale: a sales VP wants "previously dropped (reason, date)"
    on a play that comes back, so nobody takes it for new. One dropped because nobody of ours
    could do it is the sales director's to give to someone (``to_director``) while
    ``with_director``, but for the delivery review (``reviews``), which only the delivery
    manager can do."""
    latest = {(d.action_key, d.person_id): d for d in snapshot.dropped}
    out: list[Suggestion] = []
    for s in found:
        play = latest.get((s.action_key, s.target_person_id))
        if play is None:
            out.append(s)
            continue
        # the delivery review stays the delivery manager's: only they can review the quote
        ours = with_director(play, snapshot, now_ms, config) and s.action_key not in reviews
        on = datetime.fromtimestamp(play.at / 1000, UTC).date().isoformat()
        words = {"on": on, "reason": play.reason.value if play.reason else None, "director": ours}
        s = _with_clauses(s, (*s.rationale_clauses, Clause("dropped_before", words)))
        s = dataclasses.replace(s, dropped_before=play, awaits_staffing=ours)
        out.append(to_director(s, snapshot.team) if ours else s)
    return out


def staffed(s: Suggestion) -> Suggestion:
    """The suggestion as accepted into the plan: owned by someone now, its rationale no longer
    says the sales director finds someone to do it (a step given out must not read as still
    waiting for someone)."""
    if not s.awaits_staffing:
        return s
    clauses = tuple(
        Clause(c.kind, {**c.words, "director": False}) if c.kind == "dropped_before" else c
        for c in s.rationale_clauses
    )
    return dataclasses.replace(_with_clauses(s, clauses), awaits_staffing=False)


def _with_clauses(s: Suggestion, clauses: tuple[Clause, ...]) -> Suggestion:
    """The suggestion with its rationale written from ``clauses``, in both languages."""
    why = rationale_text(clauses)
    return dataclasses.replace(
        s, rationale_en=why.en, rationale_zh=why.zh, rationale_clauses=clauses
    )


def to_director(s: Suggestion, team: Sequence[TeamAssignment]) -> Suggestion:
    """The suggestion owned by the deal's sales director (deal phase first, then by id), or by
    the role with a note when none is on its team: "nobody to do it goes to the sales
    director" (a sales VP)."""
    directors = sorted(
        (t for t in team if t.role == TeamRole.SALES_DIRECTOR),
        key=lambda t: (t.phase != LifecyclePhase.DEAL, t.member_id),
    )
    if directors:
        d = directors[0]
        return dataclasses.replace(
            s,
            owner_role=TeamRole.SALES_DIRECTOR,
            owner_member_id=d.member_id,
            owner_name=d.name,
            owner_note_en=None,
            owner_note_zh=None,
        )
    return dataclasses.replace(
        s,
        owner_role=TeamRole.SALES_DIRECTOR,
        owner_member_id=None,
        owner_name=None,
        owner_note_en="No sales director on the team: whoever oversees the deal finds someone.",
        owner_note_zh="团队中没有销售总监：请由负责此商机的上级安排人选。",
    )


def met_lately(ctx: PersonContext, now_ms: int, config: StrategyConfig) -> bool:
    """One of ours met them face to face in the last ``plan.met_lately_days``."""
    since = now_ms - config.plan.met_lately_days * DAY_MS
    return any(a.type in MEETINGS and since <= a.occurred_at <= now_ms for a in ctx.activities)


def remembered(ctx: PersonContext, now_ms: int, config: StrategyConfig) -> bool:
    """One of ours had a good meeting with them face to face in the last
    ``plan.remembered_days``: acquaintance does not fade as warmth does."""
    since = now_ms - config.plan.remembered_days * DAY_MS
    return any(
        a.type in MEETINGS and a.outcome in WENT_WELL and since <= a.occurred_at <= now_ms
        for a in ctx.activities
    )


def renewal(ctx: PersonContext, now_ms: int, config: StrategyConfig) -> ActivityFacts | None:
    """The good meeting with someone nobody of ours knows or has met lately that leaves us
    known (``remembered``), the latest one; None otherwise. The contact is renewed by whoever
    held it, referring to it (case 59)."""
    if ctx.knows or met_lately(ctx, now_ms, config):
        return None
    since = now_ms - config.plan.remembered_days * DAY_MS
    good = [
        a
        for a in ctx.activities
        if a.type in MEETINGS and a.outcome in WENT_WELL and since <= a.occurred_at <= now_ms
    ]
    return max(good, key=lambda a: (a.occurred_at, a.id), default=None)


def stranger(ctx: PersonContext, state: PersonState, config: StrategyConfig, now_ms: int) -> bool:
    """Nobody of ours knows them: no tie to anyone of ours, a closeness below
    ``plan.known_closeness``, no meeting lately and no good one within the year. A meeting
    that came to nothing months ago leaves us strangers: the next one still goes through
    someone who can introduce us. One this month does not: they know who we are, and what we
    lack is their belief, not access (a sales director: asking their own report to introduce
    us would look odd, and could expose our coach). Nor does a good one within the year: the
    contact is renewed, not introduced again."""
    return (
        not ctx.knows
        and state.closeness < config.plan.known_closeness
        and not met_lately(ctx, now_ms, config)
        and not remembered(ctx, now_ms, config)
    )


_TALKS = frozenset({"coach", "bid_watch"})
"""Plays that are a talk with someone who trusts us, not another visit or dinner: the rule
against repeating a kind of contact within weeks does not hold them back."""


_FORMAL = frozenset({"compliance", "fair_process"})
"""Plays done openly, in writing, through the official channel: no introduction comes first."""

_NEEDS_ACCESS = frozenset({"competitor_ally", "coach"})
"""Plays that work on a relationship: nobody can neutralise, or make a coach of, someone
nobody on our team knows or has met; first get access (an introduction, a visit)."""


_INVITATIONS = frozenset({ActivityType.REFERENCE_VISIT})
"""Contacts that are an invitation (a trip to one of our customers): nobody accepts one from
people they have never met. It follows the introduction when someone can introduce us, and
otherwise waits until one of ours has met them."""

_TRUST_FIRST = frozenset({"price"})
"""Jobs nobody does with a stranger: a price talk with someone nobody of ours has met gets a
price list and a polite no (a sales leader: meet before you negotiate price). Like an
invitation, it follows the introduction when someone can introduce us, and otherwise waits
until one of ours has met them; the first meeting (the relationship visit) is planned
meanwhile. Not at negotiation: there the price talk is the meeting the buyer calls."""


def _applicable(
    action: PlaybookAction,
    ctx: PersonContext,
    state: PersonState,
    has_coach: bool,
    opp: OpportunityFacts,
    config: StrategyConfig,
    now_ms: int,
    asked: frozenset[str] = frozenset(),
) -> bool:
    if drawn_expert(ctx.member):
        return False  # reached only through the bid: any contact with the panel can void it
    if action.roles and ctx.member.role not in action.roles:
        return False
    if action.addresses == "fair_process" and ctx.person_id not in asked:
        return False
    if (
        scorers_sealed(opp)
        and ctx.member.role in SEALED_WHILE_BID_IN
        and action.addresses not in _FORMAL
    ):
        return False  # the committee sits, or a re-run's scorers are watched: only what is
        # asked openly and in writing
    if action.stages and opp.stage not in action.stages:
        return False
    if action.duty and discharged(action, ctx):
        return False
    if action.addresses in _NEEDS_ACCESS and unreached(ctx):
        return False
    if action.addresses in ("coach", "attitude") and is_ally(ctx, config):
        # a rival's man made our coach feeds us the rival's story, and a champion sent to
        # lobby him hands him our case (and exposes her): his play is to neutralise him
        return False
    if action.addresses in ("coach", "attitude") and turned_down(state, config):
        # a judge who failed our solution is answered on the merits by the solution manager:
        # made our coach or pressed by a champion, his verdict on the solution stands
        return False
    if action.addresses == "coach":
        return not has_coach and ATTITUDE_ORDER.index(ctx.member.attitude) >= ATTITUDE_ORDER.index(
            Attitude.NEUTRAL
        )
    if action.addresses == "competitor_ally":
        return is_ally(ctx, config)
    if action.addresses == "attitude":
        # against us with no rival behind them: their grudge is with us, and a colleague they
        # trust can soften it
        return ctx.member.attitude in (Attitude.NEUTRAL, Attitude.SKEPTIC, Attitude.OPPONENT)
    if action.addresses == "price" and not price_concern(ctx):
        return False
    if (
        action.addresses == "solution"
        and ctx.member.role == DecisionRole.APPROVER
        and not voiced(ctx, "solution")
    ):
        # an approver signs the business case: their middling solution score is what we do not
        # know, not a doubt to answer with a reference site (a sales leader: meet them on the
        # budget and the business case first)
        return False
    if action.addresses in TARGETLESS or action.addresses == "successor":
        return False  # a successor's introduction is asked of one who left (strategy.departures)
    if action.addresses == "bid_watch":
        return bid_in(opp)  # the committee sits: until the award, they hear from us each week
    if action.requires == "no_team_tie" and not stranger(ctx, state, config, now_ms):
        return False  # an introduction is to someone nobody of ours knows
    if action.addresses == "closeness" and (
        gone_quiet(state)
        or quiet_decider(state)
        or quiet_budget_holder(ctx, opp, now_ms, config) is not None
    ):
        return True  # however well we knew them: what they know, or think of us, goes stale
    score = {"closeness": state.closeness, "solution": state.solution, "price": state.price}
    return action.max_score is None or score[action.addresses] < action.max_score


def quiet_budget_holder(
    ctx: PersonContext, opp: OpportunityFacts, now_ms: int, config: StrategyConfig
) -> tuple[int, int] | None:
    """(days, limit) of a budget holder nobody of ours has talked to for longer than the stage
    allows (``health.quiet_limit``), else None: the plan's step with them says so (a sales
    leader: their budget and price position is unverified)."""
    if ctx.member.role not in (DecisionRole.APPROVER, DecisionRole.FINANCE):
        return None
    last = max((a.occurred_at for a in ctx.activities if a.occurred_at <= now_ms), default=None)
    silence = signer_silence(ctx.member, last, opp, now_ms, config) if last is not None else None
    if silence is None or silence[0] is None:
        return None
    return silence[0], silence[1]


def quiet_decider(state: PersonState) -> bool:
    """A decision maker with us whose support counts half or less for the silence since we
    last spoke with them (``signer_mood``): it may have moved."""
    return state.fresh <= 0.5 and state.dated and state.role == DecisionRole.DECISION_MAKER


def gone_quiet(state: PersonState) -> bool:
    """A coach or a champion whose word counts half or less for the silence since we last
    spoke with them (``insider_credit``: a month and more): the first thing is to meet them
    again. Two weeks and a few days is how often a coach is met."""
    return state.fresh <= 0.5 and state.dated and state.role != DecisionRole.DECISION_MAKER


def fair_process_asked(
    contexts: Mapping[str, PersonContext],
    ranked: Sequence[PersonState],
    names: Mapping[str, str],
    config: StrategyConfig,
) -> tuple[frozenset[str], dict[str, list[str]]]:
    """Whom a fair process is asked of when a supervisor of the purchase is close to a
    competitor (the most influential decision maker, else the most influential procurement
    member), and the supervisors and competitors the request is about; nobody otherwise."""
    wired = {p: wired_by(c, config) for p, c in sorted(contexts.items()) if wired_by(c, config)}
    if not wired:
        return frozenset(), {}
    for role in (DecisionRole.DECISION_MAKER, DecisionRole.PROCUREMENT):
        found = next((s.person_id for s in ranked if s.role == role), None)
        if found is not None:
            rivals = sorted({contexts[p].name_of(c) for p, cs in wired.items() for c in cs})
            who = [names.get(p, p) for p in wired]
            return frozenset({found}), {"supervisors": who, "competitors": rivals}
    return frozenset(), {}


def discharged(action: PlaybookAction, ctx: PersonContext) -> bool:
    """A duty to this person is done: a contact of its type with them went well. One owed
    every so many days is never done: its next turn is due (``_next_turn``)."""
    if action.every_days is not None:
        return False
    kind = action.effect.activity_type
    return any(a.type == kind and a.outcome in WENT_WELL for a in ctx.activities)


def _next_turn(action: PlaybookAction, ctx: PersonContext, now_ms: int) -> int:
    """Days until a duty owed every ``every_days`` falls due: that long after the last contact
    with them (a coach called six days ago is due tomorrow); tomorrow once a whole turn has
    passed without one; in its usual lead time when nobody ever spoke with them (or it is
    owed but once)."""
    past = [a.occurred_at for a in ctx.activities if a.occurred_at <= now_ms]
    if action.every_days is None or not past:
        return action.lead_days
    since = days_between(max(past), now_ms)
    return action.every_days - since if since < action.every_days else 1


def _lately(
    snapshot: ChainSnapshot, now_ms: int, config: StrategyConfig
) -> dict[tuple[str, ActivityType | None], int]:
    """(person, kind of contact) of the contacts of the last ``plan.repeat_after_days`` and of
    those in the calendar, with the latest: the play that makes that contact with them waits
    (one on our price not for a contact before our quote changed, ``_quote_news``)."""
    since = now_ms - config.plan.repeat_after_days * DAY_MS
    latest: dict[tuple[str, ActivityType | None], int] = {}
    for a in snapshot.activities:
        if a.occurred_at >= since:
            for p in a.person_ids:
                key = (p, a.type)
                latest[key] = max(latest.get(key, a.occurred_at), a.occurred_at)
    return latest


def _arranged(snapshot: ChainSnapshot, now_ms: int) -> frozenset[str]:
    """The people one of ours has a meeting with in the calendar (face to face, dated ahead):
    that meeting is the relationship step with them, and it needs no introduction."""
    return frozenset(
        p
        for a in snapshot.activities
        if a.occurred_at > now_ms and a.type in MEETINGS
        for p in a.person_ids
    )


def succeeded(snapshot: ChainSnapshot) -> frozenset[ActivityType]:
    """The kinds of activity that went well on this deal (a play done ``once`` is not
    suggested again): a POC that passed is presented, not run a second time."""
    deal = snapshot.opportunity.id
    return frozenset(
        a.type
        for a in snapshot.activities
        if a.outcome in WENT_WELL and a.opportunity_id in (None, deal)
    )


def _learned_state(
    action: PlaybookAction,
    before: PersonState,
    modelled: PersonState,
    learned: LearnedEffects,
    config: StrategyConfig,
) -> tuple[PersonState, AssumedEffect]:
    """The target's state after the play: modelled, or moved by the learned effect."""
    order = ATTITUDE_ORDER.index
    assumed = assumed_effect(
        action.key,
        before.role,
        modelled.closeness - before.closeness,
        order(modelled.attitude) - order(before.attitude),
        learned,
        config.learning,
    )
    if assumed.observations == 0:
        return modelled, assumed
    closeness = max(0, min(100, round(before.closeness + assumed.closeness)))
    attitude = stepped_attitude(before.attitude, round(assumed.attitude))
    return dataclasses.replace(modelled, closeness=closeness, attitude=attitude), assumed


def _job(target: str | None, addresses: str, *, introduces: bool) -> tuple[str, str]:
    """The job a play does for its person; an introduction opens the door, no alternative to
    the meetings behind it. Keeping someone informed while the bids are evaluated is keeping
    in touch: a visit besides it would be the same job twice."""
    if introduces:
        return (target or "", "access")
    return (target or "", "closeness" if addresses == "bid_watch" else addresses)


def _opening(intro: Suggestion, target: str, play_en: str, play_zh: str) -> Suggestion:
    """``intro`` saying which play on ``target`` (a name) it opens the door to: the one
    clause an introduction gets, whether that play is suggested after it or already planned."""
    words = {"target": target, "play": [play_en, play_zh]}
    clauses = (*intro.rationale_clauses, Clause("opens", words))
    why = rationale_text(clauses)
    return dataclasses.replace(
        intro, rationale_en=why.en, rationale_zh=why.zh, rationale_clauses=clauses
    )


def plan_work(
    snapshot: ChainSnapshot,
    contexts: Mapping[str, PersonContext],
    states: Sequence[PersonState],
    base: Assessment,
    analysis: ChainAnalysis,
    now_ms: int,
    config: StrategyConfig,
    playbook: Playbook,
    names: Mapping[str, str],
    learned: LearnedEffects = NO_EFFECTS,
    *,
    scorer: ChainScorer | None = None,
    totals: Totals | None = None,
) -> tuple[Suggestion, ...]:
    """Rank applicable plays on candidate members by expected gain in win likelihood.

    With recorded results for a play and the target's buying role (``learned``), the target's
    closeness and attitude after the play are the learned effect (``strategy.effects``) instead
    of the playbook's modelled one; without, the modelled effect stands unchanged.
    ``scorer`` and ``totals`` are the chain's scorer and the states' totals when the caller
    has them (made once per analysis). A decided deal (won, lost, abandoned) has none: there
    is nothing left to win, and its likelihood, its outcome, moves for no play.
    """
    if snapshot.opportunity.stage in CLOSED_STAGES:
        return ()
    pc = config.plan
    opp, comps = snapshot.opportunity, snapshot.competitors
    scorer = scorer or ChainScorer(opp, comps, now_ms, config)
    index = {s.person_id: i for i, s in enumerate(states)}
    ranked = sorted(states, key=lambda s: (-s.weight, s.person_id))
    candidates = list(
        dict.fromkeys(
            [g.person_id for g in analysis.gaps]
            + [b.person_id for b in analysis.bridges]
            + [s.person_id for s in ranked]
        )
    )[: pc.candidate_people]
    # A duty is owed to everyone it suits, however little influence they carry; the fair
    # process only to the one person it is asked of.
    asked, wiring = fair_process_asked(contexts, ranked, names, config)
    owed = {
        r
        for a in playbook.actions
        if a.duty and a.addresses != "fair_process" and a.addresses not in TARGETLESS
        for r in a.roles or DecisionRole
    }
    candidates += [
        s.person_id
        for s in ranked
        if (s.role in owed or s.person_id in asked) and s.person_id not in candidates
    ]
    totals = totals or Totals.of(states, config)
    listeners = Listeners.of(snapshot, states, config)
    memo = AssessMemo()
    # A champion who already guides us in all but name is our coach: the job is to ask them
    # openly (the NO_COACH watch point says so), not to develop another (a sales leader,
    # casebook 77-80)
    has_coach = any(s.role == DecisionRole.COACH for s in states) or bool(
        inside_champions(contexts, now_ms, config)
    )
    warm: WarmGraph | None = None
    champions: dict[str, ChampionLink] | None = None
    found: list[Suggestion] = []
    base_p = base.win_likelihood.value
    reviewed_on = _review_day(snapshot, playbook, now_ms, config)

    def suggest(
        action: PlaybookAction,
        target: str | None,
        gain: float,
        ctx: PersonContext | None,
        state: PersonState | None,
        path: WarmPath | None,
        assumed: AssumedEffect | None = None,
        champion: ChampionLink | None = None,
        after: tuple[PlaybookAction, WarmPath, str] | None = None,
    ) -> Suggestion:
        owner, note_en, note_zh = choose_owner(snapshot.team, action, ctx)
        # A note on a missing role keeps the item with that role; one on a missing executive
        # leaves it with whoever holds it meanwhile.
        missing_role = note_en is not None and action.owner_rule != "seniority"
        owner_role = owner.role if owner is not None and not missing_role else action.owner_role
        clauses = [_rationale(action, ctx, state, opp, names, wiring, now_ms, config)]
        if champion is not None:
            who = contexts[champion.person_id].member
            name = names.get(who.person_id, who.person_id)
            clauses.append(
                Clause("champion", {"name": name, "role": who.role.value, "link": champion.kind})
            )
            asker = best_acquainted(snapshot.team, contexts[champion.person_id])
            if asker is not None:
                owner, note_en, note_zh, owner_role = asker, None, None, asker.role
        if path is not None:
            asker_name, *via, target_name = path.names
            clauses.append(
                Clause("warm_path", {"asker": asker_name, "via": via, "target": target_name})
            )
            credit = _credit_clause(path, config)
            if credit is not None:
                clauses.append(credit)
            asker = path_owner(snapshot.team, path)
            if asker is not None:
                owner, note_en, note_zh, owner_role = asker, None, None, asker.role
        lead_days, follows = action.lead_days, None
        if ctx is not None:
            lead_days = _next_turn(action, ctx, now_ms)
        if clauses[0].kind in _REQUOTE:  # a changed quote is taken to them at once
            lead_days = min(lead_days, config.plan.requote_lead_days)
        if after is not None:
            first, opening, first_owner = after
            *_, introducer, target_name = opening.names
            adjoined = action.follows == first.key
            words = {"introducer": introducer, "target": target_name}
            clauses.append(Clause("follows" if adjoined else "after_introduction", words))
            lead_days += first.lead_days
            follows = FollowedPlay(first.key, first.effect, first_owner, adjoined)
        due = due_date(now_ms, lead_days, config.plan.days_off)
        first_meeting = _planned_first_meeting(snapshot, playbook, action, ctx)
        if first_meeting is not None and first_meeting.due_on is not None:
            start = day_start_ms(first_meeting.due_on)
            later = due_date(start, action.lead_days, config.plan.days_off)
            if later > due:
                due = later
                first = playbook.get(first_meeting.action_key)
                assert first is not None  # found by _planned_first_meeting
                assert ctx is not None
                words = {
                    "play_en": first.title_en,
                    "play_zh": first.title_zh,
                    "target": names.get(ctx.person_id, ctx.person_id),
                    "day": first_meeting.due_on,
                }
                clauses.append(Clause("after_planned", words))
        if action.addresses == "price" and reviewed_on is not None:
            # TAS+: a quote goes to the customer once the delivery manager has reviewed it
            later = due_date(day_start_ms(reviewed_on), 1, config.plan.days_off)
            if later > due:
                due = later
                clauses.append(Clause("after_review", {"day": reviewed_on}))
        why = rationale_text(clauses)
        assumed_texts = (
            effect_text(action.title_en, action.title_zh, ctx.member.role, assumed)
            if assumed is not None and ctx is not None
            else (None, None)
        )
        return Suggestion(
            action.key,
            action.title_en,
            action.title_zh,
            action.description_en,
            action.description_zh,
            target,
            action.addresses,
            why.en,
            why.zh,
            owner_role,
            owner.member_id if owner else None,
            owner.name if owner else None,
            note_en,
            note_zh,
            due,
            gain,
            action.effect,
            path,
            assumed,
            assumed_texts[0],
            assumed_texts[1],
            tuple(clauses),
            follows,
            action.duty,
        )

    intros: dict[str, tuple[WarmPath, ...]] = {}

    def intro_paths(pid: str) -> tuple[WarmPath, ...]:
        """Warm introduction paths to a member (the warm graph is built once, when needed)."""
        nonlocal warm
        if pid not in intros:
            if warm is None:
                warm = build_warm_graph(input_from_snapshot(snapshot, config), config)
            intros[pid] = warm_paths(warm, pid, 1, pc.warm_path_max_depth, config=config)
        return intros[pid]

    def introduced_well(pid: str) -> bool:
        """Someone can introduce us to them and means it: no thinner than through a moderate
        tie. A name passed on by someone who hardly knows us is no better than our own visit,
        and the plan offers both, ranked by what they bring."""
        paths = intro_paths(pid)
        return bool(paths) and introduction_credit(paths[0], config).share >= _INTRODUCED_WELL

    def owner_of(action: PlaybookAction, ctx: PersonContext, path: WarmPath | None) -> str:
        """Whom the play's trial credits with the contact (the asker of an introduction)."""
        owner, _, _ = choose_owner(snapshot.team, action, ctx)
        if path is not None:
            owner = path_owner(snapshot.team, path) or owner
        return owner.member_id if owner else UNASSIGNED

    def tried(
        action: PlaybookAction, ctx: PersonContext, state: PersonState, owner_id: str
    ) -> tuple[PersonContext, PersonState, AssumedEffect]:
        """The member's slice and state after the play goes well."""
        changed = apply_effect(ctx, action.effect, action.key, owner_id, now_ms, config)
        new_state = restated(state, changed, scorer.score(changed), now_ms, config)
        return changed, *_learned_state(action, state, new_state, learned, config)

    def likelihood_of(old: PersonState, new: PersonState) -> float:
        trial = listeners.swap(totals, old, new, config)
        return trial_likelihood(opp, comps, trial, now_ms, config, memo)[0]

    introduction = next((a for a in playbook.actions if a.requires == "no_team_tie"), None)
    openings: dict[tuple[str, str], tuple[PlaybookAction, WarmPath, str] | None] = {}

    def opened_by(
        action: PlaybookAction, ctx: PersonContext, state: PersonState
    ) -> tuple[PlaybookAction, WarmPath, str] | None:
        """The introduction a play that meets the target comes after: nobody of ours knows
        them and a warm path reaches them (the play, its best path and the asker). The first
        meeting is the introduction's: the play that follows it is that meeting, and any other
        meeting comes later, worth what it adds once we are introduced."""
        first = playbook.get(action.follows) if action.follows else introduction
        if first is None or first.key == action.key or action.effect.activity_type is None:
            return None
        if action.addresses in _FORMAL:
            return None
        key = (ctx.person_id, first.key)
        if key not in openings:  # the same for every play on them
            openings[key] = None
            if (
                stranger(ctx, state, config, now_ms)
                and _applicable(first, ctx, state, has_coach, opp, config, now_ms)
                and introduced_well(ctx.person_id)
            ):
                path = intro_paths(ctx.person_id)[0]
                openings[key] = (first, path, owner_of(first, ctx, path))
        return openings[key]

    introduced: dict[tuple[str, str], tuple[PersonContext, PersonState, float]] = {}
    # Each targeted play and the target after it, to measure a second play on the same person
    # after the first one (see ``then`` below).
    done_by: dict[tuple[str, str], tuple[PlaybookAction, str, PersonContext, PersonState]] = {}
    # Introductions worth too little to be listed for themselves (by pid and play).
    unlisted: dict[tuple[str, str | None], Suggestion] = {}
    done = succeeded(snapshot)
    plays = [a for a in playbook.actions if not (a.once and a.effect.activity_type in done)]
    lately = _lately(snapshot, now_ms, config)
    arranged = _arranged(snapshot, now_ms)
    for pid in candidates:
        ctx, state = contexts[pid], states[index[pid]]
        for action in plays:
            last = lately.get((pid, action.effect.activity_type))
            if (
                last is not None
                and action.addresses not in _TALKS
                and not (action.addresses == "price" and _quote_news(snapshot, last, config))
            ):
                continue  # asking someone who trusts us to guide us is a talk, not another dinner
            if pid in arranged and (
                action.addresses == "closeness" or action.requires == "no_team_tie"
            ):
                continue  # the meeting in the calendar is the visit, and we have access
            if not _applicable(action, ctx, state, has_coach, opp, config, now_ms, asked):
                continue
            path: WarmPath | None = None
            link: ChampionLink | None = None
            if action.requires == "champion":
                if champions is None:
                    champions = champion_links(snapshot, contexts, config)
                link = champions.get(pid)
                if link is None:
                    continue
            if action.requires == "no_team_tie":
                paths = intro_paths(pid)
                if not paths:
                    continue
                path = paths[0]
            if action.requires == "access" and unreached(ctx) and introduced_well(pid):
                continue  # someone can introduce us: the introduction, not a cold visit
            invitation = action.effect.activity_type in _INVITATIONS
            trust_first = action.addresses in _TRUST_FIRST and opp.stage != Stage.NEGOTIATION
            if (invitation or trust_first) and unreached(ctx) and not introduced_well(pid):
                # an invitation or a price talk from strangers: one of ours meets them first; a
                # weak introduction buys a courtesy meeting at best, no step towards price
                continue
            # The meeting an introduction opens is measured on the deal with it done: the
            # first meeting is the introduction's, counted once.
            after = opened_by(action, ctx, state)
            start_ctx, start_state, start_p = ctx, state, base_p
            if after is not None:
                first, _, first_owner = after
                intro = (pid, first.key)
                if intro not in introduced:  # every meeting with them starts from the same one
                    done_ctx, done_state, _ = tried(first, ctx, state, first_owner)
                    introduced[intro] = (done_ctx, done_state, likelihood_of(state, done_state))
                start_ctx, start_state, start_p = introduced[intro]
            owner_id = owner_of(action, ctx, path)
            new_ctx, new_state, assumed = tried(action, start_ctx, start_state, owner_id)
            gain = likelihood_of(state, new_state) - start_p
            if path is not None:  # what the introduction is worth through these ties
                gain *= introduction_credit(path, config).share
            listed = gain >= pc.min_gain or action.duty
            if listed or action.requires == "no_team_tie":
                made = suggest(action, pid, gain, ctx, state, path, assumed, link, after)
                if listed:
                    found.append(made)
                else:  # an introduction listed only before a play that needs it
                    unlisted[(action.key, pid)] = made
                done_by[(action.key, pid)] = (action, owner_id, new_ctx, new_state)

    quoted = opp.quote_status in (QuoteStatus.DRAFT, QuoteStatus.SUBMITTED)
    if quoted and not opp.delivery_reviewed:
        # a quote judged not deliverable is reworked (then reviewed again), not reviewed again
        review = "delivery_rework" if opp.delivery_infeasible else "delivery_review"
        for action in playbook.actions:
            if action.addresses != review or not action.effect.delivery_reviewed:
                continue
            reviewed = dataclasses.replace(opp, delivery_reviewed=True, delivery_infeasible=False)
            gain = trial_likelihood(reviewed, comps, totals, now_ms, config, memo)[0]
            found.append(suggest(action, None, gain - base_p, None, None, None))

    if bid_in(opp):
        for action in playbook.actions:
            if action.addresses == "bid_clarifications":
                found.append(suggest(action, None, 0.0, None, None, None))

    if totals.unstaffed:
        staffed = dataclasses.replace(totals, unstaffed=False)
        for action in playbook.actions:
            if action.addresses == "solution_owner" and opp.stage in action.stages:
                gain = trial_likelihood(opp, comps, staffed, now_ms, config, memo)[0]
                found.append(suggest(action, None, gain - base_p, None, None, None))

    # A play already in the work plan and not done yet is not suggested again; nor one the team
    # dropped, while its reason says it waits (``waits``), nor one done lately (``rested``): but
    # a duty or the delivery review is owed whatever was dropped or done (TAS: do what must be
    # done; a duty keeps its own turns), and is suggested again at once.
    planned = {(p.action_key, p.person_id) for p in snapshot.planned}
    on_price = frozenset(a.key for a in playbook.actions if a.addresses == "price")
    held = held_back(snapshot, now_ms, config) | rested(snapshot, now_ms, config, on_price)
    owed_plays = playbook.owed_plays
    found = [
        s
        for s in found
        if (s.action_key, s.target_person_id) not in planned
        and ((s.action_key, s.target_person_id) not in held or s.action_key in owed_plays)
    ]
    found = recalled(found, snapshot, now_ms, config, playbook.reviewer_plays)
    for waiting_or_planned in planned | held:  # never taken along by a play that follows it
        unlisted.pop(waiting_or_planned, None)
    # An open step of the plan that meets someone only an introduction opens the door to
    # (the reference visit accepted before the introduction it comes after) is stuck until
    # the introduction is done: the introduction is listed, saying which step needs it, and
    # comes before the plays ranked by gain, however little it adds by itself.
    needed_by_plan: set[tuple[str, str | None]] = set()
    keys = {a.key for a in playbook.actions}
    for open_item in snapshot.planned:
        who = open_item.person_id
        if who is None or who not in contexts or open_item.action_key not in keys:
            continue
        waiting = playbook.get(open_item.action_key)
        door = opened_by(waiting, contexts[who], states[index[who]])
        wanted = (door[0].key, who) if door is not None else None
        if wanted is None or wanted in planned or wanted in needed_by_plan:
            continue
        listed_intro = next(
            (f for f in found if (f.action_key, f.target_person_id) == wanted), None
        )
        if listed_intro is not None:
            found.remove(listed_intro)
        needed = listed_intro or unlisted.pop(wanted, None)
        if needed is not None:
            found.append(_opening(needed, names.get(who, who), waiting.title_en, waiting.title_zh))
            needed_by_plan.add(wanted)
    trusted = {p for p, c in contexts.items() if c.member.attitude in SUPPORTIVE}

    # By gain; equal gains: the action due first goes first. A play that follows an
    # introduction goes right after it: the two are one step (the first meeting, counted
    # once, in the introduction's gain). The delivery review of a quote is a required step
    # (TAS: do what must be done), so it is suggested whatever its gain; a duty of the
    # playbook (the compliance commitment to the supervisor of a state-owned purchase) too,
    # and it comes first: a bid disqualified for a breach loses all else; duties in the order
    # they fall due (the fair process is asked for before the bids are written). One coach is
    # enough: only the best candidate, and one who already supports us before a neutral one (a coach
    # must trust us). Two plays on one person that do the same job (a POC and a technical
    # exchange both answer their view of our solution) are alternatives: the better one is
    # listed, and the person's other place goes to a play that does another job.
    # A quote already out without its delivery review is a breach of the process to mend now,
    # with the duties, and so is a draft about to go out (``review_pressing``); another
    # draft's review is ranked by what it adds.
    pressing = review_pressing(opp)
    duties = {
        a.key for a in playbook.actions if a.duty or (pressing and a.addresses in REVIEWED_BY)
    }

    def alone(s: Suggestion) -> tuple[bool, bool, bool, str, float, str, str, str]:
        owed = s.action_key in duties  # a duty comes before the plays ranked by gain
        due = s.due_date if owed else ""
        formal = s.addresses in _FORMAL  # what keeps the bid valid before all else
        # an introduction a step of the plan waits on: that step is stuck until it is done
        blocking = (s.action_key, s.target_person_id) in needed_by_plan
        return (
            not owed,
            not formal,
            not blocking,
            due,
            -s.expected_gain,
            s.due_date,
            s.action_key,
            s.target_person_id or "",
        )

    firsts = {(s.action_key, s.target_person_id): alone(s) for s in found}

    def place(s: Suggestion) -> tuple[tuple[bool, bool, bool, str, float, str, str, str], int]:
        if s.follows is not None and s.follows.adjoined:
            first = firsts.get((s.follows.action_key, s.target_person_id))
            if first is not None:
                return first, 1
        return alone(s), 0

    found.sort(key=place)
    if any(s.addresses == "coach" and s.target_person_id in trusted for s in found):
        found = [s for s in found if s.addresses != "coach" or s.target_person_id in trusted]
    # Two plays on one person overlap (the reference visit after our executive's visit finds
    # the dean already knowing us): a person's next play is worth what it adds after the plays
    # already in the plan, and takes its place by that. A meeting that follows an introduction
    # was measured after it already; a duty is owed whatever it adds; the answer to an
    # objection they raised keeps its own worth.
    # The target as the plan leaves them, the likelihood then (worked out when a later play
    # on them is measured) and the plays that did it.
    after_plan: dict[
        str, tuple[PersonContext, PersonState, float | None, tuple[FollowedPlay, ...]]
    ] = {}
    measured = {(s.action_key, s.target_person_id or ""): 0 for s in found}

    def then(s: Suggestion) -> Suggestion | None:
        """``s`` measured after the plays already planned on its target; None if it stands."""
        key = s.target_person_id or ""
        if key not in after_plan or s.required or (s.follows is not None and s.follows.adjoined):
            return None
        if unanswered(contexts[key], s.addresses):
            return None  # the answer to their objection does a job no other play does
        ctx, now, p_now, before = after_plan[key]
        if measured[(s.action_key, key)] == len(before):
            return None
        if any(f.action_key == s.action_key for f in before):
            return None  # the introduction a play already planned was measured after
        measured[(s.action_key, key)] = len(before)
        action, owner_id, _, _ = done_by[(s.action_key, key)]
        _, new_state, _ = tried(action, ctx, now, owner_id)
        if p_now is None:
            p_now = likelihood_of(states[index[key]], now)
            after_plan[key] = (ctx, now, p_now, before)
        gain = likelihood_of(states[index[key]], new_state) - p_now
        if s.warm_path is not None:
            gain *= introduction_credit(s.warm_path, config).share
        earlier = [playbook.get(f.action_key) for f in before]
        titles = [[a.title_en, a.title_zh] for a in earlier]
        words = {"target": names.get(key, key), "plays": titles}
        kept = [c for c in s.rationale_clauses if c.kind != "after_plays"]  # measured anew
        clauses = (*kept, Clause("after_plays", words))
        why = rationale_text(clauses)
        # a next step is due after the steps it was measured after, as the meeting an
        # introduction opens is (its own lead time from the latest of theirs)
        kinds = {f.action_key for f in before}
        last = max(
            (p.due_date for p in plan if p.target_person_id == key and p.action_key in kinds),
            default=None,
        )
        due = s.due_date
        if last is not None and last >= due:
            start = datetime.fromisoformat(last).replace(tzinfo=UTC).timestamp() * 1000
            due = due_date(int(start), action.lead_days, config.plan.days_off)
        return dataclasses.replace(
            s,
            expected_gain=gain,
            rationale_en=why.en,
            rationale_zh=why.zh,
            rationale_clauses=clauses,
            measured_after=before,
            due_date=due,
        )

    def planned_on(s: Suggestion) -> None:
        """Remember the target as the plan leaves them, for their next play."""
        key = s.target_person_id
        if key is None or (s.action_key, key) not in done_by:
            return
        action, owner_id, first_ctx, first_state = done_by[(s.action_key, key)]
        play = FollowedPlay(action.key, action.effect, owner_id)
        if key in after_plan:
            ctx, now, _, before = after_plan[key]
            opening = s.follows
            if opening is not None and all(f.action_key != opening.action_key for f in before):
                # the introduction this play was measured after comes with it
                first = playbook.get(opening.action_key)
                ctx, now, _ = tried(first, ctx, now, opening.owner_member_id)
                before = (*before, opening)
            ctx, now, _ = tried(action, ctx, now, owner_id)
            plays = (*before, play)
        else:
            ctx, now = first_ctx, first_state
            plays = (play,) if s.follows is None else (s.follows, play)
        after_plan[key] = (ctx, now, None, plays)

    def job_of(s: Suggestion) -> tuple[str, str]:
        """The job a play does for its person."""
        return _job(s.target_person_id, s.addresses, introduces=s.warm_path is not None)

    def opening(s: Suggestion) -> Suggestion | None:
        """The introduction ``s`` was measured after, still waiting in the queue: it is listed
        right before ``s``, which cannot be done first, whatever its own gain. The one a
        meeting is one step with comes first by its place; worth too little to be listed by
        itself, or moved back when measured again after another play on the person, it is
        taken along here."""
        if s.follows is None:
            return None
        wanted = (s.follows.action_key, s.target_person_id)
        if s.follows.adjoined and wanted in in_plan:
            return None
        queued = (q for q in queue if (q.action_key, q.target_person_id) == wanted)
        return next(queued, unlisted.get(wanted))

    def opens(intro: Suggestion, s: Suggestion) -> Suggestion:
        """``intro`` saying which play of the plan needs it."""
        target = s.target_person_id or ""
        return _opening(intro, names.get(target, target), s.title_en, s.title_zh)

    per_person: dict[str, int] = {}
    # A job a step already in the plan does for its person is taken: with a reference visit
    # planned to show them our solution works, a demo besides it is the same proof twice,
    # and the next one waits for how they took the visit (a sales leader).
    jobs: dict[tuple[str, str], int] = {}
    taken: set[tuple[str, str]] = set()  # by the plan's open steps: no exception opens them
    for step in snapshot.planned:
        play = playbook.get(step.action_key) if step.action_key in keys else None
        if play is not None and step.person_id is not None:
            job = _job(step.person_id, play.addresses, introduces=play.requires == "no_team_tie")
            jobs[job] = jobs.get(job, 0) + 1
            taken.add(job)
    plan: list[Suggestion] = []
    # what the plan holds: the steps listed here and the open steps of the work plan (a meeting
    # follows an introduction already taken on)
    in_plan: set[tuple[str, str | None]] = set(planned)
    coach_suggested = False
    queue = list(found)
    while queue:
        s = queue.pop(0)
        remeasured = then(s)
        if remeasured is not None:
            if remeasured.expected_gain < pc.min_gain:
                # worth too little alone now: still taken along by the meeting it opens
                unlisted[(remeasured.action_key, remeasured.target_person_id)] = remeasured
                continue
            bisect.insort(queue, remeasured, key=place)
            continue
        key = s.target_person_id or ""
        job = job_of(s)
        # the answer to an objection they raised takes a place of its own beside the others
        answers = key in contexts and unanswered(contexts[key], s.addresses)
        # the meeting an introduction opens is one step with it: it takes no place of its own
        opened = s.follows is not None and s.follows.adjoined
        if (
            (per_person.get(key, 0) >= pc.max_per_person and not answers and not opened)
            or (s.addresses == "coach" and coach_suggested)
            or (jobs.get(job, 0) >= pc.max_per_job and not opened)
            or job in taken
        ):
            continue
        needed = opening(s)
        opening_step = None if s.follows is None else (s.follows.action_key, s.target_person_id)
        if needed is None and opened and opening_step not in in_plan:
            continue  # the introduction it is one step with was left out: it cannot be done
        if needed is not None:
            if len(plan) + 2 > pc.max_suggestions:
                continue  # no room for the introduction it needs
            if needed in queue:
                queue.remove(needed)
            else:
                del unlisted[(needed.action_key, needed.target_person_id)]
        coach_suggested = coach_suggested or s.addresses == "coach"
        for item in (opens(needed, s), s) if needed is not None else (s,):
            if item is not s or not answers:  # the answer's place is its own, beyond the two
                per_person[key] = per_person.get(key, 0) + 1
            jobs[job_of(item)] = jobs.get(job_of(item), 0) + 1
            plan.append(item)
            in_plan.add((item.action_key, item.target_person_id))
            planned_on(item)
        # The plays still queued on them are measured now, after it: one may be worth more
        # with it done (the champion's word once we have met them again), not only less.
        # Not between an introduction and the meeting it opens: the two are one step.
        opened_next = any(
            q.target_person_id == key and q.follows is not None and q.follows.adjoined
            for q in queue
        )
        for w in [q for q in queue if q.target_person_id == key and key and not opened_next]:
            again = then(w)
            if again is not None:
                queue.remove(w)
                if again.expected_gain >= pc.min_gain:
                    bisect.insort(queue, again, key=place)
        if len(plan) >= pc.max_suggestions:
            break
    return tuple(plan)
