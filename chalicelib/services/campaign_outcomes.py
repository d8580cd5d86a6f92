"""A campaign's counts follow its messages: each change of a campaign message in the
messages stream moves them once (see ``adapters/campaigns_store.py``)."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.campaigns import is_campaign_message, outcome_change
from chalicelib.services.ports import CampaignStore


def count(old: dict[str, Any] | None, new: dict[str, Any] | None, store: CampaignStore) -> bool:
    """Count the change of one messages-table item if it is a campaign's; ``True`` if it
    moved the counts (``False``: not a campaign message, no move, or counted already)."""
    item = new or old or {}
    key = str(item.get("message_key", ""))
    if not is_campaign_message(key):
        return False
    change = outcome_change(old, new)
    if change is None:
        return False
    return store.count(str(item["customer_id"]), key, change)
