"""The strategy engine over GraphQL: explained scores, chain analysis, the four questions,
work plan suggestions, warm introduction paths and what-if.

Every result comes from one decision-chain load and one analysis per opportunity and request.
The opportunity's and key person's fields hand over findings (``resolvers.findings``: a result
with its chain). Each type here states the API's shape and presents one strategy dataclass as it
is (``schema.presenting``): fields read from the result, ids shown as the chain's loaded nodes,
texts in the request's language; only what a field reads differently is in its table.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import Enum
from operator import attrgetter
from typing import Annotated

import strawberry

from domain.chain import DroppedPlay
from domain.errors import DomainError, bad_input
from domain.model import NodeKind
from domain.vocabulary import TieStrength as TieStrengthValue
from resolvers import strategy as glue
from resolvers import what_if as saving
from schema import enums
from schema.common import Refusal, payload
from schema.ids import GivenID, optional_raw_id, raw_id, raw_ids, to_global
from schema.inputs import props_of
from schema.nodes import (
    Competitor,
    Ctx,
    KeyPerson,
    Opportunity,
    TeamMember,
    WorkPlanItem,
    context,
)
from schema.presenting import Presenter, Ref, Texts, Via, present_all, presenter, presents, shown
from schema.scalars import Long, to_datetime
from strategy import analysis, assessment, health, scoring, whatif, workplan
from strategy import warm_paths as warm
from strategy.effects import AssumedEffect

_EVIDENCE_NODES: dict[str, tuple[NodeKind, ...]] = {
    "ACTIVITY": (NodeKind.ACTIVITY,),
    "OPPORTUNITY": (NodeKind.OPPORTUNITY,),
    "IN_DECISION_CHAIN": (NodeKind.KEY_PERSON,),
    "KNOWS": (NodeKind.TEAM_MEMBER, NodeKind.KEY_PERSON),
    "CLOSE_TO": (NodeKind.COMPETITOR, NodeKind.KEY_PERSON),
    "COMPETES_FOR": (NodeKind.COMPETITOR, NodeKind.OPPORTUNITY),
}
"""The kind of node behind each id of an evidence: every id of a node kind's evidence, or the
two ends of an edge's, in order."""


def _node_ids(evidence: scoring.Evidence) -> list[strawberry.ID]:
    """The evidence's nodes for ``node(id:)``; an activity a what-if made up is none."""
    kinds = _EVIDENCE_NODES.get(evidence.kind)
    if not kinds:
        return []
    return [
        strawberry.ID(str(to_global(kinds[min(n, len(kinds) - 1)], node_id)))
        for n, node_id in enumerate(evidence.ids)
        if not node_id.startswith(whatif.TRIED_PREFIX)
    ]


@presents(scoring.Evidence, node_ids=Via(lambda e, _: _node_ids(e)))
@strawberry.type(description="What a reason rests on: activities, ties or fields")
class Evidence:
    kind: str = strawberry.field(
        description="ACTIVITY, KNOWS, CLOSE_TO, COMPETES_FOR, IN_DECISION_CHAIN, OPPORTUNITY "
        "or ON_TEAM"
    )
    ids: list[str] = strawberry.field(
        description="Store ids of the nodes behind it",
        deprecation_reason="Store ids, which node(id:) does not take: use nodeIds",
    )
    node_ids: list[strawberry.ID] = strawberry.field(
        description="The nodes behind it, for node(id:): the activities (ACTIVITY), the "
        "opportunity (OPPORTUNITY), the key persons (IN_DECISION_CHAIN), or an edge's two ends "
        "in order (KNOWS: our member, the person; CLOSE_TO: the competitor, the person; "
        "COMPETES_FOR: the competitor, the opportunity); none for ON_TEAM, nor for an "
        "activity a what-if only tried"
    )


@presents(scoring.Reason)
@strawberry.type(description="One factor of a score and the points it contributed")
class Reason:
    factor: str
    points: int
    text: str
    text_en: str
    text_zh: str
    evidence: list[Evidence]


@presents(scoring.Score)
@strawberry.type(description="A 0-100 score whose reasons' points add up to the value")
class Score:
    value: int
    reasons: list[Reason]


@presents(scoring.PersonScores, root=True)
@strawberry.type(description="Where we stand with one key person on one opportunity")
class PersonScores:
    person: KeyPerson
    closeness: Score = strawberry.field(description="Relationship closeness (关系紧密度)")
    solution: Score = strawberry.field(description="Solution acceptance (方案认可度)")
    price: Score = strawberry.field(description="Price acceptance (价格接受度)")


