"""Play effects learned from recorded results: the conjugate update, convergence on synthetic
action logs, the suggestion ranking that follows, and the texts that say what was assumed."""

from __future__ import annotations

import dataclasses

import pytest
from builders import NOW, act
from test_workplan import deal

from domain.chain import ChainSnapshot
from domain.vocabulary import DecisionRole
from strategy import synthetic
from strategy.config import default_config
from strategy.effects import (
    EffectObservation,
    EffectStats,
    assumed_effect,
    effect_text,
    posterior_mean,
    summarise,
)
from strategy.engine import analyse

LEARNING = default_config().learning
DM = DecisionRole.DECISION_MAKER


def test_no_results_leave_the_playbook_effect_unchanged() -> None:
    effect = assumed_effect("executive_visit", DM, 21.0, 0.0, {}, LEARNING)
    assert (effect.closeness, effect.attitude, effect.observations) == (21.0, 0.0, 0)


def test_the_update_is_the_precision_weighted_blend() -> None:
    # prior 20 (sd 6), 4 results averaging 8 (sd 12): precisions 1/36 and 4/144 are equal
    assert posterior_mean(20.0, 6.0, 12.0, 4, 32.0) == pytest.approx(14.0)
    assert posterior_mean(20.0, 6.0, 12.0, 0, 0.0) == 20.0


def test_learned_effects_converge_to_the_truth_as_results_accumulate() -> None:
    errors: dict[int, float] = {}
    for count in (2, 20, 400):
        learned = summarise(synthetic.action_log(count, seed=11))
        worst = 0.0
        for (key, role), (closeness, attitude) in synthetic.TRUE_EFFECTS.items():
            # the playbook's modelled effect is far from the truth: +25 closeness, +0 attitude
            got = assumed_effect(key, role, 25.0, 0.0, learned, LEARNING)
            assert got.observations == count
            worst = max(worst, abs(got.closeness - closeness), 10 * abs(got.attitude - attitude))
        errors[count] = worst
    assert errors[400] < errors[20] < errors[2]
    assert errors[400] < 2.0


def test_summarise_keeps_plays_and_roles_apart() -> None:
    stats = summarise(
        [
            EffectObservation("demo", DM, 4.0, 1.0),
            EffectObservation("demo", DM, 6.0, 0.0),
            EffectObservation("demo", DecisionRole.USER, 10.0, 0.0),
        ]
    )
    assert stats[("demo", DM)] == EffectStats(2, 10.0, 1.0)
    assert stats[("demo", DecisionRole.USER)].closeness_mean == 10.0


def test_effect_texts_name_the_play_the_role_and_the_evidence() -> None:
    learned = {("executive_visit", DM): EffectStats(23, 23 * 14.0, 0.0)}
    effect = assumed_effect("executive_visit", DM, 14.0, 0.0, learned, LEARNING)
    en, zh = effect_text("Executive visit", "高层拜访", DM, effect)
    assert en == "Executive visit to a decision maker: +14 closeness, from 23 results"
    assert zh == "对决策者的高层拜访：关系紧密度+14，基于23条记录的结果"
    prior = assumed_effect("executive_visit", DM, 21.0, 1.0, {}, LEARNING)
    en, zh = effect_text("Executive visit", "高层拜访", DM, prior)
    assert en.endswith("+21 closeness, +1.0 attitude steps, playbook estimate, no results yet")
    assert "尚无" in zh


def met_deal() -> ChainSnapshot:
    """The work plan tests' deal, with the decision maker visited three weeks ago, a good
    visit: we are known to them."""
    chain = deal()
    return dataclasses.replace(chain, activities=(*chain.activities, act("met", "dm", 20)))


def test_the_ranking_follows_what_the_plays_actually_did() -> None:
    """Executive visits to this company's decision makers turn out to change little (+8
    closeness): after enough recorded results the visit drops below plays that work. (Our
    account manager visited the decision maker three weeks ago: the visit is a play of its own,
    not the step after an introduction.)"""
    chain = met_deal()
    config = default_config()
    roomy = dataclasses.replace(
        config,
        plan=dataclasses.replace(
            config.plan, max_per_person=10, max_per_job=10, max_suggestions=50
        ),
    )
    base = analyse(chain, NOW, roomy).plan
    keys = [(s.action_key, s.target_person_id) for s in base]
    visit = base[keys.index(("executive_visit", "dm"))]
    assert visit.assumed is not None
    assert visit.assumed.observations == 0
    assert visit.assumed.closeness > 10
    assert visit.assumed_en is not None
    assert "no results yet" in visit.assumed_en
    assert keys.index(("executive_visit", "dm")) < keys.index(("reference_visit", "dm"))

    log = [EffectObservation("executive_visit", DM, 8.0, 0.0) for _ in range(60)]
    learned = analyse(chain, NOW, roomy, learned=summarise(log)).plan
    new_keys = [(s.action_key, s.target_person_id) for s in learned]
    after = learned[new_keys.index(("executive_visit", "dm"))]
    assert after.expected_gain < visit.expected_gain
    assert after.assumed is not None
    assert after.assumed.observations == 60
    assert 8 < after.assumed.closeness < 11
    assert after.assumed_en is not None
    assert after.assumed_en.endswith("from 60 results")
    assert new_keys.index(("executive_visit", "dm")) > new_keys.index(("reference_visit", "dm"))
    # with the default two suggestions per person, the reference visit takes its place
    default_plan = analyse(chain, NOW, learned=summarise(log)).plan
    assert ("executive_visit", "dm") not in [
        (s.action_key, s.target_person_id) for s in default_plan
    ]
    assert ("reference_visit", "dm") in [(s.action_key, s.target_person_id) for s in default_plan]
    # plays without results keep their modelled effect, and their gain where they do not
    # follow the visit on the decision maker (a second play on a person is worth what it adds
    # after the first, and the first changed)
    untouched = {(s.action_key, s.target_person_id): s for s in base}
    for s in learned:
        if s.action_key != "executive_visit":
            before = untouched[(s.action_key, s.target_person_id)]
            assert s.assumed == before.assumed
            if s.target_person_id != "dm":
                assert s.expected_gain == before.expected_gain


def test_a_play_on_the_supervisor_promises_no_closeness() -> None:
    """A sales leader: we keep the officer who supervises the purchase at arm's length and our
    closeness to him counts for nothing; a play on him is what we owe him, and its text must not
    read like a relationship gained."""
    sup = DecisionRole.SUPERVISOR
    effect = assumed_effect("compliance_commitment", sup, 22.0, 0.0, {}, LEARNING)
    en, zh = effect_text("Compliance commitment on the record", "公开递交廉洁承诺", sup, effect)
    assert en == (
        "Compliance commitment on the record to a compliance supervisor: what we owe them, "
        "no closeness sought"
    )
    assert zh == "对纪检监督人的公开递交廉洁承诺：我方应尽的义务，不寻求关系紧密度"
    doubting = assumed_effect("compliance_commitment", sup, 22.0, 1.0, {}, LEARNING)
    en, _ = effect_text("Compliance commitment on the record", "公开递交廉洁承诺", sup, doubting)
    assert en.endswith(": +1.0 attitude steps, playbook estimate, no results yet")
