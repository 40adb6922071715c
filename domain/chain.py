"""Plain snapshot of one opportunity's decision chain: what the store loads in one statement
and what the strategy engine analyses. Frozen dataclasses, no behaviour, no I/O.

Instants are UTC epoch milliseconds (ints); money is integer minor units with a currency code.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any, Final

from domain.text import Text, telling, told_apart
from domain.vocabulary import (
    CLOSED_STAGES,
    ActivityType,
    Attitude,
    CompetitivePosition,
    DecisionRole,
    DeliveryRisk,
    DepartureKind,
    DropReason,
    ExternalKind,
    Grade,
    InfluenceLevel,
    LifecyclePhase,
    NeedsFit,
    Outcome,
    PricePosition,
    QuoteStatus,
    Stage,
    TeamRole,
    TieStrength,
    WorkPlanStatus,
    furthest_of,
    label_of,
)


@dataclass(frozen=True, slots=True)
class CloseDateMove:
    """The expected close date changed from ``before`` to ``after`` (ISO dates; None: none
    set) while the deal was at ``stage``: how a leader sees a forecast pushed out again and
    again."""

    before: str | None
    after: str | None
    stage: Stage
    at: int


@dataclass(frozen=True, slots=True)
class QuoteMove:
    """Our quote amount changed from ``before`` to ``after`` (minor units; None: none set) at
    ``at`` (epoch ms): a price objection made before a re-cut was made to another price."""

    before: int | None
    after: int | None
    at: int


def quote_refused(refused_amount: object, quote_amount: object) -> bool:
    """Whether the delivery manager's newest review, which refused ``refused_amount`` as not
    deliverable (None: it did not), refuses the quote as it stands: a changed quote is a new
    quote, awaiting its review."""
    return refused_amount is not None and refused_amount == quote_amount


@dataclass(frozen=True, slots=True)
class OpportunityFacts:
    """The opportunity's own fields that the analysis reads."""

    id: str
    name: str
    customer_id: str
    customer_name: str
    stage: Stage
    grade: Grade
    amount: int
    currency: str
    budget: int | None = None
    quote_amount: int | None = None
    quote_status: QuoteStatus = QuoteStatus.NONE
    expected_close_date: str | None = None
    compelling_event: str | None = None
    decision_process_known: bool = False
    presales_cost: int | None = None
    delivery_cost: int | None = None
    delivery_risk: DeliveryRisk = DeliveryRisk.MEDIUM
    delivery_reviewed: bool = False
    delivery_infeasible: bool = False
    """The delivery manager's newest review judged the quote as it stands not deliverable: a
    verdict, not a review still owed (the quote is reworked, then reviewed again)."""
    close_date_moves: tuple[CloseDateMove, ...] = ()
    """Every change of the close date (set, moved, cleared), oldest first (recorded by the
    store)."""
    quote_moves: tuple[QuoteMove, ...] = ()
    """Every change of the quote amount, oldest first (recorded by the store)."""
    stage_entered_at: int | None = None
    """When the deal entered its stage (epoch ms): at bidding, when the tender began for us."""
    furthest_stage: Stage | None = None
    """The furthest open stage the deal has stood at (recorded by its stage moves; None: its
    own). A deal moved back still carries the risks it showed there."""
    closed_from: Stage | None = None
    """The open stage a closed deal was closed from (recorded by the move that closed it; None
    for an open deal, or one closed before the store recorded it)."""
    quote_submitted_at: int | None = None
    """When our quote was submitted (epoch ms; None while it is not, or for a quote submitted
    before the store recorded it)."""

    @property
    def moved_back_from(self) -> Stage | None:
        """The furthest stage the deal was moved back from: None unless it stands at an open
        stage before one it reached."""
        ahead = furthest_of(self.stage, self.furthest_stage)
        return None if self.stage in CLOSED_STAGES or ahead == self.stage else ahead


