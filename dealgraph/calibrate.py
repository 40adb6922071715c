"""``dealgraph calibrate``: fit the win model on the closed deals (or show or roll back the one
in force) and print the figures a sales leader checks before trusting it."""

from __future__ import annotations

import json

from domain.errors import DomainError
from graph import outcomes
from graph.scope import Actor
from graph.store import GraphStore
from resolvers.calibration import ActiveModel, load_active, model_of, run_calibration
from strategy.calibration import SOURCE_FITTED, WinWeights
from strategy.config import StrategyConfig
from strategy.effects import AssumedEffect, effect_text
from strategy.playbook import default_playbook

CLI_ACTOR = Actor("cli", "dealgraph calibrate")


def report(model: ActiveModel, base: StrategyConfig) -> list[str]:
    """The model in force, its held-out figures, reliability table and learned play effects."""
    node = model.node
    if node is None:
        return ["win model: not calibrated yet; the hand-set weights are in force"]
    fitted = node.get("source") == SOURCE_FITTED and model.weights is not None
    lines = [
        f"win model {node['id']}: {'fitted' if fitted else 'hand-set weights'} "
        f"({int(node.get('deals') or 0)} closed deals, {int(node.get('won') or 0)} won)",
        f"  {node.get('note_en') or ''}",
    ]
    if node.get("brier") is not None and node.get("prior_brier") is not None:
        lines.append(
            f"  held out: Brier {node['prior_brier']:.4f} (hand-set) -> {node['brier']:.4f} "
            f"(fitted); log loss {node['prior_log_loss']:.4f} -> {node['log_loss']:.4f}"
        )
    bands = json.loads(str(node.get("reliability") or "[]"))
    if bands:
        lines.append("  reliability      predicted  observed  count")
        for band, predicted, observed, count in bands:
            lines.append(f"    {band:>8}      {predicted:8.1%}  {observed:8.1%}  {count:5d}")
    w = model.weights or WinWeights.of(base)
    lines.append(
        f"  weights: real {w.real_weight:.2f}, compete {w.compete_weight:.2f}, "
        f"win {w.win_weight:.2f}, worth {w.worth_weight:.2f}, intercept {w.intercept:+.2f}"
    )
    titles = {a.key: (a.title_en, a.title_zh) for a in default_playbook().actions}
    for (key, role), stats in sorted(model.effects.items()):
        en, zh = titles.get(key, (key, key))
        seen = AssumedEffect(stats.closeness_mean, stats.attitude_mean, stats.count)
        lines.append(f"  play effect: {effect_text(en, zh, role, seen)[0]}")
    return lines


def calibrate(store: GraphStore, base: StrategyConfig, *, show: bool, roll_back: bool) -> int:
    """Run, show or roll back; print the report; exit status 0, or 1 when there is nothing to
    roll back."""
    if roll_back:
        current = load_active(store)
        if current.node is None:
            print("dealgraph: no calibrated win model to roll back")
            return 1
        try:
            outcomes.roll_back_win_model(store, str(current.node["id"]), actor=CLI_ACTOR)
        except DomainError as error:
            print(f"dealgraph: {error.problems[0].message}")
            return 1
        print(f"rolled back win model {current.node['id']}")
        model = load_active(store)
    elif show:
        model = load_active(store)
    else:
        model = model_of(run_calibration(store, base, actor=CLI_ACTOR))
    for line in report(model, base):
        print(line)
    return 0
