"""HTTP routes, grouped by audience as Chalice blueprints."""
