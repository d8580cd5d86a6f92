"""The HTTP edge: one error shape, JSON bodies, key checks, routing with both."""
