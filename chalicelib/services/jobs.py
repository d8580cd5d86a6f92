"""Jobs that run on a schedule and on demand (``POST /v1/admin/jobs/{name}``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from chalicelib.domain.exceptions import NotFound
from chalicelib.domain.times import job_day
from chalicelib.services.ports import Clock, Outbox, ProfileReader, SettingsStore
from chalicelib.services.retry import RetryPolicy, retry_throttled

if TYPE_CHECKING:  # the jobs' own ports, imported with the job
    from chalicelib.services.cart_reminders import CartStore
if TYPE_CHECKING:  # the job's own port, imported with the job
    from chalicelib.services.campaigns import CampaignDeps
    from chalicelib.services.co_purchases_job import OrderScan
    from chalicelib.services.customer_value_job import CustomerValueStore
    from chalicelib.services.engagement import OccasionIndex
    from chalicelib.services.replenishment import ReplenishmentDeps
    from chalicelib.services.satisfaction_surveys import SurveyJobDeps


@dataclass(frozen=True)
class JobDeps:
    """The ports the jobs need (wired in ``bootstrap``)."""

    outbox: Outbox
    settings: SettingsStore
    order_scan: OrderScan
    customer_value_store: CustomerValueStore
    clock: Clock
    replenishment: ReplenishmentDeps
    carts: CartStore
    profiles: ProfileReader
    surveys: SurveyJobDeps
    occasion_index: OccasionIndex | None = None
    campaigns: CampaignDeps | None = None


Job = Callable[[JobDeps, datetime | None], dict[str, Any]]


def retry_policy(deps: JobDeps) -> RetryPolicy:
    """The store's bound on retrying one page or write of a job (store settings)."""
    store = retry_throttled(deps.settings.store)
    return RetryPolicy(retries=store.job_retries, seconds=store.job_retry_seconds)


def _deferred_mail(deps: JobDeps, as_of: datetime | None) -> dict[str, Any]:
    from chalicelib.services.deferred_mail import requeue_due

    return {"requeued": requeue_due(deps.outbox, deps.clock, retry=retry_policy(deps))}


def _customer_value(deps: JobDeps, as_of: datetime | None) -> dict[str, Any]:
    from chalicelib.services.customer_value_job import run_customer_value

    now = deps.clock.now()
    retry = retry_policy(deps)
    settings = retry(deps.settings.customer_value)
    return run_customer_value(
        deps.customer_value_store, settings, (as_of or now).date(), now, retry=retry
    )


def _co_purchases(deps: JobDeps, as_of: datetime | None) -> dict[str, Any]:
    from chalicelib.services.co_purchases_job import run_co_purchases

    return run_co_purchases(deps.order_scan, deps.settings, retry_policy(deps))


def _replenishment(deps: JobDeps, as_of: datetime | None) -> dict[str, Any]:
    from chalicelib.services.replenishment_job import run_replenishment

    day = job_day(as_of, deps.clock.now())
    return run_replenishment(deps.replenishment, day, retry_policy(deps))


def _engagement(deps: JobDeps, as_of: datetime | None) -> dict[str, Any]:
    from chalicelib.services.engagement import EngagementDeps, run_engagement

    assert deps.occasion_index is not None, "the engagement job reads the occasion indexes"
    now = deps.clock.now()
    engagement = EngagementDeps(deps.occasion_index, deps.outbox, deps.settings)
    return run_engagement(engagement, as_of or now, now, retry_policy(deps))


def _cart_reminders(deps: JobDeps, as_of: datetime | None) -> dict[str, Any]:
    from chalicelib.services.cart_reminders import run_cart_reminders

    now = deps.clock.now()
    retry = retry_policy(deps)
    idle = retry(deps.settings.store).cart_idle_minutes
    at = as_of or now
    return run_cart_reminders(deps.carts, deps.profiles, deps.outbox, idle, at, now, retry)


def _satisfaction_surveys(deps: JobDeps, as_of: datetime | None) -> dict[str, Any]:
    from chalicelib.services.satisfaction_surveys import run_satisfaction_surveys

    moment = as_of or deps.clock.now()
    return run_satisfaction_surveys(deps.surveys, moment, retry_policy(deps))


def _campaigns(deps: JobDeps, as_of: datetime | None) -> dict[str, Any]:
    from chalicelib.services.campaign_fanout import start_due

    if deps.campaigns is None:
        return {"started": 0, "resumed": 0}
    return start_due(deps.campaigns)


AS_OF_JOBS = (
    "customer-value",
    "engagement",
    "replenishment",
    "cart-reminders",
    "satisfaction-surveys",
)
"""Jobs that compute for a given moment (``as_of``); the others work on the present."""

JOBS: dict[str, Job] = {
    "co-purchases": _co_purchases,
    "deferred-mail": _deferred_mail,
    "customer-value": _customer_value,
    "replenishment": _replenishment,
    "engagement": _engagement,
    "cart-reminders": _cart_reminders,
    "satisfaction-surveys": _satisfaction_surveys,
    "campaigns": _campaigns,
}


def run_job(name: str, deps: JobDeps, as_of: datetime | None = None) -> dict[str, Any]:
    """Run the job called ``name``; raises ``NotFound`` for an unknown job."""
    job = JOBS.get(name)
    if job is None:
        raise NotFound(f"no job called {name!r}; jobs: {', '.join(sorted(JOBS))}", "name")
    return {"job": name, **job(deps, as_of)}
