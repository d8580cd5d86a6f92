"""Mail: Jinja2 templates (HTML and text, zh-CN and en) and MIME assembly."""
