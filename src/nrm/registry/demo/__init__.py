"""Synthetic data for the demo (`nrm demo`) and for benchmarks (`nrm seed`).

Everything here is invented: names are common in the region, combinations are random, and no
real person, organisation or case is meant.
"""
