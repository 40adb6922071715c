"""The casebook: deal situations a sales leader recognises, each with what an experienced leader
concludes, and the check of the engine's answer against those conclusions.

Why: the engine's judgements (likelihood, gaps, red flags, camps, actions, what-ifs) are only
useful when a sales director would agree with them. Each case in ``cases/*.toml`` is a small
decision chain plus expectations written as ranges and orderings, never exact numbers; the
expectations were written before the engine was run on the case. ``evaluate`` turns every
expectation into one ``Check``; the test suite and ``benchmarks/bench_casebook.py`` report the
agreement per kind of judgement.

File ids are short (``pres``); the snapshot prefixes them (``kp-pres``, ``tm-am``, ``co-x``) so a
test can tell an id that leaks into a text from an ordinary word.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

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
    ActivityType,
    Attitude,
    CompetitivePosition,
    DecisionRole,
    DeliveryRisk,
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
)
from strategy.config import default_config
from strategy.engine import FullAnalysis, analyse
from strategy.health import deal_health, likelihood_once_dated
from strategy.scoring import score_chain
from strategy.tas.loader import load_process
from strategy.warm_paths import input_from_snapshot, warm_paths
from strategy.whatif import (
    AddActivity,
    Change,
    CompetitorWinsAlly,
    PersonLeaves,
    RaiseCloseness,
    SetAttitude,
    what_if,
)
from strategy.workplan import Suggestion

CASES_DIR = Path(__file__).with_name("cases")
NOW_MS = 1_780_272_000_000  # 2026-06-01T00:00:00Z, the "today" of every case
DAY_MS = 86_400_000
KINDS = (
    "likelihood",
    "gaps",
    "red_flags",
    "camps",
    "actions",
    "bridges",
    "what_if",
    "scores",
    "status",
)
STAGE_DAYS = 20
"""How long ago a case's deal entered its stage unless its ``stage_entered_days`` says: where
the idle count starts when nobody was contacted since, and at bidding when the tender began."""

DEFAULT_TEAM = (
    ("am", "王磊 Wang Lei", "ACCOUNT_MANAGER", "DEAL"),
    ("sm", "陈静 Chen Jing", "SOLUTION_MANAGER", "DEAL"),
    ("dlm", "赵强 Zhao Qiang", "DELIVERY_MANAGER", "DEAL"),
)


def kp(pid: str) -> str:
    """Snapshot id of a key person named ``pid`` in a case file."""
    return f"kp-{pid}"


def tm(mid: str) -> str:
    """Snapshot id of a team member."""
    return f"tm-{mid}"


def co(cid: str) -> str:
    """Snapshot id of a competitor."""
    return f"co-{cid}"


@dataclass(frozen=True, slots=True)
class Case:
    """One deal situation: its texts, its chain and the leader's expectations (raw tables)."""

    key: str
    title_en: str
    title_zh: str
    reasoning_en: str
    reasoning_zh: str
    snapshot: ChainSnapshot
    expect: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Check:
    """One expectation of one case, and whether the engine agreed."""

    case: str
    kind: str
    expectation: str
    passed: bool
    detail: str


def _close_date(days: object) -> str | None:
    if days is None:
        return None
    day = datetime.fromtimestamp(NOW_MS / 1000, UTC).date() + timedelta(days=int(str(days)))
    return day.isoformat()


