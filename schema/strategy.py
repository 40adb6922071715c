"""The strategy engine over GraphQL: explained scores, chain analysis, the four questions,
work plan suggestions, warm introduction paths and what-if.

Every object here is built from one decision-chain load and one analysis per opportunity and
request, so all fields are plain attributes.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry import relay

from domain.errors import DomainError, FieldProblem
from domain.model import NodeKind
from domain.vocabulary import TieStrength as TieStrengthValue
from resolvers import process
from resolvers import strategy as glue
from resolvers.history import analysed_as_of
from schema import enums
from schema.common import UserError, user_errors
from schema.ids import optional_raw_id, raw_id
from schema.inputs import props_of
from schema.nodes import (
    Competitor,
    Ctx,
    KeyPerson,
    TeamMember,
    WorkPlanItem,
    context,
)
from schema.scalars import to_epoch_ms
from strategy import scoring, whatif
from strategy.analysis import ChainAnalysis
from strategy.assessment import Assessment as AssessmentData
from strategy.assessment import SupportBalance as SupportData
from strategy.warm_paths import WarmPath as WarmPathData
from strategy.workplan import Suggestion as SuggestionData


def _pick(locale: str, en: str, zh: str) -> str:
    return zh if locale.lower().startswith("zh") else en


@strawberry.type(description="What a reason rests on: activities, ties or fields")
class Evidence:
    kind: str = strawberry.field(
        description="ACTIVITY, KNOWS, CLOSE_TO, COMPETES_FOR, IN_DECISION_CHAIN or OPPORTUNITY"
    )
    ids: list[str] = strawberry.field(description="Store ids of the nodes behind it")


@strawberry.type(description="One factor of a score and the points it contributed")
class Reason:
    factor: str
    points: int
    text: str
    text_en: str
    text_zh: str
    evidence: list[Evidence]


@strawberry.type(description="A 0-100 score whose reasons' points add up to the value")
class Score:
    value: int
    reasons: list[Reason]


def _score(score: scoring.Score, locale: str) -> Score:
    return Score(
        value=score.value,
        reasons=[
            Reason(
                factor=r.factor,
                points=r.points,
                text=_pick(locale, r.text_en, r.text_zh),
                text_en=r.text_en,
                text_zh=r.text_zh,
                evidence=[Evidence(kind=e.kind, ids=list(e.ids)) for e in r.evidence],
            )
            for r in score.reasons
        ],
    )


@strawberry.type(description="Where we stand with one key person on one opportunity")
class PersonScores:
    person: KeyPerson
    closeness: Score = strawberry.field(description="Relationship closeness (关系紧密度)")
    solution: Score = strawberry.field(description="Solution acceptance (方案认可度)")
    price: Score = strawberry.field(description="Price acceptance (价格接受度)")


@strawberry.type(description="Support for a competitor, weighted by influence")
class CompetitorSupport:
    competitor: Competitor
    support: float
    balance: float = strawberry.field(description="Our support minus theirs")


@strawberry.type(description="Influence-weighted support for us against each competitor")
class SupportBalance:
    for_us: float
    competitors: list[CompetitorSupport]


@strawberry.type(description="One question's contribution to the win likelihood's logit")
class LikelihoodTerm:
    factor: str
    weight: float
    score: int
    logit: float
    text: str


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


@strawberry.type(description="The four questions of TAS+ and the win likelihood")
class Assessment:
    is_real: Score = strawberry.field(description="Is it real? (这是一个机会吗)")
    can_compete: Score = strawberry.field(description="Can we compete? (我们有竞争力吗)")
    can_win: Score = strawberry.field(description="Can we win? (我们能赢吗)")
    worth_it: Score = strawberry.field(description="Is it worth it? (值得做吗)")
    support: SupportBalance
    win_likelihood: WinLikelihood


@strawberry.type(description="Declared and effective (propagated) influence of a member")
class MemberInfluence:
    person: KeyPerson
    declared: float
    effective: float


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


@strawberry.type(description="A warning about the deal with coaching on what to do")
class RedFlag:
    code: str
    severity: str
    persons: list[KeyPerson]
    competitors: list[Competitor]
    text: str
    coaching: str


@strawberry.type(description="People aligned with one competitor")
class CompetitorCamp:
    competitor: Competitor
    core: list[KeyPerson]
    members: list[KeyPerson]
    influence_share: float


@strawberry.type(description="A person whose change of attitude moves the deal most")
class Bridge:
    person: KeyPerson
    attitude: enums.Attitude
    delta_win_likelihood: float
    delta_support: float
    text: str


@strawberry.type(description="The decision chain read as a graph")
class ChainAnalysisType:
    """Each part is made when a query asks for it: a list of deals that asks for red flags
    only builds no influence list, gaps, camps or bridges."""

    build: strawberry.Private[Any]  # the request's Builder
    data: strawberry.Private[ChainAnalysis]

    @strawberry.field
    def influence(self) -> list[MemberInfluence]:
        return [
            MemberInfluence(
                person=self.build.person(m.person_id), declared=m.declared, effective=m.effective
            )
            for m in self.data.influence
        ]

    @strawberry.field
    def support(self) -> SupportBalance:
        support: SupportBalance = self.build.support(self.data.support)
        return support

    @strawberry.field
    def gaps(self) -> list[CoverageGap]:
        text = self.build.text
        return [
            CoverageGap(
                person=self.build.person(g.person_id),
                severity=g.severity,
                kinds=list(g.kinds),
                effective_influence=g.effective_influence,
                closeness=g.closeness,
                solution=g.solution,
                price=g.price,
                days_since_contact=g.days_since_contact,
                text=text(g.text_en, g.text_zh),
            )
            for g in self.data.gaps
        ]

    @strawberry.field
    def red_flags(self) -> list[RedFlag]:
        build, competitors = self.build, self.build.chain.competitors
        return [
            RedFlag(
                code=f.code,
                severity=f.severity,
                persons=build.people(f.person_ids),
                competitors=[build.competitor(c) for c in f.competitor_ids if c in competitors],
                text=build.text(f.text_en, f.text_zh),
                coaching=build.text(f.coaching_en, f.coaching_zh),
            )
            for f in self.data.red_flags
        ]

    @strawberry.field
    def camps(self) -> list[CompetitorCamp]:
        build = self.build
        return [
            CompetitorCamp(
                competitor=build.competitor(c.competitor_id),
                core=build.people(c.core_ids),
                members=build.people(c.member_ids),
                influence_share=c.influence_share,
            )
            for c in self.data.camps
            if c.competitor_id in build.chain.competitors
        ]

    @strawberry.field
    def bridges(self) -> list[Bridge]:
        return [
            Bridge(
                person=self.build.person(b.person_id),
                attitude=b.attitude,
                delta_win_likelihood=b.delta_win_likelihood,
                delta_support=b.delta_support,
                text=self.build.text(b.text_en, b.text_zh),
            )
            for b in self.data.bridges
        ]


@strawberry.type(description="One step of an introduction: who asks whom")
class WarmHop:
    from_team_member: TeamMember | None
    from_person: KeyPerson | None
    to_person: KeyPerson
    kind: str
    strength: enums.TieStrength | None


@strawberry.type(description="A warm introduction path from one of our people to a key person")
class WarmPath:
    team_member: TeamMember
    target: KeyPerson
    via: list[KeyPerson]
    hops: list[WarmHop]
    cost: float
    text: str


@strawberry.type(description="A suggested work plan item, ranked by expected gain")
class Suggestion:
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
    expected_gain: float = strawberry.field(description="Expected rise of the win likelihood")
    warm_path: WarmPath | None
    assumed_effect: str | None = strawberry.field(
        default=None,
        description="The change in the target's closeness and attitude the gain assumed, and "
        "from how many recorded results (none: the playbook's modelled effect)",
    )
    assumed_closeness: float | None = strawberry.field(
        default=None, description="Assumed change in the target's closeness (points)"
    )
    assumed_attitude: float | None = strawberry.field(
        default=None, description="Assumed change in the target's attitude (steps)"
    )
    effect_observations: int = strawberry.field(
        default=0, description="Recorded results behind the assumed effect"
    )


class Builder:
    """Turns strategy results into API objects using the chain's loaded nodes."""

    def __init__(self, found: glue.Analysed, locale: str) -> None:
        self.chain = found.chain
        self.locale = locale
        self._people: dict[str, KeyPerson] = {}

    def person(self, person_id: str) -> KeyPerson:
        """A chain person as an API object, made once per builder: an analysis names the same
        few people in its influence list, gaps, flags, camps and bridges hundreds of times."""
        made = self._people.get(person_id)
        if made is None:
            import dataclasses

            node = self.chain.persons[person_id]
            made = self._people[person_id] = dataclasses.replace(
                KeyPerson.from_node(node), employment=self.chain.works_at.get(person_id) or {}
            )
        return made

    def people(self, ids: Any) -> list[KeyPerson]:
        return [self.person(i) for i in ids if i in self.chain.persons]

    def competitor(self, competitor_id: str) -> Competitor:
        return Competitor.from_node(self.chain.competitors[competitor_id])

    def member(self, member_id: str | None) -> TeamMember | None:
        node = self.chain.team_members.get(member_id or "")
        return TeamMember.from_node(node) if node is not None else None

    def text(self, en: str, zh: str) -> str:
        return _pick(self.locale, en, zh)

    def support(self, data: SupportData) -> SupportBalance:
        return SupportBalance(
            for_us=data.for_us,
            competitors=[
                CompetitorSupport(
                    competitor=self.competitor(c.competitor_id),
                    support=c.support,
                    balance=c.balance,
                )
                for c in data.competitors
                if c.competitor_id in self.chain.competitors
            ],
        )

    def assessment(self, data: AssessmentData) -> Assessment:
        w = data.win_likelihood
        return Assessment(
            is_real=_score(data.is_real, self.locale),
            can_compete=_score(data.can_compete, self.locale),
            can_win=_score(data.can_win, self.locale),
            worth_it=_score(data.worth_it, self.locale),
            support=self.support(data.support),
            win_likelihood=WinLikelihood(
                value=w.value,
                logit=w.logit,
                intercept=w.intercept,
                terms=[
                    LikelihoodTerm(
                        factor=t.factor,
                        weight=t.weight,
                        score=t.score,
                        logit=t.logit,
                        text=self.text(t.text_en, t.text_zh),
                    )
                    for t in w.terms
                ],
            ),
        )

    def analysis(self, data: ChainAnalysis) -> ChainAnalysisType:
        return ChainAnalysisType(build=self, data=data)

    def suggestion(self, s: SuggestionData) -> Suggestion:
        return Suggestion(
            action_key=s.action_key,
            title=self.text(s.title_en, s.title_zh),
            description=self.text(s.description_en, s.description_zh),
            target=self.person(s.target_person_id) if s.target_person_id else None,
            addresses=s.addresses,
            rationale=self.text(s.rationale_en, s.rationale_zh),
            owner_role=s.owner_role,
            owner=self.member(s.owner_member_id),
            owner_note=self.text(s.owner_note_en or "", s.owner_note_zh or "") or None,
            due_date=s.due_date,
            expected_gain=s.expected_gain,
            warm_path=self.warm(s.warm_path) if s.warm_path else None,
            assumed_effect=self.text(s.assumed_en, s.assumed_zh or "") if s.assumed_en else None,
            assumed_closeness=s.assumed.closeness if s.assumed else None,
            assumed_attitude=s.assumed.attitude if s.assumed else None,
            effect_observations=s.assumed.observations if s.assumed else 0,
        )

    def warm(self, path: WarmPathData) -> WarmPath | None:
        members = {k: m for k in (path.team_member_id,) if (m := self.member(k)) is not None}
        people = {pid: self.person(pid) for pid in self.chain.persons}
        if path.team_member_id not in members or path.target_person_id not in people:
            return None
        return warm_path(path, self.locale, people, members)


