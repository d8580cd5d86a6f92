"""A campaign's fan-out, one page at a time, in the campaign's own function.

Each page reads ``PAGE_SIZE`` purchase items of the sku index from where the last page
stopped (stored on the campaign), reads the buyers' profiles in batches (100 a request),
queues one ``product_update`` message per buyer in batches (50 conditional puts a
request; the outbox's dedup key ``product-update#<campaign_id>`` makes a buyer of two
orders, or a replayed page, one message), records the page on the campaign (one write,
fenced on its number, so a duplicated request does nothing) and asks for the next page.
No invocation does more than a page, so any audience fits in Lambda's limits.

The due-campaigns schedule (:func:`start_due`) starts a scheduled campaign at its
``send_at`` and asks again for the page of a fan-out that made no progress for
``STALLED`` (its request was lost after every retry).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from chalicelib.domain import campaigns as c
from chalicelib.domain.campaign_audience import campaign_message
from chalicelib.domain.times import iso, parse_iso
from chalicelib.services.campaigns import CampaignDeps
from chalicelib.services.ports import Buyer, Campaign

PAGE_SIZE = 250
STALLED = timedelta(minutes=5)
DUE_BATCH = 25


def run_page(campaign_id: str, page: int, deps: CampaignDeps) -> str:
    """Queue one page of the campaign's messages; returns what happened (for logs)."""
    campaign = deps.store.get(campaign_id)
    if campaign is None:
        return "unknown"
    if campaign.phase != c.SENDING:
        return campaign.phase  # scheduled (not started) or cancelled: nothing to queue
    if campaign.fanned_out or campaign.page != page:
        return "duplicate"
    buyers, cursor = deps.purchases.buyers(campaign.request.sku, PAGE_SIZE, campaign.cursor)
    now = iso(deps.clock.now())
    last = campaign.last_customer
    first_of_each: list[Buyer] = []
    for buyer in buyers:
        if buyer.customer_id != last:  # not the same customer's other order, next to it
            first_of_each.append(buyer)
        last = buyer.customer_id
    profiles = deps.profile_batch.get_many([b.customer_id for b in first_of_each])
    messages = [
        campaign_message(profiles[b.customer_id], campaign.request, b.product_name, now)
        for b in first_of_each
        if b.customer_id in profiles  # erased or unknown: nobody to write to
    ]
    queued = deps.outbox_batch.enqueue_all(messages)
    if not deps.store.advance(campaign_id, page, cursor, last, now, queued):
        return "duplicate"
    if cursor is None:
        return "fanned_out"
    deps.launcher.launch(campaign_id, page + 1)
    return "page"


def start_due(deps: CampaignDeps) -> dict[str, int]:
    """Start the campaigns whose ``send_at`` came; restart a stalled fan-out."""
    now = deps.clock.now()
    started = resumed = 0
    for campaign in deps.store.due(DUE_BATCH):
        if not c.due(campaign.request.send_at, now):
            break  # the index is by send_at: the rest are later
        if campaign.phase == c.SCHEDULED:
            if deps.store.start(campaign.request.campaign_id, iso(now)):
                deps.launcher.launch(campaign.request.campaign_id, campaign.page)
                started += 1
        elif _stalled(campaign, now):
            deps.launcher.launch(campaign.request.campaign_id, campaign.page)
            resumed += 1
    return {"started": started, "resumed": resumed}


def _stalled(campaign: Campaign, now: datetime) -> bool:
    progressed = campaign.progressed_at or campaign.created_at
    return campaign.phase == c.SENDING and now - parse_iso(progressed) > STALLED
