"""Render a public page."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(Path(__file__).parent / "templates")),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
    )


def page(name: str, context: dict[str, Any]) -> str:
    """The HTML of page ``name``."""
    return _environment().get_template(f"{name}.html.j2").render(context)
