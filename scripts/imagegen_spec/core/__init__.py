"""What the specs say: loading them, `$ref`s, validation, the operation, variants and requests.

The layer every feature (mock, conformance, generate, docs, diff, bench) reads the specs
through. It imports nothing from the feature packages (ARCHITECTURE.md; `lint-imports` checks).
"""
