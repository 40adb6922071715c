from __future__ import annotations

from pathlib import Path

import pytest
from builders import NOW, act, knows, member, snap

from strategy.config import default_config, graded_points, load_config, load_defaults
from strategy.engine import analyse
from strategy.scoring import score_chain

TOML = Path(__file__).parents[2] / "strategy" / "config.toml"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_packaged_file_is_the_defaults_loaded_once() -> None:
    assert load_config() == load_defaults(TOML)
    assert load_config() is default_config() is default_config()


def test_the_defaults_file_must_state_every_tunable(tmp_path: Path) -> None:
    text = TOML.read_text(encoding="utf-8")
    without_key = text.replace("breadth_cap = 10.0\n", "", 1)
    with pytest.raises(ValueError, match=r"closeness\.breadth_cap: missing"):
        load_defaults(_write(tmp_path, without_key))
    without_table = text.partition("[learning]")[0]
    with pytest.raises(ValueError, match=r"learning: missing"):
        load_defaults(_write(tmp_path, without_table))


def test_partial_file_keeps_defaults_for_the_rest(tmp_path: Path) -> None:
    cfg = load_config(_write(tmp_path, "[decay]\nhalf_life_days = 10\n"))
    assert cfg.decay.half_life_days == 10.0
    assert cfg.closeness == load_config().closeness


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[closeness]\nbase = 'ten'\n", "closeness.base"),
        ("[closeness]\nbsae = 3\n", "closeness.bsae"),
        ("[closeness]\ntie_points = { HUGE = 3.0 }\n", "closeness.tie_points.HUGE"),
        ("[likelihood]\nwin_weight = -1.0\n", "likelihood.win_weight"),
        ("[analysis]\nally_min_level = 'KINDA'\n", "analysis.ally_min_level"),
        ("[price]\nbudget_bands = [[0.5, 1.0], [0.9, 2.0]]\n", "price.budget_bands"),
        ("[plan]\ndays_off = ['13-01']\n", "plan.days_off[0]"),
        ("[plan]\ndays_off = '01-01'\n", "plan.days_off"),
        (
            "[price]\nobjection_withdrawn_share = { GREAT = 0.5 }\n",
            "price.objection_withdrawn_share.GREAT",
        ),
        (
            "[price]\nobjection_withdrawn_share = { POSITIVE = 1.5 }\n",
            "price.objection_withdrawn_share.POSITIVE",
        ),
        ("[price]\nstated_weight = 0.5\n", "price.stated_weight"),
        ("[health]\nattention_likelihood = { PROPOSAL = 0.2 }\n", "health.attention_likelihood"),
        ("[health]\nstalled_at_risk_from = 'LATER'\n", "health.stalled_at_risk_from"),
        (
            "[assessment]\napprover_unknown_early_share = "
            "{ VALUE_PRESENTATION = 0.2, REQUIREMENTS = 0.4 }\n",
            "assessment.approver_unknown_early_share",
        ),
        (
            "[assessment]\napprover_unknown_early_share = { PROPOSAL = 0.5 }\n",
            "assessment.approver_unknown_early_share",
        ),
        (
            "[assessment]\nbudget_holder_price_unvoiced_share = { PROPOSAL = 1.5 }\n",
            "assessment.budget_holder_price_unvoiced_share",
        ),
        (
            "[assessment]\nlocked_evaluator_early_share = { PROPOSAL = 0.4, REQUIREMENTS = 0.6 }\n",
            "assessment.locked_evaluator_early_share",
        ),
        (
            "[assessment]\nlocked_evaluator_offset = { NEUTRAL = 0.1 }\n",
            "assessment.locked_evaluator_offset.NEUTRAL",
        ),
        (
            "[assessment]\nlocked_evaluator_offset_most = 1.5\n",
            "assessment.locked_evaluator_offset_most",
        ),
        (
            "[assessment]\ntender_procurement_unknown_early_share = { BIDDING = 0.5 }\n",
            "assessment.tender_procurement_unknown_early_share",
        ),
        ("[price]\nprocurement_push_share = 1.5\n", "price.procurement_push_share"),
        ("[closeness]\nprocurement_haggle_cap = 40.0\n", "closeness.procurement_haggle_cap"),
        ("[assessment]\nprice_untested_points = -1.0\n", "assessment.price_untested_points"),
        ("[analysis]\nstale_objection_days = -1\n", "analysis.stale_objection_days"),
        ("[analysis]\nunnamed_seat_days = { PROPOSAL = 0 }\n", "unnamed_seat_days.PROPOSAL"),
        (
            "[analysis]\nsuccessor_unmet_days = { PROPOSAL = 50 }\n",
            "analysis.successor_unmet_days.PROPOSAL",
        ),
        (
            "[analysis]\nsuccessor_unmapped_days = { VALIDATE = 3 }\n",
            "analysis.successor_unmapped_days.VALIDATE",
        ),
        ("[assessment]\nstale_objection_period_days = 0\n", "stale_objection_period_days"),
        ("[likelihood]\nstuck_share = 1.5\n", "likelihood.stuck_share"),
        (
            "[assessment]\ndecision_maker_unverified_share = 1.5\n",
            "assessment.decision_maker_unverified_share",
        ),
        ("[health]\nstage_attention_days = { BIDDING = 30 }\n", "tender's own calendar"),
        ("[health]\nstage_at_risk_days = { PROPOSAL = 50 }\n", "stage_at_risk_days.PROPOSAL"),
        ("[health]\nstage_attention_days = { VALIDATE = 0 }\n", "stage_attention_days.VALIDATE"),
        ("[health]\nstage_attention_days = { PROPOSAL = 60.5 }\n", "whole days"),
        ("[nonsense]\nx = 1\n", "nonsense"),
        ("[decay\n", "not valid TOML"),
    ],
)
def test_malformed_file_names_the_key(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(ValueError, match=key.replace(".", r"\.").replace("[", r"\[")):
        load_config(_write(tmp_path, text))


def test_changing_the_config_changes_the_scores(tmp_path: Path) -> None:
    chain = snap(
        member("p"),
        team_knows=[knows("p")],
        activities=[act("a1", "p", days_ago=60)],
    )
    default = score_chain(chain, NOW, load_config())["p"].closeness
    text = TOML.read_text(encoding="utf-8")
    text = text.replace("half_life_days = 45.0", "half_life_days = 5.0")
    text = text.replace("MODERATE = 16.0", "MODERATE = 24.0")
    tuned = score_chain(chain, NOW, load_config(_write(tmp_path, text)))["p"].closeness
    by_factor = {r.factor: r.points for r in tuned.reasons}
    old_factor = {r.factor: r.points for r in default.reasons}
    assert by_factor["team_tie"] == 24
    assert old_factor["team_tie"] == 16
    assert by_factor.get("engagement", 0) < old_factor["engagement"]  # faster decay
    assert tuned.value != default.value


def test_likelihood_weights_drive_the_win_likelihood(tmp_path: Path) -> None:
    chain = snap(member("p"))
    low = analyse(chain, NOW, load_config(_write(tmp_path, "[likelihood]\nintercept = -2.0\n")))
    high = analyse(chain, NOW, load_config(_write(tmp_path, "[likelihood]\nintercept = 2.0\n")))
    assert low.win_likelihood < high.win_likelihood


MARGIN = ((0.35, 25.0), (0.2, 12.0), (0.1, 0.0), (0.0, -15.0), (-1000000.0, -35.0))


@pytest.mark.parametrize(
    ("margin", "points"),
    [
        (0.5, 25.0),  # above the top threshold: its points
        (0.35, 25.0),
        (0.34, 24.1),  # just short of a threshold: nearly its points, not a band less
        (0.275, 18.5),
        (0.2, 12.0),
        (0.05, -7.5),
        (0.0, -15.0),
        (-0.01, -35.0),  # a loss: the floor, whole
    ],
)
def test_graded_points_rise_between_thresholds(margin: float, points: float) -> None:
    assert graded_points(MARGIN, margin) == pytest.approx(points, abs=0.05)