@dataclass(frozen=True, slots=True)
class Departure:
    """A key person left their organisation on ``left_on`` (YYYY-MM-DD), ``how``, for ``to``
    (where they went, when known); recorded at ``recorded_at`` (epoch ms)."""

    left_on: str
    how: DepartureKind
    to: str | None = None
    recorded_at: int = 0
    successor_id: str | None = None
    """Who of the customer holds their job now, once the team names them: until that person is
    on a deal's chain, their seat there is held by someone nobody of ours knows (``Seat``)."""
    successor_at: int = 0
    """When the team named them (epoch ms; 0: not known): the follow-up's clocks start then."""

    @staticmethod
    def of(node: Mapping[str, Any]) -> Departure | None:
        """The departure a stored key person records (``domain.model``'s ``left_*`` fields),
        None while they are there."""
        if not node.get("left_on"):
            return None
        return Departure(
            str(node["left_on"]),
            DepartureKind(node.get("left_how") or DepartureKind.MOVED),
            node.get("left_to") or None,
            int(node.get("left_recorded_at") or 0),
            node.get("left_successor_id") or None,
            int(node.get("left_successor_at") or 0),
        )

    def how_said(self) -> Text:
        """How they left and where to, as a text in brackets says it: "rotated within the
        group: 集团总部" / 「集团内轮岗，去向：集团总部」."""
        how_en, how_zh = label_of(self.how).lower(), label_of(self.how, "zh")
        if not self.to:
            return Text(how_en, how_zh)
        return Text(f"{how_en}: {self.to}", f"{how_zh}，去向：{self.to}")


SEAT_PREFIX: Final = "seat:"
"""What a seat's id begins with, before the id of the member who left it."""


@dataclass(frozen=True, slots=True)
class Seat:
    """The place on the chain of a member who left, while the team has not mapped who holds
    their job now: a sales leader counts it as held by someone of their role and influence
    whom nobody of ours knows, not as empty (a job is never left undone)."""

    left_by: str
    """The id of the member who left it."""
    name: str
    """Their name: texts call the seat after them ("王主任's successor")."""
    role: DecisionRole
    influence: InfluenceLevel
    external_kind: ExternalKind | None = None
    named: bool = False
    """The team named who holds the job now, and they are not on this chain yet."""
    left: Departure | None = None
    """When and how the member left it (None: a what-if's "they leave")."""

    @property
    def id(self) -> str:
        return SEAT_PREFIX + self.left_by


def successor_of(name: str, named: bool = False) -> Text:
    """How texts name the unknown holder of the job ``name`` left: "刘总's successor (not yet
    named)" / 「刘总的继任者（待确认）」, or, ``named``, "(named, not on the chain yet)"."""
    if named:
        return Text(
            f"{name}'s successor (named, not on the decision chain yet)",
            f"{name}的继任者（已确认，尚未加入决策链）",
        )
    return Text(f"{name}'s successor (not yet named)", f"{name}的继任者（待确认）")


def seat_left_by(person_id: str) -> str | None:
    """The member who left the seat ``person_id`` names, None for a person."""
    return person_id[len(SEAT_PREFIX) :] if person_id.startswith(SEAT_PREFIX) else None


@dataclass(frozen=True, slots=True)
class PersonFacts:
    """A key person of the customer (member of the chain or a connector outside it)."""

    id: str
    name: str
    title: str | None = None
    department: str | None = None
    left: Departure | None = None
    """Set once they left the customer: the chain keeps them as history, the analysis counts
    them no more (``strategy.departures``)."""


@dataclass(frozen=True, slots=True)
class MemberFacts:
    """A key person's place in this opportunity's decision chain (the IN_DECISION_CHAIN edge)."""

    person_id: str
    role: DecisionRole
    influence: InfluenceLevel
    attitude: Attitude
    needs: str | None = None
    needs_fit: NeedsFit = NeedsFit.UNKNOWN
    external_kind: ExternalKind | None = None
    """Set for a person of another organisation (an expert, a consultant, a group officer)."""
    heard: bool = False
    """Their attitude is known at first hand whatever the record of contacts shows: a what-if's
    "she champions us" means what it says, not that someone told us so."""
    moved_today: bool = False
    """Their attitude is today's news (a play's modelled effect), not one heard long ago."""
    told_since: int | None = None
    """Their attitude is what a champion tells us (the champion's word, a play's modelled
    effect): support counts as hearsay until one of ours hears them at a contact from this time
    (ms) on."""
    joined_at: int | None = None
    """When (ms) they were put on this chain; None when that is not known. The process gives
    someone found late in a stage a few days of their own for what it asks of each member."""

    @property
    def needs_stated(self) -> bool:
        """Their needs are recorded (blank text is none): what the process asks of every
        member, and what a fit nobody judged is read beside."""
        return bool(self.needs and self.needs.strip())


