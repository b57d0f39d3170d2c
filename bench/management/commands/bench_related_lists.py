"""The harness's `bench_related_lists` hook: `python bench/probe.py related-lists`."""

from ._probe import ProbeCommand


class Command(ProbeCommand):
    help = "Benchmark hook for the side-by-side harness (see docs/benchmarks.md)."
    handler = "related_lists"
    arguments = [("--sample", {"required": True}), ("--k", {"type": int, "default": 5})]
