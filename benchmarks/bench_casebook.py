"""Agreement of the strategy engine with the casebook (a script, not a test).

Runs every case of ``strategy/casebook/cases`` and prints, per kind of judgement, how many of a
sales leader's expectations the engine meets; ``-v`` also lists each disagreement with what the
engine answered. Goal: at least 95 % of all expectations.

    .venv/bin/python benchmarks/bench_casebook.py [-v]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's code, not an installed one

from strategy.casebook import KINDS, Check, agreement, evaluate, load_cases  # noqa: E402


def main(argv: list[str]) -> int:
    """Print the agreement table; exit 1 below 95 % so CI can use it too."""
    verbose = "-v" in argv
    start = time.perf_counter()
    cases = load_cases()
    checks: list[Check] = []
    for case in cases:
        checks.extend(evaluate(case))
    elapsed = time.perf_counter() - start
    table = agreement(checks)
    print(f"casebook: {len(cases)} cases, {len(checks)} expectations ({elapsed:.1f} s)")
    for kind in (*KINDS, "all"):
        if kind in table:
            passed, total = table[kind]
            print(f"  {kind:<11} {passed:>3}/{total:<3} {passed / total:6.1%}")
    if verbose:
        for c in checks:
            if not c.passed:
                print(f"  DISAGREE {c.case}: [{c.kind}] {c.expectation} -> {c.detail}")
    passed, total = table.get("all", (0, 0))
    return 0 if total and passed / total >= 0.95 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
