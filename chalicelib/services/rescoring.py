"""Rescore one customer after an order with the stored RFM boundaries and CLV model.

The nightly ``customer-value`` job computes the quintile boundaries and fits the model
over all customers; each order then places its customer at once with what is stored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.domain.order_effects import ValueState
from chalicelib.domain.value_settings import CustomerValueSettings
from chalicelib.services.ports import CLV_DOCUMENT, RFM_DOCUMENT, SettingsStore


def stored_models(store: SettingsStore) -> tuple[Any, Any]:
    """The stored RFM boundaries and CLV parameters (``None`` each before the first fit)."""
    boundaries = None
    params = None
    boundaries_doc = store.document(RFM_DOCUMENT)
    if boundaries_doc:
        from chalicelib.domain.rfm import RfmBoundaries

        boundaries = RfmBoundaries.from_dict(boundaries_doc)
    model_doc = store.document(CLV_DOCUMENT)
    if model_doc:
        from chalicelib.domain.clv_params import ClvParameters

        params = ClvParameters.from_dict(model_doc)
    return boundaries, params


def rescored_attributes(
    customer_id: str,
    state: ValueState,
    settings: CustomerValueSettings,
    now: datetime,
    store: SettingsStore,
) -> dict[str, Any]:
    """Loyalty, RFM and CLV attributes for the profile in ``state`` at ``now``."""
    return rescored_with(customer_id, state, settings, now, stored_models(store))


def rescored_with(
    customer_id: str,
    state: ValueState,
    settings: CustomerValueSettings,
    now: datetime,
    models: tuple[Any, Any],
) -> dict[str, Any]:
    """:func:`rescored_attributes` with the models of :func:`stored_models` read once."""
    from chalicelib.domain.customer_value import ValueInputs, rescore

    boundaries, params = models
    inputs = ValueInputs(
        customer_id=customer_id,
        orders=state.stats.orders,
        spent=state.stats.spent,
        last_order_at=state.stats.last_order_at,
        purchase_days=state.purchase_days,
    )
    result = rescore(inputs, now.date(), settings, boundaries, params)
    return {
        "loyalty": result.loyalty,
        "rfm": result.rfm,
        "segment_key": result.segment_key,
        "clv": result.clv,
        "clv_value": result.clv_value,
    }
