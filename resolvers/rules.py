"""The rules in force: the TAS+ process definition and the strategy engine's configuration.

Both are data files a company may replace (``DEALGRAPH_PROCESS_FILE``,
``DEALGRAPH_STRATEGY_CONFIG``). They are loaded once when the app starts, so a malformed file
stops the start with a message naming its line or key instead of failing a later request.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from strategy.config import StrategyConfig, default_config, load_config
from strategy.tas import ProcessDefinition, load_process


class RulesError(Exception):
    """A rules file is missing or malformed; the message says which file and where."""


@dataclass(frozen=True, slots=True)
class Rules:
    """The process definition and strategy configuration every resolver uses."""

    process: ProcessDefinition
    strategy: StrategyConfig


def load_rules(process_file: Path | None = None, strategy_file: Path | None = None) -> Rules:
    """Load both files (the packaged defaults where no path is given)."""
    try:
        process = load_process(process_file)
        strategy = load_config(strategy_file) if strategy_file else default_config()
    except OSError as error:
        raise RulesError(f"cannot read rules file: {error}") from error
    except ValueError as error:
        raise RulesError(str(error)) from error
    return Rules(process=process, strategy=strategy)


_active: Rules | None = None


def install(rules: Rules) -> None:
    """Make ``rules`` the ones in force for this process."""
    global _active
    _active = rules


def active() -> Rules:
    """The rules in force; the packaged defaults until the app installs others."""
    global _active
    if _active is None:
        _active = load_rules()
    return _active