def warm_path(
    path: WarmPathData,
    locale: str,
    people: dict[str, KeyPerson],
    members: dict[str, TeamMember],
) -> WarmPath:
    """An API warm path; people and members come from one lookup per request."""
    return WarmPath(
        team_member=members[path.team_member_id],
        target=people[path.target_person_id],
        via=[people[v] for v in path.via_person_ids if v in people],
        hops=[
            WarmHop(
                from_team_member=members.get(h.from_id) if h.from_is_team else None,
                from_person=None if h.from_is_team else people.get(h.from_id),
                to_person=people[h.to_id],
                kind=h.kind,
                strength=h.strength,
            )
            for h in path.hops
        ],
        cost=path.cost,
        text=_pick(locale, path.text_en, path.text_zh),
    )


# --- what-if -----------------------------------------------------------------------------


@strawberry.enum(description="Kinds of hypothetical change")
class WhatIfKind(Enum):
    SET_ATTITUDE = "SET_ATTITUDE"
    RAISE_CLOSENESS = "RAISE_CLOSENESS"
    PERSON_LEAVES = "PERSON_LEAVES"
    COMPETITOR_WINS_ALLY = "COMPETITOR_WINS_ALLY"


@strawberry.input(
    description="One hypothetical change: SET_ATTITUDE(personId, attitude), "
    "RAISE_CLOSENESS(personId, memberId, level), PERSON_LEAVES(personId), "
    "COMPETITOR_WINS_ALLY(personId, competitorId, level)"
)
class WhatIfChangeInput:
    kind: WhatIfKind
    person_id: relay.GlobalID
    member_id: relay.GlobalID | None = None
    competitor_id: relay.GlobalID | None = None
    attitude: enums.Attitude | None = None
    level: enums.TieStrength | None = None


