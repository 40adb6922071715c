"""Concise builders of decision-chain snapshots for the strategy tests (plus a Hypothesis
strategy generating random small chains)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from domain.chain import (
    ActivityFacts,
    ChainSnapshot,
    CompetitorFacts,
    CompetitorTie,
    MemberFacts,
    OpportunityFacts,
    PersonFacts,
    PersonTie,
    TeamAssignment,
    TeamKnows,
)
from domain.vocabulary import (
    OPEN_STAGES,
    ActivityType,
    Attitude,
    CompetitivePosition,
    DecisionRole,
    Grade,
    InfluenceLevel,
    LifecyclePhase,
    NeedsFit,
    Outcome,
    PricePosition,
    Stage,
    TeamRole,
    TieStrength,
)

NOW = 1_767_225_600_000  # 2026-01-01T00:00:00Z
DAY = 86_400_000

TEAM = (
    TeamAssignment("am", "Li Lei", TeamRole.ACCOUNT_MANAGER, LifecyclePhase.DEAL),
    TeamAssignment("sm", "Han Mei", TeamRole.SOLUTION_MANAGER, LifecyclePhase.DEAL),
    TeamAssignment("dlm", "Zhou Qi", TeamRole.DELIVERY_MANAGER, LifecyclePhase.DEAL),
)


def opp(**fields: Any) -> OpportunityFacts:
    """An opportunity with sensible defaults; override any field."""
    base: dict[str, Any] = {
        "id": "o1",
        "name": "Core system upgrade",
        "customer_id": "c1",
        "customer_name": "Acme Bank",
        "stage": Stage.REQUIREMENTS,
        "grade": Grade.A,
        "amount": 1_000_000,
        "currency": "CNY",
    }
    base.update(fields)
    return OpportunityFacts(**base)


def member(
    pid: str,
    role: DecisionRole = DecisionRole.USER,
    influence: InfluenceLevel = InfluenceLevel.MEDIUM,
    attitude: Attitude = Attitude.NEUTRAL,
    needs_fit: NeedsFit = NeedsFit.UNKNOWN,
) -> MemberFacts:
    return MemberFacts(pid, role, influence, attitude, needs_fit=needs_fit)


def dm(pid: str = "dm", **kw: Any) -> MemberFacts:
    """A decisive decision maker."""
    kw.setdefault("influence", InfluenceLevel.DECISIVE)
    return member(pid, DecisionRole.DECISION_MAKER, **kw)


def knows(
    person: str, member_id: str = "am", level: TieStrength = TieStrength.MODERATE
) -> TeamKnows:
    return TeamKnows(member_id, person, level)


def tie(a: str, b: str, strength: TieStrength = TieStrength.MODERATE) -> PersonTie:
    return PersonTie(a, b, strength)


def close_to(
    person: str, competitor: str = "rival", level: TieStrength = TieStrength.STRONG
) -> CompetitorTie:
    return CompetitorTie(competitor, person, level)


def act(
    aid: str,
    person: str,
    days_ago: float = 1,
    outcome: Outcome = Outcome.POSITIVE,
    type: ActivityType = ActivityType.VISIT,
    **kw: Any,
) -> ActivityFacts:
    return ActivityFacts(
        aid,
        type,
        NOW - int(days_ago * DAY),
        outcome,
        person_ids=(person,),
        member_ids=("am",),
        **kw,
    )


RIVAL = CompetitorFacts("rival", "Rival Corp", CompetitivePosition.EVEN, PricePosition.SIMILAR)


def snap(*members: MemberFacts, **fields: Any) -> ChainSnapshot:
    """A snapshot of the given members; persons are named after their ids unless given."""
    fields.setdefault("team", TEAM)
    fields.setdefault(
        "persons", tuple(PersonFacts(m.person_id, m.person_id.upper()) for m in members)
    )
    opportunity: OpportunityFacts = fields.pop("opportunity", None) or opp()
    edges = {k: tuple(v) if isinstance(v, list) else v for k, v in fields.items()}
    return ChainSnapshot(opportunity, members=tuple(members), **edges)


@st.composite
def chains(draw: st.DrawFn, max_members: int = 6) -> ChainSnapshot:
    """Random small chains: members, org ties, team ties, activities, a competitor's allies."""
    n = draw(st.integers(1, max_members))
    ids = [f"p{i}" for i in range(n)]
    members = [
        member(
            pid,
            draw(st.sampled_from(DecisionRole)),
            draw(st.sampled_from(InfluenceLevel)),
            draw(st.sampled_from(Attitude)),
            draw(st.sampled_from(NeedsFit)),
        )
        for pid in ids
    ]
    pairs = st.tuples(st.sampled_from(ids), st.sampled_from(ids)).filter(lambda p: p[0] != p[1])
    reports = [tie(a, b) for a, b in draw(st.lists(pairs, max_size=n))]
    influences = [
        tie(a, b, draw(st.sampled_from(TieStrength))) for a, b in draw(st.lists(pairs, max_size=n))
    ]
    team_knows = [
        knows(p, draw(st.sampled_from(["am", "sm", "dlm"])), draw(st.sampled_from(TieStrength)))
        for p in draw(st.lists(st.sampled_from(ids), max_size=2 * n))
    ]
    activities = [
        act(
            f"a{i}",
            draw(st.sampled_from(ids)),
            draw(st.floats(0, 400)),
            draw(st.sampled_from(Outcome)),
            draw(st.sampled_from(ActivityType)),
            solution_reaction=draw(st.none() | st.sampled_from(Outcome)),
            price_reaction=draw(st.none() | st.sampled_from(Outcome)),
        )
        for i in range(draw(st.integers(0, 2 * n)))
    ]
    ties = [
        close_to(p, "rival", draw(st.sampled_from(TieStrength)))
        for p in draw(st.lists(st.sampled_from(ids), max_size=n, unique=True))
    ]
    opportunity = opp(
        budget=draw(st.none() | st.integers(0, 2_000_000)),
        quote_amount=draw(st.none() | st.integers(1, 2_000_000)),
        compelling_event=draw(st.none() | st.just("Regulatory deadline")),
        decision_process_known=draw(st.booleans()),
        presales_cost=draw(st.none() | st.integers(1, 200_000)),
        delivery_cost=draw(st.none() | st.integers(0, 1_500_000)),
        stage=draw(st.sampled_from(OPEN_STAGES)),
        furthest_stage=draw(st.none() | st.sampled_from(OPEN_STAGES)),
    )
    rival = CompetitorFacts(
        "rival",
        "Rival Corp",
        draw(st.sampled_from(CompetitivePosition)),
        draw(st.sampled_from(PricePosition)),
    )
    return snap(
        *members,
        opportunity=opportunity,
        reports_to=reports,
        influences=influences,
        team_knows=team_knows,
        activities=activities,
        competitors=(rival,),
        competitor_ties=ties,
    )


