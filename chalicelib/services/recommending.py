"""Recommendations for a customer: store rules plus what others bought together.

Co-purchase counts and catalog hints are learned from orders by the ``co-purchases``
job (:mod:`chalicelib.services.co_purchases_job`) and kept in the settings document
``co-purchases``; rules and replenishable keys are in the customer-value settings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from chalicelib.domain.co_purchase_packing import unpacked
from chalicelib.domain.loyalty import allowed
from chalicelib.domain.order_effects import ValueState
from chalicelib.domain.profile import Profile
from chalicelib.domain.recommendations import CatalogHint, recommend
from chalicelib.domain.value_settings import CustomerValueSettings
from chalicelib.services.ports import SettingsStore

CO_PURCHASES_ID = "co-purchases"


def learned(
    doc: dict[str, Any],
) -> tuple[dict[tuple[str, str], int], dict[str, CatalogHint]]:
    """The co-purchase counts and catalog hints of the (unpacked) document."""
    pairs = {(a, b): int(n) for a, b, n in doc.get("pairs", [])}
    catalog = {
        hint["sku"]: CatalogHint(hint["sku"], hint["category"], hint.get("price_tier"))
        for hint in doc.get("catalog", [])
    }
    return pairs, catalog


Suggester = Callable[..., list[dict[str, Any]]]
"""``(purchased, limit, viewed=None)``: what :func:`recommend_for` answers."""


def suggester(settings: CustomerValueSettings, store: SettingsStore) -> Suggester:
    """:func:`recommend_for` with what was learned read once (a job's many customers)."""
    doc = unpacked(store.document(CO_PURCHASES_ID))  # empty before the first run
    pairs, catalog = learned(doc)
    names = doc.get("names", {})

    def suggest(
        purchased: Iterable[str],
        limit: int,
        viewed: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> list[dict[str, Any]]:
        views = viewed or {}
        seconds = {sku: int(view.get("seconds") or 0) for sku, view in views.items()}
        rules, again = settings.recommendations, settings.replenishable
        ranked = recommend(set(purchased), rules, pairs, catalog, again, limit, seconds)
        shown = {**{sku: str(v["name"]) for sku, v in views.items() if v.get("name")}, **names}
        return [{**item.to_dict(), "name": shown.get(item.id, item.id)} for item in ranked]

    return suggest


def recommend_for(
    purchased: Iterable[str],
    settings: CustomerValueSettings,
    store: SettingsStore,
    limit: int = 6,
    viewed: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Suggestions for someone who bought ``purchased`` (keys ``sku:x``/``category:y``)
    and viewed ``viewed`` (``sku -> {"seconds", "name"}``: viewed and not bought ranks
    higher)."""
    return suggester(settings, store)(purchased, limit, viewed)


def recommendations_for(
    profile: Profile, state: ValueState, settings: CustomerValueSettings, store: SettingsStore
) -> list[dict[str, Any]]:
    """Suggestions for a mail, only when the customer agreed and their loyalty allows."""
    if not profile.consents.recommendations or not allowed("recommendation", profile.loyalty):
        return []
    return recommend_for(state.purchased, settings, store, limit=4)
