"""Rules files (process definition, strategy configuration) are chosen by settings and
checked when the app starts: a bad file stops the start with its line or key named."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dealgraph.app import create_app
from dealgraph.cli import main
from dealgraph.settings import Settings
from resolvers import rules
from strategy.tas import load_process

DEFAULT_PROCESS = Path(__file__).resolve().parents[2] / "strategy" / "tas" / "process.toml"


@pytest.fixture(autouse=True)
def default_rules() -> Iterator[None]:
    yield
    rules.install(rules.load_rules())


def test_a_malformed_process_file_stops_the_start_naming_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "process.toml"
    bad.write_text(DEFAULT_PROCESS.read_text(encoding="utf-8") + "\n[stages\n", encoding="utf-8")
    lines = len(bad.read_text(encoding="utf-8").splitlines())
    with pytest.raises(rules.RulesError, match=rf"process.toml:{lines}:"):
        create_app(Settings(process_file=bad, auth_required=False))


def test_a_bad_strategy_config_names_the_key(tmp_path: Path) -> None:
    bad = tmp_path / "strategy.toml"
    bad.write_text("[closeness]\nbsae = 3\n", encoding="utf-8")
    with pytest.raises(rules.RulesError, match=r"closeness\.bsae"):
        rules.load_rules(strategy_file=bad)


def test_serve_refuses_a_bad_rules_file_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "process.toml"
    bad.write_text("[stages\n", encoding="utf-8")
    monkeypatch.setenv("DEALGRAPH_PROCESS_FILE", str(bad))
    monkeypatch.setenv("DEALGRAPH_DATA_DIR", str(tmp_path / "data"))
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("dealgraph: rules file refused:")
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_a_company_process_file_is_the_one_in_force(tmp_path: Path) -> None:
    text = DEFAULT_PROCESS.read_text(encoding="utf-8")
    own = tmp_path / "process.toml"
    own.write_text(
        text.replace('name_en = "Validate opportunity"', 'name_en = "Qualify"', 1), encoding="utf-8"
    )
    assert 'name_en = "Validate opportunity"' in text
    create_app(Settings(process_file=own, auth_required=False))
    first = rules.active().process.stages[0]
    assert first.name_en == "Qualify"
    assert load_process().stages[0].name_en == "Validate opportunity"
