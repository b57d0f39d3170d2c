"""The harness's `bench_urlmap` hook: `python bench/probe.py urlmap`."""

from ._probe import ProbeCommand


class Command(ProbeCommand):
    help = "Benchmark hook for the side-by-side harness (see docs/benchmarks.md)."
    handler = "urlmap"
    arguments = []