@presents(assessment.CompetitorSupport)
@strawberry.type(description="Support for a competitor, weighted by influence")
class CompetitorSupport:
    competitor: Competitor
    support: float
    balance: float = strawberry.field(description="Our support minus theirs")


@presents(assessment.SupportBalance)
@strawberry.type(description="Influence-weighted support for us against each competitor")
class SupportBalance:
    for_us: float
    competitors: list[CompetitorSupport]


@presents(assessment.LikelihoodTerm)
@strawberry.type(description="One question's contribution to the win likelihood's logit")
class LikelihoodTerm:
    factor: str
    weight: float
    score: int
    logit: float
    text: str


@presents(assessment.WinLikelihood)
@strawberry.type(
    description=(
        "Win likelihood = 1/(1+exp(-logit)); logit = intercept + the terms' logits: the stage's"
        " prior, and weight*(score-50)/50 for each question (is-it-real counts only below 50)"
    )
)
class WinLikelihood:
    value: float
    logit: float
    intercept: float
    terms: list[LikelihoodTerm]


@presents(assessment.Assessment, root=True)
@strawberry.type(description="The four questions of TAS+ and the win likelihood")
class Assessment:
    is_real: Score = strawberry.field(description="Is it real? (这是一个机会吗)")
    can_compete: Score = strawberry.field(description="Can we compete? (我们有竞争力吗)")
    can_win: Score = strawberry.field(description="Can we win? (我们能赢吗)")
    worth_it: Score = strawberry.field(description="Is it worth it? (值得做吗)")
    support: SupportBalance
    win_likelihood: WinLikelihood


@presents(analysis.MemberInfluence)
@strawberry.type(description="Declared and effective (propagated) influence of a member")
class MemberInfluence:
    person: KeyPerson
    declared: float
    effective: float


@presents(analysis.CoverageGap)
@strawberry.type(description="A person with high influence and weak standing, or no contact")
class CoverageGap:
    person: KeyPerson
    severity: float
    kinds: list[str]
    effective_influence: float
    closeness: int
    solution: int
    price: int
    days_since_contact: int | None
    text: str


@presents(analysis.RedFlag)
@strawberry.type(description="A warning about the deal with coaching on what to do")
class RedFlag:
    code: str
    severity: str
    persons: list[KeyPerson]
    competitors: list[Competitor]
    text: str
    coaching: str


@presents(analysis.CompetitorCamp, core=Ref("core_ids"))
@strawberry.type(description="People aligned with one competitor")
class CompetitorCamp:
    competitor: Competitor
    core: list[KeyPerson]
    members: list[KeyPerson]
    influence_share: float


@presents(analysis.Bridge)
@strawberry.type(description="A person whose change of attitude moves the deal most")
class Bridge:
    person: KeyPerson
    attitude: enums.Attitude
    delta_win_likelihood: float
    delta_support: float
    text: str


@presents(analysis.ChainAnalysis, root=True)
@strawberry.type(description="The decision chain read as a graph")
class ChainAnalysisType:
    influence: list[MemberInfluence]
    support: SupportBalance
    gaps: list[CoverageGap]
    red_flags: list[RedFlag] = strawberry.field(
        description="Danger patterns of the method, most serious first"
    )
    camps: list[CompetitorCamp]
    bridges: list[Bridge]


@presents(health.HealthReason)
@strawberry.type(description="One reason for a deal's status, naming whom it is about")
class DealHealthReason:
    code: str = strawberry.field(
        description=(
            "A serious red flag's code, or the status's own: LOW_LIKELIHOOD, SLIPPED, "
            "CLOSE_PUSHED_OUT, STALLED, SIGNERS_QUIET, INSIDERS_QUIET, NO_BUDGET, "
            "NO_COMPELLING_EVENT, MOVED_BACK, ON_TRACK or NOT_ASSESSED"
        )
    )
    status: health.HealthStatus = strawberry.field(description="The status it alone gives")
    text: str
    persons: list[KeyPerson]
    competitors: list[Competitor]


@presents(health.DealHealth, root=True)
@strawberry.type(
    description="An open deal's status for a leader's review, judged against its stage: "
    "serious red flags, the win likelihood against the stage's bars, a passed expected close "
    "date, no contact for the process's idle days and key people gone quiet"
)
class DealHealth:
    status: health.HealthStatus = strawberry.field(description="The worst of its reasons")
    reasons: list[DealHealthReason] = strawberry.field(description="The worst first")


