"""Benchmarks, run by hand or with `make bench`; never in CI, and tests never assert timings."""
