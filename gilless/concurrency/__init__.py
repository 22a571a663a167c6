"""Concurrency: guest threads on host OS threads, and the optional GIL mode."""