def _opportunity(key: str, title: str, o: Mapping[str, Any]) -> OpportunityFacts:
    return OpportunityFacts(
        id=f"op-{key}",
        name=title,
        customer_id=f"cu-{key}",
        customer_name=str(o.get("customer", "客户 Customer")),
        stage=Stage(o.get("stage", "REQUIREMENTS")),
        grade=Grade(o.get("grade", "A")),
        amount=int(o.get("amount", 5_000_000)),
        currency="CNY",
        budget=o.get("budget"),
        quote_amount=o.get("quote_amount"),
        quote_status=QuoteStatus(o.get("quote_status", "NONE")),
        expected_close_date=_close_date(o.get("close_in_days")),
        compelling_event=o.get("compelling_event"),
        decision_process_known=bool(o.get("decision_process_known", False)),
        presales_cost=o.get("presales_cost"),
        delivery_cost=o.get("delivery_cost"),
        delivery_risk=DeliveryRisk(o.get("delivery_risk", "MEDIUM")),
        delivery_reviewed=bool(o.get("delivery_reviewed", False)),
        stage_entered_at=NOW_MS - int(o.get("stage_entered_days", STAGE_DAYS)) * DAY_MS,
        furthest_stage=Stage(o["furthest_stage"]) if o.get("furthest_stage") else None,
        quote_submitted_at=(
            NOW_MS - int(o["quote_submitted_days"]) * DAY_MS
            if "quote_submitted_days" in o
            else None
        ),
    )


def _activity(i: int, a: Mapping[str, Any]) -> ActivityFacts:
    sol, price = a.get("solution"), a.get("price")
    return ActivityFacts(
        f"ac-{i}",
        ActivityType(a.get("type", "VISIT")),
        NOW_MS - int(float(a.get("days_ago", 7)) * DAY_MS),
        Outcome(a.get("outcome", "POSITIVE")),
        solution_reaction=Outcome(sol) if sol else None,
        price_reaction=Outcome(price) if price else None,
        member_ids=(tm(a.get("by", "am")),),
        person_ids=tuple(kp(p) for p in str(a["with"]).split()),
    )


def build_snapshot(key: str, data: Mapping[str, Any]) -> ChainSnapshot:
    """The decision chain of a case file's tables."""
    persons = data.get("person", [])
    team = data.get("team") or [
        {"id": i, "name": n, "role": r, "phase": p} for i, n, r, p in DEFAULT_TEAM
    ]
    return ChainSnapshot(
        _opportunity(key, str(data["title_zh"]), data.get("opportunity", {})),
        persons=tuple(
            PersonFacts(kp(p["id"]), p["name"], p.get("title"), p.get("department"))
            for p in persons
        ),
        members=tuple(
            MemberFacts(
                kp(p["id"]),
                DecisionRole(p["role"]),
                InfluenceLevel(p.get("influence", "MEDIUM")),
                Attitude(p.get("attitude", "NEUTRAL")),
                needs_fit=NeedsFit(p.get("fit", "UNKNOWN")),
                external_kind=ExternalKind(p["external_kind"]) if "external_kind" in p else None,
            )
            for p in persons
            if p.get("role")
        ),
        reports_to=tuple(PersonTie(kp(a), kp(b)) for a, b in data.get("reports", [])),
        influences=tuple(
            PersonTie(kp(a), kp(b), TieStrength(s)) for a, b, s in data.get("influences", [])
        ),
        person_knows=tuple(
            PersonTie(kp(a), kp(b), TieStrength(s)) for a, b, s in data.get("person_knows", [])
        ),
        team=tuple(
            TeamAssignment(
                tm(t["id"]), t["name"], TeamRole(t["role"]), LifecyclePhase(t.get("phase", "DEAL"))
            )
            for t in team
        ),
        team_knows=tuple(
            TeamKnows(tm(m), kp(p), TieStrength(s)) for m, p, s in data.get("knows", [])
        ),
        competitors=tuple(
            CompetitorFacts(
                co(c["id"]),
                c["name"],
                CompetitivePosition(c.get("position", "UNKNOWN")),
                PricePosition(c.get("price", "UNKNOWN")),
            )
            for c in data.get("competitor", [])
            if c.get("bidding", True)
        ),
        competitor_ties=tuple(
            CompetitorTie(co(c), kp(p), TieStrength(s)) for c, p, s in data.get("close_to", [])
        ),
        activities=tuple(_activity(i, a) for i, a in enumerate(data.get("activity", []))),
        # a competitor not bidding on the deal (``bidding = false``) is named, as the store
        # names every competitor a member is close to
        names=tuple((co(c["id"]), c["name"]) for c in data.get("competitor", [])),
    )