@presents(
    warm.Hop,
    from_team_member=Via(
        lambda hop, by: by.one(TeamMember, hop.from_id) if hop.from_is_team else None
    ),
    from_person=Via(lambda hop, by: None if hop.from_is_team else by.one(KeyPerson, hop.from_id)),
    to_person=Ref("to_id"),
)
@strawberry.type(description="One step of an introduction: who asks whom")
class WarmHop:
    from_team_member: TeamMember | None
    from_person: KeyPerson | None
    to_person: KeyPerson
    kind: str
    strength: enums.TieStrength | None


@presents(warm.WarmPath, target=Ref("target_person_id"), via=Ref("via_person_ids"))
@strawberry.type(description="A warm introduction path from one of our people to a key person")
class WarmPath:
    team_member: TeamMember
    target: KeyPerson
    via: list[KeyPerson]
    hops: list[WarmHop]
    cost: float
    text: str


@presents(DroppedPlay, dropped_at=Via(lambda d, _: to_datetime(d.at)))
@strawberry.type(description="The latest time a play was dropped from a deal's plan for a person")
class PlayDrop:
    dropped_at: datetime
    reason: enums.DropReason | None = strawberry.field(
        description="Why; null when no reason was given"
    )
    resume_on: str | None = strawberry.field(
        description="Dropped for its timing: the day (YYYY-MM-DD) it could be suggested again"
    )


def _assumed(read: Callable[[AssumedEffect], float]) -> Via[workplan.Suggestion]:
    """A figure of the effect a suggestion's gain assumed (null without one)."""
    return Via(lambda s, _: None if s.assumed is None else read(s.assumed))


@presents(
    workplan.Suggestion,
    root=True,
    target=Ref("target_person_id"),
    owner=Ref("owner_member_id"),
    assumed_effect=Texts("assumed"),
    assumed_closeness=_assumed(attrgetter("closeness")),
    assumed_attitude=_assumed(attrgetter("attitude")),
    effect_observations=Via(lambda s, _: s.assumed.observations if s.assumed else 0),
)
@strawberry.type(description="A suggested work plan item, with its expected gain")
class Suggestion:
    """Texts in the request's language."""

    action_key: str
    title: str
    description: str
    target: KeyPerson | None
    addresses: str = strawberry.field(description="The weak factor it addresses")
    rationale: str
    owner_role: enums.TeamRole
    owner: TeamMember | None
    owner_note: str | None
    due_date: str
    expected_gain: float = strawberry.field(
        description="Expected rise of the win likelihood; for a person's later play, what it "
        "adds once the plan's earlier plays on them are done (its rationale says so)"
    )
    warm_path: WarmPath | None
    assumed_effect: str | None = strawberry.field(
        description="The change in the target's closeness and attitude the gain assumed, and "
        "from how many recorded results (none: the playbook's modelled effect)",
    )
    assumed_closeness: float | None = strawberry.field(
        description="Assumed change in the target's closeness (points)"
    )
    assumed_attitude: float | None = strawberry.field(
        description="Assumed change in the target's attitude (steps)"
    )
    effect_observations: int = strawberry.field(
        description="Recorded results behind the assumed effect"
    )
    required: bool = strawberry.field(
        description="A duty (a compliance commitment): suggested whatever its expected gain, "
        "which may be 0, until it is done"
    )
    dropped_before: PlayDrop | None = strawberry.field(
        description="The same play for the same person was dropped from the plan before: the "
        "latest drop (a drop because nobody of ours could do it comes back to the sales "
        "director, who finds someone); null if never"
    )
    awaits_staffing: bool = strawberry.field(
        description="Dropped because nobody of ours could do it, and now the sales director's "
        "(or, with none on the deal's team, whoever oversees it) to give to someone: until one "
        "of ours has been in touch with its person or plan.dropped_quiet_days have passed"
    )


# --- what-if -----------------------------------------------------------------------------


@strawberry.enum(description="Kinds of hypothetical change")
class WhatIfKind(Enum):
    SET_ATTITUDE = "SET_ATTITUDE"
    RAISE_CLOSENESS = "RAISE_CLOSENESS"
    PERSON_LEAVES = "PERSON_LEAVES"
    COMPETITOR_WINS_ALLY = "COMPETITOR_WINS_ALLY"
    SET_QUOTE = strawberry.enum_value(
        "SET_QUOTE",
        description="Our quote becomes amount today, heard by nobody yet; it keeps its place "
        "in the process (as if reviewed) and the day it went in. Saved, a new amount on a "
        "reviewed or submitted quote sends it back to draft for a new review",
    )
    PRICE_HEARD = strawberry.enum_value(
        "PRICE_HEARD",
        description="The person hears our price as it then stands, in a pricing discussion "
        "today with memberId (default: the deal's account manager), and reacts as reaction",
    )


