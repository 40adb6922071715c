"""The installable package carries every file the product reads at run time: the map page,
the rules and demo data, and the casebook, not only the Python modules."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)],
        check=True,
        cwd=out,
        timeout=600,
    )
    (wheel,) = out.glob("dealgraph-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def data_files(folder: str, pattern: str) -> list[str]:
    return sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / folder).glob(pattern))


@pytest.mark.parametrize(
    ("folder", "pattern"),
    [
        ("dealgraph/web/static", "**/*.*"),
        ("strategy/casebook/cases", "*.toml"),
        ("strategy", "*.toml"),
        ("strategy/tas", "*.toml"),
        ("dealgraph", "*.json"),
    ],
)
def test_the_wheel_holds_the_files_read_at_run_time(
    wheel_names: set[str], folder: str, pattern: str
) -> None:
    expected = data_files(folder, pattern)
    assert expected, f"nothing matches {folder}/{pattern}"
    missing = [name for name in expected if name not in wheel_names]
    assert not missing, f"not in the wheel: {missing}"
