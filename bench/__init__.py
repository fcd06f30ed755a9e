"""Benchmarks of spbe-arch (not tests): each module runs with `python -m bench.<name>` and
prints a table comparing the product to a baseline measured in the same run.

Shared pieces live in `bench.common` (timing, tables, machine description, data cache) and
`bench.generate` (the deterministic synthetic SPBE repository generator).
"""
