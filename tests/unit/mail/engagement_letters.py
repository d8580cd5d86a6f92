"""The engagement job's sample letters (greeting, recommendations, occasion suggestion),
as the job builds them: occasion, years and products, with and without products."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from chalicelib.domain.gift_occasions import Due, suggestion_context
from chalicelib.domain.messages import Message, non_transactional
from chalicelib.domain.profile import Profile

STAMP = "2026-11-20T08:30:00.000Z"
TODAY = datetime(2026, 11, 20, tzinfo=UTC).date()
OCCASION_PRODUCTS = {
    "en": [{"kind": "sku", "id": "CUP-2", "name": "Celadon cup"},
           {"kind": "sku", "id": "POT-3", "name": "Clay teapot"}],
    "zh-CN": [{"kind": "sku", "id": "CUP-2", "name": "青瓷茶杯"},
              {"kind": "sku", "id": "POT-3", "name": "紫砂壶"}],
}  # fmt: skip


def engagement_letters(
    locale: str, person: Profile, letter: Callable[[Message, str], Any]
) -> Iterator[Any]:
    """Each engagement letter to ``person``, rendered by ``letter``."""
    products = OCCASION_PRODUCTS[locale]
    for kind, years in (("birthday", None), ("anniversary", 1), ("anniversary", 3)):
        for picks in (products, []):
            context = {"occasion": kind, "years": years, "recommendations": picks}
            message = non_transactional(person, f"greeting#{kind}#2026", "greeting", STAMP, context)
            yield letter(message, f"greeting-{kind}-{years}-{len(picks)}")
    context = {"occasion": "birthday", "years": None, "recommendations": products}
    message = non_transactional(person, "recommendations#x", "recommendations", STAMP, context)
    yield letter(message, "recommendations")
    for occasion, years in (("birthday", [2024, 2025]), (None, [2023, 2024, 2025])):
        months = {"12": {"years": years, "occasion": occasion}}
        context = suggestion_context(months, Due("12", 2026), TODAY, locale, products)
        message = non_transactional(person, "occasion#12", "occasion_suggestion", STAMP, context)
        yield letter(message, f"occasion-{occasion}-{len(years)}")
