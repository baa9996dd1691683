"""Benchmarks: the mock beside Prism and a bare-server ceiling, generation, conformance, soak.

`python -m imagegen_spec.bench` (or `nox -s bench`) prints the table and writes the reports.
"""