def drawn_expert(member: MemberFacts) -> bool:
    """A tender-evaluation expert: drawn onto the panel from outside, reached only through the
    bid (the engine aims no play at them; the process counts a contact as a violation)."""
    return member.external_kind == ExternalKind.TENDER_EXPERT


@dataclass(frozen=True, slots=True)
class PersonTie:
    """A directed tie between two key persons: REPORTS_TO, INFLUENCES or KNOWS."""

    from_id: str
    to_id: str
    strength: TieStrength = TieStrength.MODERATE


@dataclass(frozen=True, slots=True)
class TeamKnows:
    """Our team member's KNOWS tie to a key person."""

    member_id: str
    person_id: str
    level: TieStrength
    since: str | None = None


@dataclass(frozen=True, slots=True)
class TeamAssignment:
    """A team member on this opportunity (or its customer) with role and lifecycle phase."""

    member_id: str
    name: str
    role: TeamRole
    phase: LifecyclePhase


@dataclass(frozen=True, slots=True)
class CompetitorFacts:
    """A competitor on this opportunity (the COMPETES_FOR edge)."""

    id: str
    name: str
    position: CompetitivePosition = CompetitivePosition.UNKNOWN
    price_position: PricePosition = PricePosition.UNKNOWN


@dataclass(frozen=True, slots=True)
class CompetitorTie:
    """A competitor's CLOSE_TO tie with a key person."""

    competitor_id: str
    person_id: str
    level: TieStrength


@dataclass(frozen=True, slots=True)
class ActivityFacts:
    """An activity with key persons of the chain, with its outcome and recorded reactions."""

    id: str
    type: ActivityType
    occurred_at: int
    outcome: Outcome
    summary: str = ""
    solution_reaction: Outcome | None = None
    price_reaction: Outcome | None = None
    member_ids: tuple[str, ...] = ()
    person_ids: tuple[str, ...] = ()
    opportunity_id: str | None = None
    recorded: bool = True
    """Whether how it went was recorded: a contact planned ahead has no outcome until someone
    records one, and one whose time passed unrecorded may not have taken place."""


@dataclass(frozen=True, slots=True)
class PlannedPlay:
    """A play already in the deal's work plan and not done yet (an open item): the plan does
    not suggest it again."""

    action_key: str
    person_id: str | None = None
    due_on: str | None = None
    """The day (YYYY-MM-DD) it is due, when one was set: a step that can only come after it
    falls due after it."""


@dataclass(frozen=True, slots=True)
class DroppedPlay:
    """A play dropped from the deal's work plan at ``at`` (epoch ms, its latest drop),
    ``reason`` why (None: not said) and, for a wrong timing, the day (YYYY-MM-DD) it may come
    back: the plan waits before it suggests it again for the same person."""

    action_key: str
    person_id: str | None
    at: int
    reason: DropReason | None = None
    resume_on: str | None = None
    given_up: int = 0
    """How many of the play's drops for that person on this deal were not for its timing
    (refused, no longer needed, nobody to do it, no reason said): the team gave up on it."""
    put_off: tuple[tuple[int, str | None], ...] = ()
    """Its drops for its timing ("not now": the step put off to a day), each when (epoch ms)
    and until which day, oldest first."""


@dataclass(frozen=True, slots=True)
class DonePlay:
    """A play of the deal's work plan done at ``at`` (epoch ms: its result recorded, the latest
    of that play for that person): the plan does not suggest it again for a while."""

    action_key: str
    person_id: str | None
    at: int


SUCCESSOR_PLAY: Final = "successor_introduction"
"""The play asking one who left to introduce their successor (``strategy.departures``)."""


@dataclass(frozen=True, slots=True)
class AskedElsewhere:
    """A step of another deal's plan asking a member who left the customer to introduce their
    successor (``SUCCESSOR_PLAY``; open, done or dropped, and why): one who left is asked once
    for all the deals they sat on, not once per deal (a sales VP: the same person is not called
    three times)."""

    person_id: str
    item_id: str
    opportunity_id: str
    status: WorkPlanStatus
    drop_reason: DropReason | None = None
    asked_at: int = 0
    """When the step was planned (epoch ms): one from before the record of their leaving (an
    undone one) is no ask of this departure."""


