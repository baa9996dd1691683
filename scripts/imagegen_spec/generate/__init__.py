"""Generate pydantic models and typed clients from the specs into `generated/`, with provenance.

`python -m imagegen_spec.generate` (or `nox -s generate`) writes, per variant,
`generated/<variant>/models` (datamodel-code-generator) and `generated/<variant>/client`
(openapi-python-client), both installable distributions, and records in
`generated/manifest.json` what made them. `--check` tells whether `generated/` is stale.
"""
