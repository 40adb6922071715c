"""Run every benchmark script in this folder, one after the other (a script, not a test).

Each ``bench_*.py`` prints its own figures; this runs them in name order in separate processes,
so one benchmark's memory or background servers never colour the next one's figures. Arguments
after ``--`` go to every script (for example ``-- --help``).

    .venv/bin/python benchmarks/run_all.py            # everything (the 1M-person build is long)
    .venv/bin/python benchmarks/run_all.py strategy api   # only bench_strategy.py and bench_api.py
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def scripts(names: list[str]) -> list[Path]:
    """The benchmark scripts to run: all of them, or those whose name is given."""
    found = sorted(HERE.glob("bench_*.py"))
    if not names:
        return found
    wanted = {f"bench_{name.removeprefix('bench_').removesuffix('.py')}.py" for name in names}
    unknown = wanted - {path.name for path in found}
    if unknown:
        raise SystemExit(f"no such benchmark: {', '.join(sorted(unknown))}")
    return [path for path in found if path.name in wanted]


def main(argv: list[str]) -> int:
    cut = argv.index("--") if "--" in argv else len(argv)
    names, passed = argv[:cut], argv[cut + 1 :]
    failed: list[str] = []
    for script in scripts(names):
        print(f"\n=== {script.name}", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, str(script), *passed], cwd=HERE.parent)
        print(f"=== {script.name}: exit {code} after {time.perf_counter() - started:.0f} s")
        if code:
            failed.append(script.name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