def to_change(index: int, data: WhatIfChangeInput) -> whatif.Change:
    """A strategy change from its input, with field paths in errors."""
    path = f"changes.{index}"
    person = raw_id(data.person_id, NodeKind.KEY_PERSON, f"{path}.personId")
    if data.kind is WhatIfKind.SET_ATTITUDE:
        if data.attitude is None:
            raise DomainError(user_error_problem(f"{path}.attitude", "is required for this kind"))
        return whatif.SetAttitude(person, data.attitude)
    if data.kind is WhatIfKind.RAISE_CLOSENESS:
        member = optional_raw_id(data.member_id, NodeKind.TEAM_MEMBER, f"{path}.memberId")
        if member is None:
            raise DomainError(user_error_problem(f"{path}.memberId", "is required for this kind"))
        return whatif.RaiseCloseness(member, person, data.level or TieStrengthValue.STRONG)
    if data.kind is WhatIfKind.PERSON_LEAVES:
        return whatif.PersonLeaves(person)
    competitor = optional_raw_id(data.competitor_id, NodeKind.COMPETITOR, f"{path}.competitorId")
    if competitor is None:
        raise DomainError(user_error_problem(f"{path}.competitorId", "is required for this kind"))
    return whatif.CompetitorWinsAlly(competitor, person, data.level or TieStrengthValue.STRONG)