@strawberry.input(
    description="One hypothetical change: SET_ATTITUDE(personId, attitude), "
    "RAISE_CLOSENESS(personId, memberId, level), PERSON_LEAVES(personId), "
    "COMPETITOR_WINS_ALLY(personId, competitorId, level), SET_QUOTE(amount), "
    "PRICE_HEARD(personId, reaction, memberId); changes apply in order, so a PRICE_HEARD "
    "after a SET_QUOTE answers the new quote"
)
class WhatIfChangeInput:
    kind: WhatIfKind
    person_id: GivenID | None = strawberry.field(
        default=None, description="Required for every kind but SET_QUOTE"
    )
    member_id: GivenID | None = None
    competitor_id: GivenID | None = None
    attitude: enums.Attitude | None = None
    level: enums.TieStrength | None = None
    amount: Long | None = strawberry.field(
        default=None,
        description="SET_QUOTE: the quote in minor units (fen, cents), in the deal's currency",
    )
    reaction: enums.Outcome | None = strawberry.field(
        default=None, description="PRICE_HEARD: how the person takes our price"
    )
    expected_version: int | None = strawberry.field(
        default=None,
        description="Saving SET_ATTITUDE or PERSON_LEAVES: the version of the person's place "
        "in the chain you read (DecisionChainMember.version); changed since, nothing is saved",
    )


@strawberry.input(description="A what-if to save as what is so")
class WhatIfSaveInput:
    changes: list[WhatIfChangeInput] = strawberry.field(description="The changes tried, in order")
    version: int | None = strawberry.field(
        default=None,
        description="The deal's version you read; required with SET_QUOTE (changed since, "
        "nothing is saved)",
    )


def to_change(index: int, data: WhatIfChangeInput, prefix: str = "changes") -> whatif.Change:
    """A strategy change from its input, with field paths (under ``prefix``) in errors."""
    path = f"{prefix}.{index}"
    if data.kind is WhatIfKind.SET_QUOTE:
        if data.amount is None:
            raise _required_for_kind(f"{path}.amount")
        if data.amount <= 0:
            raise bad_input(f"{path}.amount", "must be more than 0", "必须大于0")
        return whatif.SetQuote(data.amount)
    if data.person_id is None:
        raise _required_for_kind(f"{path}.personId")
    person = raw_id(data.person_id, NodeKind.KEY_PERSON, f"{path}.personId")
    member = optional_raw_id(data.member_id, NodeKind.TEAM_MEMBER, f"{path}.memberId")
    if data.kind is WhatIfKind.SET_ATTITUDE:
        if data.attitude is None:
            raise _required_for_kind(f"{path}.attitude")
        return whatif.SetAttitude(person, data.attitude)
    if data.kind is WhatIfKind.RAISE_CLOSENESS:
        if member is None:
            raise _required_for_kind(f"{path}.memberId")
        return whatif.RaiseCloseness(member, person, data.level or TieStrengthValue.STRONG)
    if data.kind is WhatIfKind.PERSON_LEAVES:
        return whatif.PersonLeaves(person)
    if data.kind is WhatIfKind.PRICE_HEARD:
        if data.reaction is None:
            raise _required_for_kind(f"{path}.reaction")
        return whatif.PriceHeard(person, data.reaction, member)
    competitor = optional_raw_id(data.competitor_id, NodeKind.COMPETITOR, f"{path}.competitorId")
    if competitor is None:
        raise _required_for_kind(f"{path}.competitorId")
    return whatif.CompetitorWinsAlly(competitor, person, data.level or TieStrengthValue.STRONG)


def _required_for_kind(field: str) -> DomainError:
    """A what-if change of a kind that needs ``field``, without it."""
    return bad_input(field, "is required for this kind of change", "此类变化必须给出该项")


@presents(whatif.PersonDelta)
@strawberry.type(description="Scores of one person before and after")
class PersonDelta:
    person: KeyPerson
    closeness: int
    solution: int
    price: int


@strawberry.type(description="Change of one of the four questions' scores")
class QuestionDelta:
    question: str
    delta: int


