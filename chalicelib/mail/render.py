"""Render a message's template into subject, text and HTML, without the network.

Templates live in ``templates/<name>/<locale>.{subject,txt,html}.j2``. HTML is
auto-escaped; the text part is not (it is plain text). In the text parts a line that
ends with a block tag keeps its line break with ``+%}`` (``{% endif +%}``).

Chinese letters follow one spacing rule: one space between a Chinese character and a
Latin letter or digit, none between two Chinese characters. Templates put a space
around every value that may be Latin (a name, an order number, a carrier); the render
removes the ones that end up between Chinese words (``由 顺丰速运 负责`` reads
``由顺丰速运负责``, ``由 UPS 负责`` keeps them).
"""

from __future__ import annotations

import re
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

from chalicelib.domain.vocabulary import LANGUAGES
from chalicelib.mail.exceptions import MailNotBuilt

TEMPLATE_DIR = Path(__file__).parent / "templates"
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
"""The Chinese characters (CJK unified ideographs, extension A, compatibility)."""
_TAGS = "((?:<[^<>]*>)*)"  # markup between two words does not separate them
_SPACE_BETWEEN_CJK = re.compile(f"(?<=[{CJK}]){_TAGS} +{_TAGS}(?=[{CJK}])")
_CJK_THEN_LATIN = re.compile(f"(?<=[{CJK}]){_TAGS}(?=[A-Za-z0-9])")
_LATIN_THEN_CJK = re.compile(f"(?<=[A-Za-z0-9]){_TAGS}(?=[{CJK}])")


def chinese_spacing(text: str) -> str:
    """No space between Chinese characters, one between Chinese and Latin or digits.

    Works on plain text and on HTML (tags between two words are looked through).
    """
    text = _SPACE_BETWEEN_CJK.sub(r"\1\2", text)
    text = _CJK_THEN_LATIN.sub(r" \1", text)
    return _LATIN_THEN_CJK.sub(r"\1 ", text)


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
    lang = locale if locale in LANGUAGES else "en"
    env = _environment()
    try:
        subject = env.get_template(f"{template}/{lang}.subject.j2").render(context)
        text = env.get_template(f"{template}/{lang}.txt.j2").render(context)
        html = env.get_template(f"{template}/{lang}.html.j2").render(context)
    except TemplateError as error:
        raise MailNotBuilt(f"render_error:{type(error).__name__}") from error
    subject = " ".join(subject.split())
    if lang == "zh-CN":
        subject, text, html = (chinese_spacing(part) for part in (subject, text, html))
    return RenderedMail(subject, text, html)