def user_error_problem(field: str, message: str) -> Any:
    """A field problem for a what-if input."""
    return FieldProblem(field, message)


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


@strawberry.type(description="The analysis before and after hypothetical changes; nothing saved")
class WhatIfResult:
    before: Assessment
    after: Assessment
    after_analysis: ChainAnalysisType
    delta_win_likelihood: float
    delta_support: float
    question_deltas: list[QuestionDelta]
    person_deltas: list[PersonDelta]


@strawberry.input(description="Accept a current suggestion as a work plan item")
class SuggestionAcceptInput:
    opportunity_id: relay.GlobalID
    action_key: str
    target_person_id: relay.GlobalID | None = None
    owner_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Defaults to the team member the suggestion names"
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


@strawberry.type
class WorkPlanItemPayload:
    work_plan_item: WorkPlanItem | None
    user_errors: list[UserError]


@strawberry.type
class StrategyQuery:
    @strawberry.field(
        description="Warm introduction paths from our people to a key person, avoiding "
        "competitors' allies; each says who on our side should ask whom"
    )
    async def warm_paths(
        self, info: Ctx, to: relay.GlobalID, limit: int = 3, max_depth: int = 4
    ) -> list[WarmPath]:
        ctx = context(info)
        target = raw_id(to, NodeKind.KEY_PERSON, "to")
        found = await glue.find_warm_paths(ctx, target, limit, max_depth)
        member_ids = {p.team_member_id for p in found.paths}
        person_ids = (
            {found.data.target_id}
            | {h.to_id for p in found.paths for h in p.hops}
            | {h.from_id for p in found.paths for h in p.hops if not h.from_is_team}
        )
        people_nodes = await ctx.run(
            ctx.store.get_many, NodeKind.KEY_PERSON, sorted(person_ids), scope=ctx.scope
        )
        member_nodes = await ctx.run(ctx.store.get_many, NodeKind.TEAM_MEMBER, sorted(member_ids))
        people = {k: KeyPerson.from_node(v) for k, v in people_nodes.items()}
        members = {k: TeamMember.from_node(v) for k, v in member_nodes.items()}
        return [
            warm_path(p, ctx.locale, people, members)
            for p in found.paths
            if p.team_member_id in members and p.target_person_id in people
        ]

    @strawberry.field(
        description="Recompute the analysis with hypothetical changes and show the deltas; "
        "writes nothing"
    )
    async def opportunity_what_if(
        self, info: Ctx, id: relay.GlobalID, changes: list[WhatIfChangeInput]
    ) -> WhatIfResult:
        ctx = context(info)
        opportunity = raw_id(id, NodeKind.OPPORTUNITY, "id")
        parsed = [to_change(n, c) for n, c in enumerate(changes)]
        base, result = await glue.opportunity_what_if(ctx, opportunity, parsed)
        build = Builder(base, ctx.locale)
        return WhatIfResult(
            before=build.assessment(result.before.assessment),
            after=build.assessment(result.after.assessment),
            after_analysis=build.analysis(result.after.analysis),
            delta_win_likelihood=result.delta_win_likelihood,
            delta_support=result.delta_support,
            question_deltas=[
                QuestionDelta(question=q, delta=d)
                for q, d in sorted(result.delta_questions.items())
            ],
            person_deltas=[
                PersonDelta(
                    person=build.person(d.person_id),
                    closeness=d.closeness,
                    solution=d.solution,
                    price=d.price,
                )
                for d in result.person_deltas
                if d.person_id in base.chain.persons
            ],
        )