@presents(
    whatif.WhatIfResult,
    before=Via(lambda r, by: by.found(r.before.assessment)),
    after=Via(lambda r, by: by.found(r.after.assessment)),
    after_analysis=Via(lambda r, by: by.found(r.after.analysis)),
    after_scores=Via(lambda r, by: [by.found(s) for s in r.after.scores]),
    question_deltas=Via(
        lambda r, _: [
            QuestionDelta(question=q, delta=d) for q, d in sorted(r.delta_questions.items())
        ]
    ),
)
@strawberry.type(description="The analysis before and after hypothetical changes; nothing saved")
class WhatIfResult:
    before: Assessment
    after: Assessment
    after_analysis: ChainAnalysisType
    delta_win_likelihood: float
    delta_support: float
    question_deltas: list[QuestionDelta]
    person_deltas: list[PersonDelta]
    after_scores: list[PersonScores] = strawberry.field(
        description="Every remaining member's scores after the changes, with their reasons: "
        "why a price acceptance moved, not only by how much"
    )


@strawberry.input(description="Accept a current suggestion as a work plan item")
class SuggestionAcceptInput:
    opportunity_id: GivenID
    action_key: str
    target_person_id: GivenID | None = None
    owner_id: GivenID | None = strawberry.field(
        default=None,
        description="Defaults to the team member the suggestion names. One of ours who works "
        "the deal (on its team or its account's, or managing someone who is): anyone else would "
        "own a step they cannot see",
    )
    due_date: str | None = None


@strawberry.input(description="The result of a work plan item, logged as an activity")
class WorkPlanResultInput:
    version: int
    type: enums.ActivityType
    summary: str
    outcome: enums.Outcome
    occurred_at: datetime | None = strawberry.field(default=None, description="Defaults to now")
    solution_reaction: enums.Outcome | None = None
    price_reaction: enums.Outcome | None = None
    result: str | None = None
    member_ids: list[GivenID] | None = strawberry.field(
        default=None,
        description="Who of ours took part (team members); the item's owner when left out",
    )


@strawberry.input(description="A step of the plan revised: another owner, another due date")
class WorkPlanItemUpdateInput:
    version: int
    owner_id: GivenID | None = strawberry.field(
        default=None,
        description="Another of ours to do it, who works the deal as for an accepted "
        "suggestion; unchanged when left out",
    )
    due_date: str | None = strawberry.field(
        default=None, description="Another day to do it by; unchanged when left out"
    )


@payload()
class WorkPlanItemPayload:
    work_plan_item: WorkPlanItem | None = None


@strawberry.type
class StrategyQuery:
    @strawberry.field(
        description="Warm introduction paths from our people to a key person, through nobody "
        "in a competitor's camp or against us; each says who on our side should ask whom"
    )
    async def warm_paths(
        self, info: Ctx, to: GivenID, limit: int = 3, max_depth: int = 4
    ) -> list[WarmPath]:
        ctx = context(info)
        target = raw_id(to, NodeKind.KEY_PERSON, "to")
        found = await glue.find_warm_paths(ctx, target, limit, max_depth)
        people = Presenter(ctx.locale, found.people, {}, found.members)
        return present_all(WarmPath, found.paths, people)

    @strawberry.field(
        description="Recompute the analysis with hypothetical changes and show the deltas; "
        "writes nothing"
    )
    async def opportunity_what_if(
        self, info: Ctx, id: GivenID, changes: list[WhatIfChangeInput]
    ) -> WhatIfResult:
        ctx = context(info)
        opportunity = raw_id(id, NodeKind.OPPORTUNITY, "id")
        parsed = [to_change(n, c) for n, c in enumerate(changes)]
        base, result = await glue.opportunity_what_if(ctx, opportunity, parsed)
        return shown(WhatIfResult, result, presenter(info, base.chain))


@payload()
class WhatIfSavePayload:
    opportunity: Opportunity | None = None


