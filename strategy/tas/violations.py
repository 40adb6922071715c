"""The "punish" step: pure rules that find violations of the process in plain facts.

Each finding carries a stable ``key`` (rule:opportunity:subject) so a periodic sweep can
upsert findings idempotently instead of raising the same violation twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import ClassVar

from domain.chain import ChainSnapshot, TeamAssignment, drawn_expert
from domain.text import Text
from domain.vocabulary import (
    CLOSED_STAGES,
    ENDED_STAGES,
    ApprovalState,
    DecisionRole,
    LifecyclePhase,
    QuoteStatus,
    TeamRole,
)
from strategy.tas.actions import ACTIONS, named, unrecorded_members
from strategy.tas.approvals import ApprovalRecord
from strategy.tas.definition import ProcessDefinition, ViolationConfig, ViolationRule
from strategy.tas.facts import GateFacts, gate_facts_from_snapshot
from strategy.tas.grades import stage_approvals
from strategy.tas.problem_texts import listed
from strategy.tas.promises import comes_back_at, day_of
from strategy.tas.rule_texts import rule_texts
from strategy.tas.timeline import happened
from strategy.tas.triangle import DeliveryReview, QuoteFacts, can_submit_quote

DAY_MS = 86_400_000


@dataclass(frozen=True, slots=True)
class ViolationFacts:
    """One opportunity as the sweep sees it: gate facts plus timing, team, quote and approvals."""

    gate: GateFacts
    stage_entered_at: int
    team: tuple[TeamAssignment, ...] = ()
    approvals: tuple[ApprovalRecord, ...] = ()
    last_activity_at: int | None = None
    quote_status: QuoteStatus = QuoteStatus.NONE
    quote: QuoteFacts | None = None
    ours: Mapping[str, Text] = field(default_factory=dict)
    """The team's namesakes told apart (``ChainSnapshot.ours_told_apart``)."""
    unrecorded: tuple[Unrecorded, ...] = ()
    """The members whose needs are not recorded, in the order they are named."""
    expert_contacts: tuple[ExpertContact, ...] = ()
    """The drawn tender-evaluation experts of the chain one of ours has a contact with on
    record."""


@dataclass(frozen=True, slots=True)
class ExpertContact:
    """A drawn tender-evaluation expert and the first contact with them on record (ms)."""

    person_id: str
    name: str
    first_at: int


@dataclass(frozen=True, slots=True)
class Unrecorded:
    """A member whose needs are not recorded, and since when they are new to the chain."""

    person_id: str
    name: str
    role: DecisionRole
    new_since: int | None = None
    """When (ms) they were put on the chain, or first met by one of ours when that was
    earlier; None when not known (they get no days of their own)."""

    def due_at(self, entered: int, deadline: int, cfg: ViolationConfig) -> int:
        """When their needs lapse: the stage's ``deadline``, or later, for one new since the
        deal ``entered`` its stage, the days of their own after they were put on the chain."""
        if self.new_since is None or self.new_since <= entered:
            return deadline
        return max(deadline, self.new_since + cfg.newcomer_days_of(self.role) * DAY_MS)


@dataclass(frozen=True, slots=True)
class ViolationFinding:
    """One violation: who answers for it, why (zh/en) and the evidence."""

    rule: ViolationRule
    opportunity_id: str
    subject: str
    responsible_member_id: str | None
    zh: str
    en: str
    evidence: Mapping[str, object] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """Stable identity for idempotent sweeps: rule, opportunity and subject."""
        return f"{self.rule.value}:{self.opportunity_id}:{self.subject}"


def violation_facts_from_snapshot(
    snapshot: ChainSnapshot,
    approvals: Iterable[ApprovalRecord],
    stage_entered_at: int,
    review: DeliveryReview | None = None,
    *,
    now_ms: int,
) -> ViolationFacts:
    """Build ``ViolationFacts`` from a snapshot, the deal's approvals and its stage entry time,
    as of ``now_ms`` (a planned activity is no contact with the customer yet)."""
    records = tuple(approvals)
    opp = snapshot.opportunity
    return ViolationFacts(
        gate=gate_facts_from_snapshot(snapshot, records, now_ms=now_ms, review=review),
        stage_entered_at=stage_entered_at,
        team=snapshot.team,
        approvals=records,
        last_activity_at=last_contact_at(snapshot, now_ms),
        quote_status=opp.quote_status,
        quote=QuoteFacts(opp.quote_amount, snapshot.team, review),
        ours=snapshot.ours_told_apart(),
        unrecorded=_unrecorded(snapshot, now_ms),
        expert_contacts=_expert_contacts(snapshot, now_ms),
    )


