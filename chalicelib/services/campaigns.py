"""Product-update campaigns for admins: create (or dry-run), read, list and cancel.

A created campaign fans out from its own function (:mod:`chalicelib.services.campaign_fanout`),
never in the request: the request stores it and asks for its first page (or leaves a
scheduled one to the due-campaigns schedule).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.domain import campaigns as c
from chalicelib.domain.exceptions import Conflict, NotFound
from chalicelib.domain.times import iso
from chalicelib.services.campaign_ports import OutboxBatch, ProfileBatchReader
from chalicelib.services.ports import (
    Campaign,
    CampaignLauncher,
    CampaignStore,
    Clock,
    LinkSigner,
    Outbox,
    ProfileReader,
    Purchases,
    SettingsStore,
    SuppressionList,
)


@dataclass(frozen=True)
class CampaignDeps:
    """What campaigns need (wired in ``bootstrap``)."""

    store: CampaignStore
    purchases: Purchases
    profiles: ProfileReader
    outbox: Outbox
    settings: SettingsStore
    suppressions: SuppressionList | None
    launcher: CampaignLauncher
    signer: LinkSigner
    public_base_url: str
    clock: Clock
    profile_batch: ProfileBatchReader
    outbox_batch: OutboxBatch


def _status(campaign: Campaign) -> str:
    return c.status_of(campaign.phase, campaign.fanned_out, campaign.counts, campaign.queued)


def view(campaign: Campaign) -> dict[str, Any]:
    """The campaign as the admin API answers it."""
    request = campaign.request
    return {
        **request.to_dict(),
        "status": _status(campaign),
        "created_at": campaign.created_at,
        "cancelled_at": campaign.cancelled_at,
        **campaign.counts.to_dict(),
        "fan_out": {
            "pages": campaign.page,
            "queued": campaign.queued,
            "finished": campaign.fanned_out,
        },
    }


def create(payload: Any, deps: CampaignDeps) -> tuple[int, dict[str, Any]]:
    """Store and start a campaign (201), or answer the stored one for the same body (200).

    A dry run answers its audience and samples and stores nothing. Raises ``Conflict``
    when the campaign id is taken by a different campaign.
    """
    now = deps.clock.now()
    request, dry_run = c.parse_request(payload, now)
    if dry_run:
        from chalicelib.services.campaign_dry_run import dry_run as run_dry

        return 200, run_dry(request, deps)
    existing = deps.store.get(request.campaign_id)
    if existing is None:
        phase = c.SENDING if c.due(request.send_at, now) else c.SCHEDULED
        campaign = Campaign(request=request, phase=phase, created_at=iso(now))
        if deps.store.create(campaign):
            if phase == c.SENDING:
                deps.launcher.launch(request.campaign_id, 0)
            return 201, view(campaign)
        existing = deps.store.get(request.campaign_id)
    if existing is None or existing.request != request:
        raise Conflict("a different campaign has this campaign_id", "campaign_id")
    return 200, view(existing)


def get(campaign_id: str, deps: CampaignDeps) -> dict[str, Any]:
    """One campaign with its counts; raises ``NotFound``."""
    campaign = deps.store.get(campaign_id)
    if campaign is None:
        raise NotFound("no campaign with this id", "campaign_id")
    return view(campaign)


def cancel(campaign_id: str, deps: CampaignDeps) -> dict[str, Any]:
    """Stop what is not sent yet; a cancelled campaign answers as it is.

    Raises ``NotFound``, or ``Conflict`` for a campaign that is done.
    """
    campaign = deps.store.get(campaign_id)
    if campaign is None:
        raise NotFound("no campaign with this id", "campaign_id")
    if _status(campaign) == c.DONE:
        raise Conflict("the campaign is done: every message has its outcome", "campaign_id")
    deps.store.cancel(campaign_id, iso(deps.clock.now()))
    return get(campaign_id, deps)
