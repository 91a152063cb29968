"""Benchmarks: synthetic worlds at 10k, 100k and 1M triples and a timing table per engine."""