def _expert_contacts(snapshot: ChainSnapshot, now_ms: int) -> tuple[ExpertContact, ...]:
    """The chain's drawn tender-evaluation experts with a contact on record by ``now_ms`` (its
    outcome said: one planned, or whose time passed with nothing said of it, is the red flag's
    to call off), each with the first such contact."""
    experts = {m.person_id for m in snapshot.members if drawn_expert(m)}
    first: dict[str, int] = {}
    for a in happened(snapshot.activities, now_ms):
        if a.recorded:
            for pid in experts.intersection(a.person_ids):
                first[pid] = min(a.occurred_at, first.get(pid, a.occurred_at))
    names = {p.id: p.name for p in snapshot.persons}
    return tuple(ExpertContact(pid, names.get(pid, ""), at) for pid, at in sorted(first.items()))


def _unrecorded(snapshot: ChainSnapshot, now_ms: int) -> tuple[Unrecorded, ...]:
    """The members still at the customer whose needs are not recorded (as the gate counts
    them), each new since they were put on the chain or, when earlier, since one of ours first
    met them at a contact whose outcome is on record (one known long before was left off it)."""
    present = snapshot.present()
    first_met: dict[str, int] = {}
    for a in happened(present.activities, now_ms):
        if not a.recorded:
            continue  # its time passed with nothing said of it: it may not have taken place
        for pid in a.person_ids:
            first_met[pid] = min(a.occurred_at, first_met.get(pid, a.occurred_at))
    names = {p.id: p.name for p in present.persons}
    return tuple(
        Unrecorded(
            m.person_id,
            names.get(m.person_id, ""),
            m.role,
            None
            if m.joined_at is None
            else min(m.joined_at, first_met.get(m.person_id, m.joined_at)),
        )
        for m in unrecorded_members(present)
    )


def last_contact_at(snapshot: ChainSnapshot, now_ms: int) -> int | None:
    """When the deal's customer was last contacted by ``now_ms``: its newest activity that has
    happened, about this deal or about none (a planned one is no contact yet)."""
    opp_id = snapshot.opportunity.id
    return max(
        (
            a.occurred_at
            for a in happened(snapshot.activities, now_ms)
            if a.opportunity_id in (None, opp_id)
        ),
        default=None,
    )


def quiet_days(snapshot: ChainSnapshot, now_ms: int) -> int:
    """Whole days the deal has gone without contact with its customer by ``now_ms``: since the
    last one, or since it entered its stage when it never had one (0 when that is unknown)."""
    since = last_contact_at(snapshot, now_ms)
    if since is None:
        since = snapshot.opportunity.stage_entered_at
    return 0 if since is None else max(0, now_ms - since) // DAY_MS


def idle_days(
    last_contact: int | None, stage_entered_at: int, now_ms: int, limit: int
) -> int | None:
    """Whole days an open deal has gone without contact (counted from its stage entry when
    it never had one), when that is over ``limit`` days; None while it is not idle."""
    since = last_contact if last_contact is not None else stage_entered_at
    if now_ms - since <= limit * DAY_MS:
        return None
    return (now_ms - since) // DAY_MS


def account_manager(team: Iterable[TeamAssignment]) -> str | None:
    """The member answerable for a deal: its deal-phase account manager, else any."""
    managers = [a for a in team if a.role == TeamRole.ACCOUNT_MANAGER]
    managers.sort(key=lambda a: a.phase != LifecyclePhase.DEAL)
    return managers[0].member_id if managers else None


def _process_name(d: ProcessDefinition, code: str) -> tuple[str, str]:
    process = d.process(code)
    if process is None:
        return f"TAS+{code}", f"TAS+{code}"
    return f"TAS+{code} {process.name_zh}", f"TAS+{code} {process.name_en}"


def _texts(
    rule: ViolationRule, zh: Mapping[str, object], en: Mapping[str, object]
) -> tuple[str, str]:
    """A finding's (zh, en) message, worded in ``violations.toml``."""
    text = rule_texts().fill(rule, zh, en)
    return text.zh, text.en


def _name_of(f: ViolationFacts, member_id: str) -> Text | None:
    """One of the team as the message names them in each language (a namesake told apart)."""
    name = next((a.name for a in f.team if a.member_id == member_id), None)
    return f.ours.get(member_id) or Text(name, name) if name else None