@dataclass(frozen=True, slots=True)
class ChainSnapshot:
    """Everything known about one opportunity's decision chain at one moment."""

    opportunity: OpportunityFacts
    persons: tuple[PersonFacts, ...] = ()
    members: tuple[MemberFacts, ...] = ()
    reports_to: tuple[PersonTie, ...] = ()
    influences: tuple[PersonTie, ...] = ()
    person_knows: tuple[PersonTie, ...] = ()
    team: tuple[TeamAssignment, ...] = ()
    team_knows: tuple[TeamKnows, ...] = ()
    competitors: tuple[CompetitorFacts, ...] = ()
    competitor_ties: tuple[CompetitorTie, ...] = ()
    activities: tuple[ActivityFacts, ...] = ()
    planned: tuple[PlannedPlay, ...] = ()
    dropped: tuple[DroppedPlay, ...] = ()
    done: tuple[DonePlay, ...] = ()
    names: tuple[tuple[str, str], ...] = ()
    """(id, name) of our people and competitors the chain names beyond its team and the deal's
    competitors (one who knows a member, a competitor close to one): texts name them too."""
    apart: tuple[tuple[str, str], ...] = ()
    """(id, what tells them from a namesake: their title, else their e-mail, or "") of each of
    our people the chain names (its team and those of ``names``)."""
    seats: tuple[Seat, ...] = ()
    """The places of members who left whose successor is not on the chain yet (``present``
    fills it): the likelihood counts them as held by someone nobody of ours knows."""
    successors: tuple[PersonFacts, ...] = ()
    """The people off this chain the team named as holding the job a member left, and down
    the line (one named who left in turn, and whom they named): who holds the job now
    (``holder_of``) is followed through them."""
    asked_elsewhere: tuple[AskedElsewhere, ...] = ()
    """The steps of other deals' plans asking the members who left for their successor
    (``AskedElsewhere``)."""

    def display_names(self) -> dict[str, str]:
        """The name of every one of our people and every competitor the chain names, by id:
        texts for people name them, never show their ids."""
        found = dict(self.names)
        found.update((t.member_id, t.name) for t in self.team)
        found.update((c.id, c.name) for c in self.competitors)
        return found

    def ours_told_apart(self) -> dict[str, Text]:
        """The names of our people whom another of ours the chain names shares a name with,
        told apart in each language (``told_apart``): texts name two 王伟 so a reader knows
        which is meant; a unique name is not among them."""
        if len(self.apart) < 2:
            return {}
        names = self.display_names()
        return told_apart({i: names.get(i, "") for i, _ in self.apart}, dict(self.apart))

    def without(self, pid: str) -> ChainSnapshot:
        """The chain with ``pid`` gone from it and from every edge (their past contacts stay,
        without them)."""

        def keep(t: object) -> bool:
            return getattr(t, "from_id", None) != pid and getattr(t, "to_id", None) != pid

        activities = tuple(
            replace(a, person_ids=tuple(p for p in a.person_ids if p != pid))
            if pid in a.person_ids
            else a
            for a in self.activities
        )
        return replace(
            self,
            persons=tuple(p for p in self.persons if p.id != pid),
            members=tuple(m for m in self.members if m.person_id != pid),
            reports_to=tuple(t for t in self.reports_to if keep(t)),
            influences=tuple(t for t in self.influences if keep(t)),
            person_knows=tuple(t for t in self.person_knows if keep(t)),
            team_knows=tuple(k for k in self.team_knows if k.person_id != pid),
            competitor_ties=tuple(t for t in self.competitor_ties if t.person_id != pid),
            activities=activities,
        )

    def vacated(self, pid: str) -> ChainSnapshot:
        """The chain with ``pid`` gone (``without``) and their place, if they were a member, a
        ``Seat``: someone holds their job still. Whoever named them as holding their own job
        now names the seat (the job is counted once); one already recorded as having left is
        left to ``present``."""
        person = next((p for p in self.persons if p.id == pid), None)
        member = next((m for m in self.members if m.person_id == pid), None)
        if person is not None and person.left is not None:
            return self
        found = self.without(pid)
        if member is None:
            return found
        name = person.name if person else pid
        seat = Seat(pid, name, member.role, member.influence, member.external_kind)

        def named_seat(people: tuple[PersonFacts, ...]) -> tuple[PersonFacts, ...]:
            return tuple(
                replace(p, left=replace(p.left, successor_id=seat.id))
                if p.left is not None and p.left.successor_id == pid
                else p
                for p in people
            )

        return replace(
            found,
            persons=named_seat(found.persons),
            successors=named_seat(found.successors),
            seats=(*found.seats, seat),
        )

    def _line(self, person_id: str) -> Iterator[PersonFacts | str]:
        """Who the team named as holding the job ``person_id`` left, then, while that one left
        too, whom they named, and so on: each as their facts, or their id when nothing more is
        known of them here (a seat, someone not loaded)."""
        known = {p.id: p for p in (*self.successors, *self.persons)}
        seen = {person_id}
        after = known.get(person_id)
        holder = after.left.successor_id if after and after.left else None
        while holder is not None and holder not in seen:
            seen.add(holder)
            after = known.get(holder)
            yield after or holder
            holder = after.left.successor_id if after and after.left else None

    def holder_of(self, person_id: str) -> PersonFacts | None:
        """Who holds the job ``person_id`` left now, as far as the team named it: the end of
        the line (``_line``) when they are still at the customer; None while nobody known
        here is."""
        held = self.holding(person_id)
        return held[0] if held else None

    def holding(self, person_id: str) -> tuple[PersonFacts, int, str] | None:
        """Who holds the job ``person_id`` left now (``holder_of``), when the team named them
        (epoch ms, 0 when not known) and who they were named for: ``person_id``, or the last
        one on the line who left."""
        named_by = next((p for p in self.persons if p.id == person_id), None)
        for found in self._line(person_id):
            if not isinstance(found, PersonFacts):
                return None
            if found.left is None:
                if named_by is None or named_by.left is None:
                    return None
                return found, named_by.left.successor_at, named_by.id
            named_by = found
        return None

    def _named(self, person_id: str) -> bool:
        """Whether someone holds the job ``person_id`` left, as the team named it: one still
        at the customer ends the line, or one not known here (at another of the customer's
        group, say: the record says a successor was named)."""
        line = list(self._line(person_id))
        last = line[-1] if line else None
        if isinstance(last, str):
            return not last.startswith(SEAT_PREFIX)
        return last is not None and last.left is None

    def _job_held(self, person: PersonFacts) -> bool:
        """Whether someone else stands for the job ``person`` left: the successor the team
        named, on the chain, or their seat if they left too (followed down the line)."""
        members = {m.person_id for m in self.members}
        seats = {s.id for s in self.seats}
        for found in self._line(person.id):
            holder = found if isinstance(found, str) else found.id
            if holder in members or holder in seats:
                return True  # on the chain, or their own seat stands for the job
        return False

    def present(self) -> ChainSnapshot:
        """The chain of those still at the customer (itself when nobody left): what every
        judgement reads (``strategy.departures`` keeps the leavers as history). The place of a
        member who left stays as a ``Seat`` until the successor the team named is on the chain
        (``_job_held``)."""
        gone = [p for p in self.persons if p.left is not None]
        if not gone:
            return self
        held = {p.id for p in gone if self._job_held(p)}
        members = {m.person_id: m for m in self.members}
        seats = list(self.seats)
        for person in gone:
            member = members.get(person.id)
            if member is None or person.id in held:
                continue
            named = self._named(person.id)
            seats.append(
                Seat(
                    person.id,
                    person.name,
                    member.role,
                    member.influence,
                    member.external_kind,
                    named,
                    person.left,
                )
            )
        found = self
        for person in gone:
            found = found.without(person.id)
        return replace(found, seats=tuple(seats))

    def naming(self, members: Mapping[str, Mapping[str, object]]) -> ChainSnapshot:
        """The snapshot naming ``members`` too (our people by id, with name, title and e-mail):
        a text that names someone off the team, a director who approved or acknowledged, tells
        them from a namesake as it tells the team apart (``ours_told_apart``)."""
        named = {i: m for i, m in members.items() if m.get("name")}
        if not named:
            return self
        return replace(
            self,
            names=(*self.names, *((i, str(m["name"])) for i, m in named.items())),
            apart=(*self.apart, *((i, telling(m)) for i, m in named.items())),
        )
