"""Conformance checks: Schemathesis plus image checks, against the mock or a live provider."""