def _stage_without_approval(d: ProcessDefinition, f: ViolationFacts) -> list[ViolationFinding]:
    g = f.gate
    if g.stage in ENDED_STAGES:
        return []
    owner = account_manager(f.team)
    stage_zh, stage_en = d.stage_name(g.stage)
    findings = []
    for sd in d.stages_before(g.stage):
        for code in stage_approvals(
            d, sd, g.grade, g.fields.get("amount"), g.fields.get("currency")
        ):
            state = g.approval_state(code)
            if state == ApprovalState.APPROVED:
                continue
            process_zh, process_en = _process_name(d, code)
            findings.append(
                ViolationFinding(
                    ViolationRule.STAGE_WITHOUT_APPROVAL,
                    g.opportunity_id,
                    code,
                    owner,
                    *_texts(
                        ViolationRule.STAGE_WITHOUT_APPROVAL,
                        {"stage": stage_zh, "process": process_zh},
                        {"stage": stage_en, "process": process_en},
                    ),
                    {
                        "stage": g.stage.value,
                        "process_code": code,
                        "approval_state": state.value if state else None,
                    },
                )
            )
    return findings


@dataclass(frozen=True, slots=True)
class PersonDue:
    """One member whose needs are not recorded, and when they lapse."""

    person_id: str
    name: str
    due_at: int


@dataclass(frozen=True, slots=True)
class ActionDue:
    """A required action of the deal's stage not done yet, and when it becomes a violation: the
    stage's deadline, or for the needs, the first of its people's own due times."""

    name: str
    label: Text
    due_at: int
    people: tuple[PersonDue, ...] = ()
    """For the needs: whose are missing, each with their own due time, in the order named."""


def actions_due(
    d: ProcessDefinition, f: ViolationFacts, cfg: ViolationConfig | None = None
) -> list[ActionDue]:
    """The required actions of the deal's stage still undone, each with when it falls due:
    what the team sees coming before ``ACTION_OVERDUE`` raises it (none for a stage without
    required actions, or a closed deal's)."""
    cfg = cfg or d.violations
    sd = d.stage(f.gate.stage)
    if sd is None:
        return []
    deadline = f.stage_entered_at + (sd.action_overdue_days or cfg.action_overdue_days) * DAY_MS
    due: list[ActionDue] = []
    for name in sd.exit.actions:
        if name in f.gate.actions:
            continue
        if name == "needs_recorded" and f.unrecorded:
            people = tuple(
                PersonDue(u.person_id, u.name, u.due_at(f.stage_entered_at, deadline, cfg))
                for u in f.unrecorded
            )
            first = min(p.due_at for p in people)
            due.append(ActionDue(name, ACTIONS[name].label, first, people))
        else:
            due.append(ActionDue(name, ACTIONS[name].label, deadline))
    return due


def _action_overdue(
    d: ProcessDefinition, f: ViolationFacts, now: int, cfg: ViolationConfig
) -> list[ViolationFinding]:
    sd = d.stage(f.gate.stage)
    if sd is None:
        return []
    days = sd.action_overdue_days or cfg.action_overdue_days
    owner = account_manager(f.team)
    spent = (now - f.stage_entered_at) // DAY_MS
    findings = []
    for due in actions_due(d, f, cfg):
        if now <= due.due_at:
            continue  # not yet, or only newcomers' needs are missing and their days are not over
        action = due.label
        late = [p for p in due.people if now > p.due_at]
        if late:
            action = _with_missing(action, [p.name for p in late])
        missing = [{"person_id": p.person_id, "due_at": p.due_at} for p in late]
        findings.append(
            ViolationFinding(
                ViolationRule.ACTION_OVERDUE,
                f.gate.opportunity_id,
                due.name,
                owner,
                *_texts(
                    ViolationRule.ACTION_OVERDUE,
                    {"stage": sd.name_zh, "days": spent, "limit": days, "action": action.zh},
                    {"stage": sd.name_en, "days": spent, "limit": days, "action": action.en},
                ),
                {
                    "stage": sd.stage.value,
                    "action": due.name,
                    "days_in_stage": spent,
                    "limit_days": days,
                    **({"missing": missing} if missing else {}),
                },
            )
        )
    return findings


def _with_missing(action: Text, names: list[str]) -> Text:
    """An action made of people, with those it still misses."""
    missing = listed(named(names))
    zh = {"action": action.zh, "names": missing.zh}
    return rule_texts().part("missing", zh, {"action": action.en, "names": missing.en})