def failed_poc_chain(fit: NeedsFit, stage: Stage) -> ChainSnapshot:
    """A champion decides; the dispatch director, a high-influence technical evaluator and an old
    friend of ours, failed our POC."""
    poc = act(
        "a1", "disp", 25, Outcome.NEGATIVE, ActivityType.POC, solution_reaction=Outcome.NEGATIVE
    )
    friendly = act("a2", "disp", 10, Outcome.POSITIVE, ActivityType.SOCIAL)
    return snap(
        dm(attitude=Attitude.CHAMPION),
        member(
            "disp",
            DecisionRole.TECHNICAL_EVALUATOR,
            InfluenceLevel.HIGH,
            Attitude.SUPPORTER,
            needs_fit=fit,
        ),
        opportunity=opp(stage=stage),
        activities=[poc, friendly, act("a3", "dm", 15)],
        team_knows=[knows("dm", level=TieStrength.STRONG), knows("disp", level=TieStrength.STRONG)],
    )


def skeptical_cio_chain(stage: Stage, *, staffed: bool) -> ChainSnapshot:
    """A supportive decision maker we know and a skeptical CIO of high influence (a technical
    evaluator) doubting our architecture; the team has its solution manager or not (casebook 83)."""
    team = TEAM if staffed else tuple(t for t in TEAM if t.role != TeamRole.SOLUTION_MANAGER)
    return snap(
        dm(attitude=Attitude.SUPPORTER),
        member("cio", DecisionRole.TECHNICAL_EVALUATOR, InfluenceLevel.HIGH, Attitude.SKEPTIC),
        opportunity=opp(stage=stage, compelling_event="the regulator's deadline"),
        activities=[act("a1", "dm", 10), act("a2", "cio", 12, Outcome.NEUTRAL)],
        team_knows=[knows("dm", level=TieStrength.STRONG), knows("cio", level=TieStrength.WEAK)],
        team=team,
    )
