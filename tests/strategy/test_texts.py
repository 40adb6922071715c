"""Texts for people name people, team members, competitors, roles and levels by names and
labels, never by ids: every human-readable text the engine writes on every casebook case is
checked against every id of that case's snapshot."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from builders import NOW, act, dm, snap

from domain.chain import ChainSnapshot
from domain.vocabulary import Attitude, Outcome
from strategy.casebook import NOW_MS, Case, load_cases
from strategy.engine import FullAnalysis, analyse
from strategy.scoring import Score
from strategy.warm_paths import input_from_snapshot, warm_paths
from strategy.whatif import SetAttitude, what_if

CASES = load_cases()


def ids_of(snapshot: ChainSnapshot) -> set[str]:
    """Every id a text could leak: people, team members, competitors, activities, the deal."""
    opp = snapshot.opportunity
    return (
        {p.id for p in snapshot.persons}
        | {t.member_id for t in snapshot.team}
        | {c.id for c in snapshot.competitors}
        | {a.id for a in snapshot.activities}
        | {opp.id, opp.customer_id}
    )


def score_texts(score: Score) -> Iterator[str]:
    for r in score.reasons:
        yield r.text_en
        yield r.text_zh


def texts_of(full: FullAnalysis) -> Iterator[str]:
    for s in full.scores:
        for score in (s.closeness, s.solution, s.price):
            yield from score_texts(score)
    a = full.assessment
    for q in (a.is_real, a.can_compete, a.can_win, a.worth_it):
        yield from score_texts(q)
    for t in a.win_likelihood.terms:
        yield t.text_en
        yield t.text_zh
    an = full.analysis
    for g in an.gaps:
        yield g.text_en
        yield g.text_zh
    for f in an.red_flags:
        yield from (f.text_en, f.text_zh, f.coaching_en, f.coaching_zh)
    for b in an.bridges:
        yield b.text_en
        yield b.text_zh
    for step in full.plan:
        yield from (step.title_en, step.title_zh, step.description_en, step.description_zh)
        yield from (step.rationale_en, step.rationale_zh)
        yield from (step.owner_note_en or "", step.owner_note_zh or "")
        if step.warm_path is not None:
            yield from (step.warm_path.text_en, step.warm_path.text_zh)


@pytest.mark.parametrize("case", CASES, ids=[c.key for c in CASES])
def test_no_text_of_the_engine_contains_an_id(case: Case) -> None:
    ids = ids_of(case.snapshot)
    full = analyse(case.snapshot, NOW_MS)
    texts = list(texts_of(full))
    graph = input_from_snapshot(case.snapshot)
    for member in case.snapshot.members:
        for path in warm_paths(graph, member.person_id, 3, 4):
            texts += [path.text_en, path.text_zh]
    first = case.snapshot.members[0].person_id
    after = what_if(case.snapshot, [SetAttitude(first, Attitude.OPPONENT)], NOW_MS).after
    texts += list(texts_of(after))
    assert texts
    leaks = sorted({f"{i} in {t!r}" for t in texts for i in ids if i in t})
    assert not leaks, leaks[:5]


def test_texts_name_the_team_member_and_the_competitor() -> None:
    case = next(c for c in CASES if c.key.startswith("01_"))
    full = analyse(case.snapshot, NOW_MS)
    ops = full.scores_of("kp-ops")
    cio = full.scores_of("kp-cio")
    assert ops is not None
    assert cio is not None
    tie = next(r for r in ops.closeness.reasons if r.factor == "team_tie")
    assert "王磊" in tie.text_en
    assert "王磊" in tie.text_zh
    pull = next(r for r in cio.closeness.reasons if r.factor == "competitor_pull")
    assert "恒泰软件" in pull.text_en
    assert "恒泰软件" in pull.text_zh


def test_english_counts_agree_with_their_number() -> None:
    """'1 activity went badly', '2 activities went badly': never 'activity(ies)'."""

    def setbacks(n: int) -> str:
        bad = [act(f"a{i}", "dm", 2 + i, Outcome.NEGATIVE) for i in range(n)]
        full = analyse(snap(dm(), activities=bad), NOW, include_plan=False)
        scores = full.scores_of("dm")
        assert scores is not None
        return next(r.text_en for r in scores.closeness.reasons if r.factor == "setbacks")

    assert setbacks(1) == "1 activity went badly"
    assert setbacks(2) == "2 activities went badly"
    every = [
        r.text_en
        for s in analyse(snap(dm()), NOW).scores
        for sc in (s.closeness, s.solution, s.price)
        for r in sc.reasons
    ]
    assert not [t for t in every if "(s)" in t or "(ies)" in t]