def _quote_without_review(f: ViolationFacts) -> list[ViolationFinding]:
    if f.quote_status != QuoteStatus.SUBMITTED:
        return []
    quote = f.quote or QuoteFacts(None, f.team, None)
    problems = can_submit_quote(quote)
    if not problems:
        return []
    return [
        ViolationFinding(
            ViolationRule.QUOTE_WITHOUT_DELIVERY_REVIEW,
            f.gate.opportunity_id,
            "quote",
            account_manager(f.team),
            *_texts(ViolationRule.QUOTE_WITHOUT_DELIVERY_REVIEW, {}, {}),
            {"problems": [p.code for p in problems]},
        )
    ]


def _approval_rules(d: ProcessDefinition, f: ViolationFacts) -> list[ViolationFinding]:
    findings = []
    for a in f.approvals:
        decision = a.decision
        if decision is None:
            continue
        evidence = {
            "approval_id": a.id,
            "process_code": a.process_code,
            "decider_id": decision.actor_id,
            "requester_id": a.requester_id,
            "decider_roles": [r.value for r in decision.actor_roles],
            "state": decision.to_state.value,
        }
        process_zh, process_en = _process_name(d, a.process_code)
        name = _name_of(f, decision.actor_id)
        who = (
            rule_texts().part("who", {"name": name.zh}, {"name": name.en}) if name else Text("", "")
        )
        zh = {"process": process_zh, "who": who.zh}
        en = {"process": process_en, "who": who.en}
        if decision.actor_id == a.requester_id:
            findings.append(
                ViolationFinding(
                    ViolationRule.SELF_APPROVAL,
                    a.opportunity_id,
                    a.id,
                    decision.actor_id,
                    *_texts(ViolationRule.SELF_APPROVAL, zh, en),
                    evidence,
                )
            )
        process = d.process(a.process_code)
        allowed = process.approver_roles if process else frozenset()
        if not allowed & set(decision.actor_roles):
            findings.append(
                ViolationFinding(
                    ViolationRule.APPROVAL_BY_UNAUTHORISED,
                    a.opportunity_id,
                    a.id,
                    decision.actor_id,
                    *_texts(ViolationRule.APPROVAL_BY_UNAUTHORISED, zh, en),
                    {**evidence, "approver_roles": sorted(r.value for r in allowed)},
                )
            )
    return findings


def _expert_contact(f: ViolationFacts) -> list[ViolationFinding]:
    """One violation per drawn tender-evaluation expert one of ours was in contact with: the
    account manager answers for it, and a director acknowledges what it was (the session the
    tender agency held for the whole panel is the one allowed contact)."""
    found = []
    for c in f.expert_contacts:
        words = {"name": c.name, "date": day_of(c.first_at).isoformat()}
        found.append(
            ViolationFinding(
                ViolationRule.EXPERT_CONTACT,
                f.gate.opportunity_id,
                f"expert:{c.person_id}",
                account_manager(f.team),
                *_texts(ViolationRule.EXPERT_CONTACT, words, words),
                {"person_id": c.person_id, "first_contact_at": c.first_at},
            )
        )
    return found


def _idle(f: ViolationFacts, now: int, cfg: ViolationConfig) -> list[ViolationFinding]:
    if f.gate.stage in CLOSED_STAGES:
        return []
    idle = idle_days(f.last_activity_at, f.stage_entered_at, now, cfg.idle_days)
    if idle is None:
        return []
    return [
        ViolationFinding(
            ViolationRule.OPPORTUNITY_IDLE,
            f.gate.opportunity_id,
            "idle",
            account_manager(f.team),
            *_texts(
                ViolationRule.OPPORTUNITY_IDLE,
                {"idle_days": idle, "limit": cfg.idle_days},
                {"idle_days": idle, "limit": cfg.idle_days},
            ),
            {
                "last_activity_at": f.last_activity_at,
                "idle_days": idle,
                "limit_days": cfg.idle_days,
            },
        )
    ]


@dataclass(frozen=True, slots=True)
class Acknowledged:
    """An acknowledged violation still on record as open (its cause not yet found gone)."""

    id: str
    key: str
    rule: ViolationRule
    acknowledged_at: int
    acknowledged_by: Text | None
    """The name of who acknowledged it, if they are one of ours (told from a namesake)."""
    repeat: int = 0
    """How many times it had come back before (0: first raised)."""
    put_right_by: str | None = None
    """The date its acknowledged response promised to put it right by (YYYY-MM-DD)."""
    promised_by: Text | None = None
    """The name of who promised it, if they are one of ours (told from a namesake)."""

    def due_at(self, config: ViolationConfig) -> int | None:
        """When it comes back if its cause still holds: the day after the date promised (a day
        after the acknowledgement at the soonest, if that date had passed by then), else the
        rule's recheck days after the acknowledgement; never for a past event."""
        days = config.recheck_days.get(self.rule)
        if not days:
            return None
        if self.put_right_by:
            return max(comes_back_at(self.put_right_by), self.acknowledged_at + DAY_MS)
        return self.acknowledged_at + days * DAY_MS


