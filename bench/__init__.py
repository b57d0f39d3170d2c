"""Benchmark and load-test tooling (not product code): see docs/benchmarks.md."""