@strawberry.type
class StrategyMutation:
    @strawberry.mutation(
        description="Save a what-if as what is so: each change written as its ordinary write "
        "writes it (SET_QUOTE as the deal's quote, SET_ATTITUDE and PERSON_LEAVES as the "
        "person's place in the chain, RAISE_CLOSENESS and COMPETITOR_WINS_ALLY as ties, "
        "PRICE_HEARD as a pricing discussion now), all in one write or none: a refusal, or a "
        "colleague's change meanwhile to what it rests on, saves nothing"
    )
    async def opportunity_what_if_save(
        self, info: Ctx, id: GivenID, input: WhatIfSaveInput
    ) -> WhatIfSavePayload:
        with Refusal(info) as refused:
            opportunity = raw_id(id, NodeKind.OPPORTUNITY, "id")
            changes = input.changes
            parsed = [to_change(n, c, "input.changes") for n, c in enumerate(changes)]
            versions = [c.expected_version for c in changes]
            node = await saving.save(context(info), opportunity, parsed, versions, input.version)
            return WhatIfSavePayload(opportunity=Opportunity.from_node(node))
        return refused.payload(WhatIfSavePayload)

    @strawberry.mutation(description="Accept a suggested work plan item")
    async def work_plan_suggestion_accept(
        self, info: Ctx, input: SuggestionAcceptInput
    ) -> WorkPlanItemPayload:
        with Refusal(info) as refused:
            opportunity = raw_id(input.opportunity_id, NodeKind.OPPORTUNITY, "input.opportunityId")
            person = optional_raw_id(
                input.target_person_id, NodeKind.KEY_PERSON, "input.targetPersonId"
            )
            owner = optional_raw_id(input.owner_id, NodeKind.TEAM_MEMBER, "input.ownerId")
            node = await glue.accept(
                context(info), opportunity, input.action_key, person, owner, input.due_date
            )
            return WorkPlanItemPayload(work_plan_item=WorkPlanItem.from_node(node))
        return refused.payload(WorkPlanItemPayload)

    @strawberry.mutation(
        description="Give an open work plan item to another of ours or move its due date (from "
        "today to within a year: a step the process requires is done later only so)"
    )
    async def work_plan_item_update(
        self, info: Ctx, id: GivenID, input: WorkPlanItemUpdateInput
    ) -> WorkPlanItemPayload:
        with Refusal(info) as refused:
            item = raw_id(id, NodeKind.WORK_PLAN_ITEM, "id")
            owner = optional_raw_id(input.owner_id, NodeKind.TEAM_MEMBER, "input.ownerId")
            node = await glue.change(context(info), item, input.version, owner, input.due_date)
            return WorkPlanItemPayload(work_plan_item=WorkPlanItem.from_node(node))
        return refused.payload(WorkPlanItemPayload)

    @strawberry.mutation(
        description="Drop an open work plan item: it is cancelled and stays on record, and its "
        "play waits before it is suggested again for its person, as its reason says: TIMING "
        "until resumeOn; REFUSED until one of ours has been in touch with them since; NOBODY "
        "not at all the first time, suggested to the deal's sales director to find someone "
        "(until such a contact or plan.dropped_quiet_days); any other (or none, or NOBODY "
        "again) until such a contact or plan.dropped_quiet_days (30). A step the process "
        "requires (owed: a duty or the delivery review) is suggested again at once, and TIMING "
        "is refused for it (move its due date instead). Suggested again, it says when and why "
        "it was dropped"
    )
    async def work_plan_item_cancel(
        self,
        info: Ctx,
        id: GivenID,
        version: int,
        reason: enums.DropReason | None = None,
        resume_on: Annotated[
            str | None,
            strawberry.argument(
                description="With TIMING: the day (YYYY-MM-DD, after today, within a year) its "
                "play may be suggested again"
            ),
        ] = None,
    ) -> WorkPlanItemPayload:
        with Refusal(info) as refused:
            item = raw_id(id, NodeKind.WORK_PLAN_ITEM, "id")
            node = await glue.change(
                context(info), item, version, drop=True, why=reason, resume_on=resume_on
            )
            return WorkPlanItemPayload(work_plan_item=WorkPlanItem.from_node(node))
        return refused.payload(WorkPlanItemPayload)

    @strawberry.mutation(
        description="Record the result of a work plan item: logs an activity with its target "
        "and closes the item; the scores move accordingly"
    )
    async def work_plan_item_result_record(
        self, info: Ctx, id: GivenID, input: WorkPlanResultInput
    ) -> WorkPlanItemPayload:
        with Refusal(info) as refused:
            item = raw_id(id, NodeKind.WORK_PLAN_ITEM, "id")
            activity = props_of(input, skip=("version", "result", "member_ids"))
            members = (
                None
                if input.member_ids is None
                else raw_ids(input.member_ids, NodeKind.TEAM_MEMBER, "input.memberIds")
            )
            node = await glue.record(
                context(info), item, input.version, activity, input.result, members
            )
            return WorkPlanItemPayload(work_plan_item=WorkPlanItem.from_node(node))
        return refused.payload(WorkPlanItemPayload)
