"""Ask for a page of a campaign's fan-out in the campaign's own function.

On AWS a ``CampaignPage`` event goes on the default EventBridge bus; the template's rule
(chalice's ``on_cw_event`` of ``campaign_pages``) delivers it to that function, which
runs one page with its own timeout and asks for the next. Locally the page runs in this
process: on a thread (the local stack, beside the API) or at once (tests), page after
page in a loop rather than nested calls.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

from chalicelib.adapters.dynamo_errors import throttling_as_adapter_error
from chalicelib.domain.job_runs import REQUEST_SOURCE
from chalicelib.observability import logger
from chalicelib.services.exceptions import SendFailed

PAGE_DETAIL_TYPE = "CampaignPage"
"""``detail-type`` of the event asking for one page (``detail``: campaign id and page)."""


def page_event(campaign_id: str, page: int) -> dict[str, Any]:
    """The EventBridge entry asking for page ``page`` of the campaign."""
    return {
        "Source": REQUEST_SOURCE,
        "DetailType": PAGE_DETAIL_TYPE,
        "Detail": json.dumps({"campaign_id": campaign_id, "page": page}),
    }


class EventBridgeCampaignLauncher:
    """Implements :class:`chalicelib.services.ports.CampaignLauncher`."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def launch(self, campaign_id: str, page: int) -> None:
        """Put the request on the default bus; raises ``SendFailed`` when refused."""
        with throttling_as_adapter_error():
            response = self._client.put_events(Entries=[page_event(campaign_id, page)])
        if response.get("FailedEntryCount"):
            raise SendFailed(str(response["Entries"][0].get("ErrorCode", "PutEventsFailed")))


class InProcessCampaignLauncher:
    """Implements the launcher in this process (the local stand-in for the function).

    A page that fails is run again, up to ``deliveries`` times (Lambda retries an
    asynchronous invocation twice).
    """

    def __init__(
        self, execute: Callable[[str, int], Any], background: bool, deliveries: int = 3
    ) -> None:
        self._execute = execute
        self._background = background
        self._deliveries = deliveries
        self._pending = threading.local()

    def launch(self, campaign_id: str, page: int) -> None:
        """Run the page (on a thread if asked); a page asked for by a page runs after it."""
        queue: list[tuple[str, int]] | None = getattr(self._pending, "queue", None)
        if queue is not None:
            queue.append((campaign_id, page))
            return
        if self._background:
            name = f"campaign-{campaign_id[:16]}-{page}"
            threading.Thread(
                target=self._drain, args=(campaign_id, page), name=name, daemon=True
            ).start()
            return
        self._drain(campaign_id, page)

    def _drain(self, campaign_id: str, page: int) -> None:
        self._pending.queue = [(campaign_id, page)]
        try:
            while self._pending.queue:
                self._run(*self._pending.queue.pop(0))
        finally:
            self._pending.queue = None

    def _run(self, campaign_id: str, page: int) -> None:
        for delivery in range(1, self._deliveries + 1):
            try:
                self._execute(campaign_id, page)
                return
            except Exception as error:  # noqa: BLE001 - the next delivery tries again
                extra = {"error": type(error).__name__, "delivery": delivery, "page": page}
                logger.warning("campaign page failed", extra=extra)