def load_case(path: Path) -> Case:
    """One case file."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    key = path.stem
    return Case(
        key,
        str(data["title_en"]),
        str(data["title_zh"]),
        str(data["reasoning_en"]),
        str(data["reasoning_zh"]),
        build_snapshot(key, data),
        data.get("expect", {}),
    )


def load_cases(directory: Path | None = None) -> tuple[Case, ...]:
    """Every case of the casebook, in file-name order."""
    return tuple(load_case(p) for p in sorted((directory or CASES_DIR).glob("*.toml")))


def _change(spec: Mapping[str, Any]) -> Change:
    kind = spec["change"]
    if kind == "attitude":
        return SetAttitude(kp(spec["person"]), Attitude(spec["to"]))
    if kind == "leaves":
        return PersonLeaves(kp(spec["person"]))
    if kind == "ally":
        return CompetitorWinsAlly(
            co(spec["competitor"]), kp(spec["person"]), TieStrength(spec.get("level", "STRONG"))
        )
    if kind == "knows":
        return RaiseCloseness(tm(spec["member"]), kp(spec["person"]), TieStrength(spec["level"]))
    if kind == "activity":
        return AddActivity(_activity(999, {**spec, "days_ago": 0}))
    raise ValueError(f"unknown change kind {kind!r}")


class _Checker:
    """Collects the checks of one case."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.checks: list[Check] = []

    def add(self, kind: str, expectation: str, passed: bool, detail: str) -> None:
        self.checks.append(Check(self.case.key, kind, expectation, passed, detail))


def _camp_of(full: FullAnalysis, cid: str) -> tuple[str, ...]:
    camp = next((c for c in full.analysis.camps if c.competitor_id == cid), None)
    return camp.member_ids if camp else ()


def _leader(full: FullAnalysis, members: Sequence[str]) -> str | None:
    eff = {m.person_id: m.effective for m in full.analysis.influence}
    return max(members, key=lambda p: (eff.get(p, 0.0), p), default=None)


def _short(pid: str | None) -> str:
    return "-" if pid is None else pid.split("-", 1)[1]


