"""Use cases: one module each. Services take their ports as arguments."""
