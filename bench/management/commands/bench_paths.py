"""The harness's `bench_paths` hook: `python bench/probe.py plan-paths`."""

from ._probe import ProbeCommand


class Command(ProbeCommand):
    help = "Benchmark hook for the side-by-side harness (see docs/benchmarks.md)."
    handler = "plan_paths"
    arguments = [("--plan", {"required": True}), ("--out", {"required": True})]
