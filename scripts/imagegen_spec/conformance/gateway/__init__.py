"""Gateway mode: what a gateway changes between its client and its upstream, on both sides.

`upstream.py` records what reaches the embedded upstream (the mock), `exchanges.py` reads both
recordings, `pairing.py` pairs each client request with what it became upstream, `spec_view.py`
reads from the specs what the comparison needs, `compare.py` finds the changes and `report.py`
groups and renders them.
"""
