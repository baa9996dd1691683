"""The docs site: a Redoc API reference per variant and a comparison of the variants.

`python -m imagegen_spec.docs` (or `nox -s docs`) builds the site into `site/` and refreshes the
README's copy of the comparison.
"""
