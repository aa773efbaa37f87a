"""Benchmarks: scripts that print their figures (python -m benchmarks.<name>)."""
