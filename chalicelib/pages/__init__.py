"""Public HTML pages (preference centre), rendered with Jinja2."""
