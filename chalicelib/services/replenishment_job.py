"""The daily ``replenishment`` job: remind customers whose reorder interval has passed.

It reads the due-day index for each day since its last run (a Query per day, never a
Scan), re-reads each item, and queues one ``replenishment`` reminder per purchase
(``marketing`` consent; the mailer applies the policy). An item whose due day moved
since it was indexed (bought again, the store's interval changed) is skipped or
re-indexed for its new day.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import date
from typing import Any

from chalicelib.domain.replenishment import days_to_query, due_day, interval_for, reminder
from chalicelib.domain.times import iso
from chalicelib.services.exceptions import StaleWrite
from chalicelib.services.ports import Retrier
from chalicelib.services.replenishment import ReplenishmentDeps

JOB_DOCUMENT = "replenishment-job"
"""The settings document holding the last day the job covered (``through``)."""
CATCH_UP_DAYS = 7
"""How many due days a run reads at most (after a pause of the schedule)."""


def run_replenishment(deps: ReplenishmentDeps, as_of: date, retry: Retrier) -> dict[str, Any]:
    """Queue the reminders due on the days since the last run, up to ``as_of``."""
    document = retry(lambda: deps.settings.document(JOB_DOCUMENT, fresh=True)) or {}
    through = date.fromisoformat(document["through"]) if document.get("through") else None
    days = days_to_query(through, as_of, CATCH_UP_DAYS)
    counts = {"due": 0, "queued": 0, "moved": 0, "skipped": 0}
    for day in days:
        for customer_id, sku in deps.store.due_on(day, retry):
            counts["due"] += 1
            counts[_remind(deps, customer_id, sku, as_of, retry)] += 1
    if through is None or as_of > through:
        saved = {"through": as_of.isoformat()}
        retry(lambda: deps.settings.save_document(JOB_DOCUMENT, saved))
    return {"as_of": as_of.isoformat(), "days": [d.isoformat() for d in days], **counts}


def _remind(
    deps: ReplenishmentDeps, customer_id: str, sku: str, as_of: date, retry: Retrier
) -> str:
    """``queued`` for a due item (once per purchase); ``moved`` for one due later or no
    longer replenishable (re-indexed for its new day); ``skipped`` without a profile."""
    item = retry(lambda: deps.store.get(customer_id, sku))
    if item is None:
        return "skipped"
    settings = retry(deps.settings.store)
    interval = interval_for(item, settings.replenishment_skus, settings.replenishment_categories)
    due = due_day(item, interval)
    if interval is None or due is None or due > as_of:
        days = interval.days if interval else None
        with suppress(StaleWrite):  # changed meanwhile: that change indexed it again
            retry(lambda: deps.store.save(item, due, days))
        return "moved"
    profile = retry(lambda: deps.profiles.get(customer_id))
    message = reminder(profile, item, interval, iso(deps.clock.now())) if profile else None
    if message is None:
        return "skipped"
    retry(lambda: deps.outbox.enqueue(message))
    return "queued"
