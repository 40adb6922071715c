"""The places of members who left, counted as held by someone nobody of ours knows until the
successor the team names is on the chain: a sales leader never reads a job as left undone, so
a supportive evaluator leaving costs the deal what they were worth, and nobody leaving makes
the rest of the chain look better."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import UTC, date, datetime, time

from domain.chain import ChainSnapshot, Departure, MemberFacts, PersonFacts, Seat, seat_left_by
from domain.vocabulary import Attitude, DecisionRole
from strategy.assessment import Assessment
from strategy.config import StrategyConfig
from strategy.scoring import Score, calendar_days

SEAT_ROLE: Mapping[DecisionRole, DecisionRole] = {
    DecisionRole.COACH: DecisionRole.TECHNICAL_EVALUATOR
}
"""The role a seat is held in when it is not the leaver's own: coaching is a relationship that
leaves with the coach, the job stays, and a coach's formal part in the purchase is most often
to evaluate the solution."""


def holder(seat: Seat) -> MemberFacts:
    """Whoever holds the seat now, as the model counts them: of the leaver's role and
    influence, neutral, nobody of ours knows them, no contact."""
    return MemberFacts(
        seat.id,
        SEAT_ROLE.get(seat.role, seat.role),
        seat.influence,
        Attitude.NEUTRAL,
        external_kind=seat.external_kind,
    )


def seated(snapshot: ChainSnapshot) -> ChainSnapshot:
    """The chain (``ChainSnapshot.present``'s) with each seat held by its ``holder``: what the
    likelihood reads. Nothing else sees a seat: no score, flag or step names one."""
    if not snapshot.seats:
        return snapshot
    return dataclasses.replace(
        snapshot,
        persons=(*snapshot.persons, *(PersonFacts(s.id, s.name) for s in snapshot.seats)),
        members=(*snapshot.members, *(holder(s) for s in snapshot.seats)),
    )


def people_only[V](by_id: Mapping[str, V]) -> dict[str, V]:
    """``by_id`` without the seats."""
    return {p: v for p, v in by_id.items() if seat_left_by(p) is None}


def _unseated_score(score: Score) -> Score:
    reasons = tuple(
        r._replace(
            evidence=tuple(
                e._replace(ids=tuple(seat_left_by(i) or i for i in e.ids)) for e in r.evidence
            )
        )
        for r in score.reasons
    )
    return Score(score.value, reasons)


def unseated(assessment: Assessment) -> Assessment:
    """``assessment`` with each seat its reasons rest on given as the member who left it: the
    evidence names nodes of the store, and a seat is none."""
    return dataclasses.replace(
        assessment,
        is_real=_unseated_score(assessment.is_real),
        can_compete=_unseated_score(assessment.can_compete),
        can_win=_unseated_score(assessment.can_win),
        worth_it=_unseated_score(assessment.worth_it),
    )


def unnamed_for(
    left: Departure, stage: str, now_ms: int, config: StrategyConfig
) -> tuple[int, bool] | None:
    """For a job nobody named holds since ``left``: (days since they left, whether that is
    serious now) from ``analysis.unnamed_seat_days`` after they left at a ``stage`` that counts
    it, None before; serious ``unnamed_seat_high_days`` after, once the team had
    ``unnamed_seat_grace_days`` since it was recorded to find out. One rule for the departure's
    watch point and the deal's status."""
    an = config.analysis
    after = an.unnamed_seat_days.get(stage)
    start = datetime.combine(date.fromisoformat(left.left_on), time(), UTC)
    days = calendar_days(int(start.timestamp() * 1000), now_ms)
    if after is None or days < after:
        return None
    heard = calendar_days(left.recorded_at, now_ms) if left.recorded_at else days
    return days, days >= an.unnamed_seat_high_days[stage] and heard >= an.unnamed_seat_grace_days
