"""The reference check and the decision pages, from the specs' `x-imagegen-provenance` entries.

`core.provenance` reads and validates the entries; `references` lists where a spec differs from
the public reference it follows; `render` writes the README's decision table and
`docs/decisions.md` (`python -m imagegen_spec.provenance`, run by `nox -s docs`).
"""
