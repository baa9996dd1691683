"""Why each spec decides as it does: the `x-imagegen-provenance` entries, checked and rendered.

`entries` reads and validates the entries, `references` lists where a spec differs from the public
reference it follows, `render` writes the README's decision table and `docs/decisions.md`.
"""