def evaluate(case: Case) -> tuple[Check, ...]:
    """Run the engine on the case and check every expectation."""
    full = analyse(case.snapshot, NOW_MS)
    ex = case.expect
    ck = _Checker(case)
    if "likelihood" in ex:
        lo, hi = ex["likelihood"]
        p = full.win_likelihood
        ck.add("likelihood", f"win likelihood in {lo:.0%}..{hi:.0%}", lo <= p <= hi, f"{p:.1%}")
    gaps = [g.person_id for g in full.analysis.gaps]
    top_n = len(ex.get("gaps_top", [])) + 1
    for pid in ex.get("gaps_top", []):
        ok = kp(pid) in gaps[:top_n]
        ck.add("gaps", f"{pid} among the top {top_n} gaps", ok, ",".join(map(_short, gaps)))
    for pid in ex.get("gaps_exclude", []):
        ok = kp(pid) not in gaps
        ck.add("gaps", f"{pid} is no gap", ok, ",".join(map(_short, gaps)))
    flags = [(f.code, f.person_ids) for f in full.analysis.red_flags]
    shown = ";".join(f"{c}:{','.join(map(_short, ps))}" for c, ps in flags)
    for spec in ex.get("flags", []):
        code, _, who = spec.partition(":")
        ok = any(c == code and (not who or kp(who) in ps) for c, ps in flags)
        ck.add("red_flags", f"flag {spec}", ok, shown)
    for spec in ex.get("no_flags", []):
        code, _, who = spec.partition(":")
        ok = not any(c == code and (not who or kp(who) in ps) for c, ps in flags)
        ck.add("red_flags", f"no flag {spec}", ok, shown)
    for cid, pid in ex.get("camp_leaders", {}).items():
        got = _leader(full, _camp_of(full, co(cid)))
        ck.add("camps", f"{pid} leads the {cid} camp", got == kp(pid), _short(got))
    for cid, pids in ex.get("camp_excludes", {}).items():
        camp = _camp_of(full, co(cid))
        for pid in pids:
            ck.add(
                "camps",
                f"{pid} not in the {cid} camp",
                kp(pid) not in camp,
                ",".join(map(_short, camp)),
            )
    if "our_leader" in ex:
        attitudes = {m.person_id: m.attitude for m in case.snapshot.members}
        ours = [p for p, a in attitudes.items() if a in (Attitude.SUPPORTER, Attitude.CHAMPION)]
        got = _leader(full, ours)
        ck.add(
            "camps", f"{ex['our_leader']} leads our camp", got == kp(ex["our_leader"]), _short(got)
        )
    if ex.get("one_camp_each"):
        seen: dict[str, int] = {}
        for found in full.analysis.camps:
            for pid in found.member_ids:
                seen[pid] = seen.get(pid, 0) + 1
        twice = [_short(p) for p, n in seen.items() if n > 1]
        ck.add("camps", "nobody in two camps", not twice, ",".join(twice))
    top3 = full.plan[:3]
    shown_plan = "; ".join(
        f"{s.action_key}->{_short(s.target_person_id)} by {_short(s.owner_member_id)}"
        for s in full.plan[:5]
    )

    def matches(s: Suggestion, want: Mapping[str, str]) -> bool:
        return (
            ("key" not in want or s.action_key == want["key"])
            and ("target" not in want or s.target_person_id == kp(want["target"]))
            and ("owner" not in want or s.owner_member_id == tm(want["owner"]))
        )

    if "first_action" in ex:
        want = {
            k: ex["first_action"][k] for k in ("key", "target", "owner") if k in ex["first_action"]
        }
        ok = bool(full.plan) and matches(full.plan[0], want)
        ck.add("actions", f"the plan leads with {want}", ok, shown_plan)
    for spec in ex.get("actions", []):
        want = {k: spec[k] for k in ("key", "target", "owner") if k in spec}
        ok = any(matches(s, want) for s in top3)
        ck.add("actions", f"top three has {want}", ok, shown_plan)
    for pid in ex.get("top_three_once", []):
        plays = [s.action_key for s in top3 if s.target_person_id == kp(pid)]
        ck.add(
            "actions", f"at most one play on {pid} in the top three", len(plays) <= 1, shown_plan
        )
    for spec in ex.get("actions_not_owned", []):
        who, by = spec.split(":")
        ok = not any(
            s.target_person_id == kp(who) and s.owner_member_id == tm(by) for s in full.plan
        )
        ck.add("actions", f"no action on {who} owned by {by}", ok, shown_plan)
    for pid, keys in ex.get("only_plays", {}).items():
        other = [s.action_key for s in full.plan if s.target_person_id == kp(pid)]
        ok = all(k in keys for k in other)
        ck.add("actions", f"plays on {pid} only {'/'.join(keys)}", ok, ",".join(other))
    for pid in ex.get("warm_intro_best", []):
        intro = next(
            (s for s in full.plan if s.warm_path is not None and s.target_person_id == kp(pid)),
            None,
        )
        best = warm_paths(input_from_snapshot(case.snapshot), kp(pid), 1, 4)
        ok = intro is not None and bool(best) and intro.warm_path is not None
        ok = ok and abs(intro.warm_path.cost - best[0].cost) < 1e-9  # type: ignore[union-attr]
        ck.add("actions", f"warm introduction to {pid} takes the best path", ok, shown_plan)
    _plan_checks(ck, full.plan, ex, shown_plan)
    bridges = [b.person_id for b in full.analysis.bridges]
    shown_b = ",".join(map(_short, bridges))
    if "bridge_top" in ex:
        ok = bool(bridges) and bridges[0] == kp(ex["bridge_top"])
        ck.add("bridges", f"{ex['bridge_top']} is the top bridge", ok, shown_b)
    for a, b in ex.get("bridge_order", []):
        ok = kp(a) in bridges and (
            kp(b) not in bridges or bridges.index(kp(a)) < bridges.index(kp(b))
        )
        ck.add("bridges", f"bridge {a} above {b}", ok, shown_b)
    deltas: dict[str, float] = {}
    for spec in ex.get("whatif", []):
        result = what_if(case.snapshot, [_change(spec)], NOW_MS)
        d = result.delta_win_likelihood
        deltas[spec["name"]] = d
        if "sign" in spec:
            ok = d > 0.001 if spec["sign"] == "+" else d < -0.001
            if "min_points" in spec:
                ok = ok and abs(d) * 100 >= float(spec["min_points"])
            if "max_points" in spec:
                ok = ok and abs(d) * 100 <= float(spec["max_points"])
            ck.add("what_if", f"{spec['name']} {spec['sign']}", ok, f"{d * 100:+.1f} pts")
        if "max_abs_points" in spec:
            ok = abs(d) * 100 <= float(spec["max_abs_points"])
            ck.add("what_if", f"{spec['name']} small", ok, f"{d * 100:+.1f} pts")
    for big, small in ex.get("whatif_order", []):
        ok = abs(deltas[big]) > abs(deltas[small])
        ck.add(
            "what_if",
            f"|{big}| > |{small}|",
            ok,
            f"{deltas[big] * 100:+.1f} vs {deltas[small] * 100:+.1f} pts",
        )
    for pid, (lo, hi) in ex.get("closeness", {}).items():
        sc = full.scores_of(kp(pid))
        value = sc.closeness.value if sc else -1
        ck.add("scores", f"{pid} closeness in {lo}..{hi}", lo <= value <= hi, str(value))
    for pid, (lo, hi) in ex.get("price", {}).items():
        sc = full.scores_of(kp(pid))
        value = sc.price.value if sc else -1
        ck.add("scores", f"{pid} price acceptance in {lo}..{hi}", lo <= value <= hi, str(value))
    for spec in ex.get("closeness_twins", []):
        _twin_check(ck, full, spec)
    if "status" in ex:
        wanted = [ex["status"]] if isinstance(ex["status"], str) else list(ex["status"])
        got = _status(case, full)
        ck.add("status", f"status {' or '.join(wanted)}", got in wanted, got)
    return tuple(ck.checks)


