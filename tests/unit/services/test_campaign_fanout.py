"""One page of a campaign's fan-out against in-memory fakes: batched reads and writes,
each buyer once, a redelivered page queuing nothing twice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, cast

from chalicelib.domain import campaigns as c
from chalicelib.domain.messages import Message
from chalicelib.domain.profile import Consents, Profile
from chalicelib.services.campaign_fanout import PAGE_SIZE, run_page
from chalicelib.services.campaigns import CampaignDeps
from chalicelib.services.ports import Buyer, Campaign

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
BODY = {
    "campaign_id": "kettle-v2",
    "kind": "product_update",
    "sku": "KETTLE-2",
    "subject": {"en": "A new lid", "zh-CN": "新壶盖"},
    "body": {"en": "It keeps tea hot.", "zh-CN": "保温更久。"},
}


@dataclass
class Store:
    campaign: Campaign
    advanced: list[tuple[int, str | None, str | None, int]] = field(default_factory=list)

    def get(self, campaign_id: str) -> Campaign | None:
        return self.campaign if campaign_id == self.campaign.request.campaign_id else None

    def advance(
        self,
        campaign_id: str,
        page: int,
        cursor: str | None,
        last: str | None,
        at: str,
        queued: int = 0,
    ) -> bool:
        if page != self.campaign.page or self.campaign.phase != c.SENDING:
            return False
        self.advanced.append((page, cursor, last, queued))
        self.campaign = replace(
            self.campaign,
            page=page + 1,
            cursor=cursor,
            last_customer=last,
            fanned_out=cursor is None,
            queued=self.campaign.queued + queued,
        )
        return True


@dataclass
class Purchases:
    pages: dict[str | None, tuple[list[Buyer], str | None]]

    def buyers(self, sku: str, limit: int, cursor: str | None) -> tuple[list[Buyer], str | None]:
        assert limit == PAGE_SIZE
        return self.pages[cursor]


@dataclass
class ProfileBatch:
    profiles: dict[str, Profile]
    calls: list[list[str]] = field(default_factory=list)

    def get_many(self, customer_ids: Sequence[str]) -> dict[str, Profile]:
        self.calls.append(list(customer_ids))
        return {cid: self.profiles[cid] for cid in customer_ids if cid in self.profiles}


@dataclass
class OutboxBatch:
    stored: dict[tuple[str, str], Message] = field(default_factory=dict)
    calls: int = 0

    def enqueue_all(self, messages: Sequence[Message]) -> int:
        self.calls += 1
        new = [m for m in messages if (m.customer_id, m.message_key) not in self.stored]
        for message in new:
            self.stored[(message.customer_id, message.message_key)] = message
        return len({(m.customer_id, m.message_key) for m in messages})  # all there now


@dataclass
class Launcher:
    launched: list[tuple[str, int]] = field(default_factory=list)

    def launch(self, campaign_id: str, page: int) -> None:
        self.launched.append((campaign_id, page))


class Clock:
    def now(self) -> datetime:
        return NOW


def _profile(cid: str, locale: str = "en") -> Profile:
    stamp = "2026-11-01T00:00:00Z"
    consents = Consents(marketing=True)
    return Profile(cid, f"{cid}@example.com", stamp, stamp, locale=locale, consents=consents)


def _deps(pages: dict[str | None, tuple[list[Buyer], str | None]], profiles: list[Profile]) -> Any:
    request, _ = c.parse_request(BODY, NOW)
    store = Store(Campaign(request=request, phase=c.SENDING, created_at="2026-12-02T03:00:00Z"))
    fakes = {
        "store": store,
        "purchases": Purchases(pages),
        "profile_batch": ProfileBatch({p.customer_id: p for p in profiles}),
        "outbox_batch": OutboxBatch(),
        "launcher": Launcher(),
        "clock": Clock(),
    }
    unused = dict.fromkeys(("profiles", "outbox", "settings", "suppressions", "signer"))
    deps = CampaignDeps(**fakes, **unused, public_base_url="http://rapport.test")  # type: ignore[arg-type]
    return cast(Any, deps)


def test_a_page_reads_its_profiles_and_queues_its_messages_in_one_batch_each() -> None:
    buyers = [Buyer(f"c-{n:03d}", "Clay kettle") for n in range(PAGE_SIZE)]
    deps = _deps({None: (buyers, "next")}, [_profile(b.customer_id) for b in buyers])
    assert run_page("kettle-v2", 0, deps) == "page"
    assert len(deps.profile_batch.calls) == 1 and len(deps.profile_batch.calls[0]) == PAGE_SIZE
    assert deps.outbox_batch.calls == 1
    assert len(deps.outbox_batch.stored) == PAGE_SIZE
    assert deps.store.advanced == [(0, "next", "c-249", PAGE_SIZE)]
    assert deps.launcher.launched == [("kettle-v2", 1)]


def test_each_buyer_once_across_orders_and_pages_and_nobody_without_a_profile() -> None:
    first = [Buyer("c-1", "Clay kettle"), Buyer("c-2", "Clay kettle"), Buyer("c-2", "Kettle")]
    second = [Buyer("c-2", "Kettle"), Buyer("c-gone", "Clay kettle"), Buyer("c-3", "壶")]
    profiles = [_profile("c-1"), _profile("c-2"), _profile("c-3", "zh-CN")]
    deps = _deps({None: (first, "p1"), "p1": (second, None)}, profiles)
    assert run_page("kettle-v2", 0, deps) == "page"
    assert run_page("kettle-v2", 1, deps) == "fanned_out"
    assert deps.profile_batch.calls == [["c-1", "c-2"], ["c-gone", "c-3"]]
    stored = deps.outbox_batch.stored
    assert sorted(cid for cid, _ in stored) == ["c-1", "c-2", "c-3"]
    assert {key for _, key in stored} == {"product-update#kettle-v2"}
    assert stored[("c-2", "product-update#kettle-v2")].context["product_name"] == "Clay kettle"
    assert stored[("c-3", "product-update#kettle-v2")].recipient.locale == "zh-CN"
    assert deps.store.campaign.queued == 3 and deps.store.campaign.fanned_out


def test_a_page_redelivered_after_its_messages_were_queued_queues_none_again_counts_all() -> None:
    buyers = [Buyer("c-1", "Clay kettle"), Buyer("c-2", "Clay kettle")]
    deps = _deps({None: (buyers, None)}, [_profile("c-1"), _profile("c-2")])
    request = deps.store.campaign.request
    from chalicelib.domain.campaign_audience import campaign_message

    before = campaign_message(_profile("c-1"), request, "Clay kettle", "2026-12-02T02:59:00Z")
    deps.outbox_batch.stored[("c-1", before.message_key)] = before  # the lost delivery got here
    assert run_page("kettle-v2", 0, deps) == "fanned_out"
    assert deps.store.advanced == [(0, None, "c-2", 2)]  # c-2 new, c-1 there: both counted
    assert deps.outbox_batch.stored[("c-1", before.message_key)] is before
    assert run_page("kettle-v2", 0, deps) == "duplicate"  # the page is recorded: nothing
    assert deps.outbox_batch.calls == 1
