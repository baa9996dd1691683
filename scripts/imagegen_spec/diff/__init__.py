"""What changed in the specs and the generated Python API since a git revision, and what it breaks.

`python -m imagegen_spec.diff [BASE]` (or `nox -s diff -- [BASE]`) compares each variant's spec and
generated packages at BASE with the working tree, classifies every change by the rules in
`rules.py`, recommends a semantic version bump per variant and fails when a breaking change comes
without a major bump of the spec's `info.version`.
"""
