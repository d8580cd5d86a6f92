"""The search form: what the admin types and what the profile stores compare equal."""

from __future__ import annotations

import pytest

from chalicelib.domain.search import name_search_key, search_form


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ANA", "Ana Lima"),
        ("Ａｎａ", "Ana Lima"),  # full-width letters
        ("ana  li", "Ana   Lima"),  # spaces collapsed on both sides
        ("王", "王小明"),
        ("王小", "王小明"),
        ("strasse", "Straße"),  # case folding, not lower()
        ("１２", "12 Monkeys"),
    ],
)
def test_a_prefix_typed_any_way_matches_the_stored_name(typed: str, stored: str) -> None:
    key = name_search_key(stored)
    assert key is not None and key.startswith(search_form(typed))


@pytest.mark.parametrize(("typed", "stored"), [("小明", "王小明"), ("lima", "Ana Lima")])
def test_only_prefixes_match(typed: str, stored: str) -> None:
    key = name_search_key(stored)
    assert key is not None and not key.startswith(search_form(typed))


def test_no_name_no_key() -> None:
    assert name_search_key(None) is None
    assert name_search_key("") is None
    assert name_search_key("   ") is None
    assert search_form("\u3000") == ""  # an ideographic space alone is nothing to search
