"""Render a message's template into subject, text and HTML, without the network.

Templates live in ``templates/<name>/<locale>.{subject,txt,html}.j2``. HTML is
auto-escaped; the text part is not (it is plain text).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    select_autoescape,
)

from chalicelib.mail.exceptions import MailNotBuilt

TEMPLATE_DIR = Path(__file__).parent / "templates"
LOCALES = ("en", "zh-CN")


@dataclass(frozen=True)
class RenderedMail:
    """A rendered mail, ready for MIME assembly."""

    subject: str
    text: str
    html: str


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(template: str, locale: str, context: dict[str, Any]) -> RenderedMail:
    """Render ``template`` in ``locale`` (falling back to English for an unknown locale).

    Raises ``MailNotBuilt`` when a template is missing or fails to render.
    """
    lang = locale if locale in LOCALES else "en"
    env = _environment()
    try:
        subject = env.get_template(f"{template}/{lang}.subject.j2").render(context)
        text = env.get_template(f"{template}/{lang}.txt.j2").render(context)
        html = env.get_template(f"{template}/{lang}.html.j2").render(context)
    except TemplateError as error:
        raise MailNotBuilt(f"render_error:{type(error).__name__}") from error
    return RenderedMail(" ".join(subject.split()), text, html)
