"""Benchmark: what answering a top-level error in Chinese costs over English.

Twelve common mistakes (unknown field and argument, missing argument, wrong variable types and
values, syntax, a limit breach, ...) are run through the served schema to get graphql-core's
real errors; each is then formatted as the app formats it (``dealgraph.app.format_error``) in
English and in zh-CN. Printed: microseconds per error, median of 5 rounds of 500 passes over the
twelve, for each language, their ratio, and an unmatched message (which tries every row of the
table) on its own. No store and no HTTP: validation errors never reach a resolver.

    .venv/bin/python benchmarks/bench_error_language.py [--passes 500]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's code, not an installed one

from graphql import GraphQLError  # noqa: E402

from dealgraph.app import format_error  # noqa: E402
from dealgraph.engine.served import schema  # noqa: E402

CREATE = "mutation($i: CustomerCreateInput!) { customerCreate(input: $i) { customer { id } } }"
MISTAKES: list[tuple[str, dict[str, Any] | None]] = [
    ("{ customerz { totalCount } }", None),
    ("{ customers(firstt: 3) { totalCount } }", None),
    ("{ node { id } }", None),
    ("{ customers { totalCount { value } } }", None),
    ("query($n: String) { customers(first: $n) { totalCount } }", None),
    ("query($unused: Int) { customers { totalCount } }", None),
    ("{ customers(orderBy: WRONG) { totalCount } }", None),
    ("query($n: Int) { customers(first: $n) { totalCount } }", {"n": "abc"}),
    (CREATE, {"i": {"nam": "Acme"}}),
    (CREATE, {"i": {"name": "Acme", "annualRevenue": 1.5}}),
    ("{ customers { totalCount } ", None),
    ("{ keyPersons { nodes { " + "reportsTo { " * 11 + "name" + " }" * 11 + " } } }", None),
]


async def collect() -> list[GraphQLError]:
    """The first error of each mistake, as graphql-core reports it."""
    errors = []
    for query, variables in MISTAKES:
        result = await schema.execute(query, variable_values=variables)
        assert result.errors, query
        errors.append(result.errors[0])
    return errors


def per_error(errors: list[GraphQLError], locale: str, passes: int) -> float:
    """Median microseconds to format one error in ``locale``."""
    rounds = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(passes):
            for error in errors:
                format_error(error, "request", locale=locale)
        rounds.append((time.perf_counter() - started) / (passes * len(errors)) * 1e6)
    return statistics.median(rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=500)
    passes = parser.parse_args().passes
    errors = asyncio.run(collect())
    english = per_error(errors, "en", passes)
    chinese = per_error(errors, "zh-CN", passes)
    unmatched = [GraphQLError("Cannot spread fragment 'A' within itself via 'B'.")]
    missed = per_error(unmatched, "zh-CN", passes * len(errors))
    print(f"{len(errors)} kinds of top-level error, median of 5 rounds of {passes} passes")
    print(f"  English            {english:7.1f} µs per error")
    print(f"  zh-CN              {chinese:7.1f} µs per error   ({chinese / english:.1f}× English)")
    print(f"  zh-CN, no match    {missed:7.1f} µs per error (stays English)")


if __name__ == "__main__":
    main()