@strawberry.type
class StrategyMutation:
    @strawberry.mutation(description="Accept a suggested work plan item")
    async def work_plan_suggestion_accept(
        self, info: Ctx, input: SuggestionAcceptInput
    ) -> WorkPlanItemPayload:
        ctx = context(info)
        try:
            opportunity = raw_id(input.opportunity_id, NodeKind.OPPORTUNITY, "input.opportunityId")
            person = optional_raw_id(
                input.target_person_id, NodeKind.KEY_PERSON, "input.targetPersonId"
            )
            owner = optional_raw_id(input.owner_id, NodeKind.TEAM_MEMBER, "input.ownerId")
            node = await glue.accept(
                ctx, opportunity, input.action_key, person, owner, input.due_date
            )
        except DomainError as error:
            return WorkPlanItemPayload(
                work_plan_item=None, user_errors=user_errors(error, locale=ctx.locale)
            )
        return WorkPlanItemPayload(work_plan_item=WorkPlanItem.from_node(node), user_errors=[])

    @strawberry.mutation(
        description="Record the result of a work plan item: logs an activity with its target "
        "and closes the item; the scores move accordingly"
    )
    async def work_plan_item_result_record(
        self, info: Ctx, id: relay.GlobalID, input: WorkPlanResultInput
    ) -> WorkPlanItemPayload:
        ctx = context(info)
        try:
            item = raw_id(id, NodeKind.WORK_PLAN_ITEM, "id")
            activity = props_of(input, skip=("version", "result"))
            if activity.get("occurred_at") is None:
                activity["occurred_at"] = ctx.store.clock()
            process.refuse_future_work_plan_result(ctx, activity["occurred_at"])
            node = await glue.record(ctx, item, input.version, activity, input.result)
        except DomainError as error:
            return WorkPlanItemPayload(
                work_plan_item=None, user_errors=user_errors(error, locale=ctx.locale)
            )
        return WorkPlanItemPayload(work_plan_item=WorkPlanItem.from_node(node), user_errors=[])


