"""The strategy engine over GraphQL: explained scores, chain analysis, the four questions,
work plan suggestions, warm introduction paths and what-if.

Every object here is built from one decision-chain load and one analysis per opportunity and
request. The opportunity's and key person's fields hand over findings
(``resolvers.findings``: a result with its chain); the types they return present them.
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
from resolvers.findings import Finding
from resolvers.records import LoadedChain
from schema import enums
from schema.common import UserError, user_errors
from schema.convert import node_attributes
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
from strategy import scoring, whatif
from strategy.analysis import ChainAnalysis
from strategy.assessment import Assessment as AssessmentData
from strategy.assessment import SupportBalance as SupportData
from strategy.scoring import PersonScores as ScoresData
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


class Builder:
    """Turns strategy results into API objects using the chain's loaded nodes."""

    def __init__(self, chain: LoadedChain, locale: str) -> None:
        self.chain = chain
        self.locale = locale
        self._people: dict[str, KeyPerson] = {}

    @classmethod
    def of(cls, root: Finding[Any], info: Ctx) -> Builder:
        """The builder for a finding in the request's language."""
        return cls(root.chain, context(info).locale)

    def person(self, person_id: str) -> KeyPerson:
        """A chain person as an API object, made once per builder: an analysis names the same
        few people in its gaps, flags, camps and bridges many times."""
        made = self._people.get(person_id)
        if made is None:
            node = self.chain.persons[person_id]
            made = self._people[person_id] = KeyPerson(
                **node_attributes(NodeKind.KEY_PERSON, node),
                employment=self.chain.works_at.get(person_id) or {},
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

    def score(self, score: scoring.Score) -> Score:
        return _score(score, self.locale)

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

    def warm(self, path: WarmPathData) -> WarmPath | None:
        members = {k: m for k in (path.team_member_id,) if (m := self.member(k)) is not None}
        people = {pid: self.person(pid) for pid in self.chain.persons}
        if path.team_member_id not in members or path.target_person_id not in people:
            return None
        return warm_path(path, self.locale, people, members)


@strawberry.type(description="Where we stand with one key person on one opportunity")
class PersonScores:
    """Presents a finding of ``strategy.scoring.PersonScores``."""

    @strawberry.field
    def person(self, root: strawberry.Parent[Finding[ScoresData]], info: Ctx) -> KeyPerson:
        return Builder.of(root, info).person(root.data.person_id)

    @strawberry.field(description="Relationship closeness (关系紧密度)")
    def closeness(self, root: strawberry.Parent[Finding[ScoresData]], info: Ctx) -> Score:
        return Builder.of(root, info).score(root.data.closeness)

    @strawberry.field(description="Solution acceptance (方案认可度)")
    def solution(self, root: strawberry.Parent[Finding[ScoresData]], info: Ctx) -> Score:
        return Builder.of(root, info).score(root.data.solution)

    @strawberry.field(description="Price acceptance (价格接受度)")
    def price(self, root: strawberry.Parent[Finding[ScoresData]], info: Ctx) -> Score:
        return Builder.of(root, info).score(root.data.price)


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
    """Presents a finding of ``strategy.assessment.Assessment``."""

    @strawberry.field(description="Is it real? (这是一个机会吗)")
    def is_real(self, root: strawberry.Parent[Finding[AssessmentData]], info: Ctx) -> Score:
        return Builder.of(root, info).score(root.data.is_real)

    @strawberry.field(description="Can we compete? (我们有竞争力吗)")
    def can_compete(self, root: strawberry.Parent[Finding[AssessmentData]], info: Ctx) -> Score:
        return Builder.of(root, info).score(root.data.can_compete)

    @strawberry.field(description="Can we win? (我们能赢吗)")
    def can_win(self, root: strawberry.Parent[Finding[AssessmentData]], info: Ctx) -> Score:
        return Builder.of(root, info).score(root.data.can_win)

    @strawberry.field(description="Is it worth it? (值得做吗)")
    def worth_it(self, root: strawberry.Parent[Finding[AssessmentData]], info: Ctx) -> Score:
        return Builder.of(root, info).score(root.data.worth_it)

    @strawberry.field
    def support(
        self, root: strawberry.Parent[Finding[AssessmentData]], info: Ctx
    ) -> SupportBalance:
        return Builder.of(root, info).support(root.data.support)

    @strawberry.field
    def win_likelihood(
        self, root: strawberry.Parent[Finding[AssessmentData]], info: Ctx
    ) -> WinLikelihood:
        build = Builder.of(root, info)
        w = root.data.win_likelihood
        return WinLikelihood(
            value=w.value,
            logit=w.logit,
            intercept=w.intercept,
            terms=[
                LikelihoodTerm(
                    factor=t.factor,
                    weight=t.weight,
                    score=t.score,
                    logit=t.logit,
                    text=build.text(t.text_en, t.text_zh),
                )
                for t in w.terms
            ],
        )


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
    """Presents a finding of ``strategy.analysis.ChainAnalysis``."""

    @strawberry.field
    def influence(
        self, root: strawberry.Parent[Finding[ChainAnalysis]], info: Ctx
    ) -> list[MemberInfluence]:
        build = Builder.of(root, info)
        return [
            MemberInfluence(
                person=build.person(m.person_id), declared=m.declared, effective=m.effective
            )
            for m in root.data.influence
        ]

    @strawberry.field
    def support(self, root: strawberry.Parent[Finding[ChainAnalysis]], info: Ctx) -> SupportBalance:
        return Builder.of(root, info).support(root.data.support)

    @strawberry.field
    def gaps(self, root: strawberry.Parent[Finding[ChainAnalysis]], info: Ctx) -> list[CoverageGap]:
        build = Builder.of(root, info)
        return [
            CoverageGap(
                person=build.person(g.person_id),
                severity=g.severity,
                kinds=list(g.kinds),
                effective_influence=g.effective_influence,
                closeness=g.closeness,
                solution=g.solution,
                price=g.price,
                days_since_contact=g.days_since_contact,
                text=build.text(g.text_en, g.text_zh),
            )
            for g in root.data.gaps
        ]

    @strawberry.field
    def red_flags(
        self, root: strawberry.Parent[Finding[ChainAnalysis]], info: Ctx
    ) -> list[RedFlag]:
        build = Builder.of(root, info)
        rivals = build.chain.competitors
        return [
            RedFlag(
                code=f.code,
                severity=f.severity,
                persons=build.people(f.person_ids),
                competitors=[build.competitor(c) for c in f.competitor_ids if c in rivals],
                text=build.text(f.text_en, f.text_zh),
                coaching=build.text(f.coaching_en, f.coaching_zh),
            )
            for f in root.data.red_flags
        ]

    @strawberry.field
    def camps(
        self, root: strawberry.Parent[Finding[ChainAnalysis]], info: Ctx
    ) -> list[CompetitorCamp]:
        build = Builder.of(root, info)
        return [
            CompetitorCamp(
                competitor=build.competitor(c.competitor_id),
                core=build.people(c.core_ids),
                members=build.people(c.member_ids),
                influence_share=c.influence_share,
            )
            for c in root.data.camps
            if c.competitor_id in build.chain.competitors
        ]

    @strawberry.field
    def bridges(self, root: strawberry.Parent[Finding[ChainAnalysis]], info: Ctx) -> list[Bridge]:
        build = Builder.of(root, info)
        return [
            Bridge(
                person=build.person(b.person_id),
                attitude=b.attitude,
                delta_win_likelihood=b.delta_win_likelihood,
                delta_support=b.delta_support,
                text=build.text(b.text_en, b.text_zh),
            )
            for b in root.data.bridges
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


Suggested = strawberry.Parent[Finding[SuggestionData]]


@strawberry.type(description="A suggested work plan item, ranked by expected gain")
class Suggestion:
    """Presents a finding of ``strategy.workplan.Suggestion``, texts in the request's
    language."""

    @strawberry.field
    def action_key(self, root: Suggested) -> str:
        return root.data.action_key

    @strawberry.field
    def title(self, root: Suggested, info: Ctx) -> str:
        return Builder.of(root, info).text(root.data.title_en, root.data.title_zh)

    @strawberry.field
    def description(self, root: Suggested, info: Ctx) -> str:
        return Builder.of(root, info).text(root.data.description_en, root.data.description_zh)

    @strawberry.field
    def target(self, root: Suggested, info: Ctx) -> KeyPerson | None:
        target = root.data.target_person_id
        return Builder.of(root, info).person(target) if target else None

    @strawberry.field(description="The weak factor it addresses")
    def addresses(self, root: Suggested) -> str:
        return root.data.addresses

    @strawberry.field
    def rationale(self, root: Suggested, info: Ctx) -> str:
        return Builder.of(root, info).text(root.data.rationale_en, root.data.rationale_zh)

    @strawberry.field
    def owner_role(self, root: Suggested) -> enums.TeamRole:
        return root.data.owner_role

    @strawberry.field
    def owner(self, root: Suggested, info: Ctx) -> TeamMember | None:
        return Builder.of(root, info).member(root.data.owner_member_id)

    @strawberry.field
    def owner_note(self, root: Suggested, info: Ctx) -> str | None:
        s = root.data
        return Builder.of(root, info).text(s.owner_note_en or "", s.owner_note_zh or "") or None

    @strawberry.field
    def due_date(self, root: Suggested) -> str:
        return root.data.due_date

    @strawberry.field(description="Expected rise of the win likelihood")
    def expected_gain(self, root: Suggested) -> float:
        return root.data.expected_gain

    @strawberry.field
    def warm_path(self, root: Suggested, info: Ctx) -> WarmPath | None:
        path = root.data.warm_path
        return Builder.of(root, info).warm(path) if path else None

    @strawberry.field(
        description="The change in the target's closeness and attitude the gain assumed, and "
        "from how many recorded results (none: the playbook's modelled effect)",
    )
    def assumed_effect(self, root: Suggested, info: Ctx) -> str | None:
        s = root.data
        return (
            Builder.of(root, info).text(s.assumed_en, s.assumed_zh or "") if s.assumed_en else None
        )

    @strawberry.field(description="Assumed change in the target's closeness (points)")
    def assumed_closeness(self, root: Suggested) -> float | None:
        return root.data.assumed.closeness if root.data.assumed else None

    @strawberry.field(description="Assumed change in the target's attitude (steps)")
    def assumed_attitude(self, root: Suggested) -> float | None:
        return root.data.assumed.attitude if root.data.assumed else None

    @strawberry.field(description="Recorded results behind the assumed effect")
    def effect_observations(self, root: Suggested) -> int:
        return root.data.assumed.observations if root.data.assumed else 0


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
    before: Finding[AssessmentData] = strawberry.field(graphql_type=Assessment)
    after: Finding[AssessmentData] = strawberry.field(graphql_type=Assessment)
    after_analysis: Finding[ChainAnalysis] = strawberry.field(graphql_type=ChainAnalysisType)
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
        build = Builder(base.chain, ctx.locale)
        return WhatIfResult(
            before=Finding(base.chain, result.before.assessment),
            after=Finding(base.chain, result.after.assessment),
            after_analysis=Finding(base.chain, result.after.analysis),
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
