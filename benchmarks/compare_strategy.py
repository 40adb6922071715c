"""The full strategy analysis of two checkouts, A/B, in one run (a script, not a test).

Why: on a shared machine two benchmark runs minutes apart differ by more than most changes do.
This starts one worker process per checkout (each imports its own ``strategy`` package) on the
same seeded chain of ``benchmarks/bench_strategy.py`` and alternates single analyses between
them, so both see the same load; it prints CPU-time medians, their ratio and the median of the
paired ratios.

    .venv/bin/python benchmarks/compare_strategy.py OLD_CHECKOUT [NEW_CHECKOUT] [--persons 500]
        [--runs 60]

A checkout is a directory with the repository's files, e.g. ``git archive <rev> | tar -x -C
/tmp/old``; NEW_CHECKOUT defaults to this repository.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORKER = """
import sys, time
repo, persons = sys.argv[1], int(sys.argv[2])
sys.path[:0] = [repo, repo + "/benchmarks"]
import bench_strategy as bs
from strategy.config import default_config
from strategy.engine import analyse
from strategy.playbook import default_playbook
config, playbook = default_config(), default_playbook()
snapshot = bs.chain(persons, seed=persons)
analyse(snapshot, bs.NOW, config, playbook=playbook).plan
print("ready", flush=True)
for _ in sys.stdin:
    start = time.process_time()
    analyse(snapshot, bs.NOW, config, playbook=playbook).plan  # the plan is made on its read
    print((time.process_time() - start) * 1000, flush=True)
"""


def main(argv: list[str]) -> None:
    """Alternate single analyses between the two checkouts and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path, nargs="?", default=ROOT)
    parser.add_argument("--persons", type=int, default=500)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args(argv)
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(repo.resolve()), str(args.persons)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd="/",
        )
        for repo in (args.old, args.new)
    ]
    times: list[list[float]] = [[], []]
    try:
        for w in workers:
            if w.stdout is None or w.stdout.readline().strip() != "ready":
                raise SystemExit("a worker failed to start")
        for run in range(args.runs):
            order = (0, 1) if run % 2 == 0 else (1, 0)
            for i in order:
                stdin, stdout = workers[i].stdin, workers[i].stdout
                assert stdin is not None
                assert stdout is not None
                stdin.write("\n")
                stdin.flush()
                times[i].append(float(stdout.readline()))
    finally:
        for w in workers:
            if w.stdin is not None:
                w.stdin.close()
            w.wait()
    old, new = (statistics.median(t) for t in times)
    paired = statistics.median(a / b for a, b in zip(*times, strict=True))
    print(
        f"full analysis {args.persons} persons, {args.runs} runs each, CPU time:"
        f" old median {old:.1f} ms, new median {new:.1f} ms; old/new {old / new:.2f}x,"
        f" median of paired ratios {paired:.2f}x"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