async def person_scores(info: Ctx, person_id: str, opportunity_id: str) -> PersonScores | None:
    """Scores of a key person on an opportunity (null when they are not in its chain)."""
    ctx = context(info)
    found = await glue.analysed(ctx, opportunity_id)
    if found is None:
        return None
    scores = found.result.scores_of(person_id)
    if scores is None:
        return None
    build = Builder(found, ctx.locale)
    return PersonScores(
        person=build.person(person_id),
        closeness=_score(scores.closeness, ctx.locale),
        solution=_score(scores.solution, ctx.locale),
        price=_score(scores.price, ctx.locale),
    )


async def opportunity_assessment(info: Ctx, opportunity_id: str) -> Assessment | None:
    """The four questions and win likelihood of an opportunity."""
    ctx = context(info)
    found = await glue.analysed(ctx, opportunity_id)
    return Builder(found, ctx.locale).assessment(found.result.assessment) if found else None


async def opportunity_analysis(info: Ctx, opportunity_id: str) -> ChainAnalysisType | None:
    """The decision-chain analysis of an opportunity."""
    ctx = context(info)
    found = await glue.analysed(ctx, opportunity_id)
    return Builder(found, ctx.locale).analysis(found.result.analysis) if found else None


async def opportunity_scores(info: Ctx, opportunity_id: str) -> list[PersonScores]:
    """Scores of every member of an opportunity's chain."""
    ctx = context(info)
    found = await glue.analysed(ctx, opportunity_id)
    if found is None:
        return []
    build = Builder(found, ctx.locale)
    return [
        PersonScores(
            person=build.person(s.person_id),
            closeness=_score(s.closeness, ctx.locale),
            solution=_score(s.solution, ctx.locale),
            price=_score(s.price, ctx.locale),
        )
        for s in found.result.scores
        if s.person_id in found.chain.persons
    ]


async def suggested_work_plan(info: Ctx, opportunity_id: str, limit: int) -> list[Suggestion]:
    """The ranked work plan suggestions of an opportunity."""
    ctx = context(info)
    if not 1 <= limit <= 50:
        raise DomainError(user_error_problem("limit", "must be between 1 and 50"))
    found = await glue.analysed(ctx, opportunity_id)
    if found is None:
        return []
    build = Builder(found, ctx.locale)
    return [build.suggestion(s) for s in found.result.plan[:limit]]


async def opportunity_assessment_as_of(
    info: Ctx, opportunity_id: str, as_of: datetime
) -> Assessment | None:
    """The four questions and win likelihood computed from the chain as it stood then."""
    ctx = context(info)
    found = await analysed_as_of(ctx, opportunity_id, to_epoch_ms(as_of))
    return Builder(found, ctx.locale).assessment(found.result.assessment) if found else None