@dataclass(frozen=True, slots=True)
class Again:
    """How a violation raised again says so: the words after its finding's own, and what its
    evidence adds. Kept with it, so its finding can be worded anew while it stays open (an idle
    deal's days go on counting) and still say it is a repeat."""

    text: Text
    evidence: Mapping[str, object]

    KEYS: ClassVar[tuple[str, ...]] = ("repeat", "repeat_of", "acknowledged_at", "put_right_by")
    """The evidence a repeat adds to its finding's."""

    @classmethod
    def kept(cls, text: Text, evidence: Mapping[str, object]) -> Again:
        """A stored repeat's words and, of its evidence, what it was raised with."""
        return cls(text, {k: evidence[k] for k in cls.KEYS if k in evidence})

    def on(self, finding: ViolationFinding) -> ViolationFinding:
        """The finding worded as this repeat."""
        return replace(
            finding,
            zh=finding.zh + self.text.zh,
            en=finding.en + self.text.en,
            evidence={**finding.evidence, **self.evidence},
        )


@dataclass(frozen=True, slots=True)
class Repeat:
    """A finding that comes back as a new violation, worded as such, and the one it follows."""

    finding: ViolationFinding
    of: Acknowledged
    again: Again


def repeats(
    findings: Iterable[ViolationFinding],
    acknowledged: Iterable[Acknowledged],
    now_ms: int,
    config: ViolationConfig,
) -> list[Repeat]:
    """The findings whose acknowledged violation is due again: its rule is rechecked, its
    cause still holds, and the date its response promised, or else the rule's recheck days
    since the acknowledgement, has passed."""
    due = {a.key: a for a in acknowledged if (at := a.due_at(config)) is not None and now_ms >= at}
    found = []
    for f in findings:
        if (of := due.get(f.key)) is None:
            continue
        count = of.repeat + 1
        date = datetime.fromtimestamp(of.acknowledged_at / 1000, tz=UTC).date().isoformat()
        who, by = _by(of.acknowledged_by), _by(of.promised_by)
        values = {"count": count, "date": date, "promised": of.put_right_by}
        words = rule_texts().part(
            "missed" if of.put_right_by else "again",  # a promise missed, or the recheck's
            values | {"who": who.zh, "by": by.zh},
            values | {"who": who.en, "by": by.en},
        )
        evidence = {"repeat": count, "repeat_of": of.id, "acknowledged_at": date}
        promised = {"put_right_by": of.put_right_by} if of.put_right_by else {}
        again = Again(words, evidence | promised)
        found.append(Repeat(again.on(f), of, again))
    return found


def _by(name: Text | None) -> Text:
    """ " by 周志强" (in Chinese the bare name), or nothing for someone not one of ours."""
    return (
        rule_texts().part("by", {"name": name.zh or name.en}, {"name": name.en})
        if name
        else Text("", "")
    )


def detect_violations(
    definition: ProcessDefinition,
    facts: ViolationFacts,
    now_ms: int,
    config: ViolationConfig | None = None,
) -> list[ViolationFinding]:
    """All violations of one opportunity at ``now_ms``; ``config`` defaults to the file's."""
    cfg = config or definition.violations
    found: list[ViolationFinding] = []
    if cfg.runs(ViolationRule.STAGE_WITHOUT_APPROVAL):
        found += _stage_without_approval(definition, facts)
    if cfg.runs(ViolationRule.ACTION_OVERDUE):
        found += _action_overdue(definition, facts, now_ms, cfg)
    if cfg.runs(ViolationRule.QUOTE_WITHOUT_DELIVERY_REVIEW):
        found += _quote_without_review(facts)
    found += [v for v in _approval_rules(definition, facts) if cfg.runs(v.rule)]
    if cfg.runs(ViolationRule.OPPORTUNITY_IDLE):
        found += _idle(facts, now_ms, cfg)
    if cfg.runs(ViolationRule.EXPERT_CONTACT):
        found += _expert_contact(facts)
    return found
