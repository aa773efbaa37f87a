"""The hardening suite (python -m benchmarks.hardening)."""
