"""Small parts every layer uses: the UserError base, tables, marker blocks, outputs, TOML, pins.

Nothing here knows about specs; `core` and the feature packages build on it.
"""