_TWIN_FIELDS = {"outcome": "outcome", "price": "price_reaction", "solution": "solution_reaction"}
"""What a closeness twin may change on one activity: a case file's name -> the activity's."""


def _twin_check(ck: _Checker, full: FullAnalysis, spec: Mapping[str, Any]) -> None:
    """The same case with one activity changed (``with`` and ``days_ago`` name it; ``set``:
    outcome/price/solution to new values, ``drop``: price/solution reactions removed): the
    person's closeness stays within ``within`` points of the case's. For a leader's "the same
    facts without his price reaction read the same closeness" and "logged NEGATIVE instead of
    NEUTRAL, it costs at most 3 points"."""
    snapshot = ck.case.snapshot
    pid, at = kp(spec["with"]), NOW_MS - int(float(spec["days_ago"]) * DAY_MS)
    found = [a for a in snapshot.activities if pid in a.person_ids and a.occurred_at == at]
    if len(found) != 1:
        raise ValueError(f"{ck.case.key}: twin names {len(found)} activities, not one: {spec}")
    changes: dict[str, object] = {
        _TWIN_FIELDS[k]: Outcome(v) for k, v in spec.get("set", {}).items()
    }
    if "outcome" in spec.get("drop", []):
        raise ValueError(f"{ck.case.key}: a twin changes an activity's outcome, never drops it")
    changes |= {_TWIN_FIELDS[k]: None for k in spec.get("drop", [])}
    twin = dataclasses.replace(found[0], **changes)  # type: ignore[arg-type]
    activities = tuple(twin if a is found[0] else a for a in snapshot.activities)
    twin_scores = score_chain(
        dataclasses.replace(snapshot, activities=activities), NOW_MS, default_config()
    )[pid]
    sc = full.scores_of(pid)
    value = sc.closeness.value if sc else -1
    got = twin_scores.closeness.value
    what = ", ".join(
        [f"{k} {v}" for k, v in spec.get("set", {}).items()]
        + [f"no {k} reaction" for k in spec.get("drop", [])]
    )
    within = int(spec["within"])
    ck.add(
        "scores",
        f"{spec['with']} closeness within {within} of the twin with {what}",
        abs(value - got) <= within,
        f"{value} vs {got}",
    )


