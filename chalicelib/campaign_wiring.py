"""Wire product-update campaigns (part of :mod:`chalicelib.bootstrap`, kept beside it)."""

from __future__ import annotations

import os
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chalicelib.adapters.campaigns_store import DynamoCampaignStore
    from chalicelib.bootstrap import Container
    from chalicelib.services.campaigns import CampaignDeps
    from chalicelib.services.ports import CampaignLauncher, Outbox


class CampaignWiring:
    """The campaigns' adapters on one container's clients."""

    def __init__(self, container: Container) -> None:
        self._container = container

    @cached_property
    def store(self) -> DynamoCampaignStore:
        """The campaigns table."""
        from chalicelib.adapters.campaigns_store import DynamoCampaignStore

        config = self._container.config
        return DynamoCampaignStore(
            self._container.client("dynamodb"), config.campaigns_table, config.messages_table
        )

    @cached_property
    def outbox_for_mailer(self) -> Outbox:
        """The outbox the mailer claims through: a cancelled campaign's mail is suppressed."""
        from chalicelib.adapters.campaign_outbox import CampaignAwareOutbox

        config = self._container.config
        return CampaignAwareOutbox(
            self._container.client("dynamodb"),
            config.messages_table,
            config.customers_table,
            self.store,
            self._container.metrics,
        )

    @cached_property
    def launcher(self) -> CampaignLauncher:
        """EventBridge on AWS; this process locally (a thread in the local stack)."""
        from chalicelib.adapters.campaign_launcher import (
            EventBridgeCampaignLauncher,
            InProcessCampaignLauncher,
        )

        if self._container.config.local:
            background = os.environ.get("RAPPORT_JOBS_BACKGROUND") == "1"
            return InProcessCampaignLauncher(self.run_page, background)
        return EventBridgeCampaignLauncher(self._container.client("events"))

    def run_page(self, campaign_id: str, page: int) -> Any:
        """One page of the fan-out (the campaign function's body)."""
        from chalicelib.services.campaign_fanout import run_page

        return run_page(campaign_id, page, self.deps)

    @cached_property
    def deps(self) -> CampaignDeps:
        """What the campaign routes, pages and schedule need."""
        from chalicelib.adapters.outbox_batch import DynamoOutboxBatch
        from chalicelib.adapters.profile_batch import DynamoProfileBatch
        from chalicelib.adapters.purchases import DynamoPurchases
        from chalicelib.services.campaigns import CampaignDeps

        container = self._container
        client, config = container.client("dynamodb"), container.config
        return CampaignDeps(
            store=self.store,
            purchases=DynamoPurchases(client, config.orders_table),
            profiles=container.customers,
            outbox=container.outbox,
            settings=container.settings,
            suppressions=container.suppressions,
            launcher=self.launcher,
            signer=container.signer,
            public_base_url=container.config.public_base_url,
            clock=container.clock,
            profile_batch=DynamoProfileBatch(client, config.customers_table),
            outbox_batch=DynamoOutboxBatch(client, config.messages_table, config.customers_table),
        )
