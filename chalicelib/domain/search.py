"""The form of a name or an address the admin search compares: what a person types.

``?q=`` on ``GET /v1/admin/customers`` finds customers whose name or email *begins* with
what was typed, whatever its case or width: both sides go through :func:`search_form`
(Unicode NFKC, so full-width ``Ａｎａ`` is ``ana``, then case folding, so ``ANA`` and
``Straße``/``STRASSE`` match, then single spaces). Chinese names have no case and keep
their characters: ``王`` finds ``王小明``. DynamoDB compares sort keys byte by byte, so
the profile stores this form (``name_search``) and the query sends it.
"""

from __future__ import annotations

import unicodedata

MAX_QUERY_CHARACTERS = 100


def search_form(text: str) -> str:
    """``text`` as the search compares it (NFKC, case-folded, spaces collapsed)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(folded.split())


def name_search_key(name: str | None) -> str | None:
    """The ``name_search`` attribute of a profile with ``name`` (``None`` without one)."""
    if not name:
        return None
    return search_form(name) or None
