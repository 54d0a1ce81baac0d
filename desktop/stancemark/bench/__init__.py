"""Benchmarks: speed and memory at scale, each figure beside its yardstick and budget.

Run with `python -m stancemark.bench` (see --help). Not part of the default test
run; tests/test_bench_smoke.py runs the quick mode on tiny sizes.
"""