def _fits(s: Suggestion, want: Mapping[str, str]) -> bool:
    """A play as a leader names it: its key, target and owner ("am|sd": either of them)."""
    return (
        ("key" not in want or s.action_key == want["key"])
        and ("target" not in want or s.target_person_id == kp(want["target"]))
        and ("owner" not in want or _short(s.owner_member_id) in want["owner"].split("|"))
    )


def _plan_checks(
    ck: _Checker, plan: Sequence[Suggestion], ex: Mapping[str, Any], shown: str
) -> None:
    """What the whole plan must or must not hold: a plan with something to do, a play
    anywhere in it, none of a kind, the owners of some plays on one person, and no
    introduction through someone (a rival's man) or over someone's head."""
    if "min_plan" in ex:
        ck.add(
            "actions", f"the plan has {ex['min_plan']}+ plays", len(plan) >= ex["min_plan"], shown
        )
    for want in ex.get("plan_has", []):
        ck.add("actions", f"the plan has {dict(want)}", any(_fits(s, want) for s in plan), shown)
    for want in ex.get("plan_not", []):
        bad = [f"{s.action_key}->{_short(s.target_person_id)}" for s in plan if _fits(s, want)]
        ck.add("actions", f"the plan has no {dict(want)}", not bad, ",".join(bad))
    for spec in ex.get("owners_for", []):
        bad = [
            f"{s.action_key} by {_short(s.owner_member_id)}"
            for s in plan
            if s.target_person_id == kp(spec["target"])
            and s.action_key in spec["keys"]
            and _short(s.owner_member_id) not in spec["owners"]
        ]
        ck.add(
            "actions",
            f"{'/'.join(spec['keys'])} on {spec['target']} owned by {'/'.join(spec['owners'])}",
            not bad,
            ",".join(bad),
        )
    for pid in ex.get("intro_not_via", []):
        bad = [
            f"intro to {_short(s.target_person_id)}"
            for s in plan
            if s.warm_path is not None and kp(pid) in s.warm_path.via_person_ids
        ]
        ck.add("actions", f"no introduction through {pid}", not bad, ",".join(bad))
    for spec in ex.get("intro_not_skipping", []):
        bad = [
            s.warm_path.text_en
            for s in plan
            if s.warm_path is not None
            and s.target_person_id == kp(spec["target"])
            and s.warm_path.via_person_ids[:1] == (kp(spec["start"]),)
            and kp(spec["via_required"]) not in s.warm_path.via_person_ids
        ]
        ck.add(
            "actions",
            f"no introduction to {spec['target']} from {spec['start']} over "
            f"{spec['via_required']}'s head",
            not bad,
            ";".join(bad),
        )


def _status(case: Case, full: FullAnalysis) -> str:
    """The deal's status in a leader's review, as the pipeline shows it."""
    config = default_config()
    health = deal_health(
        case.snapshot,
        full.analysis.red_flags,
        likelihood_once_dated(full.assessment, config),
        NOW_MS,
        idle_days=load_process().violations.idle_days,
        config=config,
    )
    return "CLOSED" if health is None else health.status.value


def agreement(checks: Sequence[Check]) -> dict[str, tuple[int, int]]:
    """Passed and total checks per kind of judgement, plus ``all``."""
    out: dict[str, tuple[int, int]] = {}
    for c in checks:
        for k in (c.kind, "all"):
            passed, total = out.get(k, (0, 0))
            out[k] = (passed + c.passed, total + 1)
    return out
