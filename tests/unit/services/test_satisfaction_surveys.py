"""The monthly survey job against fakes: whom it asks, once a month, never in a delivery week."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from chalicelib.domain.profile import Consents, Profile
from chalicelib.services.retry import NO_RETRY
from chalicelib.services.satisfaction_surveys import SurveyJobDeps, run_satisfaction_surveys
from tests.fakes import FakeOutbox, FakeProfiles

AS_OF = datetime(2026, 11, 30, 20, tzinfo=UTC)  # 1 December, 04:00 in Shanghai


@dataclass
class FakeAudience:
    """Orders by placed time and the customers whose delivery letter went when."""

    orders: dict[str, list[datetime]] = field(default_factory=dict)
    delivered: dict[str, datetime] = field(default_factory=dict)

    def buyers_between(self, since: datetime, until: datetime, retry: object = None) -> list[str]:
        return [c for c, times in self.orders.items() if any(since <= t <= until for t in times)]

    def delivery_letter_since(self, customer_id: str, since: datetime) -> bool:
        return customer_id in self.delivered and self.delivered[customer_id] >= since


def profile(customer_id: str, time_zone: str = "Asia/Shanghai") -> Profile:
    return Profile(
        customer_id=customer_id,
        email=f"{customer_id}@example.com",
        created_at="2026-01-01T00:00:00.000Z",
        updated_at="2026-01-01T00:00:00.000Z",
        time_zone=time_zone,
        consents=Consents(surveys=True),
    )


def world(audience: FakeAudience, *profiles: Profile) -> tuple[SurveyJobDeps, FakeOutbox]:
    outbox, readers = FakeOutbox(), FakeProfiles()
    for each in profiles:
        readers.put(each)
    return SurveyJobDeps(audience, readers, outbox), outbox


def test_each_recent_buyer_gets_their_months_letter_once() -> None:
    audience = FakeAudience(
        orders={
            "c-sh": [AS_OF - timedelta(days=89)],
            "c-ny": [AS_OF - timedelta(days=2), AS_OF - timedelta(days=1)],
            "c-old": [AS_OF - timedelta(days=91)],
        }
    )
    deps, outbox = world(audience, profile("c-sh"), profile("c-ny", "America/New_York"))
    counts = run_satisfaction_surveys(deps, AS_OF, NO_RETRY)
    assert counts == {"buyers": 2, "queued": 2, "already_queued": 0, "delivery_week": 0, "gone": 0}
    sh = outbox.item("c-sh", "satisfaction-survey#2026-12")
    assert sh["template"] == "satisfaction_survey" and sh["purpose"] == "surveys"
    assert outbox.item("c-ny", "satisfaction-survey#2026-11")["context"] == {"month": "2026-11"}
    again = run_satisfaction_surveys(deps, AS_OF + timedelta(days=1), NO_RETRY)
    assert again["queued"] == 1 and again["already_queued"] == 1  # New York's December began


def test_a_delivery_letter_this_week_or_an_erased_customer_gets_nothing() -> None:
    audience = FakeAudience(
        orders={"c-1": [AS_OF - timedelta(days=3)], "c-gone": [AS_OF - timedelta(days=3)]},
        delivered={"c-1": AS_OF - timedelta(days=6, hours=23)},
    )
    deps, outbox = world(audience, profile("c-1"))
    counts = run_satisfaction_surveys(deps, AS_OF, NO_RETRY)
    assert (counts["delivery_week"], counts["gone"], counts["queued"]) == (1, 1, 0)
    assert not outbox.items
    audience.delivered["c-1"] = AS_OF - timedelta(days=7, minutes=1)
    assert run_satisfaction_surveys(deps, AS_OF, NO_RETRY)["queued"] == 1
