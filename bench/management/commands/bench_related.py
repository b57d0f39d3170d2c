"""The harness's `bench_related` hook: `python bench/probe.py related`."""

from ._probe import ProbeCommand


class Command(ProbeCommand):
    help = "Benchmark hook for the side-by-side harness (see docs/benchmarks.md)."
    handler = "related"
    arguments = [
        ("--samples", {"type": int, "default": 100}),
        ("--seed", {"type": int, "default": 1}),
        ("--budget-s", {"type": float, "default": 60.0}),
    ]
