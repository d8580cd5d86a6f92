"""``make bench``: the performance figures (never asserted in tests)."""
