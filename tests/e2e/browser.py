"""Headless Chromium for the page tests, and a check that Chinese glyphs really render.

Playwright drives Debian's Chromium (``executable_path``, no browser download). Without
a CJK font Chromium draws every Chinese character as the same empty box ("tofu"), so
:func:`missing_glyphs` screenshots distinct characters of the page, one by one, in the
page's own font, and reports those whose image is a box: identical to another
character's or to a code point no font has.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
NO_FONT_HAS_THIS = "\U0010fffd"  # a private-use code point of plane 16
LATIN_FONTS = Path("/usr/share/fonts/truetype/dejavu")


def launch(playwright: Any, env: dict[str, str] | None = None) -> Any:
    """Debian's headless Chromium (``env`` for its fontconfig, if given)."""
    options: dict[str, Any] = {"executable_path": CHROMIUM, "args": ARGS, "headless": True}
    if env is not None:
        options["env"] = env
    return playwright.chromium.launch(**options)


@contextmanager
def phone_page(
    url: str, env: dict[str, str] | None = None, headers: dict[str, str] | None = None
) -> Iterator[Any]:
    """``url`` open in a headless Chromium the size of a phone (``env`` as for
    :func:`launch`, ``headers`` sent with every request); the browser closes after."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright, env)
        try:
            page = browser.new_page(viewport=PHONE, extra_http_headers=headers or {})
            page.goto(url)
            yield page
        finally:
            browser.close()


def latin_only_fonts(tmp_path: Path) -> dict[str, str]:
    """An environment whose fontconfig sees only DejaVu: no Chinese glyphs at all."""
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"<dir>{LATIN_FONTS}</dir>\n<cachedir>{tmp_path / 'fontcache'}</cachedir>\n"
        "</fontconfig>\n"
    )
    return {"FONTCONFIG_FILE": str(config), "HOME": str(tmp_path)}


def chinese_characters(page: Any, count: int = 6) -> list[str]:
    """Up to ``count`` distinct Chinese characters of the page's text, in order."""
    text = page.evaluate("document.body.innerText")
    seen: list[str] = []
    for char in re.findall(r"[\u4e00-\u9fff]", text):
        if char not in seen:
            seen.append(char)
    return seen[:count]


def _glyph_images(page: Any, chars: list[str]) -> list[bytes]:
    page.evaluate(
        """chars => {
            const box = document.createElement('div');
            box.id = 'glyph-check';
            for (const [i, c] of chars.entries()) {
                const s = document.createElement('span');
                s.id = 'glyph-' + i;
                s.textContent = c;
                s.style.cssText = 'display:inline-block;font-size:48px;line-height:1;' +
                    'padding:4px;background:#fff;color:#000';
                box.appendChild(s);
            }
            document.body.appendChild(box);
        }""",
        chars,
    )
    images = [page.locator(f"#glyph-{i}").screenshot() for i in range(len(chars))]
    page.evaluate("document.getElementById('glyph-check').remove()")
    return images


def missing_glyphs(page: Any) -> list[str]:
    """The page's Chinese characters that render as tofu (empty when every one renders)."""
    chars = chinese_characters(page)
    assert len(chars) >= 3, f"too few Chinese characters to check: {chars}"
    *images, tofu = _glyph_images(page, [*chars, NO_FONT_HAS_THIS])
    return [
        char
        for char, image in zip(chars, images, strict=True)
        if image == tofu or images.count(image) > 1
    ]
